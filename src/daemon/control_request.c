// SPDX-License-Identifier: GPL-2.0-only
/*
 * control_request - see control_request.h.  json-c's default tokener is
 * lenient (it takes single quotes, comments, NaN and stops silently after
 * the first value), so the line goes through a strict tokener and the
 * parse must consume all of it.
 */
#include "control_request.h"
#include "utf8.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

static bool control_request_blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/*
 * json-c takes NaN and Infinity even when strict: no value of a request
 * may be one (a number too large for a double is refused the same way).
 */
static bool control_request_finite(json_object *v, unsigned int depth)
{
	size_t i, n;

	if (depth > CONTROL_REQUEST_MAX_DEPTH)
		return false;
	switch (json_object_get_type(v)) {
	case json_type_double:
		return isfinite(json_object_get_double(v));
	case json_type_array:
		n = json_object_array_length(v);
		for (i = 0; i < n; i++)
			if (!control_request_finite(
				    json_object_array_get_idx(v, i), depth + 1))
				return false;
		return true;
	case json_type_object: {
		json_object_object_foreach(v, key, val)
		{
			(void)key;
			if (!control_request_finite(val, depth + 1))
				return false;
		}
		return true;
	}
	default:
		return true;
	}
}

json_object *control_request_parse(const char *line, size_t len,
				   const char **why)
{
	struct json_tokener *tok;
	json_object *req;
	size_t used;

	if (memchr(line, '\0', len)) {
		*why = "not valid JSON (a NUL byte)";
		return NULL;
	}
	/* json-c's own check lets encoded surrogates through. */
	if (!utf8_valid(line, len)) {
		*why = "not valid UTF-8";
		return NULL;
	}
	tok = json_tokener_new_ex(CONTROL_REQUEST_MAX_DEPTH);
	if (!tok) {
		*why = "out of memory";
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
					    JSON_TOKENER_VALIDATE_UTF8);
	req = json_tokener_parse_ex(tok, line, (int)len);
	used = json_tokener_get_parse_end(tok);
	if (!req) {
		*why = json_tokener_get_error(tok) == json_tokener_continue ?
			       "not valid JSON (it ends early)" :
			       "not valid JSON";
	} else if (!json_object_is_type(req, json_type_object)) {
		*why = "not a JSON object";
	} else if (!control_request_blank(line + used, len - used)) {
		*why = "not valid JSON (more after the object)";
	} else if (!control_request_finite(req, 0)) {
		*why = "not valid JSON (NaN, Infinity or a number out of range)";
	} else {
		json_tokener_free(tok);
		return req;
	}
	json_object_put(req);
	json_tokener_free(tok);
	return NULL;
}
