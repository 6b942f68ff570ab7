#!/usr/bin/env python
"""Stages 3 and 4 (with --stage2, stages 2-4) trained again from the G and D (and B) of kept inner-fold detectors
(`tools/inner_selection.py`), under another seed or a variant of their settings: how much of a fold's AUROC comes from
the later stages alone. Prints one JSON line per (fold, variant, seed): every term's inner AUROC (AS with today's
reading, or --fd), G''s validation MMD² along stage 3 and what ended stage 3. Only the training classes enter (the
folds' pseudo-anomalies); no outer test image is read. Runs made before --fd existed scored AS with the kept
detector's own reading (C+GpNNf for the folds of runs/selection): pass --fd C+GpNNf to repeat them.

    python tools/retrain_stages.py "runs/selection/quick+amp=bf16+converge=2+steps1=3000" --only 0:1 5:4 7:6 --variants ref beta1 --seed 2
    python tools/retrain_stages.py runs/selection/quick --stage2 --variants emac band --seed 2
"""
import argparse, dataclasses, glob, json, re, time, torch
ap = argparse.ArgumentParser(); ap.add_argument('folds'); ap.add_argument('--only', nargs='*'); ap.add_argument('--variants', nargs='*', default=['ref'])
ap.add_argument('--out', default=None); ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--stage2', action='store_true', help='train B again too (from the kept G and D)')
ap.add_argument('--fd', default='C+GpCos+GpCosf', help="the f_D reading of AS (today's default on images)"); args = ap.parse_args()
torch.set_num_threads(1)
from omasgan.api import Detector
from omasgan import OMASGAN  # registers the method
from omasgan.selection import inner_split
from omasgan.data import load_data
from omasgan.retrain import train_retrain
from omasgan.detector import train_detector
from omasgan.boundary import train_boundary
from omasgan.convergence import GeneratorMonitor
from omasgan.loop import generate
from omasgan.core import seed_everything
from sklearn.metrics import roc_auc_score
VARIANTS = {'ref': {}, 'beta1': dict(beta=1.0), 'lr4': dict(lr=1e-4), 'alpha1': dict(alpha=1.0), 'steps3_100': dict(steps3=100),
            'emac': dict(ema_critic=0.99), 'emac995': dict(ema_critic=0.995),
            'emac_lr1e-4': dict(ema_critic=0.99, lr=1e-4), 'emac_lr5e-5': dict(ema_critic=0.99, lr=5e-5),   # lr: stage 3's only
            'band': dict(ema_critic=0.99, d_target='band', reference='data'), 'emac_beta1': dict(ema_critic=0.99, beta=1.0), 'emac_beta05': dict(ema_critic=0.99, beta=0.5), 'emac_steps3_800': dict(ema_critic=0.99, steps3=800),
            'caps': dict(ema_critic=0.99, steps3=1600, lr_decay=0.5), 'caps_beta085': dict(ema_critic=0.99, steps3=1600, lr_decay=0.5, beta=0.85)}   # band: with --stage2; caps: stage 3 as quick trains it today
STAGE4 = ('ema_critic',)   # the variants' settings that stage 4 reads too
data = load_data('mnist5k')
for m in sorted(glob.glob(f'{args.folds}/model_c*_h*_s0.pt')):
    c, h = map(int, re.search(r'c(\d+)_h(\d+)', m).groups())
    if args.only and f'{c}:{h}' not in args.only: continue
    sp = inner_split(data, c, h, 'ganomaly', 0); y = sp.test_labels.numpy()
    for v in args.variants:
        det = Detector.load(m)
        x, xv = det._prepare(sp.train).to(det.device), det._prepare(sp.val).to(det.device)
        N = det.nets; cfg = dataclasses.replace(det.cfg, **VARIANTS[v]); cfg4 = dataclasses.replace(det.cfg, steps3=cfg.steps3, **{k: w for k, w in VARIANTS[v].items() if k in STAGE4})
        seed_everything(args.seed); t0 = time.time()
        if args.stage2:
            N['B'], _, _ = train_boundary(x, N['G'], N['D'], cfg, progress=False)
        Gp, C, h3 = train_retrain(x, N['G'], N['D'], N['B'], cfg, monitor=GeneratorMonitor('Gp', xv, x, cfg, N['G'].z_dim), eval_every=50, progress=False)
        J, h4 = train_detector(x, Gp, N['B'], C, cfg4, progress=False)
        det.nets.update(Gp=Gp.eval(), C=C.eval(), J=J.eval()); det.bank = generate(Gp.eval(), det.cfg.score_bank); det._bank_features = None; det.fd = args.fd
        with torch.no_grad(): det._fit_scores(xv)
        terms = {k: roc_auc_score(y, s) for k, s in det.score_terms(sp.test).items()}
        mmd = [(r['step'], round(r['mmd'], 4)) for r in h3 if r.get('mmd') is not None]
        rec = dict(fold=f'{c}:{h}', variant=v, seed=args.seed, terms=terms, mmd=mmd, noise=h3[-1].get('mmd_noise'), steps3=h3[-1]['step'], criterion3=bool(h3[-1].get('ended_by_criterion')), seconds=time.time() - t0)
        print(json.dumps(rec), flush=True)
        if args.out:
            with open(args.out, 'a') as f: f.write(json.dumps(rec) + '\n')
