// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of src/daemon/control_request.c (the strict request parser)
 * and src/daemon/utf8.c (what replies and umdevctl check text with).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "control_request.h"
#include "utf8.h"

static json_object *parse(const char *line)
{
	const char *why = NULL;
	json_object *req = control_request_parse(line, strlen(line), &why);

	if (!req)
		assert_non_null(why);
	return req;
}

static void test_accepts(void **state)
{
	static const char *const good[] = {
		"{\"op\":\"list\"}",
		" {\"op\":\"list\"} \t\r",
		"{\"op\":\"start\",\"uuid\":\"x\",\"n\":1.5,\"a\":[1,{\"b\":null}]}",
		"{\"op\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}",
		"{}",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		json_object *req = parse(good[i]);

		if (!req)
			fail_msg("refused: %s", good[i]);
		json_object_put(req);
	}
}

static void test_refuses(void **state)
{
	static const char *const bad[] = {
		"",
		" ",
		"{\"op\":\"list\"} x",
		"{\"op\":\"list\"}{}",
		"{'op':'list'}",
		"{\"op\":\"list\"/**/}",
		"{\"op\":\"list\"}//",
		"{\"x\":NaN}",
		"{\"x\":Infinity}",
		"{\"x\":-Infinity}",
		"{\"x\":1e400}",
		"{\"op\":\"list\",}",
		"{op:1}",
		"[]",
		"1",
		"null",
		"{\"x\":\"\xc0\xaf\"}",
		"{\"x\":\"\xed\xa0\x80\"}",
		"{\"x\":\"\xf4\x90\x80\x80\"}",
		"{\"x\":\"\xe2\x82\"}",
		"{\"x\":[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]}",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_object *req = parse(bad[i]);

		if (req) {
			json_object_put(req);
			fail_msg("accepted: %s", bad[i]);
		}
	}
	/* A NUL inside the given length. */
	assert_null(control_request_parse("{}\0{}", 5, &(const char *){ 0 }));
}

static void test_utf8(void **state)
{
	char s[64];

	assert_true(utf8_valid("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10));
	assert_false(utf8_valid("\xc3", 1));
	assert_false(utf8_valid("\xc1\xbf", 2)); /* overlong */
	assert_false(utf8_valid("\xe0\x80\x80", 3)); /* overlong */
	assert_false(utf8_valid("\xed\xbf\xbf", 3)); /* surrogate */
	assert_false(utf8_valid("\xf5\x80\x80\x80", 4));
	strcpy(s, "ab\xff\xc3z");
	assert_int_equal(utf8_sanitize(s, strlen(s)), 2);
	assert_string_equal(s, "ab??z");
	/* A cut in the middle of each kind of character drops it whole. */
	strcpy(s, "ab\xe2\x82\xac");
	assert_int_equal(utf8_truncate(s, 4), 2);
	assert_string_equal(s, "ab");
	strcpy(s, "ab\xf0\x9f\x98\x80");
	assert_int_equal(utf8_truncate(s, 5), 2);
	strcpy(s, "ab\xc3\xa9");
	assert_int_equal(utf8_truncate(s, 3), 2);
	strcpy(s, "ab\xc3\xa9");
	assert_int_equal(utf8_truncate(s, 4), 4);
	assert_int_equal(utf8_truncate(s, 10), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts),
		cmocka_unit_test(test_refuses),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
