// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-user VERSION: capability JSON in and out (json-c).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <json-c/json.h>

#include "vfio-user/version.h"
#include "vfio-user/wire.h"

void vu_caps_defaults(struct vu_caps *caps)
{
	caps->present = 0;
	caps->max_msg_fds = VU_DEFAULT_MSG_FDS;
	caps->max_data_xfer_size = VU_DEFAULT_DATA_XFER;
	caps->pgsizes = 4096;
	caps->max_dma_maps = 65535;
	caps->write_multiple = false;
	caps->migration = false;
}

/* The integer capabilities: JSON key, range, and where they live. */
static const struct vu_int_cap {
	const char *key;
	int64_t min, max;
	unsigned int bit;
	size_t offset, size;
} vu_int_caps[] = {
	{ "max_msg_fds", 0, 65535, VU_CAP_MAX_MSG_FDS,
	  offsetof(struct vu_caps, max_msg_fds), sizeof(uint32_t) },
	{ "max_data_xfer_size", 1, UINT32_MAX, VU_CAP_MAX_DATA_XFER,
	  offsetof(struct vu_caps, max_data_xfer_size), sizeof(uint32_t) },
	{ "pgsizes", 1, INT64_MAX, VU_CAP_PGSIZES,
	  offsetof(struct vu_caps, pgsizes), sizeof(uint64_t) },
	{ "max_dma_maps", 0, UINT32_MAX, VU_CAP_MAX_DMA_MAPS,
	  offsetof(struct vu_caps, max_dma_maps), sizeof(uint32_t) },
};

#define VU_NR_INT_CAPS (sizeof(vu_int_caps) / sizeof(vu_int_caps[0]))

static int64_t vu_int_cap_get(const struct vu_caps *caps,
			      const struct vu_int_cap *c)
{
	const char *p = (const char *)caps + c->offset;
	uint32_t v32;
	uint64_t v64;

	if (c->size == sizeof(v32)) {
		memcpy(&v32, p, sizeof(v32));
		return v32;
	}
	memcpy(&v64, p, sizeof(v64));
	return (int64_t)v64;
}

static void vu_int_cap_set(struct vu_caps *caps, const struct vu_int_cap *c,
			   int64_t n)
{
	char *p = (char *)caps + c->offset;
	uint32_t v32 = (uint32_t)n;
	uint64_t v64 = (uint64_t)n;

	if (c->size == sizeof(v32))
		memcpy(p, &v32, sizeof(v32));
	else
		memcpy(p, &v64, sizeof(v64));
}

/* An integer capability in its range; absent keeps the default. */
static int vu_caps_int(struct json_object *json, const struct vu_int_cap *c,
		       struct vu_caps *out, const char **why)
{
	struct json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(json, c->key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_int)) {
		*why = c->key;
		return -EINVAL;
	}
	errno = 0;
	n = json_object_get_int64(v);
	if (errno || n < c->min || n > c->max) {
		*why = c->key;
		return -EINVAL;
	}
	vu_int_cap_set(out, c, n);
	out->present |= c->bit;
	return 0;
}

static int vu_caps_from_json(struct json_object *caps, struct vu_caps *out,
			     const char **why)
{
	struct json_object *v;
	size_t i;
	int ret;

	for (i = 0; i < VU_NR_INT_CAPS; i++) {
		ret = vu_caps_int(caps, &vu_int_caps[i], out, why);
		if (ret)
			return ret;
	}
	if (json_object_object_get_ex(caps, "write_multiple", &v)) {
		if (!json_object_is_type(v, json_type_boolean)) {
			*why = "write_multiple";
			return -EINVAL;
		}
		out->write_multiple = json_object_get_boolean(v);
		out->present |= VU_CAP_WRITE_MULTIPLE;
	}
	if (json_object_object_get_ex(caps, "migration", &v)) {
		if (!json_object_is_type(v, json_type_object)) {
			*why = "migration";
			return -EINVAL;
		}
		out->migration = true;
	}
	if (json_object_object_get_ex(caps, "twin_socket", &v) &&
	    !json_object_is_type(v, json_type_object)) {
		*why = "twin_socket";
		return -EINVAL;
	}
	return 0;
}

