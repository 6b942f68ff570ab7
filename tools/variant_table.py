#!/usr/bin/env python
"""The JSON lines of `tools/retrain_stages.py --out FILE` as one table: for each variant, the mean inner AUROC of
every term over the folds that every variant reached, its paired difference to `--ref` (with its standard error),
and where stage 3 ended (G''s validation MMD² over its two-sample noise level, median over the folds; the folds
where the stage ended on its criterion). Training classes only, as the lines themselves.

    python tools/variant_table.py runs/stage2_band.jsonl --ref emac [--variants band emac_beta1]
"""
import argparse, json, numpy as np
ap = argparse.ArgumentParser(description=__doc__.splitlines()[0]); ap.add_argument('file'); ap.add_argument('--ref', default='emac')
ap.add_argument('--terms', nargs='*', default=['AS', 'C', 'J', 'GpCos', 'GpCosf'])
ap.add_argument('--variants', nargs='*', help='only these (default: every variant in the file)'); args = ap.parse_args()
R = {}
for line in open(args.file):
    r = json.loads(line); R[r['variant'], r['fold']] = r            # a later line of the same fold and variant wins
variants = sorted({v for v, _ in R if not args.variants or v in args.variants or v == args.ref}, key=lambda v: (v != args.ref, v))
folds = sorted(set.intersection(*({f for w, f in R if w == v} for v in variants)))
print(f"{len(folds)} folds that every variant reached: {' '.join(folds)}")
print('| variant | ' + ' | '.join(args.terms) + ' | stage-3 MMD² / noise (median) | stage 3 ended on its criterion |')
print('|---|' + '---|' * (len(args.terms) + 2))
for v in variants:
    cells = []
    for k in args.terms:
        a = np.array([R[v, f]['terms'][k] for f in folds]); b = np.array([R[args.ref, f]['terms'][k] for f in folds])
        d = a - b
        cells.append(f"{a.mean():.3f}" + ('' if v == args.ref else f" ({d.mean():+.3f}, se {d.std(ddof=1) / np.sqrt(len(d)):.3f})"))
    ratio = np.median([R[v, f]['mmd'][-1][1] / R[v, f]['noise'] for f in folds])
    met = sum(R[v, f]['criterion3'] for f in folds)
    print(f"| {v} | " + ' | '.join(cells) + f" | {ratio:.1f} | {met} of {len(folds)} |")
