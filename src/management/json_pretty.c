// SPDX-License-Identifier: GPL-2.0-only
/*
 * json_pretty - mdevctl's JSON layout (json_pretty.h).  json-c's own
 * pretty printer differs in the details that matter to byte-identical
 * output (empty containers, escaped '/', spacing), hence this printer.
 */
#include "json_pretty.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct json_pretty_buf {
	char *data;
	size_t len, cap;
	bool failed;
};

static void jp_put(struct json_pretty_buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (b->len + n + 1 > cap)
			cap *= 2;
		p = realloc(b->data, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void jp_str(struct json_pretty_buf *b, const char *s)
{
	jp_put(b, s, strlen(s));
}

static void jp_indent(struct json_pretty_buf *b, int depth)
{
	int i;

	jp_put(b, "\n", 1);
	for (i = 0; i < depth; i++)
		jp_put(b, "  ", 2);
}

static void jp_string(struct json_pretty_buf *b, const char *s, size_t n)
{
	size_t i;

	jp_put(b, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];

		switch (c) {
		case '"':
			jp_str(b, "\\\"");
			break;
		case '\\':
			jp_str(b, "\\\\");
			break;
		case '\n':
			jp_str(b, "\\n");
			break;
		case '\r':
			jp_str(b, "\\r");
			break;
		case '\t':
			jp_str(b, "\\t");
			break;
		case '\b':
			jp_str(b, "\\b");
			break;
		case '\f':
			jp_str(b, "\\f");
			break;
		default:
			if (c < 0x20) {
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				jp_str(b, esc);
			} else {
				jp_put(b, (const char *)&s[i], 1);
			}
		}
	}
	jp_put(b, "\"", 1);
}

static void jp_value(struct json_pretty_buf *b, json_object *v, int depth)
{
	size_t i, n;
	bool first = true;

	switch (json_object_get_type(v)) {
	case json_type_null:
		jp_str(b, "null");
		break;
	case json_type_boolean:
		jp_str(b, json_object_get_boolean(v) ? "true" : "false");
		break;
	case json_type_int:
	case json_type_double:
		jp_str(b, json_object_to_json_string_ext(
				  v, JSON_C_TO_STRING_PLAIN));
		break;
	case json_type_string:
		jp_string(b, json_object_get_string(v),
			  (size_t)json_object_get_string_len(v));
		break;
	case json_type_array:
		n = json_object_array_length(v);
		if (!n) {
			jp_str(b, "[]");
			break;
		}
		jp_str(b, "[");
		for (i = 0; i < n; i++) {
			if (i)
				jp_str(b, ",");
			jp_indent(b, depth + 1);
			jp_value(b, json_object_array_get_idx(v, i), depth + 1);
		}
		jp_indent(b, depth);
		jp_str(b, "]");
		break;
	case json_type_object:
		if (!json_object_object_length(v)) {
			jp_str(b, "{}");
			break;
		}
		jp_str(b, "{");
		json_object_object_foreach(v, key, member)
		{
			if (!first)
				jp_str(b, ",");
			first = false;
			jp_indent(b, depth + 1);
			jp_string(b, key, strlen(key));
			jp_str(b, ": ");
			jp_value(b, member, depth + 1);
		}
		jp_indent(b, depth);
		jp_str(b, "}");
		break;
	}
}

char *json_pretty(json_object *obj)
{
	struct json_pretty_buf b = { 0 };

	jp_value(&b, obj, 0);
	if (!b.failed && !b.data)
		jp_put(&b, "", 0);
	if (b.failed) {
		free(b.data);
		errno = ENOMEM;
		return NULL;
	}
	return b.data;
}
