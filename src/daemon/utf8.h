/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * utf8 - UTF-8 checks for text that crosses a trust boundary: what umdevd
 * puts in a control reply, what umdevctl prints from one.  Well-formed
 * means RFC 3629: shortest form, no surrogates, nothing above U+10FFFF.
 */
#ifndef UMDEV_DAEMON_UTF8_H
#define UMDEV_DAEMON_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/**
 * utf8_char_len() - length of the well-formed character at @s (@len bytes
 * available), or 0 if the bytes there are not one.
 */
size_t utf8_char_len(const unsigned char *s, size_t len);

/** utf8_valid() - true if the @len bytes at @s are well-formed UTF-8. */
bool utf8_valid(const char *s, size_t len);

/**
 * utf8_sanitize() - replace, in place, every byte of @s that is not part
 * of a well-formed character by '?'.  ASCII is left alone, so JSON text
 * stays valid JSON.  Return: how many bytes were replaced.
 */
size_t utf8_sanitize(char *s, size_t len);

/**
 * utf8_truncate() - cut the NUL-terminated @s to at most @max bytes and
 * drop a last character that is incomplete (what a byte-counting cut such
 * as snprintf's or "%.64s" leaves).  Return: the new length.
 */
size_t utf8_truncate(char *s, size_t max);

#endif
