// SPDX-License-Identifier: GPL-2.0-only
/*
 * uuid_index - UUID -> pointer hash table (see uuid_index.h).
 *
 * UUIDs given by users are not always random (sequential test UUIDs,
 * version-1 time UUIDs), so both halves go through a 64-bit finaliser
 * rather than using raw bytes as the hash.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "uuid_index.h"

#define UUID_INDEX_MIN_CAPACITY 16

static uint64_t uuid_index_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static size_t uuid_index_hash(const uuid_t key)
{
	uint64_t lo, hi;

	memcpy(&lo, key, sizeof(lo));
	memcpy(&hi, key + sizeof(lo), sizeof(hi));
	return (size_t)uuid_index_mix(lo ^ uuid_index_mix(hi));
}

void uuid_index_init(struct uuid_index *idx)
{
	idx->slots = NULL;
	idx->capacity = 0;
	idx->count = 0;
}

void uuid_index_fini(struct uuid_index *idx)
{
	free(idx->slots);
	uuid_index_init(idx);
}

/* Slot holding @key, or the empty slot where it would go. */
static struct uuid_index_slot *uuid_index_probe(const struct uuid_index *idx,
						const uuid_t key)
{
	size_t mask = idx->capacity - 1;
	size_t i = uuid_index_hash(key) & mask;

	/* Terminates: the table is never full (load <= 3/4). */
	while (idx->slots[i].value && memcmp(idx->slots[i].key, key, 16))
		i = (i + 1) & mask;
	return &idx->slots[i];
}

static int uuid_index_resize(struct uuid_index *idx, size_t capacity)
{
	struct uuid_index old = *idx;
	size_t i;

	idx->slots = calloc(capacity, sizeof(*idx->slots));
	if (!idx->slots) {
		*idx = old;
		return -ENOMEM;
	}
	idx->capacity = capacity;
	for (i = 0; i < old.capacity; i++) {
		struct uuid_index_slot *s = &old.slots[i];

		if (s->value)
			*uuid_index_probe(idx, s->key) = *s;
	}
	free(old.slots);
	return 0;
}

int uuid_index_insert(struct uuid_index *idx, const uuid_t key, void *value)
{
	struct uuid_index_slot *slot;
	int ret;

	if (!value)
		return -EINVAL;
	if ((idx->count + 1) * 4 > idx->capacity * 3) {
		ret = uuid_index_resize(idx, idx->capacity ?
						     idx->capacity * 2 :
						     UUID_INDEX_MIN_CAPACITY);
		if (ret)
			return ret;
	}
	slot = uuid_index_probe(idx, key);
	if (slot->value)
		return -EEXIST;
	memcpy(slot->key, key, 16);
	slot->value = value;
	idx->count++;
	return 0;
}

void *uuid_index_find(const struct uuid_index *idx, const uuid_t key)
{
	if (!idx->count)
		return NULL;
	return uuid_index_probe(idx, key)->value;
}

void *uuid_index_remove(struct uuid_index *idx, const uuid_t key)
{
	size_t mask = idx->capacity - 1;
	struct uuid_index_slot *slot;
	size_t hole, i;
	void *value;

	if (!idx->count)
		return NULL;
	slot = uuid_index_probe(idx, key);
	value = slot->value;
	if (!value)
		return NULL;

	/*
	 * Backward-shift deletion: move later members of the probe run into
	 * the hole when their home slot does not lie (cyclically) between
	 * the hole and their position, so lookups never need tombstones.
	 */
	hole = (size_t)(slot - idx->slots);
	i = hole;
	for (;;) {
		size_t home;

		i = (i + 1) & mask;
		if (!idx->slots[i].value)
			break;
		home = uuid_index_hash(idx->slots[i].key) & mask;
		if (((i - home) & mask) >= ((i - hole) & mask)) {
			idx->slots[hole] = idx->slots[i];
			hole = i;
		}
	}
	idx->slots[hole].value = NULL;
	idx->count--;
	return value;
}
