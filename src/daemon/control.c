// SPDX-License-Identifier: GPL-2.0-only
/*
 * control - the control socket: accept (same uid or root, by SO_PEERCRED),
 * split input into lines, hand each to control_ops, queue the replies.
 *
 * Requests on one connection are answered in order: while a stop waits for
 * a client to let go, later lines stay buffered and the loop serves
 * everyone else.
 */
#include "control.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control_ops.h"
#include "log.h"
#include "utf8.h"
#include "vfio-user/accept_guard.h"

struct control_conn {
	struct control_server *cs;
	int fd;
	uid_t uid;
	pid_t pid;
	char *in; /* unprocessed input */
	size_t in_len;
	char *out; /* unsent output */
	size_t out_len;
	bool closing; /* close once the output is sent */
	bool in_handler; /* freeing is deferred to the end of the handler */
	bool dead;
	struct device_removal *pending; /* the stop we are waiting for */
	struct control_conn *prev, *next;
};

struct control_server {
	int fd;
	char path[108];
	struct event_loop *loop;
	struct control_ops_ctx ops;
	struct control_conn *conns;
	unsigned int nr_conns;
	unsigned int max_conns;
	unsigned int max_conns_per_peer;
	size_t max_output;
};

/* Too many unsent replies: read no more requests until some are gone. */
static bool control_conn_backlogged(const struct control_conn *conn)
{
	return conn->out_len >= conn->cs->max_output;
}

static void control_conn_free(struct control_conn *conn)
{
	struct control_server *cs = conn->cs;

	if (conn->pending)
		device_removal_forget(conn->pending);
	event_loop_unwatch(cs->loop, conn->fd);
	close(conn->fd);
	if (conn->prev)
		conn->prev->next = conn->next;
	else
		cs->conns = conn->next;
	if (conn->next)
		conn->next->prev = conn->prev;
	cs->nr_conns--;
	free(conn->in);
	free(conn->out);
	free(conn);
}

static void control_conn_update_events(struct control_conn *conn)
{
	uint32_t events = conn->out_len ? EPOLLOUT : 0;

	/*
	 * Stop reading while a reply is owed, while the client leaves too
	 * many replies unread, or when we are closing.
	 */
	if (!conn->pending && !conn->closing && !control_conn_backlogged(conn))
		events |= EPOLLIN;
	event_loop_modify(conn->cs->loop, conn->fd, events);
}

static void control_conn_flush(struct control_conn *conn)
{
	while (conn->out_len) {
		ssize_t n = send(conn->fd, conn->out, conn->out_len,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			conn->dead = true;
			return;
		}
		memmove(conn->out, conn->out + n, conn->out_len - n);
		conn->out_len -= n;
	}
	if (!conn->out_len && conn->closing)
		conn->dead = true;
}

static void control_conn_put(struct control_conn *conn, json_object *reply)
{
	const char *text =
		json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN);
	size_t len = strlen(text);
	char *out;

	if (conn->out_len + len + 1 >
	    conn->cs->max_output * CONTROL_HARD_OUTPUT_FACTOR) {
		log_msg(LOG_LEVEL_WARN,
			"control: pid %d reads none of its replies (%zu bytes unsent): disconnected",
			(int)conn->pid, conn->out_len);
		conn->dead = true;
		json_object_put(reply);
		return;
	}
	out = realloc(conn->out, conn->out_len + len + 1);
	if (!out) {
		conn->dead = true;
	} else {
		conn->out = out;
		memcpy(out + conn->out_len, text, len);
		/* Strings from drivers or the system: never send bad UTF-8. */
		utf8_sanitize(out + conn->out_len, len);
		out[conn->out_len + len] = '\n';
		conn->out_len += len + 1;
		control_conn_flush(conn);
	}
	json_object_put(reply);
}

