// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_manage - the verbs of mdevctl 1.2 (types, list, start, stop, define,
 * undefine, modify, start-parent-mdevs), with mdevctl's options and, for
 * the same devices, byte-identical output (text and --dumpjson): compared
 * against the real mdevctl in tests/e2e/run-mdevctl.sh.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "cli.h"
#include "management/definition.h"
#include "management/json_pretty.h"
#include "runtime_dir.h"

enum {
	CLI_OPT_RUNTIME_DIR = 0x100,
	CLI_OPT_DUMPJSON,
	CLI_OPT_JSONFILE,
	CLI_OPT_ADDATTR,
	CLI_OPT_DELATTR,
	CLI_OPT_VALUE,
	CLI_OPT_FORCE,
};

/* Options every verb accepts. */
#define CLI_COMMON_OPTIONS                                               \
	{ "runtime-dir", required_argument, NULL, CLI_OPT_RUNTIME_DIR }, \
	{                                                                \
		"help", no_argument, NULL, 'h'                           \
	}

/* Everything a verb may be given; each verb takes what it documents. */
struct cli_args {
	const char *uuid, *parent, *type, *jsonfile;
	const char *addattr, *value;
	bool dumpjson, defined, verbose, autostart, manual, delattr, force;
	long index; /* -1: none */
	char uuid_buf[MDEV_UUID_STRLEN + 1];
};

static const char *cli_get_string(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v))
		return NULL;
	return json_object_get_string(v);
}

/* mdevctl's usage lines, printed on a usage error. */
static int cli_usage_error(const char *verb, const char *usage, const char *fmt,
			   const char *arg)
{
	if (fmt) {
		fprintf(stderr, "umdevctl: %s: ", verb);
		fprintf(stderr, fmt, arg);
		fputc('\n', stderr);
	}
	fprintf(stderr, "Usage: umdevctl %s %s\n", verb, usage);
	return CLI_EXIT_USAGE;
}

/*
 * Parse @argv for verb argv[0] with @shortopts / @longopts into @a.
 * Return: 0, or an exit status (help printed: CLI_EXIT_OK + 0x100).
 */
static int cli_parse(struct cli_ctx *ctx, int argc, char **argv,
		     const char *shortopts, const struct option *longopts,
		     const char *usage, struct cli_args *a)
{
	char *end;
	int c;

	memset(a, 0, sizeof(*a));
	a->index = -1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'u':
			if (mgmt_uuid_normalize(optarg, a->uuid_buf))
				return cli_usage_error(argv[0], usage,
						       "not a UUID: '%s'",
						       optarg);
			a->uuid = a->uuid_buf;
			break;
		case 'p':
			a->parent = optarg;
			break;
		case 't':
			a->type = optarg;
			break;
		case 'd':
			a->defined = true;
			break;
		case 'v':
			a->verbose = true;
			break;
		case 'a':
			a->autostart = true;
			break;
		case 'm':
			a->manual = true;
			break;
		case 'i':
			errno = 0;
			a->index = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || a->index < 0 ||
			    a->index > 1000000)
				return cli_usage_error(argv[0], usage,
						       "not an index: '%s'",
						       optarg);
			break;
		case CLI_OPT_DUMPJSON:
			a->dumpjson = true;
			break;
		case CLI_OPT_JSONFILE:
			a->jsonfile = optarg;
			break;
		case CLI_OPT_ADDATTR:
			a->addattr = optarg;
			break;
		case CLI_OPT_DELATTR:
			a->delattr = true;
			break;
		case CLI_OPT_VALUE:
			a->value = optarg;
			break;
		case CLI_OPT_FORCE:
			a->force = true;
			break;
		case CLI_OPT_RUNTIME_DIR:
			ctx->runtime_override = optarg;
			break;
		case 'h':
			printf("Usage: umdevctl %s %s\n", argv[0], usage);
			return CLI_EXIT_OK + 0x100;
		default:
			return cli_usage_error(argv[0], usage, NULL, NULL);
		}
	}
	if (optind < argc)
		return cli_usage_error(argv[0], usage,
				       "unexpected argument '%s'",
				       argv[optind]);
	return 0;
}

