// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtty_model - the mtty device: region access, reset and interrupt delivery.
 *
 * After every UART register access the model recomputes each port's IIR
 * (uart16550_iir(), the single place that decides the cause).  A port whose
 * pending cause differs from the one seen at the previous update, and is
 * not "none", is an interrupt event: MSI delivers one message per event;
 * INTx fires once and masks itself (VFIO automask) until the VMM unmasks,
 * at which point a cause that is still pending fires again.
 */
#include "mtty_model.h"

static bool mtty_ops_valid(const struct mtty_model_host_ops *ops)
{
	return ops && ops->raise_irq && ops->set_timer && ops->now_ns;
}

int mtty_model_init(struct mtty_model *m, unsigned int nr_ports,
		    const struct mtty_model_host_ops *ops, void *opaque)
{
	unsigned int i;

	if (!m || nr_ports < 1 || nr_ports > MTTY_MAX_PORTS ||
	    !mtty_ops_valid(ops))
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	m->nr_ports = nr_ports;
	m->ops = ops;
	m->opaque = opaque;
	m->irq_mode = MTTY_IRQ_NONE;
	pci_config_init(&m->config, nr_ports);
	for (i = 0; i < MTTY_MAX_PORTS; i++) {
		uart16550_reset(&m->uart[i]);
		m->last_iir[i] = UART_IIR_NO_INT;
	}
	return 0;
}

uint64_t mtty_model_region_size(const struct mtty_model *m, unsigned int index)
{
	switch (index) {
	case MTTY_REGION_CONFIG:
		return PCI_CONFIG_SIZE;
	case MTTY_REGION_BAR0:
		return MTTY_BAR_SIZE;
	case MTTY_REGION_BAR1:
		return m->nr_ports == 2 ? MTTY_BAR_SIZE : 0;
	default:
		return 0;
	}
}

/* Arm port @port's host timer to fire at @deadline (@now is the clock). */
static void mtty_arm_timer(struct mtty_model *m, unsigned int port,
			   uint64_t now, uint64_t deadline)
{
	struct uart16550 *uart = &m->uart[port];

	m->ops->set_timer(m->opaque, port, deadline - now);
	uart->timer_fires_ns = deadline;
	uart->timer_running = true;
}

/*
 * Start, restart or cancel port @port's character-timeout timer.  Any FIFO
 * activity starts the 4-character wait over, which moves the deadline
 * later: the host's timer is then left to fire early (the expiry re-checks
 * the deadline) and re-armed only when the deadline comes before it (a
 * faster baud rate), so a burst of bytes costs one arm per 4 character
 * times, not one per byte.
 */
static void mtty_update_timer(struct mtty_model *m, unsigned int port)
{
	struct uart16550 *uart = &m->uart[port];
	uint64_t delay = uart16550_timer_wanted(uart);
	uint64_t now;

	if (!delay) {
		if (uart->timer_running)
			m->ops->set_timer(m->opaque, port, 0);
		uart->timer_running = false;
	} else if (!uart->timer_running || uart->fifo_activity) {
		now = m->ops->now_ns(m->opaque);
		uart->timer_deadline_ns = now + delay;
		if (!uart->timer_running ||
		    uart->timer_deadline_ns < uart->timer_fires_ns)
			mtty_arm_timer(m, port, now, uart->timer_deadline_ns);
	}
	uart->fifo_activity = false;
}

static void mtty_fire_intx(struct mtty_model *m)
{
	if (m->intx_masked)
		return;
	m->ops->raise_irq(m->opaque, MTTY_IRQ_INTX);
	m->intx_masked = true;
}

/* Recompute every port's cause, deliver new ones, keep timers in step. */
static void mtty_update(struct mtty_model *m)
{
	unsigned int port, events = 0;

	for (port = 0; port < m->nr_ports; port++) {
		uint8_t id = uart16550_iir(&m->uart[port]) & UART_IIR_ID_MASK;

		if (id != UART_IIR_NO_INT && id != m->last_iir[port])
			events++;
		m->last_iir[port] = id;
		mtty_update_timer(m, port);
	}
	if (!events)
		return;
	switch (m->irq_mode) {
	case MTTY_IRQ_INTX:
		mtty_fire_intx(m);
		break;
	case MTTY_IRQ_MSI:
		while (events--)
			m->ops->raise_irq(m->opaque, MTTY_IRQ_MSI);
		break;
	default:
		break; /* no trigger installed: nothing to deliver */
	}
}

