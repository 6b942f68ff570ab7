#!/usr/bin/env python
"""Where OMASGAN's boundary samples B(z) lie on images, measured on the models an `omasgan loo` run saved: for each
job, distances of B(z), G(z) and G'(z) to their nearest normal *training* image against the normal validation
images' own nearest-training-image distances, the shares of B(z) in the training data's boundary band
(`boundary_band`, k = 10), and each sample's spread (mean pairwise distance). No test image is read.

    python tools/boundary_images.py runs/loo-kl [--seed 0] [--grid assets/readme/mnist_samples.png --grid-class 0]
"""
import argparse, json
from pathlib import Path
import numpy as np
import torch
from omasgan import OMASGAN
from omasgan.data import mnist5k, loo_split, show_images
from omasgan.loop import generate
from omasgan.boundary import boundary_band, nearest_index

def spread(x, n=1000):
    x = x[:n].flatten(1)
    d = torch.cdist(x, x)
    return d[~torch.eye(len(x), dtype=torch.bool)].mean().item()

def measure(job:Path, data):
    c = json.loads((job/'config.json').read_text())
    det = OMASGAN.load(job/'model.pt', device='cpu')
    sp = loo_split(data, c['abnormal_class'], c['protocol'], seed=c['seed'])
    x, xv = det._prepare(sp.train), det._prepare(sp.val)
    torch.manual_seed(0)
    s = {k: generate(det.nets[k], 1000) for k in ('G', 'Gp', 'B')}
    nn = lambda a: nearest_index(a, x)[1]
    r_val = nn(xv)
    q95, q999 = torch.quantile(r_val, 0.95).item(), torch.quantile(r_val, 0.999).item()
    out = dict(c=c['abnormal_class'], seed=c['seed'], val_median=r_val.median().item(), val_q95=q95)
    for k, v in s.items():
        r = nn(v)
        out[k] = dict(median=r.median().item(), beyond_q95=(r > q95).float().mean().item(), beyond_max=(r > r_val.max()).float().mean().item(),
                      spread=spread(v), **{f'band_{b}': boundary_band(v, x)[b] for b in ('inside', 'band', 'far')})
    out['val_spread'] = spread(xv)
    return out, det, x

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('run'); ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--grid', default=None); ap.add_argument('--grid-class', type=int, default=0)
    a = ap.parse_args()
    data = mnist5k()
    jobs = sorted(Path(a.run, 'jobs').glob(f'omasgan_*_s{a.seed}'), key=lambda p: int(p.name.split('_c')[1].split('_')[0]))
    rows = []
    print('| digit out | validation → train: median, 95th pct | G(z) → train: median | B(z) → train: median | B(z) beyond the 95th pct | B(z) beyond every validation image | k-NN band of B(z): inside / band / beyond | spread of B(z) / G(z) / validation |')
    print('|---|---|---|---|---|---|---|---|')
    for job in jobs:
        if not (job/'model.pt').exists(): continue
        m, det, x = measure(job, data)
        rows.append(m)
        B, G = m['B'], m['G']
        print(f"| {m['c']} | {m['val_median']:.2f}, {m['val_q95']:.2f} | {G['median']:.2f} | {B['median']:.2f} | {B['beyond_q95']:.0%} | {B['beyond_max']:.0%} | "
              f"{B['band_inside']:.0%} / {B['band_band']:.0%} / {B['band_far']:.0%} | {B['spread']:.2f} / {G['spread']:.2f} / {m['val_spread']:.2f} |")
        if a.grid and m['c'] == a.grid_class:
            import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt
            fig, axs = plt.subplots(1, 4, figsize=(16, 4.4))
            torch.manual_seed(1); idx = torch.randperm(len(x))[:36]
            show_images(x[idx], nrow=6, ax=axs[0], title='normal training digits x')
            for ax, (k, t) in zip(axs[1:], [('G', 'G(z): stage 1'), ('Gp', "G′(z): stage 3"), ('B', 'B(z): boundary samples')]):
                torch.manual_seed(2); show_images(generate(det.nets[k], 36), nrow=6, ax=ax, title=t)
            fig.suptitle(f"mnist5k, digit {m['c']} left out, seed {m['seed']} (the job's saved model)"); fig.tight_layout()
            Path(a.grid).parent.mkdir(parents=True, exist_ok=True); fig.savefig(a.grid, dpi=80, bbox_inches='tight')
    if rows:
        mean = lambda f: np.mean([f(r) for r in rows])
        print(f"\nmean over {len(rows)} digits: B(z) median distance {mean(lambda r: r['B']['median']):.2f} against validation {mean(lambda r: r['val_median']):.2f} "
              f"and G(z) {mean(lambda r: r['G']['median']):.2f}; beyond the validation 95th percentile {mean(lambda r: r['B']['beyond_q95']):.0%}; "
              f"spread B/G {mean(lambda r: r['B']['spread'] / r['G']['spread']):.2f}")
