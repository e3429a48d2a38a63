// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the mtty migration stream: exact encoding, round trip,
 * timer re-arming, and every refused stream leaving the device unchanged.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fake_host.h"

/* Stream layout (see mtty_model.c). */
#define HDR 24
#define CFG_OFF HDR
#define MASK_OFF (CFG_OFF + 256)
#define PORT_OFF(p) (MASK_OFF + 1 + (p)*28)
#define P_IER 0
#define P_FCR 1
#define P_LCR 2
#define P_MCR 3
#define P_LSR 4
#define P_MSR 5
#define P_SCR 6
#define P_DIV 7
#define P_COUNT 9
#define P_FIFO 10
#define P_FLAGS 26
#define P_LAST_IIR 27
#define SIZE(n) (HDR + 257 + (n)*28)

static uint64_t le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	while (n--) {
		*p++ = v & 0xff;
		v >>= 8;
	}
}

struct dev {
	struct mtty_model m;
	struct fake_host host;
};

static void dev_init(struct dev *d, unsigned int nr_ports)
{
	memset(d, 0, sizeof(*d));
	assert_int_equal(mtty_model_init(&d->m, nr_ports, &fake_ops, &d->host),
			 0);
}

/*
 * A busy device: wrapped FIFO, overrun, divisor, every register set,
 * modem deltas, a pending timeout on port 1, INTx masked, config written.
 */
static void make_busy(struct dev *d)
{
	uint8_t line = 0x0b;
	uint8_t bar[4] = { 0x00, 0xc0, 0, 0 };
	unsigned int i;

	assert_int_equal(mtty_model_set_irq_mode(&d->m, MTTY_IRQ_INTX), 0);
	assert_int_equal(mtty_model_write(&d->m, 7, 0x3c, &line, 1), 1);
	assert_int_equal(mtty_model_write(&d->m, 7, 0x10, bar, 4), 4);
	/* Port 0: FIFO 16 deep, ring wrapped and full, overrun pending. */
	bar_set_divisor(&d->m, 0, 0x1234, 0x1b);
	bar_wr(&d->m, 0, UART_FCR, 0x87);
	bar_wr(&d->m, 0, UART_IER, 0x0f);
	bar_wr(&d->m, 0, UART_MCR, 0x0b);
	bar_wr(&d->m, 0, UART_SCR, 0x5c);
	for (i = 0; i < 10; i++)
		bar_wr(&d->m, 0, UART_TX, i);
	for (i = 0; i < 6; i++)
		bar_rd(&d->m, 0, UART_RX);
	for (i = 10; i < 23; i++) /* 4 + 13 = 17: one overrun */
		bar_wr(&d->m, 0, UART_TX, i);
	/* Port 1: 3 bytes below trigger 14, timed out. */
	if (d->m.nr_ports == 2) {
		bar_set_divisor(&d->m, 1, 1, 0x03);
		bar_wr(&d->m, 1, UART_FCR, 0xc1);
		bar_wr(&d->m, 1, UART_TX, 'x');
		bar_rd(&d->m, 1, UART_RX);
		bar_wr(&d->m, 1, UART_IER, UART_IER_RDI);
		for (i = 0; i < 3; i++)
			bar_wr(&d->m, 1, UART_TX, 'a' + i);
		fake_timer_fire(&d->m, &d->host, 1);
		assert_true(d->m.uart[1].timeout_pending);
	}
	assert_true(d->m.intx_masked);
}

static long save(struct dev *d, uint8_t *buf, size_t len)
{
	return mtty_model_save(&d->m, buf, len);
}

static void test_size_and_header(void **state)
{
	struct dev d;
	uint8_t buf[SIZE(2)];

	dev_init(&d, 1);
	assert_int_equal(mtty_model_migration_size(&d.m), SIZE(1));
	assert_int_equal(save(&d, buf, sizeof(buf)), SIZE(1));
	assert_int_equal(le(buf, 8), 0x7e9d09898c3e2c4eull);
	assert_int_equal(buf[0], 0x4e); /* little-endian on the wire */
	assert_int_equal(le(buf + 8, 2), 1);
	assert_int_equal(le(buf + 10, 2), 0);
	assert_int_equal(le(buf + 12, 4), 1);
	assert_int_equal(le(buf + 16, 4), 0);
	assert_int_equal(le(buf + 20, 4), SIZE(1) - HDR);
	dev_init(&d, 2);
	assert_int_equal(mtty_model_migration_size(&d.m), SIZE(2));
	assert_int_equal(save(&d, buf, sizeof(buf)), SIZE(2));
	assert_int_equal(le(buf + 12, 4), 2);
	assert_int_equal(le(buf + 20, 4), SIZE(2) - HDR);
}

