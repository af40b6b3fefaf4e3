/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Docker credential helpers (docker/docker-credential-helpers, "Usage" in
 * its README; docker/cli's config/credentials/native_store.go): the
 * program `docker-credential-NAME` found on PATH, run as `NAME get`, reads
 * the server URL on stdin and writes {"ServerURL","Username","Secret"} as
 * JSON on stdout; when it has nothing for that server it exits non-zero
 * with "credentials not found in native keychain" on stdout. Docker
 * Desktop (`desktop`), the OS keychains (`pass`, `secretservice`,
 * `osxkeychain`) and the cloud registries (`ecr-login`, `gcloud`,
 * `acr-env`) all speak this protocol; a docker config names them in
 * `credsStore` (every registry) or `credHelpers` (one registry each).
 *
 * The helper's name comes from a file: only [A-Za-z0-9._-] is accepted, so
 * it cannot name a path. The server URL is written into the stdin pipe
 * before the helper starts (it is far smaller than a pipe's buffer), so a
 * helper that never reads it cannot block us or raise SIGPIPE. The output
 * is capped and the helper is killed after DD_LIMIT_CRED_HELPER_SECONDS.
 * Neither the output nor the secret ever reaches an error message, except
 * the first line of what a failing helper printed (its error text).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "image/registry.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/json.h"
#include "util/limits.h"

extern char **environ;

static bool valid_name(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '.' || *s == '_' || *s == '-'))
			return false;
	return true;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Reads the child's stdout to EOF into out (at most cap bytes) within the
 * deadline. Returns 0, or ETIMEDOUT / EFBIG / an errno. */
static int read_all(int fd, char *out, size_t cap, size_t *len, double deadline)
{
	*len = 0;
	for (;;) {
		double left = deadline - now_s();
		if (left <= 0)
			return ETIMEDOUT;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int pr = poll(&p, 1, (int)(left * 1000) + 1);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return errno;
		if (pr == 0)
			continue;
		if (*len == cap)
			return EFBIG;
		ssize_t r = read(fd, out + *len, cap - *len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno;
		if (r == 0)
			return 0;
		*len += (size_t)r;
	}
}

/* The first line of a failing helper's message, printable ASCII only. */
static void first_line(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n && s[i] != '\n' && o + 1 < cap; i++)
		out[o++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[o] = '\0';
}

dd_code dd_registry_helper_creds(const char *helper, const char *server, char **user,
				 char **pass, struct dd_err *err)
{
	*user = *pass = NULL;
	if (!valid_name(helper))
		return dd_err_set(err, DD_EINVAL,
				  "credential helper name '%.64s' is not a plain name ([A-Za-z0-9._-])", helper);
	char prog[96];
	snprintf(prog, sizeof prog, "docker-credential-%s", helper);
	size_t sl = strlen(server);
	if (sl > 4096)
		return dd_err_set(err, DD_EINVAL, "%s: server name too long", prog);

	int in[2] = { -1, -1 }, out[2] = { -1, -1 };
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC)) {
		dd_code rc = dd_err_sys(err, DD_EIO, "%s: pipe", prog);
		for (int i = 0; i < 2; i++) {
			if (in[i] >= 0)
				close(in[i]);
			if (out[i] >= 0)
				close(out[i]);
		}
		return rc;
	}
	/* 4 KiB fits in any pipe buffer (POSIX PIPE_BUF >= 512; Linux 64 KiB). */
	bool wrote = write(in[1], server, sl) == (ssize_t)sl;
	close(in[1]);
	if (!wrote) {
		close(in[0]);
		close(out[0]);
		close(out[1]);
		return dd_err_set(err, DD_EIO, "%s: could not write its input", prog);
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	char *argv[] = { prog, (char *)"get", NULL };
	pid_t pid;
	int se = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	if (se) {
		close(out[0]);
		if (se == ENOENT)
			return dd_err_set(err, DD_ENOTFOUND, "%s is not on PATH", prog);
		errno = se;
		return dd_err_sys(err, DD_EIO, "%s: cannot run it", prog);
	}
	size_t cap = DD_LIMIT_CRED_HELPER_OUTPUT, n = 0;
	char *buf = dd_malloc(cap + 1);
	int rr = buf ? read_all(out[0], buf, cap, &n, now_s() + DD_LIMIT_CRED_HELPER_SECONDS) : ENOMEM;
	close(out[0]);
	if (rr)
		kill(pid, SIGKILL);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	dd_code rc = DD_OK;
	struct dd_json_doc doc = { 0 };
	if (rr == ENOMEM) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto out;
	}
	if (rr == ETIMEDOUT) {
		rc = dd_err_set(err, DD_EIO, "%s get: no answer within %d seconds; killed", prog,
				DD_LIMIT_CRED_HELPER_SECONDS);
		goto out;
	}
	if (rr == EFBIG) {
		rc = dd_err_set(err, DD_ELIMIT, "%s get: more than %d bytes of output", prog,
				DD_LIMIT_CRED_HELPER_OUTPUT);
		goto out;
	}
	if (rr) {
		errno = rr;
		rc = dd_err_sys(err, DD_EIO, "%s get: reading its output", prog);
		goto out;
	}
	buf[n] = '\0';
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		char line[160];
		first_line(buf, n, line, sizeof line);
		if (strstr(buf, "credentials not found"))
			rc = dd_err_set(err, DD_ENOTFOUND, "%s has no credentials for %s", prog, server);
		else if (WIFEXITED(st))
			rc = dd_err_set(err, DD_EIO, "%s get: exit status %d: %s", prog, WEXITSTATUS(st), line);
		else
			rc = dd_err_set(err, DD_EIO, "%s get: killed by signal %d", prog, WTERMSIG(st));
		goto out;
	}
	if (dd_json_doc_parse(&doc, (const unsigned char *)buf, n, NULL)) {
		/* The parser's message quotes the text: it may hold the secret. */
		rc = dd_err_set(err, DD_EINVAL, "%s get: its output is not JSON", prog);
		goto out;
	}
	const char *u = dd_json_str(doc.root, "Username"), *s = dd_json_str(doc.root, "Secret");
	if (!u || !s || !s[0]) {
		rc = dd_err_set(err, DD_EINVAL, "%s get: no Username and Secret in its output", prog);
		goto out;
	}
	if (strcmp(u, "<token>") == 0) {
		/* An OAuth2 identity (refresh) token, exchanged at the token
		 * realm with grant_type=refresh_token: not implemented. */
		rc = dd_err_set(err, DD_EUNSUPPORTED,
				"%s get: an identity token for %s, which drydock cannot use yet; "
				"give --username and --password-stdin", prog, server);
		goto out;
	}
	*user = dd_strndup(u, strlen(u));
	*pass = dd_strndup(s, strlen(s));
	if (!*user || !*pass) {
		free(*user);
		free(*pass);
		*user = *pass = NULL;
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
	}
out:
	dd_arena_wipe(doc.arena);
	dd_json_doc_release(&doc);
	if (buf) {
		explicit_bzero(buf, cap + 1);
		free(buf);
	}
	return rc;
}
