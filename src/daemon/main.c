// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdevd - the umdev daemon: an mdev core with the mtty parent, each device
 * served over vfio-user on <runtime>/<uuid>.sock, managed through
 * <runtime>/control.sock.  Always in the foreground; logs go to stderr and
 * "umdevd: ready" goes to stdout once both sockets listen.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "control.h"
#include "device_sockets.h"
#include "driver_loader.h"
#include "drivers/mtty/mtty_driver.h"
#include "event_loop.h"
#include "log.h"
#include "management/definition_store.h"
#include "management/service.h"
#include "runtime_dir.h"
#include "sysfs_fuse.h"
#include "umdev_version.h"

/* A poll window past a second is a mistake, not a tuning. */
#define UMDEVD_MAX_POLL_US 1000000
#ifndef UMDEV_DRIVER_DIR
#define UMDEV_DRIVER_DIR "/usr/local/lib/umdev/drivers"
#endif

#define UMDEVD_DEFAULT_MAX_DMA_MAPS 512

/* Long options without a short letter. */
enum {
	UMDEVD_OPT_MAX_DMA_MAPS = 0x100,
	UMDEVD_OPT_MAX_CONTROL_CONNS,
	UMDEVD_OPT_MAX_CONTROL_PER_PEER,
	UMDEVD_OPT_MAX_CONTROL_OUTPUT,
};

struct umdevd_options {
	const char *runtime_dir;
	const char *driver_dir;
	const char *config_dir;
	const char *sysfs_dir;
	unsigned int remove_timeout_ms;
	unsigned int max_dma_maps;
	unsigned int max_control_conns;
	unsigned int max_control_per_peer;
	unsigned int max_control_output;
	unsigned int poll_us;
	enum log_level log_level;
	/* --driver-opt DRIVER.KEY=VALUE, as given (checked in main). */
	char **driver_opts;
	unsigned int nr_driver_opts;
};

struct umdevd_signals {
	int fd;
	struct event_loop *loop;
};

static void umdevd_usage(FILE *f)
{
	fprintf(f,
		"Usage: umdevd [OPTION]...\n"
		"Serve mediated devices over vfio-user; managed with umdevctl.\n\n"
		"  --runtime-dir DIR        sockets go here (default: $UMDEV_RUNTIME_DIR,\n"
		"                           else /run/umdev as root, else $XDG_RUNTIME_DIR/umdev)\n"
		"  --driver-dir DIR         load every vendor driver DIR/*.so at start\n"
		"                           (default " UMDEV_DRIVER_DIR ")\n"
		"  --config-dir DIR         device definitions (default: $UMDEV_CONFIG_DIR,\n"
		"                           else " MGMT_CONFIG_DIR_DEFAULT
		", mdevctl's)\n"
		"  --sysfs DIR              mount the sysfs-compatible tree (FUSE) at DIR,\n"
		"                           for mdevctl and libvirt\n"
		"  --remove-timeout-ms N    force an attached client off after N ms when\n"
		"                           its device is stopped (default: never; the\n"
		"                           client is asked again every 10 s until it\n"
		"                           lets go, or umdevctl stop --force)\n"
		"  --driver-opt DRIVER.KEY=VALUE\n"
		"                           give a driver an option, e.g. mtty.ports=20000\n"
		"                           (repeatable; refused if no driver takes it)\n"
		"  --poll-us N              busy-poll up to N microseconds for the next\n"
		"                           message before sleeping; adapts to the traffic\n"
		"                           (default 0: never poll)\n"
		"Limits (docs/security.md):\n"
		"  --max-dma-maps N         DMA maps one vfio-user client may hold (%d)\n"
		"  --max-control-connections N  control connections at once (%d)\n"
		"  --max-control-per-peer N     ... from one process (%d)\n"
		"  --max-control-output BYTES   unsent replies before a control client's\n"
		"                           requests wait; %d times that disconnects (%d)\n"
		"  -v, --verbose            also log debug lines\n"
		"  -q, --quiet              log only warnings and errors\n"
		"  -h, --help               this text\n"
		"  -V, --version            print the version\n",
		UMDEVD_DEFAULT_MAX_DMA_MAPS, CONTROL_DEFAULT_MAX_CONNS,
		CONTROL_DEFAULT_MAX_CONNS_PER_PEER, CONTROL_HARD_OUTPUT_FACTOR,
		CONTROL_DEFAULT_MAX_OUTPUT);
}