static void test_save_too_small(void **state)
{
	struct dev d;
	uint8_t buf[SIZE(2)];

	dev_init(&d, 2);
	memset(buf, 0x77, sizeof(buf));
	assert_int_equal(save(&d, buf, SIZE(2) - 1), -ENOSPC);
	assert_int_equal(save(&d, buf, 0), -ENOSPC);
	assert_int_equal(buf[0], 0x77);
}

static void test_field_encoding(void **state)
{
	struct dev d;
	uint8_t buf[SIZE(2)];
	const uint8_t *p0 = buf + PORT_OFF(0), *p1 = buf + PORT_OFF(1);
	unsigned int i;

	dev_init(&d, 2);
	make_busy(&d);
	assert_int_equal(save(&d, buf, sizeof(buf)), SIZE(2));
	assert_memory_equal(buf + CFG_OFF, d.m.config.bytes, 256);
	assert_int_equal(buf[CFG_OFF + 0x3c], 0x0b);
	assert_int_equal(buf[MASK_OFF], 1);
	assert_int_equal(p0[P_IER], 0x0f);
	assert_int_equal(p0[P_FCR], 0x81);
	assert_int_equal(p0[P_LCR], 0x1b);
	assert_int_equal(p0[P_MCR], 0x0b);
	assert_int_equal(p0[P_LSR], UART_LSR_OE);
	assert_int_equal(p0[P_MSR], 0xbb);
	assert_int_equal(p0[P_SCR], 0x5c);
	assert_int_equal(le(p0 + P_DIV, 2), 0x1234);
	assert_int_equal(p0[P_COUNT], 16);
	/* FIFO oldest first, whatever the ring position. */
	for (i = 0; i < 16; i++)
		assert_int_equal(p0[P_FIFO + i], 6 + i);
	assert_int_equal(p0[P_FLAGS], 0);
	assert_int_equal(p0[P_LAST_IIR], UART_IIR_RLSI);
	assert_int_equal(p1[P_COUNT], 3);
	assert_memory_equal(p1 + P_FIFO, "abc", 3);
	for (i = 3; i < 16; i++)
		assert_int_equal(p1[P_FIFO + i], 0);
	assert_int_equal(p1[P_FLAGS], 0x02); /* timeout indicated */
	assert_int_equal(p1[P_LAST_IIR], UART_IIR_CTI);
	assert_int_equal(le(p1 + P_DIV, 2), 1);
	/* A THR-empty cause armed but not yet acknowledged: flag bit 0. */
	dev_init(&d, 1);
	bar_wr(&d.m, 0, UART_IER, UART_IER_THRI);
	assert_int_equal(save(&d, buf, sizeof(buf)), SIZE(1));
	assert_int_equal(p0[P_FLAGS], 0x01);
	assert_int_equal(p0[P_LAST_IIR], UART_IIR_THRI);
	bar_rd(&d.m, 0, UART_IIR);
	assert_int_equal(save(&d, buf, sizeof(buf)), SIZE(1));
	assert_int_equal(p0[P_FLAGS], 0x00);
	assert_int_equal(p0[P_LAST_IIR], UART_IIR_NO_INT);
}

/* Drive both devices through the same reads: they must answer alike. */
static void assert_same_behaviour(struct dev *a, struct dev *b)
{
	unsigned int p, r, i;

	for (p = 0; p < a->m.nr_ports; p++) {
		for (r = 1; r < 8; r++)
			assert_int_equal(bar_rd(&a->m, p, r),
					 bar_rd(&b->m, p, r));
		for (i = 0; i < 17; i++)
			assert_int_equal(bar_rd(&a->m, p, UART_RX),
					 bar_rd(&b->m, p, UART_RX));
		bar_wr(&a->m, p, UART_LCR, UART_LCR_DLAB);
		bar_wr(&b->m, p, UART_LCR, UART_LCR_DLAB);
		assert_int_equal(bar_rd(&a->m, p, UART_DLL),
				 bar_rd(&b->m, p, UART_DLL));
		assert_int_equal(bar_rd(&a->m, p, UART_DLM),
				 bar_rd(&b->m, p, UART_DLM));
	}
	assert_int_equal(a->m.intx_masked, b->m.intx_masked);
}