#define CLI_PARSE(ctx, argc, argv, s, l, u, a)                               \
	do {                                                                 \
		int _r = cli_parse(ctx, argc, argv, s, l, u, a);             \
		if (_r)                                                      \
			return _r == CLI_EXIT_OK + 0x100 ? CLI_EXIT_OK : _r; \
	} while (0)

static json_object *cli_new_request(const char *op)
{
	json_object *req = json_object_new_object();

	json_object_object_add(req, "op", json_object_new_string(op));
	return req;
}

static void cli_add_string(json_object *req, const char *key, const char *v)
{
	if (v)
		json_object_object_add(req, key, json_object_new_string(v));
}

/*
 * Ask for @op and return the array @key of the reply (*@reply to put),
 * every element checked against @fields first: umdevd's reply is input.
 */
static int cli_fetch(struct cli_ctx *ctx, const char *op, const char *key,
		     const struct cli_field *fields, size_t nr_fields,
		     json_object **reply, json_object **array)
{
	const struct cli_field list = { key, CLI_FIELD_ARRAY, false };
	size_t i, n;
	int ret = cli_request(ctx, cli_new_request(op), reply);

	if (ret)
		return ret;
	ret = cli_reply_check(*reply, &list, 1, op);
	json_object_object_get_ex(*reply, key, array);
	n = ret ? 0 : json_object_array_length(*array);
	for (i = 0; !ret && i < n; i++)
		ret = cli_reply_check(json_object_array_get_idx(*array, i),
				      fields, nr_fields, key);
	if (ret) {
		json_object_put(*reply);
		return ret;
	}
	return 0;
}

#define CLI_FIELDS(f) f, sizeof(f) / sizeof((f)[0])

static const struct cli_field cli_type_fields[] = {
	{ "parent", CLI_FIELD_STRING, false },
	{ "type", CLI_FIELD_STRING, false },
	{ "name", CLI_FIELD_STRING, true },
	{ "description", CLI_FIELD_STRING, true },
	{ "device_api", CLI_FIELD_STRING, false },
	{ "available_instances", CLI_FIELD_INT, false },
};

static const struct cli_field cli_device_fields[] = {
	{ "uuid", CLI_FIELD_STRING, false },
	{ "parent", CLI_FIELD_STRING, false },
	{ "type", CLI_FIELD_STRING, false },
	{ "client", CLI_FIELD_BOOL, false },
};

static const struct cli_field cli_definition_fields[] = {
	{ "uuid", CLI_FIELD_STRING, false },
	{ "parent", CLI_FIELD_STRING, false },
	{ "mdev_type", CLI_FIELD_STRING, false },
	{ "start", CLI_FIELD_STRING, true },
	{ "attrs", CLI_FIELD_ARRAY, true },
};

static void cli_print_pretty(json_object *obj)
{
	char *text = json_pretty(obj);

	if (text)
		printf("%s\n", text);
	free(text);
}

/* ---- types ---- */

static int cli_cmp_parent(const void *a, const void *b)
{
	json_object *const *x = a, *const *y = b;

	return strcmp(cli_get_string(*x, "parent"),
		      cli_get_string(*y, "parent"));
}

/* The elements of @array as a vector sorted by @cmp (stable by index). */
static json_object **cli_sorted(json_object *array, size_t *n,
				int (*cmp)(const void *, const void *))
{
	size_t i, len = json_object_array_length(array);
	json_object **v = calloc(len + 1, sizeof(*v));

	if (!v)
		return NULL;
	for (i = 0; i < len; i++)
		v[i] = json_object_array_get_idx(array, i);
	/* Insertion sort: stable, and lists are short. */
	for (i = 1; i < len; i++) {
		json_object *x = v[i];
		size_t j = i;

		while (j > 0 && cmp(&v[j - 1], &x) > 0) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
	*n = len;
	return v;
}

/*
 * A description as mdevctl shows it, in text and JSON alike: trimmed, its
 * newlines as ", ".  Return: a malloc'd string, or NULL (ENOMEM).
 */
static char *cli_description(const char *d)
{
	size_t len, i, n = 0;
	char *out;

	while (*d && strchr(" \t\r\n", *d))
		d++;
	len = strlen(d);
	while (len && strchr(" \t\r\n", d[len - 1]))
		len--;
	out = malloc(2 * len + 1);
	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		if (d[i] == '\n') {
			out[n++] = ',';
			out[n++] = ' ';
		} else {
			out[n++] = d[i];
		}
	}
	out[n] = '\0';
	return out;
}

