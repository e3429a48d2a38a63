// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtty driver: registration, probe/remove with port accounting, and the
 * migration helpers.  Like the kernel sample, 24 ports (option "ports":
 * up to MTTY_DRIVER_MAX_PORTS) are shared by all devices of a parent; an
 * mtty-2 device takes two of them.
 */
#include <errno.h>
#include <stdlib.h>

#include "mtty_driver.h"
#include "mtty_state.h"

static const struct mtty_type_info mtty_one_port = { .nr_ports = 1 };
static const struct mtty_type_info mtty_two_ports = { .nr_ports = 2 };

static const struct mdev_type_desc mtty_types[] = {
	{
		.name = "1",
		.pretty_name = "Single port serial",
		.device_api = "vfio-pci",
		.driver_data = &mtty_one_port,
	},
	{
		.name = "2",
		.pretty_name = "Dual port serial",
		.device_api = "vfio-pci",
		.driver_data = &mtty_two_ports,
	},
};

static unsigned int mtty_type_ports(struct mdev_type *type)
{
	const struct mtty_type_info *info = mdev_type_get_data(type);

	return info->nr_ports;
}

static unsigned int mtty_get_available(struct mdev_type *type)
{
	struct mtty_parent *parent =
		mdev_parent_get_data(mdev_type_parent(type));

	return parent->free_ports / mtty_type_ports(type);
}

static void mtty_timer_fn(void *arg)
{
	struct mtty_port_timer *t = arg;

	if (mtty_mig_hold_timer(t->state, t->port))
		return; /* stopped: replayed on restart */
	mtty_model_timer_expired(&t->state->model, t->port);
}

static void mtty_state_free(struct mdev_state *state)
{
	unsigned int i;

	/* The triggers first: releasing them leaves the model's IRQ mode. */
	umdev_irqs_free(state->irqs);
	for (i = 0; i < MTTY_MAX_PORTS; i++)
		mdev_timer_free(state->timers[i].timer);
	mtty_mig_free(state);
	free(state);
}

int mtty_port_timer_arm(struct mtty_port_timer *t, uint64_t delay_ns)
{
	if (!t->timer) {
		if (!delay_ns)
			return 0; /* never armed: nothing to cancel */
		t->timer = mdev_timer_new(t->state->mdev, mtty_timer_fn, t);
		if (!t->timer)
			return -errno;
	}
	return mdev_timer_arm(t->timer, delay_ns);
}

/* Bind a new device: take its ports, build its state and model. */
static int mtty_probe(struct mdev_device *mdev)
{
	struct mtty_parent *parent = mdev_parent_get_data(mdev_parent_of(mdev));
	unsigned int nr_ports = mtty_type_ports(mdev_type_of(mdev));
	struct mdev_state *state;
	unsigned int i;
	int ret;

	if (parent->free_ports < nr_ports)
		return -EUSERS;
	state = calloc(1, sizeof(*state));
	if (!state)
		return -ENOMEM;
	state->mdev = mdev;
	state->parent = parent;
	state->mig.state = VFIO_DEVICE_STATE_RUNNING;
	/* Each port's timer (a timerfd) is made when the model first arms
	 * it (mtty_port_timer_arm()): an idle device holds no fd for it. */
	for (i = 0; i < nr_ports; i++) {
		state->timers[i].state = state;
		state->timers[i].port = i;
	}
	ret = mtty_model_init(&state->model, nr_ports, &mtty_model_host, state);
	if (ret) {
		mtty_state_free(state);
		return ret;
	}
	state->irqs = mtty_irqs_new(state);
	if (!state->irqs) {
		ret = -errno;
		mtty_state_free(state);
		return ret;
	}
	parent->free_ports -= nr_ports;
	mdev_set_drvdata(mdev, state);
	return 0;
}

static void mtty_remove(struct mdev_device *mdev)
{
	struct mdev_state *state = mdev_get_drvdata(mdev);

	state->parent->free_ports += state->model.nr_ports;
	mdev_set_drvdata(mdev, NULL);
	mtty_state_free(state);
}

