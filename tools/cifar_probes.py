#!/usr/bin/env python
"""Cheap probes of CIFAR-10's inner folds, without a GAN: what pixel statistics and a plain rotation network can tell.

For every inner fold c:h of `07c_selection` (outer anomaly c, never read; pseudo-anomaly h, a normal class of the outer
experiment), on the outer experiment's normal training data only, the AUROC on h against held-out normals of:
- pixel scores: kNN (k = 5), kNN between directions (Cos), kNN on images standardised one by one (zs), the images'
  complexity (TV: mean absolute difference of neighbouring pixels; zlen: zlib-compressed bytes), and kNN corrected
  for complexity as in Serrà et al. 2020 (log kNN − b · log complexity, each standardised on normal validation images);
- a rotation network (the RGB critic with a linear head guessing which of four quarter turns an image was given, trained
  on the fold's training images alone): R (its negative log-likelihood of the right turns), NNf and Cosf (kNN in its
  features, to 6,000 training images), R+Cosf (standardised on normal validation images).

    python tools/cifar_probes.py --data-root /path/cifar10-train-20k.npz --out runs/cifar-probes.json
"""
import argparse, json, time, zlib
from pathlib import Path
import numpy as np
import torch
from sklearn.metrics import roc_auc_score
from omasgan.core import atomic_write
from omasgan.data import load_data
from omasgan.selection import inner_split
from omasgan.api import knn_scores, unit
from omasgan.nets import make_nets
from omasgan.gan import with_rotation_head, rotation_loss, rotation_score
from omasgan.detector import critic_features

def tv(x): return (x[..., 1:, :] - x[..., :-1, :]).abs().flatten(1).mean(1) + (x[..., :, 1:] - x[..., :, :-1]).abs().flatten(1).mean(1)
def zlen(x):
    u8 = ((x + 1) * 127.5).round().clamp(0, 255).to(torch.uint8).numpy()
    return torch.tensor([len(zlib.compress(a.tobytes(), 9)) for a in u8], dtype=torch.float)
def per_image(x): x = x.flatten(1).float(); return (x - x.mean(1, keepdim=True)) / x.std(1, keepdim=True).clamp_min(1e-3)
def standardised(v, ref): return (v - ref.mean()) / ref.std()

def pixel_scores(tr, va, te)->dict:
    s = {'kNN': knn_scores(tr, te), 'Cos': knn_scores(unit(tr + 1), unit(te + 1)), 'zs': knn_scores(per_image(tr), per_image(te)),
         'TV': tv(te), 'zlen': zlen(te)}
    k = standardised(torch.log(s['kNN']), torch.log(knn_scores(tr, va)))
    for name, f in (('TV', tv), ('zlen', zlen)):
        c = standardised(torch.log(s[name]), torch.log(f(va)))
        for b in (1, 2): s[f'kNN-{b}{name}'] = k - b * c
    return s

def rotation_scores(tr, va, te, steps:int, seed:int)->dict:
    torch.manual_seed(seed)
    C = with_rotation_head(make_nets(tr.shape[1:], 128, 64)[1], tr.shape[1:])
    opt = torch.optim.Adam(C.parameters(), 4e-4, betas=(0.5, 0.999))
    for _ in range(steps):
        C.train(); b = tr[torch.randint(len(tr), (64,))]
        b = torch.where(torch.rand(64, 1, 1, 1) < 0.5, b, b.flip(3))
        loss = rotation_loss(C, b); opt.zero_grad(); loss.backward(); opt.step()
    fb = critic_features(C, tr[torch.randperm(len(tr))[:6000]])
    s, fv = {}, {}
    for name, x, out in (('te', te, s), ('va', va, fv)):
        f = critic_features(C, x)
        out.update(R=rotation_score(C, x), NNf=knn_scores(fb, f), Cosf=knn_scores(unit(fb), unit(f)))
    s['R+Cosf'] = standardised(s['R'], fv['R']) + standardised(s['Cosf'], fv['Cosf'])
    return s

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--data-root', required=True, help='the .npz of --dataset npz (images and labels)')
    ap.add_argument('--folds', nargs='*', default=[f'{a}:{b}' for c in range(0, 10, 2) for a, b in ((c, c + 1), (c + 1, c))])
    ap.add_argument('--steps', type=int, default=1500, help="the rotation network's training steps (batch 64)")
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--threads', type=int, default=0)
    ap.add_argument('--out', default='runs/cifar-probes.json', help='one record per fold, kept as they come (resumable)')
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    out = Path(a.out); res = json.loads(out.read_text()) if out.exists() else {}
    data = load_data('npz', a.data_root)
    for f in a.folds:
        if f in res: continue
        c, h = map(int, f.split(':'))
        sp = inner_split(data, c, h, seed=a.seed)
        tr, va, te, y = sp.train.float(), sp.val.float(), sp.test.float(), sp.test_labels.numpy()
        t0 = time.time()
        s = {**pixel_scores(tr, va, te), **rotation_scores(tr, va, te, a.steps, a.seed)}
        res[f] = {k: float(roc_auc_score(y, v.numpy())) for k, v in s.items()}
        out.parent.mkdir(parents=True, exist_ok=True); atomic_write(out, json.dumps(res, indent=1))
        print(f, f'{time.time() - t0:.0f} s', ' '.join(f'{k} {v:.3f}' for k, v in res[f].items()), flush=True)
    keys = list(next(iter(res.values())))
    groups = {'all folds': list(res), 'c even (h = c+1)': [f for f in res if int(f.split(':')[0]) % 2 == 0],
              'c odd (h = c-1)': [f for f in res if int(f.split(':')[0]) % 2 == 1]}
    print('| folds | ' + ' | '.join(keys) + ' |\n|---|' + '---|' * len(keys))
    for g, fs in groups.items():
        if fs: print(f'| {g} ({len(fs)}) | ' + ' | '.join(f'{np.mean([res[f][k] for f in fs]):.3f}' for k in keys) + ' |')
    print(f"| worst fold | " + ' | '.join(f'{min(res[f][k] for f in res):.3f}' for k in keys) + ' |')
