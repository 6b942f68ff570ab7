#!/usr/bin/env python
"""Score-only test of a scale-free f_D on the inner folds of `07c_selection`, from the detectors that
`tools/inner_selection.py` kept in runs/selection/quick: the distance of x to its k nearest G'(z) after both are
scaled to unit length (the cosine distance), in pixels and in C's features, against today's Euclidean distance.
A digit with little ink (a 1) lies near everything in Euclidean distance; its direction is what sets it apart.
No training, no outer test image. Prints each variant's mean and worst inner AUROC, best first.

    python tools/score_metric.py [--folds runs/selection/quick]

kNNdata and kNNdata_cos (the distance to the training images themselves) are printed for reference only.
"""
import argparse, torch
ap = argparse.ArgumentParser(description=__doc__.splitlines()[0]); ap.add_argument('--folds', default='runs/selection/quick')
ap.add_argument('--k', type=int, default=5); args = ap.parse_args()
torch.set_num_threads(2)
from omasgan.api import unit
from sklearn.metrics import roc_auc_score
from kept_folds import kept_folds, fold_arrays, zscores, report

def knn(a, bank, k):
    "Mean distance of each row of a to its k nearest rows of bank."
    return torch.cat([torch.cdist(a[i:i + 512], bank).topk(k, largest=False)[0].mean(1) for i in range(0, len(a), 512)])

out, k = {}, args.k
for c, h, det, sp in kept_folds(args.folds):
    y, base, pix, feat = fold_arrays(det, sp)
    fb, fv, ft = feat['bank'], feat['val'], feat['test']
    pb, pv, pt = pix['bank'], pix['val'], pix['test']
    qb, qv, qt = (t + 1 for t in (pb, pv, pt))   # pixels in [-1, 1], counted from blank as in `raw_terms`
    ptr = pix['train'] + 1                       # reference only: the training images themselves
    with torch.no_grad():
        base['pix'] = (knn(pv, pb, k), knn(pt, pb, k))
        base['Cf'] = (knn(fv, fb, k), knn(ft, fb, k))
        base['pix_cos'] = (knn(unit(qv), unit(qb), k), knn(unit(qt), unit(qb), k))
        base['Cf_cos'] = (knn(unit(fv), unit(fb), k), knn(unit(ft), unit(fb), k))
        base['kNNdata'] = (knn(pv, ptr - 1, k), knn(pt, ptr - 1, k))
        base['kNNdata_cos'] = (knn(unit(qv), unit(ptr), k), knn(unit(qt), unit(ptr), k))
        base['pix_cos_noshift'] = (knn(unit(pv), unit(pb), k), knn(unit(pt), unit(pb), k))
        for kk in (1, 20):
            base[f'pix_cos_k{kk}'] = (knn(unit(qv), unit(qb), kk), knn(unit(qt), unit(qb), kk))
            base[f'Cf_cos_k{kk}'] = (knn(unit(fv), unit(fb), kk), knn(unit(ft), unit(fb), kk))
    z = zscores(base)
    rec = {n: roc_auc_score(y, v) for n, v in z.items()}
    rec['AS ref'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z['Cf']) / 2)
    rec['AS C+Cf_cos'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z['Cf_cos']) / 2)
    rec['AS C+pix_cos'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z['pix_cos']) / 2)
    rec['AS C+Cf_cos+pix_cos'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z['Cf_cos'] + z['pix_cos']) / 3)
    rec['AS C+Cf+pix_cos'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z['Cf'] + z['pix_cos']) / 3)
    for lam in (4, 16): rec[f'AS C+Cf_cos+pix_cos lam{lam}'] = roc_auc_score(y, z['J'] + lam * (z['C'] + z['Cf_cos'] + z['pix_cos']) / 3)
    for kk in (1, 20): rec[f'AS C+Cf_cos+pix_cos k{kk}'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z[f'Cf_cos_k{kk}'] + z[f'pix_cos_k{kk}']) / 3)
    rec['AS C+Cf_cos+pix_cos_noshift'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z['Cf_cos'] + z['pix_cos_noshift']) / 3)
    rec['AS C+Cf+Cf_cos+pix+pix_cos'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z['Cf'] + z['Cf_cos'] + z['pix'] + z['pix_cos']) / 5)
    out[f'{c}:{h}'] = rec
    print(c, h, ' '.join(f'{n} {v:.3f}' for n, v in rec.items()), flush=True)
report(out, 'AS ref')
