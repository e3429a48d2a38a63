#!/bin/busybox sh
# /init of the test guest (busybox).  Loads VFIO and the mdev core, then for
# each driver module (umdev_mtty.ko, and the kernel's own mtty.ko when
# present) creates devices through sysfs and runs every scenario; finally
# loads and unloads umdev_mtty 20 times with devices created and removed.
#
# Results go to /dev/ttyS1 (a file on the host), away from kernel console
# noise, one record a line:
#   R ok|not ok - NAME          a test result (the host numbers them)
#   S umdev|diff|ref LINE      a scenario program output line (umdev checked,
#                               umdev differential, reference differential)
#   T umdev|ref LINE            a BAR read timing (umdev-scenario --bench-read)
#   K LINE                      dmesg at the end
#   END                         the summary line: its absence is a failure
/bin/busybox mkdir -p /proc /sys /dev /tmp /usr/bin /usr/sbin /sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1

LOOPS=20
PARENT=/sys/class/mdev_bus/mtty

result() { # ok|fail NAME [why]
	if [ "$1" = ok ]; then
		echo "R ok - $2" >&3
	else
		echo "R not ok - $2${3:+ ($3)}" >&3
	fi
}

check() { # NAME command...
	name=$1
	shift
	if "$@" >/tmp/check.out 2>&1; then
		result ok "$name"
	else
		result fail "$name" "$(head -c 200 /tmp/check.out | tr '\n' ' ')"
	fi
}

new_uuid() { cat /proc/sys/kernel/random/uuid; }

create() { # TYPE -> prints uuid
	u=$(new_uuid)
	echo "$u" >"$PARENT/mdev_supported_types/$1/create" || return 1
	echo "$u"
}

remove() { # UUID
	echo 1 >"/sys/bus/mdev/devices/$1/remove"
}

# run_scenarios TAG [--diff]: one new device per scenario file.
run_scenarios() {
	tag=$1
	shift
	for f in /scenario/*.scn; do
		n=$(basename "$f" .scn)
		type=$(sed -n 's/^type[ \t]*\(mtty-[12]\).*/\1/p' "$f")
		[ -n "$type" ] || type=mtty-2
		if ! u=$(create "$type"); then
			result fail "$tag: $n: create $type"
			continue
		fi
		umdev-scenario "$@" --vfio "$u" "$f" >/tmp/scn.out 2>&1
		rc=$?
		sed "s/^/S $tag /" /tmp/scn.out >&3
		if [ "$tag" != ref ]; then
			if [ $rc -eq 0 ]; then
				result ok "$tag: scenario $n"
			else
				result fail "$tag: scenario $n" "exit $rc"
			fi
		elif [ $rc -gt 1 ]; then
			result fail "ref: scenario $n could not run" "exit $rc"
		fi
		remove "$u" || result fail "$tag: $n: remove $u"
	done
}

# Capacity: 24 ports shared; mtty-2 takes 2.
capacity() {
	a1=$(cat "$PARENT/mdev_supported_types/mtty-1/available_instances")
	a2=$(cat "$PARENT/mdev_supported_types/mtty-2/available_instances")
	[ "$a1" = 24 ] && [ "$a2" = 12 ] || {
		echo "available $a1/$a2"
		return 1
	}
	list=""
	i=0
	while [ $i -lt 12 ]; do
		u=$(create mtty-2) || {
			echo "create $i failed"
			return 1
		}
		list="$list $u"
		i=$((i + 1))
	done
	a1=$(cat "$PARENT/mdev_supported_types/mtty-1/available_instances")
	if [ "$a1" != 0 ]; then
		echo "available after 12: $a1"
		return 1
	fi
	if u=$(create mtty-1 2>/dev/null); then
		echo "13th device created"
		list="$list $u"
		for u in $list; do remove "$u"; done
		return 1
	fi
	for u in $list; do remove "$u" || return 1; done
	a1=$(cat "$PARENT/mdev_supported_types/mtty-1/available_instances")
	[ "$a1" = 24 ] || {
		echo "available after remove: $a1"
		return 1
	}
}

