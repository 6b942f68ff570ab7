#!/usr/bin/env python
"""Score-only test of a truncated G'(z) bank for f_D on the inner folds of `07c_selection`, from the detectors that
`tools/inner_selection.py` kept: the bank drawn from z ~ ψ·N(0, I) instead of N(0, I) (the truncation trick of
GAN sampling, which trades diversity for samples nearer the modes), then today's directional readings GpCos and
GpCosf and AS = J + 8 · (C + GpCos + GpCosf)/3. No training, no outer test image. Prints each variant's mean and
worst inner AUROC, best first, with its paired difference to ψ = 1 (today).

    python tools/score_truncation.py [--folds runs/selection/quick] [--psi 1 0.85 0.7 0.5]
"""
import argparse, torch
ap = argparse.ArgumentParser(description=__doc__.splitlines()[0]); ap.add_argument('--folds', default='runs/selection/quick')
ap.add_argument('--psi', type=float, nargs='*', default=[1., 0.85, 0.7, 0.5]); ap.add_argument('--threads', type=int, default=2)
args = ap.parse_args()
torch.set_num_threads(args.threads)
from omasgan.api import unit
from omasgan.detector import critic_features, knn_mean
from sklearn.metrics import roc_auc_score
from kept_folds import kept_folds, fold_arrays, zscores, report, bank_of

out = {}
for c, h, det, sp in kept_folds(args.folds):
    y, base, pix, feat = fold_arrays(det, sp)
    N, k = det.nets, det.cfg.nn_k
    terms = {n: base[n] for n in ('C', 'J')}
    for psi in args.psi:
        _, bank = bank_of(N['Gp'], det.cfg.score_bank, psi)
        with torch.no_grad():
            fb = critic_features(N['C'], bank)
            terms[f'GpCos psi{psi}'] = tuple(knn_mean(unit(pix[s] + 1), unit(bank.flatten(1) + 1), k) for s in ('val', 'test'))
            terms[f'GpCosf psi{psi}'] = tuple(knn_mean(unit(feat[s]), unit(fb), k) for s in ('val', 'test'))
    z = zscores(terms)
    rec = {n: roc_auc_score(y, v) for n, v in z.items() if n not in ('C', 'J')}
    for psi in args.psi:
        rec[f'AS psi{psi}'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z[f'GpCos psi{psi}'] + z[f'GpCosf psi{psi}']) / 3)
    out[f'{c}:{h}'] = rec
    print(c, h, ' '.join(f'{n} {v:.3f}' for n, v in rec.items()), flush=True)
report(out, 'AS psi1.0')
