#!/usr/bin/env python
"""Score-only test of f_D read from G′'s whole range instead of a finite bank, on the inner folds of `07c_selection`,
from the detectors that `tools/inner_selection.py` kept: each image's nearest G′(z) of the bank (between directions,
as GpCos) is refined by gradient steps on z that bring G′(z)'s direction closer to the image's, with z kept inside
the prior's typical ball; GpCos becomes the distance to that refined sample, GpCosf the distance between C's features
of the image and of the same sample. AS = J + 8 · (C + GpCos + GpCosf)/3, each term standardised on validation data.
No training of any network, no outer test image. Prints each variant's mean and worst inner AUROC, best first, with
its paired difference to today's bank reading. For reference it also scores the same bank reading with samples of
stage 1's G instead of G′ (`G bank`): what stage 3's retraining does to the reference.

    python tools/score_inversion.py [--folds runs/selection/quick] [--steps 10 50] [--lr 0.05]
"""
import argparse, math, torch
ap = argparse.ArgumentParser(description=__doc__.splitlines()[0]); ap.add_argument('--folds', default='runs/selection/quick')
ap.add_argument('--steps', type=int, nargs='*', default=[10, 50], help='gradient steps on z (the bank reading is always scored)')
ap.add_argument('--lr', type=float, default=0.05); ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--radius', type=float, default=1.5, help='z kept within radius·√z_dim (the prior puts nearly all its mass within 1.2·√z_dim)')
args = ap.parse_args()
torch.set_num_threads(args.threads)
from omasgan.api import unit, critic_anomaly
from omasgan.detector import critic_features, knn_mean
from sklearn.metrics import roc_auc_score
from kept_folds import kept_folds, zscores, report, bank_of

def refine(G, x_dir, z0, steps:int, lr:float, radius:float, chunk:int=512):
    "Codes z, from `z0`, moved by Adam to bring the direction of G(z) + 1 towards `x_dir` (unit rows), kept within `radius`·√z_dim."
    G.eval(); out = []
    for p in G.parameters(): p.requires_grad_(False)
    r = radius * math.sqrt(G.z_dim)
    for i in range(0, len(z0), chunk):
        z = z0[i:i + chunk].clone().requires_grad_(True); xd = x_dir[i:i + chunk]
        opt = torch.optim.Adam([z], lr=lr)
        for _ in range(steps):
            loss = (unit(G(z) + 1) - xd).pow(2).sum(1).sum()
            opt.zero_grad(); loss.backward(); opt.step()
            with torch.no_grad(): z.mul_((r / z.norm(dim=1, keepdim=True)).clamp(max=1))
        out.append(z.detach())
    return torch.cat(out)

out = {}
for c, h, det, sp in kept_folds(args.folds):
    N, k = det.nets, det.cfg.nn_k
    xs = {s: det._prepare(getattr(sp, s)).to(det.device) for s in ('val', 'test')}
    y = sp.test_labels.numpy()
    zb, bank = bank_of(N['Gp'], det.cfg.score_bank)
    with torch.no_grad():
        terms = {n: tuple(critic_anomaly(N[n], xs[s]) for s in ('val', 'test')) for n in ('C', 'J')}
        ub, fb = unit(bank + 1), unit(critic_features(N['C'], bank))
        xd = {s: unit(xs[s] + 1) for s in xs}
        xf = {s: unit(critic_features(N['C'], xs[s])) for s in xs}
        terms['GpCos bank'] = tuple(knn_mean(xd[s], ub, k) for s in xs)
        terms['GpCosf bank'] = tuple(knn_mean(xf[s], fb, k) for s in xs)
        nearest = {s: torch.cdist(xd[s], ub).min(1) for s in xs}          # each image's nearest G′(z): distance, index
        terms['GpCos nn1'] = tuple(nearest[s].values for s in xs)
        _, gbank = bank_of(N['G'], det.cfg.score_bank)          # stage 1's G, before stage 3 retrained it into G′
        ug, fg = unit(gbank + 1), unit(critic_features(N['C'], gbank))
        terms['GpCos G'] = tuple(knn_mean(xd[s], ug, k) for s in xs)
        terms['GpCosf G'] = tuple(knn_mean(xf[s], fg, k) for s in xs)
    for T in args.steps:
        zs = {s: refine(N['Gp'], xd[s], zb[nearest[s].indices], T, args.lr, args.radius) for s in xs}
        with torch.no_grad():
            g = {s: N['Gp'](zs[s]) for s in xs}
            terms[f'GpCos inv{T}'] = tuple((unit(g[s] + 1) - xd[s]).norm(dim=1) for s in xs)
            terms[f'GpCosf inv{T}'] = tuple((unit(critic_features(N['C'], g[s])) - xf[s]).norm(dim=1) for s in xs)
    z = zscores(terms)
    rec = {n: roc_auc_score(y, v) for n, v in z.items() if n not in ('C', 'J')}
    rec['AS bank'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z['GpCos bank'] + z['GpCosf bank']) / 3)
    rec['AS G bank'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z['GpCos G'] + z['GpCosf G']) / 3)
    for T in args.steps:
        rec[f'AS inv{T}'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z[f'GpCos inv{T}'] + z[f'GpCosf inv{T}']) / 3)
        rec[f'AS inv{T}+bank'] = roc_auc_score(y, z['J'] + 8 * (z['C'] + z[f'GpCos inv{T}'] + z[f'GpCosf bank']) / 3)
    out[f'{c}:{h}'] = rec
    print(c, h, ' '.join(f'{n} {v:.3f}' for n, v in rec.items()), flush=True)
report(out, 'AS bank')
