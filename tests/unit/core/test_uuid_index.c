// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for src/core/uuid_index.c: the UUID -> pointer hash table.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/uuid_index.h"

/* A distinct, deterministic key per @n (sequential, i.e. badly spread). */
static void key_of(uuid_t key, uint32_t n)
{
	memset(key, 0, sizeof(uuid_t));
	memcpy(key + 12, &n, sizeof(n));
}

/* A distinct non-NULL value per @n. */
static void *value_of(uint32_t n)
{
	return (void *)(uintptr_t)(n + 1);
}

static void test_empty(void **unused)
{
	struct uuid_index idx;
	uuid_t k;

	uuid_index_init(&idx);
	key_of(k, 1);
	assert_null(uuid_index_find(&idx, k));
	assert_null(uuid_index_remove(&idx, k));
	assert_int_equal(idx.count, 0);
	uuid_index_fini(&idx);
}

static void test_insert_find_remove(void **unused)
{
	struct uuid_index idx;
	uuid_t a, b;

	uuid_index_init(&idx);
	key_of(a, 1);
	key_of(b, 2);
	assert_int_equal(uuid_index_insert(&idx, a, value_of(1)), 0);
	assert_ptr_equal(uuid_index_find(&idx, a), value_of(1));
	assert_null(uuid_index_find(&idx, b));
	assert_int_equal(uuid_index_insert(&idx, a, value_of(7)), -EEXIST);
	assert_ptr_equal(uuid_index_find(&idx, a), value_of(1));
	assert_int_equal(uuid_index_insert(&idx, b, NULL), -EINVAL);
	assert_int_equal(idx.count, 1);

	assert_ptr_equal(uuid_index_remove(&idx, a), value_of(1));
	assert_null(uuid_index_find(&idx, a));
	assert_null(uuid_index_remove(&idx, a));
	assert_int_equal(idx.count, 0);
	/* Re-insert after removal. */
	assert_int_equal(uuid_index_insert(&idx, a, value_of(3)), 0);
	assert_ptr_equal(uuid_index_find(&idx, a), value_of(3));
	uuid_index_fini(&idx);
}

static void test_grows(void **unused)
{
	struct uuid_index idx;
	const uint32_t n = 20000;
	uint32_t i;
	uuid_t k;

	uuid_index_init(&idx);
	for (i = 0; i < n; i++) {
		key_of(k, i);
		assert_int_equal(uuid_index_insert(&idx, k, value_of(i)), 0);
	}
	assert_int_equal(idx.count, n);
	/* Power of two and at most three quarters full. */
	assert_int_equal(idx.capacity & (idx.capacity - 1), 0);
	assert_true(idx.count * 4 <= idx.capacity * 3);
	for (i = 0; i < n; i++) {
		key_of(k, i);
		assert_ptr_equal(uuid_index_find(&idx, k), value_of(i));
	}
	key_of(k, n);
	assert_null(uuid_index_find(&idx, k));
	/* Remove the even keys; the odd ones must stay reachable. */
	for (i = 0; i < n; i += 2) {
		key_of(k, i);
		assert_ptr_equal(uuid_index_remove(&idx, k), value_of(i));
	}
	for (i = 0; i < n; i++) {
		key_of(k, i);
		if (i % 2)
			assert_ptr_equal(uuid_index_find(&idx, k), value_of(i));
		else
			assert_null(uuid_index_find(&idx, k));
	}
	assert_int_equal(idx.count, n / 2);
	uuid_index_fini(&idx);
}

/*
 * Random inserts and removes on a small key space, checked against a plain
 * array after every step: exercises collisions, probe runs that wrap
 * around the table end and backward-shift deletion.
 */
static void test_against_reference(void **unused)
{
	enum { KEYS = 200, STEPS = 20000 };
	static void *ref[KEYS];
	struct uuid_index idx;
	unsigned int seed = 12345;
	size_t present = 0;
	int step, j;
	uuid_t k;

	memset(ref, 0, sizeof(ref));
	uuid_index_init(&idx);
	for (step = 0; step < STEPS; step++) {
		uint32_t n = (uint32_t)rand_r(&seed) % KEYS;

		key_of(k, n);
		if (ref[n]) {
			assert_ptr_equal(uuid_index_remove(&idx, k), ref[n]);
			ref[n] = NULL;
			present--;
		} else {
			ref[n] = value_of((uint32_t)step);
			assert_int_equal(uuid_index_insert(&idx, k, ref[n]), 0);
			present++;
		}
		assert_int_equal(idx.count, present);
		if (step % 97)
			continue;
		for (j = 0; j < KEYS; j++) {
			key_of(k, (uint32_t)j);
			assert_ptr_equal(uuid_index_find(&idx, k), ref[j]);
		}
	}
	for (j = 0; j < KEYS; j++) {
		key_of(k, (uint32_t)j);
		assert_ptr_equal(uuid_index_find(&idx, k), ref[j]);
	}
	uuid_index_fini(&idx);
}

static void test_random_uuids(void **unused)
{
	enum { N = 5000 };
	static uuid_t keys[N];
	struct uuid_index idx;
	int i;

	uuid_index_init(&idx);
	for (i = 0; i < N; i++) {
		uuid_generate_random(keys[i]);
		assert_int_equal(uuid_index_insert(&idx, keys[i],
						   value_of((uint32_t)i)),
				 0);
	}
	for (i = 0; i < N; i++)
		assert_ptr_equal(uuid_index_find(&idx, keys[i]),
				 value_of((uint32_t)i));
	for (i = 0; i < N; i++)
		assert_ptr_equal(uuid_index_remove(&idx, keys[i]),
				 value_of((uint32_t)i));
	assert_int_equal(idx.count, 0);
	uuid_index_fini(&idx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_insert_find_remove),
		cmocka_unit_test(test_grows),
		cmocka_unit_test(test_against_reference),
		cmocka_unit_test(test_random_uuids),
	};

	return cmocka_run_group_tests_name("uuid_index", tests, NULL, NULL);
}
