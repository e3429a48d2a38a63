// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_migration - the mtty migration decoder, mtty_model_restore(), on a
 * 1-port and a 2-port model.  The input is a migration stream.
 *
 * Checked beyond "no crash": a refused stream leaves the device exactly
 * as it was (its own save is unchanged); an accepted one saves again to a
 * stream that restores to the same state (save/restore/save is stable),
 * and that stream matches the input in its header and config space.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "model/mtty/mtty_model.h"

/* Header: magic u64, major u16, minor u16, nr_ports, flags, length (u32). */
#define FUZZ_MIG_HEADER 24
#define FUZZ_MIG_MINOR_OFFSET 10
/* After the header: the 256-byte config space and the INTx mask byte. */
#define FUZZ_MIG_DEVICE (PCI_CONFIG_SIZE + 1)
#define FUZZ_MIG_MAX 1024

static void fuzz_raise_irq(void *opaque, enum mtty_irq_mode mode)
{
}

static void fuzz_set_timer(void *opaque, unsigned int port, uint64_t delay)
{
	FUZZ_ASSERT(port < MTTY_MAX_PORTS);
}

/* A clock that stands still: runs are reproducible. */
static uint64_t fuzz_now_ns(void *opaque)
{
	return 0;
}

static const struct mtty_model_host_ops fuzz_host = {
	.raise_irq = fuzz_raise_irq,
	.set_timer = fuzz_set_timer,
	.now_ns = fuzz_now_ns,
};

static long fuzz_save(const struct mtty_model *m, uint8_t *buf)
{
	size_t size = mtty_model_migration_size(m);
	long n;

	FUZZ_ASSERT(size <= FUZZ_MIG_MAX);
	/* One byte short must be refused, not overrun. */
	FUZZ_ASSERT(mtty_model_save(m, buf, size - 1) == -ENOSPC);
	n = mtty_model_save(m, buf, FUZZ_MIG_MAX);
	FUZZ_ASSERT(n > 0 && (size_t)n == size);
	return n;
}

static void fuzz_one_model(unsigned int nr_ports, const uint8_t *data,
			   size_t size)
{
	static uint8_t before[FUZZ_MIG_MAX], after[FUZZ_MIG_MAX],
		again[FUZZ_MIG_MAX];
	struct mtty_model m, copy;
	const char *why = "unset";
	long n_before, n_after, n_again;
	int ret;

	FUZZ_ASSERT(mtty_model_init(&m, nr_ports, &fuzz_host, NULL) == 0);
	n_before = fuzz_save(&m, before);

	ret = mtty_model_restore(&m, data, size, &why);
	if (ret) {
		FUZZ_ASSERT(ret == -EINVAL || ret == -EPROTONOSUPPORT);
		FUZZ_ASSERT(why != NULL && why[0] != '\0');
		n_after = fuzz_save(&m, after);
		FUZZ_ASSERT(n_after == n_before &&
			    !memcmp(before, after, n_before));
		return;
	}
	FUZZ_ASSERT(why == NULL);
	n_after = fuzz_save(&m, after);
	/* Only a stream of exactly this size is accepted. */
	FUZZ_ASSERT((size_t)n_after == size);
	/* Header (but the minor, saved as ours) and config space as given. */
	FUZZ_ASSERT(!memcmp(after, data, FUZZ_MIG_MINOR_OFFSET));
	FUZZ_ASSERT(!memcmp(after + FUZZ_MIG_MINOR_OFFSET + 2,
			    data + FUZZ_MIG_MINOR_OFFSET + 2,
			    FUZZ_MIG_HEADER + FUZZ_MIG_DEVICE -
				    FUZZ_MIG_MINOR_OFFSET - 2));

	/* The saved stream restores to the same state. */
	FUZZ_ASSERT(mtty_model_init(&copy, nr_ports, &fuzz_host, NULL) == 0);
	FUZZ_ASSERT(mtty_model_restore(&copy, after, n_after, &why) == 0);
	n_again = fuzz_save(&copy, again);
	FUZZ_ASSERT(n_again == n_after && !memcmp(after, again, n_after));

	/* The loaded device works: registers can be read and written. */
	for (unsigned int port = 0; port < nr_ports; port++) {
		uint8_t reg[8];
		unsigned int bar = port ? MTTY_REGION_BAR1 : MTTY_REGION_BAR0;

		FUZZ_ASSERT(mtty_model_read(&m, bar, 0, reg, 8) == 8);
		FUZZ_ASSERT(mtty_model_write(&m, bar, 0, reg, 8) == 8);
	}
	mtty_model_reset(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_one_model(1, data, size);
	fuzz_one_model(2, data, size);
	return 0;
}
