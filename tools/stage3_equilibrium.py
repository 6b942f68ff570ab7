#!/usr/bin/env python
"""Where stage 3 ends, read two ways, for each OMASGAN job of an `omasgan loo` run, from its saved detector and
normal data only (training and validation images; no test image is read):

- *G' against the data*, the stage-3 criterion of `07a_convergence`: MMD² between G'(z) on the monitor's fixed codes
  and the validation images, against max(mean, 0) + 5 std of the real-against-real null. The null is drawn
  `--draws` times (the monitor draws 8) and, to tell the criterion's verdict from the noise of its level, 64 times.
- *the stage-3 game at its equilibrium*: C's positives are the mixture α·x + (1 − α)·G(z), its negatives
  β·G'(z) + (1 − β)·B(z); for a fixed C-optimal critic, G' is at its optimum when the two mixtures are equal. MMD²
  between the two mixtures (validation images on the positive side), against the null of the positive mixture
  drawn again from training images and other codes of G.

    python tools/stage3_equilibrium.py runs/loo-conv [--jobs c1_s0 c2_s0] [--threads 1] [--codes 1]

`--codes` draws the codes of B and G in the mixtures anew (the mixture reading's own noise).
"""
import argparse, csv, json
from pathlib import Path
import torch
from omasgan import OMASGAN
from omasgan.data import load_data, loo_split
from omasgan.convergence import mmd2, mmd_scales, subset, fixed_codes, run_eval

def level(null:torch.Tensor, converge:float)->float:
    "The criterion's level from null MMD² values: max(mean, 0) + `converge` × std."
    return max(null.mean().item(), 0.) + converge * null.std().item()

def job_row(jd:Path, data, draws:int, codes_seed:int=0)->dict:
    "The two readings of one job's stage-3 end state."
    meta = json.loads((jd/'config.json').read_text())
    det = OMASGAN.load(jd/'model.pt')
    sp = loo_split(data, meta['abnormal_class'], meta['protocol'], seed=meta['seed'])
    x, xv = det._prepare(sp.train), det._prepare(sp.val)
    cfg = det.config('images')
    n, zd, a, b = cfg.eval_n, cfg.z_dim, cfg.alpha, cfg.beta
    val = subset(xv, n); sc = mmd_scales(val)                       # as `GeneratorMonitor` draws them
    G, B, Gp = (det.nets[k] for k in ('G', 'B', 'Gp'))
    codes = lambda m, seed: fixed_codes(m, zd, 'cpu', seed)
    gp = run_eval(Gp, codes(n, 0))                                   # the monitor's fixed codes
    null = torch.tensor([mmd2(subset(x, n, seed=r), val, sc) for r in range(max(draws, 64))])
    ka, kb = round(a * n), round(b * n)
    pos = torch.cat([val[:ka], run_eval(G, codes(n - ka, 1 + 1000 * codes_seed))])
    neg = torch.cat([gp[:kb], run_eval(B, codes(n - kb, 2 + 1000 * codes_seed))])
    mix_null = torch.tensor([mmd2(torch.cat([subset(x, ka, seed=r), run_eval(G, codes(n - ka, 100 + r + 1000 * codes_seed))]), pos, sc) for r in range(draws)])
    rows = list(csv.DictReader(open(jd/'logs'/'stage3.csv')))
    return dict(job=jd.name, steps3=int(rows[-1]['step']), criterion3=float(rows[-1].get('ended_by_criterion') or 0) == 1.,
                gp=mmd2(gp, val, sc), level=level(null[:draws], cfg.converge), level64=level(null[:64], cfg.converge),
                mix=mmd2(neg, pos, sc), mix_level=level(mix_null, cfg.converge))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('run'); ap.add_argument('--jobs', nargs='*', default=[], help='job name suffixes, e.g. c1_s0')
    ap.add_argument('--draws', type=int, default=8); ap.add_argument('--codes', type=int, default=0); ap.add_argument('--threads', type=int, default=0)
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    jobs = sorted(p for p in Path(a.run, 'jobs').glob('omasgan_*') if (p/'model.pt').exists() and (p/'logs'/'stage3.csv').exists()
                  and (not a.jobs or any(p.name.endswith('_' + j) for j in a.jobs)))
    if not jobs: raise SystemExit(f"no finished OMASGAN job with a saved detector under {a.run}/jobs")
    data = load_data(json.loads((jobs[0]/'config.json').read_text())['dataset'])
    print(f"| job | stage 3 ended by | G' vs data: MMD² / level ({a.draws} draws) | level (64 draws) | mixtures: MMD² / level |\n|---|---|---|---|---|", flush=True)
    rs = []
    for jd in jobs:
        r = job_row(jd, data, a.draws, a.codes); rs.append(r)
        mark = lambda ok: 'met' if ok else 'not met'
        print(f"| {r['job']} | {'criterion' if r['criterion3'] else 'cap'} at {r['steps3']} | {r['gp']:.4f} / {r['level']:.4f} ({mark(r['gp'] <= r['level'])}) | "
              f"{r['level64']:.4f} ({mark(r['gp'] <= r['level64'])}) | {r['mix']:.4f} / {r['mix_level']:.4f} ({mark(r['mix'] <= r['mix_level'])}) |", flush=True)
    cap = [r for r in rs if not r['criterion3']]
    count = lambda xs, k, l: sum(r[k] <= r[l] for r in xs)
    print(f"\n{len(rs)} jobs: G' within the level {count(rs, 'gp', 'level')} ({a.draws} draws), {count(rs, 'gp', 'level64')} (64 draws); "
          f"the mixtures within theirs {count(rs, 'mix', 'mix_level')}. Of the {len(cap)} that stage 3 ended at its cap: "
          f"mixtures within their level in {count(cap, 'mix', 'mix_level')}.")
