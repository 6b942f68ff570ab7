#!/usr/bin/env python
"""Convergence of the generator stages under setting variants, on normal training and validation data only: for
each job (abnormal class c, seed s) of the `ganomaly` protocol, OMASGAN's stages 1 to 3 are trained as `omasgan loo`
would train them (same split, seed and profile), and what ended stages 1 and 3 (criterion or cap), at which step,
and with which validation MMD² is appended to a JSONL file. No test image is read and stage 4 is not trained.

    python tools/convergence_variants.py --out runs/conv.jsonl --jobs 8:1 4:2 --variant lr_decay=0.5 [--threads 1]
    python tools/convergence_variants.py --out runs/conv.jsonl --table        # criterion / cap per variant and stage
    python tools/convergence_variants.py --out runs/cifar-conv.jsonl --dataset npz --data-root cifar10-train-20k.npz --jobs 0:0 --variant steps1=6000

A (data set, variant, job) already in --out is skipped, so a sweep resumes.
"""
import argparse, json, time
from collections import defaultdict
from pathlib import Path
import torch
from omasgan import OMASGAN
from omasgan.data import load_data, loo_split
from omasgan.gan import train_gan
from omasgan.boundary import train_boundary, BoundaryMonitor
from omasgan.retrain import train_retrain
from omasgan.convergence import GeneratorMonitor

class _Stop(Exception): pass

class StagesOneToThree(OMASGAN):
    "OMASGAN whose training stops after stage 3, keeping the histories of stages 1 to 3."
    def _train(self, x, ckpt_dir):
        cfg, xv, z = self.cfg, self._x_val, self.cfg.z_dim
        kw = dict(progress=False, eval_every=cfg.eval_every, select=cfg.select)
        G, D, h1 = train_gan(x, cfg, monitor=GeneratorMonitor('G', xv, x, cfg, z), **kw)
        B, _, h2 = train_boundary(x, G, D, cfg, monitor=BoundaryMonitor(x, xv, cfg, z), **kw)
        _, _, h3 = train_retrain(x, G, D, B, cfg, monitor=GeneratorMonitor('Gp', xv, x, cfg, z), **kw)
        self.history = dict(stage1=h1, stage3=h3)
        raise _Stop

def summary(h:list)->dict:
    "Steps, what ended the stage, the last MMD² and the criterion's level, from a stage's history."
    ev = [r for r in h if 'mmd' in r]
    return dict(steps=h[-1]['step'], criterion=bool(h[-1].get('ended_by_criterion')), mmd=ev[-1]['mmd'],
                ref=ev[-1]['mmd_ref'], noise=ev[-1]['mmd_noise'], curve=[(r['step'], r['mmd']) for r in ev])

def data_of(row:dict)->str:
    "The data set a row of --out was trained on (rows written before --dataset existed are mnist5k's)."
    return row.get('dataset', 'mnist5k')

def table(path:Path):
    "Per variant and stage: jobs ended by the criterion, of all jobs run."
    rows = [json.loads(l) for l in path.read_text().splitlines() if l.strip()]
    by = defaultdict(list)
    for r in rows: by[r['variant'] if data_of(r) == 'mnist5k' else f"{data_of(r)}: {r['variant']}"].append(r)
    print('| variant | jobs | stage 1 on criterion | stage 3 on criterion | median steps (1 / 3) | minutes per job |\n|---|---|---|---|---|---|')
    for v, rs in by.items():
        med = lambda k: sorted(r[k]['steps'] for r in rs)[len(rs) // 2]
        print(f"| {v} | {len(rs)} | {sum(r['stage1']['criterion'] for r in rs)} | {sum(r['stage3']['criterion'] for r in rs)} | "
              f"{med('stage1')} / {med('stage3')} | {sum(r['seconds'] for r in rs) / len(rs) / 60:.1f} |")

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', required=True)
    ap.add_argument('--jobs', nargs='*', default=[], help='class:seed pairs')
    ap.add_argument('--variant', nargs='*', default=[], metavar='KEY=VALUE', help='settings over the profile (none: the profile)')
    ap.add_argument('--profile', default='quick')
    ap.add_argument('--dataset', default='mnist5k', help="as `omasgan loo --dataset` (e.g. 'npz' with --data-root)")
    ap.add_argument('--data-root', default=None)
    ap.add_argument('--threads', type=int, default=0)
    ap.add_argument('--table', action='store_true')
    a = ap.parse_args()
    out = Path(a.out)
    if a.table: table(out); raise SystemExit
    if a.threads: torch.set_num_threads(a.threads)
    from omasgan.cli import parse_overrides
    sets, name = parse_overrides(a.variant), '+'.join([a.profile, *sorted(a.variant)])
    done = {(data_of(r), r['variant'], r['job']) for r in map(json.loads, out.read_text().splitlines())} if out.exists() else set()
    data = load_data(a.dataset, a.data_root)
    label = a.dataset if a.data_root is None else f'{a.dataset}:{Path(a.data_root).name}'   # what the rows of --out say they were trained on
    for j in a.jobs:
        if (label, name, j) in done: continue
        c, s = map(int, j.split(':'))
        sp = loo_split(data, c, 'ganomaly', seed=s)
        det, t0 = StagesOneToThree(a.profile, seed=s, progress=False, **sets), time.time()
        try: det.fit(sp.train, sp.val, input_hw=sp.raw_hw)
        except _Stop: pass
        row = dict(dataset=label, variant=name, job=j, seconds=time.time() - t0, **{k: summary(h) for k, h in det.history.items()})
        print(f"{name} {j}: stage 1 {row['stage1']['steps']} ({'criterion' if row['stage1']['criterion'] else 'cap'}), "
              f"stage 3 {row['stage3']['steps']} ({'criterion' if row['stage3']['criterion'] else 'cap'}), {row['seconds']:.0f} s", flush=True)
        with open(out, 'a') as f: f.write(json.dumps(row) + '\n')
