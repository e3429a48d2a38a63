// SPDX-License-Identifier: GPL-2.0-only
/*
 * e2e_harness - see e2e_harness.h.
 */
#include "e2e_harness.h"
#include "fd_io.h"

#include <umdev/client.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *e2e_build_path(const char *rel)
{
	static char buf[PATH_MAX];
	const char *build = getenv("UMDEV_BUILD_DIR");

	if (!build || !*build)
		build = E2E_DEFAULT_BUILD_DIR;
	snprintf(buf, sizeof(buf), "%s/%s", build, rel);
	return buf;
}

static char *e2e_slurp(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;

	while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (len + 1 >= cap) {
			char *bigger = realloc(buf, cap * 2);

			if (!bigger)
				break;
			buf = bigger;
			cap *= 2;
		}
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

static int e2e_read_line_timeout(int fd, char *buf, size_t len, int ms)
{
	size_t n = 0;

	while (n + 1 < len) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&pfd, 1, ms) <= 0)
			return -ETIMEDOUT;
		r = read(fd, buf + n, 1);
		if (r <= 0)
			return -ECONNRESET;
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	return (int)n;
}

int e2e_daemon_start(struct e2e_daemon *d, const char *const *extra_args)
{
	const char *argv[32];
	char line[256];
	int out[2], argc = 0, logfd, ret, i;

	memset(d, 0, sizeof(*d));
	strcpy(d->tmp_dir, "/tmp/umdev-e2e-XXXXXX");
	if (!mkdtemp(d->tmp_dir))
		return -errno;
	snprintf(d->runtime_dir, sizeof(d->runtime_dir), "%s/run", d->tmp_dir);
	snprintf(d->log_path, sizeof(d->log_path), "%s/umdevd.log", d->tmp_dir);
	snprintf(d->control_path, sizeof(d->control_path), "%s/control.sock",
		 d->runtime_dir);

	argv[argc++] = e2e_build_path("src/daemon/umdevd");
	argv[argc++] = "--runtime-dir";
	argv[argc++] = d->runtime_dir;
	argv[argc++] = "--verbose";
	/* Definitions in the test's own directory, never /etc/mdevctl.d. */
	snprintf(d->config_dir, sizeof(d->config_dir), "%s/config", d->tmp_dir);
	for (i = 0; extra_args && extra_args[i]; i++)
		if (!strcmp(extra_args[i], "--config-dir"))
			break;
	if (!extra_args || !extra_args[i]) {
		argv[argc++] = "--config-dir";
		argv[argc++] = d->config_dir;
	}
	/* Stops of held devices end in bounded time unless a test says. */
	for (i = 0; extra_args && extra_args[i]; i++)
		if (!strcmp(extra_args[i], "--remove-timeout-ms"))
			break;
	if (!extra_args || !extra_args[i]) {
		argv[argc++] = "--remove-timeout-ms";
		argv[argc++] = "2000";
	}
	while (extra_args && *extra_args && argc < 30)
		argv[argc++] = *extra_args++;
	argv[argc] = NULL;

	logfd = open(d->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		     0600);
	if (logfd < 0 || pipe2(out, O_CLOEXEC) < 0)
		return -errno;
	d->pid = fork();
	if (d->pid < 0)
		return -errno;
	if (d->pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		dup2(logfd, STDERR_FILENO);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(logfd);
	ret = e2e_read_line_timeout(out[0], line, sizeof(line), E2E_WAIT_MS);
	close(out[0]);
	if (ret < 0 || !strstr(line, "umdevd: ready")) {
		fprintf(stderr, "# umdevd did not become ready (%s)\n",
			ret < 0 ? strerror(-ret) : line);
		kill(d->pid, SIGKILL);
		waitpid(d->pid, NULL, 0);
		d->pid = 0;
		return ret < 0 ? ret : -EPROTO;
	}
	return 0;
}

static void e2e_remove_tree(const char *dir)
{
	struct dirent *de;
	char path[PATH_MAX * 2];
	DIR *dp = opendir(dir);

	if (!dp)
		return;
	while ((de = readdir(dp))) {
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			e2e_remove_tree(path);
		else
			unlink(path);
	}
	closedir(dp);
	rmdir(dir);
}

int e2e_daemon_stop(struct e2e_daemon *d)
{
	int status = 0, ret = 0;

	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		if (waitpid(d->pid, &status, 0) < 0)
			ret = -1;
		else
			ret = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	}
	d->pid = 0;
	if (getenv("UMDEV_KEEP_TEST_DIRS"))
		fprintf(stderr, "# kept %s\n", d->tmp_dir);
	else
		e2e_remove_tree(d->tmp_dir);
	return ret;
}

