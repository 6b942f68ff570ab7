#!/usr/bin/env python
"""The measurements behind the weights of the boundary-sample baselines (pages 08g-08j): for each candidate,
the share of the method's generated negatives inside the normal training data's bulk, in its boundary band
and beyond (`boundary_band` of 05_boundary), on the 2-D toy's training points and on mnist5k's training
images with digit 1 left out, and for the image flow its training NLL with and without gradient clipping.
Only training data enters; no test image and no label of an anomaly.

    python tools/weight_choices.py            # about 12 minutes on a 2-core CPU
"""
import time, torch
from omasgan.data import mnist5k, loo_split
from omasgan.loo import toy_split
from omasgan.boundary import boundary_band
from omasgan.loop import draw
from omasgan.baselines.fencegan import FenceGAN
from omasgan.baselines.minlgan import MinLGAN
from omasgan.baselines.bdsg import BDSG
from omasgan.baselines.core import Flow, flow_nll
from omasgan.baselines.tailgan import TailGAN

def shares(cls, data, clamp:bool, **kw)->str:
    det = cls(progress=False, **kw).fit(data)
    g = next(iter(det.samples(1000).values()))
    if clamp: g = g.clamp(-1, 1)
    b = boundary_band(g, data.train)
    spread = g.flatten(1).std(0).mean().item()
    return f"inside {b['inside']:4.0%}  band {b['band']:4.0%}  beyond {b['far']:4.0%}  spread {spread:.2f} (data {data.train.flatten(1).std(0).mean().item():.2f})"

def flow_fit(x, lr:float, clip:float|None, steps:int=300)->float:
    torch.manual_seed(0)
    fl = Flow(tuple(x.shape[1:])); opt = torch.optim.Adam(fl.parameters(), lr=lr)
    for _ in range(steps):
        xb = draw(x, 64); xb = xb + (torch.rand_like(xb) - .5) * 2 / 256
        loss = flow_nll(fl, xb).mean(); opt.zero_grad(); loss.backward()
        if clip: torch.nn.utils.clip_grad_norm_(fl.parameters(), clip)
        opt.step()
    return loss.item()

if __name__ == '__main__':
    t0 = time.time()
    toy, img = toy_split(), loo_split(mnist5k(), 1, 'ganomaly', seed=0)
    rows = [
        ('FenceGAN', 'toy', dict(fence_alpha=0.1, fence_beta=30.)), ('FenceGAN', 'toy', dict(fence_alpha=0.5, fence_beta=0.1)),
        ('FenceGAN', 'toy', dict(fence_alpha=0.5, fence_beta=0.01)), ('FenceGAN', 'images', dict(fence_alpha=0.1, fence_beta=30.)),
        ('FenceGAN', 'images', dict(fence_alpha=0.5, fence_beta=0.1)),
        ('MinLGAN', 'toy', dict(minl_beta=0.7, minl_entropy=0.)), ('MinLGAN', 'toy', dict(minl_beta=0.9, minl_entropy=0.)),
        ('MinLGAN', 'images', dict(minl_beta=0.7, minl_entropy=0.)), ('MinLGAN', 'images', dict(minl_beta=0.9, minl_entropy=0.)),
        ('MinLGAN', 'toy', dict(minl_entropy=0.1)), ('MinLGAN', 'toy', dict(minl_entropy=1.)), ('MinLGAN', 'images', dict(minl_entropy=1.)),
        ('BDSG', 'toy', dict(bd_nu=1.)), ('BDSG', 'toy', dict(bd_nu=3.)), ('BDSG', 'toy', dict(bd_nu=1., bd_mu=1.)),
        ('TailGAN', 'toy', dict(tail_eta=0.1)), ('TailGAN', 'toy', dict(tail_eta=1.)),
    ]
    classes = dict(FenceGAN=FenceGAN, MinLGAN=MinLGAN, BDSG=BDSG, TailGAN=TailGAN)
    for name, where, kw in rows:
        data = toy if where == 'toy' else img
        print(f"{name:9s} {where:7s} {str(kw):44s} {shares(classes[name], data, where != 'toy', **kw)}", flush=True)
    for lr, clip in [(1e-3, None), (1e-3, 1.), (2e-4, None)]:
        print(f"image flow, 300 steps, lr {lr:g}, clip {clip}: last training NLL per pixel {flow_fit(img.train, lr, clip):.3g}", flush=True)
    print(f"({time.time() - t0:.0f} s)")
