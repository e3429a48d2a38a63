// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for pci_config: mtty's identity, BAR sizing, write masks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "pci_config.h"

static uint32_t cfg_rd32(const struct pci_config *cfg, unsigned int off)
{
	uint8_t b[4];

	assert_int_equal(pci_config_read(cfg, off, b, 4), 4);
	return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint16_t cfg_rd16(const struct pci_config *cfg, unsigned int off)
{
	uint8_t b[2];

	assert_int_equal(pci_config_read(cfg, off, b, 2), 2);
	return b[0] | b[1] << 8;
}

static uint8_t cfg_rd8(const struct pci_config *cfg, unsigned int off)
{
	uint8_t b;

	assert_int_equal(pci_config_read(cfg, off, &b, 1), 1);
	return b;
}

static void cfg_wr32(struct pci_config *cfg, unsigned int off, uint32_t v)
{
	uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };

	assert_int_equal(pci_config_write(cfg, off, b, 4), 4);
}

static void cfg_wr16(struct pci_config *cfg, unsigned int off, uint16_t v)
{
	uint8_t b[2] = { v, v >> 8 };

	assert_int_equal(pci_config_write(cfg, off, b, 2), 2);
}

static void cfg_wr8(struct pci_config *cfg, unsigned int off, uint8_t v)
{
	assert_int_equal(pci_config_write(cfg, off, &v, 1), 1);
}

/* The whole 256-byte image the kernel sample builds, byte for byte. */
static void expected_image(uint8_t img[256], unsigned int nr_ports)
{
	static const char text[] = "PCI Serial/UART";

	memset(img, 0, 256);
	img[0x00] = 0x48;
	img[0x01] = 0x43;
	img[0x02] = 0x53;
	img[0x03] = 0x32;
	img[0x04] = 0x01;
	img[0x07] = 0x02;
	img[0x08] = 0x10;
	img[0x09] = 0x02;
	img[0x0a] = 0x00;
	img[0x0b] = 0x07;
	img[0x10] = 0x01;
	if (nr_ports == 2)
		img[0x14] = 0x01;
	img[0x2c] = 0x48;
	img[0x2d] = 0x43;
	img[0x2e] = 0x53;
	img[0x2f] = 0x32;
	img[0x3d] = 0x01;
	img[0x40] = 0x23;
	img[0x43] = 0x80;
	img[0x44] = 0x23;
	img[0x48] = 0x23;
	img[0x4c] = 0x23;
	memcpy(img + 0x60, text, 15);
}

static void test_identity_1port(void **state)
{
	struct pci_config cfg;
	uint8_t img[256], got[256];

	pci_config_init(&cfg, 1);
	expected_image(img, 1);
	assert_int_equal(pci_config_read(&cfg, 0, got, 256), 256);
	assert_memory_equal(got, img, 256);
	assert_int_equal(cfg_rd16(&cfg, 0), MTTY_PCI_VENDOR_ID);
	assert_int_equal(cfg_rd16(&cfg, 2), MTTY_PCI_DEVICE_ID);
	assert_int_equal(cfg_rd8(&cfg, 0x34), 0); /* no capability list */
	assert_memory_equal(got + 0x60, "PCI Serial/UART", 15);
}

static void test_identity_2port(void **state)
{
	struct pci_config cfg;
	uint8_t img[256], got[256];

	pci_config_init(&cfg, 2);
	expected_image(img, 2);
	assert_int_equal(pci_config_read(&cfg, 0, got, 256), 256);
	assert_memory_equal(got, img, 256);
	assert_int_equal(cfg_rd32(&cfg, 0x14), 0x1);
}

