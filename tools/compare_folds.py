#!/usr/bin/env python
"""Two inner leave-one-class-out selections (`tools/inner_selection.py`) compared fold by fold: each term's and
the chosen score's AUROC on every inner fold, and the paired difference (mean, its standard error, folds won).
Only training classes enter (the folds' pseudo-anomalies); no outer test image is read.

    python tools/compare_folds.py runs/selection/quick runs/selection/long [--score C+GpNNf:8]
"""
import argparse, json, math
from pathlib import Path

def records(folder):
    "{fold 'c:h': its record} of the inner folds in `folder`."
    return {f"{r['abnormal_class']}:{r['held_class']}": r for r in map(lambda p: json.loads(p.read_text()), sorted(Path(folder).glob('inner_c*_h*_s*.json')))}

def score_of(rec, score):
    "AUROC of the candidate `score` ('FD:LAM') or of a term ('C', 'J', ...) in one fold record."
    if ':' not in score: return rec['terms'][score]
    fd, lam = score.split(':')
    for c, a in zip(rec['candidates'], rec['auroc']):
        if c['fd'] == fd and float(c['lam_as']) == float(lam): return a
    raise KeyError(f'no candidate {score} in the record')

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('a'); ap.add_argument('b'); ap.add_argument('--score', default='C+GpNNf:8')
    args = ap.parse_args()
    A, B = records(args.a), records(args.b)
    folds = [f for f in A if f in B]
    if not folds: raise SystemExit('the two folders share no inner fold')
    names = ['D', 'C', 'J', 'GpNN', 'GpNNf', args.score]
    print(f"{len(folds)} shared folds; A = {args.a}, B = {args.b}\n")
    print('| fold (c:h) | ' + ' | '.join(f'{n} A / B' for n in names) + ' |\n|---|' + '---|' * len(names))
    for f in folds: print(f'| {f} | ' + ' | '.join(f'{score_of(A[f], n):.3f} / {score_of(B[f], n):.3f}' for n in names) + ' |')
    print()
    for n in names:
        d = [score_of(B[f], n) - score_of(A[f], n) for f in folds]
        m = sum(d) / len(d); se = math.sqrt(sum((x - m) ** 2 for x in d) / (len(d) - 1) / len(d)) if len(d) > 1 else float('nan')
        print(f"{n:12s} mean A {sum(score_of(A[f], n) for f in folds) / len(folds):.3f}  B {sum(score_of(B[f], n) for f in folds) / len(folds):.3f}"
              f"  B − A {m:+.3f} (se {se:.3f}), B ahead on {sum(x > 0 for x in d)} of {len(d)} folds")
