#!/usr/bin/env python
"""Seed spread and paired comparisons from `omasgan loo` runs: per-digit mean ± std over seeds of each method,
the mean per-digit std, and for each pair (A, B) the paired differences over (digit, seed).

    python tools/paired.py runs/loo-kl/results.csv f-GAN=runs/loo-f/results.csv [--against kNN GANomaly]
    (a run folder instead of its results.csv reads the finished jobs' result.json files; NAME=PATH renames the OMASGAN
    rows of PATH, OLD:NEW=PATH its OLD rows, e.g. kNN:kNN-cos=runs/knn-cos/results.csv)

A difference counts as exceeding the seed spread when |mean paired difference| > 2 × its standard error over
the (digit, seed) pairs and, for one digit, when |mean difference over seeds| > the larger of the two seed stds.
"""
import argparse, csv, math
from collections import defaultdict
import numpy as np

def _rows(p):
    "Rows of a `results.csv`, or of every finished job's `result.json` under a run folder (while the run goes on)."
    from pathlib import Path
    import json
    if Path(p).is_dir(): return [r for f in sorted(Path(p).glob('jobs/*/result.json')) for r in json.loads(f.read_text())['rows']]
    with open(p, newline='') as f: return list(csv.DictReader(f))

def read(paths, rename=None):
    rows = []
    for p in paths:
            old, new = (rename[p].split(':', 1) if ':' in rename[p] else ('OMASGAN', rename[p])) if rename and p in rename else (None, None)
            for r in _rows(p):
                m = r['method']
                if old and (m == old or m.startswith(old + '/')): m = new + m[len(old):]
                rows.append((m, int(r['abnormal_class']), int(r['seed']), float(r['auroc'])))
    return rows

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('csv', nargs='+', help='results.csv files; name=path renames OMASGAN rows of that file')
    ap.add_argument('--methods', nargs='*', default=None, help='methods to compare (default: every main method)')
    ap.add_argument('--against', nargs='*', default=['kNN', 'GANomaly'])
    a = ap.parse_args()
    rename, paths = {}, []
    for c in a.csv:
        if '=' in c: n, p = c.split('=', 1); rename[p] = n; paths.append(p)
        else: paths.append(c)
    rows = read(paths, rename)
    au = defaultdict(dict)
    for m, c, s, v in rows: au[m][(c, s)] = v
    methods = a.methods or [m for m in au if '/' not in m]
    classes = sorted({c for _, c, _, _ in rows})
    print('| method | ' + ' | '.join(f'c={c}' for c in classes) + ' | mean | mean per-digit std | seeds |')
    print('|---|' + '---|' * (len(classes) + 3))
    for m in methods:
        per = {c: [au[m][k] for k in au[m] if k[0] == c] for c in classes}
        seeds = sorted({k[1] for k in au[m]})
        cell = lambda v: (f'{np.mean(v):.3f} ± {np.std(v, ddof=1):.3f}' if len(v) > 1 else f'{v[0]:.3f}') if v else '–'
        by_seed = [np.mean([au[m][(c, s)] for c in classes if (c, s) in au[m]]) for s in seeds]
        stds = [np.std(v, ddof=1) for v in per.values() if len(v) > 1]
        print(f'| {m} | ' + ' | '.join(cell(per[c]) for c in classes) + f' | **{cell(by_seed)}** | {np.mean(stds):.3f} | {len(seeds)} |'
              if stds else f'| {m} | ' + ' | '.join(cell(per[c]) for c in classes) + f' | **{cell(by_seed)}** | – | {len(seeds)} |')
    print()
    for m in methods:
        for b in a.against:
            if b == m or b not in au: continue
            keys = sorted(set(au[m]) & set(au[b]))
            if not keys: continue
            d = np.array([au[m][k] - au[b][k] for k in keys])
            se = d.std(ddof=1) / math.sqrt(len(d)) if len(d) > 1 else float('nan')
            wins = sum(np.mean([au[m][k] for k in keys if k[0] == c]) > np.mean([au[b][k] for k in keys if k[0] == c]) for c in classes)
            beyond = []
            for c in classes:
                ks = [k for k in keys if k[0] == c]
                if len(ks) < 2: continue
                dc = np.mean([au[m][k] - au[b][k] for k in ks])
                spread = max(np.std([au[m][k] for k in ks], ddof=1), np.std([au[b][k] for k in ks], ddof=1))
                if abs(dc) > spread: beyond.append(f'{c}:{dc:+.3f}')
            verdict = 'exceeds' if abs(d.mean()) > 2 * se else 'within'
            print(f'{m} − {b}: mean paired difference {d.mean():+.3f} (se {se:.3f}, {len(d)} pairs) → {verdict} the spread; '
                  f'ahead on {wins}/{len(classes)} digits; digits whose difference exceeds both seed stds: {", ".join(beyond) or "none"}')
