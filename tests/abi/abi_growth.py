#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Allow exactly one kind of change in a minor release: members appended to
the structs a driver hands the core (docs/driver-abi.md, "Growing the ABI").

Usage: abi_growth.py OLD.abi NEW.abi OUT.abi STRUCT...

For each STRUCT (e.g. umdev_device_ops), the members of OLD must be the
first members of NEW, each with the same name, offset and type, and NEW no
smaller.  Then OUT is NEW with those appended members cut off again (and
the old size put back), so that abidiff OLD OUT judges everything else -
every other type, every function - with nothing suppressed.  Prints one
line per struct that grew.  Exit status: 0, or 1 with the reason when a
struct changed in any other way (a member removed, moved, retyped).
"""
import sys
import xml.etree.ElementTree as ET


def structs(root, names):
    """name -> class-decl element (the first definition) of each name."""
    found = {}
    for decl in root.iter("class-decl"):
        name = decl.get("name")
        if name in names and name not in found and \
                decl.get("is-declaration-only") != "yes":
            found[name] = decl
    return found


def members(decl):
    """[(name, offset, type-id, element)] of a class-decl's data members."""
    out = []
    for member in decl.findall("data-member"):
        var = member.find("var-decl")
        out.append((var.get("name"), member.get("layout-offset-in-bits"),
                    var.get("type-id"), member))
    return out


def main(argv):
    if len(argv) < 5:
        sys.stderr.write(__doc__)
        return 2
    old_path, new_path, out_path, names = argv[1], argv[2], argv[3], argv[4:]
    old_tree, new_tree = ET.parse(old_path), ET.parse(new_path)
    old = structs(old_tree.getroot(), names)
    new = structs(new_tree.getroot(), names)
    status = 0
    for name in names:
        if name not in old:
            continue  # new in this release: abidiff sees an addition
        if name not in new:
            print("%s: gone" % name)
            status = 1
            continue
        before, after = members(old[name]), members(new[name])
        prefix = [m[:3] for m in after[:len(before)]]
        if prefix != [m[:3] for m in before] or \
                int(new[name].get("size-in-bits")) < \
                int(old[name].get("size-in-bits")):
            print("%s: changed other than by members appended at its end"
                  % name)
            for b, a in zip(before, after):
                if b[:3] != a[:3]:
                    print("  was %s at %s (type %s), now %s at %s (type %s)"
                          % (b[0], b[1], b[2], a[0], a[1], a[2]))
            status = 1
            continue
        added = after[len(before):]
        if added:
            print("%s: %d member%s appended (%s)" % (
                name, len(added), "" if len(added) == 1 else "s",
                ", ".join(m[0] for m in added)))
        for m in added:
            new[name].remove(m[3])
        new[name].set("size-in-bits", old[name].get("size-in-bits"))
    new_tree.write(out_path)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
