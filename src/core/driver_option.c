// SPDX-License-Identifier: GPL-2.0-only
/*
 * driver_option - options the host gives its drivers (umdevd --driver-opt
 * DRIVER.KEY=VALUE), kept on the core until the driver asks for them in
 * its init.  Each option remembers whether a driver asked for it and
 * whether the driver refused its value, so the host can refuse options no
 * driver takes and name a bad value with the driver's reason.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <umdev/driver.h>

#include "core_internal.h"

/* Longest key and value accepted (without the NUL). */
#define MDEV_DRIVER_OPTION_KEY_MAX 63
#define MDEV_DRIVER_OPTION_VALUE_MAX 255
#define MDEV_DRIVER_OPTION_WHY_MAX 128

struct mdev_driver_option {
	char *driver, *key, *value;
	bool asked;
	char *why; /* the driver's reason for refusing the value, or NULL */
	struct mdev_driver_option *next;
};

static bool mdev_option_name_ok(const char *s, size_t max)
{
	return s && *s && strlen(s) <= max && !strpbrk(s, ".= \t\n");
}

static struct mdev_driver_option *
mdev_option_find(struct mdev_core *core, const char *driver, const char *key)
{
	struct mdev_driver_option *o;

	if (!core || !driver || !key)
		return NULL;
	for (o = core->options; o; o = o->next)
		if (!strcmp(o->driver, driver) && !strcmp(o->key, key))
			return o;
	return NULL;
}

/**
 * mdev_core_set_driver_option() - give driver @driver the option @key =
 * @value (umdevd --driver-opt).  Set it before the driver is entered.
 * Return: 0; -EINVAL for an empty or over-long name or value or one with
 * '.', '=' or blanks in the names; -EEXIST if @driver.@key is already set;
 * -ENOMEM.
 */
int mdev_core_set_driver_option(struct mdev_core *core, const char *driver,
				const char *key, const char *value)
{
	struct mdev_driver_option *o, **tail;

	if (!core || !mdev_option_name_ok(driver, UMDEV_DRIVER_NAME_MAX) ||
	    !mdev_option_name_ok(key, MDEV_DRIVER_OPTION_KEY_MAX) || !value ||
	    strlen(value) > MDEV_DRIVER_OPTION_VALUE_MAX)
		return -EINVAL;
	if (mdev_option_find(core, driver, key))
		return -EEXIST;
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->driver = strdup(driver);
	o->key = strdup(key);
	o->value = strdup(value);
	if (!o->driver || !o->key || !o->value) {
		free(o->driver);
		free(o->key);
		free(o->value);
		free(o);
		return -ENOMEM;
	}
	for (tail = &core->options; *tail; tail = &(*tail)->next)
		;
	*tail = o;
	return 0;
}

/**
 * mdev_core_check_driver_options() - after the drivers were entered: did
 * a driver ask for every option, and accept its value?
 * Return: 0; -EINVAL for the first option that no driver asked for or
 * whose value its driver refused, with a message naming it in @why.
 */
int mdev_core_check_driver_options(struct mdev_core *core, char *why,
				   size_t len)
{
	struct mdev_driver_option *o;

	for (o = core ? core->options : NULL; o; o = o->next) {
		if (o->why) {
			if (len)
				snprintf(why, len, "%s.%s=%s: %s", o->driver,
					 o->key, o->value, o->why);
			return -EINVAL;
		}
		if (!o->asked) {
			if (len)
				snprintf(
					why, len,
					"%s.%s=%s: no loaded driver \"%s\" takes an option \"%s\"",
					o->driver, o->key, o->value, o->driver,
					o->key);
			return -EINVAL;
		}
	}
	return 0;
}

/* core.c's teardown: drop every option. */
void mdev_driver_options_free(struct mdev_core *core)
{
	while (core->options) {
		struct mdev_driver_option *o = core->options;

		core->options = o->next;
		free(o->driver);
		free(o->key);
		free(o->value);
		free(o->why);
		free(o);
	}
}

const char *umdev_driver_option(struct mdev_core *core, const char *driver,
				const char *key)
{
	struct mdev_driver_option *o = mdev_option_find(core, driver, key);

	if (!o)
		return NULL;
	o->asked = true;
	return o->value;
}

int umdev_driver_option_invalid(struct mdev_core *core, const char *driver,
				const char *key, const char *why)
{
	struct mdev_driver_option *o = mdev_option_find(core, driver, key);
	char *copy;

	if (!o)
		return -EINVAL;
	o->asked = true;
	copy = strndup(why && *why ? why : "invalid value",
		       MDEV_DRIVER_OPTION_WHY_MAX);
	if (copy) {
		free(o->why);
		o->why = copy;
	}
	return -EINVAL;
}

int umdev_driver_option_uint(struct mdev_core *core, const char *driver,
			     const char *key, unsigned long min,
			     unsigned long max, unsigned long *val)
{
	const char *s = umdev_driver_option(core, driver, key);
	char why[MDEV_DRIVER_OPTION_WHY_MAX];
	unsigned long v;
	char *end;

	if (!s)
		return 0;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || errno || *end || v < min || v > max) {
		snprintf(why, sizeof(why), "not a whole number from %lu to %lu",
			 min, max);
		return umdev_driver_option_invalid(core, driver, key, why);
	}
	*val = v;
	return 0;
}
