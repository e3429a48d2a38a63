#!/usr/bin/env bash
# The kernel host test for one kernel: build umdev_mtty.ko against its
# headers, boot it under QEMU (TCG, no KVM needed) with a busybox initramfs,
# run every scenario against umdev_mtty.ko, then against the kernel's own
# samples/vfio-mdev/mtty.c in differential mode, compare, time a BAR read
# on both, then load/unload the module 20 times.
# Run by run-kernel.sh (Debian's kernel) and run-kernel-backports.sh (the
# newer series from bookworm-backports), which find the pieces.
# Prints TAP; every test name starts with LABEL (the kernel series, "6.1:").
# Usage: test-kernel.sh LABEL KVER KDIR IMAGE_DIR MTTY_C WORK_DIR
#   KDIR       kernel headers to build against
#   IMAGE_DIR  holds boot/vmlinuz-KVER and lib/modules/KVER/kernel/drivers/vfio
#   MTTY_C     the kernel's samples/vfio-mdev/mtty.c for this kernel
set -uo pipefail

label=$1
kver=$2
kdir=$3
img=$4
mtty_c=$5
work=$6
top=$(cd "$(dirname "$0")/../.." && pwd)
here="$top/tests/kernel"
n=0

tap() { # ok|fail NAME
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n - $label: $2"
	else
		echo "not ok $n - $label: $2"
	fi
}
bail() { # NAME [log]
	tap fail "$1"
	[ -n "${2:-}" ] && [ -f "$2" ] && tail -30 "$2" | sed 's/^/# /'
	echo "1..$n"
	exit 1
}

echo "# kernel $kver ($label)"
rm -rf "$work"
mkdir -p "$work"

# 1. The module, warnings are errors (-Werror, and any warning in the log).
if make -C "$top/kernel" KDIR="$kdir" O_DIR="$work/module" KCFLAGS=-Werror modules \
	>"$work/module.log" 2>&1 && ! grep -qiE 'warning:|error:' "$work/module.log"; then
	tap ok "build umdev_mtty.ko against $kver, no warnings"
else
	bail "build umdev_mtty.ko against $kver" "$work/module.log"
fi

# 2. The DKMS tree (what `dkms build` compiles) builds too.
if make -C "$top/kernel" dkms-tree DESTDIR="$work/dkms" >"$work/dkms.log" 2>&1 &&
	make -C "$work/dkms" KDIR="$kdir" KCFLAGS=-Werror all >>"$work/dkms.log" 2>&1 &&
	[ -f "$work/dkms/umdev_mtty.ko" ] &&
	! grep -qiE 'warning:|error:' "$work/dkms.log"; then
	tap ok "DKMS source tree builds against $kver"
else
	tap fail "DKMS source tree builds against $kver"
	tail -20 "$work/dkms.log" | sed 's/^/# /'
fi

vfio_dir="$img/lib/modules/$kver/kernel/drivers/vfio"

# 3. The reference module, built the same way.
ref=1
mkdir -p "$work/ref"
cp "$mtty_c" "$work/ref/mtty.c"
echo 'obj-m := mtty.o' >"$work/ref/Kbuild"
if make -C "$kdir" M="$work/ref" modules >"$work/ref.log" 2>&1; then
	tap ok "build the kernel's samples/vfio-mdev/mtty.c as mtty.ko"
else
	tap fail "build the kernel's samples/vfio-mdev/mtty.c as mtty.ko"
	tail -20 "$work/ref.log" | sed 's/^/# /'
	ref=0
fi

# 4. The static scenario program (VFIO backend only), built with this
# kernel's <linux/vfio.h> (exported by its own headers_install.sh; Debian
# keeps the uapi in the -common tree the flavour's Makefile includes) so it
# speaks that kernel's VFIO uapi (PRE_COPY appeared in 6.2).
common=$(sed -n 's|^include \(.*\)/Makefile$|\1|p' "$kdir/Makefile")
mkdir -p "$work/uapi/linux"
(cd "$kdir" && scripts/headers_install.sh \
	"${common:-$kdir}/include/uapi/linux/vfio.h" "$work/uapi/linux/vfio.h") \
	>"$work/scenario-build.log" 2>&1 ||
	bail "export this kernel's <linux/vfio.h>" "$work/scenario-build.log"
if gcc -std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -static \
	-I"$work/uapi" \
	-o "$work/umdev-scenario" "$top/tests/scenario/main.c" \
	"$top/tests/scenario/engine.c" "$top/tests/scenario/backend_vfio.c" \
	>>"$work/scenario-build.log" 2>&1; then
	tap ok "build static umdev-scenario (VFIO backend)"
else
	bail "build static umdev-scenario" "$work/scenario-build.log"
fi

