#!/usr/bin/env python
"""Score-only test of how OMASGAN's standardised terms are combined, on the inner folds of `07c_selection`, from the
detectors `tools/inner_selection.py` kept: z-scores (today), the normal quantile of the validation ECDF (probit), the
ECDF's tail -log(1 - F), and the larger of the two f_D terms. No training, no outer test image.

    python tools/score_rank.py
"""
import numpy as np, torch
from scipy.stats import norm
torch.set_num_threads(1)
from sklearn.metrics import roc_auc_score
from kept_folds import kept_folds
res = []
for c, h, det, sp in kept_folds():
    y = sp.test_labels.numpy()
    with torch.no_grad():
        xv, xt = det._prepare(sp.val).to(det.device), det._prepare(sp.test).to(det.device)
        rv, rt = det._raw_terms(xv), det._raw_terms(xt)
    def z(k): v, t = rv[k].double().numpy(), rt[k].double().numpy(); return (t - v.mean()) / v.std()
    def ecdf(k, f):
        v, t = np.sort(rv[k].double().numpy()), rt[k].double().numpy()
        F = (np.searchsorted(v, t, side='right') + 0.5) / (len(v) + 1)
        return f(F)
    probit = lambda k: ecdf(k, norm.ppf); tail = lambda k: ecdf(k, lambda F: -np.log(1 - F))
    r = dict(ref=roc_auc_score(y, z('J') + 8 * (z('C') + z('GpNNf')) / 2),
             probit=roc_auc_score(y, probit('J') + 8 * (probit('C') + probit('GpNNf')) / 2),
             tail=roc_auc_score(y, tail('J') + 8 * (tail('C') + tail('GpNNf')) / 2),
             max_z=roc_auc_score(y, np.maximum(z('C'), z('GpNNf'))))
    res.append(r); print(c, h, {k: round(v, 3) for k, v in r.items()}, flush=True)
for k in res[0]:
    a = np.array([r[k] for r in res]); d = a - np.array([r['ref'] for r in res])
    print(k, 'mean %.3f min %.3f diff %+.3f se %.3f' % (a.mean(), a.min(), d.mean(), d.std(ddof=1)/np.sqrt(len(d))))
