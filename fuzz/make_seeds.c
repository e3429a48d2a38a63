// SPDX-License-Identifier: GPL-2.0-only
/*
 * make_seeds - write the seed corpora in fuzz/corpus/<target>/: a few
 * valid inputs per target, in each target's input format, built with the
 * same code the targets test (migration streams come from a real device).
 * Run by fuzz/make-seeds.sh; the output is committed.
 *
 * Usage: make_seeds CORPUS_DIR
 */
#include <errno.h>
#include <linux/vfio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compat/vfio_precopy.h"
#include "fuzz_util.h"
#include "model/mtty/mtty_model.h"
#include "vfio-user/wire.h"

static const char *corpus;

static void seed_write(const char *target, const char *name, const void *buf,
		       size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", corpus, target);
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", corpus, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* A growing byte buffer. */
struct seed {
	uint8_t b[8192];
	size_t len;
};

static void put(struct seed *s, const void *p, size_t len)
{
	if (s->len + len > sizeof(s->b))
		abort();
	if (len)
		memcpy(s->b + s->len, p, len);
	s->len += len;
}

static void put_u8(struct seed *s, uint8_t v)
{
	put(s, &v, 1);
}

static void put_u16(struct seed *s, uint16_t v)
{
	put_u8(s, v & 0xff);
	put_u8(s, v >> 8);
}

/* ---- fuzz_version: VERSION payloads ---- */

static void seed_version_one(const char *name, uint16_t major, uint16_t minor,
			     const char *json)
{
	struct seed s = { .len = 0 };

	put(&s, &major, 2);
	put(&s, &minor, 2);
	if (json)
		put(&s, json, strlen(json) + 1);
	seed_write("fuzz_version", name, s.b, s.len);
}

static void seeds_version(void)
{
	seed_version_one("qemu", 0, 0,
			 "{\"capabilities\":{\"migration\":{\"pgsize\":4096,"
			 "\"max_bitmap_size\":268435456},\"max_msg_fds\":16,"
			 "\"max_data_xfer_size\":1048576,\"pgsizes\":4096,"
			 "\"max_dma_maps\":65535,\"write_multiple\":true}}");
	seed_version_one("no-json", 0, 0, NULL);
	seed_version_one("empty-object", 0, 1, "{}");
	seed_version_one("twin", 0, 0,
			 "{\"capabilities\":{\"twin_socket\":{\"supported\":"
			 "true},\"max_msg_fds\":0}}");
	seed_version_one("major1", 1, 0, "{\"capabilities\":{}}");
	seed_version_one("wrong-type", 0, 0,
			 "{\"capabilities\":{\"max_msg_fds\":\"16\"}}");
}

/* ---- fuzz_dispatch: records (control byte, u16 length, bytes) ---- */

#define REC_RAW 0x80
#define REC_POSTED 0x20
#define REC_FDS 0x40

static void rec(struct seed *s, uint8_t ctl, const void *p, uint16_t len)
{
	put_u8(s, ctl);
	put_u16(s, len);
	put(s, p, len);
}

static void rec_region(struct seed *s, uint8_t cmd, uint8_t extra,
		       uint32_t region, uint64_t offset, const void *data,
		       uint32_t count)
{
	uint8_t p[16 + 64];
	struct vu_region_rw rw = { .offset = offset,
				   .region = region,
				   .count = count };
	size_t len = sizeof(rw);

	memcpy(p, &rw, sizeof(rw));
	if (data) {
		memcpy(p + len, data, count);
		len += count;
	}
	rec(s, cmd | extra, p, len);
}

static void rec_irqs(struct seed *s, uint8_t extra, uint32_t flags,
		     uint32_t index, uint32_t count)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = flags,
		.index = index,
		.start = 0,
		.count = count,
	};

	rec(s, VU_CMD_DEVICE_SET_IRQS | extra, &set, sizeof(set));
}