static void test_range_checks(void **state)
{
	struct pci_config cfg;
	uint8_t b[4] = { 0 };

	pci_config_init(&cfg, 1);
	/* The region is 256 bytes: the last byte is readable. */
	assert_int_equal(pci_config_read(&cfg, 255, b, 1), 1);
	assert_int_equal(pci_config_write(&cfg, 255, b, 1), 1);
	assert_int_equal(pci_config_read(&cfg, 252, b, 4), 4);
	assert_int_equal(pci_config_read(&cfg, 255, b, 2), -EINVAL);
	assert_int_equal(pci_config_read(&cfg, 256, b, 1), -EINVAL);
	assert_int_equal(pci_config_read(&cfg, 0, b, 0), -EINVAL);
	assert_int_equal(pci_config_write(&cfg, 254, b, 4), -EINVAL);
	assert_int_equal(pci_config_write(&cfg, 300, b, 1), -EINVAL);
	assert_int_equal(pci_config_write(&cfg, 0, b, 0), -EINVAL);
	assert_int_equal(pci_config_read(&cfg, 0xffffffffu, b, 2), -EINVAL);
}

static void check_bar_sizing(struct pci_config *cfg, unsigned int off)
{
	cfg_wr32(cfg, off, 0xffffffff);
	assert_int_equal(cfg_rd32(cfg, off), 0xfffffff9);
	/* An aligned address sticks, the I/O indicator stays. */
	cfg_wr32(cfg, off, 0xc000);
	assert_int_equal(cfg_rd32(cfg, off), 0xc001);
	/* Unaligned: the low bits are masked as hardware does. */
	cfg_wr32(cfg, off, 0xc00f);
	assert_int_equal(cfg_rd32(cfg, off), 0xc009);
	cfg_wr32(cfg, off, 0);
	assert_int_equal(cfg_rd32(cfg, off), 0x1);
	/* Sub-dword writes go through the same mask. */
	cfg_wr8(cfg, off, 0xff);
	assert_int_equal(cfg_rd32(cfg, off), 0xf9);
	cfg_wr16(cfg, off + 2, 0xabcd);
	assert_int_equal(cfg_rd32(cfg, off), 0xabcd00f9);
}

static void test_bar0_sizing(void **state)
{
	struct pci_config cfg;

	pci_config_init(&cfg, 1);
	check_bar_sizing(&cfg, 0x10);
	pci_config_init(&cfg, 2);
	check_bar_sizing(&cfg, 0x10);
}

static void test_bar1_sizing_2port(void **state)
{
	struct pci_config cfg;

	pci_config_init(&cfg, 2);
	check_bar_sizing(&cfg, 0x14);
	/* BAR0 did not move. */
	assert_int_equal(cfg_rd32(&cfg, 0x10), 0x1);
}

static void test_bar1_absent_1port(void **state)
{
	struct pci_config cfg;

	pci_config_init(&cfg, 1);
	assert_int_equal(cfg_rd32(&cfg, 0x14), 0);
	cfg_wr32(&cfg, 0x14, 0xffffffff);
	assert_int_equal(cfg_rd32(&cfg, 0x14), 0);
	cfg_wr32(&cfg, 0x14, 0xc001);
	assert_int_equal(cfg_rd32(&cfg, 0x14), 0);
}

static void test_bars_2_to_5_read_zero(void **state)
{
	struct pci_config cfg;
	unsigned int nr, off;

	for (nr = 1; nr <= 2; nr++) {
		pci_config_init(&cfg, nr);
		for (off = 0x18; off <= 0x24; off += 4) {
			cfg_wr32(&cfg, off, 0xffffffff);
			assert_int_equal(cfg_rd32(&cfg, off), 0);
		}
	}
}

static void test_interrupt_line_and_pin(void **state)
{
	struct pci_config cfg;

	pci_config_init(&cfg, 1);
	cfg_wr8(&cfg, 0x3c, 0x0b);
	assert_int_equal(cfg_rd8(&cfg, 0x3c), 0x0b);
	cfg_wr8(&cfg, 0x3d, 0x04);
	assert_int_equal(cfg_rd8(&cfg, 0x3d), 0x01);
	/* One dword write over line, pin, min_gnt, max_lat. */
	cfg_wr32(&cfg, 0x3c, 0xffffff05);
	assert_int_equal(cfg_rd32(&cfg, 0x3c), 0x00000105);
}