/* An access must lie wholly inside a present region and move a byte. */
static int mtty_check_access(const struct mtty_model *m, unsigned int index,
			     uint64_t offset, unsigned int count)
{
	uint64_t size = mtty_model_region_size(m, index);

	if (!size || !count || offset >= size || count > size - offset)
		return -EINVAL;
	return 0;
}

/*
 * One region access: read into @dst, or write from @src (@dst NULL).  On a
 * BAR each byte is a separate register access, followed by an interrupt
 * update, as a guest's byte-wide accesses would be.
 */
static int mtty_access(struct mtty_model *m, unsigned int index,
		       uint64_t offset, uint8_t *dst, const uint8_t *src,
		       unsigned int count)
{
	unsigned int i;
	int ret;

	ret = mtty_check_access(m, index, offset, count);
	if (ret)
		return ret;
	if (index == MTTY_REGION_CONFIG)
		return dst ? pci_config_read(&m->config, offset, dst, count) :
			     pci_config_write(&m->config, offset, src, count);
	for (i = 0; i < count; i++) {
		if (dst)
			dst[i] = uart16550_read(&m->uart[index], offset + i);
		else
			uart16550_write(&m->uart[index], offset + i, src[i]);
		mtty_update(m);
	}
	return count;
}

int mtty_model_read(struct mtty_model *m, unsigned int index, uint64_t offset,
		    void *buf, unsigned int count)
{
	return mtty_access(m, index, offset, buf, NULL, count);
}

int mtty_model_write(struct mtty_model *m, unsigned int index, uint64_t offset,
		     const void *buf, unsigned int count)
{
	return mtty_access(m, index, offset, NULL, buf, count);
}

void mtty_model_reset(struct mtty_model *m)
{
	unsigned int port;

	for (port = 0; port < m->nr_ports; port++) {
		if (m->uart[port].timer_running)
			m->ops->set_timer(m->opaque, port, 0);
		uart16550_reset(&m->uart[port]);
		m->last_iir[port] = UART_IIR_NO_INT;
	}
	m->intx_masked = false;
}

int mtty_model_set_irq_mode(struct mtty_model *m, enum mtty_irq_mode mode)
{
	if (mode != MTTY_IRQ_NONE && mode != MTTY_IRQ_INTX &&
	    mode != MTTY_IRQ_MSI)
		return -EINVAL;
	if (mode == m->irq_mode)
		return 0;
	if (mode != MTTY_IRQ_NONE && m->irq_mode != MTTY_IRQ_NONE)
		return -EINVAL;
	/* As in the kernel: installing or removing INTx starts unmasked. */
	m->intx_masked = false;
	m->irq_mode = mode;
	return 0;
}

void mtty_model_intx_mask(struct mtty_model *m)
{
	m->intx_masked = true;
}

void mtty_model_intx_unmask(struct mtty_model *m)
{
	unsigned int port;

	m->intx_masked = false;
	if (m->irq_mode != MTTY_IRQ_INTX)
		return;
	/* Level-triggered semantics: a cause still pending fires again. */
	for (port = 0; port < m->nr_ports; port++) {
		if (uart16550_irq_pending(&m->uart[port])) {
			mtty_fire_intx(m);
			return;
		}
	}
}

void mtty_model_timer_expired(struct mtty_model *m, unsigned int port)
{
	struct uart16550 *uart;
	uint64_t now;

	/* A late expiry of a timer already cancelled or replaced is stale. */
	if (port >= m->nr_ports || !m->uart[port].timer_running)
		return;
	uart = &m->uart[port];
	now = m->ops->now_ns(m->opaque);
	if (now < uart->timer_deadline_ns) {
		/* FIFO activity moved the deadline: wait for the rest. */
		mtty_arm_timer(m, port, now, uart->timer_deadline_ns);
		return;
	}
	uart16550_timer_expired(uart);
	mtty_update(m);
}