static void test_round_trip(void **state)
{
	struct dev src, dst;
	uint8_t buf[SIZE(2)], again[SIZE(2)];
	const char *why = "unset";

	dev_init(&src, 2);
	make_busy(&src);
	assert_int_equal(save(&src, buf, sizeof(buf)), SIZE(2));
	dev_init(&dst, 2);
	assert_int_equal(mtty_model_restore(&dst.m, buf, SIZE(2), &why), 0);
	assert_null(why);
	/* The IRQ mode is the VMM's setup and does not travel. */
	assert_int_equal(dst.m.irq_mode, MTTY_IRQ_NONE);
	assert_int_equal(save(&dst, again, sizeof(again)), SIZE(2));
	assert_memory_equal(buf, again, SIZE(2));
	/* Restoring raises nothing. */
	assert_int_equal(fake_irq_total(&dst.host), 0);
	assert_int_equal(mtty_model_set_irq_mode(&dst.m, MTTY_IRQ_INTX), 0);
	assert_int_equal(mtty_model_set_irq_mode(&src.m, MTTY_IRQ_NONE), 0);
	assert_int_equal(mtty_model_set_irq_mode(&src.m, MTTY_IRQ_INTX), 0);
	assert_same_behaviour(&src, &dst);
}

static void test_round_trip_fresh_1port(void **state)
{
	struct dev src, dst;
	uint8_t buf[SIZE(1)], again[SIZE(1)];

	dev_init(&src, 1);
	dev_init(&dst, 1);
	make_busy(&dst); /* restore must overwrite everything */
	assert_int_equal(save(&src, buf, sizeof(buf)), SIZE(1));
	assert_int_equal(mtty_model_restore(&dst.m, buf, SIZE(1), NULL), 0);
	assert_int_equal(save(&dst, again, sizeof(again)), SIZE(1));
	assert_memory_equal(buf, again, SIZE(1));
	assert_false(dst.m.intx_masked);
	assert_same_behaviour(&src, &dst);
}

static void test_restore_rearms_timers(void **state)
{
	struct dev src, dst;
	uint8_t buf[SIZE(2)];

	dev_init(&src, 2);
	/* Port 0: one byte below trigger 4, timer running on the source. */
	bar_set_divisor(&src.m, 0, 1, 0x03);
	bar_wr(&src.m, 0, UART_FCR, 0x41);
	bar_wr(&src.m, 0, UART_IER, UART_IER_RDI);
	bar_wr(&src.m, 0, UART_TX, 'q');
	assert_true(src.m.uart[0].timer_running);
	assert_int_equal(save(&src, buf, sizeof(buf)), SIZE(2));

	dev_init(&dst, 2);
	/* Port 1 of the destination had a timer that must now stop. */
	bar_set_divisor(&dst.m, 1, 1, 0x03);
	bar_wr(&dst.m, 1, UART_FCR, 0xc1);
	bar_wr(&dst.m, 1, UART_TX, 'z');
	assert_true(dst.m.uart[1].timer_running);
	memset(dst.host.timer_calls, 0, sizeof(dst.host.timer_calls));
	assert_int_equal(mtty_model_restore(&dst.m, buf, SIZE(2), NULL), 0);
	assert_int_equal(dst.host.timer_calls[0], 1);
	assert_int_equal(dst.host.timer_delay[0], 347222);
	assert_true(dst.m.uart[0].timer_running);
	assert_int_equal(dst.host.timer_calls[1], 1);
	assert_int_equal(dst.host.timer_delay[1], 0);
	assert_false(dst.m.uart[1].timer_running);
	/* The re-armed timer works: expiry gives the timeout indication. */
	assert_int_equal(mtty_model_set_irq_mode(&dst.m, MTTY_IRQ_MSI), 0);
	fake_timer_fire(&dst.m, &dst.host, 0);
	assert_int_equal(dst.host.irqs[MTTY_IRQ_MSI], 1);
	assert_int_equal(bar_rd(&dst.m, 0, UART_IIR), 0xcc);
	assert_int_equal(bar_rd(&dst.m, 0, UART_RX), 'q');
}