int vu_version_parse(const void *payload, size_t len, uint16_t *major,
		     uint16_t *minor, struct vu_caps *caps, const char **why)
{
	const struct vu_version *ver = payload;
	const char *json = (const char *)payload + sizeof(*ver);
	size_t json_len;
	struct json_tokener *tok;
	struct json_object *root, *c;
	int ret = 0;

	*why = "";
	vu_caps_defaults(caps);
	if (len < sizeof(*ver)) {
		*why = "payload shorter than 4 bytes";
		return -EINVAL;
	}
	*major = ver->major;
	*minor = ver->minor;
	json_len = len - sizeof(*ver);
	if (json_len == 0)
		return 0; /* the JSON part is optional */
	if (json[json_len - 1] != '\0' || memchr(json, 0, json_len - 1)) {
		*why = "JSON not NUL-terminated";
		return -EINVAL;
	}

	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, json, (int)(json_len - 1));
	if (!root || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != json_len - 1) {
		*why = "malformed JSON";
		ret = -EINVAL;
		goto out;
	}
	if (!json_object_is_type(root, json_type_object)) {
		*why = "JSON is not an object";
		ret = -EINVAL;
		goto out;
	}
	if (json_object_object_get_ex(root, "capabilities", &c)) {
		if (!json_object_is_type(c, json_type_object)) {
			*why = "capabilities is not an object";
			ret = -EINVAL;
			goto out;
		}
		ret = vu_caps_from_json(c, caps, why);
	}
out:
	json_object_put(root);
	json_tokener_free(tok);
	return ret;
}

int vu_version_format(uint16_t major, uint16_t minor,
		      const struct vu_caps *caps, void *buf, size_t cap)
{
	struct json_object *root, *c;
	struct vu_version ver = { .major = major, .minor = minor };
	const char *s;
	size_t slen, i;
	int ret;

	root = json_object_new_object();
	c = json_object_new_object();
	if (!root || !c) {
		json_object_put(root);
		json_object_put(c);
		return -ENOMEM;
	}
	for (i = 0; i < VU_NR_INT_CAPS; i++)
		if (caps->present & vu_int_caps[i].bit)
			json_object_object_add(
				c, vu_int_caps[i].key,
				json_object_new_int64(
					vu_int_cap_get(caps, &vu_int_caps[i])));
	if ((caps->present & VU_CAP_WRITE_MULTIPLE) && caps->write_multiple)
		json_object_object_add(c, "write_multiple",
				       json_object_new_boolean(1));
	if (caps->migration) {
		/* The spec's migration object: the smallest page size. */
		struct json_object *mig = json_object_new_object();

		if (mig)
			json_object_object_add(
				mig, "pgsize",
				json_object_new_int64(
					(int64_t)(caps->pgsizes &
						  -caps->pgsizes)));
		json_object_object_add(c, "migration", mig);
	}
	json_object_object_add(root, "capabilities", c);

	s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
	slen = s ? strlen(s) + 1 : 0;
	if (!s) {
		ret = -ENOMEM;
	} else if (sizeof(ver) + slen > cap) {
		ret = -ENOSPC;
	} else {
		memcpy(buf, &ver, sizeof(ver));
		memcpy((char *)buf + sizeof(ver), s, slen);
		ret = (int)(sizeof(ver) + slen);
	}
	json_object_put(root);
	return ret;
}

static uint64_t vu_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

int vu_version_negotiate(const void *payload, size_t len,
			 const struct vu_caps *ours, struct vu_caps *agreed,
			 uint16_t *minor, const char **why)
{
	struct vu_caps theirs;
	uint16_t major, their_minor;
	int ret;

	ret = vu_version_parse(payload, len, &major, &their_minor, &theirs,
			       why);
	if (ret)
		return ret;
	if (major != VU_VERSION_MAJOR) {
		*why = "unsupported major version";
		return -EINVAL;
	}
	*minor = vu_min(their_minor, VU_VERSION_MINOR);
	/* The reply names only what the client proposed (a subset). */
	agreed->present = theirs.present & ours->present;
	/*
	 * max_msg_fds is what each side can receive: ours goes back when the
	 * client named the key; else the reply omits it, which means the
	 * default to the client, so that is what we hold it to.
	 */
	agreed->max_msg_fds = (agreed->present & VU_CAP_MAX_MSG_FDS) ?
				      ours->max_msg_fds :
				      VU_DEFAULT_MSG_FDS;
	/* One transfer limit for both directions: the smaller. */
	agreed->max_data_xfer_size =
		vu_min(ours->max_data_xfer_size, theirs.max_data_xfer_size);
	agreed->pgsizes = ours->pgsizes & theirs.pgsizes;
	if (!agreed->pgsizes) {
		*why = "no page size in common";
		return -EINVAL;
	}
	agreed->max_dma_maps = vu_min(ours->max_dma_maps, theirs.max_dma_maps);
	agreed->write_multiple = ours->write_multiple && theirs.write_multiple;
	/* Offered back only to a client that proposed it. */
	agreed->migration = ours->migration && theirs.migration;
	return 0;
}
