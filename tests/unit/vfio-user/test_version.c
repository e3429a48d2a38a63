// SPDX-License-Identifier: GPL-2.0-only
/* VERSION negotiation: QEMU's exact proposal, and every refusal. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vfio-user/version.h"
#include "vfio-user/wire.h"

/* What QEMU 10.1's vfio-user-pci sends, byte for byte. */
static const char qemu_json[] =
	"{\"capabilities\":{\"migration\":{\"pgsize\":4096,"
	"\"max_bitmap_size\":268435456},\"max_msg_fds\":16,"
	"\"max_data_xfer_size\":1048576,\"pgsizes\":4096,"
	"\"max_dma_maps\":65535,\"write_multiple\":true}}";

static struct vu_caps ours = {
	.max_msg_fds = VU_MAX_MSG_FDS,
	.max_data_xfer_size = VU_MAX_DATA_XFER,
	.pgsizes = VU_PGSIZES,
	.max_dma_maps = VU_MAX_DMA_MAPS,
	.write_multiple = true,
	.present = VU_CAP_ALL,
};

/* A VERSION payload: major, minor, then @json_len bytes of @json. */
static size_t mk(uint8_t *buf, uint16_t major, uint16_t minor, const char *json,
		 size_t json_len)
{
	struct vu_version v = { .major = major, .minor = minor };

	memcpy(buf, &v, sizeof(v));
	memcpy(buf + sizeof(v), json, json_len);
	return sizeof(v) + json_len;
}

static size_t mks(uint8_t *buf, const char *json)
{
	return mk(buf, 0, 0, json, strlen(json) + 1);
}

static int negotiate(const uint8_t *buf, size_t len, struct vu_caps *agreed,
		     uint16_t *minor)
{
	const char *why = NULL;
	int ret = vu_version_negotiate(buf, len, &ours, agreed, minor, &why);

	assert_non_null(why);
	return ret;
}

static void test_qemu_string(void **state)
{
	uint8_t buf[1024], out[1024];
	struct vu_caps agreed, back, parsed;
	const char *why;
	uint16_t minor = 99, major;
	size_t len = mks(buf, qemu_json);
	int n;

	(void)state;
	assert_int_equal(
		vu_version_parse(buf, len, &major, &minor, &parsed, &why), 0);
	assert_int_equal(parsed.max_msg_fds, 16);
	assert_int_equal(parsed.max_data_xfer_size, 1048576);
	assert_int_equal(parsed.pgsizes, 4096);
	assert_int_equal(parsed.max_dma_maps, 65535);
	assert_true(parsed.write_multiple);
	assert_true(parsed.migration);

	assert_int_equal(negotiate(buf, len, &agreed, &minor), 0);
	assert_int_equal(minor, 0);
	assert_true(agreed.write_multiple);
	assert_int_equal(agreed.max_data_xfer_size, 1048576);
	assert_int_equal(agreed.max_msg_fds, VU_MAX_MSG_FDS);
	assert_int_equal(agreed.max_dma_maps, VU_MAX_DMA_MAPS);

	n = vu_version_format(0, minor, &agreed, out, sizeof(out));
	assert_true(n > 4);
	assert_int_equal(out[n - 1], '\0');
	/* The reply offers nothing QEMU did not ask for: no migration. */
	assert_null(strstr((char *)out + 4, "migration"));
	assert_non_null(strstr((char *)out + 4, "\"write_multiple\":true"));
	assert_int_equal(vu_version_parse(out, n, &major, &minor, &back, &why),
			 0);
	assert_int_equal(major, 0);
	assert_int_equal(back.max_msg_fds, VU_MAX_MSG_FDS);
	assert_int_equal(back.max_data_xfer_size, 1048576);
	assert_int_equal(back.pgsizes, 4096);
	assert_int_equal(back.max_dma_maps, VU_MAX_DMA_MAPS);
	assert_true(back.write_multiple);
}

