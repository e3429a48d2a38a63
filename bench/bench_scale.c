// SPDX-License-Identifier: GPL-2.0-only
/*
 * umdev-bench: scale, measured in-process with the core API and the
 * vfio-user server (what umdevd does for a control-socket start/stop, minus
 * the JSON): the cost of creating and removing one device while 100, 1,000
 * and 10,000 others exist, each with its listening socket; and the memory
 * each idle device costs (process RSS, and kernel slab for its socket).
 *
 * The devices belong to a null driver, so this measures the core and the
 * server alone; bench/run measures the same through umdevd (10,000 mtty
 * devices, umdevd --driver-opt mtty.ports=N) with umdevctl.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <umdev/mdev_host.h>

#include "bench.h"
#include "vfio-user/server.h"

#define SCALE_MAX 10000

static const unsigned int bench_levels[] = { 100, 1000, 10000 };

struct bench_null {
	uint8_t regs[8];
};

static int null_open(struct mdev_device *mdev)
{
	return 0;
}

static void null_close(struct mdev_device *mdev)
{
}

static int null_get_info(struct mdev_device *mdev,
			 struct vfio_device_info *info)
{
	info->flags = VFIO_DEVICE_FLAGS_PCI;
	info->num_regions = VFIO_PCI_NUM_REGIONS;
	info->num_irqs = VFIO_PCI_NUM_IRQS;
	return 0;
}

static int null_get_region_info(struct mdev_device *mdev,
				struct vfio_region_info *info)
{
	info->size = info->index == VFIO_PCI_BAR0_REGION_INDEX ? 8 : 0;
	info->flags = info->size ? VFIO_REGION_INFO_FLAG_READ |
					   VFIO_REGION_INFO_FLAG_WRITE :
				   0;
	return 0;
}

static int null_get_irq_info(struct mdev_device *mdev,
			     struct vfio_irq_info *info)
{
	info->flags = 0;
	info->count = 0;
	return 0;
}

static int null_set_irqs(struct mdev_device *mdev,
			 const struct vfio_irq_set *set, const void *data)
{
	return -EINVAL;
}

static long null_read(struct mdev_device *mdev, uint32_t index, uint64_t offset,
		      void *buf, uint32_t count)
{
	memset(buf, 0, count);
	return count;
}

static long null_write(struct mdev_device *mdev, uint32_t index,
		       uint64_t offset, const void *buf, uint32_t count)
{
	return count;
}

static const struct umdev_device_ops null_ops = {
	.open = null_open,
	.close = null_close,
	.get_info = null_get_info,
	.get_region_info = null_get_region_info,
	.get_irq_info = null_get_irq_info,
	.set_irqs = null_set_irqs,
	.read = null_read,
	.write = null_write,
};

/* Per-device state like a small driver's: allocated in probe. */
static int null_probe(struct mdev_device *mdev)
{
	struct bench_null *n = calloc(1, sizeof(*n));

	if (!n)
		return -ENOMEM;
	mdev_set_drvdata(mdev, n);
	return 0;
}

static void null_remove(struct mdev_device *mdev)
{
	free(mdev_get_drvdata(mdev));
}

static const struct mdev_driver null_driver = {
	.name = "benchnull",
	.device_ops = &null_ops,
	.probe = null_probe,
	.remove = null_remove,
};

static const struct mdev_type_desc null_types[] = {
	{ .name = "1",
	  .pretty_name = "bench null device",
	  .device_api = "vfio-pci",
	  .max_instances = 2 * SCALE_MAX },
};

/* A loop that watches nothing: the servers only need to listen. */
static int loop_watch(void *loop, int fd, uint32_t events,
		      void (*cb)(void *arg, uint32_t revents), void *arg)
{
	return 0;
}

static int loop_modify(void *loop, int fd, uint32_t events)
{
	return 0;
}

static void loop_unwatch(void *loop, int fd)
{
}

static const struct vu_loop_ops null_loop = {
	.watch = loop_watch,
	.modify = loop_modify,
	.unwatch = loop_unwatch,
};

struct bench_scale {
	struct mdev_core *core;
	char dir[64];
	struct vu_server **servers;
	unsigned int nr;
};

static void bench_uuid(char *out, unsigned int i)
{
	snprintf(out, MDEV_UUID_STRLEN + 1, "%08x-0000-4000-8000-%012x", i,
		 i * 7919u);
}

/* Create device @i with its server; 0 or -errno. */
static int bench_scale_add(struct bench_scale *s, unsigned int i,
			   struct vu_server **out)
{
	char uuid[MDEV_UUID_STRLEN + 1], path[128];
	struct vu_server_config cfg = { .loop = &null_loop };
	struct mdev_device *mdev;
	int ret;

