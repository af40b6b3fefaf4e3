/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A weak stand-in for dd_sbom_from_image() (include/dd/sbom.h) so that
 * `drydock sbom` links before the image module is merged. The image
 * module's real definition is strong and replaces this one at link time;
 * delete this file once it is on main.
 */
#include "dd/sbom.h"

__attribute__((weak)) dd_code dd_sbom_from_image(const char *image, const struct dd_image_opts *opts,
						 struct dd_sbom **out, struct dd_err *err)
{
	(void)opts;
	*out = NULL;
	return dd_err_set(err, DD_EUNSUPPORTED,
			  "%s: reading images is not in this build yet (image module not merged)", image);
}