/* Answer every complete line, in order, until one's reply is deferred. */
static void control_conn_process(struct control_conn *conn)
{
	char *nl;

	while (!conn->pending && !conn->dead &&
	       !control_conn_backlogged(conn) &&
	       (nl = memchr(conn->in, '\n', conn->in_len))) {
		size_t line_len = nl - conn->in + 1;
		json_object *reply;

		*nl = '\0';
		/* The ops see a C string: a NUL inside would hide the rest. */
		if (strlen(conn->in) != line_len - 1)
			reply = control_ops_error(
				EINVAL,
				"request is not valid JSON (a NUL byte)");
		else
			reply = control_ops_handle(&conn->cs->ops, conn,
						   conn->in);
		memmove(conn->in, conn->in + line_len, conn->in_len - line_len);
		conn->in_len -= line_len;
		if (reply)
			control_conn_put(conn, reply);
	}
	if (!conn->pending && !conn->dead && conn->in_len >= CONTROL_MAX_LINE &&
	    !memchr(conn->in, '\n', conn->in_len)) {
		control_conn_put(
			conn,
			control_ops_error(EMSGSIZE,
					  "request line longer than %d bytes",
					  CONTROL_MAX_LINE));
		conn->closing = true;
		control_conn_flush(conn);
	}
}

static void control_conn_finish_handler(struct control_conn *conn)
{
	conn->in_handler = false;
	if (conn->dead)
		control_conn_free(conn);
	else
		control_conn_update_events(conn);
}

static void control_conn_read(struct control_conn *conn)
{
	char *in;
	ssize_t n;

	if (conn->in_len >= CONTROL_MAX_LINE)
		return;
	in = realloc(conn->in, CONTROL_MAX_LINE + 1);
	if (!in) {
		conn->dead = true;
		return;
	}
	conn->in = in;
	n = recv(conn->fd, conn->in + conn->in_len,
		 CONTROL_MAX_LINE - conn->in_len, MSG_DONTWAIT);
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			conn->dead = true;
		return;
	}
	if (n == 0) {
		/* The peer is done sending: answer what it sent, then close. */
		conn->closing = true;
		control_conn_process(conn);
		if (!conn->out_len && !conn->pending)
			conn->dead = true;
		return;
	}
	conn->in_len += n;
	control_conn_process(conn);
}

static void control_conn_event(void *arg, uint32_t revents)
{
	struct control_conn *conn = arg;

	conn->in_handler = true;
	if (revents & EPOLLOUT) {
		control_conn_flush(conn);
		/* Room again: answer the lines that waited meanwhile. */
		if (!conn->dead)
			control_conn_process(conn);
	}
	if (!conn->dead && (revents & (EPOLLIN | EPOLLHUP | EPOLLERR)) &&
	    !conn->closing)
		control_conn_read(conn);
	else if (revents & (EPOLLHUP | EPOLLERR))
		conn->dead = true;
	/*
	 * Gone, and its input buffer full of lines that wait for room in
	 * the output: nothing more can be read, so the hang-up would be
	 * reported again at once, forever.
	 */
	if (!conn->dead && (revents & (EPOLLHUP | EPOLLERR)) &&
	    conn->in_len >= CONTROL_MAX_LINE)
		conn->dead = true;
	control_conn_finish_handler(conn);
}

void control_conn_defer(struct control_conn *conn,
			struct device_removal *removal)
{
	conn->pending = removal;
}

void control_conn_complete(struct control_conn *conn, json_object *reply)
{
	bool nested = conn->in_handler;

	conn->pending = NULL;
	conn->in_handler = true;
	control_conn_put(conn, reply);
	/* The lines that arrived meanwhile can now be answered. */
	control_conn_process(conn);
	if (conn->closing && !conn->out_len && !conn->pending)
		conn->dead = true;
	if (!nested)
		control_conn_finish_handler(conn);
}

static bool control_peer_allowed(int fd, uid_t *uid, pid_t *pid)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return false;
	*uid = cred.uid;
	*pid = cred.pid;
	return cred.uid == 0 || cred.uid == geteuid();
}

static const char control_out_of_fds[] =
	"{\"ok\":false,\"errno\":24,\"error\":\"umdevd is out of file descriptors\"}\n";

/* Refuse (EMFILE on the wire) a connection past a limit; true if refused. */
static bool control_over_limit(struct control_server *cs, int fd, pid_t pid)
{
	const struct control_conn *c;
	unsigned int mine = 0;
	json_object *reply;
	const char *text;

	for (c = cs->conns; c; c = c->next)
		mine += c->pid == pid;
	if (cs->nr_conns < cs->max_conns && mine < cs->max_conns_per_peer)
		return false;
	if (cs->nr_conns >= cs->max_conns)
		reply = control_ops_error(
			EMFILE,
			"too many control connections (%u open, --max-control-connections)",
			cs->nr_conns);
	else
		reply = control_ops_error(
			EMFILE,
			"too many control connections from pid %d (%u open, --max-control-per-peer)",
			(int)pid, mine);
	text = json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN);
	send(fd, text, strlen(text), MSG_DONTWAIT | MSG_NOSIGNAL);
	send(fd, "\n", 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	close(fd);
	log_msg(LOG_LEVEL_WARN, "control: refused: %s",
		json_object_get_string(json_object_object_get(reply, "error")));
	json_object_put(reply);
	return true;
}

