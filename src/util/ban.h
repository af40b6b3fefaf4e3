/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Included before every translation unit of ours (see CMakeLists.txt): makes
 * the unbounded string functions compile errors. Use snprintf, memcpy with a
 * length, strtol/strtoull with end checks, and the capped buffer in buf.h.
 */
#ifndef DD_BAN_H
#define DD_BAN_H

#include <string.h>
#include <stdio.h>
#include <stdlib.h>

#undef strcpy
#define strcpy(a, b) DD_BANNED_use_memcpy_or_snprintf(a, b)
#undef strcat
#define strcat(a, b) DD_BANNED_use_dd_buf(a, b)
#undef sprintf
#define sprintf(...) DD_BANNED_use_snprintf(__VA_ARGS__)
#undef vsprintf
#define vsprintf(...) DD_BANNED_use_vsnprintf(__VA_ARGS__)
#undef strtok
#define strtok(a, b) DD_BANNED_use_strtok_r_or_memchr(a, b)
#undef atoi
#define atoi(a) DD_BANNED_use_strtol_with_checks(a)
#undef gets
#define gets(a) DD_BANNED_use_fgets(a)

#endif
