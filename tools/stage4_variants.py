#!/usr/bin/env python
"""Stage 4 (the anomaly discriminator J) trained again from the G', B and C of kept inner-fold detectors
(`tools/inner_selection.py`), under variants of its settings and other seeds: what J learns, and what AS gains, when
only stage 4 changes. Every other term is computed once per fold; J is standardised on the fold's normal validation
data as `fit` does, and AS = z(J) + λ_AS · f_D with today's reading. Only the training classes enter (the folds'
pseudo-anomalies); no outer test image is read. One JSON line per (fold, variant, seed) in --out, resumable.

    python tools/stage4_variants.py runs/selection-j/quick --out runs/selection-j/stage4.jsonl --variants ref gamma1 steps640 --seeds 1 2
    python tools/stage4_variants.py runs/selection-j/quick --out runs/selection-j/stage4.jsonl --table
    python tools/stage4_variants.py runs/selection-j/quick --out runs/selection-j/stage4.jsonl --kept   # J's weight: the kept detectors' AS at every λ_AS, and f_D alone
"""
import argparse, dataclasses, glob, json, re, time
from pathlib import Path
import numpy as np
VARIANTS = {'ref': {}, 'gamma1': dict(gamma=1.0), 'gamma03': dict(gamma=0.3), 'gamma0': dict(gamma=0.0),
            'steps640': dict(steps4=640), 'outside': dict(), 'outside_steps640': dict(steps4=640)}
OUTSIDE = ('outside', 'outside_steps640')   # J's anomalous side: only the B(z) outside the data's bulk

def outside_of_bulk(B, x, cfg, k:int=10, draws:int=4):
    """B as stage 4 sees it, keeping only samples outside the training data's bulk: each call draws `draws` times the
    codes asked for and returns the first samples whose `k`-NN radius to `x` is at least the data's 95th percentile
    (`boundary_band`'s r_lo), topped up with the others when too few lie outside. `.shares` records the share kept per call."""
    import torch
    from torch import nn
    from omasgan.boundary import boundary_band
    from omasgan.api import row_sq_norms, sq_norm_dists
    shares = []                                                  # appended by every copy of the module (stage 4 trains with a frozen copy)
    class Outside(nn.Module):
        def __init__(self):
            super().__init__(); self.B, self.z_dim = B, B.z_dim
            self.r_lo = boundary_band(x[:2], x, k=k, max_elems=cfg.chunk_elems)['r_lo']
            self.register_buffer('x', x.flatten(1).float()); self.register_buffer('xn', row_sq_norms(self.x))
        def forward(self, z):
            b = self.B(torch.randn(draws * len(z), self.z_dim, device=z.device))
            r = sq_norm_dists(b.flatten(1).float(), self.x, self.xn).topk(k, dim=1, largest=False).values[:, -1]
            out = r >= self.r_lo; shares.append((out.sum() / len(z)).clamp(max=1))   # a tensor: no host sync per step
            return torch.cat([b[out], b[~out]])[:len(z)]
    m = Outside(); m.shares = shares
    return m

LAMS = (0.25, 0.5, 1., 2., 4., 8., 16., 32.)

