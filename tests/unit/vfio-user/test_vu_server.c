// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vfio-user server in a small poll() loop on a background thread,
 * serving a fake device created through the real mdev core; the client
 * library (and raw messages) against it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include <umdev/client.h>
#include <umdev/mdev_host.h>

#include "vfio-user/server.h"
#include "vfio-user/version.h"
#include "vfio-user/wire.h"

#define UUID "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b"
#define BAR2_SIZE (1u << 20)

/* ---- the fake device ---- */

struct fake {
	uint8_t bar0[8];
	uint8_t *bar2;
	uint8_t cfg[256];
	int irq_fd[VFIO_PCI_NUM_IRQS];
	int opens, closes, resets;
	uint32_t set_irqs_argsz; /* argsz of the last SET_IRQS */
};

static struct fake fake;

static int fake_open(struct mdev_device *mdev)
{
	fake.opens++;
	return 0;
}

static void fake_close(struct mdev_device *mdev)
{
	int i;

	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
		if (fake.irq_fd[i] >= 0)
			close(fake.irq_fd[i]);
		fake.irq_fd[i] = -1;
	}
	fake.closes++;
}

static int fake_get_info(struct mdev_device *mdev,
			 struct vfio_device_info *info)
{
	info->flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info->num_regions = VFIO_PCI_NUM_REGIONS;
	info->num_irqs = VFIO_PCI_NUM_IRQS;
	return 0;
}

static uint8_t *fake_region(uint32_t index, uint64_t *size)
{
	switch (index) {
	case VFIO_PCI_BAR0_REGION_INDEX:
		*size = sizeof(fake.bar0);
		return fake.bar0;
	case VFIO_PCI_BAR2_REGION_INDEX:
		*size = BAR2_SIZE;
		return fake.bar2;
	case VFIO_PCI_CONFIG_REGION_INDEX:
		*size = sizeof(fake.cfg);
		return fake.cfg;
	}
	*size = 0;
	return NULL;
}

static int fake_get_region_info(struct mdev_device *mdev,
				struct vfio_region_info *info)
{
	uint64_t size;

