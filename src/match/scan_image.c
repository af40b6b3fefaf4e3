/* SPDX-License-Identifier: Apache-2.0 */
/* dd_scan_image: the SBOM of an image, then dd_scan_sbom_take (scan.c). */
#include "dd/scan.h"

dd_code dd_scan_image(const char *image, const struct dd_image_opts *iopts,
		      const struct dd_scan_opts *opts, struct dd_scan_result **out,
		      struct dd_err *err)
{
	struct dd_sbom *sbom;
	dd_code rc = dd_sbom_from_image(image, iopts, &sbom, err);
	if (rc)
		return rc;
	return dd_scan_sbom_take(sbom, opts, out, err);
}
