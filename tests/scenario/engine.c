// SPDX-License-Identifier: GPL-2.0-only
/*
 * engine - parse and run a scenario file (language: README.md).
 *
 * Each step prints exactly one line "NAME:LINE: STEP = VALUE", where STEP is
 * the step's words without its expectation and VALUE what the device really
 * did.  The differential test compares these lines between two devices, so
 * VALUE is a plain, canonical rendering (hex bytes, decimal counts, errno
 * names).  A failed expectation adds a "# FAIL ..." diagnostic line.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "scenario.h"

#define SCN_MAX_WORDS 40
#define SCN_LINE_MAX 512
#define SCN_IRQ_WAIT_MS 2000 /* generous: TCG guests are slow */
#define SCN_NO_IRQ_WAIT_MS 100
#define SCN_NR_IRQS 5
#define SCN_MIG_MAX 4096

static const uint32_t scn_irq_index[SCN_NR_IRQS] = {
	VFIO_PCI_INTX_IRQ_INDEX, VFIO_PCI_MSI_IRQ_INDEX,
	VFIO_PCI_MSIX_IRQ_INDEX, VFIO_PCI_ERR_IRQ_INDEX,
	VFIO_PCI_REQ_IRQ_INDEX,
};

static const char *const scn_irq_name[SCN_NR_IRQS] = { "intx", "msi", "msix",
						       "err", "req" };

struct scn_run {
	const char *name;
	unsigned int line;
	struct scn_backend *be;
	const struct scn_options *opt;
	int irq_fd[SCN_NR_IRQS];
	unsigned int failures;
	/* The step being run. */
	char *word[SCN_MAX_WORDS];
	int nr_words; /* words of the step itself */
	char **expect; /* words after the step: "= V", "& M = V", "! ERR" */
	int nr_expect;
	char label[SCN_LINE_MAX];
	/* The last migration stream saved by migrate-save. */
	uint8_t mig[SCN_MIG_MAX];
	size_t mig_len;
	/* The data fd the last migrate-state handed back (-1: none). */
	int mig_fd;
};

/* Expectations parsed from the words after the step. */
struct scn_expect {
	bool have_value;
	unsigned long value;
	unsigned long mask;
	bool have_error;
	int error; /* positive errno */
};

static const char *scn_errname(int err)
{
	const char *n = strerrorname_np(err);

	return n ? n : "E?";
}

static int scn_errno_by_name(const char *name)
{
	int e;

	for (e = 1; e < 200; e++) {
		const char *n = strerrorname_np(e);

		if (n && !strcmp(n, name))
			return e;
	}
	return 0;
}

static int scn_number(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	return (errno || end == s || *end) ? -EINVAL : 0;
}

static __attribute__((format(printf, 2, 3))) void scn_fail(struct scn_run *r,
							   const char *fmt, ...)
{
	va_list ap;

	fprintf(r->opt->out, "# FAIL %s:%u: ", r->name, r->line);
	va_start(ap, fmt);
	vfprintf(r->opt->out, fmt, ap);
	va_end(ap);
	fputc('\n', r->opt->out);
	r->failures++;
}