static void seeds_dispatch(void)
{
	struct vfio_device_info info = { .argsz = 16 };
	struct vfio_region_info ri = { .argsz = sizeof(ri) };
	struct vfio_irq_info ii = { .argsz = sizeof(ii) };
	struct vu_dma_map map = { .argsz = sizeof(map),
				  .flags = 3,
				  .address = 0x100000,
				  .size = 0x1000 };
	struct vu_dma_unmap unmap = { .argsz = sizeof(unmap),
				      .address = 0x100000,
				      .size = 0x1000 };
	uint8_t multi[8 + 2 * sizeof(struct vu_write_one)];
	struct vu_write_one w = { .region = 0, .offset = 0, .count = 1 };
	struct vu_hdr hdr = { .msg_id = 7,
			      .command = VU_CMD_REGION_READ,
			      .size = 32 };
	uint64_t cnt = 2;
	struct seed s = { .len = 0 };
	uint32_t i;

	/* Discovery, as a VMM starts. */
	rec(&s, VU_CMD_DEVICE_GET_INFO, &info, 16);
	for (i = 0; i < 9; i++) {
		ri.index = i;
		rec(&s, VU_CMD_DEVICE_GET_REGION_INFO, &ri, sizeof(ri));
	}
	for (i = 0; i < 5; i++) {
		ii.index = i;
		rec(&s, VU_CMD_DEVICE_GET_IRQ_INFO, &ii, sizeof(ii));
	}
	rec_region(&s, VU_CMD_REGION_READ, 0, 7, 0, NULL, 64);
	seed_write("fuzz_dispatch", "discovery", s.b, s.len);

	/* Loopback with INTx: IER=RDI, bytes in, bytes out. */
	s.len = 0;
	rec_irqs(&s, REC_FDS,
		 VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		 VFIO_PCI_INTX_IRQ_INDEX, 1);
	rec_region(&s, VU_CMD_REGION_WRITE, 0, 0, 1, "\x01", 1);
	rec_region(&s, VU_CMD_REGION_WRITE, REC_POSTED, 0, 0, "hi", 1);
	rec_region(&s, VU_CMD_REGION_WRITE, 0, 0, 0, "i", 1);
	rec_region(&s, VU_CMD_REGION_READ, 0, 0, 2, NULL, 1);
	rec_irqs(&s, 0, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
		 VFIO_PCI_INTX_IRQ_INDEX, 1);
	rec_region(&s, VU_CMD_REGION_READ, 0, 0, 0, NULL, 1);
	rec_region(&s, VU_CMD_REGION_READ, 0, 0, 5, NULL, 1);
	rec_irqs(&s, 0, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		 VFIO_PCI_INTX_IRQ_INDEX, 0);
	seed_write("fuzz_dispatch", "loopback-intx", s.b, s.len);

	/* MSI on port 1, FIFO enabled, write-multiple, reset. */
	s.len = 0;
	rec_irqs(&s, REC_FDS,
		 VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		 VFIO_PCI_MSI_IRQ_INDEX, 1);
	rec_region(&s, VU_CMD_REGION_WRITE, 0, 1, 2, "\xc7", 1);
	memcpy(multi, &cnt, 8);
	w.offset = 1;
	w.data[0] = 0x0f;
	memcpy(multi + 8, &w, sizeof(w));
	w.offset = 0;
	w.data[0] = 'x';
	memcpy(multi + 8 + sizeof(w), &w, sizeof(w));
	rec(&s, VU_CMD_REGION_WRITE_MULTI | REC_POSTED, multi, sizeof(multi));
	rec_region(&s, VU_CMD_REGION_READ, 0, 0, 0, NULL, 8);
	rec(&s, VU_CMD_DEVICE_RESET, NULL, 0);
	rec_region(&s, VU_CMD_REGION_WRITE, 0, 7, 0x10, "\xff\xff\xff\xff", 4);
	rec_region(&s, VU_CMD_REGION_READ, 0, 7, 0x10, NULL, 8);
	seed_write("fuzz_dispatch", "msi-multi-reset", s.b, s.len);

	/* DMA map with an fd, unmap, REQ trigger, and a split message. */
	s.len = 0;
	rec(&s, VU_CMD_DMA_MAP | REC_FDS, &map, sizeof(map));
	rec(&s, VU_CMD_DMA_UNMAP, &unmap, sizeof(unmap));
	rec_irqs(&s, REC_FDS,
		 VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		 VFIO_PCI_REQ_IRQ_INDEX, 1);
	rec(&s, REC_RAW, &hdr, 10);
	rec(&s, REC_RAW, (const uint8_t *)&hdr + 10, 6);
	{
		struct vu_region_rw rw = { .offset = 0,
					   .region = 7,
					   .count = 4 };

		rec(&s, REC_RAW, &rw, sizeof(rw));
	}
	seed_write("fuzz_dispatch", "dma-req-split", s.b, s.len);
}

/* ---- fuzz_set_irqs: header (20 bytes), n, n data bytes ---- */

static void irq_rec(struct seed *s, uint32_t flags, uint32_t index,
		    uint32_t count, const void *data, uint8_t n)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set) + n,
		.flags = flags,
		.index = index,
		.start = 0,
		.count = count,
	};

	put(s, &set, sizeof(set));
	put_u8(s, n);
	put(s, data, n);
}

