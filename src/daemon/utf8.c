// SPDX-License-Identifier: GPL-2.0-only
/*
 * utf8 - see utf8.h.
 */
#include "utf8.h"

#include <string.h>

static bool utf8_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

size_t utf8_char_len(const unsigned char *s, size_t len)
{
	unsigned char c;

	if (!len)
		return 0;
	c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return len >= 2 && utf8_cont(s[1]) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (len < 3 || !utf8_cont(s[1]) || !utf8_cont(s[2]))
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)
			return 0; /* overlong */
		if (c == 0xed && s[1] >= 0xa0)
			return 0; /* surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (len < 4 || !utf8_cont(s[1]) || !utf8_cont(s[2]) ||
		    !utf8_cont(s[3]))
			return 0;
		if (c == 0xf0 && s[1] < 0x90)
			return 0; /* overlong */
		if (c == 0xf4 && s[1] >= 0x90)
			return 0; /* above U+10FFFF */
		return 4;
	}
	return 0;
}

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_char_len(p + i, len - i);

		if (!n)
			return false;
		i += n;
	}
	return true;
}

size_t utf8_sanitize(char *s, size_t len)
{
	unsigned char *p = (unsigned char *)s;
	size_t i = 0, bad = 0;

	while (i < len) {
		size_t n = utf8_char_len(p + i, len - i);

		if (!n) {
			p[i++] = '?';
			bad++;
		} else {
			i += n;
		}
	}
	return bad;
}

/* How long a character starting with lead byte @c claims to be. */
static size_t utf8_claimed_len(unsigned char c)
{
	if (c >= 0xf0 && c <= 0xf7)
		return 4;
	if (c >= 0xe0)
		return 3;
	if (c >= 0xc0)
		return 2;
	return 1;
}

size_t utf8_truncate(char *s, size_t max)
{
	size_t len = strlen(s), back;

	if (len > max)
		len = max;
	/* Step back over a last character the cut left incomplete. */
	for (back = 1; back <= 3 && back <= len; back++) {
		unsigned char c = (unsigned char)s[len - back];

		if (utf8_cont(c))
			continue;
		if (c >= 0xc0 && c <= 0xf7 && utf8_claimed_len(c) > back)
			len -= back;
		break;
	}
	s[len] = '\0';
	return len;
}
