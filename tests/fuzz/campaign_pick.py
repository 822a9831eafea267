#!/usr/bin/env python3
"""campaign_pick.py CONTROL_FILE DEST MAX: after `FUZZER -merge=1
-merge_control_file=CONTROL_FILE SEEDS FOUND` (SEEDS a copy of the tree's
corpus), copy to DEST at most MAX of FOUND's inputs: greedily the one that
adds the most features not yet covered by SEEDS and the inputs already
picked (ties: the smaller). Keeps the corpora in the tree small, so that
`make test`'s replay of them stays quick. Prints how many it copied."""
import os, shutil, sys

cf, dest, most = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(cf).read().split('\n')
nfiles, nseeds = int(lines[0]), int(lines[1])
paths = lines[2:2 + nfiles]
feats, size = {}, {}
for line in lines[2 + nfiles:]:
    if line.startswith('STARTED '):
        size[int(line.split()[1])] = int(line.split()[2])
    elif line.startswith('FT '):
        parts = line.split()
        feats[int(parts[1])] = set(parts[2:])
covered = set()
for i in range(nseeds):
    covered |= feats.get(i, set())
cands = [i for i in range(nseeds, nfiles) if i in feats]
picked = 0
while picked < most:
    best = max(cands, default=None,
               key=lambda i: (len(feats[i] - covered), -size.get(i, 0)))
    if best is None or not feats[best] - covered:
        break
    covered |= feats[best]
    cands.remove(best)
    shutil.copy(paths[best], os.path.join(dest, os.path.basename(paths[best])))
    picked += 1
print(picked)
