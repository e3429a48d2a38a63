// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for src/management/json_pretty.c: mdevctl's (serde_json's
 * pretty) layout, byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "management/json_pretty.h"

static void expect(const char *json, const char *want)
{
	json_object *obj = json_tokener_parse(json);
	char *text;

	assert_non_null(obj);
	text = json_pretty(obj);
	assert_non_null(text);
	assert_string_equal(text, want);
	free(text);
	json_object_put(obj);
}

static void test_empty_containers(void **unused)
{
	expect("[]", "[]");
	expect("{}", "{}");
	expect("{\"attrs\":[]}", "{\n  \"attrs\": []\n}");
}

static void test_config(void **unused)
{
	expect("{\"mdev_type\":\"mtty-2\",\"start\":\"auto\",\"attrs\":[{\"foo\":\"bar\"}]}",
	       "{\n"
	       "  \"mdev_type\": \"mtty-2\",\n"
	       "  \"start\": \"auto\",\n"
	       "  \"attrs\": [\n"
	       "    {\n"
	       "      \"foo\": \"bar\"\n"
	       "    }\n"
	       "  ]\n"
	       "}");
}

static void test_scalars_and_escapes(void **unused)
{
	expect("[1,true,null,\"a/b\"]",
	       "[\n  1,\n  true,\n  null,\n  \"a/b\"\n]");
	expect("[\"q\\\"b\\\\n\\nt\\t\\u0001\"]",
	       "[\n  \"q\\\"b\\\\n\\nt\\t\\u0001\"\n]");
	/* Non-ASCII passes through as UTF-8. */
	expect("[\"\\u00e9\"]", "[\n  \"\xc3\xa9\"\n]");
}

static void test_member_order_kept(void **unused)
{
	expect("{\"z\":1,\"a\":2}", "{\n  \"z\": 1,\n  \"a\": 2\n}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_containers),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_scalars_and_escapes),
		cmocka_unit_test(test_member_order_kept),
	};

	return cmocka_run_group_tests_name("json_pretty", tests, NULL, NULL);
}