static void scn_result(struct scn_run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void scn_result(struct scn_run *r, const char *fmt, ...)
{
	va_list ap;

	fprintf(r->opt->out, "%s:%u: %s = ", r->name, r->line, r->label);
	va_start(ap, fmt);
	vfprintf(r->opt->out, fmt, ap);
	va_end(ap);
	fputc('\n', r->opt->out);
	fflush(r->opt->out);
}

static int scn_parse_expect(struct scn_run *r, struct scn_expect *e)
{
	int i = 0;

	memset(e, 0, sizeof(*e));
	e->mask = ~0UL;
	while (i < r->nr_expect) {
		const char *w = r->expect[i];

		if (!strcmp(w, "&") && i + 1 < r->nr_expect) {
			if (scn_number(r->expect[i + 1], &e->mask))
				return -EINVAL;
			i += 2;
		} else if (!strcmp(w, "=") && i + 1 < r->nr_expect) {
			if (scn_number(r->expect[i + 1], &e->value))
				return -EINVAL;
			e->have_value = true;
			i += 2;
		} else if (!strcmp(w, "!") && i + 1 < r->nr_expect) {
			e->error = scn_errno_by_name(r->expect[i + 1]);
			if (!e->error)
				return -EINVAL;
			e->have_error = true;
			i += 2;
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Report an op's result: an error (ret < 0) is printed by name and is a
 * failure unless "! NAME" expected it; success is a failure when an error
 * was expected.  Returns true when the caller should go on to print a value.
 */
static bool scn_check_error(struct scn_run *r, const struct scn_expect *e,
			    int ret)
{
	if (ret < 0) {
		scn_result(r, "error %s", scn_errname(-ret));
		if (!e->have_error)
			scn_fail(r, "%s failed: %s", r->label,
				 scn_errname(-ret));
		else if (e->error != -ret)
			scn_fail(r, "expected error %s, got %s",
				 scn_errname(e->error), scn_errname(-ret));
		return false;
	}
	/* An expected error that did not come is reported after the value,
	 * by scn_check_success_expected(), so the line is always there. */
	return true;
}

static void scn_check_success_expected(struct scn_run *r,
				       const struct scn_expect *e)
{
	if (e->have_error)
		scn_fail(r, "expected error %s, got success",
			 scn_errname(e->error));
}

/* Report an op that has no value: "ok", or its error. */
static void scn_report_ok(struct scn_run *r, const struct scn_expect *e,
			  int ret)
{
	if (!scn_check_error(r, e, ret))
		return;
	scn_result(r, "ok");
	scn_check_success_expected(r, e);
}

static void scn_check_value(struct scn_run *r, const struct scn_expect *e,
			    unsigned long v)
{
	scn_check_success_expected(r, e);
	if (e->have_value && (v & e->mask) != e->value)
		scn_fail(r, "%s: expected 0x%lx (mask 0x%lx), got 0x%lx",
			 r->label, e->value, e->mask, v);
}

static int scn_irq_by_name(const char *s)
{
	int i;

	for (i = 0; i < SCN_NR_IRQS; i++)
		if (!strcmp(s, scn_irq_name[i]))
			return i;
	return -1;
}

/* key=value words of info/region/irqinfo: check each against @got. */
static void scn_check_fields(struct scn_run *r, int first,
			     const char *const *keys, const uint64_t *got,
			     int nr)
{
	unsigned long want;
	int i, k;

	for (i = first; i < r->nr_words; i++) {
		char *eq = strchr(r->word[i], '=');

		for (k = 0; eq && k < nr; k++)
			if (!strncmp(r->word[i], keys[k],
				     (size_t)(eq - r->word[i])) &&
			    strlen(keys[k]) == (size_t)(eq - r->word[i]))
				break;
		if (!eq || k == nr || scn_number(eq + 1, &want)) {
			scn_fail(r, "bad field '%s'", r->word[i]);
			continue;
		}
		if (got[k] != want)
			scn_fail(r, "%s: expected 0x%lx, got 0x%llx", keys[k],
				 want, (unsigned long long)got[k]);
	}
}

static void scn_step_info(struct scn_run *r, const struct scn_expect *e)
{
	static const char *const keys[] = { "flags", "regions", "irqs" };
	struct vfio_device_info info = { .argsz = sizeof(info) };
	uint64_t got[3];
	int ret;

	ret = r->be->ops->get_info(r->be->ctx, &info);
	if (!scn_check_error(r, e, ret))
		return;
	scn_result(r, "flags=0x%x regions=%u irqs=%u", info.flags,
		   info.num_regions, info.num_irqs);
	scn_check_success_expected(r, e);
	got[0] = info.flags;
	got[1] = info.num_regions;
	got[2] = info.num_irqs;
	scn_check_fields(r, 1, keys, got, 3);
}

static void scn_step_region(struct scn_run *r, const struct scn_expect *e)
{
	static const char *const keys[] = { "size", "offset", "flags" };
	struct vfio_region_info info = { .argsz = sizeof(info) };
	unsigned long index;
	uint64_t got[3];
	int ret;

	if (r->nr_words < 2 || scn_number(r->word[1], &index)) {
		scn_fail(r,
			 "usage: region INDEX [size=N] [offset=N] [flags=N]");
		return;
	}
	info.index = index;
	ret = r->be->ops->get_region_info(r->be->ctx, &info);
	if (!scn_check_error(r, e, ret))
		return;
	scn_result(r, "size=%llu offset=0x%llx flags=0x%x",
		   (unsigned long long)info.size,
		   (unsigned long long)info.offset, info.flags);
	scn_check_success_expected(r, e);
	got[0] = info.size;
	got[1] = info.offset;
	got[2] = info.flags;
	scn_check_fields(r, 2, keys, got, 3);
}

static void scn_step_irqinfo(struct scn_run *r, const struct scn_expect *e)
{
	static const char *const keys[] = { "count", "flags" };
	struct vfio_irq_info info = { .argsz = sizeof(info) };
	unsigned long index;
	uint64_t got[2];
	int ret;

	if (r->nr_words < 2 || scn_number(r->word[1], &index)) {
		scn_fail(r, "usage: irqinfo INDEX [count=N] [flags=N]");
		return;
	}
	info.index = index;
	ret = r->be->ops->get_irq_info(r->be->ctx, &info);
	if (!scn_check_error(r, e, ret))
		return;
	scn_result(r, "count=%u flags=0x%x", info.count, info.flags);
	scn_check_success_expected(r, e);
	got[0] = info.count;
	got[1] = info.flags;
	scn_check_fields(r, 2, keys, got, 2);
}

/* cfg-read OFF WIDTH | read BAR REG: one little-endian access. */
static void scn_step_read(struct scn_run *r, const struct scn_expect *e,
			  bool config)
{
	unsigned long a, b, v = 0;
	uint8_t buf[4] = { 0 };
	uint32_t index, width;
	int ret, i;

	if (r->nr_words != 3 || scn_number(r->word[1], &a) ||
	    scn_number(r->word[2], &b)) {
		scn_fail(r, "usage: %s",
			 config ? "cfg-read OFF WIDTH" : "read BAR REG");
		return;
	}
	index = config ? VFIO_PCI_CONFIG_REGION_INDEX : (uint32_t)a;
	width = config ? (uint32_t)b : 1;
	if (width != 1 && width != 2 && width != 4) {
		scn_fail(r, "width must be 1, 2 or 4");
		return;
	}
	ret = r->be->ops->read(r->be->ctx, index, config ? a : b, buf, width);
	if (!scn_check_error(r, e, ret))
		return;
	for (i = (int)width - 1; i >= 0; i--)
		v = (v << 8) | buf[i];
	scn_result(r, "0x%0*lx", (int)width * 2, v);
	scn_check_value(r, e, v);
}

/* cfg-write OFF WIDTH VALUE | write BAR REG VALUE... (one byte each) */
static void scn_step_write(struct scn_run *r, const struct scn_expect *e,
			   bool config)
{
	unsigned long a, b, v;
	uint8_t buf[4];
	int ret = 0, i, n;

	if (r->nr_words < 4 || scn_number(r->word[1], &a) ||
	    scn_number(r->word[2], &b)) {
		scn_fail(r, "usage: %s",
			 config ? "cfg-write OFF WIDTH VALUE" :
				  "write BAR REG VALUE...");
		return;
	}
	if (config) {
		if (scn_number(r->word[3], &v) ||
		    (b != 1 && b != 2 && b != 4)) {
			scn_fail(r, "bad width or value");
			return;
		}
		for (i = 0; i < (int)b; i++)
			buf[i] = (uint8_t)(v >> (8 * i));
		ret = r->be->ops->write(r->be->ctx,
					VFIO_PCI_CONFIG_REGION_INDEX, a, buf,
					(uint32_t)b);
	} else {
		for (n = 3; n < r->nr_words && ret >= 0; n++) {
			if (scn_number(r->word[n], &v)) {
				scn_fail(r, "bad value '%s'", r->word[n]);
				return;
			}
			buf[0] = (uint8_t)v;
			ret = r->be->ops->write(r->be->ctx, (uint32_t)a, b, buf,
						1);
		}
	}
	scn_report_ok(r, e, ret);
}

/* write-seq BAR REG COUNT FIRST: COUNT one-byte writes FIRST, FIRST+1, ... */
static void scn_step_write_seq(struct scn_run *r, const struct scn_expect *e)
{
	unsigned long bar, reg, count, first, i;
	uint8_t b;
	int ret = 0;

	if (r->nr_words != 5 || scn_number(r->word[1], &bar) ||
	    scn_number(r->word[2], &reg) || scn_number(r->word[3], &count) ||
	    scn_number(r->word[4], &first)) {
		scn_fail(r, "usage: write-seq BAR REG COUNT FIRST");
		return;
	}
	for (i = 0; i < count && ret >= 0; i++) {
		b = (uint8_t)(first + i);
		ret = r->be->ops->write(r->be->ctx, (uint32_t)bar, reg, &b, 1);
	}
	scn_report_ok(r, e, ret);
}

/*
 * read-seq BAR REG COUNT [FIRST]: COUNT one-byte reads; prints them all;
 * with FIRST, expects FIRST, FIRST+1, ... (mod 256).
 */
static void scn_step_read_seq(struct scn_run *r, const struct scn_expect *e)
{
	unsigned long bar, reg, count, first = 0, i;
	char text[SCN_LINE_MAX];
	size_t len = 0;
	uint8_t b;
	int ret = 0;

	if (r->nr_words < 4 || r->nr_words > 5 ||
	    scn_number(r->word[1], &bar) || scn_number(r->word[2], &reg) ||
	    scn_number(r->word[3], &count) || count > 64 ||
	    (r->nr_words == 5 && scn_number(r->word[4], &first))) {
		scn_fail(r, "usage: read-seq BAR REG COUNT(<=64) [FIRST]");
		return;
	}
	text[0] = '\0';
	for (i = 0; i < count; i++) {
		ret = r->be->ops->read(r->be->ctx, (uint32_t)bar, reg, &b, 1);
		if (ret < 0)
			break;
		len += snprintf(text + len, sizeof(text) - len, "%s%02x",
				i ? " " : "", b);
		if (r->nr_words == 5 && b != (uint8_t)(first + i)) {
			scn_fail(r, "byte %lu: expected 0x%02x, got 0x%02x", i,
				 (uint8_t)(first + i), b);
			first = b - i; /* report only the first break */
		}
	}
	if (!scn_check_error(r, e, ret))
		return;
	scn_result(r, "%s", text);
	scn_check_success_expected(r, e);
}

/* block-read REGION OFF COUNT: one access of COUNT bytes (any size). */
static void scn_step_block_read(struct scn_run *r, const struct scn_expect *e)
{
	unsigned long index, off, count, i;
	char text[3 * 256 + 1];
	uint8_t buf[256];
	size_t len = 0;
	int ret;

	if (r->nr_words != 4 || scn_number(r->word[1], &index) ||
	    scn_number(r->word[2], &off) || scn_number(r->word[3], &count) ||
	    count == 0 || count > sizeof(buf)) {
		scn_fail(r, "usage: block-read REGION OFF COUNT(1..256)");
		return;
	}
	ret = r->be->ops->read(r->be->ctx, (uint32_t)index, off, buf,
			       (uint32_t)count);
	if (!scn_check_error(r, e, ret))
		return;
	text[0] = '\0';
	for (i = 0; i < count; i++)
		len += snprintf(text + len, sizeof(text) - len, "%02x", buf[i]);
	scn_result(r, "%s", text);
	scn_check_success_expected(r, e);
}

static int scn_set_trigger(struct scn_run *r, int irq, int fd)
{
	return r->be->ops->set_irqs(r->be->ctx,
				    VFIO_IRQ_SET_DATA_EVENTFD |
					    VFIO_IRQ_SET_ACTION_TRIGGER,
				    scn_irq_index[irq], 0, 1, &fd, 1, NULL, 0);
}

/*
 * irq intx|msi|req on|off|disable|fire
 *   on: a new eventfd as trigger; off: fd -1; disable: count 0 + DATA_NONE;
 *   fire: DATA_NONE count 1 (loopback test interrupt).
 */
static void scn_step_irq(struct scn_run *r, const struct scn_expect *e)
{
	const char *what;
	int irq, fd, ret;

	if (r->nr_words != 3 || (irq = scn_irq_by_name(r->word[1])) < 0) {
		scn_fail(r, "usage: irq intx|msi|msix|err|req "
			    "on|off|disable|fire");
		return;
	}
	what = r->word[2];
	if (!strcmp(what, "on")) {
		fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (fd < 0) {
			scn_fail(r, "eventfd: %s", scn_errname(errno));
			return;
		}
		ret = scn_set_trigger(r, irq, fd);
		if (ret < 0) {
			close(fd);
		} else {
			if (r->irq_fd[irq] >= 0)
				close(r->irq_fd[irq]);
			r->irq_fd[irq] = fd;
		}
	} else if (!strcmp(what, "off")) {
		ret = scn_set_trigger(r, irq, -1);
	} else if (!strcmp(what, "disable")) {
		ret = r->be->ops->set_irqs(
			r->be->ctx,
			VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			scn_irq_index[irq], 0, 0, NULL, 0, NULL, 0);
	} else if (!strcmp(what, "fire")) {
		ret = r->be->ops->set_irqs(
			r->be->ctx,
			VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			scn_irq_index[irq], 0, 1, NULL, 0, NULL, 0);
	} else {
		scn_fail(r, "irq: unknown action '%s'", what);
		return;
	}
	scn_report_ok(r, e, ret);
}

/* intx mask|unmask (DATA_NONE, count 1) */
static void scn_step_intx(struct scn_run *r, const struct scn_expect *e)
{
	uint32_t action;
	int ret;

	if (r->nr_words != 2 ||
	    (strcmp(r->word[1], "mask") && strcmp(r->word[1], "unmask"))) {
		scn_fail(r, "usage: intx mask|unmask");
		return;
	}
	action = !strcmp(r->word[1], "mask") ? VFIO_IRQ_SET_ACTION_MASK :
					       VFIO_IRQ_SET_ACTION_UNMASK;
	ret = r->be->ops->set_irqs(r->be->ctx, VFIO_IRQ_SET_DATA_NONE | action,
				   VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0, NULL,
				   0);
	scn_report_ok(r, e, ret);
}

/* Wait up to @ms for the eventfd; return the count read (0 if none). */
static long scn_wait_irq(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t count;

	if (poll(&p, 1, ms) <= 0)
		return 0;
	if (read(fd, &count, sizeof(count)) != sizeof(count))
		return 0;
	return (long)count;
}

/*
 * expect-irq X [= N]: an interrupt arrives (within SCN_IRQ_WAIT_MS); prints
 * how many were signalled.  expect-no-irq X: none within
 * SCN_NO_IRQ_WAIT_MS.  drain X: take what is pending, expect nothing.
 */
static void scn_step_expect_irq(struct scn_run *r, const struct scn_expect *e,
				int kind)
{
	long n;
	int irq;

	if (r->nr_words != 2 || (irq = scn_irq_by_name(r->word[1])) < 0) {
		scn_fail(r, "usage: %s intx|msi|msix|err|req", r->word[0]);
		return;
	}
	if (r->irq_fd[irq] < 0) {
		scn_fail(r, "no eventfd for %s: use 'irq %s on' first",
			 r->word[1], r->word[1]);
		return;
	}
	n = scn_wait_irq(r->irq_fd[irq], kind == 0 ? SCN_IRQ_WAIT_MS :
					 kind == 1 ? SCN_NO_IRQ_WAIT_MS :
						     0);
	scn_result(r, "%ld", n);
	if (kind == 0 && !e->have_value && n < 1)
		scn_fail(r, "no %s interrupt", r->word[1]);
	if (kind == 0 && e->have_value && (unsigned long)n != e->value)
		scn_fail(r, "expected %lu %s interrupts, got %ld", e->value,
			 r->word[1], n);
	if (kind == 1 && n)
		scn_fail(r, "unexpected %s interrupt (%ld)", r->word[1], n);
}

static void scn_step_reset(struct scn_run *r, const struct scn_expect *e)
{
	int ret = r->be->ops->reset(r->be->ctx);

	scn_report_ok(r, e, ret);
}

static int scn_mig_state_by_name(const char *s, uint32_t *state)
{
	static const struct {
		const char *name;
		uint32_t state;
	} names[] = {
		{ "running", VFIO_DEVICE_STATE_RUNNING },
		{ "stop", VFIO_DEVICE_STATE_STOP },
		{ "running-p2p", VFIO_DEVICE_STATE_RUNNING_P2P },
		{ "stop-copy", VFIO_DEVICE_STATE_STOP_COPY },
		{ "resuming", VFIO_DEVICE_STATE_RESUMING },
		{ "error", VFIO_DEVICE_STATE_ERROR },
#ifdef VFIO_MIG_GET_PRECOPY_INFO
		{ "pre-copy", VFIO_DEVICE_STATE_PRE_COPY },
		{ "pre-copy-p2p", VFIO_DEVICE_STATE_PRE_COPY_P2P },
#endif
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i].name)) {
			*state = names[i].state;
			return 0;
		}
	}
	return -EINVAL;
}

static void scn_mig_drop_fd(struct scn_run *r)
{
	if (r->mig_fd >= 0)
		close(r->mig_fd);
	r->mig_fd = -1;
}

/*
 * migrate-state STATE: set the migration state; a data fd it hands back
 * (stop-copy, resuming, pre-copy) is kept for migrate-precopy-info.
 */
static void scn_step_mig_state(struct scn_run *r, const struct scn_expect *e)
{
	uint32_t state;
	int fd = -1, ret;

	if (r->nr_words != 2 || scn_mig_state_by_name(r->word[1], &state)) {
		scn_fail(r, "usage: migrate-state running|stop|running-p2p|"
			    "stop-copy|resuming|error|pre-copy|pre-copy-p2p");
		return;
	}
	ret = r->be->ops->mig_set_state(r->be->ctx, state, &fd);
	if (!ret && fd >= 0) {
		scn_mig_drop_fd(r);
		r->mig_fd = fd;
	}
	scn_report_ok(r, e, ret);
}

/* migrate-flags: VFIO_DEVICE_FEATURE_MIGRATION's flags. */
static void scn_step_mig_flags(struct scn_run *r, const struct scn_expect *e)
{
	uint64_t flags = 0;
	int ret = r->be->ops->mig_flags ?
			  r->be->ops->mig_flags(r->be->ctx, &flags) :
			  -ENOTTY;

	if (!scn_check_error(r, e, ret))
		return;
	scn_result(r, "0x%llx", (unsigned long long)flags);
	scn_check_value(r, e, (unsigned long)flags);
}

/* migrate-precopy-info: VFIO_MIG_GET_PRECOPY_INFO on the kept data fd. */
static void scn_step_mig_precopy(struct scn_run *r, const struct scn_expect *e)
{
	uint64_t initial = 0, dirty = 0;
	int ret;

	if (r->mig_fd < 0)
		ret = -EBADF;
	else if (!r->be->ops->mig_precopy_info)
		ret = -ENOTTY;
	else
		ret = r->be->ops->mig_precopy_info(r->be->ctx, r->mig_fd,
						   &initial, &dirty);
	if (!scn_check_error(r, e, ret))
		return;
	scn_result(r, "initial=%llu dirty=%llu", (unsigned long long)initial,
		   (unsigned long long)dirty);
	scn_check_success_expected(r, e);
}

/* Enter @state, which must hand back a data fd (*@fd). */
static int scn_mig_open(struct scn_run *r, uint32_t state, int *fd)
{
	int ret = r->be->ops->mig_set_state(r->be->ctx, state, fd);

	return !ret && *fd < 0 ? -EBADF : ret;
}

/* Close the data fd; after a good transfer (@ret 0), go back to STOP. */
static int scn_mig_close(struct scn_run *r, int fd, int ret)
{
	int stop_fd = -1;

	if (fd >= 0)
		close(fd);
	if (!ret)
		ret = r->be->ops->mig_set_state(
			r->be->ctx, VFIO_DEVICE_STATE_STOP, &stop_fd);
	return ret;
}

/* migrate-save: STOP_COPY, read the stream to its end, back to STOP. */
static void scn_step_mig_save(struct scn_run *r, const struct scn_expect *e)
{
	int fd = -1, ret;
	ssize_t n;

	r->mig_len = 0;
	ret = scn_mig_open(r, VFIO_DEVICE_STATE_STOP_COPY, &fd);
	while (!ret) {
		n = read(fd, r->mig + r->mig_len, sizeof(r->mig) - r->mig_len);
		if (n < 0)
			ret = -errno;
		else if (n == 0)
			break;
		else if ((r->mig_len += (size_t)n) == sizeof(r->mig))
			ret = -EFBIG;
	}
	ret = scn_mig_close(r, fd, ret);
	if (!scn_check_error(r, e, ret))
		return;
	scn_result(r, "%zu bytes", r->mig_len);
	scn_check_success_expected(r, e);
}

/*
 * migrate-load [truncate N | corrupt OFF]: RESUMING, write the saved
 * stream (cut to N bytes, or with byte OFF flipped), then STOP (the load).
 */
static void scn_step_mig_load(struct scn_run *r, const struct scn_expect *e)
{
	uint8_t data[SCN_MIG_MAX];
	size_t len = r->mig_len;
	unsigned long arg = 0;
	int fd = -1, ret;

	if ((r->nr_words != 1 && r->nr_words != 3) ||
	    (r->nr_words == 3 &&
	     ((strcmp(r->word[1], "truncate") &&
	       strcmp(r->word[1], "corrupt")) ||
	      scn_number(r->word[2], &arg) || arg >= r->mig_len))) {
		scn_fail(r, "usage: migrate-load [truncate N | corrupt OFF] "
			    "(after migrate-save)");
		return;
	}
	memcpy(data, r->mig, len);
	if (r->nr_words == 3 && !strcmp(r->word[1], "truncate"))
		len = arg;
	else if (r->nr_words == 3)
		data[arg] ^= 0xff;
	ret = scn_mig_open(r, VFIO_DEVICE_STATE_RESUMING, &fd);
	if (!ret) {
		ssize_t n = write(fd, data, len);

		if (n < 0)
			ret = -errno;
		else if ((size_t)n != len)
			ret = -EIO;
	}
	ret = scn_mig_close(r, fd, ret);
	scn_report_ok(r, e, ret);
}

static void scn_run_step(struct scn_run *r)
{
	struct scn_expect e;
	const char *cmd = r->word[0];

	if (scn_parse_expect(r, &e)) {
		scn_fail(r, "bad expectation");
		return;
	}
	if (!strcmp(cmd, "info"))
		scn_step_info(r, &e);
	else if (!strcmp(cmd, "region"))
		scn_step_region(r, &e);
	else if (!strcmp(cmd, "irqinfo"))
		scn_step_irqinfo(r, &e);
	else if (!strcmp(cmd, "cfg-read"))
		scn_step_read(r, &e, true);
	else if (!strcmp(cmd, "read"))
		scn_step_read(r, &e, false);
	else if (!strcmp(cmd, "cfg-write"))
		scn_step_write(r, &e, true);
	else if (!strcmp(cmd, "write"))
		scn_step_write(r, &e, false);
	else if (!strcmp(cmd, "write-seq"))
		scn_step_write_seq(r, &e);
	else if (!strcmp(cmd, "read-seq"))
		scn_step_read_seq(r, &e);
	else if (!strcmp(cmd, "block-read"))
		scn_step_block_read(r, &e);
	else if (!strcmp(cmd, "irq"))
		scn_step_irq(r, &e);
	else if (!strcmp(cmd, "intx"))
		scn_step_intx(r, &e);
	else if (!strcmp(cmd, "expect-irq"))
		scn_step_expect_irq(r, &e, 0);
	else if (!strcmp(cmd, "expect-no-irq"))
		scn_step_expect_irq(r, &e, 1);
	else if (!strcmp(cmd, "drain"))
		scn_step_expect_irq(r, &e, 2);
	else if (!strcmp(cmd, "reset"))
		scn_step_reset(r, &e);
	else if (!strncmp(cmd, "migrate-", 8) && !r->be->ops->mig_set_state)
		scn_fail(r,
			 "the %s backend has no migration (use 'requires "
			 "migration')",
			 r->be->ops->name);
	else if (!strcmp(cmd, "migrate-state"))
		scn_step_mig_state(r, &e);
	else if (!strcmp(cmd, "migrate-flags"))
		scn_step_mig_flags(r, &e);
	else if (!strcmp(cmd, "migrate-precopy-info"))
		scn_step_mig_precopy(r, &e);
	else if (!strcmp(cmd, "migrate-save"))
		scn_step_mig_save(r, &e);
	else if (!strcmp(cmd, "migrate-load"))
		scn_step_mig_load(r, &e);
	else
		scn_fail(r, "unknown step '%s'", cmd);
}

/* Split @line into words; returns false for blank/comment/header lines. */
static bool scn_split(struct scn_run *r, char *line, bool *umdev_only)
{
	char *save = NULL, *w, *hash;
	int n = 0, i;
	size_t len = 0;

	hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	*umdev_only = false;
	for (w = strtok_r(line, " \t\r\n", &save); w && n < SCN_MAX_WORDS;
	     w = strtok_r(NULL, " \t\r\n", &save))
		r->word[n++] = w;
	if (n && !strcmp(r->word[0], "umdev-only")) {
		*umdev_only = true;
		memmove(r->word, r->word + 1, (size_t)(n - 1) * sizeof(char *));
		n--;
	}
	if (!n || !strcmp(r->word[0], "type") ||
	    !strcmp(r->word[0], "requires"))
		return false;
	r->nr_words = n;
	r->expect = r->word + n;
	r->nr_expect = 0;
	for (i = 1; i < n; i++) {
		if (!strcmp(r->word[i], "=") || !strcmp(r->word[i], "&") ||
		    !strcmp(r->word[i], "!")) {
			r->nr_words = i;
			r->expect = r->word + i;
			r->nr_expect = n - i;
			break;
		}
	}
	r->label[0] = '\0';
	for (i = 0; i < r->nr_words; i++)
		len += snprintf(r->label + len, sizeof(r->label) - len, "%s%s",
				i ? " " : "", r->word[i]);
	return true;
}

/* "tests/scenario/loopback.scn" -> "loopback" */
static void scn_basename(const char *path, char *name, size_t len)
{
	const char *b = strrchr(path, '/');
	char *dot;

	snprintf(name, len, "%s", b ? b + 1 : path);
	dot = strrchr(name, '.');
	if (dot)
		*dot = '\0';
}

/* Can this backend's device migrate (VFIO migration v2)? */
static bool scn_can_migrate(const struct scn_backend *be)
{
	uint64_t flags = 0;

	if (!be->ops->mig_set_state)
		return false;
	/* A device may lack it (the 6.1 kernel's mtty sample). */
	return !be->ops->mig_flags || !be->ops->mig_flags(be->ctx, &flags);
}

/*
 * "requires migration" in a file whose device cannot migrate, or
 * "requires pre-copy" in a program built with a <linux/vfio.h> that has
 * no PRE_COPY (Linux 6.1's): skip the file.  Returns why, or NULL.
 */
static const char *scn_unsupported(FILE *f, const struct scn_backend *be)
{
	char line[SCN_LINE_MAX];
	const char *why = NULL;

	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "requires ", 9))
			continue;
		if (!scn_can_migrate(be))
			why = "no migration in the device";