/*
 * Feed @stream to a busy 2-port device and check it is refused with @err
 * and a reason, touching nothing: same stream saved before and after, no
 * timer or interrupt requested.
 */
static void check_refused(const uint8_t *stream, size_t len, int err)
{
	struct dev d;
	uint8_t before[SIZE(2)], after[SIZE(2)];
	struct fake_host host_before;
	const char *why = NULL;

	dev_init(&d, 2);
	make_busy(&d);
	assert_int_equal(save(&d, before, sizeof(before)), SIZE(2));
	memcpy(&host_before, &d.host, sizeof(host_before));
	assert_int_equal(mtty_model_restore(&d.m, stream, len, &why), err);
	assert_non_null(why);
	assert_true(strlen(why) > 0);
	assert_int_equal(save(&d, after, sizeof(after)), SIZE(2));
	assert_memory_equal(before, after, SIZE(2));
	assert_memory_equal(&host_before, &d.host, sizeof(d.host));
	assert_int_equal(d.m.irq_mode, MTTY_IRQ_INTX);
	/* Also without a reason pointer. */
	assert_int_equal(mtty_model_restore(&d.m, stream, len, NULL), err);
}

/* A valid stream from a fresh 2-port device, to be damaged by a test. */
static void good_stream(uint8_t *buf)
{
	struct dev d;

	dev_init(&d, 2);
	assert_int_equal(save(&d, buf, SIZE(2)), SIZE(2));
}

static void test_refuse_truncated(void **state)
{
	uint8_t buf[SIZE(2)];
	size_t len;

	good_stream(buf);
	/* Every proper prefix, from empty to one byte short. */
	for (len = 0; len < SIZE(2); len++)
		check_refused(buf, len, -EINVAL);
	check_refused(NULL, 0, -EINVAL);
}

static void test_refuse_oversized(void **state)
{
	uint8_t buf[SIZE(2) + 16];

	good_stream(buf);
	memset(buf + SIZE(2), 0, 16);
	check_refused(buf, SIZE(2) + 1, -EINVAL);
	check_refused(buf, SIZE(2) + 16, -EINVAL);
}

static void test_refuse_header_fields(void **state)
{
	uint8_t buf[SIZE(2)];

	good_stream(buf);
	buf[0] ^= 0x01; /* magic */
	check_refused(buf, SIZE(2), -EINVAL);
	good_stream(buf);
	buf[7] = 0; /* magic, top byte */
	check_refused(buf, SIZE(2), -EINVAL);

	good_stream(buf);
	put_le(buf + 8, 2, 2); /* major 2 */
	check_refused(buf, SIZE(2), -EPROTONOSUPPORT);
	good_stream(buf);
	put_le(buf + 8, 0, 2); /* major 0 */
	check_refused(buf, SIZE(2), -EPROTONOSUPPORT);

	good_stream(buf);
	put_le(buf + 12, 1, 4); /* port count */
	check_refused(buf, SIZE(2), -EINVAL);
	good_stream(buf);
	put_le(buf + 12, 0x00000102, 4); /* 2 only in its low byte */
	check_refused(buf, SIZE(2), -EINVAL);

	good_stream(buf);
	put_le(buf + 16, 1, 4); /* flags */
	check_refused(buf, SIZE(2), -EINVAL);

	good_stream(buf);
	put_le(buf + 20, SIZE(2) - HDR + 1, 4); /* payload length */
	check_refused(buf, SIZE(2), -EINVAL);
	good_stream(buf);
	put_le(buf + 20, 0, 4);
	check_refused(buf, SIZE(2), -EINVAL);
}

static void test_refuse_wrong_port_count_stream(void **state)
{
	struct dev one;
	uint8_t buf[SIZE(1)];

	/* A complete, valid 1-port stream offered to a 2-port device. */
	dev_init(&one, 1);
	assert_int_equal(save(&one, buf, sizeof(buf)), SIZE(1));
	check_refused(buf, SIZE(1), -EINVAL);
}

