/* SPDX-License-Identifier: Apache-2.0 */
/*
 * .NET: `APP.deps.json`, written next to every framework-dependent or
 * self-contained app by the SDK (dotnet/runtime,
 * docs/design/features/host-probing.md and DependencyContext). Its
 * "libraries" object maps "Name/Version" to {"type": "package" | "project"
 * | "reference" | "runtimepack", ...}; NuGet packages are "package" (and
 * "runtimepack" for the runtime of self-contained apps, also a NuGet
 * package). "project" entries are the app's own assemblies. Read in every
 * scan: it describes what is deployed. purl pkg:nuget/Name@Version.
 */
#include <string.h>

#include "catalog/lang.h"

#define NUGET_FIELD_MAX 512

dd_code dd_lang_parse_dotnet_deps(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				  struct dd_err *err)
{
	struct dd_json_doc doc;
	dd_code rc = dd_json_doc_parse(&doc, d, n, err);
	const struct dd_json *libs = rc ? NULL : dd_json_get(doc.root, "libraries");
	dd_json_each(lib, dd_json_as(libs, DD_JSON_OBJECT)) {
		if (rc)
			break;
		const char *key = lib->key;
		const char *type = dd_json_str(lib, "type");
		if (!type || (strcmp(type, "package") && strcmp(type, "runtimepack")))
			continue;
		const char *slash = strchr(key, '/');
		if (!slash || (size_t)(slash - key) >= NUGET_FIELD_MAX)
			continue;
		char name[NUGET_FIELD_MAX];
		memcpy(name, key, (size_t)(slash - key));
		name[slash - key] = '\0';
		struct dd_lang_pkg p = { .type = "nuget", .name = name, .version = slash + 1 };
		rc = dd_lang_emit(s, &p, err);
	}
	dd_json_doc_release(&doc);
	return rc;
}

static bool deps_wants(const char *path, size_t len)
{
	return dd_lang_ends_with(path, len, ".deps.json");
}

static dd_code deps_file(const struct dd_fs_file *f, struct dd_lang_sink *s,
			 const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	(void)ctx;
	return dd_lang_parse_dotnet_deps(f->data, f->size, s, err);
}

static dd_code deps_run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	return dd_lang_each_file(ctx, "dotnet-deps", deps_wants, deps_file, err);
}

static const char *const path_ends[] = { ".deps.json", NULL };

const struct dd_cataloger dd_cataloger_dotnet_deps = {
	.name = "dotnet-deps",
	.version = 1,
	.kind = DD_CATALOGER_LANG,
	.wants_path = deps_wants,
	.path_ends = path_ends,
	.run = deps_run,
};
