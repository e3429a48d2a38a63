// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_info - `umdevctl info -u UUID`: connect to the device's socket as a
 * vfio-user client and show what a VMM would see: device info, every region
 * and IRQ index, and the PCI config space.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <umdev/client.h>
#include "cli.h"

static const char *cli_region_name(uint32_t index)
{
	static const char *const names[] = {
		[VFIO_PCI_BAR0_REGION_INDEX] = "BAR0",
		[VFIO_PCI_BAR1_REGION_INDEX] = "BAR1",
		[VFIO_PCI_BAR2_REGION_INDEX] = "BAR2",
		[VFIO_PCI_BAR3_REGION_INDEX] = "BAR3",
		[VFIO_PCI_BAR4_REGION_INDEX] = "BAR4",
		[VFIO_PCI_BAR5_REGION_INDEX] = "BAR5",
		[VFIO_PCI_ROM_REGION_INDEX] = "ROM",
		[VFIO_PCI_CONFIG_REGION_INDEX] = "config",
		[VFIO_PCI_VGA_REGION_INDEX] = "VGA",
	};

	return index < sizeof(names) / sizeof(names[0]) ? names[index] : "?";
}

static const char *cli_irq_name(uint32_t index)
{
	static const char *const names[] = {
		[VFIO_PCI_INTX_IRQ_INDEX] = "INTx",
		[VFIO_PCI_MSI_IRQ_INDEX] = "MSI",
		[VFIO_PCI_MSIX_IRQ_INDEX] = "MSI-X",
		[VFIO_PCI_ERR_IRQ_INDEX] = "ERR",
		[VFIO_PCI_REQ_IRQ_INDEX] = "REQ",
	};

	return index < sizeof(names) / sizeof(names[0]) ? names[index] : "?";
}

static void cli_print_region(struct umdev_client *c, uint32_t index)
{
	struct vfio_region_info info = { .argsz = sizeof(info) };
	int ret = umdev_client_get_region_info(c, index, &info);

	if (ret) {
		printf("  %u %-6s error: %s\n", index, cli_region_name(index),
		       strerror(-ret));
		return;
	}
	printf("  %u %-6s size %#6llx%s%s%s\n", index, cli_region_name(index),
	       (unsigned long long)info.size,
	       info.flags & VFIO_REGION_INFO_FLAG_READ ? "  read" : "",
	       info.flags & VFIO_REGION_INFO_FLAG_WRITE ? " write" : "",
	       info.flags & VFIO_REGION_INFO_FLAG_MMAP ? " mmap" : "");
}

static void cli_print_irq(struct umdev_client *c, uint32_t index)
{
	struct vfio_irq_info info = { .argsz = sizeof(info) };
	int ret = umdev_client_get_irq_info(c, index, &info);

	if (ret) {
		printf("  %u %-6s error: %s\n", index, cli_irq_name(index),
		       strerror(-ret));
		return;
	}
	printf("  %u %-6s count %u%s%s%s%s\n", index, cli_irq_name(index),
	       info.count,
	       info.flags & VFIO_IRQ_INFO_EVENTFD ? "  eventfd" : "",
	       info.flags & VFIO_IRQ_INFO_MASKABLE ? " maskable" : "",
	       info.flags & VFIO_IRQ_INFO_AUTOMASKED ? " automasked" : "",
	       info.flags & VFIO_IRQ_INFO_NORESIZE ? " noresize" : "");
}

static int cli_print_config(struct umdev_client *c)
{
	uint8_t cfg[256];
	int ret, i;

	ret = umdev_client_read(c, VFIO_PCI_CONFIG_REGION_INDEX, 0, cfg,
				sizeof(cfg));
	if (ret < 0) {
		cli_error("info: reading config space: %s", strerror(-ret));
		return CLI_EXIT_FAILED;
	}
	printf("PCI config space: vendor %02x%02x device %02x%02x class %02x%02x%02x\n",
	       cfg[1], cfg[0], cfg[3], cfg[2], cfg[11], cfg[10], cfg[9]);
	for (i = 0; i < 256; i += 16) {
		int j;

		printf("  %02x:", i);
		for (j = 0; j < 16; j++)
			printf(" %02x", cfg[i + j]);
		printf("  ");
		for (j = 0; j < 16; j++)
			putchar(cfg[i + j] >= 0x20 && cfg[i + j] < 0x7f ?
					cfg[i + j] :
					'.');
		putchar('\n');
	}
	return CLI_EXIT_OK;
}

int cli_cmd_info(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "uuid", required_argument, NULL, 'u' },
		{ "runtime-dir", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vfio_device_info info = { .argsz = sizeof(info) };
	const char *uuid = NULL;
	struct umdev_client *c;
	char path[PATH_MAX];
	int ch, ret;
	uint32_t i;

	while ((ch = getopt_long(argc, argv, "u:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u':
			uuid = optarg;
			break;
		case 'r':
			ctx->runtime_override = optarg;
			break;
		default:
			fprintf(stderr,
				"Usage: umdevctl info -u|--uuid UUID [--runtime-dir DIR]\n");
			return ch == 'h' ? CLI_EXIT_OK : CLI_EXIT_USAGE;
		}
	}
	ret = cli_connect_device(ctx, "info", uuid, optind < argc, path, &c);
	if (ret)
		return ret;
	ret = umdev_client_get_info(c, &info);
	if (ret == -E2BIG) {
		cli_error(
			"info: the device at %s reports %u regions and %u IRQ indices: refused (at most %d and %d)",
			path, info.num_regions, info.num_irqs,
			UMDEV_CLIENT_MAX_REGIONS, UMDEV_CLIENT_MAX_IRQS);
		umdev_client_close(c);
		return CLI_EXIT_FAILED;
	}
	if (ret) {
		cli_error("info: DEVICE_GET_INFO: %s", strerror(-ret));
		umdev_client_close(c);
		return CLI_EXIT_FAILED;
	}
	printf("Device %s\n  socket %s\n  flags%s%s, %u regions, %u IRQ indices\n",
	       uuid, path, info.flags & VFIO_DEVICE_FLAGS_PCI ? " PCI" : "",
	       info.flags & VFIO_DEVICE_FLAGS_RESET ? " RESET" : "",
	       info.num_regions, info.num_irqs);
	printf("Regions:\n");
	for (i = 0; i < info.num_regions; i++)
		cli_print_region(c, i);
	printf("IRQs:\n");
	for (i = 0; i < info.num_irqs; i++)
		cli_print_irq(c, i);
	ret = cli_print_config(c);
	umdev_client_close(c);
	return ret;
}