	bench_uuid(uuid, i);
	ret = mdev_core_create(s->core, uuid, "benchnull", "benchnull-1",
			       &mdev);
	if (ret < 0)
		return ret;
	snprintf(path, sizeof(path), "%s/%s.sock", s->dir, uuid);
	cfg.socket_path = path;
	cfg.mdev = mdev;
	*out = vu_server_new(&cfg);
	if (!*out) {
		ret = -errno;
		mdev_core_remove(s->core, uuid);
		return ret;
	}
	return 0;
}

static int bench_scale_del(struct bench_scale *s, unsigned int i,
			   struct vu_server *server)
{
	char uuid[MDEV_UUID_STRLEN + 1];

	bench_uuid(uuid, i);
	vu_server_free(server);
	return mdev_core_remove(s->core, uuid);
}

/* One create+remove of a device that did not exist. */
static int64_t bench_scale_cycle(void *ctx, uint64_t i)
{
	struct bench_scale *s = ctx;
	struct vu_server *server;
	uint64_t t0 = bench_now_ns();
	int ret;

	/* UUIDs above the population's, never reused while present. */
	ret = bench_scale_add(s, SCALE_MAX + 1 + (unsigned int)(i % 4096),
			      &server);
	if (!ret)
		ret = bench_scale_del(
			s, SCALE_MAX + 1 + (unsigned int)(i % 4096), server);
	if (ret < 0)
		return ret;
	return (int64_t)(bench_now_ns() - t0);
}

/* Core only: mdev_core_create + mdev_core_remove. */
static int64_t bench_scale_core_cycle(void *ctx, uint64_t i)
{
	struct bench_scale *s = ctx;
	char uuid[MDEV_UUID_STRLEN + 1];
	uint64_t t0;
	int ret;

	bench_uuid(uuid, 3 * SCALE_MAX + (unsigned int)(i % 4096));
	t0 = bench_now_ns();
	ret = mdev_core_create(s->core, uuid, "benchnull", "benchnull-1", NULL);
	if (!ret)
		ret = mdev_core_remove(s->core, uuid);
	if (ret < 0)
		return ret;
	return (int64_t)(bench_now_ns() - t0);
}

/* A "Name:  N kB" field of a /proc file, in bytes; -1 if absent. */
static long long bench_proc_kb(const char *file, const char *field)
{
	char line[256];
	size_t len = strlen(field);
	long long v = -1;
	FILE *f = fopen(file, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':') {
			v = atoll(line + len + 1) * 1024;
			break;
		}
	fclose(f);
	return v;
}

static void bench_scale_print(const char *label, struct bench_summary *sm,
			      unsigned int nr)
{
	char name[64];

	snprintf(name, sizeof(name), "%s @ %u devices (us)", label, nr);
	printf("%-34s %9.2f %9.2f %29zu\n", name, sm->median / 1e3,
	       sm->p99 / 1e3, sm->n);
}

/* A core with @nr devices, each with its server; 0 or -errno. */
static int bench_scale_setup(struct bench_scale *s, unsigned int nr)
{
	int ret;

	strcpy(s->dir, "/tmp/umdev-bench-scale.XXXXXX");
	if (!mkdtemp(s->dir)) {
		s->dir[0] = '\0';
		return -errno;
	}
	s->servers = calloc(nr, sizeof(*s->servers));
	s->core = mdev_core_new(NULL, NULL);
	if (!s->servers || !s->core)
		return -ENOMEM;
	ret = mdev_register_parent(s->core, "benchnull", &null_driver,
				   null_types, 1, NULL, NULL);
	while (!ret && s->nr < nr) {
		ret = bench_scale_add(s, s->nr, &s->servers[s->nr]);
		if (!ret)
			s->nr++;
	}
	return ret;
}

static void bench_scale_teardown(struct bench_scale *s)
{
	while (s->nr) {
		s->nr--;
		bench_scale_del(s, s->nr, s->servers[s->nr]);
	}
	if (s->core)
		mdev_core_free(s->core);
	free(s->servers);
	if (s->dir[0])
		rmdir(s->dir);
}

/*
 * Three cores hold 100, 1,000 and 10,000 devices at once, so the levels
 * are measured side by side (round-robin blocks), like a figure and its
 * floor: the same noise hits every level.
 */
