/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio-user VERSION negotiation: the JSON capability object, parsed and
 * produced with json-c.  Shared by the server and the client library.
 */
#ifndef UMDEV_VFIO_USER_VERSION_H
#define UMDEV_VFIO_USER_VERSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* vu_caps.present: which keys the JSON carried (or is to carry). */
#define VU_CAP_MAX_MSG_FDS 0x1u
#define VU_CAP_MAX_DATA_XFER 0x2u
#define VU_CAP_MAX_DMA_MAPS 0x4u
#define VU_CAP_PGSIZES 0x8u
#define VU_CAP_WRITE_MULTIPLE 0x10u
#define VU_CAP_ALL 0x1fu

struct vu_caps {
	unsigned int present; /* VU_CAP_* */
	uint32_t max_msg_fds;
	uint32_t max_data_xfer_size;
	uint64_t pgsizes;
	uint32_t max_dma_maps;
	bool write_multiple;
	bool migration; /* a "migration" object was present */
};

/**
 * vu_caps_defaults() - the values the spec assumes when a key is absent;
 * no key present.
 */
void vu_caps_defaults(struct vu_caps *caps);

/**
 * vu_version_parse() - parse a VERSION payload (request or reply).
 * @payload/@len: u16 major, u16 minor, then optional NUL-terminated JSON
 * @why: out: a short reason on failure, for the log
 * Absent keys keep their defaults; unknown keys are ignored; caps->present
 * tells which keys were there.
 * Return: 0; -EINVAL for a short payload, a missing or early NUL, bad or
 * trailing JSON, a non-object "capabilities", a wrong-typed or
 * out-of-range value.
 */
int vu_version_parse(const void *payload, size_t len, uint16_t *major,
		     uint16_t *minor, struct vu_caps *caps, const char **why);

/**
 * vu_version_format() - write a VERSION payload for @caps into @buf.
 * Only the keys in caps->present are written; write_multiple only when
 * true; migration (an object with the smallest page size, "pgsize") when
 * caps->migration.
 * Return: payload bytes (NUL included); -ENOSPC if @cap is too small.
 */
int vu_version_format(uint16_t major, uint16_t minor,
		      const struct vu_caps *caps, void *buf, size_t cap);

/**
 * vu_version_negotiate() - the server's answer to a client's VERSION.
 * @payload/@len: the client's VERSION payload
 * @ours: what the server supports
 * @agreed: out: what both sides will use (also what the reply carries:
 * only keys the client proposed, as the spec wants a subset back; an
 * absent key means its default on both sides)
 * @minor: out: the minor for the reply
 * Return: 0; -EINVAL (see vu_version_parse(), major != 0, or no page size
 * in common).  agreed->migration: both ours and the client's say so.
 */
int vu_version_negotiate(const void *payload, size_t len,
			 const struct vu_caps *ours, struct vu_caps *agreed,
			 uint16_t *minor, const char **why);

#endif