# 5. Initramfs.
root="$work/initramfs"
mkdir -p "$root/bin" "$root/lib/modules" "$root/scenario"
cp /bin/busybox "$root/bin/busybox"
cp "$here/guest-init.sh" "$root/init"
chmod 755 "$root/init"
cp "$work/umdev-scenario" "$root/bin/"
cp "$work/module/umdev_mtty.ko" "$root/"
[ $ref = 1 ] && cp "$work/ref/mtty.ko" "$root/"
for m in vfio.ko vfio_iommu_type1.ko mdev/mdev.ko; do
	cp "$vfio_dir/$m" "$root/lib/modules/" || bail "find $vfio_dir/$m"
done
cp "$top"/tests/scenario/*.scn "$root/scenario/"
cp "$here/loop.scn" "$here/request.scn" "$root/"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz" ||
	bail "build initramfs"

# 6. Boot.  oops=panic + -no-reboot: a kernel oops ends the run early and
# the missing END line fails the test.
timeout 280 qemu-system-x86_64 -accel tcg -m 1024 -smp 2 -nographic \
	-no-reboot -kernel "$img/boot/vmlinuz-$kver" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 oops=panic quiet" \
	-chardev file,id=results,path="$work/results.raw" \
	-serial mon:stdio -device isa-serial,chardev=results \
	</dev/null >"$work/console.log" 2>&1
qrc=$?
tr -d '\r' <"$work/results.raw" >"$work/results.txt" 2>/dev/null
res="$work/results.txt"
if grep -qx END "$res"; then
	tap ok "guest ran to the end (qemu exit $qrc)"
else
	tap fail "guest ran to the end (qemu exit $qrc, no END line)"
	tail -40 "$work/console.log" | sed 's/^/# /'
fi
if grep -qx "BEGIN $kver" "$res"; then
	tap ok "guest runs kernel $kver"
else
	tap fail "guest runs kernel $kver (got: $(grep '^BEGIN' "$res"))"
fi

# 7. Results from the guest, renumbered.
while IFS= read -r line; do
	case "$line" in
	"R ok - "*) tap ok "${line#R ok - }" ;;
	"R not ok - "*) tap fail "${line#R not ok - }" ;;
	esac
done <"$res"
# Failed expectations, for the log.
grep -E '^S (umdev|diff) # FAIL' "$res" | sed 's/^S /# /' | head -40

# 8. Kernel health: nothing bad in the console or in dmesg.
bad='WARNING:|BUG:|Oops|general protection|Call Trace|leak|KASAN|refcount_t|list_(add|del) corruption|hung_task|blocked for more than'
if grep -qE "$bad" "$work/console.log" ||
	sed -n 's/^K //p' "$res" | grep -qE "$bad"; then
	tap fail "no kernel WARNING/BUG/oops/leak in console or dmesg"
	{ grep -E "$bad" "$work/console.log"; sed -n 's/^K //p' "$res" | grep -E "$bad"; } |
		head -20 | sed 's/^/# /'
else
	tap ok "no kernel WARNING/BUG/oops/leak in console or dmesg"
fi

# 9. What a BAR read through VFIO costs in the guest, umdev_mtty.ko vs the
# kernel's mtty.ko, same boot, five rounds each in turn, best of each.
# Information only (TCG on a shared machine is noisy), never a pass or fail.
best() { sed -n "s/^T $1 bench-read [0-9]* reads \([0-9]*\) ns\/read\$/\1/p" "$res" | sort -n | head -1; }
tu=$(best umdev)
tk=$(best ref)
if [ -n "$tu" ] && [ -n "$tk" ] && [ "$tk" -gt 0 ]; then
	echo "# $label: BAR read through VFIO (guest, TCG): umdev_mtty $tu ns, kernel mtty $tk ns, ratio umdev/kernel $(awk "BEGIN { printf \"%.2f\", $tu / $tk }")"
else
	echo "# $label: BAR read timing not available (umdev '$tu', kernel '$tk')"
fi

# 10. Differential: umdev vs the kernel sample, step by step.
if [ $ref = 1 ]; then
	if "$here/compare-diff.sh" "$res" "$here/known-differences" \
		"$top/docs/deviations.md" "$label" >"$work/diff.log" 2>&1; then
		tap ok "differential: every umdev/kernel-sample difference is a documented deviation, each listed one seen"
	else
		tap fail "differential: every umdev/kernel-sample difference is a documented deviation, each listed one seen"
	fi
	# The problems, then the summary; every difference is in diff.log.
	{ grep -E '^(UNMAPPED|UNDOCUMENTED|NOT SEEN) ' "$work/diff.log" | head -40
	  tail -2 "$work/diff.log"; } | sed 's/^/# /'
	echo "# (each difference and its deviation: $work/diff.log)"
fi

echo "1..$n"