# Removing a device that a user holds: the REQ eventfd asks it to let go.
request_removal() {
	u=$(create mtty-1) || return 1
	umdev-scenario --vfio "$u" /request.scn >/tmp/req.out 2>&1 &
	pid=$!
	# Start the removal once the trigger is installed (no fixed delay).
	while ! grep -q 'irq req on = ok' /tmp/req.out; do
		kill -0 $pid 2>/dev/null || {
			cat /tmp/req.out
			return 1
		}
		usleep 10000
	done
	remove "$u" || {
		echo "remove failed"
		return 1
	}
	wait $pid || {
		cat /tmp/req.out
		return 1
	}
	[ ! -e "/sys/bus/mdev/devices/$u" ]
}

# bench_compare: time BAR reads through VFIO on a new mtty-1 of each
# module, alternating umdev_mtty and the reference five times so that both
# see the same moments of a noisy host (information only: the host prints
# the best of each and their ratio, never a verdict).  The two modules both
# register "mtty", so they take turns.
bench_compare() {
	for _ in 1 2 3 4 5; do
		for m in umdev:umdev_mtty ref:mtty; do
			insmod "/${m#*:}.ko" || return 1
			u=$(create mtty-1) || return 1
			umdev-scenario --bench-read 4000 --vfio "$u" 2>&1 |
				sed "s/^/T ${m%%:*} /" >&3
			remove "$u"
			rmmod "${m#*:}" || return 1
		done
	done
}

sysfs_names() {
	[ "$(cat $PARENT/mdev_supported_types/mtty-1/name)" = "Single port serial" ] &&
		[ "$(cat $PARENT/mdev_supported_types/mtty-2/name)" = "Dual port serial" ] &&
		[ "$(cat $PARENT/mdev_supported_types/mtty-2/device_api)" = vfio-pci ]
}

load_unload_loop() {
	i=0
	while [ $i -lt $LOOPS ]; do
		insmod /umdev_mtty.ko || {
			echo "insmod $i"
			return 1
		}
		u1=$(create mtty-1) && u2=$(create mtty-2) || {
			echo "create $i"
			return 1
		}
		# Open and close the device once per round.
		umdev-scenario --vfio "$u2" /loop.scn >/tmp/loop.out 2>&1 || {
			cat /tmp/loop.out
			return 1
		}
		# Every other round, leave devices for rmmod to remove.
		if [ $((i % 2)) = 0 ]; then
			remove "$u1" && remove "$u2" || {
				echo "remove $i"
				return 1
			}
		fi
		rmmod umdev_mtty || {
			echo "rmmod $i"
			return 1
		}
		[ ! -e "$PARENT" ] || {
			echo "parent left after rmmod $i"
			return 1
		}
		i=$((i + 1))
	done
}

echo "BEGIN $(uname -r)" >&3
for m in vfio vfio_iommu_type1 mdev; do
	check "insmod $m" insmod "/lib/modules/$m.ko"
done

check "insmod umdev_mtty" insmod /umdev_mtty.ko
check "umdev: parent and types in sysfs" sysfs_names
check "umdev: capacity 24 ports, 13th device refused" capacity
check "umdev: removing an open device signals REQ, user lets go" request_removal
run_scenarios umdev
run_scenarios diff --diff
check "rmmod umdev_mtty" rmmod umdev_mtty

if [ -f /mtty.ko ]; then
	check "insmod reference mtty" insmod /mtty.ko
	run_scenarios ref --diff
	check "rmmod reference mtty" rmmod mtty
	check "BAR read timing, umdev_mtty and reference in turn" bench_compare
fi

check "load/unload umdev_mtty x$LOOPS with devices" load_unload_loop

dmesg | sed 's/^/K /' >&3
echo "END" >&3
sync
poweroff -f