bool e2e_daemon_log_contains(struct e2e_daemon *d, const char *needle)
{
	int fd = open(d->log_path, O_RDONLY | O_CLOEXEC);
	char *log = NULL;
	bool found;

	if (fd < 0)
		return false;
	log = e2e_slurp(fd);
	close(fd);
	found = log && strstr(log, needle);
	free(log);
	return found;
}

int e2e_fd_count(pid_t pid)
{
	char path[64];
	struct dirent *de;
	int n = 0;
	DIR *dp;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dp = opendir(path);
	if (!dp)
		return -errno;
	while ((de = readdir(dp)))
		if (de->d_name[0] != '.')
			n++;
	closedir(dp);
	return n;
}

int e2e_fd_count_settle(pid_t pid, int want)
{
	int n = e2e_fd_count(pid), i;

	for (i = 0; n != want && i < E2E_WAIT_MS / 5; i++) {
		usleep(5000);
		n = e2e_fd_count(pid);
	}
	return n;
}

int e2e_runtime_sockets(struct e2e_daemon *d)
{
	struct dirent *de;
	int n = 0;
	DIR *dp = opendir(d->runtime_dir);

	if (!dp)
		return -errno;
	while ((de = readdir(dp))) {
		size_t len = strlen(de->d_name);

		if (len > 5 && !strcmp(de->d_name + len - 5, ".sock"))
			n++;
	}
	closedir(dp);
	return n;
}

