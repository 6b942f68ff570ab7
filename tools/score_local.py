#!/usr/bin/env python
"""Score-only test of a local-scale f_D on the inner folds of `07c_selection`, from the detectors that
`tools/inner_selection.py` kept in runs/selection/quick: the distance of x to its k nearest G'(z), divided by the
same distance of those neighbours within the bank (a local outlier factor, LOF), in pixels and in C's features.
No training, no outer test image. Prints each variant's mean and worst inner AUROC, best first.

    python tools/score_local.py [--folds runs/selection/quick]
"""
import argparse, torch
ap = argparse.ArgumentParser(description=__doc__.splitlines()[0]); ap.add_argument('--folds', default='runs/selection/quick')
ap.add_argument('--k', type=int, nargs='*', default=[5, 20]); args = ap.parse_args()
torch.set_num_threads(2)
from sklearn.metrics import roc_auc_score
from kept_folds import kept_folds, fold_arrays, zscores, report

def knn(a, bank, k, self_bank=False):
    "Distances and indices of the k nearest rows of bank (skipping the row itself when a is bank)."
    d = torch.cat([torch.cdist(a[i:i + 512], bank) for i in range(0, len(a), 512)])
    v, i = d.topk(k + self_bank, largest=False)
    return (v[:, 1:], i[:, 1:]) if self_bank else (v, i)

def lof(xs, bank, k):
    "For each x of `xs`: its mean distance to its k nearest bank rows over the mean of those rows' own k-NN distance in the bank."
    rb = knn(bank, bank, k, True)[0].mean(1)          # once per bank, for every x
    return tuple(v.mean(1) / rb[i].mean(1) for v, i in (knn(x, bank, k) for x in xs))

out = {}
for c, h, det, sp in kept_folds(args.folds):
    y, base, pix, feat = fold_arrays(det, sp)
    fb, fv, ft = feat['bank'], feat['val'], feat['test']
    pb, pv, pt = pix['bank'], pix['val'], pix['test']
    ptr = pix['train']   # reference only: the training images themselves (kNN and its LOF)
    with torch.no_grad():
        for kk in args.k:
            base[f'pix_k{kk}'] = (knn(pv, pb, kk)[0].mean(1), knn(pt, pb, kk)[0].mean(1))
            base[f'Cf_k{kk}'] = (knn(fv, fb, kk)[0].mean(1), knn(ft, fb, kk)[0].mean(1))
            base[f'pixLOF_k{kk}'] = lof((pv, pt), pb, kk)
            base[f'CfLOF_k{kk}'] = lof((fv, ft), fb, kk)
            base[f'kNNdata_k{kk}'] = (knn(pv, ptr, kk)[0].mean(1), knn(pt, ptr, kk)[0].mean(1))
            base[f'kNNdataLOF_k{kk}'] = lof((pv, pt), ptr, kk)
    z = zscores(base)
    rec = {k: roc_auc_score(y, v) for k, v in z.items()}
    for kk in args.k:
        rec[f'AS ref k{kk}'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z[f'Cf_k{kk}']) / 2)
        rec[f'AS C+CfLOF k{kk}'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z[f'CfLOF_k{kk}']) / 2)
        rec[f'AS C+CfLOF+pixLOF k{kk}'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z[f'CfLOF_k{kk}'] + z[f'pixLOF_k{kk}']) / 3)
        rec[f'AS C+pixLOF k{kk}'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z[f'pixLOF_k{kk}']) / 2)
        rec[f'AS CfLOF+pixLOF k{kk}'] = roc_auc_score(y, z['J'] + 8 * (z[f'CfLOF_k{kk}'] + z[f'pixLOF_k{kk}']) / 2)
    out[f'{c}:{h}'] = rec
    print(c, h, ' '.join(f'{k} {v:.3f}' for k, v in rec.items() if k.endswith('k5')), flush=True)
report(out, f'AS ref k{args.k[0]}')
