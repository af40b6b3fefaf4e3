/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The report JSON writer's numbers. Regression: jw_num wrote the shortest
 * %g form, so a CVSS score of 10.0 came out as 1e+01 and 100 % as 1e+02.
 */
#include <stdlib.h>

#include "dd_test.h"
#include "report/report_int.h"

DD_TEST(jw_num_plain_decimals_not_exponents)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ASSERT_TRUE(f);
	struct jw w;
	struct dd_err err;
	ASSERT_OK(jw_init(&w, f, &err), &err);
	jw_arr(&w);
	const double v[] = { 10.0, 100.0, 9.8, 0.1, 3.0, 0.0, -2.5, 1e20, 1.5e-9 };
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		jw_num(&w, v[i]);
	jw_end_arr(&w);
	ASSERT_OK(jw_finish(&w, &err), &err);
	fclose(f);
	/* strip the writer's indentation */
	char *o = buf;
	for (char *p = buf; *p; p++)
		if (*p != ' ' && *p != '\n')
			*o++ = *p;
	*o = '\0';
	EXPECT_STR_EQ(buf, "[10,100,9.8,0.1,3,0,-2.5,1e+20,1.5e-09]");
	free(buf);
}