int cli_cmd_types(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "parent", required_argument, NULL, 'p' },
		{ "dumpjson", no_argument, NULL, CLI_OPT_DUMPJSON },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	json_object *reply, *types, **v, *top, *list = NULL, *attrs;
	json_object *parents = NULL;
	const char *prev = NULL, *desc, *name;
	char *desc_buf = NULL;
	struct cli_args a;
	size_t i, n;
	int ret;

	CLI_PARSE(ctx, argc, argv, "p:h", longopts,
		  "[-p|--parent PARENT] [--dumpjson] [--runtime-dir DIR]", &a);
	ret = cli_fetch(ctx, "types", "types", CLI_FIELDS(cli_type_fields),
			&reply, &types);
	if (ret)
		return ret;
	v = cli_sorted(types, &n, cli_cmp_parent);
	top = json_object_new_array();
	for (i = 0; v && i < n; i++) {
		const char *parent = cli_get_string(v[i], "parent");
		json_object *avail;

		if (a.parent && strcmp(a.parent, parent))
			continue;
		free(desc_buf);
		desc_buf = NULL;
		desc = cli_get_string(v[i], "description");
		if (desc) {
			desc_buf = cli_description(desc);
			desc = desc_buf ? desc_buf : "";
		}
		name = cli_get_string(v[i], "name");
		json_object_object_get_ex(v[i], "available_instances", &avail);
		if (!prev || strcmp(prev, parent)) {
			/* mdevctl: every parent in one object, [] for none. */
			if (!parents) {
				parents = json_object_new_object();
				json_object_array_add(top, parents);
			}
			list = json_object_new_array();
			json_object_object_add(parents, parent, list);
			if (!a.dumpjson)
				printf("%s\n", parent);
		}
		prev = parent;
		if (!a.dumpjson) {
			printf("  %s\n", cli_get_string(v[i], "type"));
			printf("    Available instances: %d\n",
			       json_object_get_int(avail));
			printf("    Device API: %s\n",
			       cli_get_string(v[i], "device_api"));
			if (name && name[0])
				printf("    Name: %s\n", name);
			if (desc && desc[0])
				printf("    Description: %s\n", desc);
			continue;
		}
		attrs = json_object_new_object();
		json_object_object_add(
			attrs, "available_instances",
			json_object_new_int(json_object_get_int(avail)));
		cli_add_string(attrs, "device_api",
			       cli_get_string(v[i], "device_api"));
		if (name && name[0])
			cli_add_string(attrs, "name", name);
		if (desc && desc[0])
			cli_add_string(attrs, "description", desc);
		json_object *entry = json_object_new_object();

		json_object_object_add(entry, cli_get_string(v[i], "type"),
				       attrs);
		json_object_array_add(list, entry);
	}
	/* mdevctl ends its text with an empty line. */
	if (a.dumpjson)
		cli_print_pretty(top);
	else
		putchar('\n');
	json_object_put(top);
	free(desc_buf);
	free(v);
	json_object_put(reply);
	return CLI_EXIT_OK;
}

/* ---- list ---- */

/* One row of a listing: what mdevctl shows of a device. */
struct cli_row {
	const char *uuid, *parent, *type;
	bool autostart;
	json_object *attrs; /* [{"n": "v"}, ...] or NULL */
	const char *mark; /* " (defined)", " (active)" or "" */
};