static void mtty_release_parent(struct mdev_parent *parent)
{
	free(mdev_parent_get_data(parent));
}

static const struct mdev_driver mtty_driver = {
	.name = MTTY_DRIVER_NAME,
	.device_ops = &mtty_device_ops,
	.probe = mtty_probe,
	.remove = mtty_remove,
	.get_available = mtty_get_available,
	.release_parent = mtty_release_parent,
};

/**
 * mtty_driver_register_ports() - register parent "mtty" (types mtty-1,
 * mtty-2) sharing @nr_ports ports on @core.
 * Return: 0; -EINVAL for 0 ports; -EEXIST if @core has a parent "mtty";
 * -ENOMEM.
 */
int mtty_driver_register_ports(struct mdev_core *core, unsigned int nr_ports)
{
	struct mtty_parent *parent;
	int ret;

	if (!nr_ports)
		return -EINVAL;
	parent = calloc(1, sizeof(*parent));
	if (!parent)
		return -ENOMEM;
	parent->free_ports = nr_ports;
	ret = mdev_register_parent(core, MTTY_DRIVER_NAME, &mtty_driver,
				   mtty_types,
				   sizeof(mtty_types) / sizeof(mtty_types[0]),
				   parent, NULL);
	if (ret)
		free(parent);
	return ret;
}

/** mtty_driver_register() - parent "mtty" with the kernel sample's 24 ports. */
int mtty_driver_register(struct mdev_core *core)
{
	return mtty_driver_register_ports(core, MTTY_DRIVER_TOTAL_PORTS);
}

/**
 * mtty_driver_init() - the entry point's init: register parent "mtty" with
 * the ports of option "ports" (umdevd --driver-opt mtty.ports=N), else 24.
 * Return: 0; -EINVAL for a bad "ports" value; -EEXIST or -ENOMEM.
 */
int mtty_driver_init(struct mdev_core *core, void **priv)
{
	unsigned long ports = MTTY_DRIVER_TOTAL_PORTS;
	int ret;

	ret = umdev_driver_option_uint(core, MTTY_DRIVER_NAME, "ports", 1,
				       MTTY_DRIVER_MAX_PORTS, &ports);
	if (ret)
		return ret;
	return mtty_driver_register_ports(core, (unsigned int)ports);
}

/** mtty_driver_exit() - unregister parent "mtty" (release_parent frees). */
void mtty_driver_exit(struct mdev_core *core, void *priv)
{
	struct mdev_parent *parent =
		mdev_core_find_parent(core, MTTY_DRIVER_NAME);

	if (parent && mdev_parent_driver(parent) == &mtty_driver)
		mdev_unregister_parent(parent);
}

const struct umdev_driver_entry mtty_builtin_entry = {
	.abi_major = UMDEV_DRIVER_ABI_MAJOR,
	.abi_minor = UMDEV_DRIVER_ABI_MINOR,
	.name = MTTY_DRIVER_NAME,
	.init = mtty_driver_init,
	.exit = mtty_driver_exit,
};

size_t mtty_driver_migration_size(struct mdev_device *mdev)
{
	struct mdev_state *state = mdev_get_drvdata(mdev);

	return mtty_model_migration_size(&state->model);
}

/**
 * mtty_driver_save() - @mdev's state as the model's migration stream.
 * Return: bytes written, or -ENOSPC if @len is too small.
 */
int mtty_driver_save(struct mdev_device *mdev, void *buf, size_t len)
{
	struct mdev_state *state = mdev_get_drvdata(mdev);

	return (int)mtty_model_save(&state->model, buf, len);
}

/**
 * mtty_driver_restore() - load a stream from mtty_driver_save(); on
 * refusal the device is untouched and *@why says why.
 * Return: 0, -EINVAL or -EPROTONOSUPPORT (see mtty_model_restore()).
 */
int mtty_driver_restore(struct mdev_device *mdev, const void *buf, size_t len,
			const char **why)
{
	struct mdev_state *state = mdev_get_drvdata(mdev);

	return mtty_model_restore(&state->model, buf, len, why);
}
