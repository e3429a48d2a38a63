// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_manage - the management verbs: types, list, start, stop.  Text output
 * follows mdevctl's layout; --dumpjson follows mdevctl's JSON shape.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include <umdev/mdev_host.h>
#include "cli.h"
#include "runtime_dir.h"

enum { CLI_OPT_RUNTIME_DIR = 0x100, CLI_OPT_DUMPJSON };

/* Options every verb accepts. */
#define CLI_COMMON_OPTIONS                                               \
	{ "runtime-dir", required_argument, NULL, CLI_OPT_RUNTIME_DIR }, \
	{                                                                \
		"help", no_argument, NULL, 'h'                           \
	}

static const char *cli_get_string(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v))
		return NULL;
	return json_object_get_string(v);
}

static int cli_get_int(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v))
		return 0;
	return json_object_get_int(v);
}

/* The list of a parent in mdevctl's [{ "<parent>": [ ... ] }] shape. */
static json_object *cli_parent_list(json_object *top, const char *parent)
{
	json_object *list;

	if (!json_object_object_get_ex(top, parent, &list)) {
		list = json_object_new_array();
		json_object_object_add(top, parent, list);
	}
	return list;
}

static void cli_print_json(json_object *top)
{
	json_object *out = json_object_new_array();

	/* mdevctl prints [] when there is nothing, else one object. */
	if (json_object_object_length(top))
		json_object_array_add(out, json_object_get(top));
	printf("%s\n",
	       json_object_to_json_string_ext(
		       out, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
	json_object_put(out);
}

static void cli_usage_simple(const char *verb, const char *args)
{
	fprintf(stderr, "Usage: umdevctl %s %s\n", verb, args);
}

/* Parse the options of a verb whose only own option is --dumpjson. */
static int cli_parse_dumpjson(struct cli_ctx *ctx, int argc, char **argv,
			      bool *dumpjson)
{
	static const struct option longopts[] = {
		{ "dumpjson", no_argument, NULL, CLI_OPT_DUMPJSON },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case CLI_OPT_DUMPJSON:
			*dumpjson = true;
			break;
		case CLI_OPT_RUNTIME_DIR:
			ctx->runtime_override = optarg;
			break;
		default:
			cli_usage_simple(argv[0],
					 "[--dumpjson] [--runtime-dir DIR]");
			if (c == 'h')
				exit(CLI_EXIT_OK);
			return -CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("%s: unexpected argument '%s'", argv[0],
			  argv[optind]);
		return -CLI_EXIT_USAGE;
	}
	return 0;
}

/* A request with "op": @op; the caller adds the rest. */
static json_object *cli_new_request(const char *op)
{
	json_object *req = json_object_new_object();

	json_object_object_add(req, "op", json_object_new_string(op));
	return req;
}

/*
 * One row of a listing: printed as text, or added to @top (the
 * --dumpjson object).  @prev is the row before, NULL for the first.
 */
typedef void (*cli_row_fn)(json_object *row, json_object *prev,
			   json_object *top);

/*
 * The shape of `types` and `list`: ask umdevd for @op, then hand each
 * element of the reply's array @key to @row; with --dumpjson, print what
 * the rows built.
 */
static int cli_listing(struct cli_ctx *ctx, int argc, char **argv,
		       const char *op, const char *key,
		       const struct cli_field *fields, size_t nr_fields,
		       cli_row_fn row)
{
	const struct cli_field list = { key, CLI_FIELD_ARRAY, false };
	json_object *reply, *rows = NULL, *top, *prev = NULL;
	bool dumpjson = false;
	size_t i, n;
	int ret;

	ret = cli_parse_dumpjson(ctx, argc, argv, &dumpjson);
	if (ret)
		return -ret;
	ret = cli_request(ctx, cli_new_request(op), &reply);
	if (ret)
		return ret;
	ret = cli_reply_check(reply, &list, 1, op);
	json_object_object_get_ex(reply, key, &rows);
	n = ret ? 0 : json_object_array_length(rows);
	/* Every row is checked before any is printed. */
	for (i = 0; !ret && i < n; i++)
		ret = cli_reply_check(json_object_array_get_idx(rows, i),
				      fields, nr_fields, key);
	if (ret) {
		json_object_put(reply);
		return ret;
	}
	top = dumpjson ? json_object_new_object() : NULL;
	for (i = 0; i < n; i++) {
		json_object *r = json_object_array_get_idx(rows, i);

		row(r, prev, top);
		prev = r;
	}
	if (dumpjson)
		cli_print_json(top);
	json_object_put(top);
	json_object_put(reply);
	return CLI_EXIT_OK;
}

static void cli_types_row(json_object *t, json_object *prev, json_object *top)
{
	const char *parent = cli_get_string(t, "parent");
	const char *desc = cli_get_string(t, "description");
	json_object *attrs, *entry;

	if (!top) {
		if (!prev || strcmp(parent, cli_get_string(prev, "parent")))
			printf("%s\n", parent);
		printf("  %s\n", cli_get_string(t, "type"));
		printf("    Available instances: %d\n",
		       cli_get_int(t, "available_instances"));
		printf("    Device API: %s\n", cli_get_string(t, "device_api"));
		printf("    Name: %s\n", cli_get_string(t, "name"));
		if (desc)
			printf("    Description: %s\n", desc);
		return;
	}
	attrs = json_object_new_object();
	json_object_object_add(
		attrs, "available_instances",
		json_object_new_int(cli_get_int(t, "available_instances")));
	json_object_object_add(
		attrs, "device_api",
		json_object_new_string(cli_get_string(t, "device_api")));
	json_object_object_add(
		attrs, "name",
		json_object_new_string(cli_get_string(t, "name")));
	if (desc)
		json_object_object_add(attrs, "description",
				       json_object_new_string(desc));
	entry = json_object_new_object();
	json_object_object_add(entry, cli_get_string(t, "type"), attrs);
	json_object_array_add(cli_parent_list(top, parent), entry);
}

int cli_cmd_types(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct cli_field fields[] = {
		{ "parent", CLI_FIELD_STRING, false },
		{ "type", CLI_FIELD_STRING, false },
		{ "name", CLI_FIELD_STRING, false },
		{ "description", CLI_FIELD_STRING, true },
		{ "device_api", CLI_FIELD_STRING, false },
		{ "available_instances", CLI_FIELD_INT, false },
	};

	return cli_listing(ctx, argc, argv, "types", "types", fields,
			   sizeof(fields) / sizeof(fields[0]), cli_types_row);
}

static void cli_list_row(json_object *d, json_object *prev, json_object *top)
{
	json_object *attrs, *entry, *client;

	if (!top) {
		json_object_object_get_ex(d, "client", &client);
		/* mdevctl: "<uuid> <parent> <type> manual". */
		printf("%s %s %s manual%s\n", cli_get_string(d, "uuid"),
		       cli_get_string(d, "parent"), cli_get_string(d, "type"),
		       json_object_get_boolean(client) ? " (client attached)" :
							 "");
		return;
	}
	attrs = json_object_new_object();
	json_object_object_add(
		attrs, "mdev_type",
		json_object_new_string(cli_get_string(d, "type")));
	json_object_object_add(attrs, "start",
			       json_object_new_string("manual"));
	json_object_object_add(attrs, "attrs", json_object_new_array());
	entry = json_object_new_object();
	json_object_object_add(entry, cli_get_string(d, "uuid"), attrs);
	json_object_array_add(cli_parent_list(top, cli_get_string(d, "parent")),
			      entry);
}

int cli_cmd_list(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct cli_field fields[] = {
		{ "uuid", CLI_FIELD_STRING, false },
		{ "parent", CLI_FIELD_STRING, false },
		{ "type", CLI_FIELD_STRING, false },
		{ "client", CLI_FIELD_BOOL, false },
	};

	return cli_listing(ctx, argc, argv, "list", "devices", fields,
			   sizeof(fields) / sizeof(fields[0]), cli_list_row);
}

static void cli_start_usage(void)
{
	fprintf(stderr,
		"Usage: umdevctl start [-u|--uuid UUID] -p|--parent PARENT -t|--type TYPE\n"
		"                      [--runtime-dir DIR]\n"
		"  Creates the device and serves it on <runtime>/<uuid>.sock;\n"
		"  without -u a UUID is generated and printed.\n");
}

int cli_cmd_start(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct cli_field start_fields[] = {
		{ "uuid", CLI_FIELD_STRING, false },
	};
	static const struct option longopts[] = {
		{ "uuid", required_argument, NULL, 'u' },
		{ "parent", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	const char *uuid = NULL, *parent = NULL, *type = NULL;
	char generated[UUID_STR_LEN];
	json_object *req, *reply;
	int c, ret;

	while ((c = getopt_long(argc, argv, "u:p:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'u':
			uuid = optarg;
			break;
		case 'p':
			parent = optarg;
			break;
		case 't':
			type = optarg;
			break;
		case CLI_OPT_RUNTIME_DIR:
			ctx->runtime_override = optarg;
			break;
		default:
			cli_start_usage();
			return c == 'h' ? CLI_EXIT_OK : CLI_EXIT_USAGE;
		}
	}
	if (optind < argc || !parent || !type) {
		if (optind < argc)
			cli_error("start: unexpected argument '%s'",
				  argv[optind]);
		else
			cli_error("start: -p PARENT and -t TYPE are required");
		cli_start_usage();
		return CLI_EXIT_USAGE;
	}
	if (uuid && !mdev_uuid_valid(uuid)) {
		cli_error("start: not a UUID: '%s'", uuid);
		return CLI_EXIT_USAGE;
	}
	if (!uuid) {
		uuid_t u;

		uuid_generate_random(u);
		uuid_unparse_lower(u, generated);
		uuid = generated;
	}
	req = cli_new_request("start");
	json_object_object_add(req, "uuid", json_object_new_string(uuid));
	json_object_object_add(req, "parent", json_object_new_string(parent));
	json_object_object_add(req, "type", json_object_new_string(type));
	ret = cli_request(ctx, req, &reply);
	if (ret)
		return ret;
	if (cli_reply_check(reply, start_fields, 1, "start")) {
		json_object_put(reply);
		return CLI_EXIT_FAILED;
	}
	/* Like mdevctl, print the UUID when we made it up. */
	if (uuid == generated)
		printf("%s\n", cli_get_string(reply, "uuid"));
	json_object_put(reply);
	return CLI_EXIT_OK;
}

int cli_cmd_stop(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct cli_field stop_fields[] = {
		{ "forced", CLI_FIELD_BOOL, false },
	};
	static const struct option longopts[] = {
		{ "uuid", required_argument, NULL, 'u' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	json_object *req, *reply, *forced;
	const char *uuid = NULL;
	int c, ret;

	while ((c = getopt_long(argc, argv, "u:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'u':
			uuid = optarg;
			break;
		case CLI_OPT_RUNTIME_DIR:
			ctx->runtime_override = optarg;
			break;
		default:
			cli_usage_simple("stop",
					 "-u|--uuid UUID [--runtime-dir DIR]");
			return c == 'h' ? CLI_EXIT_OK : CLI_EXIT_USAGE;
		}
	}
	if (optind < argc || !uuid) {
		cli_error("stop: -u UUID is required");
		return CLI_EXIT_USAGE;
	}
	if (!mdev_uuid_valid(uuid)) {
		cli_error("stop: not a UUID: '%s'", uuid);
		return CLI_EXIT_USAGE;
	}
	req = cli_new_request("stop");
	json_object_object_add(req, "uuid", json_object_new_string(uuid));
	ret = cli_request(ctx, req, &reply);
	if (ret)
		return ret;
	if (cli_reply_check(reply, stop_fields, 1, "stop")) {
		json_object_put(reply);
		return CLI_EXIT_FAILED;
	}
	if (json_object_object_get_ex(reply, "forced", &forced) &&
	    json_object_get_boolean(forced))
		fprintf(stderr,
			"umdevctl: %s: the client did not let go in time and was disconnected\n",
			uuid);
	json_object_put(reply);
	return CLI_EXIT_OK;
}