/* An option's decimal value in [@min, @max]; 0 or -EINVAL (said why). */
static int umdevd_number(const char *name, const char *arg, unsigned long min,
			 unsigned long max, unsigned int *out)
{
	unsigned long val;
	char *end;

	errno = 0;
	val = strtoul(arg, &end, 10);
	if (errno || *end || end == arg || *arg == '-' || val < min ||
	    val > max) {
		fprintf(stderr,
			"umdevd: %s: not a number from %lu to %lu: %s\n", name,
			min, max, arg);
		return -EINVAL;
	}
	*out = (unsigned int)val;
	return 0;
}

static int umdevd_parse(int argc, char **argv, struct umdevd_options *opt)
{
	static const struct option longopts[] = {
		{ "runtime-dir", required_argument, NULL, 'r' },
		{ "remove-timeout-ms", required_argument, NULL, 't' },
		{ "driver-dir", required_argument, NULL, 'D' },
		{ "max-dma-maps", required_argument, NULL,
		  UMDEVD_OPT_MAX_DMA_MAPS },
		{ "max-control-connections", required_argument, NULL,
		  UMDEVD_OPT_MAX_CONTROL_CONNS },
		{ "max-control-per-peer", required_argument, NULL,
		  UMDEVD_OPT_MAX_CONTROL_PER_PEER },
		{ "max-control-output", required_argument, NULL,
		  UMDEVD_OPT_MAX_CONTROL_OUTPUT },
		{ "config-dir", required_argument, NULL, 'C' },
		{ "sysfs", required_argument, NULL, 'S' },
		{ "driver-opt", required_argument, NULL, 'O' },
		{ "poll-us", required_argument, NULL, 'P' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long val;
	char *end;
	int c, ret;

	/* Forcing a client off is the operator's choice, not a default. */
	opt->remove_timeout_ms = DEVICE_REMOVE_WAIT_FOREVER;
	opt->max_dma_maps = UMDEVD_DEFAULT_MAX_DMA_MAPS;
	opt->max_control_conns = CONTROL_DEFAULT_MAX_CONNS;
	opt->max_control_per_peer = CONTROL_DEFAULT_MAX_CONNS_PER_PEER;
	opt->max_control_output = CONTROL_DEFAULT_MAX_OUTPUT;
	opt->driver_dir = UMDEV_DRIVER_DIR;
	opt->log_level = LOG_LEVEL_INFO;
	while ((c = getopt_long(argc, argv, "vqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			opt->runtime_dir = optarg;
			break;
		case 'D':
			opt->driver_dir = optarg;
			break;
		case 'C':
			opt->config_dir = optarg;
			break;
		case 'S':
			opt->sysfs_dir = optarg;
			break;
		case 't':
			ret = umdevd_number("--remove-timeout-ms", optarg, 0,
					    INT_MAX, &opt->remove_timeout_ms);
			if (ret)
				return ret;
			break;
		case UMDEVD_OPT_MAX_DMA_MAPS:
			ret = umdevd_number("--max-dma-maps", optarg, 1, 65535,
					    &opt->max_dma_maps);
			if (ret)
				return ret;
			break;
		case UMDEVD_OPT_MAX_CONTROL_CONNS:
			ret = umdevd_number("--max-control-connections", optarg,
					    1, 65536, &opt->max_control_conns);
			if (ret)
				return ret;
			break;
		case UMDEVD_OPT_MAX_CONTROL_PER_PEER:
			ret = umdevd_number("--max-control-per-peer", optarg, 1,
					    65536, &opt->max_control_per_peer);
			if (ret)
				return ret;
			break;
		case UMDEVD_OPT_MAX_CONTROL_OUTPUT:
			ret = umdevd_number(
				"--max-control-output", optarg, 4096,
				INT_MAX / CONTROL_HARD_OUTPUT_FACTOR,
				&opt->max_control_output);
			if (ret)
				return ret;
			break;
		case 'P':
			errno = 0;
			val = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || *optarg == '-' ||
			    val > UMDEVD_MAX_POLL_US) {
				fprintf(stderr,
					"umdevd: --poll-us: not a number of microseconds from 0 to %d: %s\n",
					UMDEVD_MAX_POLL_US, optarg);
				return -EINVAL;
			}
			opt->poll_us = (unsigned int)val;
			break;
		case 'O': {
			char **opts = realloc(opt->driver_opts,
					      (opt->nr_driver_opts + 1) *
						      sizeof(*opts));

			if (!opts)
				return -ENOMEM;
			opt->driver_opts = opts;
			opts[opt->nr_driver_opts++] = optarg;
			break;
		}
		case 'v':
			opt->log_level = LOG_LEVEL_DEBUG;
			break;
		case 'q':
			opt->log_level = LOG_LEVEL_WARN;
			break;
		case 'h':
			umdevd_usage(stdout);
			exit(0);
		case 'V':
			printf("umdevd %s\n", UMDEV_VERSION);
			exit(0);
		default:
			umdevd_usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "umdevd: unexpected argument: %s\n",
			argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/* True if a daemon already answers on @path: we must not steal it. */
static bool umdevd_socket_in_use(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	bool in_use;
	int fd;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	if (strlen(path) >= sizeof(addr.sun_path))
		return false;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	in_use = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
	close(fd);
	return in_use;
}

/*
 * Readiness, announced once, in this one place: whatever main() sets up
 * before calling it (sockets listening, drivers loaded, devices started) is
 * done.  "umdevd: ready" on stdout for scripts and tests; READY=1 for
 * systemd's Type=notify (sd_notify does nothing without $NOTIFY_SOCKET).
 */
static void umdevd_announce_ready(const char *control_path)
{
	int ret;

	printf("umdevd: ready\n");
	fflush(stdout);
	ret = sd_notifyf(0, "READY=1\nSTATUS=serving %s", control_path);
	if (ret < 0)
		log_msg(LOG_LEVEL_WARN, "sd_notify READY=1: %s",
			strerror(-ret));
}

static void umdevd_signal(void *arg, uint32_t revents)
{
	struct umdevd_signals *sig = arg;
	struct signalfd_siginfo si;

	if (read(sig->fd, &si, sizeof(si)) != sizeof(si))
		return;
	/*
	 * Every one of them is a clean shutdown (docs/security.md): SIGHUP
	 * too, since a daemon whose terminal or service manager hung up
	 * has nobody left to report to and no configuration to reload.
	 */
	log_msg(LOG_LEVEL_INFO, "%s received: shutting down",
		strsignal((int)si.ssi_signo));
	sd_notify(0, "STOPPING=1");
	event_loop_stop(sig->loop);
}

/* What a terminal or a service manager sends: all a clean shutdown. */
static const int umdevd_shutdown_signals[] = { SIGTERM, SIGINT, SIGHUP,
					       SIGQUIT };

static int umdevd_signals_init(struct umdevd_signals *sig,
			       struct event_loop *loop)
{
	sigset_t mask;
	size_t i;

	/* Writes to a vanished peer must fail with EPIPE, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	for (i = 0; i < sizeof(umdevd_shutdown_signals) /
				sizeof(umdevd_shutdown_signals[0]);
	     i++) {
		/*
		 * An ignored signal is discarded, never queued for the
		 * signalfd: a shell starts background jobs with SIGINT and
		 * SIGQUIT ignored, so take the default disposition back.
		 */
		signal(umdevd_shutdown_signals[i], SIG_DFL);
		sigaddset(&mask, umdevd_shutdown_signals[i]);
	}
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	sig->loop = loop;
	sig->fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sig->fd < 0)
		return -errno;
	return event_loop_watch(loop, sig->fd, EPOLLIN, umdevd_signal, sig);
}

/*
 * Use every fd the hard limit allows: the per-client bounds, not a low
 * default soft limit, decide when a peer is refused.  Returns the limit.
 */
static rlim_t umdevd_raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur;
}

/*
 * Hand each --driver-opt DRIVER.KEY=VALUE to the core, for the drivers'
 * init.  0, or -EINVAL after a message naming the bad one.
 */
static int umdevd_set_driver_options(struct mdev_core *core,
				     const struct umdevd_options *opt)
{
	char driver[UMDEV_DRIVER_NAME_MAX + 2], *key, *value;
	unsigned int i;
	int ret;

	for (i = 0; i < opt->nr_driver_opts; i++) {
		const char *spec = opt->driver_opts[i];
		size_t len = strlen(spec);

		ret = -EINVAL;
		if (len < sizeof(driver)) {
			memcpy(driver, spec, len + 1);
			key = strchr(driver, '.');
			value = strchr(driver, '=');
			if (key && value && key < value) {
				*key++ = '\0';
				*value++ = '\0';
				ret = mdev_core_set_driver_option(core, driver,
								  key, value);
			}
		} else {
			ret = -ENAMETOOLONG;
		}
		if (ret) {
			log_msg(LOG_LEVEL_ERROR, "--driver-opt %s: %s", spec,
				ret == -EEXIST ? "given twice" :
				ret == -ENOMEM ? strerror(ENOMEM) :
						 "expected DRIVER.KEY=VALUE");
			return -EINVAL;
		}
	}
	return 0;
}

/* Every option must have been taken by a driver; else name the first. */
static int umdevd_check_driver_options(struct mdev_core *core)
{
	char why[512];

	if (!mdev_core_check_driver_options(core, why, sizeof(why)))
		return 0;
	log_msg(LOG_LEVEL_ERROR, "--driver-opt %s", why);
	return -EINVAL;
}

/* The loader removes a driver's devices as "stop" does. */
static int umdevd_remove_device(void *host, const char *uuid,
				driver_loader_removed done, void *arg)
{
	return device_sockets_stop(host, uuid, done, arg, NULL);
}

static void umdevd_driver_log(void *host, bool error, const char *msg)
{
	log_msg(error ? LOG_LEVEL_ERROR : LOG_LEVEL_INFO, "%s", msg);
}

static const struct driver_loader_host umdevd_driver_host = {
	.remove_device = umdevd_remove_device,
	.log = umdevd_driver_log,
};

int main(int argc, char **argv)
{
	struct umdevd_options opt = { 0 };
	struct umdevd_signals sig = { .fd = -1 };
	struct device_sockets_config dcfg = { 0 };
	struct control_config ccfg = { 0 };
	struct control_server *control = NULL;
	struct device_sockets *devices = NULL;
	struct driver_loader_config lcfg = { 0 };
	struct driver_loader *drivers = NULL;
	struct mgmt_service_config mcfg = { 0 };
	struct mgmt_service *mgmt = NULL;
	struct sysfs_fuse_config fcfg = { 0 };
	struct sysfs_fuse *sysfs = NULL;
	char config_dir[PATH_MAX];
	struct mdev_core *core = NULL;
	struct event_loop *loop = NULL;
	char runtime_dir[PATH_MAX], control_path[PATH_MAX], why[PATH_MAX + 256];
	rlim_t fd_limit;
	int ret, status = 1;

	if (umdevd_parse(argc, argv, &opt))
		return 2;
	log_set_level(opt.log_level);
	fd_limit = umdevd_raise_fd_limit();

	ret = runtime_dir_resolve(opt.runtime_dir, runtime_dir,
				  sizeof(runtime_dir));
	if (ret) {
		log_msg(LOG_LEVEL_ERROR,
			"no runtime directory: use --runtime-dir or set UMDEV_RUNTIME_DIR or XDG_RUNTIME_DIR (%s)",
			strerror(-ret));
		return 1;
	}
	ret = runtime_dir_prepare(runtime_dir, why, sizeof(why));
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, "runtime directory %s", why);
		return 1;
	}
	ret = runtime_dir_socket_path(runtime_dir, RUNTIME_DIR_CONTROL_SOCKET,
				      control_path, sizeof(control_path));
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, "runtime directory %s: %s",
			runtime_dir, strerror(-ret));
		return 1;
	}
	if (umdevd_socket_in_use(control_path)) {
		log_msg(LOG_LEVEL_ERROR, "another umdevd is serving %s",
			control_path);
		return 1;
	}
	ret = runtime_dir_clean_stale(runtime_dir);
	if (ret > 0)
		log_msg(LOG_LEVEL_INFO,
			"removed %d stale device socket%s left in %s", ret,
			ret == 1 ? "" : "s", runtime_dir);

	loop = event_loop_new();
	if (!loop) {
		log_msg(LOG_LEVEL_ERROR, "epoll: %s", strerror(errno));
		goto out;
	}
	event_loop_set_poll_us(loop, opt.poll_us);
	ret = umdevd_signals_init(&sig, loop);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, "signals: %s", strerror(-ret));
		goto out;
	}
	core = mdev_core_new(&event_loop_host_ops, loop);
	if (!core) {
		log_msg(LOG_LEVEL_ERROR, "mdev core: %s", strerror(errno));
		goto out;
	}
	if (umdevd_set_driver_options(core, &opt)) {
		status = 2; /* a bad command line */
		goto out;
	}
	dcfg.core = core;
	dcfg.loop = loop;
	dcfg.runtime_dir = runtime_dir;
	dcfg.remove_timeout_ms = opt.remove_timeout_ms;
	dcfg.max_dma_maps = opt.max_dma_maps;
	devices = device_sockets_new(&dcfg);
	if (!devices) {
		log_msg(LOG_LEVEL_ERROR, "devices: %s", strerror(errno));
		goto out;
	}
	lcfg.core = core;
	lcfg.host = &umdevd_driver_host;
	lcfg.host_data = devices;
	lcfg.loop = &event_loop_host_ops;
	lcfg.loop_data = loop;
	drivers = driver_loader_new(&lcfg);
	if (!drivers) {
		log_msg(LOG_LEVEL_ERROR, "drivers: %s", strerror(errno));
		goto out;
	}
	/* The built-in mtty enters through the same ABI as loaded drivers. */
	ret = driver_loader_add_builtin(drivers, &mtty_builtin_entry, NULL, 0);
	if (ret) {
		if (umdevd_check_driver_options(core))
			status = 2;
		goto out;
	}
	/* A refused driver is logged; the daemon serves the others. */
	driver_loader_load_dir(drivers, opt.driver_dir);
	/* ...but a daemon started with options nobody took is a mistake. */
	if (umdevd_check_driver_options(core)) {
		status = 2;
		goto out;
	}
	ret = mgmt_store_resolve(opt.config_dir, config_dir,
				 sizeof(config_dir));
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, "config directory: %s",
			strerror(-ret));
		goto out;
	}
	mcfg.core = core;
	mcfg.devices = devices;
	mcfg.config_dir = config_dir;
	mgmt = mgmt_service_new(&mcfg);
	if (!mgmt) {
		log_msg(LOG_LEVEL_ERROR, "management: %s", strerror(errno));
		goto out;
	}
	/* A malformed definition is logged and skipped, never fatal. */
	mgmt_service_load(mgmt);
	if (opt.sysfs_dir) {
		fcfg.mountpoint = opt.sysfs_dir;
		fcfg.loop = loop;
		fcfg.core = core;
		fcfg.devices = devices;
		fcfg.mgmt = mgmt;
		sysfs = sysfs_fuse_new(&fcfg);
		if (!sysfs) {
			log_msg(LOG_LEVEL_ERROR, "--sysfs %s: %s",
				opt.sysfs_dir, strerror(errno));
			goto out;
		}
	}
	ccfg.socket_path = control_path;
	ccfg.loop = loop;
	ccfg.core = core;
	ccfg.devices = devices;
	ccfg.max_conns = opt.max_control_conns;
	ccfg.max_conns_per_peer = opt.max_control_per_peer;
	ccfg.max_output = opt.max_control_output;
	ccfg.loader = drivers;
	ccfg.mgmt = mgmt;
	control = control_server_new(&ccfg);
	if (!control) {
		log_msg(LOG_LEVEL_ERROR, "control socket %s: %s", control_path,
			strerror(errno));
		goto out;
	}

	log_msg(LOG_LEVEL_INFO, "listening on %s (pid %d, %llu fds)",
		control_path, (int)getpid(), (unsigned long long)fd_limit);
	/* Every registered parent's auto definitions, once. */
	mgmt_service_parents_changed(mgmt);
	umdevd_announce_ready(control_path);

	ret = event_loop_run(loop);
	if (ret)
		log_msg(LOG_LEVEL_ERROR, "event loop: %s", strerror(-ret));
	else
		status = 0;
	if (opt.poll_us) {
		struct event_loop_poll_stats st;

		event_loop_get_poll_stats(loop, &st);
		log_msg(LOG_LEVEL_INFO,
			"polling: %llu waits found events while polling, %llu slept",
			(unsigned long long)st.poll_hits,
			(unsigned long long)st.sleeps);
	}
out:
	/* Control first: nobody may start devices while they go away. */
	control_server_free(control);
	device_sockets_free(devices);
	/* After the devices: pending `remove` writes got their answers. */
	sysfs_fuse_free(sysfs);
	mgmt_service_free(mgmt);
	driver_loader_free(drivers);
	if (core)
		mdev_core_free(core);
	if (sig.fd >= 0) {
		event_loop_unwatch(loop, sig.fd);
		close(sig.fd);
	}
	event_loop_free(loop);
	free(opt.driver_opts);
	if (!status)
		log_msg(LOG_LEVEL_INFO, "stopped");
	return status;
}