/*
 * Migration: the device state as a versioned byte stream.
 *
 * Header (24 bytes, little-endian):
 *   u64 magic 0x7e9d09898c3e2c4e, u16 major 1, u16 minor 0, u32 nr_ports,
 *   u32 flags (0), u32 payload length (bytes after the header).
 * Payload, every field encoded explicitly (never a struct's memory image):
 *   u8 config[256]; u8 intx_masked;
 *   then per port: u8 ier, fcr, lcr, mcr, lsr, msr, scr; u16 divisor;
 *   u8 fifo_count; u8 fifo[16] (oldest byte first, unused bytes 0);
 *   u8 port_flags (bit 0 THR-empty cause armed, bit 1 timeout indicated);
 *   u8 last_iir (the cause seen at the last interrupt update).
 *
 * The IRQ mode is not part of the stream: which trigger exists is the VMM's
 * setup, which it replays with SET_IRQS on the destination.  The INTx mask
 * is device state and travels.
 *
 * Restore decodes into a copy and commits only when every check passed, so
 * a refused stream leaves the device exactly as it was.
 */

#define MTTY_MIG_HEADER_SIZE MTTY_MIGRATION_HEADER_SIZE
#define MTTY_MIG_DEVICE_SIZE (PCI_CONFIG_SIZE + 1)
#define MTTY_MIG_PORT_SIZE (7 + 2 + 1 + UART16550_FIFO_SIZE + 1 + 1)

#define MTTY_MIG_PORT_THRE_PENDING 0x01
#define MTTY_MIG_PORT_TIMEOUT_PENDING 0x02
#define MTTY_MIG_PORT_FLAGS \
	(MTTY_MIG_PORT_THRE_PENDING | MTTY_MIG_PORT_TIMEOUT_PENDING)

/* Bits the UART keeps in the registers it stores (see uart16550.c). */
#define MTTY_MIG_IER_BITS 0x0f
#define MTTY_MIG_FCR_BITS \
	(UART_FCR_ENABLE_FIFO | UART_FCR_DMA_SELECT | UART_FCR_TRIGGER_MASK)
#define MTTY_MIG_MSR_FIXED (UART_MSR_DSR | UART_MSR_DCD)
#define MTTY_MIG_MSR_NEVER (UART_MSR_RI | UART_MSR_TERI)

/* A bounded cursor over a byte buffer. */
struct mtty_mig_cursor {
	uint8_t *w; /* writing */
	const uint8_t *r; /* reading */
	size_t pos;
};

static void put_u8(struct mtty_mig_cursor *c, uint8_t v)
{
	c->w[c->pos++] = v;
}

static void put_le16(struct mtty_mig_cursor *c, uint16_t v)
{
	put_u8(c, v & 0xff);
	put_u8(c, v >> 8);
}

static void put_le32(struct mtty_mig_cursor *c, uint32_t v)
{
	put_le16(c, v & 0xffff);
	put_le16(c, v >> 16);
}

static void put_le64(struct mtty_mig_cursor *c, uint64_t v)
{
	put_le32(c, v & 0xffffffff);
	put_le32(c, v >> 32);
}

static uint8_t get_u8(struct mtty_mig_cursor *c)
{
	return c->r[c->pos++];
}

static uint16_t get_le16(struct mtty_mig_cursor *c)
{
	uint16_t lo = get_u8(c);

	return lo | (uint16_t)get_u8(c) << 8;
}

static uint32_t get_le32(struct mtty_mig_cursor *c)
{
	uint32_t lo = get_le16(c);

	return lo | (uint32_t)get_le16(c) << 16;
}

static uint64_t get_le64(struct mtty_mig_cursor *c)
{
	uint64_t lo = get_le32(c);

	return lo | (uint64_t)get_le32(c) << 32;
}

static size_t mtty_mig_payload_size(unsigned int nr_ports)
{
	return MTTY_MIG_DEVICE_SIZE + (size_t)nr_ports * MTTY_MIG_PORT_SIZE;
}

