// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev-bench: the figures measured through umdevd device sockets (mtty-1
 * devices), each interleaved with its raw floor or with the same figure
 * in another daemon (polling on vs off, 10,000 devices vs 1).  Names carry
 * the placement (--placement: same_cpu, cross_cpu) bench/run pinned
 * everything to.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <umdev/client.h>

#include "bench.h"
#include "vfio-user/wire.h"

#define BAR0 VFIO_PCI_BAR0_REGION_INDEX
#define UART_RBR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7

/* Per-burst bytes in the throughput figure: one FIFO's worth. */
#define BURST 16
/* A real 16550 at 115,200 baud, 8N1: 10 bits per byte. */
#define UART_115200_BPS 11520.0

/* A 4-byte REGION_READ: request header + rw header, reply + 4 bytes. */
#define REGION_REQ (VU_HDR_SIZE + sizeof(struct vu_region_rw))
#define REGION_REP (REGION_REQ + 4)

struct bench_dev {
	struct umdev_client *c;
	int efd; /* MSI trigger */
	int fd; /* the client's socket, used raw by the throughput loop */
};

static int bench_dev_open(struct bench_dev *d, const char *socket, bool irq)
{
	static const struct {
		uint8_t reg, val;
	} init[] = {
		{ UART_LCR, 0x03 }, /* 8N1, DLAB off */
		{ UART_FCR, 0x07 }, /* FIFO on, clear both, trigger level 1 */
		{ UART_MCR, 0x00 },
		{ UART_IER, 0x01 }, /* RX data available */
	};
	unsigned int i;
	int err = 0, ret;

	memset(d, 0, sizeof(*d));
	d->efd = -1;
	d->c = umdev_client_connect(socket, &err);
	if (!d->c) {
		fprintf(stderr, "umdev-bench: connect %s: %s\n", socket,
			strerror(-err));
		return err;
	}
	d->fd = umdev_client_fd(d->c);
	ret = umdev_client_reset(d->c);
	if (ret < 0)
		return ret;
	if (irq) {
		int32_t fd;

		d->efd = eventfd(0, EFD_CLOEXEC);
		if (d->efd < 0)
			return -errno;
		fd = d->efd;
		ret = umdev_client_set_irqs(
			d->c,
			VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
			VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &fd, 1, NULL, 0);
		if (ret < 0) {
			fprintf(stderr, "umdev-bench: SET_IRQS MSI: %s\n",
				strerror(-ret));
			return ret;
		}
	}
	for (i = 0; i < sizeof(init) / sizeof(init[0]); i++) {
		ret = umdev_client_write8(d->c, BAR0, init[i].reg, init[i].val);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static void bench_dev_close(struct bench_dev *d)
{
	if (d->c) {
		umdev_client_reset(d->c);
		umdev_client_close(d->c);
	}
	if (d->efd >= 0)
		close(d->efd);
}

static void bench_report(struct bench_series *t, struct bench_series *f,
			 const char *dir, struct bench_summary *ts,
			 struct bench_summary *fs)
{
	bench_summarise(t, ts);
	bench_summarise(f, fs);
	bench_write_quantiles(t, dir);
	bench_write_quantiles(f, dir);
}

/* A series named "FIGURE-PLACEMENT-WHAT" (file name of its quantiles). */
static int bench_named_series(struct bench_series *s, char *name, size_t len,
			      const char *figure, const struct bench_opts *o,
			      const char *what)
{
	snprintf(name, len, "%s-%s-%s", figure, o->placement, what);
	return bench_series_init(s, name, o->iters);
}

/* Open @socket with the client's polling wait of @client_poll_us. */
static int bench_dev_open_poll(struct bench_dev *d, const char *socket,
			       bool irq, unsigned int client_poll_us)
{
	int ret = bench_dev_open(d, socket, irq);

	if (!ret)
		umdev_client_set_poll_us(d->c, client_poll_us);
	return ret;
}

/* ---- region access ---- */

static int64_t bench_region_target(void *ctx, uint64_t i)
{
	struct bench_dev *d = ctx;
	uint8_t buf[4];
	uint64_t t0 = bench_now_ns();
	int ret;

	/* MCR, LSR, MSR, SCR: the LSR read a driver polls, 4 bytes wide. */
	ret = umdev_client_read(d->c, BAR0, UART_MCR, buf, sizeof(buf));
	if (ret != sizeof(buf))
		return ret < 0 ? ret : -EIO;
	return (int64_t)(bench_now_ns() - t0);
}

static int64_t bench_region_floor(void *ctx, uint64_t i)
{
	struct bench_peer *p = ctx;
	uint8_t req[REGION_REQ] = { 0 }, rep[REGION_REP];
	uint64_t t0 = bench_now_ns();
	int ret;

	ret = bench_write_full(p->fd, req, sizeof(req));
	if (!ret)
		ret = bench_read_full(p->fd, rep, sizeof(rep));
	if (ret)
		return ret;
	return (int64_t)(bench_now_ns() - t0);
}

/*
 * Region read round trip against its ping-pong floor; with a polling
 * umdevd (--socket-poll) also polling on (server side) and polling on
 * both sides (the client's polling wait too), each against polling off.
 */
int bench_region(const struct bench_opts *o)
{
	struct bench_series s[4];
	struct bench_summary sum[4];
	struct bench_peer peer = { 0 };
	struct bench_dev d[3];
	struct bench_arm arms[4];
	char names[4][128], name[96];
	size_t nr = 2, i;
	int ret;

	memset(d, 0, sizeof(d));
	memset(s, 0, sizeof(s));
	ret = bench_dev_open(&d[0], o->socket, false);
	if (!ret && o->socket_poll && !o->socket_poll_client)
		ret = -EINVAL; /* one client per device: two devices */
	if (!ret && o->socket_poll) {
		ret = bench_dev_open(&d[1], o->socket_poll, false);
		if (!ret)
			ret = bench_dev_open_poll(&d[2], o->socket_poll_client,
						  false, o->client_poll_us);
		nr = 4;
	}
	if (!ret)
		ret = bench_peer_pingpong(&peer, REGION_REQ, REGION_REP);
	if (!ret)
		ret = bench_named_series(&s[0], names[0], sizeof(names[0]),
					 "region", o, "floor");
	if (!ret)
		ret = bench_named_series(&s[1], names[1], sizeof(names[1]),
					 "region", o, "umdevd");
	if (!ret && nr == 4)
		ret = bench_named_series(&s[2], names[2], sizeof(names[2]),
					 "region", o, "umdevd-poll");
	if (!ret && nr == 4)
		ret = bench_named_series(&s[3], names[3], sizeof(names[3]),
					 "region", o, "umdevd-poll-client");
	arms[0] = (struct bench_arm){ bench_region_floor, &peer, &s[0] };
	for (i = 1; i < nr; i++)
		arms[i] = (struct bench_arm){ bench_region_target, &d[i - 1],
					      &s[i] };
	if (!ret)
		ret = bench_interleave_arms(arms, nr, o->iters, o->iters / 20);
	bench_peer_stop(&peer);
	for (i = 0; i < 3; i++)
		bench_dev_close(&d[i]);
	if (ret) {
		fprintf(stderr, "umdev-bench: region: %s\n", strerror(-ret));
		return ret;
	}
	for (i = 0; i < nr; i++) {
		bench_summarise(&s[i], &sum[i]);
		bench_write_quantiles(&s[i], o->out);
	}
	snprintf(name, sizeof(name), "region_read_%s_ns", o->placement);
	bench_print_latency(name, "region: 4-byte REGION_READ (us)", &sum[1],
			    &sum[0], o->region_target);
	if (nr == 4) {
		snprintf(name, sizeof(name), "region_read_%s_poll_vs_nopoll",
			 o->placement);
		bench_print_latency(name, "  umdevd --poll-us (us)", &sum[2],
				    &sum[1], o->poll_target);
		snprintf(name, sizeof(name),
			 "region_read_%s_poll_client_vs_nopoll", o->placement);
		bench_print_latency(name, "  + client polling wait (us)",
				    &sum[3], &sum[1], o->poll_target);
	}
	for (i = 0; i < nr; i++)
		bench_series_free(&s[i]);
	return 0;
}

/* ---- posted write ---- */

/* A posted 1-byte REGION_WRITE: header, rw header, the byte. */
#define POSTED_WRITE_MSG (VU_HDR_SIZE + sizeof(struct vu_region_rw) + 1)

static int64_t bench_posted_target(void *ctx, uint64_t i)
{
	struct bench_dev *d = ctx;
	uint8_t byte = (uint8_t)i;
	uint64_t t0 = bench_now_ns();
	int ret;

	/* SCR: a register with no side effect. */
	ret = umdev_client_write_posted(d->c, BAR0, UART_SCR, &byte, 1);
	if (ret < 0)
		return ret;
	return (int64_t)(bench_now_ns() - t0);
}

static int64_t bench_posted_floor(void *ctx, uint64_t i)
{
	struct bench_peer *p = ctx;
	uint8_t msg[POSTED_WRITE_MSG] = { 0 };
	uint64_t t0 = bench_now_ns();
	int ret;

	ret = bench_write_full(p->fd, msg, sizeof(msg));
	if (ret)
		return ret;
	return (int64_t)(bench_now_ns() - t0);
}

/*
 * Posted write as the client sees it: the send of one no-reply
 * REGION_WRITE, against the write() of the same bytes to a peer that
 * reads them.
 */
int bench_posted(const struct bench_opts *o)
{
	struct bench_series t, f;
	struct bench_summary ts, fs;
	struct bench_peer peer = { 0 };
	struct bench_dev d;
	char tn[128], fn[128], name[96];
	uint8_t back;
	int ret;

	memset(&t, 0, sizeof(t));
	memset(&f, 0, sizeof(f));
	ret = bench_dev_open(&d, o->socket, false);
	if (!ret)
		ret = bench_peer_sink(&peer, POSTED_WRITE_MSG);
	if (!ret)
		ret = bench_named_series(&t, tn, sizeof(tn), "posted", o,
					 "umdevd");
	if (!ret)
		ret = bench_named_series(&f, fn, sizeof(fn), "posted", o,
					 "floor");
	if (!ret)
		ret = bench_interleave(bench_posted_target, &d, &t,
				       bench_posted_floor, &peer, &f, o->iters,
				       o->iters / 20);
	/* Every posted write was taken: a read comes back after them. */
	if (!ret)
		ret = umdev_client_read8(d.c, BAR0, UART_SCR, &back);
	bench_peer_stop(&peer);
	bench_dev_close(&d);
	if (ret) {
		fprintf(stderr, "umdev-bench: posted: %s\n", strerror(-ret));
		return ret;
	}
	bench_report(&t, &f, o->out, &ts, &fs);
	snprintf(name, sizeof(name), "posted_write_%s_ns", o->placement);
	bench_print_latency(name, "posted write: send (us)", &ts, &fs,
			    o->posted_target);
	bench_series_free(&t);
	bench_series_free(&f);
	return 0;
}

/* ---- interrupt ---- */

static int64_t bench_irq_target(void *ctx, uint64_t i)
{
	struct bench_dev *d = ctx;
	uint8_t byte = (uint8_t)i, back;
	uint64_t t0, t1, v;
	int ret;

	t0 = bench_now_ns();
	ret = umdev_client_write_posted(d->c, BAR0, UART_RBR, &byte, 1);
	if (ret < 0)
		return ret;
	if (read(d->efd, &v, sizeof(v)) != sizeof(v))
		return -errno;
	t1 = bench_now_ns();
	if (v != 1)
		return -EPROTO; /* one write, one RX-data interrupt */
	/* Drain the FIFO: the cause clears, the next write fires again. */
	ret = umdev_client_read8(d->c, BAR0, UART_RBR, &back);
	if (ret < 0)
		return ret;
	if (back != byte)
		return -EPROTO;
	return (int64_t)(t1 - t0);
}

static int64_t bench_irq_floor(void *ctx, uint64_t i)
{
	struct bench_peer *p = ctx;
	uint64_t t0, v = 1;

	t0 = bench_now_ns();
	if (write(p->fd, &v, sizeof(v)) != sizeof(v))
		return -errno;
	if (read(p->fd2, &v, sizeof(v)) != sizeof(v))
		return -errno;
	return (int64_t)(p->shared[0] - t0);
}

/*
 * The same path raw: a posted-write-sized message over a socket wakes the
 * peer, which writes an eventfd that wakes us.  Two wake-ups, as in umdevd.
 */
static int64_t bench_irq_path(void *ctx, uint64_t i)
{
	struct bench_peer *p = ctx;
	uint8_t msg[POSTED_WRITE_MSG] = { 0 };
	uint64_t t0, v;
	int ret;

	t0 = bench_now_ns();
	ret = bench_write_full(p->fd, msg, sizeof(msg));
	if (ret)
		return ret;
	if (read(p->fd2, &v, sizeof(v)) != sizeof(v))
		return -errno;
	return (int64_t)(bench_now_ns() - t0);
}

/*
 * Interrupt latency against the two-wake path floor (the one-wake eventfd
 * floor as information); with --socket-poll also polling on vs off.
 */
int bench_irq(const struct bench_opts *o)
{
	struct bench_series s[4];
	struct bench_summary sum[4];
	struct bench_peer path = { 0 }, peer = { 0 };
	struct bench_dev d[2];
	struct bench_arm arms[4];
	char names[4][128], name[96];
	size_t nr = o->socket_poll ? 4 : 3, i;
	int ret;

	memset(d, 0, sizeof(d));
	memset(s, 0, sizeof(s));
	d[1].efd = -1;
	ret = bench_dev_open(&d[0], o->socket, true);
	if (!ret && o->socket_poll)
		ret = bench_dev_open(&d[1], o->socket_poll, true);
	if (!ret)
		ret = bench_peer_sock_eventfd(&path, POSTED_WRITE_MSG);
	if (!ret)
		ret = bench_peer_eventfd(&peer);
	if (!ret)
		ret = bench_named_series(&s[0], names[0], sizeof(names[0]),
					 "irq", o, "floor-path");
	if (!ret)
		ret = bench_named_series(&s[1], names[1], sizeof(names[1]),
					 "irq", o, "floor-eventfd");
	if (!ret)
		ret = bench_named_series(&s[2], names[2], sizeof(names[2]),
					 "irq", o, "umdevd");
	if (!ret && nr == 4)
		ret = bench_named_series(&s[3], names[3], sizeof(names[3]),
					 "irq", o, "umdevd-poll");
	arms[0] = (struct bench_arm){ bench_irq_path, &path, &s[0] };
	arms[1] = (struct bench_arm){ bench_irq_floor, &peer, &s[1] };
	arms[2] = (struct bench_arm){ bench_irq_target, &d[0], &s[2] };
	arms[3] = (struct bench_arm){ bench_irq_target, &d[1], &s[3] };
	if (!ret)
		ret = bench_interleave_arms(arms, nr, o->iters, o->iters / 20);
	bench_peer_stop(&path);
	bench_peer_stop(&peer);
	bench_dev_close(&d[0]);
	bench_dev_close(&d[1]);
	if (ret) {
		fprintf(stderr, "umdev-bench: irq: %s\n", strerror(-ret));
		return ret;
	}
	for (i = 0; i < nr; i++) {
		bench_summarise(&s[i], &sum[i]);
		bench_write_quantiles(&s[i], o->out);
	}
	snprintf(name, sizeof(name), "irq_wake_%s_ns", o->placement);
	bench_print_latency(name, "interrupt: THR write -> MSI (us)", &sum[2],
			    &sum[0], o->irq_target);
	snprintf(name, sizeof(name), "irq_wake_%s_vs_eventfd_floor",
		 o->placement);
	bench_print_info(name, "  (vs one eventfd wake-up, us)", &sum[2],
			 &sum[1]);
	if (nr == 4) {
		snprintf(name, sizeof(name), "irq_wake_%s_poll_vs_nopoll",
			 o->placement);
		bench_print_info(name, "  umdevd --poll-us (us)", &sum[3],
				 &sum[2]);
	}
	for (i = 0; i < nr; i++)
		bench_series_free(&s[i]);
	return 0;
}

/* ---- many devices: one device while N exist vs while 1 exists ---- */

/*
 * Interrupt latency and region read on a device of a umdevd holding
 * o->many devices (--socket-many) against a device of one holding 1
 * (--socket), interleaved; the two-wake path floor as information.
 */
int bench_many(const struct bench_opts *o)
{
	struct bench_series s[5];
	struct bench_summary sum[5];
	struct bench_peer path = { 0 };
	struct bench_dev d[2];
	struct bench_arm arms[5];
	char names[5][128], name[96], what[80];
	size_t i;
	int ret;

	memset(d, 0, sizeof(d));
	memset(s, 0, sizeof(s));
	d[1].efd = -1;
	ret = bench_dev_open(&d[0], o->socket, true);
	if (!ret)
		ret = bench_dev_open(&d[1], o->socket_many, true);
	if (!ret)
		ret = bench_peer_sock_eventfd(&path, POSTED_WRITE_MSG);
	snprintf(what, 32, "umdevd-%udev", o->many);
	if (!ret)
		ret = bench_named_series(&s[0], names[0], sizeof(names[0]),
					 "irq", o, "umdevd-1dev");
	if (!ret)
		ret = bench_named_series(&s[1], names[1], sizeof(names[1]),
					 "irq", o, what);
	if (!ret)
		ret = bench_named_series(&s[2], names[2], sizeof(names[2]),
					 "irq", o, "floor-path-many");
	if (!ret)
		ret = bench_named_series(&s[3], names[3], sizeof(names[3]),
					 "region", o, "umdevd-1dev");
	if (!ret)
		ret = bench_named_series(&s[4], names[4], sizeof(names[4]),
					 "region", o, what);
	arms[0] = (struct bench_arm){ bench_irq_target, &d[0], &s[0] };
	arms[1] = (struct bench_arm){ bench_irq_target, &d[1], &s[1] };
	arms[2] = (struct bench_arm){ bench_irq_path, &path, &s[2] };
	arms[3] = (struct bench_arm){ bench_region_target, &d[0], &s[3] };
	arms[4] = (struct bench_arm){ bench_region_target, &d[1], &s[4] };
	if (!ret)
		ret = bench_interleave_arms(arms, 5, o->iters, o->iters / 20);
	bench_peer_stop(&path);
	bench_dev_close(&d[0]);
	bench_dev_close(&d[1]);
	if (ret) {
		fprintf(stderr, "umdev-bench: many: %s\n", strerror(-ret));
		return ret;
	}
	for (i = 0; i < 5; i++) {
		bench_summarise(&s[i], &sum[i]);
		bench_write_quantiles(&s[i], o->out);
	}
	snprintf(name, sizeof(name), "irq_wake_%s_%udev_vs_1dev", o->placement,
		 o->many);
	snprintf(what, sizeof(what), "interrupt @ %u vs 1 device (us)",
		 o->many);
	bench_print_latency(name, what, &sum[1], &sum[0], 1.05);
	snprintf(name, sizeof(name), "irq_wake_%s_%udev_vs_path_floor",
		 o->placement, o->many);
	bench_print_info(name, "  (vs the two-wake path floor, us)", &sum[1],
			 &sum[2]);
	snprintf(name, sizeof(name), "region_read_%s_%udev_vs_1dev",
		 o->placement, o->many);
	snprintf(what, sizeof(what), "region read @ %u vs 1 device (us)",
		 o->many);
	bench_print_latency(name, what, &sum[4], &sum[3], 1.05);
	for (i = 0; i < 5; i++)
		bench_series_free(&s[i]);
	return 0;
}

/* ---- throughput ---- */

#define TP_WRITE_MSG \
	(VU_HDR_SIZE + VU_WRITE_MULTI_HDR + BURST * sizeof(struct vu_write_one))
#define TP_READ_MSG (VU_HDR_SIZE + sizeof(struct vu_region_rw))
#define TP_REPLY_MSG (TP_READ_MSG + 1)
/* Sent after each RX interrupt: BURST RBR reads, then the next burst. */
#define TP_SEND (BURST * TP_READ_MSG + TP_WRITE_MSG)
#define TP_RECV (BURST * TP_REPLY_MSG)

struct bench_tp {
	struct bench_dev d;
	uint16_t id;
	uint64_t burst; /* the burst whose RX interrupt comes next */
	uint8_t send[TP_SEND];
	uint8_t recv[TP_RECV];
};

/* A REGION_WRITE_MULTI of BURST posted THR writes carrying burst @k. */
static void bench_tp_write_msg(struct bench_tp *tp, uint8_t *p, uint64_t k)
{
	struct vu_hdr h = {
		.msg_id = tp->id++,
		.command = VU_CMD_REGION_WRITE_MULTI,
		.size = TP_WRITE_MSG,
		.flags = VU_TYPE_COMMAND | VU_FLAG_NO_REPLY,
	};
	uint64_t cnt = BURST;
	unsigned int j;

	memcpy(p, &h, sizeof(h));
	memcpy(p + VU_HDR_SIZE, &cnt, sizeof(cnt));
	p += VU_HDR_SIZE + VU_WRITE_MULTI_HDR;
	for (j = 0; j < BURST; j++) {
		struct vu_write_one w = {
			.offset = UART_RBR,
			.region = BAR0,
			.count = 1,
		};

		w.data[0] = (uint8_t)(k * BURST + j);
		memcpy(p + j * sizeof(w), &w, sizeof(w));
	}
}

static void bench_tp_read_msgs(struct bench_tp *tp, uint8_t *p)
{
	struct vu_hdr h = {
		.command = VU_CMD_REGION_READ,
		.size = TP_READ_MSG,
	};
	struct vu_region_rw rw = { .offset = UART_RBR,
				   .region = BAR0,
				   .count = 1 };
	unsigned int j;

	for (j = 0; j < BURST; j++, p += TP_READ_MSG) {
		h.msg_id = tp->id++;
		memcpy(p, &h, sizeof(h));
		memcpy(p + VU_HDR_SIZE, &rw, sizeof(rw));
	}
}

static int64_t bench_tp_target(void *ctx, uint64_t i)
{
	struct bench_tp *tp = ctx;
	uint64_t t0 = bench_now_ns(), v;
	unsigned int j;
	int ret;

	/* The RX interrupt of this burst drives its reads. */
	if (read(tp->d.efd, &v, sizeof(v)) != sizeof(v))
		return -errno;
	if (v != 1)
		return -EPROTO;
	/* Reads and the next burst's posted writes leave in one send. */
	bench_tp_read_msgs(tp, tp->send);
	bench_tp_write_msg(tp, tp->send + BURST * TP_READ_MSG, tp->burst + 1);
	ret = bench_write_full(tp->d.fd, tp->send, TP_SEND);
	if (!ret)
		ret = bench_read_full(tp->d.fd, tp->recv, TP_RECV);
	if (ret)
		return ret;
	for (j = 0; j < BURST; j++) {
		const uint8_t *r = tp->recv + j * TP_REPLY_MSG;
		struct vu_hdr h;

		memcpy(&h, r, sizeof(h));
		if (h.size != TP_REPLY_MSG || (h.flags & VU_FLAG_ERROR) ||
		    h.command != VU_CMD_REGION_READ ||
		    r[TP_READ_MSG] != (uint8_t)(tp->burst * BURST + j))
			return -EPROTO;
	}
	tp->burst++;
	return (int64_t)(bench_now_ns() - t0);
}

static int64_t bench_tp_floor(void *ctx, uint64_t i)
{
	struct bench_peer *p = ctx;
	static uint8_t send[TP_SEND], recv[TP_RECV];
	uint64_t t0 = bench_now_ns();
	int ret;

	ret = bench_write_full(p->fd, send, sizeof(send));
	if (!ret)
		ret = bench_read_full(p->fd, recv, sizeof(recv));
	if (ret)
		return ret;
	return (int64_t)(bench_now_ns() - t0);
}

static void bench_tp_print(const struct bench_opts *o,
			   const struct bench_summary *ts,
			   const struct bench_summary *fs)
{
	/* Median over blocks of 1,000 bursts: robust to a noisy neighbour. */
	double tr = ts->block_rate * BURST, fr = fs->block_rate * BURST;
	double ratio = tr / fr;

	printf("%-34s %9.2f %9.2f %9.2f %9.2f %6.3f %7zu\n",
	       "throughput: 16-byte burst (us)", ts->median / 1e3,
	       ts->p99 / 1e3, fs->median / 1e3, fs->p99 / 1e3,
	       ts->median / fs->median, ts->n);
	printf("%-34s %9.0f %19.0f %16.3f\n", "throughput: bytes/s", tr, fr,
	       ratio);
	printf("%-34s %9.0f %19.0f %16.3f\n", "  (bytes/s over the whole run)",
	       ts->rate * BURST, fs->rate * BURST, ts->rate / fs->rate);
	printf("%-34s %9.1fx a 16550 at 115200 baud (11,520 B/s)\n",
	       "throughput: vs real UART", tr / UART_115200_BPS);
	if (o->throughput_target > 0)
		printf("BENCH throughput_%s_bytes_per_s value=%.0f floor=%.0f ratio=%.3f target=%.2f %s\n",
		       o->placement, tr, fr, ratio, o->throughput_target,
		       ratio >= o->throughput_target ? "MET" : "MISSED");
	else
		printf("INFO throughput_%s_bytes_per_s value=%.0f floor=%.0f ratio=%.3f\n",
		       o->placement, tr, fr, ratio);
	printf("INFO throughput_%s_whole_run_bytes_per_s value=%.0f floor=%.0f ratio=%.3f\n",
	       o->placement, ts->rate * BURST, fs->rate * BURST,
	       ts->rate / fs->rate);
	printf("INFO throughput_%s_x_16550 value=%.1f floor=%.0f ratio=%.1f\n",
	       o->placement, tr / UART_115200_BPS, UART_115200_BPS,
	       tr / UART_115200_BPS);
	fflush(stdout);
}

int bench_throughput(const struct bench_opts *o)
{
	struct bench_series t, f;
	struct bench_summary ts, fs;
	struct bench_peer peer = { 0 };
	struct bench_tp *tp;
	char tn[128], fn[128];
	int ret, fl;

	tp = calloc(1, sizeof(*tp));
	if (!tp)
		return -ENOMEM;
	ret = bench_dev_open(&tp->d, o->socket, true);
	/* Blocking I/O on the raw socket: no poll() per reply. */
	fl = fcntl(tp->d.fd, F_GETFL);
	if (!ret && fcntl(tp->d.fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
		ret = -errno;
	if (!ret) {
		/* Prime the pipeline with burst 0. */
		bench_tp_write_msg(tp, tp->send, 0);
		ret = bench_write_full(tp->d.fd, tp->send, TP_WRITE_MSG);
	}
	if (!ret)
		ret = bench_peer_burst(&peer, TP_WRITE_MSG, TP_SEND, TP_RECV);
	if (!ret) {
		uint8_t first[TP_WRITE_MSG] = { 0 };

		ret = bench_write_full(peer.fd, first, sizeof(first));
	}
	if (!ret)
		ret = bench_named_series(&t, tn, sizeof(tn), "throughput", o,
					 "umdevd");
	if (!ret)
		ret = bench_named_series(&f, fn, sizeof(fn), "throughput", o,
					 "floor");
	if (!ret)
		ret = bench_interleave(bench_tp_target, tp, &t, bench_tp_floor,
				       &peer, &f, o->iters, o->iters / 20);
	bench_peer_stop(&peer);
	if (tp->d.fd > 0)
		fcntl(tp->d.fd, F_SETFL, fl);
	bench_dev_close(&tp->d);
	free(tp);
	if (ret) {
		fprintf(stderr, "umdev-bench: throughput: %s\n",
			strerror(-ret));
		return ret;
	}
	bench_report(&t, &f, o->out, &ts, &fs);
	bench_tp_print(o, &ts, &fs);
	bench_series_free(&t);
	bench_series_free(&f);
	return 0;
}