static int e2e_unix_connect(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int e2e_control_connect(struct e2e_daemon *d)
{
	return e2e_unix_connect(d->control_path);
}

int e2e_control_send(int fd, const char *line)
{
	size_t len = strlen(line);
	int ret = e2e_raw_send_bytes(fd, line, len);

	return ret ? ret : e2e_raw_send_bytes(fd, "\n", 1);
}

json_object *e2e_control_recv(int fd)
{
	static char line[1 << 20];

	if (e2e_read_line_timeout(fd, line, sizeof(line), E2E_WAIT_MS) < 0)
		return NULL;
	return json_tokener_parse(line);
}

json_object *e2e_control(struct e2e_daemon *d, const char *line)
{
	json_object *reply = NULL;
	int fd = e2e_control_connect(d);

	if (fd < 0)
		return NULL;
	if (!e2e_control_send(fd, line))
		reply = e2e_control_recv(fd);
	/*
	 * Hang up and wait for the daemon to close its end: when this
	 * returns, the daemon holds no fd for this connection any more, so
	 * callers can count its fds right away.
	 */
	shutdown(fd, SHUT_WR);
	e2e_wait_closed(fd);
	close(fd);
	return reply;
}

int e2e_reply_errno(json_object *reply)
{
	json_object *v;

	if (!reply || !json_object_object_get_ex(reply, "ok", &v))
		return -EPROTO;
	if (json_object_get_boolean(v))
		return 0;
	if (!json_object_object_get_ex(reply, "errno", &v))
		return -EPROTO;
	return -json_object_get_int(v);
}

static int e2e_request_errno(struct e2e_daemon *d, const char *line)
{
	json_object *reply = e2e_control(d, line);
	int ret = e2e_reply_errno(reply);

	json_object_put(reply);
	return ret;
}

int e2e_start(struct e2e_daemon *d, const char *uuid, const char *type)
{
	char line[256];

	snprintf(
		line, sizeof(line),
		"{\"op\":\"start\",\"uuid\":\"%s\",\"parent\":\"mtty\",\"type\":\"%s\"}",
		uuid, type);
	return e2e_request_errno(d, line);
}

int e2e_stop(struct e2e_daemon *d, const char *uuid)
{
	char line[128];

	snprintf(line, sizeof(line), "{\"op\":\"stop\",\"uuid\":\"%s\"}", uuid);
	return e2e_request_errno(d, line);
}

const char *e2e_device_socket(struct e2e_daemon *d, const char *uuid)
{
	/* Per thread: test_stress's clients ask for their paths at once. */
	static __thread char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s/%s.sock", d->runtime_dir, uuid);
	return buf;
}

int e2e_raw_connect(const char *path)
{
	return e2e_unix_connect(path);
}

int e2e_raw_send_bytes(int fd, const void *buf, size_t len)
{
	return fd_io_send_all(fd, buf, len);
}

int e2e_raw_send(int fd, uint16_t id, uint16_t cmd, uint32_t flags,
		 const void *payload, size_t len, const int *fds, size_t nr_fds)
{
	struct e2e_vu_hdr hdr = {
		.msg_id = id,
		.command = cmd,
		.size = (uint32_t)(sizeof(hdr) + len),
		.flags = flags,
	};
	struct iovec iov[2] = {
		{ .iov_base = &hdr, .iov_len = sizeof(hdr) },
		{ .iov_base = (void *)payload, .iov_len = len },
	};
	union {
		char buf[CMSG_SPACE(sizeof(int) * 64)];
		struct cmsghdr align;
	} ctl;
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };
	size_t total = sizeof(hdr) + len, sent = 0;
	ssize_t n;

	if (nr_fds > 64)
		return -EINVAL;
	if (nr_fds) {
		struct cmsghdr *cmsg;

		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * nr_fds);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int) * nr_fds);
		memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * nr_fds);
	}
	n = sendmsg(fd, &msg, MSG_NOSIGNAL);
	if (n < 0)
		return -errno;
	sent = (size_t)n;
	if (sent < total) {
		/* The rest, without fds (they went with the first byte). */
		char *flat = malloc(total);
		int ret;

		if (!flat)
			return -ENOMEM;
		memcpy(flat, &hdr, sizeof(hdr));
		if (len)
			memcpy(flat + sizeof(hdr), payload, len);
		ret = e2e_raw_send_bytes(fd, flat + sent, total - sent);
		free(flat);
		return ret;
	}
	return 0;
}

static int e2e_recv_exact(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, E2E_WAIT_MS) <= 0)
			return -ETIMEDOUT;
		n = recv(fd, p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == ECONNRESET ? -ECONNRESET : -errno;
		if (n == 0)
			return -ECONNRESET;
		p += n;
		len -= n;
	}
	return 0;
}

int e2e_raw_recv(int fd, struct e2e_vu_hdr *hdr, void *payload, size_t len)
{
	size_t body, keep;
	char scratch[256];
	int ret;

	ret = e2e_recv_exact(fd, hdr, sizeof(*hdr));
	if (ret)
		return ret;
	if (hdr->size < sizeof(*hdr))
		return -EPROTO;
	body = hdr->size - sizeof(*hdr);
	keep = body < len ? body : len;
	ret = e2e_recv_exact(fd, payload, keep);
	if (ret)
		return ret;
	for (body -= keep; body;) {
		size_t chunk = body < sizeof(scratch) ? body : sizeof(scratch);

		ret = e2e_recv_exact(fd, scratch, chunk);
		if (ret)
			return ret;
		body -= chunk;
	}
	return (int)keep;
}