static int cli_row_cmp(const void *a, const void *b)
{
	const struct cli_row *x = a, *y = b;
	int c = strcmp(x->parent, y->parent);

	return c ? c : strcmp(x->uuid, y->uuid);
}

static json_object *cli_find(json_object *array, const char *uuid,
			     const char *parent)
{
	size_t i, n = json_object_array_length(array);

	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(array, i);

		if (!strcmp(cli_get_string(o, "uuid"), uuid) &&
		    !strcmp(cli_get_string(o, "parent"), parent))
			return o;
	}
	return NULL;
}

static json_object *cli_row_config(const struct cli_row *r)
{
	json_object *o = json_object_new_object();

	cli_add_string(o, "mdev_type", r->type);
	cli_add_string(o, "start", r->autostart ? "auto" : "manual");
	json_object_object_add(o, "attrs",
			       r->attrs ? json_object_get(r->attrs) :
					  json_object_new_array());
	return o;
}

static void cli_row_text(const struct cli_row *r, bool verbose)
{
	size_t i, n = r->attrs ? json_object_array_length(r->attrs) : 0;

	printf("%s %s %s %s%s\n", r->uuid, r->parent, r->type,
	       r->autostart ? "auto" : "manual", r->mark);
	if (!verbose || !n)
		return;
	printf("  Attrs:\n");
	for (i = 0; i < n; i++)
		printf("    @{%zu}: %s\n", i,
		       json_object_to_json_string_ext(
			       json_object_array_get_idx(r->attrs, i),
			       JSON_C_TO_STRING_PLAIN |
				       JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void cli_list_print(struct cli_row *rows, size_t n,
			   const struct cli_args *a)
{
	json_object *top, *parents = NULL, *list = NULL;
	size_t i;

	qsort(rows, n, sizeof(*rows), cli_row_cmp);
	if (!a->dumpjson) {
		for (i = 0; i < n; i++)
			cli_row_text(&rows[i], a->verbose);
		putchar('\n');
		return;
	}
	/* One device asked for by UUID: just its config, as mdevctl. */
	if (a->uuid && n == 1) {
		top = cli_row_config(&rows[0]);
		cli_print_pretty(top);
		json_object_put(top);
		return;
	}
	top = json_object_new_array();
	for (i = 0; i < n; i++) {
		json_object *entry = json_object_new_object();

		if (!parents) {
			parents = json_object_new_object();
			json_object_array_add(top, parents);
		}
		if (!i || strcmp(rows[i - 1].parent, rows[i].parent)) {
			list = json_object_new_array();
			json_object_object_add(parents, rows[i].parent, list);
		}
		json_object_object_add(entry, rows[i].uuid,
				       cli_row_config(&rows[i]));
		json_object_array_add(list, entry);
	}
	cli_print_pretty(top);
	json_object_put(top);
}

int cli_cmd_list(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "defined", no_argument, NULL, 'd' },
		{ "dumpjson", no_argument, NULL, CLI_OPT_DUMPJSON },
		{ "verbose", no_argument, NULL, 'v' },
		{ "uuid", required_argument, NULL, 'u' },
		{ "parent", required_argument, NULL, 'p' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	json_object *r_devs, *devs, *r_defs, *defs, *src, *other;
	struct cli_row *rows;
	struct cli_args a;
	size_t i, n, nrows = 0;
	int ret;

	CLI_PARSE(ctx, argc, argv, "dvu:p:h", longopts,
		  "[-d|--defined] [-u|--uuid UUID] [-p|--parent PARENT]\n"
		  "       [-v|--verbose] [--dumpjson] [--runtime-dir DIR]",
		  &a);
	ret = cli_fetch(ctx, "list", "devices", CLI_FIELDS(cli_device_fields),
			&r_devs, &devs);
	if (ret)
		return ret;
	ret = cli_fetch(ctx, "defined", "definitions",
			CLI_FIELDS(cli_definition_fields), &r_defs, &defs);
	if (ret) {
		json_object_put(r_devs);
		return ret;
	}
	src = a.defined ? defs : devs;
	other = a.defined ? devs : defs;
	n = json_object_array_length(src);
	rows = calloc(n + 1, sizeof(*rows));
	for (i = 0; rows && i < n; i++) {
		json_object *o = json_object_array_get_idx(src, i), *def;
		struct cli_row *r = &rows[nrows];

		r->uuid = cli_get_string(o, "uuid");
		r->parent = cli_get_string(o, "parent");
		r->type = cli_get_string(o, a.defined ? "mdev_type" : "type");
		if (!r->uuid || !r->parent || !r->type ||
		    (a.uuid && strcmp(a.uuid, r->uuid)) ||
		    (a.parent && strcmp(a.parent, r->parent)))
			continue;
		/* A running device shows its definition's start and attrs. */
		def = a.defined ? o : cli_find(defs, r->uuid, r->parent);
		if (def) {
			const char *start = cli_get_string(def, "start");

			r->autostart = start && !strcmp(start, "auto");
			json_object_object_get_ex(def, "attrs", &r->attrs);
		}
		if (cli_find(other, r->uuid, r->parent))
			r->mark = a.defined ? " (active)" : " (defined)";
		else
			r->mark = "";
		nrows++;
	}
	if (rows)
		cli_list_print(rows, nrows, &a);
	free(rows);
	json_object_put(r_devs);
	json_object_put(r_defs);
	return rows ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

/* ---- start, stop ---- */

/* --jsonfile FILE: its config object, added to @req as "config". */
static int cli_add_jsonfile(json_object *req, const char *path)
{
	json_object *obj = json_object_from_file(path);

	if (!obj) {
		cli_error("--jsonfile %s: %s", path, json_util_get_last_err());
		json_object_put(req);
		return CLI_EXIT_FAILED;
	}
	json_object_object_add(req, "config", obj);
	return 0;
}

static const char *cli_new_uuid(struct cli_args *a)
{
	uuid_t u;

	uuid_generate_random(u);
	uuid_unparse_lower(u, a->uuid_buf);
	return a->uuid_buf;
}

static const char cli_start_usage[] =
	"[-u|--uuid UUID] [-p|--parent PARENT] [-t|--type TYPE]\n"
	"       [--jsonfile FILE] [--runtime-dir DIR]\n"
	"  a defined device: -u UUID [-p PARENT]; a new one: -p PARENT and\n"
	"  -t TYPE or --jsonfile FILE (a UUID is made up and printed if\n"
	"  there is no -u)";

int cli_cmd_start(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "uuid", required_argument, NULL, 'u' },
		{ "parent", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' },
		{ "jsonfile", required_argument, NULL, CLI_OPT_JSONFILE },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	json_object *req, *reply;
	bool print_uuid;
	struct cli_args a;
	int ret;

	CLI_PARSE(ctx, argc, argv, "u:p:t:h", longopts, cli_start_usage, &a);
	if (a.jsonfile && a.type)
		return cli_usage_error("start", cli_start_usage,
				       "--jsonfile and -t%s are exclusive", "");
	if (a.jsonfile && !a.parent)
		return cli_usage_error("start", cli_start_usage,
				       "--jsonfile needs -p PARENT%s", "");
	if (a.type && !a.parent)
		return cli_usage_error("start", cli_start_usage,
				       "-t TYPE needs -p PARENT%s", "");
	if (!a.uuid && (!a.parent || (!a.type && !a.jsonfile)))
		return cli_usage_error(
			"start", cli_start_usage,
			"-p PARENT and -t TYPE are required without -u UUID%s",
			"");
	print_uuid = !a.uuid;
	if (!a.uuid)
		a.uuid = cli_new_uuid(&a);
	req = cli_new_request("start");
	cli_add_string(req, "uuid", a.uuid);
	cli_add_string(req, "parent", a.parent);
	cli_add_string(req, "type", a.type);
	if (a.jsonfile && (ret = cli_add_jsonfile(req, a.jsonfile)))
		return ret;
	ret = cli_request(ctx, req, &reply);
	if (ret)
		return ret;
	if (print_uuid)
		printf("%s\n", a.uuid);
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
		{ "force", no_argument, NULL, CLI_OPT_FORCE },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	json_object *req, *reply, *forced;
	char hint[160];
	struct cli_args a;
	int ret;

	CLI_PARSE(
		ctx, argc, argv, "u:h", longopts,
		"-u|--uuid UUID [--force] [--runtime-dir DIR]\n"
		"  a client holding the device is asked to let go and waited for;\n"
		"  --force disconnects it now",
		&a);
	if (!a.uuid)
		return cli_usage_error("stop", "-u UUID",
				       "-u UUID is required%s", "");
	req = cli_new_request("stop");
	cli_add_string(req, "uuid", a.uuid);
	snprintf(
		hint, sizeof(hint),
		"%s: its client has not let go yet; umdevd keeps asking it (umdevctl stop --force disconnects it)",
		a.uuid);
	ctx->timeout_hint = hint;
	if (a.force)
		json_object_object_add(req, "force",
				       json_object_new_boolean(1));
	ret = cli_request(ctx, req, &reply);
	if (ret)
		return ret;
	if (cli_reply_check(reply, stop_fields, 1, "stop")) {
		json_object_put(reply);
		return CLI_EXIT_FAILED;
	}
	if (!a.force && json_object_object_get_ex(reply, "forced", &forced) &&
	    json_object_get_boolean(forced))
		fprintf(stderr,
			"umdevctl: %s: the client did not let go in time and was disconnected\n",
			a.uuid);
	json_object_put(reply);
	return CLI_EXIT_OK;
}

/* ---- define, undefine, modify, start-parent-mdevs ---- */

static const char cli_define_usage[] =
	"[-u|--uuid UUID] [-p|--parent PARENT] [-t|--type TYPE] [-a|--auto]\n"
	"       [--jsonfile FILE] [--runtime-dir DIR]\n"
	"  without -t, the running device -u UUID gives parent and type;\n"
	"  without -u, a UUID is made up and printed";

int cli_cmd_define(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "uuid", required_argument, NULL, 'u' },
		{ "parent", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' },
		{ "auto", no_argument, NULL, 'a' },
		{ "jsonfile", required_argument, NULL, CLI_OPT_JSONFILE },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	json_object *req, *reply;
	bool print_uuid;
	struct cli_args a;
	int ret;

	CLI_PARSE(ctx, argc, argv, "u:p:t:ah", longopts, cli_define_usage, &a);
	if (a.jsonfile && (a.type || a.autostart))
		return cli_usage_error(
			"define", cli_define_usage,
			"--jsonfile gives the type and start: no -t or -a%s",
			"");
	if (!a.uuid && !a.parent)
		return cli_usage_error("define", cli_define_usage,
				       "-u UUID or -p PARENT is required%s",
				       "");
	if (!a.uuid && !a.type && !a.jsonfile)
		return cli_usage_error(
			"define", cli_define_usage,
			"a new definition needs -t TYPE or --jsonfile%s", "");
	print_uuid = !a.uuid;
	if (!a.uuid)
		a.uuid = cli_new_uuid(&a);
	req = cli_new_request("define");
	cli_add_string(req, "uuid", a.uuid);
	cli_add_string(req, "parent", a.parent);
	cli_add_string(req, "type", a.type);
	if (a.autostart)
		json_object_object_add(req, "auto", json_object_new_boolean(1));
	if (a.jsonfile && (ret = cli_add_jsonfile(req, a.jsonfile)))
		return ret;
	ret = cli_request(ctx, req, &reply);
	if (ret)
		return ret;
	if (print_uuid)
		printf("%s\n", a.uuid);
	json_object_put(reply);
	return CLI_EXIT_OK;
}

int cli_cmd_undefine(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "uuid", required_argument, NULL, 'u' },
		{ "parent", required_argument, NULL, 'p' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	json_object *req, *reply;
	struct cli_args a;
	int ret;

	CLI_PARSE(ctx, argc, argv, "u:p:h", longopts,
		  "-u|--uuid UUID [-p|--parent PARENT] [--runtime-dir DIR]",
		  &a);
	if (!a.uuid)
		return cli_usage_error("undefine", "-u UUID [-p PARENT]",
				       "-u UUID is required%s", "");
	req = cli_new_request("undefine");
	cli_add_string(req, "uuid", a.uuid);
	cli_add_string(req, "parent", a.parent);
	ret = cli_request(ctx, req, &reply);
	if (ret)
		return ret;
	json_object_put(reply);
	return CLI_EXIT_OK;
}

static const char cli_modify_usage[] =
	"-u|--uuid UUID [-p|--parent PARENT] [-t|--type TYPE]\n"
	"       [-a|--auto | -m|--manual] [--jsonfile FILE] [--runtime-dir DIR]\n"
	"  [--addattr NAME --value VALUE | --delattr] [-i|--index N]";

int cli_cmd_modify(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "uuid", required_argument, NULL, 'u' },
		{ "parent", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' },
		{ "auto", no_argument, NULL, 'a' },
		{ "manual", no_argument, NULL, 'm' },
		{ "addattr", required_argument, NULL, CLI_OPT_ADDATTR },
		{ "delattr", no_argument, NULL, CLI_OPT_DELATTR },
		{ "index", required_argument, NULL, 'i' },
		{ "value", required_argument, NULL, CLI_OPT_VALUE },
		{ "jsonfile", required_argument, NULL, CLI_OPT_JSONFILE },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	json_object *req, *reply;
	struct cli_args a;
	int ret;

	CLI_PARSE(ctx, argc, argv, "u:p:t:ami:h", longopts, cli_modify_usage,
		  &a);
	if (!a.uuid)
		return cli_usage_error("modify", cli_modify_usage,
				       "-u UUID is required%s", "");
	if (a.autostart && a.manual)
		return cli_usage_error("modify", cli_modify_usage,
				       "--auto and --manual are exclusive%s",
				       "");
	if (a.addattr && a.delattr)
		return cli_usage_error(
			"modify", cli_modify_usage,
			"--addattr and --delattr are exclusive%s", "");
	if (a.addattr && !a.value)
		return cli_usage_error("modify", cli_modify_usage,
				       "--addattr needs --value%s", "");
	req = cli_new_request("modify");
	cli_add_string(req, "uuid", a.uuid);
	cli_add_string(req, "parent", a.parent);
	cli_add_string(req, "type", a.type);
	cli_add_string(req, "addattr", a.addattr);
	cli_add_string(req, "value", a.addattr ? a.value : NULL);
	if (a.autostart || a.manual)
		json_object_object_add(req, "auto",
				       json_object_new_boolean(a.autostart));
	if (a.delattr)
		json_object_object_add(req, "delattr",
				       json_object_new_boolean(1));
	if (a.index >= 0)
		json_object_object_add(req, "index",
				       json_object_new_int64(a.index));
	if (a.jsonfile && (ret = cli_add_jsonfile(req, a.jsonfile)))
		return ret;
	ret = cli_request(ctx, req, &reply);
	if (ret)
		return ret;
	json_object_put(reply);
	return CLI_EXIT_OK;
}

int cli_cmd_start_parent(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	json_object *req, *reply;
	int c, ret;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == CLI_OPT_RUNTIME_DIR) {
			ctx->runtime_override = optarg;
			continue;
		}
		printf("Usage: umdevctl start-parent-mdevs PARENT [--runtime-dir DIR]\n");
		return c == 'h' ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	}
	if (optind + 1 != argc)
		return cli_usage_error("start-parent-mdevs", "PARENT",
				       "one PARENT is required%s", "");
	req = cli_new_request("start-parent");
	cli_add_string(req, "parent", argv[optind]);
	ret = cli_request(ctx, req, &reply);
	if (ret)
		return ret;
	json_object_put(reply);
	return CLI_EXIT_OK;
}
