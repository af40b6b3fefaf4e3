/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/): one document
 * describing the image, which CONTAINS the operating system and every
 * package (clause 11, relationships).
 *
 * - SPDXIDs may use only letters, digits, '.' and '-' (clause 7.2), so a
 *   package's ID is its sanitised type and name plus 16 hex digits of a hash
 *   of its unique reference (rep_pkg_refs): stable and unique.
 * - documentNamespace must be a unique URI without '#' (clause 6.5); ours is
 *   under drydock.invalid (a name reserved never to resolve, RFC 6761) with a
 *   UUID derived from the content, so equal content gives equal documents.
 * - licenseDeclared must be an SPDX license expression (Annex D). Package
 *   databases hold free text ("GPL-2+ and BSD"), so the text is used only
 *   when it parses as an expression; otherwise NOASSERTION and the text in
 *   licenseComments. We check the syntax, not the SPDX license list.
 * - SPDX 2.3 has no free properties: the layer goes in the package comment
 *   and the source package and recording file in sourceInfo.
 * Validated against the official schema in tests/unit/report/test_schema.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dd/dd.h"
#include "report/report_int.h"
#include "util/alloc.h"
#include "util/hash.h"

static void sanitize(const char *in, char *out, size_t n)
{
	size_t o = 0;
	for (; in && *in && o + 1 < n; in++) {
		unsigned char ch = (unsigned char)*in;
		out[o++] = (char)(isalnum(ch) || ch == '.' || ch == '-' ? ch : '-');
	}
	out[o] = '\0';
}

static void spdx_id(const struct dd_package *p, const char *ref, char *out, size_t n)
{
	char t[64], nm[128];
	sanitize(p->type ? p->type : "pkg", t, sizeof t);
	sanitize(p->name ? p->name : "", nm, sizeof nm);
	snprintf(out, n, "SPDXRef-Package-%s-%s-%016llx", t, nm,
		 (unsigned long long)dd_hash_bytes(ref, strlen(ref)));
}

/* Annex D syntax: simple-expression ("MIT", "GPL-2.0+", "LicenseRef-x")
 * joined by AND / OR / WITH, with parentheses. */
static bool license_expression(const char *s)
{
	int depth = 0;
	bool want_operand = true;
	size_t ntok = 0;
	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		if (*s == '(') {
			if (!want_operand)
				return false;
			depth++;
			s++;
			continue;
		}
		if (*s == ')') {
			if (want_operand || --depth < 0)
				return false;
			s++;
			continue;
		}
		const char *b = s;
		while (*s && (isalnum((unsigned char)*s) || *s == '.' || *s == '-' || *s == ':'))
			s++;
		if (*s == '+')
			s++;
		size_t len = (size_t)(s - b);
		if (len == 0)
			return false;
		bool op = (len == 3 && strncmp(b, "AND", 3) == 0) || (len == 2 && strncmp(b, "OR", 2) == 0) ||
			  (len == 4 && strncmp(b, "WITH", 4) == 0);
		if (op == want_operand)
			return false;
		if (!op && !isalpha((unsigned char)b[0]))
			return false;
		want_operand = op;
		ntok++;
	}
	return ntok > 0 && depth == 0 && !want_operand;
}

static void relationship(struct jw *w, const char *a, const char *type, const char *b)
{
	jw_obj(w);
	jw_kstr(w, "spdxElementId", a);
	jw_kstr(w, "relationshipType", type);
	jw_kstr(w, "relatedSpdxElement", b);
	jw_end_obj(w);
}

static void package(struct jw *w, const struct dd_sbom *s, const struct dd_package *p, const char *id)
{
	char buf[1024];
	jw_obj(w);
	jw_kstr(w, "SPDXID", id);
	jw_kstr(w, "name", p->name ? p->name : "");
	jw_kstr_opt(w, "versionInfo", p->version);
	jw_kstr(w, "downloadLocation", "NOASSERTION");
	jw_kbool(w, "filesAnalyzed", false);
	jw_kstr(w, "licenseConcluded", "NOASSERTION");
	if (p->license && license_expression(p->license)) {
		jw_kstr(w, "licenseDeclared", p->license);
	} else {
		jw_kstr(w, "licenseDeclared", "NOASSERTION");
		if (p->license && *p->license) {
			snprintf(buf, sizeof buf, "declared license text: %s", p->license);
			jw_kstr(w, "licenseComments", buf);
		}
	}
	jw_kstr(w, "copyrightText", "NOASSERTION");
	int n = snprintf(buf, sizeof buf, "found by %s in %s", p->cataloger ? p->cataloger : "drydock",
			 p->location ? p->location : "the image");
	if (p->source_name && n > 0 && (size_t)n < sizeof buf)
		snprintf(buf + n, sizeof buf - (size_t)n, "; source package %s%s%s", p->source_name,
			 p->source_version ? " " : "", p->source_version ? p->source_version : "");
	jw_kstr(w, "sourceInfo", buf);
	const struct dd_layer_info *l = rep_pkg_layer(s, p);
	if (l) {
		snprintf(buf, sizeof buf, "layer %d %s", p->layer, l->diff_id ? l->diff_id : "");
		jw_kstr(w, "comment", buf);
	}
	if (p->purl && *p->purl) {
		jw_key(w, "externalRefs");
		jw_arr(w);
		jw_obj(w);
		jw_kstr(w, "referenceCategory", "PACKAGE-MANAGER");
		jw_kstr(w, "referenceType", "purl");
		jw_kstr(w, "referenceLocator", p->purl);
		jw_end_obj(w);
		jw_end_arr(w);
	}
	jw_kstr(w, "primaryPackagePurpose", p->type && strcmp(p->type, "golang") == 0 ? "APPLICATION"
										 : "LIBRARY");
	jw_end_obj(w);
}

