#!/usr/bin/env bash
# Compare the scenario step lines of umdev_mtty (differential mode) with the
# kernel's own mtty sample, step by step.  Every difference must match a
# pattern in KNOWN whose ID is a deviation documented in DEVIATIONS
# (docs/deviations.md, IDs like D03).  KNOWN lines are
#   PATTERN -> ID [KERNEL...]
# PATTERN a shell glob on "SCENARIO:LINE: STEP"; with KERNELs (series such
# as 6.1 6.12) the line applies to those kernels only.
# Usage: compare-diff.sh RESULTS KNOWN DEVIATIONS KERNEL
# RESULTS holds lines "S diff STEPLINE" (umdev) and "S ref STEPLINE".
# Exit 0 when every difference is covered and every line for KERNEL matched
# a difference; prints each difference.
set -uo pipefail

results=$1
known=$2
deviations=$3
kernel=$4

steps() { # TAG -> "KEY<TAB>VALUE" lines
	sed -n "s/^S $1 \\([a-z0-9_-]*:[0-9]*: .*\\)\$/\\1/p" "$results" |
		awk '{ i = index($0, " = ");
		       if (i) print substr($0, 1, i - 1) "\t" substr($0, i + 3) }'
}

umdev=$(mktemp)
ref=$(mktemp)
trap 'rm -f "$umdev" "$ref"' EXIT
steps diff | sort -t$'\t' -k1,1 >"$umdev"
steps ref | sort -t$'\t' -k1,1 >"$ref"

if [ ! -s "$ref" ] || [ ! -s "$umdev" ]; then
	echo "no step lines from $([ -s "$ref" ] || echo "the reference ")$([ -s "$umdev" ] || echo "umdev")"
	exit 1
fi

# Patterns and IDs.
declare -a pat id
while IFS= read -r line; do
	line=${line%%#*}
	[[ "$line" == *" -> "* ]] || continue
	p=${line%% -> *}
	read -r i kernels <<<"${line##* -> }"
	p=$(echo "$p" | sed 's/[[:space:]]*$//')
	if [ -n "$kernels" ] && [[ " $kernels " != *" $kernel "* ]]; then
		continue
	fi
	pat+=("$p")
	id+=("$i")
done <"$known"

documented() { [ -f "$deviations" ] && grep -qwE "$1" "$deviations"; }

diffs=0
bad=0
declare -A used
seen=()
while IFS=$'\t' read -r key uval rval; do
	[ "$uval" = "$rval" ] && continue
	diffs=$((diffs + 1))
	match=""
	for k in "${!pat[@]}"; do
		# shellcheck disable=SC2053
		if [[ "$key" == ${pat[$k]} ]]; then
			match=${id[$k]}
			used[$k]=1
			break
		fi
	done
	if [ -z "$match" ]; then
		echo "UNMAPPED  $key: umdev '$uval' kernel '$rval'"
		bad=$((bad + 1))
	elif ! documented "$match"; then
		echo "UNDOCUMENTED $match  $key: umdev '$uval' kernel '$rval'"
		bad=$((bad + 1))
	else
		echo "$match  $key: umdev '$uval' kernel '$rval'"
		seen+=("$match")
	fi
done < <(join -t$'\t' -a1 -a2 -e '(missing)' -o 0,1.2,2.2 "$umdev" "$ref")

# A line for this kernel that matched nothing is a claim that no longer
# holds (a deviation fixed, or a scenario changed): fail, so the file stays
# an exact account of what each kernel shows.
for k in "${!pat[@]}"; do
	if [ -z "${used[$k]:-}" ]; then
		echo "NOT SEEN  ${pat[$k]} -> ${id[$k]} (no such difference on $kernel)"
		bad=$((bad + 1))
	fi
done
echo "Linux $kernel: deviations seen: $(printf '%s\n' "${seen[@]}" | sort -u | tr '\n' ' ')"
echo "$diffs differences; $bad problems (unmapped, undocumented or not seen)"
[ "$bad" -eq 0 ]