	if (info->index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	info->offset = (uint64_t)info->index << 40;
	info->flags = 0;
	if (fake_region(info->index, &size))
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE;
	info->size = size;
	return 0;
}

static int fake_get_irq_info(struct mdev_device *mdev,
			     struct vfio_irq_info *info)
{
	if (info->index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	info->flags = VFIO_IRQ_INFO_EVENTFD;
	info->count = 1;
	return 0;
}

static void fake_trigger(uint32_t index)
{
	if (fake.irq_fd[index] >= 0)
		eventfd_write(fake.irq_fd[index], 1);
}

static int fake_set_irqs(struct mdev_device *mdev,
			 const struct vfio_irq_set *set, const void *data)
{
	uint32_t dtype = set->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;

	fake.set_irqs_argsz = set->argsz;
	if (!(set->flags & VFIO_IRQ_SET_ACTION_TRIGGER))
		return -EINVAL;
	if (dtype == VFIO_IRQ_SET_DATA_EVENTFD) {
		const int32_t *fds = data;

		if (set->count == 0)
			return 0;
		if (fake.irq_fd[set->index] >= 0)
			close(fake.irq_fd[set->index]);
		fake.irq_fd[set->index] = fds[0];
		return 0;
	}
	if (set->count &&
	    (dtype == VFIO_IRQ_SET_DATA_NONE || ((const uint8_t *)data)[0]))
		fake_trigger(set->index);
	return 0;
}

static long fake_read(struct mdev_device *mdev, uint32_t index, uint64_t offset,
		      void *buf, uint32_t count)
{
	uint64_t size;
	uint8_t *r = fake_region(index, &size);

	if (!r || offset > size || count > size - offset)
		return -EINVAL;
	memcpy(buf, r + offset, count);
	return count;
}

static long fake_write(struct mdev_device *mdev, uint32_t index,
		       uint64_t offset, const void *buf, uint32_t count)
{
	uint64_t size;
	uint8_t *r = fake_region(index, &size);

	if (!r || offset > size || count > size - offset)
		return -EINVAL;
	memcpy(r + offset, buf, count);
	/* Writing 0xaa to BAR0[0] raises INTx. */
	if (index == 0 && offset == 0 && r[0] == 0xaa)
		fake_trigger(VFIO_PCI_INTX_IRQ_INDEX);
	return count;
}

static int fake_reset(struct mdev_device *mdev)
{
	memset(fake.bar0, 0, sizeof(fake.bar0));
	fake.resets++;
	return 0;
}

static const struct umdev_device_ops fake_ops = {
	.open = fake_open,
	.close = fake_close,
	.get_info = fake_get_info,
	.get_region_info = fake_get_region_info,
	.get_irq_info = fake_get_irq_info,
	.set_irqs = fake_set_irqs,
	.read = fake_read,
	.write = fake_write,
	.reset = fake_reset,
};

static int fake_probe(struct mdev_device *mdev)
{
	return 0;
}

static void fake_remove(struct mdev_device *mdev)
{
}

static const struct mdev_driver fake_driver = {
	.name = "fake",
	.device_ops = &fake_ops,
	.probe = fake_probe,
	.remove = fake_remove,
};

static const struct mdev_type_desc fake_types[] = {
	{ .name = "1",
	  .pretty_name = "Fake",
	  .device_api = "vfio-pci",
	  .max_instances = 1 },
};

/* ---- a tiny poll() event loop on its own thread ---- */

#define LOOP_MAX 8

struct watch {
	int fd;
	uint32_t events;
	void (*cb)(void *arg, uint32_t revents);
	void *arg;
};

static struct {
	struct watch w[LOOP_MAX];
	int wake[2];
	void (*call_fn)(void *);
	void *call_arg;
	sem_t done;
	bool stop;
	pthread_t thread;
} loop;

static int loop_watch(void *l, int fd, uint32_t events,
		      void (*cb)(void *arg, uint32_t revents), void *arg)
{
	int i;

	for (i = 0; i < LOOP_MAX; i++) {
		if (loop.w[i].fd < 0) {
			loop.w[i] = (struct watch){ fd, events, cb, arg };
			return 0;
		}
	}
	return -ENOSPC;
}

static int loop_modify(void *l, int fd, uint32_t events)
{
	int i;

	for (i = 0; i < LOOP_MAX; i++) {
		if (loop.w[i].fd == fd) {
			loop.w[i].events = events;
			return 0;
		}
	}
	return -ENOENT;
}

static void loop_unwatch(void *l, int fd)
{
	int i;

	for (i = 0; i < LOOP_MAX; i++)
		if (loop.w[i].fd == fd)
			loop.w[i].fd = -1;
}

static const struct vu_loop_ops loop_ops = {
	.watch = loop_watch,
	.modify = loop_modify,
	.unwatch = loop_unwatch,
};

static void *loop_main(void *unused)
{
	while (!loop.stop) {
		struct pollfd pfd[LOOP_MAX + 1];
		struct watch snap[LOOP_MAX];
		int i, n = 0;

		for (i = 0; i < LOOP_MAX; i++) {
			if (loop.w[i].fd < 0)
				continue;
			snap[n] = loop.w[i];
			pfd[n].fd = loop.w[i].fd;
			pfd[n].events =
				(loop.w[i].events & EPOLLIN ? POLLIN : 0) |
				(loop.w[i].events & EPOLLOUT ? POLLOUT : 0);
			n++;
		}
		pfd[n].fd = loop.wake[0];
		pfd[n].events = POLLIN;
		if (poll(pfd, n + 1, -1) < 0)
			continue;
		for (i = 0; i < n; i++) {
			uint32_t ev = 0;
			int j;

			if (!pfd[i].revents)
				continue;
			ev |= pfd[i].revents & POLLIN ? EPOLLIN : 0;
			ev |= pfd[i].revents & POLLOUT ? EPOLLOUT : 0;
			ev |= pfd[i].revents & POLLHUP ? EPOLLHUP : 0;
			ev |= pfd[i].revents & POLLERR ? EPOLLERR : 0;
			/* Still watched by the same owner? */
			for (j = 0; j < LOOP_MAX; j++)
				if (loop.w[j].fd == snap[i].fd &&
				    loop.w[j].cb == snap[i].cb)
					break;
			if (j < LOOP_MAX)
				snap[i].cb(snap[i].arg, ev);
		}
		if (pfd[n].revents) {
			char c;

			if (read(loop.wake[0], &c, 1) == 1) {
				loop.call_fn(loop.call_arg);
				sem_post(&loop.done);
			}
		}
	}
	return NULL;
}

/* Run @fn(@arg) on the loop thread and wait for it. */
static void loop_call(void (*fn)(void *), void *arg)
{
	loop.call_fn = fn;
	loop.call_arg = arg;
	assert_int_equal(write(loop.wake[1], "x", 1), 1);
	while (sem_wait(&loop.done) < 0)
		;
}

/* ---- fixture ---- */

static struct mdev_core *core;
static struct mdev_device *mdev;
static struct vu_server *server;
static char dir[64], sock_path[128];
static int disconnects;

static void on_disconnect(void *arg, struct vu_server *s)
{
	disconnects++;
}

/* The server's log lines, as the host's log callback receives them. */
#define LOG_MAX 256
static struct logged_line {
	enum vu_log_level level;
	char uuid[40];
	char command[40];
	char msg[200];
} log_lines[LOG_MAX];
static unsigned int nr_log_lines; /* touched on the loop thread only */

static void record_log(void *arg, enum vu_log_level level, const char *uuid,
		       const char *command, const char *msg)
{
	struct logged_line *l = &log_lines[nr_log_lines++ % LOG_MAX];

	l->level = level;
	snprintf(l->uuid, sizeof(l->uuid), "%s", uuid);
	snprintf(l->command, sizeof(l->command), "%s", command);
	snprintf(l->msg, sizeof(l->msg), "%s", msg);
}

static void do_log_reset(void *arg)
{
	nr_log_lines = 0;
}

struct log_query {
	enum vu_log_level level;
	const char *command, *needle;
	bool found;
};

static void do_log_find(void *arg)
{
	struct log_query *q = arg;
	unsigned int i;

	for (i = 0; i < nr_log_lines && i < LOG_MAX; i++)
		if (log_lines[i].level == q->level &&
		    !strcmp(log_lines[i].uuid, UUID) &&
		    !strcmp(log_lines[i].command, q->command) &&
		    strstr(log_lines[i].msg, q->needle))
			q->found = true;
}

/* Did the server log @needle about @command at @level, naming UUID? */
static bool logged(enum vu_log_level level, const char *command,
		   const char *needle)
{
	struct log_query q = { level, command, needle, false };

	loop_call(do_log_find, &q);
	return q.found;
}

static void do_server_new(void *arg)
{
	struct vu_server_config cfg = {
		.socket_path = sock_path,
		.mdev = mdev,
		.loop = &loop_ops,
		.on_disconnect = on_disconnect,
		.log = record_log,
	};

	server = vu_server_new(&cfg);
}

static void do_server_free(void *arg)
{
	vu_server_free(server);
	server = NULL;
	loop.stop = true;
}

static int setup(void **state)
{
	int i;

	fake.bar2 = calloc(1, BAR2_SIZE);
	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++)
		fake.irq_fd[i] = -1;
	for (i = 0; i < LOOP_MAX; i++)
		loop.w[i].fd = -1;
	core = mdev_core_new(NULL, NULL);
	if (!core || mdev_register_parent(core, "fake", &fake_driver,
					  fake_types, 1, NULL, NULL))
		return -1;
	if (mdev_core_create(core, UUID, "fake", "fake-1", &mdev))
		return -1;
	strcpy(dir, "/tmp/vu-test.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(sock_path, sizeof(sock_path), "%s/%s.sock", dir, UUID);
	if (pipe2(loop.wake, O_CLOEXEC) || sem_init(&loop.done, 0, 0) ||
	    pthread_create(&loop.thread, NULL, loop_main, NULL))
		return -1;
	loop_call(do_server_new, NULL);
	return server ? 0 : -1;
}

static int teardown(void **state)
{
	loop_call(do_server_free, NULL);
	pthread_join(loop.thread, NULL);
	close(loop.wake[0]);
	close(loop.wake[1]);
	mdev_core_free(core);
	rmdir(dir);
	free(fake.bar2);
	return 0;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static int has_client_result;

static void do_has_client(void *arg)
{
	has_client_result = vu_server_has_client(server);
}

static bool has_client(void)
{
	loop_call(do_has_client, NULL);
	return has_client_result;
}

/* The server notices a close asynchronously: wait (bounded) for it. */
static void wait_no_client(void)
{
	int i;

	for (i = 0; i < 500 && has_client(); i++)
		usleep(10000);
	assert_false(has_client());
}

static struct umdev_client *connect_ok(void)
{
	int err = 0;
	struct umdev_client *c = umdev_client_connect(sock_path, &err);

	if (!c)
		fail_msg("connect: %s", strerror(-err));
	return c;
}

static void assert_alive(struct umdev_client *c)
{
	struct vfio_device_info info;

	assert_int_equal(umdev_client_get_info(c, &info), 0);
	assert_int_equal(info.num_regions, VFIO_PCI_NUM_REGIONS);
}

/* ---- tests ---- */

static void test_info(void **state)
{
	struct vfio_device_info info;
	struct vfio_region_info ri;
	struct vfio_irq_info ii;
	struct umdev_client *c;
	int base = count_fds(), opens = fake.opens;

	c = connect_ok();
	assert_int_equal(umdev_client_max_data_xfer(c), 1u << 20);
	assert_int_equal(umdev_client_get_info(c, &info), 0);
	assert_int_equal(info.argsz, 16);
	assert_int_equal(info.flags,
			 VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET);
	assert_int_equal(info.num_regions, VFIO_PCI_NUM_REGIONS);
	assert_int_equal(info.num_irqs, VFIO_PCI_NUM_IRQS);
	assert_int_equal(umdev_client_get_region_info(c, 0, &ri), 0);
	assert_int_equal(ri.index, 0);
	assert_int_equal(ri.size, 8);
	assert_int_equal(ri.offset, 0);
	assert_int_equal(ri.flags, VFIO_REGION_INFO_FLAG_READ |
					   VFIO_REGION_INFO_FLAG_WRITE);
	assert_int_equal(umdev_client_get_region_info(c, 7, &ri), 0);
	assert_int_equal(ri.size, 256);
	assert_int_equal(ri.offset, 7ull << 40);
	assert_int_equal(umdev_client_get_region_info(c, 9, &ri), -EINVAL);
	assert_int_equal(umdev_client_get_irq_info(c, 0, &ii), 0);
	assert_int_equal(ii.count, 1);
	assert_int_equal(ii.flags, VFIO_IRQ_INFO_EVENTFD);
	assert_int_equal(umdev_client_get_irq_info(c, 5, &ii), -EINVAL);
	assert_true(has_client());
	assert_int_equal(fake.opens, opens + 1);
	umdev_client_close(c);
	wait_no_client();
	assert_int_equal(fake.closes, fake.opens);
	assert_int_equal(count_fds(), base);
}

static void test_region_rw(void **state)
{
	struct umdev_client *c = connect_ok();
	uint8_t buf[8], v;
	uint32_t word = 0x11223344, back = 0;

	assert_int_equal(umdev_client_write(c, 0, 4, &word, 4), 4);
	assert_int_equal(umdev_client_read(c, 0, 4, &back, 4), 4);
	assert_int_equal(back, word);
	assert_int_equal(umdev_client_write8(c, 7, 0x40, 0x9c), 0);
	assert_int_equal(umdev_client_read8(c, 7, 0x40, &v), 0);
	assert_int_equal(v, 0x9c);
	assert_int_equal(fake.cfg[0x40], 0x9c);
	/* Whole region, then one byte past it. */
	assert_int_equal(umdev_client_read(c, 0, 0, buf, 8), 8);
	assert_int_equal(umdev_client_read(c, 0, 1, buf, 8), -EINVAL);
	assert_int_equal(umdev_client_read(c, 0, 8, buf, 1), -EINVAL);
	assert_int_equal(umdev_client_read(c, 0, UINT64_MAX - 1, buf, 4),
			 -EINVAL);
	assert_int_equal(umdev_client_write(c, 0, 6, buf, 4), -EINVAL);
	assert_int_equal(umdev_client_read(c, 9, 0, buf, 1), -EINVAL);
	/* An absent region (size 0, no access). */
	assert_int_equal(umdev_client_read(c, 1, 0, buf, 1), -EINVAL);
	/* A large transfer. */
	uint8_t *big = malloc(BAR2_SIZE), *big2 = malloc(BAR2_SIZE);
	size_t i;

	for (i = 0; i < BAR2_SIZE; i++)
		big[i] = (uint8_t)(i * 7);
	assert_int_equal(umdev_client_write(c, 2, 0, big, BAR2_SIZE),
			 BAR2_SIZE);
	assert_int_equal(umdev_client_read(c, 2, 0, big2, BAR2_SIZE),
			 BAR2_SIZE);
	assert_memory_equal(big, big2, BAR2_SIZE);
	free(big);
	free(big2);
	assert_int_equal(umdev_client_reset(c), 0);
	assert_int_equal(umdev_client_read(c, 0, 4, &back, 4), 4);
	assert_int_equal(back, 0);
	umdev_client_close(c);
	wait_no_client();
}

static void test_posted(void **state)
{
	struct umdev_client *c = connect_ok();
	uint8_t v, two[2] = { 1, 2 };
	int i;

	for (i = 0; i < 1000; i++) {
		v = (uint8_t)i;
		assert_int_equal(umdev_client_write_posted(c, 0, i % 8, &v, 1),
				 1);
	}
	/* Ordered behind the posted writes. */
	assert_int_equal(umdev_client_read8(c, 0, 999 % 8, &v), 0);
	assert_int_equal(v, 999 % 256);
	/*
	 * A failing posted write gets no reply: otherwise the next reply
	 * would carry the wrong id and this read would fail with -EPROTO.
	 */
	assert_int_equal(umdev_client_write_posted(c, 9, 0, &v, 1), 1);
	assert_int_equal(umdev_client_write_posted(c, 0, 7, two, 2), 2);
	assert_int_equal(umdev_client_read8(c, 0, 7, &v), 0);
	assert_alive(c);
	umdev_client_close(c);
	wait_no_client();
}

/* Append a raw message to @buf. */
static size_t put_msg(uint8_t *buf, uint16_t id, uint16_t cmd, uint32_t flags,
		      const void *payload, size_t len)
{
	struct vu_hdr h = {
		.msg_id = id,
		.command = cmd,
		.size = (uint32_t)(VU_HDR_SIZE + len),
		.flags = flags,
	};

	memcpy(buf, &h, sizeof(h));
	if (len)
		memcpy(buf + sizeof(h), payload, len);
	return h.size;
}

static void test_pipelined(void **state)
{
	struct umdev_client *c = connect_ok();
	static uint8_t buf[64 * 1024];
	struct {
		struct vu_region_rw rw;
		uint8_t data[1];
	} __attribute__((packed)) w = { { 1, 0, 1 }, { 0x11 } };
	struct vu_region_rw r = { 1, 0, 1 };
	struct vfio_device_info info = { .argsz = 16 };
	uint8_t reply[64];
	uint32_t err;
	size_t len = 0;
	int i;

	len += put_msg(buf + len, 100, VU_CMD_REGION_WRITE, 0, &w, sizeof(w));
	len += put_msg(buf + len, 101, VU_CMD_REGION_READ, 0, &r, sizeof(r));
	len += put_msg(buf + len, 102, VU_CMD_DEVICE_GET_INFO, 0, &info, 16);
	len += put_msg(buf + len, 103, 99, 0, NULL, 0);
	assert_int_equal(write(umdev_client_fd(c), buf, len), len);
	assert_int_equal(umdev_client_recv_reply(c, 100, VU_CMD_REGION_WRITE,
						 reply, sizeof(reply), &err),
			 16);
	assert_int_equal(err, 0);
	assert_int_equal(umdev_client_recv_reply(c, 101, VU_CMD_REGION_READ,
						 reply, sizeof(reply), &err),
			 17);
	assert_int_equal(reply[16], 0x11);
	assert_int_equal(umdev_client_recv_reply(c, 102, VU_CMD_DEVICE_GET_INFO,
						 reply, sizeof(reply), &err),
			 16);
	assert_int_equal(umdev_client_recv_reply(c, 103, 99, reply,
						 sizeof(reply), &err),
			 0);
	assert_int_equal(err, ENOTSUP);

	/* Hundreds of reads in one write. */
	len = 0;
	for (i = 0; i < 500; i++)
		len += put_msg(buf + len, (uint16_t)(1000 + i),
			       VU_CMD_REGION_READ, 0, &r, sizeof(r));
	assert_int_equal(write(umdev_client_fd(c), buf, len), len);
	for (i = 0; i < 500; i++) {
		assert_int_equal(
			umdev_client_recv_reply(c, (uint16_t)(1000 + i),
						VU_CMD_REGION_READ, reply,
						sizeof(reply), &err),
			17);
		assert_int_equal(reply[16], 0x11);
	}
	assert_alive(c);
	umdev_client_close(c);
	wait_no_client();
}

/*
 * Replies larger than the socket can hold while the client does not read:
 * the server must wait for EPOLLOUT, stop reading, then finish the rest.
 */
static void test_backpressure(void **state)
{
	struct umdev_client *c = connect_ok();
	struct vu_region_rw r = { 0, 2, 64 * 1024 };
	static uint8_t reply[16 + 64 * 1024];
	uint16_t ids[64];
	uint32_t err;
	int i;

	memset(fake.bar2, 0x77, BAR2_SIZE);
	for (i = 0; i < 64; i++)
		assert_int_equal(umdev_client_send(c, VU_CMD_REGION_READ, 0, &r,
						   sizeof(r), NULL, 0, &ids[i]),
				 0);
	for (i = 0; i < 64; i++) {
		assert_int_equal(
			umdev_client_recv_reply(c, ids[i], VU_CMD_REGION_READ,
						reply, sizeof(reply), &err),
			sizeof(reply));
		assert_int_equal(err, 0);
		assert_int_equal(reply[16 + 65535], 0x77);
	}
	assert_alive(c);
	umdev_client_close(c);
	wait_no_client();
}

static int irq_fd_result;

static void do_get_irq_fd(void *arg)
{
	irq_fd_result = fake.irq_fd[0];
}

static uint32_t set_irqs_argsz_result;

static void do_get_set_irqs_argsz(void *arg)
{
	set_irqs_argsz_result = fake.set_irqs_argsz;
}

static bool eventfd_fired(int efd)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t v;

	if (poll(&p, 1, 5000) != 1)
		return false;
	return eventfd_read(efd, &v) == 0 && v >= 1;
}

static void test_set_irqs(void **state)
{
	int base = count_fds();
	struct umdev_client *c = connect_ok();
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int two[2] = { efd, efd };
	uint32_t efd_trig = VFIO_IRQ_SET_DATA_EVENTFD |
			    VFIO_IRQ_SET_ACTION_TRIGGER;
	uint8_t yes = 1;

	assert_int_equal(umdev_client_set_irqs(c, efd_trig, 0, 0, 1, &efd, 1,
					       NULL, 0),
			 0);
	loop_call(do_get_irq_fd, NULL);
	assert_true(irq_fd_result >= 0);
	assert_int_equal(umdev_client_write8(c, 0, 0, 0xaa), 0);
	assert_true(eventfd_fired(efd));
	/* Client-triggered, with DATA_NONE and DATA_BOOL. */
	assert_int_equal(
		umdev_client_set_irqs(
			c, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			0, 0, 1, NULL, 0, NULL, 0),
		0);
	assert_true(eventfd_fired(efd));
	assert_int_equal(
		umdev_client_set_irqs(
			c, VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER,
			0, 0, 1, NULL, 0, &yes, 1),
		0);
	assert_true(eventfd_fired(efd));

	/* Refusals: the driver keeps its fd, the sent ones are closed. */
	assert_int_equal(umdev_client_set_irqs(c, efd_trig, 0, 0, 2, two, 2,
					       NULL, 0),
			 -EINVAL); /* count 2 > 1 */
	assert_int_equal(umdev_client_set_irqs(c, efd_trig, 0, 0, 1, two, 2,
					       NULL, 0),
			 -EINVAL); /* 2 fds for count 1 */
	assert_int_equal(umdev_client_set_irqs(c, efd_trig, 5, 0, 1, &efd, 1,
					       NULL, 0),
			 -EINVAL); /* index */
	assert_int_equal(
		umdev_client_set_irqs(
			c, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			0, 0, 1, &efd, 1, NULL, 0),
		-EINVAL); /* fd with DATA_NONE */
	assert_int_equal(
		umdev_client_set_irqs(
			c, VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER,
			0, 0, 1, NULL, 0, NULL, 0),
		-EINVAL); /* bool without its byte */
	assert_int_equal(umdev_client_set_irqs(c,
					       VFIO_IRQ_SET_DATA_EVENTFD |
						       VFIO_IRQ_SET_ACTION_MASK,
					       0, 0, 1, &efd, 1, NULL, 0),
			 -EINVAL); /* the driver's refusal */
	loop_call(do_get_irq_fd, NULL);
	assert_true(irq_fd_result >= 0);
	assert_int_equal(umdev_client_write8(c, 0, 0, 0xaa), 0);
	assert_true(eventfd_fired(efd));

	/* No fds: de-assign. */
	uint8_t set[20];
	struct vfio_irq_set s = { .argsz = 24, .flags = efd_trig, .count = 1 };
	uint32_t err;

	memcpy(set, &s, sizeof(s));
	assert_int_equal(umdev_client_request(c, VU_CMD_DEVICE_SET_IRQS, 0, set,
					      sizeof(set), NULL, 0, NULL, 0,
					      &err),
			 0);
	assert_int_equal(err, 0);
	loop_call(do_get_irq_fd, NULL);
	assert_int_equal(irq_fd_result, -1);

	/* Re-assign, then disconnect: the driver drops it. */
	assert_int_equal(umdev_client_set_irqs(c, efd_trig, 0, 0, 1, &efd, 1,
					       NULL, 0),
			 0);
	umdev_client_close(c);
	wait_no_client();
	close(efd);
	assert_int_equal(count_fds(), base);
}

static void test_second_client(void **state)
{
	struct umdev_client *c1 = connect_ok(), *c2;
	int err = 0, base;

	base = count_fds();
	c2 = umdev_client_connect(sock_path, &err);
	assert_null(c2);
	assert_int_equal(err, -ECONNRESET);
	assert_alive(c1);
	assert_true(has_client());
	assert_int_equal(count_fds(), base);
	umdev_client_close(c1);
	wait_no_client();
}

/* Every line goes to the host's callback with its level, UUID, command. */
static void test_log_callback(void **state)
{
	struct umdev_client *c, *c2;
	uint8_t buf[1];
	int err = 0;

	loop_call(do_log_reset, NULL);
	c = connect_ok();
	assert_true(logged(VU_LOG_INFO, "client", "connected (pid"));
	/* A refused command: the client's mistake, logged at INFO. */
	assert_int_equal(umdev_client_read(c, 9, 0, buf, 1), -EINVAL);
	assert_true(logged(VU_LOG_INFO, "REGION_READ", "EINVAL"));
	/* A refused connection is a warning. */
	c2 = umdev_client_connect(sock_path, &err);
	assert_null(c2);
	assert_true(logged(VU_LOG_WARN, "client", "refused: device in use"));
	umdev_client_close(c);
	wait_no_client();
	assert_true(logged(VU_LOG_INFO, "client", "disconnected"));
	assert_false(logged(VU_LOG_ERROR, "client", ""));
}

static void test_reconnect(void **state)
{
	struct umdev_client *c = connect_ok();
	int opens = fake.opens, d = disconnects;
	uint8_t v;

	assert_int_equal(umdev_client_write8(c, 0, 2, 0x5a), 0);
	umdev_client_close(c);
	wait_no_client();
	assert_int_equal(disconnects, d + 1);
	c = connect_ok();
	assert_int_equal(fake.opens, opens + 1);
	/* The device kept its state. */
	assert_int_equal(umdev_client_read8(c, 0, 2, &v), 0);
	assert_int_equal(v, 0x5a);
	umdev_client_close(c);
	wait_no_client();
}

/* Holds the loop thread until the test posts @resume. */
static sem_t loop_held, loop_resume;

static void do_hold(void *arg)
{
	sem_post(&loop_held);
	while (sem_wait(&loop_resume) < 0)
		;
}

/*
 * A client that reconnects at once: its old connection's end-of-file and
 * the new connect reach the server in the same loop round, the listening
 * socket first.  The new client must be served, not refused as a second
 * one.
 */
static void test_reconnect_at_once(void **state)
{
	struct umdev_client *c1 = connect_ok();
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int d = disconnects, fd, i;

	assert_int_equal(sem_init(&loop_held, 0, 0), 0);
	assert_int_equal(sem_init(&loop_resume, 0, 0), 0);
	loop.call_fn = do_hold;
	loop.call_arg = NULL;
	assert_int_equal(write(loop.wake[1], "x", 1), 1);
	while (sem_wait(&loop_held) < 0)
		;
	umdev_client_close(c1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	strcpy(sun.sun_path, sock_path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	sem_post(&loop_resume);
	while (sem_wait(&loop.done) < 0)
		;
	for (i = 0; i < 500 && disconnects == d; i++)
		usleep(10000);
	assert_int_equal(disconnects, d + 1);
	assert_true(has_client()); /* the new connection, not refused */
	close(fd);
	wait_no_client();
	sem_destroy(&loop_held);
	sem_destroy(&loop_resume);
}

/* Expect an error reply @want to a raw request, and a live server. */
static void expect_err(struct umdev_client *c, uint16_t cmd, uint32_t flags,
		       const void *p, size_t len, const int *fds, size_t nfds,
		       uint32_t want)
{
	uint8_t reply[64];
	uint32_t err = 0;
	int ret;

	ret = umdev_client_request(c, cmd, flags, p, len, fds, nfds, reply,
				   sizeof(reply), &err);
	if (ret != 0 || err != want)
		fail_msg("cmd %u flags 0x%x: ret %d err %u, want err %u", cmd,
			 flags, ret, err, want);
	assert_alive(c);
}

static void test_malformed(void **state)
{
	int base = count_fds();
	struct umdev_client *c = connect_ok();
	struct vu_region_rw rw = { 0, 0, 4 };
	uint8_t pay[64] = { 0 };
	int fds[17], i, memfd;

	expect_err(c, 99, 0, NULL, 0, NULL, 0, ENOTSUP);
	expect_err(c, 0, 0, NULL, 0, NULL, 0, ENOTSUP);
	/* argsz 0 */
	expect_err(c, VU_CMD_DEVICE_GET_REGION_IO_FDS, 0, pay, 16, NULL, 0,
		   EINVAL);
	expect_err(c, VU_CMD_DEVICE_FEATURE, 0, pay, 8, NULL, 0, EINVAL);
	expect_err(c, VU_CMD_REGION_READ, 0, &rw, 8, NULL, 0, EINVAL);
	expect_err(c, VU_CMD_REGION_READ, 0, pay, 20, NULL, 0, EINVAL);
	rw.count = 0;
	expect_err(c, VU_CMD_REGION_READ, 0, &rw, 16, NULL, 0, EINVAL);
	rw.count = (1u << 20) + 1;
	expect_err(c, VU_CMD_REGION_READ, 0, &rw, 16, NULL, 0, EINVAL);
	rw.count = 4;
	rw.region = 9;
	expect_err(c, VU_CMD_REGION_READ, 0, &rw, 16, NULL, 0, EINVAL);
	rw.region = 0;
	rw.offset = UINT64_MAX;
	expect_err(c, VU_CMD_REGION_READ, 0, &rw, 16, NULL, 0, EINVAL);
	rw.offset = 0;
	memcpy(pay, &rw, sizeof(rw)); /* count 4, but 2 data bytes */
	expect_err(c, VU_CMD_REGION_WRITE, 0, pay, 18, NULL, 0, EINVAL);
	expect_err(c, VU_CMD_REGION_WRITE, 0, pay, 8, NULL, 0, EINVAL);
	/* Not a command, or unknown flags. */
	expect_err(c, VU_CMD_DEVICE_GET_INFO, VU_TYPE_REPLY, pay, 16, NULL, 0,
		   EINVAL);
	expect_err(c, VU_CMD_DEVICE_GET_INFO, 0x40, pay, 16, NULL, 0, EINVAL);
	expect_err(c, VU_CMD_DEVICE_GET_INFO, VU_FLAG_ERROR, pay, 16, NULL, 0,
		   EINVAL);
	/* Short payloads and argsz. */
	expect_err(c, VU_CMD_DEVICE_GET_INFO, 0, pay, 8, NULL, 0, EINVAL);
	pay[0] = 8; /* argsz */
	expect_err(c, VU_CMD_DEVICE_GET_INFO, 0, pay, 16, NULL, 0, EINVAL);
	expect_err(c, VU_CMD_DEVICE_GET_REGION_INFO, 0, pay, 32, NULL, 0,
		   EINVAL);
	expect_err(c, VU_CMD_DEVICE_GET_IRQ_INFO, 0, pay, 16, NULL, 0, EINVAL);
	expect_err(c, VU_CMD_DEVICE_SET_IRQS, 0, pay, 12, NULL, 0, EINVAL);
	pay[0] = 0;
	expect_err(c, VU_CMD_DEVICE_RESET, 0, pay, 4, NULL, 0, EINVAL);
	/* VERSION only once. */
	expect_err(c, VU_CMD_VERSION, 0, "\0\0\0\0{}", 7, NULL, 0, EINVAL);
	/* fds where none belong, and too many fds. */
	for (i = 0; i < 17; i++)
		fds[i] = eventfd(0, EFD_CLOEXEC);
	pay[0] = 16;
	expect_err(c, VU_CMD_DEVICE_GET_INFO, 0, pay, 16, fds, 1, EINVAL);
	expect_err(c, VU_CMD_DEVICE_SET_IRQS, 0, pay, 20, fds, 17, EINVAL);
	for (i = 0; i < 17; i++)
		close(fds[i]);

	/* DMA: map with a memory fd, overlap, unknown unmap, unmap. */
	struct vu_dma_map map = {
		.argsz = 32, .flags = 3, .address = 0x10000, .size = 0x10000
	};
	struct vu_dma_unmap unmap = { .argsz = 24,
				      .address = 0x10000,
				      .size = 0x10000 };
	uint8_t reply[64];
	uint32_t err;

	memfd = memfd_create("guest-ram", MFD_CLOEXEC);
	assert_true(memfd >= 0);
	assert_int_equal(umdev_client_request(c, VU_CMD_DMA_MAP, 0, &map,
					      sizeof(map), &memfd, 1, NULL, 0,
					      &err),
			 0);
	assert_int_equal(err, 0);
	map.address = 0x18000;
	expect_err(c, VU_CMD_DMA_MAP, 0, &map, sizeof(map), &memfd, 1, EEXIST);
	map.flags = 4;
	expect_err(c, VU_CMD_DMA_MAP, 0, &map, sizeof(map), NULL, 0, EINVAL);
	map.flags = 1;
	map.size = 0;
	expect_err(c, VU_CMD_DMA_MAP, 0, &map, sizeof(map), NULL, 0, EINVAL);
	unmap.size = 0x8000;
	expect_err(c, VU_CMD_DMA_UNMAP, 0, &unmap, sizeof(unmap), NULL, 0,
		   ENOENT);
	unmap.size = 0x10000;
	assert_int_equal(umdev_client_request(c, VU_CMD_DMA_UNMAP, 0, &unmap,
					      sizeof(unmap), NULL, 0, reply,
					      sizeof(reply), &err),
			 sizeof(unmap));
	assert_int_equal(err, 0);
	expect_err(c, VU_CMD_DMA_UNMAP, 0, &unmap, sizeof(unmap), NULL, 0,
		   ENOENT);
	/* Mapped again, then left for the disconnect to drop. */
	map.address = 0x10000;
	map.size = 0x10000;
	assert_int_equal(umdev_client_request(c, VU_CMD_DMA_MAP, 0, &map,
					      sizeof(map), &memfd, 1, NULL, 0,
					      &err),
			 0);
	assert_int_equal(err, 0);
	close(memfd);

	/* REGION_WRITE_MULTI (negotiated by the client library). */
	struct {
		uint64_t cnt;
		struct vu_write_one w[2];
	} __attribute__((packed)) wm = {
		2,
		{ { 3, 0, 1, { 0xc3 } }, { 4, 0, 2, { 0xd4, 0xe5 } } },
	};
	uint64_t done = 0;
	uint8_t v;

	assert_int_equal(umdev_client_request(c, VU_CMD_REGION_WRITE_MULTI, 0,
					      &wm, sizeof(wm), NULL, 0, &done,
					      sizeof(done), &err),
			 8);
	assert_int_equal(err, 0);
	assert_int_equal(done, 2);
	assert_int_equal(umdev_client_read8(c, 0, 3, &v), 0);
	assert_int_equal(v, 0xc3);
	assert_int_equal(umdev_client_read8(c, 0, 5, &v), 0);
	assert_int_equal(v, 0xe5);
	expect_err(c, VU_CMD_REGION_WRITE_MULTI, 0, &wm, sizeof(wm) - 1, NULL,
		   0, EINVAL);
	wm.w[1].count = 9;
	expect_err(c, VU_CMD_REGION_WRITE_MULTI, 0, &wm, sizeof(wm), NULL, 0,
		   EINVAL);
	wm.w[1].count = 2;
	wm.w[1].offset = 7;
	expect_err(c, VU_CMD_REGION_WRITE_MULTI, 0, &wm, sizeof(wm), NULL, 0,
		   EINVAL);
	wm.cnt = 0;
	expect_err(c, VU_CMD_REGION_WRITE_MULTI, 0, &wm, 8, NULL, 0, EINVAL);

	/* A posted malformed message: no reply at all. */
	assert_int_equal(umdev_client_request(c, 99, VU_FLAG_NO_REPLY, NULL, 0,
					      NULL, 0, NULL, 0, &err),
			 0);
	assert_alive(c);
	umdev_client_close(c);
	wait_no_client();
	assert_int_equal(count_fds(), base);
}

/* A raw connection, without the client library. */
static int raw_connect(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	strcpy(sun.sun_path, sock_path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

/* Read one message into @buf (blocking); its size, or 0 at EOF. */
static size_t raw_recv(int fd, uint8_t *buf, size_t cap)
{
	struct vu_hdr h;
	size_t got = 0;
	ssize_t n;

	while (got < sizeof(h)) {
		n = read(fd, buf + got, sizeof(h) - got);
		if (n <= 0)
			return 0;
		got += n;
	}
	memcpy(&h, buf, sizeof(h));
	assert_true(h.size >= 16 && h.size <= cap);
	while (got < h.size) {
		n = read(fd, buf + got, h.size - got);
		assert_true(n > 0);
		got += n;
	}
	return got;
}

static const char qemu_json[] =
	"{\"capabilities\":{\"migration\":{\"pgsize\":4096,"
	"\"max_bitmap_size\":268435456},\"max_msg_fds\":16,"
	"\"max_data_xfer_size\":1048576,\"pgsizes\":4096,"
	"\"max_dma_maps\":65535,\"write_multiple\":true}}";

static void test_version_wire(void **state)
{
	uint8_t buf[1024], out[1024];
	struct vfio_device_info info = { .argsz = 16 };
	struct vu_hdr h;
	struct vu_caps caps;
	const char *why;
	uint16_t major, minor;
	size_t len, n;
	int fd = raw_connect();

	/* Anything before VERSION is refused. */
	len = put_msg(buf, 1, VU_CMD_DEVICE_GET_INFO, 0, &info, 16);
	assert_int_equal(write(fd, buf, len), len);
	n = raw_recv(fd, out, sizeof(out));
	assert_int_equal(n, 16);
	memcpy(&h, out, sizeof(h));
	assert_int_equal(h.flags, VU_TYPE_REPLY | VU_FLAG_ERROR);
	assert_int_equal(h.error, EINVAL);
	assert_int_equal(h.msg_id, 1);

	/* Bad JSON: refused, and the connection stays usable. */
	memset(buf + 16, 0, 4);
	memcpy(buf + 20, "{\"capabilities\":", 17);
	len = put_msg(buf, 2, VU_CMD_VERSION, 0, buf + 16, 4 + 17);
	assert_int_equal(write(fd, buf, len), len);
	n = raw_recv(fd, out, sizeof(out));
	memcpy(&h, out, sizeof(h));
	assert_int_equal(h.error, EINVAL);

	/* QEMU's exact proposal. */
	uint8_t ver[600] = { 0 };

	memcpy(ver + 4, qemu_json, sizeof(qemu_json));
	len = put_msg(buf, 3, VU_CMD_VERSION, 0, ver, 4 + sizeof(qemu_json));
	assert_int_equal(write(fd, buf, len), len);
	n = raw_recv(fd, out, sizeof(out));
	memcpy(&h, out, sizeof(h));
	assert_int_equal(h.flags, VU_TYPE_REPLY);
	assert_int_equal(h.msg_id, 3);
	assert_int_equal(vu_version_parse(out + 16, n - 16, &major, &minor,
					  &caps, &why),
			 0);
	assert_int_equal(major, 0);
	assert_int_equal(minor, 0);
	assert_true(caps.write_multiple);
	assert_int_equal(caps.max_data_xfer_size, 1048576);
	assert_null(strstr((char *)out + 20, "migration"));

	/* Now GET_INFO works. */
	len = put_msg(buf, 4, VU_CMD_DEVICE_GET_INFO, 0, &info, 16);
	assert_int_equal(write(fd, buf, len), len);
	n = raw_recv(fd, out, sizeof(out));
	assert_int_equal(n, 32);
	close(fd);
	wait_no_client();
}

/* Headers that cannot be framed close the connection. */
static void test_unframeable(void **state)
{
	uint32_t sizes[] = { 8, 0, 16 + 16 + (1u << 20) + 1, UINT32_MAX };
	struct umdev_client *c;
	struct vu_hdr h = { .msg_id = 5, .command = VU_CMD_REGION_WRITE };
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		c = connect_ok();
		h.size = sizes[i];
		assert_int_equal(write(umdev_client_fd(c), &h, sizeof(h)),
				 sizeof(h));
		struct vfio_device_info info;
		int ret = umdev_client_get_info(c, &info);

		assert_true(ret == -ECONNRESET || ret == -EPIPE);
		umdev_client_close(c);
		wait_no_client();
	}
	/* After a negotiated smaller limit, the smaller one applies. */
	c = connect_ok();
	assert_alive(c);
	umdev_client_close(c);
	wait_no_client();
}

/* GET_REGION_IO_FDS, DEVICE_FEATURE and argsz as the spec has them. */
static void test_spec_replies(void **state)
{
	struct umdev_client *c = connect_ok();
	struct vu_region_io_fds io = { .argsz = 16 }, io_back;
	struct vfio_region_info ri = { .argsz = 64, .index = 2 };
	uint8_t reply[128];
	uint32_t err, feature[2];
	int efd;

	/* No region has I/O fds: an empty array, argsz 16. */
	assert_int_equal(umdev_client_request(c,
					      VU_CMD_DEVICE_GET_REGION_IO_FDS,
					      0, &io, sizeof(io), NULL, 0,
					      &io_back, sizeof(io_back), &err),
			 sizeof(io_back));
	assert_int_equal(err, 0);
	assert_int_equal(io_back.argsz, 16);
	assert_int_equal(io_back.count, 0);
	io.flags = 1;
	expect_err(c, VU_CMD_DEVICE_GET_REGION_IO_FDS, 0, &io, sizeof(io), NULL,
		   0, EINVAL);
	io.flags = 0;
	io.index = 9;
	expect_err(c, VU_CMD_DEVICE_GET_REGION_IO_FDS, 0, &io, sizeof(io), NULL,
		   0, EINVAL);

	/* DEVICE_FEATURE: the kernel's checks, then "no such feature". */
	feature[0] = 8;
	feature[1] = VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_GET |
		     VFIO_DEVICE_FEATURE_MIGRATION;
	expect_err(c, VU_CMD_DEVICE_FEATURE, 0, feature, 8, NULL, 0, ENOTTY);
	feature[1] = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET |
		     VFIO_DEVICE_FEATURE_MIGRATION;
	expect_err(c, VU_CMD_DEVICE_FEATURE, 0, feature, 8, NULL, 0, EINVAL);
	feature[1] = 1u << 20;
	expect_err(c, VU_CMD_DEVICE_FEATURE, 0, feature, 8, NULL, 0, EINVAL);

	/* A larger argsz than needed: the reply says what it needs. */
	assert_int_equal(umdev_client_request(c, VU_CMD_DEVICE_GET_REGION_INFO,
					      0, &ri, sizeof(ri), NULL, 0,
					      reply, sizeof(reply), &err),
			 sizeof(ri));
	assert_int_equal(err, 0);
	memcpy(&ri, reply, sizeof(ri));
	assert_int_equal(ri.argsz, sizeof(ri));
	assert_int_equal(ri.size, BAR2_SIZE);

	/* The client library's SET_IRQS argsz leaves out the eventfds. */
	efd = eventfd(0, EFD_CLOEXEC);
	assert_int_equal(
		umdev_client_set_irqs(
			c,
			VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
			VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &efd, 1, NULL, 0),
		0);
	close(efd);
	loop_call(do_get_set_irqs_argsz, NULL);
	assert_int_equal(set_irqs_argsz_result, sizeof(struct vfio_irq_set));
	umdev_client_close(c);
	wait_no_client();
}

/* More maps than the old fixed table held, out of order; the sorted table. */
static void test_dma_many(void **state)
{
	struct umdev_client *c = connect_ok();
	struct vu_dma_map map = { .argsz = 32, .flags = 3, .size = 0x1000 };
	struct vu_dma_unmap unmap = { .argsz = 24, .size = 0x1000 };
	uint8_t reply[64];
	uint32_t err;
	int i;

	/* Every other page, from the top down. */
	for (i = 599; i >= 0; i -= 2) {
		map.address = (uint64_t)i * 0x1000;
		assert_int_equal(umdev_client_request(c, VU_CMD_DMA_MAP, 0,
						      &map, sizeof(map), NULL,
						      0, NULL, 0, &err),
				 0);
		assert_int_equal(err, 0);
	}
	/* Overlaps: straddling the end of one, covering a hole and more. */
	map.address = 0x1800;
	expect_err(c, VU_CMD_DMA_MAP, 0, &map, sizeof(map), NULL, 0, EEXIST);
	map.address = 0x2000;
	map.size = 0x4000;
	expect_err(c, VU_CMD_DMA_MAP, 0, &map, sizeof(map), NULL, 0, EEXIST);
	/* A hole fits exactly. */
	map.address = 0x2000;
	map.size = 0x1000;
	assert_int_equal(umdev_client_request(c, VU_CMD_DMA_MAP, 0, &map,
					      sizeof(map), NULL, 0, NULL, 0,
					      &err),
			 0);
	assert_int_equal(err, 0);
	/* Unmap must match a map exactly. */
	unmap.address = 0x1000;
	unmap.size = 0x2000;
	expect_err(c, VU_CMD_DMA_UNMAP, 0, &unmap, sizeof(unmap), NULL, 0,
		   ENOENT);
	for (i = 1; i < 600; i += 2) {
		unmap.address = (uint64_t)i * 0x1000;
		unmap.size = 0x1000;
		assert_int_equal(umdev_client_request(c, VU_CMD_DMA_UNMAP, 0,
						      &unmap, sizeof(unmap),
						      NULL, 0, reply,
						      sizeof(reply), &err),
				 sizeof(unmap));
		assert_int_equal(err, 0);
	}
	expect_err(c, VU_CMD_DMA_UNMAP, 0, &unmap, sizeof(unmap), NULL, 0,
		   ENOENT);
	/* What is left goes with UNMAP_ALL. */
	unmap.flags = VFIO_DMA_UNMAP_FLAG_ALL;
	unmap.address = unmap.size = 0;
	assert_int_equal(umdev_client_request(c, VU_CMD_DMA_UNMAP, 0, &unmap,
					      sizeof(unmap), NULL, 0, reply,
					      sizeof(reply), &err),
			 sizeof(unmap));
	assert_int_equal(err, 0);
	unmap.flags = 0;
	unmap.address = 0x2000;
	unmap.size = 0x1000;
	expect_err(c, VU_CMD_DMA_UNMAP, 0, &unmap, sizeof(unmap), NULL, 0,
		   ENOENT);
	umdev_client_close(c);
	wait_no_client();
}

/* Replies far larger than the first buffers, behind queued small ones. */
static void test_buffer_growth(void **state)
{
	struct umdev_client *c = connect_ok();
	struct vu_region_rw small = { 0, 0, 4 }, big = { 0, 2, BAR2_SIZE };
	uint8_t *reply = malloc(16 + BAR2_SIZE);
	uint16_t ids[4];
	uint32_t err;
	size_t i;

	for (i = 0; i < BAR2_SIZE; i++)
		fake.bar2[i] = (uint8_t)(i * 13);
	assert_int_equal(umdev_client_send(c, VU_CMD_REGION_READ, 0, &small,
					   sizeof(small), NULL, 0, &ids[0]),
			 0);
	assert_int_equal(umdev_client_send(c, VU_CMD_REGION_READ, 0, &big,
					   sizeof(big), NULL, 0, &ids[1]),
			 0);
	assert_int_equal(umdev_client_send(c, VU_CMD_REGION_READ, 0, &small,
					   sizeof(small), NULL, 0, &ids[2]),
			 0);
	assert_int_equal(umdev_client_send(c, VU_CMD_REGION_READ, 0, &big,
					   sizeof(big), NULL, 0, &ids[3]),
			 0);
	for (i = 0; i < 4; i++) {
		size_t want = 16 + (i & 1 ? BAR2_SIZE : 4);

		assert_int_equal(
			umdev_client_recv_reply(c, ids[i], VU_CMD_REGION_READ,
						reply, 16 + BAR2_SIZE, &err),
			want);
		assert_int_equal(err, 0);
		if (i & 1)
			assert_int_equal(reply[16 + BAR2_SIZE - 1],
					 (uint8_t)((BAR2_SIZE - 1) * 13));
	}
	free(reply);
	assert_alive(c);
	umdev_client_close(c);
	wait_no_client();
}

/* Send one message on a raw connection and read its reply into @out. */
static struct vu_hdr raw_call(int fd, uint16_t id, uint16_t cmd,
			      const void *payload, size_t len, uint8_t *out,
			      size_t cap)
{
	static uint8_t buf[8192];
	struct vu_hdr h;

	assert_true(len + 16 <= sizeof(buf));
	len = put_msg(buf, id, cmd, 0, payload, len);
	assert_int_equal(write(fd, buf, len), len);
	assert_true(raw_recv(fd, out, cap) >= 16);
	memcpy(&h, out, sizeof(h));
	assert_int_equal(h.msg_id, id);
	assert_int_equal(h.command, cmd);
	return h;
}

/*
 * A client that negotiates a small transfer size and few maps: messages
 * other than data transfers still fit, and the limits hold.
 */
static void test_small_limits(void **state)
{
	static const char json[] =
		"{\"capabilities\":{\"max_data_xfer_size\":64,"
		"\"max_dma_maps\":2,\"write_multiple\":true}}";
	static struct {
		uint64_t cnt;
		struct vu_write_one w[VU_WRITE_MULTI_MAX];
	} __attribute__((packed)) wm;
	struct vu_dma_map map = { .argsz = 32, .flags = 3, .size = 0x1000 };
	struct vu_region_rw rw = { 0, 2, 65 };
	uint8_t ver[4 + sizeof(json)] = { 0 }, out[1024];
	struct vu_hdr h;
	uint64_t done;
	int fd = raw_connect(), i;

	memcpy(ver + 4, json, sizeof(json));
	h = raw_call(fd, 1, VU_CMD_VERSION, ver, sizeof(ver), out, sizeof(out));
	assert_int_equal(h.flags, VU_TYPE_REPLY);
	/* Only what was proposed comes back. */
	assert_string_equal((char *)out + 20,
			    "{\"capabilities\":{\"max_data_xfer_size\":64,"
			    "\"max_dma_maps\":2,\"write_multiple\":true}}");

	/* 200 coalesced writes: 4824 bytes, far above 64 + 32. */
	wm.cnt = VU_WRITE_MULTI_MAX;
	for (i = 0; i < VU_WRITE_MULTI_MAX; i++)
		wm.w[i] = (struct vu_write_one){ i, 2, 1, { (uint8_t)~i } };
	h = raw_call(fd, 2, VU_CMD_REGION_WRITE_MULTI, &wm, sizeof(wm), out,
		     sizeof(out));
	assert_int_equal(h.flags, VU_TYPE_REPLY);
	memcpy(&done, out + 16, sizeof(done));
	assert_int_equal(done, VU_WRITE_MULTI_MAX);
	assert_int_equal(fake.bar2[199], (uint8_t)~199);

	/* A read above the agreed size is refused; the stream goes on. */
	h = raw_call(fd, 3, VU_CMD_REGION_READ, &rw, sizeof(rw), out,
		     sizeof(out));
	assert_int_equal(h.flags, VU_TYPE_REPLY | VU_FLAG_ERROR);
	assert_int_equal(h.error, EINVAL);
	rw.count = 64;
	h = raw_call(fd, 4, VU_CMD_REGION_READ, &rw, sizeof(rw), out,
		     sizeof(out));
	assert_int_equal(h.flags, VU_TYPE_REPLY);
	assert_int_equal(h.size, 16 + 16 + 64);

	/* Two maps, not three. */
	for (i = 0; i < 3; i++) {
		map.address = (uint64_t)i << 20;
		h = raw_call(fd, 10 + i, VU_CMD_DMA_MAP, &map, sizeof(map), out,
			     sizeof(out));
		assert_int_equal(h.error, i < 2 ? 0 : ENOSPC);
	}
	close(fd);
	wait_no_client();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_info),
		cmocka_unit_test(test_region_rw),
		cmocka_unit_test(test_posted),
		cmocka_unit_test(test_pipelined),
		cmocka_unit_test(test_backpressure),
		cmocka_unit_test(test_set_irqs),
		cmocka_unit_test(test_second_client),
		cmocka_unit_test(test_log_callback),
		cmocka_unit_test(test_reconnect),
		cmocka_unit_test(test_reconnect_at_once),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_version_wire),
		cmocka_unit_test(test_unframeable),
		cmocka_unit_test(test_spec_replies),
		cmocka_unit_test(test_dma_many),
		cmocka_unit_test(test_buffer_growth),
		cmocka_unit_test(test_small_limits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