#ifndef VFIO_MIG_GET_PRECOPY_INFO
		if (!strncmp(line + 9, "pre-copy", 8))
			why = "no PRE_COPY in this <linux/vfio.h>";
#endif
	}
	rewind(f);
	return why;
}

int scn_run_file(const char *path, struct scn_backend *be, unsigned int number,
		 const struct scn_options *opt)
{
	struct scn_run r = { .be = be, .opt = opt };
	char line[SCN_LINE_MAX], name[128];
	const char *skip;
	bool umdev_only;
	FILE *f;
	int i;

	f = fopen(path, "r");
	if (!f)
		return -errno;
	scn_basename(path, name, sizeof(name));
	r.name = name;
	for (i = 0; i < SCN_NR_IRQS; i++)
		r.irq_fd[i] = -1;
	r.mig_fd = -1;
	fprintf(opt->out, "# scenario %s (%s backend%s)\n", name, be->ops->name,
		opt->diff ? ", differential" : "");
	skip = scn_unsupported(f, be);
	if (skip) {
		fclose(f);
		fprintf(opt->out, "ok %u - %s # SKIP %s (%s backend)\n", number,
			name, skip, be->ops->name);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		r.line++;
		if (!scn_split(&r, line, &umdev_only))
			continue;
		if (umdev_only && opt->diff)
			continue;
		scn_run_step(&r);
	}
	fclose(f);
	scn_mig_drop_fd(&r);
	for (i = 0; i < SCN_NR_IRQS; i++)
		if (r.irq_fd[i] >= 0)
			close(r.irq_fd[i]);
	fprintf(opt->out, "%sok %u - %s\n", r.failures ? "not " : "", number,
		name);
	fflush(opt->out);
	return r.failures ? 1 : 0;
}
