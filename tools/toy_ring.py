#!/usr/bin/env python
"""Does B(z) ring the toy's clusters? Stages 1 and 2 of the quick profile for points on the paper's 2-D toy, for
seeds 0, 1, 2 (each a new draw of the toy and a new training seed): the shares of B(z) inside the data's bulk,
in its boundary band and beyond (`boundary_band`), and the emptiest of 12 angular sectors about each
cluster centre (`ring_sectors`). The targets: band ≥ 70 %, inside ≤ 10 %, every sector ≥ 2 %. Writes the
front page's figure (data, G(z), B(z); seed 0).

    python tools/toy_ring.py [--seeds 0 1 2] [--figure assets/toy_ring.png] [--set lam=30 ...]
"""
import argparse, time
import torch
from omasgan.core import seed_everything
from omasgan.data import toy2d
from omasgan.config import make_config
from omasgan.gan import train_gan
from omasgan.convergence import GeneratorMonitor
from omasgan.boundary import train_boundary, boundary_band, ring_sectors
from omasgan.loop import generate

CENTERS = [(1.5, 1.5), (4., 4.)]

def ring(seed:int, **overrides):
    seed_everything(seed)
    x = toy2d(2000, seed=seed).x
    cfg = make_config(kind='points', **overrides)
    mon = GeneratorMonitor('G', toy2d(200, seed=seed + 5).x, x, cfg)          # as in `OMASGAN.fit`: stage 1 ends on its criterion
    G, D, h1 = train_gan(x, cfg, progress=False, monitor=mon, eval_every=cfg.eval_every)
    B, _, _ = train_boundary(x, G, D, cfg, progress=False)
    torch.manual_seed(seed)
    g, b = generate(G, 2000), generate(B, 2000)
    return x, g, b, boundary_band(b, x), ring_sectors(b, CENTERS), h1[-1]['step']

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    ap.add_argument('--figure', default=None)
    ap.add_argument('--set', nargs='*', default=[], help='KEY=VALUE overrides of the points profile')
    a = ap.parse_args()
    num = lambda v: (float(v) if any(ch in v for ch in '.e') else int(v)) if v.lstrip('-').replace('.', '', 1).replace('e', '', 1).isdigit() else v
    ov = {k: num(v) for k, v in (s.split('=') for s in a.set)}
    print('| seed | stage-1 steps (criterion) | B(z) inside | in the band | beyond | emptiest sector, cluster (1.5, 1.5) | cluster (4, 4) | targets met |')
    print('|---|---|---|---|---|---|---|---|')
    t0 = time.time()
    for s in a.seeds:
        x, g, b, bb, sec, n1 = ring(s, **ov)
        ok = bb['band'] >= 0.7 and bb['inside'] <= 0.1 and bool((sec >= 0.02).all())
        print(f"| {s} | {n1} | {bb['inside']:.1%} | {bb['band']:.1%} | {bb['far']:.1%} | {sec[0].min():.1%} | {sec[1].min():.1%} | {'yes' if ok else 'no'} |", flush=True)
        if a.figure and s == a.seeds[0]:
            import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt
            from pathlib import Path
            fig, axs = plt.subplots(1, 2, figsize=(9, 4.4), sharex=True, sharey=True)
            for ax, (pts, c, lab) in zip(axs, [(g, 'tab:green', 'G(z): the normal model'), (b, 'tab:red', 'B(z): boundary samples')]):
                ax.scatter(*x.T, s=2, c='tab:gray', label='normal data x'); ax.scatter(*pts.T, s=2, c=c, alpha=.6, label=lab)
                ax.set_aspect('equal'); ax.set_xlim(-1, 6.5); ax.set_ylim(-1, 6.5); ax.legend(markerscale=4, loc='upper left', fontsize='small')
            axs[0].set_title('stage 1'); axs[1].set_title(f"stage 2: {bb['band']:.0%} of B(z) in the boundary band, {bb['inside']:.0%} inside")
            fig.tight_layout(); Path(a.figure).parent.mkdir(parents=True, exist_ok=True); fig.savefig(a.figure, dpi=80, bbox_inches='tight')
    print(f'\n({time.time() - t0:.0f} s)')
