// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_info - `umdevctl info -u UUID`: what a VMM would see of the device
 * (device info, every region and IRQ index, the PCI config space), as
 * umdevd answers it over the control socket: it works while a VM holds
 * the device.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <umdev/mdev_host.h>
#include <umdev/vfio_device.h>
#include "cli.h"
#include "management/json_pretty.h"

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

/* A number member of a checked reply object. */
static uint64_t cli_u64(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v))
		return 0;
	return (uint64_t)json_object_get_int64(v);
}

static const struct cli_field cli_index_fields[] = {
	{ "index", CLI_FIELD_INT, false }, { "errno", CLI_FIELD_INT, true },
	{ "size", CLI_FIELD_INT, true },   { "count", CLI_FIELD_INT, true },
	{ "flags", CLI_FIELD_INT, true },
};

static void cli_print_region(json_object *r)
{
	uint32_t index = (uint32_t)cli_u64(r, "index");
	uint32_t flags = (uint32_t)cli_u64(r, "flags");

	if (json_object_object_get_ex(r, "errno", NULL)) {
		printf("  %u %-6s error: %s\n", index, cli_region_name(index),
		       strerror((int)cli_u64(r, "errno")));
		return;
	}
	printf("  %u %-6s size %#6llx%s%s%s\n", index, cli_region_name(index),
	       (unsigned long long)cli_u64(r, "size"),
	       flags & VFIO_REGION_INFO_FLAG_READ ? "  read" : "",
	       flags & VFIO_REGION_INFO_FLAG_WRITE ? " write" : "",
	       flags & VFIO_REGION_INFO_FLAG_MMAP ? " mmap" : "");
}

static void cli_print_irq(json_object *q)
{
	uint32_t index = (uint32_t)cli_u64(q, "index");
	uint32_t flags = (uint32_t)cli_u64(q, "flags");

	if (json_object_object_get_ex(q, "errno", NULL)) {
		printf("  %u %-6s error: %s\n", index, cli_irq_name(index),
		       strerror((int)cli_u64(q, "errno")));
		return;
	}
	printf("  %u %-6s count %u%s%s%s%s\n", index, cli_irq_name(index),
	       (unsigned int)cli_u64(q, "count"),
	       flags & VFIO_IRQ_INFO_EVENTFD ? "  eventfd" : "",
	       flags & VFIO_IRQ_INFO_MASKABLE ? " maskable" : "",
	       flags & VFIO_IRQ_INFO_AUTOMASKED ? " automasked" : "",
	       flags & VFIO_IRQ_INFO_NORESIZE ? " noresize" : "");
}

