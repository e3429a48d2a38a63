// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for src/management/definition.c: names, UUIDs, mdevctl's
 * config object both ways, attributes in order.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "management/definition.h"
#include "management/json_pretty.h"

#define UUID "8a4b1f3e-0c2d-4e5f-9a6b-7c8d9e0f1a2b"

static void test_names(void **unused)
{
	assert_true(mgmt_name_valid("mtty"));
	assert_true(mgmt_name_valid("0000:00:02.0"));
	assert_false(mgmt_name_valid(""));
	assert_false(mgmt_name_valid("."));
	assert_false(mgmt_name_valid(".."));
	assert_false(mgmt_name_valid("a/b"));
	assert_false(mgmt_name_valid("a\nb"));
	assert_false(mgmt_name_valid(NULL));
}

static void test_uuid_normalize(void **unused)
{
	char out[MDEV_UUID_STRLEN + 1];

	assert_int_equal(mgmt_uuid_normalize(
				 "8A4B1F3E-0C2D-4E5F-9A6B-7C8D9E0F1A2B", out),
			 0);
	assert_string_equal(out, UUID);
	assert_int_equal(mgmt_uuid_normalize(UUID "0", out), -EINVAL);
	assert_int_equal(mgmt_uuid_normalize("../../etc/passwd", out), -EINVAL);
	assert_int_equal(mgmt_uuid_normalize(
				 "8a4b1f3e/0c2d-4e5f-9a6b-7c8d9e0f1a2b", out),
			 -EINVAL);
}

static struct mgmt_def *parse(const char *json, bool type_optional, int *ret,
			      char *err, size_t errlen)
{
	struct mgmt_def *def = mgmt_def_new(UUID, "mtty", NULL);
	json_object *obj = json_tokener_parse(json);

	assert_non_null(def);
	assert_non_null(obj);
	*ret = mgmt_def_parse_config(def, obj, type_optional, err, errlen);
	json_object_put(obj);
	return def;
}

static void test_parse_and_print(void **unused)
{
	static const char text[] = "{\n"
				   "  \"mdev_type\": \"mtty-2\",\n"
				   "  \"start\": \"auto\",\n"
				   "  \"attrs\": [\n"
				   "    {\n"
				   "      \"b\": \"2\"\n"
				   "    },\n"
				   "    {\n"
				   "      \"a\": \"1\"\n"
				   "    }\n"
				   "  ]\n"
				   "}";
	struct mgmt_def *def;
	json_object *obj;
	char err[128], *out;
	int ret;

	def = parse(text, false, &ret, err, sizeof(err));
	assert_int_equal(ret, 0);
	assert_string_equal(def->type, "mtty-2");
	assert_true(def->autostart);
	assert_int_equal(def->nr_attrs, 2);
	/* Order is kept: attributes are applied in this order. */
	assert_string_equal(def->attrs[0].name, "b");
	obj = mgmt_def_config_json(def, true);
	out = json_pretty(obj);
	assert_string_equal(out, text);
	free(out);
	json_object_put(obj);
	obj = mgmt_def_config_json(def, false);
	out = json_pretty(obj);
	assert_non_null(strstr(out, "\"attrs\": []"));
	free(out);
	json_object_put(obj);
	mgmt_def_free(def);
}

static void test_parse_refusals(void **unused)
{
	static const struct {
		const char *json;
		const char *says;
	} bad[] = {
		{ "[]", "object" },
		{ "{\"start\":\"auto\"}", "mdev_type" },
		{ "{\"mdev_type\":7}", "mdev_type" },
		{ "{\"mdev_type\":\"a/b\"}", "mdev_type" },
		{ "{\"mdev_type\":\"t\",\"start\":\"sometimes\"}", "start" },
		{ "{\"mdev_type\":\"t\",\"attrs\":{}}", "attrs" },
		{ "{\"mdev_type\":\"t\",\"attrs\":[{\"a\":1}]}",
		  "attribute 0" },
		{ "{\"mdev_type\":\"t\",\"attrs\":[{\"a\":\"1\",\"b\":\"2\"}]}",
		  "attribute 0" },
		{ "{\"mdev_type\":\"t\",\"attrs\":[\"x\"]}", "attribute 0" },
	};
	struct mgmt_def *def;
	char err[128];
	size_t i;
	int ret;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		def = parse(bad[i].json, false, &ret, err, sizeof(err));
		assert_int_equal(ret, -EINVAL);
		assert_non_null(strstr(err, bad[i].says));
		mgmt_def_free(def);
	}
	/* Without a type where one may come from elsewhere (-t). */
	def = parse("{\"start\":\"manual\"}", true, &ret, err, sizeof(err));
	assert_int_equal(ret, 0);
	assert_null(def->type);
	mgmt_def_free(def);
}

static void test_attrs_insert_delete(void **unused)
{
	struct mgmt_def *def = mgmt_def_new(UUID, "mtty", "mtty-1"), *copy;

	assert_non_null(def);
	assert_int_equal(mgmt_def_attr_delete(def, SIZE_MAX), -ENOENT);
	assert_int_equal(mgmt_def_attr_insert(def, SIZE_MAX, "a", "1"), 0);
	assert_int_equal(mgmt_def_attr_insert(def, SIZE_MAX, "c", "3"), 0);
	assert_int_equal(mgmt_def_attr_insert(def, 1, "b", "2"), 0);
	assert_int_equal(mgmt_def_attr_insert(def, 0, "a/b", "x"), -EINVAL);
	assert_int_equal(def->nr_attrs, 3);
	assert_string_equal(def->attrs[1].name, "b");
	copy = mgmt_def_copy(def);
	assert_int_equal(mgmt_def_attr_delete(def, 5), -ENOENT);
	assert_int_equal(mgmt_def_attr_delete(def, 0), 0);
	assert_int_equal(mgmt_def_attr_delete(def, SIZE_MAX), 0);
	assert_int_equal(def->nr_attrs, 1);
	assert_string_equal(def->attrs[0].name, "b");
	/* The copy is deep. */
	assert_int_equal(copy->nr_attrs, 3);
	assert_string_equal(copy->attrs[2].value, "3");
	mgmt_def_free(copy);
	mgmt_def_free(def);
}

static void test_new_refuses_bad_names(void **unused)
{
	assert_null(mgmt_def_new(UUID, "../etc", "t"));
	assert_int_equal(errno, EINVAL);
	assert_null(mgmt_def_new("nope", "mtty", "t"));
	assert_null(mgmt_def_new(UUID, "mtty", "x/y"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_uuid_normalize),
		cmocka_unit_test(test_parse_and_print),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_attrs_insert_delete),
		cmocka_unit_test(test_new_refuses_bad_names),
	};

	return cmocka_run_group_tests_name("definition", tests, NULL, NULL);
}
