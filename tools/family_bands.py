#!/usr/bin/env python
"""Shares of each boundary-sample method's negatives inside / in / beyond the 2-D toy's boundary band,
for several seeds (each seed: a new draw of the toy and a new training seed). The table of `08k_boundary_family`.

    python tools/family_bands.py [--seeds 0 1 2] [--methods OMASGAN FenceGAN ...]
"""
import argparse, time
from omasgan.core import seed_everything
from omasgan.data import toy2d
from omasgan.config import make_config
from omasgan.gan import train_gan
from omasgan.boundary import train_boundary, boundary_band
from omasgan.loop import generate
from omasgan.baselines.fencegan import FenceGAN
from omasgan.baselines.minlgan import MinLGAN
from omasgan.baselines.bdsg import BDSG
from omasgan.baselines.tailgan import TailGAN

FAMILY = (FenceGAN, MinLGAN, BDSG, TailGAN)

def bands(seed:int, methods=('OMASGAN', *(c.label for c in FAMILY)))->dict:
    seed_everything(seed)
    x = toy2d(2000, seed=seed).x
    out = {}
    if 'OMASGAN' in methods:
        cfg = make_config(kind='points')
        G, D, _ = train_gan(x, cfg, progress=False)
        B, _, _ = train_boundary(x, G, D, cfg, progress=False)
        out['OMASGAN'] = boundary_band(generate(B, 2000), x)
    for cls in (c for c in FAMILY if c.label in methods):
        det = cls(seed=seed, progress=False).fit(x)
        out[cls.label] = boundary_band(next(iter(det.samples(2000).values())), x)
    return out

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    ap.add_argument('--methods', nargs='+', default=['OMASGAN', *(c.label for c in FAMILY)], choices=['OMASGAN', *(c.label for c in FAMILY)])
    a = ap.parse_args()
    t0 = time.time()
    res = {s: bands(s, a.methods) for s in a.seeds}
    methods = list(res[a.seeds[0]])
    print('| method | ' + ' | '.join(f'seed {s}: inside / band / beyond' for s in a.seeds) + ' |')
    print('|---|' + '---|' * len(a.seeds))
    for m in methods:
        print(f'| {m} | ' + ' | '.join(f"{res[s][m]['inside']:.0%} / **{res[s][m]['band']:.0%}** / {res[s][m]['far']:.0%}" for s in a.seeds) + ' |')
    print(f'\n({time.time() - t0:.0f} s)')