static void test_command_and_status(void **state)
{
	struct pci_config cfg;

	pci_config_init(&cfg, 1);
	assert_int_equal(cfg_rd16(&cfg, 0x04), 0x0001);
	/* I/O, parity, SERR, INTx disable writable; memory and master not. */
	cfg_wr16(&cfg, 0x04, 0xffff);
	assert_int_equal(cfg_rd16(&cfg, 0x04), 0x0541);
	cfg_wr16(&cfg, 0x04, 0x0000);
	assert_int_equal(cfg_rd16(&cfg, 0x04), 0x0000);
	cfg_wr16(&cfg, 0x04, 0x0001);
	assert_int_equal(cfg_rd16(&cfg, 0x04), 0x0001);
	/* Status is read-only (no RW1C bits implemented). */
	cfg_wr16(&cfg, 0x06, 0xffff);
	assert_int_equal(cfg_rd16(&cfg, 0x06), 0x0200);
	cfg_wr16(&cfg, 0x06, 0x0000);
	assert_int_equal(cfg_rd16(&cfg, 0x06), 0x0200);
	/* A dword write over command+status changes only command bits. */
	cfg_wr32(&cfg, 0x04, 0xffff0400);
	assert_int_equal(cfg_rd32(&cfg, 0x04), 0x02000400);
}

static void test_read_only_bytes(void **state)
{
	struct pci_config cfg;
	uint8_t before[256], after[256], ones[256];
	unsigned int off;

	pci_config_init(&cfg, 2);
	assert_int_equal(pci_config_read(&cfg, 0, before, 256), 256);
	/* Every byte outside command, the two BARs and line is read-only. */
	memset(ones, 0xff, sizeof(ones));
	for (off = 0; off < 256; off++) {
		if (off == 0x04 || off == 0x05 || off == 0x3c ||
		    (off >= 0x10 && off < 0x18))
			continue;
		assert_int_equal(pci_config_write(&cfg, off, ones, 1), 1);
		assert_int_equal(pci_config_write(&cfg, off, ones + 1, 1), 1);
	}
	assert_int_equal(pci_config_read(&cfg, 0, after, 256), 256);
	assert_memory_equal(before, after, 256);
	/* A full 256-byte write of zeros clears only writable bits. */
	memset(ones, 0, sizeof(ones));
	assert_int_equal(pci_config_write(&cfg, 0, ones, 256), 256);
	assert_int_equal(pci_config_read(&cfg, 0, after, 256), 256);
	before[0x04] = 0; /* I/O enable cleared */
	assert_memory_equal(before, after, 256);
}

static void test_image_valid(void **state)
{
	struct pci_config cfg;

	pci_config_init(&cfg, 1);
	assert_true(pci_config_image_valid(cfg.bytes, 1));
	cfg_wr32(&cfg, 0x10, 0xc000);
	cfg_wr8(&cfg, 0x3c, 9);
	assert_true(pci_config_image_valid(cfg.bytes, 1));
	/* A 2-port image has BAR1's I/O bit: not a 1-port image. */
	pci_config_init(&cfg, 2);
	assert_true(pci_config_image_valid(cfg.bytes, 2));
	assert_false(pci_config_image_valid(cfg.bytes, 1));
	cfg.bytes[0] ^= 1; /* vendor ID */
	assert_false(pci_config_image_valid(cfg.bytes, 2));
	pci_config_init(&cfg, 2);
	cfg.bytes[0x10] |= 0x04; /* below the BAR size */
	assert_false(pci_config_image_valid(cfg.bytes, 2));
	pci_config_init(&cfg, 2);
	cfg.bytes[0xff] = 1;
	assert_false(pci_config_image_valid(cfg.bytes, 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity_1port),
		cmocka_unit_test(test_identity_2port),
		cmocka_unit_test(test_range_checks),
		cmocka_unit_test(test_bar0_sizing),
		cmocka_unit_test(test_bar1_sizing_2port),
		cmocka_unit_test(test_bar1_absent_1port),
		cmocka_unit_test(test_bars_2_to_5_read_zero),
		cmocka_unit_test(test_interrupt_line_and_pin),
		cmocka_unit_test(test_command_and_status),
		cmocka_unit_test(test_read_only_bytes),
		cmocka_unit_test(test_image_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