static void seeds_set_irqs(void)
{
	const int32_t fd = 0, none = -1;
	const uint8_t one = 1;
	struct seed s = { .len = 0 };

	irq_rec(&s, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		VFIO_PCI_INTX_IRQ_INDEX, 1, &fd, 4);
	irq_rec(&s, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
		VFIO_PCI_INTX_IRQ_INDEX, 1, NULL, 0);
	irq_rec(&s, VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_MASK,
		VFIO_PCI_INTX_IRQ_INDEX, 1, &one, 1);
	irq_rec(&s, VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER,
		VFIO_PCI_INTX_IRQ_INDEX, 1, &one, 1);
	irq_rec(&s, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		VFIO_PCI_MSI_IRQ_INDEX, 1, &fd, 4);
	irq_rec(&s, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		VFIO_PCI_INTX_IRQ_INDEX, 0, NULL, 0);
	irq_rec(&s, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		VFIO_PCI_MSI_IRQ_INDEX, 1, &fd, 4);
	irq_rec(&s, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		VFIO_PCI_REQ_IRQ_INDEX, 1, &fd, 4);
	irq_rec(&s, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		VFIO_PCI_MSI_IRQ_INDEX, 1, &none, 4);
	seed_write("fuzz_set_irqs", "intx-msi-req", s.b, s.len);

	s.len = 0;
	irq_rec(&s, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		VFIO_PCI_MSIX_IRQ_INDEX, 1, &fd, 4);
	irq_rec(&s, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		VFIO_PCI_ERR_IRQ_INDEX, 0, NULL, 0);
	irq_rec(&s, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_UNMASK,
		VFIO_PCI_INTX_IRQ_INDEX, 1, &fd, 4);
	seed_write("fuzz_set_irqs", "refused", s.b, s.len);
}

/* ---- fuzz_migration: streams saved from a real model ---- */

static void mig_raise(void *opaque, enum mtty_irq_mode mode)
{
}

static void mig_timer(void *opaque, unsigned int port, uint64_t delay)
{
}

static uint64_t mig_now_ns(void *opaque)
{
	return 0;
}

static const struct mtty_model_host_ops mig_host = {
	.raise_irq = mig_raise,
	.set_timer = mig_timer,
	.now_ns = mig_now_ns,
};

static void seed_mig(const char *name, struct mtty_model *m)
{
	uint8_t buf[1024];
	long n = mtty_model_save(m, buf, sizeof(buf));

	if (n < 0)
		abort();
	seed_write("fuzz_migration", name, buf, n);
}

static void seeds_migration(void)
{
	struct mtty_model m;
	unsigned int ports;

	for (ports = 1; ports <= 2; ports++) {
		char name[32];

		mtty_model_init(&m, ports, &mig_host, NULL);
		snprintf(name, sizeof(name), "power-on-%u", ports);
		seed_mig(name, &m);

		/* Busy: FIFO on, data queued, interrupts enabled, BAR set. */
		mtty_model_set_irq_mode(&m, MTTY_IRQ_INTX);
		mtty_model_write(&m, MTTY_REGION_CONFIG, 0x10,
				 "\x00\xc0\x00\x00", 4);
		mtty_model_write(&m, MTTY_REGION_BAR0, 2, "\x81", 1);
		mtty_model_write(&m, MTTY_REGION_BAR0, 1, "\x0f", 1);
		mtty_model_write(&m, MTTY_REGION_BAR0, 3, "\x83", 1);
		mtty_model_write(&m, MTTY_REGION_BAR0, 0, "\x0c", 1);
		mtty_model_write(&m, MTTY_REGION_BAR0, 3, "\x03", 1);
		mtty_model_write(&m, MTTY_REGION_BAR0, 0, "abcdefgh", 1);
		mtty_model_write(&m, MTTY_REGION_BAR0, 0, "b", 1);
		mtty_model_write(&m, MTTY_REGION_BAR0, 0, "c", 1);
		mtty_model_write(&m, MTTY_REGION_BAR0, 7, "\x5a", 1);
		snprintf(name, sizeof(name), "busy-%u", ports);
		seed_mig(name, &m);
	}
}

/* ---- fuzz_control: request lines ---- */

static void seed_text(const char *target, const char *name, const char *text)
{
	seed_write(target, name, text, strlen(text));
}

