#!/usr/bin/env python3
"""scripts/fixsites.py — a diagnostic (docs/solver.md, "Seventh pass").

Writes a copy of a model's MPS (`parkplan model`, or a benchmark run's
model.mps with its model.names beside it) in which the site choice of a
plan (plan.json from `parkplan solve --out`) is fixed: every `y` column
of a (parcel, year, specialty) the plan opens gets bounds [1, 1], every
other `y` column [0, 0]. An existing park's column is the first
year's (its open year is earlier). What is left to a MIP solver given
the output is the placement of firms in the plan's parks, years and
specialties, so its plan compares with parkplan's placement of them.

Usage: scripts/fixsites.py RUNDIR/model.mps RUNDIR/model.names plan.json OUT.mps
"""
import json
import sys


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    mps_path, names_path, plan_path, out_path = sys.argv[1:]
    plan = json.load(open(plan_path))
    ycols = {}
    for line in open(names_path):
        fields = line.rstrip("\n").split("\t")
        if len(fields) == 2 and fields[0].startswith("Y"):
            kv = dict(x.split("=", 1) for x in fields[1].split()[1:])
            ycols[fields[0]] = (kv["parcel"], int(kv["year"]), kv["specialty"])
    first = min(y for _, y, _ in ycols.values())
    opened = {(p["parcel_id"], max(p["open_year"], first), p["specialty"]) for p in plan["parks"]}
    found = {c for c in ycols.values() if c in opened}
    if found != opened:
        sys.exit("fixsites: no y column for %s" % sorted(opened - found)[:5])
    in_bounds, fixed = False, 0
    with open(out_path, "w") as out:
        for line in open(mps_path):
            if line.startswith("BOUNDS"):
                in_bounds = True
            elif line.startswith("ENDATA"):
                in_bounds = False
            elif in_bounds:
                fields = line.split()
                if len(fields) == 4 and fields[2] in ycols:
                    value = 1 if ycols[fields[2]] in opened else 0
                    # fixed-format MPS: keep the columns where they were
                    head = line.rstrip("\n")[: len(line.rstrip("\n")) - len(fields[3])]
                    out.write(" FX" + head[3:] + str(value) + "\n")
                    fixed += 1
                    continue
            out.write(line)
    print("fixsites: %d parks, %d y columns fixed" % (len(opened), fixed), file=sys.stderr)


if __name__ == "__main__":
    main()