int bench_scale(const struct bench_opts *o)
{
	struct bench_series cyc[3], core[3];
	struct bench_summary cs[3], ks[3];
	struct bench_scale s[3] = { 0 };
	struct bench_arm arms[6];
	struct rlimit rl;
	long long rss0, rss1, slab0, slab1;
	unsigned int lv, big = bench_levels[2];
	int ret = 0;
	char names[2][3][32];

	/* One listening socket per device: raise the soft limit. */
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	if (rl.rlim_cur < 11100 + 256 || setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		fprintf(stderr, "umdev-bench: scale: RLIMIT_NOFILE %llu: %s\n",
			(unsigned long long)rl.rlim_cur, strerror(errno));
		return -EMFILE;
	}
	memset(cyc, 0, sizeof(cyc));
	memset(core, 0, sizeof(core));
	for (lv = 0; lv < 2 && !ret; lv++)
		ret = bench_scale_setup(&s[lv], bench_levels[lv]);
	/* Memory: what the 10,000 devices of the last core add. */
	rss0 = bench_proc_kb("/proc/self/status", "VmRSS");
	slab0 = bench_proc_kb("/proc/meminfo", "Slab");
	if (!ret)
		ret = bench_scale_setup(&s[2], big);
	rss1 = bench_proc_kb("/proc/self/status", "VmRSS");
	slab1 = bench_proc_kb("/proc/meminfo", "Slab");

	for (lv = 0; lv < 3 && !ret; lv++) {
		snprintf(names[0][lv], sizeof(names[0][lv]), "scale-%u",
			 bench_levels[lv]);
		snprintf(names[1][lv], sizeof(names[1][lv]), "scale-core-%u",
			 bench_levels[lv]);
		ret = bench_series_init(&cyc[lv], names[0][lv], o->scale_iters);
		if (!ret)
			ret = bench_series_init(&core[lv], names[1][lv],
						o->scale_iters);
		arms[2 * lv] = (struct bench_arm){ bench_scale_cycle, &s[lv],
						   &cyc[lv] };
		arms[2 * lv + 1] = (struct bench_arm){ bench_scale_core_cycle,
						       &s[lv], &core[lv] };
	}
	if (!ret)
		ret = bench_interleave_arms(arms, 6, o->scale_iters,
					    o->scale_iters / 20);
	if (ret)
		goto out;

	for (lv = 0; lv < 3; lv++) {
		bench_summarise(&cyc[lv], &cs[lv]);
		bench_summarise(&core[lv], &ks[lv]);
		bench_write_quantiles(&cyc[lv], o->out);
		bench_write_quantiles(&core[lv], o->out);
		bench_scale_print("create+remove+socket", &cs[lv],
				  bench_levels[lv]);
		bench_scale_print("create+remove core only", &ks[lv],
				  bench_levels[lv]);
	}
	printf("BENCH scale_inproc_create_remove_%s_10000dev_vs_100dev value=%.0f floor=%.0f ratio=%.3f target=1.20 %s\n",
	       o->placement, cs[2].median, cs[0].median,
	       cs[2].median / cs[0].median,
	       cs[2].median / cs[0].median <= 1.2 ? "MET" : "MISSED");
	printf("BENCH scale_inproc_core_create_remove_%s_10000dev_vs_100dev value=%.0f floor=%.0f ratio=%.3f target=1.20 %s\n",
	       o->placement, ks[2].median, ks[0].median,
	       ks[2].median / ks[0].median,
	       ks[2].median / ks[0].median <= 1.2 ? "MET" : "MISSED");
	printf("%-34s %9.0f B/device RSS, %.0f B/device kernel slab (%u devices)\n",
	       "memory: idle device, in-process", (double)(rss1 - rss0) / big,
	       (double)(slab1 - slab0) / big, big);
	printf("BENCH inproc_rss_per_device_bytes value=%.0f floor=NA ratio=NA target=4096 %s\n",
	       (double)(rss1 - rss0) / big,
	       (rss1 - rss0) / big <= 4096 ? "MET" : "MISSED");
	printf("INFO inproc_slab_per_device_bytes value=%.0f\n",
	       (double)(slab1 - slab0) / big);
	if (o->out) {
		char path[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/scale.dat", o->out);
		f = fopen(path, "w");
		if (f) {
			fprintf(f,
				"# devices median_us p99_us core_median_us core_p99_us\n");
			for (lv = 0; lv < 3; lv++)
				fprintf(f, "%u %.3f %.3f %.3f %.3f\n",
					bench_levels[lv], cs[lv].median / 1e3,
					cs[lv].p99 / 1e3, ks[lv].median / 1e3,
					ks[lv].p99 / 1e3);
			fclose(f);
		}
	}
out:
	for (lv = 0; lv < 3; lv++) {
		bench_series_free(&cyc[lv]);
		bench_series_free(&core[lv]);
		bench_scale_teardown(&s[lv]);
	}
	if (ret)
		fprintf(stderr, "umdev-bench: scale: %s\n", strerror(-ret));
	return ret;
}