static void test_accept_newer_minor(void **state)
{
	struct dev d;
	uint8_t buf[SIZE(2)];

	good_stream(buf);
	put_le(buf + 10, 3, 2);
	dev_init(&d, 2);
	assert_int_equal(mtty_model_restore(&d.m, buf, SIZE(2), NULL), 0);
}

struct bad_field {
	unsigned int offset; /* from the start of the stream */
	uint8_t value;
};

static void test_refuse_bad_fields(void **state)
{
	const unsigned int p0 = PORT_OFF(0), p1 = PORT_OFF(1);
	const struct bad_field bad[] = {
		{ p0 + P_COUNT, 17 }, /* fifo_count > 16 */
		{ p1 + P_COUNT, 0xff },
		{ p0 + P_IER, 0x10 }, /* reserved IER bits */
		{ p0 + P_FCR, 0x02 | 0x01 }, /* self-clearing FCR bit */
		{ p0 + P_FCR, 0x04 | 0x01 },
		{ p0 + P_LSR, UART_LSR_DR }, /* derived LSR bit */
		{ p0 + P_LSR, UART_LSR_THRE },
		{ p0 + P_MSR, 0x80 }, /* DSR missing */
		{ p0 + P_MSR, 0xb0 | UART_MSR_RI },
		{ p1 + P_MSR, 0xb0 | UART_MSR_TERI },
		{ p0 + P_FLAGS, 0x04 }, /* unknown port flag */
		{ p1 + P_FLAGS, 0x80 },
		{ p0 + P_LAST_IIR, 0x03 }, /* not an IIR cause */
		{ p0 + P_LAST_IIR, 0xc1 },
		{ MASK_OFF, 2 }, /* INTx mask is a bool */
		{ CFG_OFF + 0x00, 0x00 }, /* vendor ID */
		{ CFG_OFF + 0x3d, 0x02 }, /* interrupt pin */
		{ CFG_OFF + 0x10, 0xc1 | 0x04 }, /* BAR0 below its size */
		{ CFG_OFF + 0x18, 0x01 }, /* BAR2 */
		{ CFG_OFF + 0xff, 0x01 },
	};
	uint8_t buf[SIZE(2)];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		good_stream(buf);
		buf[bad[i].offset] = bad[i].value;
		check_refused(buf, SIZE(2), -EINVAL);
	}
	/* FIFO disabled (depth 1) yet two bytes queued. */
	good_stream(buf);
	buf[p0 + P_FCR] = 0x00;
	buf[p0 + P_COUNT] = 2;
	check_refused(buf, SIZE(2), -EINVAL);
	/* The same with one byte is fine. */
	good_stream(buf);
	buf[p0 + P_FCR] = 0x00;
	buf[p0 + P_COUNT] = 1;
	{
		struct dev d;

		dev_init(&d, 2);
		assert_int_equal(mtty_model_restore(&d.m, buf, SIZE(2), NULL),
				 0);
		assert_int_equal(bar_rd(&d.m, 0, UART_LSR), UART_LSR_DR);
	}
}

static void test_refuse_bad_field_in_last_port_leaves_first(void **state)
{
	uint8_t buf[SIZE(2)];
	struct dev src;

	/* Port 0 decodes fine, port 1 is bad: nothing may be committed. */
	dev_init(&src, 2);
	bar_wr(&src.m, 0, UART_SCR, 0x11);
	bar_wr(&src.m, 0, UART_TX, 0x22);
	assert_int_equal(save(&src, buf, sizeof(buf)), SIZE(2));
	buf[PORT_OFF(1) + P_COUNT] = 200;
	check_refused(buf, SIZE(2), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_and_header),
		cmocka_unit_test(test_save_too_small),
		cmocka_unit_test(test_field_encoding),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_fresh_1port),
		cmocka_unit_test(test_restore_rearms_timers),
		cmocka_unit_test(test_refuse_truncated),
		cmocka_unit_test(test_refuse_oversized),
		cmocka_unit_test(test_refuse_header_fields),
		cmocka_unit_test(test_refuse_wrong_port_count_stream),
		cmocka_unit_test(test_accept_newer_minor),
		cmocka_unit_test(test_refuse_bad_fields),
		cmocka_unit_test(
			test_refuse_bad_field_in_last_port_leaves_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
