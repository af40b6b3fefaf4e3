/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: cargo-auditable .dep-v0 in ELF binaries (dd_lang_parse_rust_elf).
 * Properties: see fuzz_lang.h (including the kept form of the binary). */
#include "fuzz_lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_lang_run_elf(dd_lang_parse_rust_elf, data, size);
}
