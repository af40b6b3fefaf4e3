# SPDX-License-Identifier: Apache-2.0
# Test registration. Labels: unit (fast, self-made fixtures), cli (the real
# binary against expected output), fuzz-replay (every corpus file of every
# fuzz target), realdata (../shared/data; skipped, and said so, when absent).

add_library(dd_harness STATIC ${CMAKE_SOURCE_DIR}/tests/harness/dd_test.c)
target_include_directories(dd_harness PUBLIC ${CMAKE_SOURCE_DIR}/tests/harness
                                             ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(dd_harness PUBLIC drydock_lib)

set(DD_TEST_ENV
  "DD_SHARED_DATA=${DD_SHARED_DATA}"
  "DD_BIN=$<TARGET_FILE:drydock>"
  "DD_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
  "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0"
  "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")

# Unit tests: tests/unit/<module>/test_<file>.c, one executable each.
# Real-data tests: tests/realdata/test_<name>.c, same harness, label realdata.
foreach(kind unit realdata)
  file(GLOB_RECURSE _tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/${kind}/test_*.c)
  foreach(src ${_tests})
    get_filename_component(name ${src} NAME_WE)
    get_filename_component(dir ${src} DIRECTORY)
    get_filename_component(mod ${dir} NAME)
    if(kind STREQUAL "realdata")
      set(tname "realdata_${name}")
    else()
      set(tname "${mod}_${name}")
    endif()
    add_executable(${tname} ${src})
    target_compile_options(${tname} PRIVATE -include ${CMAKE_SOURCE_DIR}/src/util/ban.h)
    target_link_libraries(${tname} PRIVATE dd_harness)
    add_test(NAME ${tname} COMMAND ${tname})
    set_tests_properties(${tname} PROPERTIES LABELS ${kind}
      ENVIRONMENT "${DD_TEST_ENV}" SKIP_RETURN_CODE 77 TIMEOUT 900)
  endforeach()
endforeach()

# CLI tests: tests/cli/<command>/<case>.sh, run by tests/cli/run-case; each
# case compares stdout, stderr and exit status with <case>.out/.err/.status.
file(GLOB_RECURSE _cases CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/cli/*/*.sh)
foreach(c ${_cases})
  get_filename_component(name ${c} NAME_WE)
  get_filename_component(dir ${c} DIRECTORY)
  get_filename_component(cmd ${dir} NAME)
  add_test(NAME cli_${cmd}_${name}
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/cli/run-case ${c})
  set_tests_properties(cli_${cmd}_${name} PROPERTIES LABELS cli
    ENVIRONMENT "${DD_TEST_ENV}" SKIP_RETURN_CODE 77 TIMEOUT 600)
endforeach()

# Fuzz targets: fuzz/fuzz_<target>.c defines LLVMFuzzerTestOneInput. In a
# normal build each links with fuzz/replay_main.c and replays
# fuzz/corpus/<target>/; with DD_FUZZ=ON (clang) it links with libFuzzer.
file(GLOB _fuzzers CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/fuzz/fuzz_*.c)
if(DD_FUZZ)
  # Coverage feedback from the library's parsers, not only the target file.
  target_compile_options(drydock_lib PRIVATE -fsanitize=fuzzer-no-link)
endif()
foreach(src ${_fuzzers})
  get_filename_component(name ${src} NAME_WE)
  string(REGEX REPLACE "^fuzz_" "" target ${name})
  if(DD_FUZZ)
    add_executable(${name} ${src})
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  else()
    add_executable(${name} ${src} ${CMAKE_SOURCE_DIR}/fuzz/replay_main.c)
    add_test(NAME fuzz_replay_${target}
             COMMAND ${name} ${CMAKE_SOURCE_DIR}/fuzz/corpus/${target})
    set_tests_properties(fuzz_replay_${target} PROPERTIES LABELS fuzz-replay
      ENVIRONMENT "${DD_TEST_ENV}" TIMEOUT 600)
  endif()
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/src)
  target_compile_options(${name} PRIVATE -include ${CMAKE_SOURCE_DIR}/src/util/ban.h)
  target_link_libraries(${name} PRIVATE drydock_lib)
endforeach()

# Benchmarks are programs too (bench/bench_<name>.c), built but never run by ctest.
file(GLOB _benches CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/bench/bench_*.c)
foreach(src ${_benches})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(${name} PRIVATE drydock_lib)
endforeach()

# version/: the differential test and the benchmark compare against the
# distributions' own C comparators (libdpkg-dev, librpm-dev) when present.
pkg_check_modules(DD_LIBDPKG QUIET IMPORTED_TARGET libdpkg)
pkg_check_modules(DD_LIBRPM QUIET IMPORTED_TARGET rpm)
foreach(t version_test_version_diff bench_version)
  if(TARGET ${t} AND DD_LIBDPKG_FOUND)
    target_link_libraries(${t} PRIVATE PkgConfig::DD_LIBDPKG)
    target_compile_definitions(${t} PRIVATE DD_HAVE_LIBDPKG=1)
  endif()
  if(TARGET ${t} AND DD_LIBRPM_FOUND)
    target_link_libraries(${t} PRIVATE PkgConfig::DD_LIBRPM)
    target_compile_definitions(${t} PRIVATE DD_HAVE_LIBRPM=1)
  endif()
endforeach()
