/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hard limits on untrusted input, each with its reason. A limit hit is
 * DD_ELIMIT with a message naming the limit; it is never a crash or an
 * unbounded allocation. Raise a limit only with a real image that needs it.
 */
#ifndef DD_LIMITS_H
#define DD_LIMITS_H

/* Manifests, indexes and configs are a few KB; Docker's own limit for a
 * manifest is 4 MiB. Configs with long histories reach ~1 MiB. */
#define DD_LIMIT_MANIFEST_BYTES (4u << 20)
#define DD_LIMIT_CONFIG_BYTES (8u << 20)
/* Docker refuses more than 127 layers (overlayfs lower dirs); OCI is silent. */
#define DD_LIMIT_LAYERS 256
/* Nested image indexes: real ones nest once or twice. */
#define DD_LIMIT_INDEX_DEPTH 8
/* Entries in one layer tar: the largest real images have a few 100k. The
 * hostile 10^6-tiny-files case must still pass within memory limits. */
#define DD_LIMIT_LAYER_ENTRIES 4000000u
/* PATH_MAX on Linux; tar pax headers can carry any length. */
#define DD_LIMIT_PATH_BYTES 4096
/* Symlink hops while resolving a path inside the image (Linux: 40). */
#define DD_LIMIT_SYMLINK_HOPS 40
/* Uncompressed size of one layer and the ratio to its compressed size:
 * real layers compress 2-10x; a gzip bomb reaches 1000x. */
#define DD_LIMIT_LAYER_BYTES (64ull << 30)
#define DD_LIMIT_DECOMPRESS_RATIO 250u
/* A file a cataloger keeps in memory (dpkg status ~1-5 MiB, rpmdb up to
 * ~200 MiB on big RHEL hosts, jars a few MiB). */
#define DD_LIMIT_KEPT_FILE_BYTES (256u << 20)
/* All kept files of one image together. */
#define DD_LIMIT_KEPT_TOTAL_BYTES (1ull << 30)
/* JSON nesting: manifests are depth ~5; feeds ~10. */
#define DD_LIMIT_JSON_DEPTH 64
/* One feed record (an OSV or NVD entry); the largest real ones are ~2 MiB. */
#define DD_LIMIT_FEED_RECORD_BYTES (32u << 20)
/* One downloaded feed file (db update). The largest real one, all NVD API
 * pages of one update concatenated, is ~2 GB; OSV's all.zip files < 1 GB. */
#define DD_LIMIT_FEED_DOWNLOAD_BYTES (8ull << 30)
/* One DSA/DLA list entry (header, CVE line, release lines): real entries
 * are < 4 KiB; the longest (kernel DSAs with 100+ CVEs) ~ 10 KiB. */
#define DD_LIMIT_DSA_ENTRY_BYTES (1u << 20)
/* A line of a text database (dpkg status, apk installed). */
#define DD_LIMIT_LINE_BYTES (1u << 20)
/* One HTTP response header field we parse (WWW-Authenticate, Link). Real
 * ones are a few hundred bytes; curl itself caps a header line at 100 KiB. */
#define DD_LIMIT_HTTP_FIELD_BYTES (16u << 10)
/* A registry response we keep whole: an error body, a token, one page of a
 * catalog or tag list (Docker Hub pages hold at most 100-1000 names). */
#define DD_LIMIT_REGISTRY_BODY_BYTES (16u << 20)
/* Pages of one listing: 10^4 pages of >= 100 names is a million names. */
#define DD_LIMIT_REGISTRY_PAGES 10000u
/* Redirects followed for one request (blob storage uses one; curl's default is 30). */
#define DD_LIMIT_REDIRECTS 8
/* Files people write for us (ignore files, policies, rules): 4 MiB is far
 * past any real one. */
#define DD_LIMIT_USER_FILE_BYTES (4u << 20)
/* The file list of one package, in bytes of paths: rpm headers store paths
 * as shared dirnames + basenames, so a small hostile header could expand
 * to gigabytes. The largest real packages (texlive, kernel sources) list
 * ~100k files, ~10 MiB of paths. */
#define DD_LIMIT_PKG_FILES_BYTES (64u << 20)
/* Files of one package (bounds the per-header arrays an rpm header's file
 * lists need): kernel-devel and texlive packages list ~70k. */
#define DD_LIMIT_PKG_FILES 1000000u
/* Index entries of one rpm header: rpm's own HEADER_TAGS_MAX (0xffff). */
#define DD_LIMIT_RPM_HEADER_TAGS 0xffffu
/* Bytes of one rpm header's data store: rpm's HEADER_DATA_MAX (256 MiB). */
#define DD_LIMIT_RPM_HEADER_DATA (256u << 20)
/* Bytes of a file's start handed to catalogers' magic probes. */
#define DD_MAGIC_BYTES 64
/* Java archives inside Java archives (a war's WEB-INF/lib jars, a Spring
 * Boot jar's BOOT-INF/lib, shaded uber-jars): real ones nest 2-3 deep; each
 * nested member is read into memory, so cap its size and the member count. */
#define DD_LIMIT_JAR_DEPTH 4
#define DD_LIMIT_JAR_MEMBER_BYTES (64u << 20)
#define DD_LIMIT_JAR_ENTRIES 200000u

/* --- image reading (src/image/) --- */
/* Manifests in one image index: multi-arch indexes list ~10 platforms plus
 * attestations; a few thousand is already absurd. */
#define DD_LIMIT_INDEX_ENTRIES 4096
/* Uncompressed bytes of all layers of one image together. */
#define DD_LIMIT_IMAGE_BYTES (256ull << 30)
/* The ratio limit applies past this many uncompressed bytes: a layer of
 * empty files (tar headers only) compresses several hundred to one, and a
 * few MiB of anything is harmless. */
#define DD_LIMIT_RATIO_SLACK_BYTES (16u << 20)
/* Entries of an outer archive (docker-archive / oci-archive): a few per
 * layer, blobs of every platform in an OCI layout. */
#define DD_LIMIT_ARCHIVE_ENTRIES 100000u
/* Directory depth of a dir: root filesystem walk (one open fd per level). */
#define DD_LIMIT_DIR_DEPTH 256
/* A cached layer or archive record read back from the cache dir. */
#define DD_LIMIT_CACHE_FILE_BYTES (1ull << 30)

/* A docker credential helper's answer is one small JSON object (a cloud
 * token is a few KiB); ecr-login and gcloud may call out to the network,
 * so they get half a minute before they are killed. */
#define DD_LIMIT_CRED_HELPER_OUTPUT (1 << 20)
#define DD_LIMIT_CRED_HELPER_SECONDS 30

/* A VEX document (OpenVEX, CycloneDX VEX): vendors' files are KB to a few MiB
 * even for whole distributions. */
#define DD_LIMIT_VEX_BYTES (64u << 20)
/* A verification evidence file kept in the store (logs, screenshots as
 * text, PoC output); bigger evidence belongs in an artifact store. */
#define DD_LIMIT_EVIDENCE_BYTES (16u << 20)
/* Statements in one VEX document. */
#define DD_LIMIT_VEX_STATEMENTS 1000000u
/* One blob of the vulnerability DB's derived tables (vdb_index.c): every
 * feed entry of one package, or one advisory's merged view. The largest
 * real package (Debian's linux, a few thousand entries) needs about 1 MiB. */
#define DD_LIMIT_VDB_INDEX_BYTES (64u << 20)

#endif