dd_code rep_sbom_spdx(FILE *out, const struct dd_sbom *s, const struct dd_report_opts *o,
		      struct dd_err *err)
{
	dd_code rc = DD_OK;
	char **refs = NULL, **ids = NULL;
	size_t *ord = rep_pkg_order(s);
	if (ord)
		refs = rep_pkg_refs(s, ord);
	if (refs)
		ids = dd_calloc(s->npkgs ? s->npkgs : 1, sizeof *ids);
	if (!ord || !refs || !ids) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory preparing the SPDX document");
		goto out;
	}
	for (size_t i = 0; i < s->npkgs; i++) {
		char id[256];
		spdx_id(&s->pkgs[i], refs[i], id, sizeof id);
		if (!(ids[i] = dd_strndup(id, strlen(id)))) {
			rc = dd_err_set(err, DD_ENOMEM, "out of memory preparing the SPDX document");
			goto out;
		}
	}
	char hex[65], uuid[37], created[32], name[200], ns[400], tool[64];
	if ((rc = rep_content_hash(s, "spdx", hex, err)))
		goto out;
	rep_uuid_from_hash(hex, uuid);
	rep_created(o, created);
	sanitize(rep_image_name(s), name, sizeof name);
	snprintf(ns, sizeof ns, "https://drydock.invalid/spdx/%s-%s", name, uuid);
	snprintf(tool, sizeof tool, "Tool: drydock-%s", dd_version_string());

	struct jw w;
	if ((rc = jw_init(&w, out, err)))
		goto out;
	jw_obj(&w);
	jw_kstr(&w, "spdxVersion", "SPDX-2.3");
	jw_kstr(&w, "dataLicense", "CC0-1.0");
	jw_kstr(&w, "SPDXID", "SPDXRef-DOCUMENT");
	jw_kstr(&w, "name", rep_image_name(s));
	jw_kstr(&w, "documentNamespace", ns);
	jw_key(&w, "creationInfo");
	jw_obj(&w);
	jw_kstr(&w, "created", created);
	jw_key(&w, "creators");
	jw_arr(&w);
	jw_str(&w, tool);
	jw_end_arr(&w);
	jw_end_obj(&w);

	jw_key(&w, "packages");
	jw_arr(&w);
	const struct dd_image_info *im = &s->image;
	jw_obj(&w);
	jw_kstr(&w, "SPDXID", "SPDXRef-Image");
	jw_kstr(&w, "name", rep_image_name(s));
	jw_kstr_opt(&w, "versionInfo", im->config_digest);
	jw_kstr(&w, "downloadLocation", "NOASSERTION");
	jw_kbool(&w, "filesAnalyzed", false);
	if (im->config_digest && strncmp(im->config_digest, "sha256:", 7) == 0 &&
	    strlen(im->config_digest) == 71) {
		jw_key(&w, "checksums");
		jw_arr(&w);
		jw_obj(&w);
		jw_kstr(&w, "algorithm", "SHA256");
		jw_kstr(&w, "checksumValue", im->config_digest + 7);
		jw_end_obj(&w);
		jw_end_arr(&w);
	}
	if (im->reference) {
		char c[600];
		snprintf(c, sizeof c, "image reference %s", im->reference);
		jw_kstr(&w, "comment", c);
	}
	jw_kstr(&w, "primaryPackagePurpose", "CONTAINER");
	jw_end_obj(&w);
	if (s->distro.id) {
		jw_obj(&w);
		jw_kstr(&w, "SPDXID", "SPDXRef-OperatingSystem");
		jw_kstr(&w, "name", s->distro.id);
		jw_kstr_opt(&w, "versionInfo", s->distro.version_id);
		jw_kstr(&w, "downloadLocation", "NOASSERTION");
		jw_kbool(&w, "filesAnalyzed", false);
		jw_kstr_opt(&w, "description", s->distro.pretty_name);
		jw_kstr(&w, "primaryPackagePurpose", "OPERATING_SYSTEM");
		jw_end_obj(&w);
	}
	for (size_t k = 0; k < s->npkgs; k++)
		package(&w, s, &s->pkgs[ord[k]], ids[ord[k]]);
	jw_end_arr(&w);

	jw_key(&w, "relationships");
	jw_arr(&w);
	relationship(&w, "SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image");
	if (s->distro.id)
		relationship(&w, "SPDXRef-Image", "CONTAINS", "SPDXRef-OperatingSystem");
	for (size_t k = 0; k < s->npkgs; k++)
		relationship(&w, "SPDXRef-Image", "CONTAINS", ids[ord[k]]);
	jw_end_arr(&w);
	jw_end_obj(&w);
	rc = jw_finish(&w, err);
out:
	if (ids)
		for (size_t i = 0; i < s->npkgs; i++)
			free(ids[i]);
	free(ids);
	rep_refs_free(refs, s->npkgs);
	free(ord);
	return rc;
}
