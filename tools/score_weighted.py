#!/usr/bin/env python
"""Score-only test of an importance-weighted G'(z) bank for f_D on the inner folds of `07c_selection`, from the
detectors `tools/inner_selection.py` kept: draw 16,384 G'(z), keep 4,096 of them drawn without replacement with
weights exp(V(G'(z))/τ) of a trained critic V (C or D; KL-WGAN's self-normalised importance weights, which
correct a generator towards the data), then f_D as today (mean distance to the 5 nearest, pixels and C's
features). No training, no outer test image. Prints each variant's mean and worst inner AUROC, best first.

    python tools/score_weighted.py [--folds runs/selection/quick]
"""
import argparse, torch
ap = argparse.ArgumentParser(description=__doc__.splitlines()[0]); ap.add_argument('--folds', default='runs/selection/quick')
ap.add_argument('--taus', type=float, nargs='*', default=[1., 5.]); args = ap.parse_args()
torch.set_num_threads(2)
from omasgan.api import critic_anomaly
from omasgan.detector import critic_features, knn_mean
from omasgan.loop import generate
from sklearn.metrics import roc_auc_score
from kept_folds import kept_folds, zscores, report

out = {}
for c, h, det, sp in kept_folds(args.folds):
    xv, xt = (det._prepare(s).to(det.device) for s in (sp.val, sp.test))
    y = sp.test_labels.numpy()
    N, base = det.nets, {}
    with torch.no_grad():
        for k in ('C', 'J'): base[k] = (critic_anomaly(N[k], xv), critic_anomaly(N[k], xt))
        fv, ft = critic_features(N['C'], xv), critic_features(N['C'], xt)
        torch.manual_seed(123); big = generate(N['Gp'], 16384)
        banks = {'plain': big[:4096]}
        for V in ('C', 'D'):
            v = -critic_anomaly(N[V], big).double()
            for tau in args.taus:
                w = torch.softmax(v / tau, 0)
                g = torch.Generator().manual_seed(7)
                banks[f'{V}tau{tau:g}'] = big[torch.multinomial(w.float(), 4096, replacement=False, generator=g)]
                ess = 1 / (w ** 2).sum().item()
                print(f'  c{c} h{h} {V} tau {tau:g}: effective sample size {ess:.0f} of 16384', flush=True)
        for name, bank in banks.items():
            fb = critic_features(N['C'], bank)
            base[f'pix_{name}'] = (knn_mean(xv, bank, 5), knn_mean(xt, bank, 5))
            base[f'Cf_{name}'] = (knn_mean(fv, fb, 5), knn_mean(ft, fb, 5))
    z = zscores(base)
    rec = {k: roc_auc_score(y, v) for k, v in z.items()}
    for name in banks:
        rec[f'AS C+Cf {name}'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z[f'Cf_{name}']) / 2)
        rec[f'AS C+Cf+pix {name}'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z[f'Cf_{name}'] + z[f'pix_{name}']) / 3)
    out[f'{c}:{h}'] = rec
    print(c, h, ' '.join(f'{k} {v:.3f}' for k, v in rec.items() if k.startswith('AS')), flush=True)
report(out, 'AS C+Cf plain', 22)