static void test_subset_and_minor(void **state)
{
	uint8_t buf[512], out[512];
	struct vu_caps agreed;
	uint16_t minor;
	size_t len;
	int n;

	(void)state;
	len = mk(buf, 0, 7, "{\"capabilities\":{\"max_data_xfer_size\":4096}}",
		 sizeof("{\"capabilities\":{\"max_data_xfer_size\":4096}}"));
	assert_int_equal(negotiate(buf, len, &agreed, &minor), 0);
	assert_int_equal(minor, 0); /* never above the client's, nor ours */
	assert_int_equal(agreed.max_data_xfer_size, 4096);
	assert_false(agreed.write_multiple); /* not asked for */
	n = vu_version_format(0, minor, &agreed, out, sizeof(out));
	assert_true(n > 0);
	/* The reply is a subset of the proposal: only the one key. */
	assert_string_equal((char *)out + 4,
			    "{\"capabilities\":{\"max_data_xfer_size\":4096}}");

	/* No JSON at all: the spec's defaults. */
	len = mk(buf, 0, 0, "", 0);
	assert_int_equal(negotiate(buf, len, &agreed, &minor), 0);
	assert_int_equal(agreed.max_data_xfer_size, VU_DEFAULT_DATA_XFER);
	assert_false(agreed.write_multiple);
	/* ... and the server's defaults agree, so nothing needs saying. */
	assert_int_equal(agreed.max_dma_maps, 65535);
	assert_int_equal(agreed.pgsizes, 4096);
	n = vu_version_format(0, minor, &agreed, out, sizeof(out));
	assert_string_equal((char *)out + 4, "{\"capabilities\":{}}");

	/* Page sizes: what both support. */
	len = mks(buf, "{\"capabilities\":{\"pgsizes\":2101248}}");
	assert_int_equal(negotiate(buf, len, &agreed, &minor), 0);
	assert_int_equal(agreed.pgsizes, 4096);

	/* Unknown keys are ignored; an empty object is fine. */
	len = mks(buf, "{\"capabilities\":{\"future\":[1,2]},\"x\":1}");
	assert_int_equal(negotiate(buf, len, &agreed, &minor), 0);
	len = mks(buf, "{}");
	assert_int_equal(negotiate(buf, len, &agreed, &minor), 0);
}

static void test_refusals(void **state)
{
	static const char *const bad[] = {
		"{",
		"{} x",
		"[1]",
		"\"capabilities\"",
		"{\"capabilities\":[]}",
		"{\"capabilities\":1}",
		"{\"capabilities\":{\"max_msg_fds\":\"16\"}}",
		"{\"capabilities\":{\"max_msg_fds\":-1}}",
		"{\"capabilities\":{\"max_data_xfer_size\":0}}",
		"{\"capabilities\":{\"max_data_xfer_size\":1.5}}",
		"{\"capabilities\":{\"max_data_xfer_size\":4294967296}}",
		"{\"capabilities\":{\"pgsizes\":-4096}}",
		"{\"capabilities\":{\"pgsizes\":true}}",
		"{\"capabilities\":{\"max_dma_maps\":null}}",
		"{\"capabilities\":{\"write_multiple\":1}}",
		"{\"capabilities\":{\"write_multiple\":\"true\"}}",
		"{\"capabilities\":{\"migration\":true}}",
		"{\"capabilities\":{\"twin_socket\":1}}",
		/* No page size in common. */
		"{\"capabilities\":{\"pgsizes\":8192}}",
	};
	uint8_t buf[512];
	struct vu_caps agreed;
	uint16_t minor;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		len = mks(buf, bad[i]);
		if (negotiate(buf, len, &agreed, &minor) != -EINVAL)
			fail_msg("accepted: %s", bad[i]);
	}
	/* Wrong major, with QEMU's otherwise good string. */
	len = mk(buf, 1, 0, qemu_json, sizeof(qemu_json));
	assert_int_equal(negotiate(buf, len, &agreed, &minor), -EINVAL);
	/* JSON without its NUL. */
	len = mk(buf, 0, 0, qemu_json, sizeof(qemu_json) - 1);
	assert_int_equal(negotiate(buf, len, &agreed, &minor), -EINVAL);
	/* A NUL inside the JSON. */
	len = mk(buf, 0, 0, "{}\0{}", 6);
	assert_int_equal(negotiate(buf, len, &agreed, &minor), -EINVAL);
	/* Shorter than major + minor. */
	assert_int_equal(negotiate(buf, 3, &agreed, &minor), -EINVAL);
}

static void test_format_nospace(void **state)
{
	uint8_t out[16];

	(void)state;
	assert_int_equal(vu_version_format(0, 0, &ours, out, sizeof(out)),
			 -ENOSPC);
}

/* A device that migrates offers "migration" back, only when proposed. */
static void test_migration_capability(void **state)
{
	struct vu_caps mig = ours, agreed, back;
	uint8_t buf[1024], out[1024];
	const char *why;
	uint16_t minor, major;
	size_t len;
	int n;

	(void)state;
	mig.migration = true;
	len = mks(buf, qemu_json);
	assert_int_equal(
		vu_version_negotiate(buf, len, &mig, &agreed, &minor, &why), 0);
	assert_true(agreed.migration);
	n = vu_version_format(0, minor, &agreed, out, sizeof(out));
	assert_true(n > 4);
	assert_non_null(
		strstr((char *)out + 4, "\"migration\":{\"pgsize\":4096}"));
	assert_int_equal(vu_version_parse(out, n, &major, &minor, &back, &why),
			 0);
	assert_true(back.migration);
	/* Not proposed: not offered. */
	len = mks(buf, "{\"capabilities\":{\"max_msg_fds\":4}}");
	assert_int_equal(
		vu_version_negotiate(buf, len, &mig, &agreed, &minor, &why), 0);
	assert_false(agreed.migration);
	n = vu_version_format(0, minor, &agreed, out, sizeof(out));
	assert_null(strstr((char *)out + 4, "migration"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_string),
		cmocka_unit_test(test_subset_and_minor),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_format_nospace),
		cmocka_unit_test(test_migration_capability),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