static void seeds_control(void)
{
	seed_text(
		"fuzz_control", "every-op",
		"{\"op\":\"version\"}\n{\"op\":\"types\"}\n{\"op\":\"list\"}\n"
		"{\"op\":\"drivers\"}\n"
		"{\"op\":\"load-driver\",\"path\":\"/nonexistent/x.so\"}\n"
		"{\"op\":\"unload-driver\",\"name\":\"mtty\"}\n");
	seed_text(
		"fuzz_control", "start-list-stop",
		"{\"op\":\"start\",\"uuid\":\"8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a2b\",\"parent\":\"mtty\",\"type\":\"mtty-2\"}\n"
		"{\"op\":\"list\"}\n"
		"{\"op\":\"start\",\"uuid\":\"8A4B1F3E-0C2D-4E5F-9A6B-7C8D9E0F1A2B\",\"parent\":\"mtty\",\"type\":\"mtty-1\"}\n"
		"{\"op\":\"stop\",\"uuid\":\"8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a2b\"}\n"
		"{\"op\":\"stop\",\"uuid\":\"8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a2b\"}\n");
	seed_text(
		"fuzz_control", "refused",
		"{\"op\":\"start\",\"uuid\":\"../../etc/passwd\",\"parent\":\"mtty\",\"type\":\"mtty-1\"}\n"
		"{\"op\":\"start\",\"uuid\":\"8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a2b\",\"parent\":\"x\",\"type\":1}\n"
		"{\"op\":\"nope\"}\n{\"op\":7}\n{}\n[]\n");
	seed_text(
		"fuzz_control", "not-strict",
		"{'op':'list'}\n{\"op\":\"list\"} x\n{\"op\":\"list\",\"x\":NaN}\n"
		"{\"op\":\"list\"/* c */}\n{\"op\":\"list\",}\n{\"op\":\"\xc3\"}\n"
		"{\"op\":\"\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\"}\n");
}

/* ---- fuzz_client_reply: one record per reply (as fuzz_dispatch's) ---- */

static void seeds_client_reply(void)
{
	static const char caps[] =
		"{\"capabilities\":{\"max_msg_fds\":16,\"max_data_xfer_size\":1048576,\"pgsizes\":4096,\"max_dma_maps\":512,\"write_multiple\":true}}";
	uint8_t version[4 + sizeof(caps)] = { 0 };
	uint32_t info[4] = { 16, 3, 9, 5 };
	struct vfio_region_info ri = { .argsz = sizeof(ri),
				       .size = 256,
				       .flags = 3 };
	struct vfio_irq_info ii = { .argsz = sizeof(ii),
				    .count = 1,
				    .flags = 1 };
	uint8_t read_reply[16 + 256] = { 0 };
	uint8_t write_reply[16] = { 0 };
	struct seed s = { .len = 0 };
	unsigned int i;

	memcpy(version + 4, caps, sizeof(caps));
	rec(&s, 0, version, sizeof(version));
	rec(&s, 0, info, sizeof(info));
	for (i = 0; i < 9; i++) {
		ri.index = i;
		rec(&s, 0, &ri, sizeof(ri));
	}
	for (i = 0; i < 5; i++) {
		ii.index = i;
		rec(&s, 0, &ii, sizeof(ii));
	}
	/* REGION_READ of 256 bytes: offset 0, region 7, count 256, data. */
	read_reply[8] = 7;
	read_reply[13] = 1;
	rec(&s, 0, read_reply, sizeof(read_reply));
	write_reply[8] = 0;
	write_reply[12] = 1;
	rec(&s, 0, write_reply, sizeof(write_reply));
	rec(&s, 0, NULL, 0); /* SET_IRQS */
	rec(&s, 0, NULL, 0); /* RESET */
	seed_write("fuzz_client_reply", "info-session", s.b, s.len);

	s.len = 0;
	rec(&s, 0, version, sizeof(version));
	info[2] = 0xffffffffu; /* absurd: refused by the library */
	rec(&s, 0, info, sizeof(info));
	seed_write("fuzz_client_reply", "absurd-counts", s.b, s.len);

	s.len = 0;
	rec(&s, 0, version, sizeof(version));
	rec(&s, 0x04, "\x16", 1); /* GET_INFO refused with EINVAL */
	rec(&s, 0x01, info, sizeof(info)); /* wrong msg_id */
	seed_write("fuzz_client_reply", "errors", s.b, s.len);

	/* Found by the fuzzer: a write reply claiming more than was sent. */
	s.len = 0;
	rec(&s, 0, version, sizeof(version));
	rec(&s, 0x04, "\x16", 1); /* GET_INFO refused */
	rec(&s, 0x04, "\x16", 1); /* REGION_READ refused */
	memset(write_reply, 0, sizeof(write_reply));
	write_reply[13] = 1; /* count 256, for a 1-byte write */
	rec(&s, 0, write_reply, sizeof(write_reply));
	seed_write("fuzz_client_reply", "regress-write-count", s.b, s.len);
}

