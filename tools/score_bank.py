#!/usr/bin/env python
"""Score-only variants of OMASGAN's f_D on the ten inner folds of `07c_selection`, from the detectors
`tools/inner_selection.py` kept in runs/selection/quick: the size of the G'(z) bank (4,096 or 16,384), the
neighbour count (1, 5, 20), and the critic whose features the distance uses (C, D or J). No training, no outer
test image. Prints every variant's mean and worst inner AUROC, best first (`07_detector`, "What was tried").

    python tools/score_bank.py [--folds runs/selection/quick]
"""
import argparse, numpy as np, torch
from pathlib import Path
ap = argparse.ArgumentParser(description=__doc__.splitlines()[0]); ap.add_argument('--folds', default='runs/selection/quick'); args = ap.parse_args()
torch.set_num_threads(1)
from omasgan.api import Detector, critic_anomaly
from omasgan.detector import critic_features, knn_mean
from omasgan.loop import generate
from omasgan.selection import inner_split
from omasgan.data import load_data
from sklearn.metrics import roc_auc_score
data = load_data('mnist5k')
folds = [(a, b) for c in range(0, 10, 2) for a, b in ((c, c + 1), (c + 1, c))]
out = {}
for c, h in folds:
    det = Detector.load(Path(args.folds)/f'model_c{c}_h{h}_s0.pt')
    sp = inner_split(data, c, h, 'ganomaly', 0)
    xv, xt = det._prepare(sp.val).to(det.device), det._prepare(sp.test).to(det.device)
    y = sp.test_labels.numpy()
    N = det.nets
    base = {}
    with torch.no_grad():
        for k in ('D', 'C', 'J'): base[k] = (critic_anomaly(N[k], xv), critic_anomaly(N[k], xt))
        feats = {k: (critic_features(N[k], xv), critic_features(N[k], xt)) for k in ('C', 'D', 'J')}
        for n in (4096, 16384):
            torch.manual_seed(123); bank = generate(N['Gp'], n)
            fb = {k: critic_features(N[k], bank) for k in ('C', 'D', 'J')}
            for kk in (1, 5, 20):
                base[f'pix_n{n}_k{kk}'] = tuple(knn_mean(x, bank, kk) for x in (xv, xt))
                for f in ('C', 'D', 'J'):
                    base[f'{f}f_n{n}_k{kk}'] = tuple(knn_mean(x, fb[f], kk) for x in feats[f])
    z = {k: ((t - v.double().mean()) / v.double().std()).numpy() for k, (v, t) in ((k, (v.double(), t.double())) for k, (v, t) in base.items())}
    rec = {k: roc_auc_score(y, v) for k, v in z.items()}
    for n in (4096, 16384):
        for kk in (1, 5, 20):
            rec[f'AS_C+Cf_n{n}_k{kk}'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z[f'Cf_n{n}_k{kk}']) / 2)
            rec[f'AS_C+Cf+pix_n{n}_k{kk}'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z[f'Cf_n{n}_k{kk}'] + z[f'pix_n{n}_k{kk}']) / 3)
            rec[f'AS_Cf+pix_n{n}_k{kk}'] = roc_auc_score(y, z['J'] + 8 * (z[f'Cf_n{n}_k{kk}'] + z[f'pix_n{n}_k{kk}']) / 2)
            rec[f'AS_C+Cf+Df_n{n}_k{kk}'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z[f'Cf_n{n}_k{kk}'] + z[f'Df_n{n}_k{kk}']) / 3)
    out[f'{c}:{h}'] = rec
    print(c, h, f"AS ref {rec['AS_C+Cf_n4096_k5']:.3f}", flush=True)
keys = list(next(iter(out.values())))
A = np.array([[out[f][k] for k in keys] for f in out])
for i in np.argsort(-A.mean(0)):
    print(f"{keys[i]:28s} mean {A[:, i].mean():.3f} min {A[:, i].min():.3f}")