static void control_server_accept(void *arg, uint32_t revents)
{
	struct control_server *cs = arg;
	struct control_conn *conn;
	uid_t uid = (uid_t)-1;
	pid_t pid = 0;
	int fd;

	fd = accept_guard_accept(cs->fd, control_out_of_fds,
				 sizeof(control_out_of_fds) - 1);
	if (fd == -EMFILE || fd == -ENFILE) {
		log_msg(LOG_LEVEL_WARN,
			"control: connection refused: out of file descriptors (%s)",
			strerror(-fd));
		return;
	}
	if (fd < 0)
		return;
	if (!control_peer_allowed(fd, &uid, &pid)) {
		log_msg(LOG_LEVEL_WARN,
			"control: refused connection from uid %u (pid %d)",
			(unsigned int)uid, (int)pid);
		close(fd);
		return;
	}
	if (control_over_limit(cs, fd, pid))
		return;
	conn = calloc(1, sizeof(*conn));
	if (!conn) {
		close(fd);
		return;
	}
	conn->cs = cs;
	conn->fd = fd;
	conn->uid = uid;
	conn->pid = pid;
	if (event_loop_watch(cs->loop, fd, EPOLLIN, control_conn_event, conn)) {
		close(fd);
		free(conn);
		return;
	}
	conn->next = cs->conns;
	if (cs->conns)
		cs->conns->prev = conn;
	cs->conns = conn;
	cs->nr_conns++;
	log_msg(LOG_LEVEL_DEBUG, "control: connection from pid %d", (int)pid);
}

/* A listening socket at @path, mode 0600 from the start; fd or -errno. */
static int control_listen(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	mode_t old_umask;
	int fd, ret;

	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	/* Never a moment where others could connect. */
	old_umask = umask(0177);
	ret = bind(fd, (struct sockaddr *)&addr, sizeof(addr));
	umask(old_umask);
	if (ret < 0 || listen(fd, 16) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

struct control_server *control_server_new(const struct control_config *cfg)
{
	struct sockaddr_un addr;
	struct control_server *cs;
	int ret;

	if (strlen(cfg->socket_path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	cs = calloc(1, sizeof(*cs));
	if (!cs)
		return NULL;
	strcpy(cs->path, cfg->socket_path);
	cs->loop = cfg->loop;
	cs->ops.core = cfg->core;
	cs->ops.devices = cfg->devices;
	cs->ops.loader = cfg->loader;
	cs->max_conns = cfg->max_conns ? cfg->max_conns :
					 CONTROL_DEFAULT_MAX_CONNS;
	cs->max_conns_per_peer = cfg->max_conns_per_peer ?
					 cfg->max_conns_per_peer :
					 CONTROL_DEFAULT_MAX_CONNS_PER_PEER;
	cs->max_output = cfg->max_output ? cfg->max_output :
					   CONTROL_DEFAULT_MAX_OUTPUT;
	ret = accept_guard_init();
	if (ret)
		goto err_free;
	cs->ops.mgmt = cfg->mgmt;
	cs->fd = control_listen(cs->path);
	if (cs->fd < 0) {
		ret = cs->fd;
		goto err_free;
	}
	ret = event_loop_watch(cs->loop, cs->fd, EPOLLIN, control_server_accept,
			       cs);
	if (ret)
		goto err_close;
	return cs;

err_close:
	close(cs->fd);
	unlink(cs->path);
err_free:
	free(cs);
	errno = -ret;
	return NULL;
}

void control_server_free(struct control_server *cs)
{
	if (!cs)
		return;
	while (cs->conns)
		control_conn_free(cs->conns);
	event_loop_unwatch(cs->loop, cs->fd);
	close(cs->fd);
	unlink(cs->path);
	free(cs);
}
