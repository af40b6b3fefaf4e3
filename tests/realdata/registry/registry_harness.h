/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Servers for the registry tests: a real Distribution registry
 * (/usr/bin/docker-registry) started on 127.0.0.1:PORT with its config and
 * storage in the test's tmpdir (plain, htpasswd Basic auth, or TLS from a
 * CA the test makes with openssl), images pushed with skopeo, and
 * proxy.py in front when a test needs misbehaviour or request counts.
 * Every server started is stopped by stop_all() (each test calls it; it
 * is also registered with atexit for tests that abort). Header-only so each
 * test executable has its own copy.
 */
#ifndef DD_TEST_REGISTRY_HARNESS_H
#define DD_TEST_REGISTRY_HARNESS_H

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dd_test.h"

#define UNUSED __attribute__((unused))

static pid_t pids[8];
static size_t npids;

UNUSED static void stop_all(void)
{
	for (size_t i = 0; i < npids; i++) {
		kill(pids[i], SIGTERM);
		for (int t = 0; t < 50; t++) {
			if (waitpid(pids[i], NULL, WNOHANG) == pids[i])
				goto next;
			usleep(100000);
		}
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	next:;
	}
	npids = 0;
}

UNUSED static int free_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 ||
	    getsockname(s, (struct sockaddr *)&a, &al) != 0) {
		dd_test_fail(__FILE__, __LINE__, "no free port: %s", strerror(errno));
		dd_test_abort();
	}
	close(s);
	return ntohs(a.sin_port);
}

UNUSED static bool port_open(int port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	bool ok = s >= 0 && connect(s, (struct sockaddr *)&a, sizeof a) == 0;
	if (s >= 0)
		close(s);
	return ok;
}

UNUSED static void spawn(char *const argv[], const char *logname, int port)
{
	char logpath[4096];
	snprintf(logpath, sizeof logpath, "%s/%s", dd_test_tmpdir(), logname);
	pid_t pid = fork();
	if (pid == 0) {
		FILE *f = freopen(logpath, "w", stdout);
		(void)f;
		dup2(STDOUT_FILENO, STDERR_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	ASSERT_TRUE(pid > 0);
	pids[npids++] = pid;
	for (int i = 0; i < 200; i++) {
		if (port_open(port))
			return;
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			npids--;
			break;
		}
		usleep(50000);
	}
	char *out = NULL;
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "cat %s", logpath);
	dd_test_run(cmd, &out);
	dd_test_fail(__FILE__, __LINE__, "%s did not listen on %d: %s", argv[0], port,
		     out ? out : "");
	free(out);
	dd_test_abort();
}

struct reg {
	int port;
	char host[64];     /* 127.0.0.1:PORT */
	char alpine[4096]; /* alpine-310 as an uncompressed docker-archive (skopeo 1.9 reads no gzip) */
};

enum { REG_PLAIN, REG_HTPASSWD, REG_TLS };

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
UNUSED static void sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	char *out = NULL;
	char full[8300];
	snprintf(full, sizeof full, "(%s) 2>&1", cmd);
	int rc = dd_test_run(full, &out);
	if (rc != 0) {
		dd_test_fail(__FILE__, __LINE__, "command failed (%d): %s\n%s", rc, cmd,
			     out ? out : "");
		free(out);
		dd_test_abort();
	}
	free(out);
}

