/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * uuid_index - a hash table from 16-byte UUIDs to pointers: open
 * addressing with linear probing, backward-shift deletion (no tombstones)
 * and doubling when three quarters full.  Every operation is O(1) expected;
 * nothing walks a list.
 */
#ifndef UMDEV_CORE_UUID_INDEX_H
#define UMDEV_CORE_UUID_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <uuid/uuid.h>

struct uuid_index_slot {
	uuid_t key;
	void *value; /* NULL: slot empty */
};

struct uuid_index {
	struct uuid_index_slot *slots;
	size_t capacity; /* power of two, or 0 before the first insert */
	size_t count;
};

/** uuid_index_init() - an empty index (allocates nothing yet). */
void uuid_index_init(struct uuid_index *idx);

/** uuid_index_fini() - free the table; the values are not touched. */
void uuid_index_fini(struct uuid_index *idx);

/**
 * uuid_index_insert() - map @key to @value (which must not be NULL).
 * Return: 0; -EEXIST if @key is present; -EINVAL for a NULL value;
 * -ENOMEM if the table could not grow.
 */
int uuid_index_insert(struct uuid_index *idx, const uuid_t key, void *value);

/** uuid_index_find() - the value of @key, or NULL. */
void *uuid_index_find(const struct uuid_index *idx, const uuid_t key);

/** uuid_index_remove() - unmap @key; returns its value, or NULL if absent. */
void *uuid_index_remove(struct uuid_index *idx, const uuid_t key);

#endif