size_t mtty_model_migration_size(const struct mtty_model *m)
{
	return MTTY_MIG_HEADER_SIZE + mtty_mig_payload_size(m->nr_ports);
}

uint64_t mtty_model_stream_length(const void *hdr)
{
	struct mtty_mig_cursor c = { .r = hdr,
				     .pos = MTTY_MIG_HEADER_SIZE - 4 };

	return MTTY_MIG_HEADER_SIZE + (uint64_t)get_le32(&c);
}

static void mtty_mig_save_port(struct mtty_mig_cursor *c,
			       const struct uart16550 *u, uint8_t last_iir)
{
	unsigned int i;
	uint8_t flags = 0;

	put_u8(c, u->ier);
	put_u8(c, u->fcr);
	put_u8(c, u->lcr);
	put_u8(c, u->mcr);
	put_u8(c, u->lsr);
	put_u8(c, u->msr);
	put_u8(c, u->scr);
	put_le16(c, u->divisor);
	put_u8(c, u->fifo_count);
	for (i = 0; i < UART16550_FIFO_SIZE; i++)
		put_u8(c, i < u->fifo_count ? u->fifo[(u->fifo_head + i) %
						      UART16550_FIFO_SIZE] :
					      0);
	if (u->thre_pending)
		flags |= MTTY_MIG_PORT_THRE_PENDING;
	if (u->timeout_pending)
		flags |= MTTY_MIG_PORT_TIMEOUT_PENDING;
	put_u8(c, flags);
	put_u8(c, last_iir);
}

long mtty_model_save(const struct mtty_model *m, void *buf, size_t len)
{
	struct mtty_mig_cursor c = { .w = buf };
	size_t size = mtty_model_migration_size(m);
	unsigned int port;

	if (len < size)
		return -ENOSPC;
	put_le64(&c, MTTY_MIGRATION_MAGIC);
	put_le16(&c, MTTY_MIGRATION_MAJOR);
	put_le16(&c, MTTY_MIGRATION_MINOR);
	put_le32(&c, m->nr_ports);
	put_le32(&c, 0);
	put_le32(&c, mtty_mig_payload_size(m->nr_ports));
	memcpy(c.w + c.pos, m->config.bytes, PCI_CONFIG_SIZE);
	c.pos += PCI_CONFIG_SIZE;
	put_u8(&c, m->intx_masked);
	for (port = 0; port < m->nr_ports; port++)
		mtty_mig_save_port(&c, &m->uart[port], m->last_iir[port]);
	return c.pos;
}

static bool mtty_mig_iir_valid(uint8_t id)
{
	switch (id) {
	case UART_IIR_NO_INT:
	case UART_IIR_MSI:
	case UART_IIR_THRI:
	case UART_IIR_RDI:
	case UART_IIR_RLSI:
	case UART_IIR_CTI:
		return true;
	default:
		return false;
	}
}

/* Decode one port into @u; return a reason if a field is out of range. */
static const char *mtty_mig_load_port(struct mtty_mig_cursor *c,
				      struct uart16550 *u, uint8_t *last_iir)
{
	uint8_t flags;
	unsigned int i;

	uart16550_reset(u);
	u->ier = get_u8(c);
	u->fcr = get_u8(c);
	u->lcr = get_u8(c);
	u->mcr = get_u8(c);
	u->lsr = get_u8(c);
	u->msr = get_u8(c);
	u->scr = get_u8(c);
	u->divisor = get_le16(c);
	u->fifo_count = get_u8(c);
	for (i = 0; i < UART16550_FIFO_SIZE; i++)
		u->fifo[i] = get_u8(c);
	u->fifo_head = 0;
	flags = get_u8(c);
	*last_iir = get_u8(c);