/* ---- fuzz_mig_commands: programs of migration requests ---- */

/* The ops of fuzz_mig_commands.c's input. */
enum {
	MIG_SET,
	MIG_GET,
	MIG_READ,
	MIG_WRITE_KEPT,
	MIG_WRITE_RAW,
	MIG_PRECOPY,
	MIG_REGION,
	MIG_OTHER
};

static void mig_set(struct seed *s, uint8_t state)
{
	put_u8(s, MIG_SET);
	put_u8(s, state);
}

static void mig_read_all(struct seed *s)
{
	put_u8(s, MIG_READ);
	put_u16(s, 4000);
}

static void mig_write_kept(struct seed *s, uint8_t chunk, uint16_t at,
			   uint8_t flip)
{
	put_u8(s, MIG_WRITE_KEPT);
	put_u8(s, chunk - 1);
	put_u16(s, at);
	put_u8(s, flip);
}

static void mig_region(struct seed *s, uint8_t reg, uint8_t val)
{
	put_u8(s, MIG_REGION);
	put_u8(s, reg);
	put_u8(s, val);
}

static void seeds_mig_commands(void)
{
	struct seed s = { .len = 0 };

	/* Save, load the stream back (in chunks), run. */
	mig_region(&s, 7, 0x42);
	mig_region(&s, 0, 'a');
	mig_set(&s, VFIO_DEVICE_STATE_STOP_COPY);
	mig_read_all(&s);
	mig_set(&s, VFIO_DEVICE_STATE_STOP);
	mig_set(&s, VFIO_DEVICE_STATE_RESUMING);
	mig_write_kept(&s, 64, 0, 0);
	mig_set(&s, VFIO_DEVICE_STATE_STOP);
	mig_set(&s, VFIO_DEVICE_STATE_RUNNING);
	mig_region(&s, 7, 0);
	seed_write("fuzz_mig_commands", "save-load", s.b, s.len);

	/* PRE_COPY: info, a part read, a change, the rest, STOP_COPY. */
	s.len = 0;
	mig_set(&s, VFIO_DEVICE_STATE_PRE_COPY);
	put_u8(&s, MIG_PRECOPY);
	put_u8(&s, MIG_READ);
	put_u16(&s, 100);
	mig_region(&s, 7, 0x17);
	put_u8(&s, MIG_PRECOPY);
	mig_read_all(&s);
	mig_set(&s, VFIO_DEVICE_STATE_STOP_COPY);
	mig_read_all(&s);
	mig_set(&s, VFIO_DEVICE_STATE_RESUMING);
	mig_write_kept(&s, 200, 0, 0);
	mig_set(&s, VFIO_DEVICE_STATE_RUNNING);
	put_u8(&s, MIG_GET);
	seed_write("fuzz_mig_commands", "precopy", s.b, s.len);

	/* A damaged stream: ERROR, refused requests, a reset. */
	s.len = 0;
	mig_set(&s, VFIO_DEVICE_STATE_STOP_COPY);
	mig_read_all(&s);
	mig_set(&s, VFIO_DEVICE_STATE_RESUMING);
	mig_write_kept(&s, 255, 12, 0x03);
	mig_set(&s, VFIO_DEVICE_STATE_STOP);
	mig_set(&s, VFIO_DEVICE_STATE_RUNNING);
	mig_region(&s, 7, 1);
	put_u8(&s, MIG_OTHER);
	put_u8(&s, 0); /* reset */
	put_u8(&s, MIG_WRITE_RAW);
	put_u8(&s, 4);
	put(&s, "junk", 4);
	seed_write("fuzz_mig_commands", "bad-stream", s.b, s.len);

	/* Every state in turn, and a refused arc. */
	s.len = 0;
	for (uint8_t st = VFIO_DEVICE_STATE_STOP; st <= 7; st++) {
		mig_set(&s, st);
		put_u8(&s, MIG_GET);
	}
	mig_set(&s, VFIO_DEVICE_STATE_STOP_COPY);
	mig_set(&s, 6); /* STOP_COPY -> PRE_COPY: refused */
	mig_set(&s, 0xff); /* out of range */
	seed_write("fuzz_mig_commands", "states", s.b, s.len);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	corpus = argv[1];
	seeds_version();
	seeds_dispatch();
	seeds_set_irqs();
	seeds_migration();
	seeds_control();
	seeds_client_reply();
	seeds_mig_commands();
	return 0;
}