int e2e_raw_negotiate(int fd)
{
	char payload[512];
	struct e2e_vu_hdr hdr;
	uint16_t ver[2] = { 0, 0 };
	size_t len = sizeof(ver) + sizeof(E2E_QEMU_CAPS);
	int ret;

	memcpy(payload, ver, sizeof(ver));
	memcpy(payload + sizeof(ver), E2E_QEMU_CAPS, sizeof(E2E_QEMU_CAPS));
	ret = e2e_raw_send(fd, 1, UMDEV_VU_CMD_VERSION, 0, payload, len, NULL,
			   0);
	if (ret)
		return ret;
	ret = e2e_raw_recv(fd, &hdr, payload, sizeof(payload));
	if (ret < 0)
		return ret;
	if (hdr.flags & UMDEV_VU_FLAG_ERROR)
		return -(int)hdr.error;
	return 0;
}

bool e2e_wait_closed(int fd)
{
	char buf[256];

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, E2E_WAIT_MS) <= 0)
			return false;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return true;
		if (n < 0 && errno != EINTR)
			return false;
	}
}

uint64_t e2e_eventfd_count(int efd)
{
	uint64_t count = 0;
	int flags = fcntl(efd, F_GETFL);

	fcntl(efd, F_SETFL, flags | O_NONBLOCK);
	if (read(efd, &count, sizeof(count)) != sizeof(count))
		count = 0;
	fcntl(efd, F_SETFL, flags);
	return count;
}

uint64_t e2e_eventfd_wait(int efd)
{
	struct pollfd pfd = { .fd = efd, .events = POLLIN };

	if (poll(&pfd, 1, E2E_WAIT_MS) <= 0)
		return 0;
	return e2e_eventfd_count(efd);
}

int e2e_run(char *const argv[], const char *input, char **out, char **err)
{
	char tmpl_out[] = "/tmp/umdev-e2e-out-XXXXXX";
	char tmpl_err[] = "/tmp/umdev-e2e-err-XXXXXX";
	int in[2], ofd, efd, status;
	pid_t pid;

	ofd = mkstemp(tmpl_out);
	efd = mkstemp(tmpl_err);
	if (ofd < 0 || efd < 0 || pipe2(in, O_CLOEXEC) < 0)
		return -1;
	unlink(tmpl_out);
	unlink(tmpl_err);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(ofd, STDOUT_FILENO);
		dup2(efd, STDERR_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	if (input && write(in[1], input, strlen(input)) < 0)
		perror("# write to child stdin");
	close(in[1]);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	lseek(ofd, 0, SEEK_SET);
	lseek(efd, 0, SEEK_SET);
	if (out)
		*out = e2e_slurp(ofd);
	if (err)
		*err = e2e_slurp(efd);
	close(ofd);
	close(efd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

long e2e_rss_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* The child of e2e_health(): 0 if all answered as they must. */
static int e2e_health_child(struct e2e_daemon *d, const char *uuid)
{
	json_object *reply = e2e_control(d, "{\"op\":\"list\"}");
	struct umdev_client *c;
	uint32_t id = 0;
	int ok, err = 0;

	ok = reply && e2e_reply_errno(reply) == 0;
	json_object_put(reply);
	if (!ok) {
		fprintf(stderr,
			"# health: control \"list\" got no good reply\n");
		return 1;
	}
	c = umdev_client_connect(e2e_device_socket(d, uuid), &err);
	if (!c) {
		fprintf(stderr, "# health: device %s: connect: %s\n", uuid,
			strerror(-err));
		return 1;
	}
	err = umdev_client_read(c, VFIO_PCI_CONFIG_REGION_INDEX, 0, &id, 4);
	umdev_client_close(c);
	if (err != 4 || id != E2E_MTTY_ID) {
		fprintf(stderr, "# health: device %s: config read %d id %08x\n",
			uuid, err, id);
		return 1;
	}
	return 0;
}

int e2e_health(struct e2e_daemon *d, const char *uuid)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(e2e_health_child(d, uuid));
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}