UNUSED static void start_registry(struct reg *r, int kind)
{
	const char *dir = dd_test_tmpdir();
	const char *tgz = dd_test_shared("images/alpine-310.docker.tar.gz");
	if (access("/usr/bin/docker-registry", X_OK) != 0 || access("/usr/bin/skopeo", X_OK) != 0)
		dd_test_skip("docker-registry or skopeo is not installed (scripts/install-deps)");
	atexit(stop_all);
	stop_all();
	r->port = free_port();
	snprintf(r->host, sizeof r->host, "127.0.0.1:%d", r->port);
	snprintf(r->alpine, sizeof r->alpine, "%s/alpine.tar", dir);
	sh("gzip -dc %s > %s", tgz, r->alpine);
	char auth[1024] = "", tls[1024] = "";
	if (kind == REG_HTPASSWD) {
		sh("htpasswd -Bbc %s/htpasswd alice 's3cret pass' >/dev/null 2>&1", dir);
		snprintf(auth, sizeof auth,
			 "auth:\n  htpasswd:\n    realm: drydock-test\n    path: %s/htpasswd\n", dir);
	}
	if (kind == REG_TLS) {
		/* A CA and a server certificate for 127.0.0.1 (SAN IP), made here. */
		sh("cd %s && openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=drydock-test-ca "
		   "-keyout ca.key -out ca.pem >/dev/null 2>&1 && "
		   "openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout srv.key -out srv.csr "
		   ">/dev/null 2>&1 && printf 'subjectAltName=IP:127.0.0.1\\n' > ext.cnf && "
		   "openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
		   "-extfile ext.cnf -out srv.pem >/dev/null 2>&1", dir);
		snprintf(tls, sizeof tls, "  tls:\n    certificate: %s/srv.pem\n    key: %s/srv.key\n",
			 dir, dir);
	}
	char cfg[4096];
	int n = snprintf(cfg, sizeof cfg,
			 "version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\n"
			 "storage:\n  filesystem:\n    rootdirectory: %s/storage\n"
			 "http:\n  addr: 127.0.0.1:%d\n%s%s",
			 dir, r->port, tls, auth);
	const char *cfgpath = dd_test_write("registry.yml", cfg, (size_t)n);
	char cfgcopy[4096];
	snprintf(cfgcopy, sizeof cfgcopy, "%s", cfgpath);
	char *argv[] = { (char *)"/usr/bin/docker-registry", (char *)"serve", cfgcopy, NULL };
	spawn(argv, "registry.log", r->port);
}

UNUSED static void push(const struct reg *r, const char *archive, const char *dest, const char *extra)
{
	sh("skopeo copy --insecure-policy --dest-tls-verify=false %s docker-archive:%s "
	   "docker://%s/%s >/dev/null", extra ? extra : "", archive, r->host, dest);
}

/* Starts proxy.py in front of r; returns its port (storage port in *storage). */
UNUSED static int start_proxy(const struct reg *r, const char *flags, int *storage)
{
	char script[4096], up[16], listen[16], st[16], log[4096];
	const char *src = getenv("DD_SOURCE_DIR");
	ASSERT_TRUE(src != NULL);
	snprintf(script, sizeof script, "%s/tests/realdata/registry/proxy.py", src);
	int port = free_port();
	snprintf(listen, sizeof listen, "%d", port);
	snprintf(up, sizeof up, "%d", r->port);
	snprintf(log, sizeof log, "%s/requests.log", dd_test_tmpdir());
	char *argv[16] = { (char *)"/usr/bin/python3", script, (char *)"--listen", listen,
			   (char *)"--upstream", up, (char *)"--log", log };
	size_t ac = 8;
	if (storage) {
		*storage = free_port();
		snprintf(st, sizeof st, "%d", *storage);
		argv[ac++] = (char *)"--storage";
		argv[ac++] = st;
	}
	char fl[256];
	snprintf(fl, sizeof fl, "%s", flags);
	for (char *save = NULL, *t = strtok_r(fl, " ", &save); t && ac < 15;
	     t = strtok_r(NULL, " ", &save))
		argv[ac++] = t;
	argv[ac] = NULL;
	spawn(argv, "proxy.log", port);
	return port;
}

/* Lines of the proxy's request log containing every given word. */
UNUSED static int count_requests(const char *w1, const char *w2)
{
	char path[4096], line[8192];
	snprintf(path, sizeof path, "%s/requests.log", dd_test_tmpdir());
	FILE *f = fopen(path, "r");
	int n = 0;
	while (f && fgets(line, sizeof line, f))
		if (strstr(line, w1) && (!w2 || strstr(line, w2)))
			n++;
	if (f)
		fclose(f);
	return n;
}

#endif