/* @hex: 512 hex digits, the config space umdevd read. */
static int cli_print_config(const char *hex)
{
	uint8_t cfg[256];
	int i, j;

	if (!hex || strlen(hex) != 2 * sizeof(cfg)) {
		cli_error("info: malformed reply from umdevd (config)");
		return CLI_EXIT_FAILED;
	}
	for (i = 0; i < (int)sizeof(cfg); i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1) {
			cli_error("info: malformed reply from umdevd (config)");
			return CLI_EXIT_FAILED;
		}
		cfg[i] = (uint8_t)b;
	}
	printf("PCI config space: vendor %02x%02x device %02x%02x class %02x%02x%02x\n",
	       cfg[1], cfg[0], cfg[3], cfg[2], cfg[11], cfg[10], cfg[9]);
	for (i = 0; i < 256; i += 16) {
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

/* Each element of the reply's array @key checked, then printed by @print. */
static int cli_print_indices(json_object *reply, const char *key,
			     void (*print)(json_object *))
{
	json_object *array;
	size_t i, n;

	json_object_object_get_ex(reply, key, &array);
	n = json_object_array_length(array);
	for (i = 0; i < n; i++)
		if (cli_reply_check(json_object_array_get_idx(array, i),
				    cli_index_fields,
				    sizeof(cli_index_fields) /
					    sizeof(cli_index_fields[0]),
				    key))
			return CLI_EXIT_FAILED;
	for (i = 0; i < n; i++)
		print(json_object_array_get_idx(array, i));
	return 0;
}

int cli_device_available(struct cli_ctx *ctx, const char *verb,
			 const char *uuid)
{
	static const struct cli_field fields[] = {
		{ "client", CLI_FIELD_BOOL, false },
		{ "client_pid", CLI_FIELD_INT, true },
	};
	json_object *req, *reply, *v;
	int ret;

	req = json_object_new_object();
	json_object_object_add(req, "op", json_object_new_string("info"));
	json_object_object_add(req, "uuid", json_object_new_string(uuid));
	/* An unknown UUID is reported here: "no such device". */
	ret = cli_request(ctx, req, &reply);
	if (ret)
		return ret;
	ret = cli_reply_check(reply, fields, 2, "info");
	if (!ret &&
	    json_object_get_boolean(json_object_object_get(reply, "client"))) {
		if (json_object_object_get_ex(reply, "client_pid", &v))
			cli_error(
				"%s: device %s is in use by another client (pid %d); one client at a time (umdevctl info works meanwhile)",
				verb, uuid, json_object_get_int(v));
		else
			cli_error(
				"%s: device %s is in use by another client; one client at a time (umdevctl info works meanwhile)",
				verb, uuid);
		ret = CLI_EXIT_FAILED;
	}
	json_object_put(reply);
	return ret;
}

static bool cli_plain_text(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* What the driver reports of its attributes (a port's pty), if anything. */
static void cli_print_attr_status(json_object *reply)
{
	json_object *status;

	if (!json_object_object_get_ex(reply, "attr_status", &status) ||
	    !json_object_is_type(status, json_type_object))
		return;
	printf("Attributes:\n");
	json_object_object_foreach(status, name, val)
	{
		const char *text = json_object_get_string(val);

		if (json_object_is_type(val, json_type_string) &&
		    cli_plain_text(name) && cli_plain_text(text))
			printf("  %s: %s\n", name, text);
	}
}

/*
 * --dumpjson: umdevd's checked reply as it is (without "ok"), in mdevctl's
 * JSON layout; "attr_status" carries each port's backend (its pty path).
 */
static int cli_info_dumpjson(json_object *reply)
{
	char *text;

	json_object_object_del(reply, "ok");
	text = json_pretty(reply);
	json_object_put(reply);
	if (!text)
		return CLI_EXIT_FAILED;
	printf("%s\n", text);
	free(text);
	return CLI_EXIT_OK;
}

/*
 * umdevd answers from its own view of the device, so info works while a
 * VM holds the device's one client slot.
 */
int cli_cmd_info(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "uuid", required_argument, NULL, 'u' },
		{ "runtime-dir", required_argument, NULL, 'r' },
		{ "dumpjson", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cli_field fields[] = {
		{ "socket", CLI_FIELD_STRING, false },
		{ "client", CLI_FIELD_BOOL, false },
		{ "flags", CLI_FIELD_INT, false },
		{ "num_regions", CLI_FIELD_INT, false },
		{ "num_irqs", CLI_FIELD_INT, false },
		{ "regions", CLI_FIELD_ARRAY, false },
		{ "irqs", CLI_FIELD_ARRAY, false },
		{ "config", CLI_FIELD_STRING, true },
		{ "config_errno", CLI_FIELD_INT, true },
	};
	json_object *req, *reply, *v;
	const char *uuid = NULL;
	bool dumpjson = false;
	uint64_t flags;
	int ch, ret;

	while ((ch = getopt_long(argc, argv, "u:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u':
			uuid = optarg;
			break;
		case 'r':
			ctx->runtime_override = optarg;
			break;
		case 'j':
			dumpjson = true;
			break;
		default:
			fprintf(stderr,
				"Usage: umdevctl info -u|--uuid UUID [--dumpjson] [--runtime-dir DIR]\n");
			return ch == 'h' ? CLI_EXIT_OK : CLI_EXIT_USAGE;
		}
	}
	if (!uuid || optind < argc) {
		cli_error(optind < argc ? "info: unexpected argument '%s'" :
					  "info: -u UUID is required%s",
			  optind < argc ? argv[optind] : "");
		return CLI_EXIT_USAGE;
	}
	if (!mdev_uuid_valid(uuid)) {
		cli_error("info: not a UUID: '%s'", uuid);
		return CLI_EXIT_USAGE;
	}
	req = json_object_new_object();
	json_object_object_add(req, "op", json_object_new_string("info"));
	json_object_object_add(req, "uuid", json_object_new_string(uuid));
	ret = cli_request(ctx, req, &reply);
	if (ret)
		return ret;
	if (cli_reply_check(reply, fields, sizeof(fields) / sizeof(fields[0]),
			    "info")) {
		json_object_put(reply);
		return CLI_EXIT_FAILED;
	}
	if (dumpjson)
		return cli_info_dumpjson(reply);
	flags = cli_u64(reply, "flags");
	json_object_object_get_ex(reply, "socket", &v);
	printf("Device %s\n  socket %s%s\n  flags%s%s, %u regions, %u IRQ indices\n",
	       uuid, json_object_get_string(v),
	       json_object_get_boolean(
		       json_object_object_get(reply, "client")) ?
		       " (a client is attached)" :
		       "",
	       flags & VFIO_DEVICE_FLAGS_PCI ? " PCI" : "",
	       flags & VFIO_DEVICE_FLAGS_RESET ? " RESET" : "",
	       (unsigned int)cli_u64(reply, "num_regions"),
	       (unsigned int)cli_u64(reply, "num_irqs"));
	printf("Regions:\n");
	ret = cli_print_indices(reply, "regions", cli_print_region);
	if (!ret) {
		printf("IRQs:\n");
		ret = cli_print_indices(reply, "irqs", cli_print_irq);
	}
	if (!ret)
		cli_print_attr_status(reply);
	if (!ret && json_object_object_get_ex(reply, "config_errno", &v)) {
		cli_error("info: reading config space: %s",
			  strerror(json_object_get_int(v)));
		ret = CLI_EXIT_FAILED;
	} else if (!ret) {
		json_object_object_get_ex(reply, "config", &v);
		ret = cli_print_config(v ? json_object_get_string(v) : NULL);
	}
	json_object_put(reply);
	return ret;
}