	if (u->ier & ~MTTY_MIG_IER_BITS)
		return "IER reserved bits set";
	if (u->fcr & ~MTTY_MIG_FCR_BITS)
		return "FCR has self-clearing bits set";
	if (u->lsr & ~UART_LSR_ERRORS)
		return "LSR holds more than error bits";
	if ((u->msr & MTTY_MIG_MSR_FIXED) != MTTY_MIG_MSR_FIXED ||
	    (u->msr & MTTY_MIG_MSR_NEVER))
		return "MSR modem lines out of range";
	if (u->fifo_count > UART16550_FIFO_SIZE)
		return "FIFO count out of range";
	if (u->fifo_count > uart16550_fifo_depth(u))
		return "FIFO count exceeds FIFO depth";
	if (flags & ~MTTY_MIG_PORT_FLAGS)
		return "unknown port flags";
	if (!mtty_mig_iir_valid(*last_iir))
		return "invalid interrupt cause";
	u->thre_pending = flags & MTTY_MIG_PORT_THRE_PENDING;
	u->timeout_pending = flags & MTTY_MIG_PORT_TIMEOUT_PENDING;
	return NULL;
}

static int mtty_mig_refuse(const char **why, const char *reason, int err)
{
	if (why)
		*why = reason;
	return err;
}

int mtty_model_restore(struct mtty_model *m, const void *buf, size_t len,
		       const char **why)
{
	struct mtty_mig_cursor c = { .r = buf };
	struct mtty_model next;
	const char *reason;
	uint32_t nr_ports, flags, payload;
	unsigned int port;
	uint8_t masked;

	if (!buf || len < MTTY_MIG_HEADER_SIZE)
		return mtty_mig_refuse(why, "truncated header", -EINVAL);
	if (get_le64(&c) != MTTY_MIGRATION_MAGIC)
		return mtty_mig_refuse(why, "wrong magic", -EINVAL);
	if (get_le16(&c) != MTTY_MIGRATION_MAJOR)
		return mtty_mig_refuse(why, "unsupported major version",
				       -EPROTONOSUPPORT);
	get_le16(&c); /* any minor of major 1 shares this layout */
	nr_ports = get_le32(&c);
	flags = get_le32(&c);
	payload = get_le32(&c);
	if (nr_ports != m->nr_ports)
		return mtty_mig_refuse(why, "wrong port count", -EINVAL);
	if (flags)
		return mtty_mig_refuse(why, "unknown header flags", -EINVAL);
	if (payload != mtty_mig_payload_size(nr_ports))
		return mtty_mig_refuse(why, "wrong payload length", -EINVAL);
	if (len - MTTY_MIG_HEADER_SIZE < payload)
		return mtty_mig_refuse(why, "truncated stream", -EINVAL);
	if (len - MTTY_MIG_HEADER_SIZE > payload)
		return mtty_mig_refuse(why, "trailing bytes after stream",
				       -EINVAL);

	next = *m;
	if (!pci_config_image_valid(c.r + c.pos, m->nr_ports))
		return mtty_mig_refuse(
			why, "config space read-only bits differ", -EINVAL);
	memcpy(next.config.bytes, c.r + c.pos, PCI_CONFIG_SIZE);
	c.pos += PCI_CONFIG_SIZE;
	masked = get_u8(&c);
	if (masked > 1)
		return mtty_mig_refuse(why, "invalid INTx mask", -EINVAL);
	next.intx_masked = masked;
	for (port = 0; port < m->nr_ports; port++) {
		reason = mtty_mig_load_port(&c, &next.uart[port],
					    &next.last_iir[port]);
		if (reason)
			return mtty_mig_refuse(why, reason, -EINVAL);
	}

	/* Commit, then give every port the timer its state calls for. */
	*m = next;
	for (port = 0; port < m->nr_ports; port++) {
		struct uart16550 *uart = &m->uart[port];
		uint64_t delay = uart16550_timer_wanted(uart);
		uint64_t now;

		uart->fifo_activity = false;
		uart->timer_running = false;
		if (!delay) {
			m->ops->set_timer(m->opaque, port, 0);
			continue;
		}
		now = m->ops->now_ns(m->opaque);
		uart->timer_deadline_ns = now + delay;
		mtty_arm_timer(m, port, now, uart->timer_deadline_ns);
	}
	if (why)
		*why = NULL;
	return 0;
}