def table(rows:list, ref:str='ref')->str:
    "Mean inner AUROC of J and of AS (λ_AS 8, today's) per variant, and each variant against `ref` paired over (fold, seed)."
    by = {}
    for r in rows: by.setdefault(r['variant'], {})[(r['fold'], r['seed'])] = r
    out = ['| variant | pairs | J | AS (λ 8) | AS − ref (se) | best λ: AS |', '|---|---|---|---|---|---|']
    for v, d in by.items():
        j = np.mean([r['J'] for r in d.values()]); a8 = np.mean([r['AS']['8.0'] for r in d.values()])
        lam = max(set.intersection(*[{float(l) for l in r['AS']} for r in d.values()]), key=lambda l: np.mean([r['AS'][str(l)] for r in d.values()]))
        keys = [k for k in d if k in by.get(ref, {})]
        diff = np.array([d[k]['AS']['8.0'] - by[ref][k]['AS']['8.0'] for k in keys])
        se = diff.std(ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else float('nan')
        out.append(f"| {v} | {len(d)} | {j:.3f} | {a8:.3f} | {diff.mean() if len(diff) else float('nan'):+.4f} ({se:.4f}) | "
                   f"{lam:g}: {np.mean([r['AS'][str(lam)] for r in d.values()]):.3f} |")
    return '\n'.join(out)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('folds', help='a folder of kept inner-fold detectors (model_c*_h*_s0.pt)')
    ap.add_argument('--out', required=True); ap.add_argument('--variants', nargs='*', default=['ref'])
    ap.add_argument('--seeds', nargs='*', type=int, default=[1]); ap.add_argument('--only', nargs='*')
    ap.add_argument('--threads', type=int, default=1); ap.add_argument('--table', action='store_true')
    ap.add_argument('--kept', action='store_true', help="only score the kept detectors (no training): AS at every λ_AS and f_D alone, paired against today's λ_AS")
    a = ap.parse_args()
    out = Path(a.out)
    done = [json.loads(l) for l in out.read_text().splitlines()] if out.exists() else []
    if a.table: print(table(done)); raise SystemExit
    import torch
    torch.set_num_threads(a.threads)
    from sklearn.metrics import roc_auc_score
    from omasgan.api import Detector, critic_anomaly
    from omasgan import OMASGAN  # registers the method
    from omasgan.selection import inner_split
    from omasgan.data import load_data
    from omasgan.detector import train_detector, reading_terms
    from omasgan.core import seed_everything
    data, have, kept = load_data('mnist5k'), {(r['fold'], r['variant'], r['seed']) for r in done}, []
    for m in sorted(glob.glob(f'{a.folds}/model_c*_h*_s0.pt')):
        c, h = map(int, re.search(r'c(\d+)_h(\d+)', m).groups())
        fold = f'{c}:{h}'
        if a.only and fold not in a.only: continue
        todo = [(v, s) for v in a.variants for s in a.seeds if (fold, v, s) not in have]
        if not todo and not a.kept: continue
        sp = inner_split(data, c, h, 'ganomaly', 0); y = sp.test_labels.numpy()
        det = Detector.load(m); N = det.nets
        x, xv, xt = (det._prepare(t).to(det.device) for t in (sp.train, sp.val, sp.test))
        with torch.no_grad(): rt = det._raw_terms(xt)
        names = reading_terms(det.reading)
        fd = sum(det.std(k, rt[k]) for k in names) / len(names)       # f_D of the test images, as the kept detector reads it
        zk = det.std('J', rt['J']).double()                            # the kept detector's own J
        kept_fold = dict(kept_J=roc_auc_score(y, rt['J'].cpu().numpy()), kept_AS=roc_auc_score(y, (zk + det.cfg.lam_as * fd.double()).cpu().numpy()))
        if a.kept:
            kept.append([roc_auc_score(y, (zk + l * fd.double()).cpu().numpy()) for l in LAMS] + [roc_auc_score(y, fd.cpu().numpy())])
            continue
        for v, s in todo:
            cfg = dataclasses.replace(det.cfg, **VARIANTS[v])
            seed_everything(s); t0 = time.time()
            B = outside_of_bulk(N['B'], x, cfg) if v in OUTSIDE else N['B']
            J, _ = train_detector(x, N['Gp'], B, N['C'], cfg, progress=False)
            with torch.no_grad(): jv, jt = critic_anomaly(J.eval(), xv).double(), critic_anomaly(J, xt).double()
            zj = (jt - jv.mean()) / jv.std().clamp_min(1e-12)
            rec = dict(fold=fold, variant=v, seed=s, settings=VARIANTS[v], J=roc_auc_score(y, jt.cpu().numpy()),
                       AS={str(l): roc_auc_score(y, (zj + l * fd.double()).cpu().numpy()) for l in LAMS},
                       outside_share=torch.stack(B.shares).mean().item() if v in OUTSIDE else None, **kept_fold, seconds=round(time.time() - t0, 1))
            print(json.dumps(rec), flush=True)
            with open(out, 'a') as f: f.write(json.dumps(rec) + '\n')
    if a.kept:
        k = np.array(kept); ref = k[:, LAMS.index(today := det.cfg.lam_as)]
        print(f'| λ_AS | mean inner AUROC of AS ({len(k)} folds) | − λ {today:g} (se) |\n|---|---|---|')
        for i, name in enumerate([f'{l:g}' for l in LAMS] + ['f_D alone']):
            d = k[:, i] - ref
            print(f'| {name} | {k[:, i].mean():.3f} | {d.mean():+.3f} ({d.std(ddof=1) / np.sqrt(len(d)):.3f}) |')
        raise SystemExit
    print(table([json.loads(l) for l in out.read_text().splitlines()]))
