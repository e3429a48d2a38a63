// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-user VERSION: capability JSON in and out (json-c).
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "vfio-user/version.h"
#include "vfio-user/wire.h"

void vu_caps_defaults(struct vu_caps *caps)
{
	caps->max_msg_fds = VU_DEFAULT_MSG_FDS;
	caps->max_data_xfer_size = VU_DEFAULT_DATA_XFER;
	caps->pgsizes = 4096;
	caps->max_dma_maps = 65535;
	caps->write_multiple = false;
	caps->migration = false;
}

/* An integer capability in [min, max]; absent keeps *out. */
static int vu_caps_int(struct json_object *caps, const char *key, int64_t min,
		       int64_t max, uint64_t *out, const char **why)
{
	struct json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(caps, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_int)) {
		*why = key;
		return -EINVAL;
	}
	errno = 0;
	n = json_object_get_int64(v);
	if (errno || n < min || n > max) {
		*why = key;
		return -EINVAL;
	}
	*out = (uint64_t)n;
	return 0;
}

static int vu_caps_from_json(struct json_object *caps, struct vu_caps *out,
			     const char **why)
{
	struct json_object *v;
	uint64_t n;
	int ret;

	n = out->max_msg_fds;
	ret = vu_caps_int(caps, "max_msg_fds", 0, 65535, &n, why);
	if (ret)
		return ret;
	out->max_msg_fds = n;

	n = out->max_data_xfer_size;
	ret = vu_caps_int(caps, "max_data_xfer_size", 1, UINT32_MAX, &n, why);
	if (ret)
		return ret;
	out->max_data_xfer_size = n;

	n = out->max_dma_maps;
	ret = vu_caps_int(caps, "max_dma_maps", 0, UINT32_MAX, &n, why);
	if (ret)
		return ret;
	out->max_dma_maps = n;

	n = out->pgsizes;
	ret = vu_caps_int(caps, "pgsizes", 1, INT64_MAX, &n, why);
	if (ret)
		return ret;
	out->pgsizes = n;

	if (json_object_object_get_ex(caps, "write_multiple", &v)) {
		if (!json_object_is_type(v, json_type_boolean)) {
			*why = "write_multiple";
			return -EINVAL;
		}
		out->write_multiple = json_object_get_boolean(v);
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
	size_t slen;
	int ret;

	root = json_object_new_object();
	c = json_object_new_object();
	if (!root || !c) {
		json_object_put(root);
		json_object_put(c);
		return -ENOMEM;
	}
	json_object_object_add(c, "max_msg_fds",
			       json_object_new_int64(caps->max_msg_fds));
	json_object_object_add(c, "max_data_xfer_size",
			       json_object_new_int64(caps->max_data_xfer_size));
	json_object_object_add(c, "pgsizes",
			       json_object_new_int64((int64_t)caps->pgsizes));
	json_object_object_add(c, "max_dma_maps",
			       json_object_new_int64(caps->max_dma_maps));
	if (caps->write_multiple)
		json_object_object_add(c, "write_multiple",
				       json_object_new_boolean(1));
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
	/* max_msg_fds is what each side can receive: ours goes back. */
	agreed->max_msg_fds = ours->max_msg_fds;
	/* One transfer limit for both directions: the smaller. */
	agreed->max_data_xfer_size =
		vu_min(ours->max_data_xfer_size, theirs.max_data_xfer_size);
	agreed->pgsizes = ours->pgsizes;
	agreed->max_dma_maps = vu_min(ours->max_dma_maps, theirs.max_dma_maps);
	agreed->write_multiple = ours->write_multiple && theirs.write_multiple;
	agreed->migration = false;
	return 0;
}
