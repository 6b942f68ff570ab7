#!/usr/bin/env python
"""The inner leave-one-class-out that fixed OMASGAN's score settings (`07c_selection`): for each fold c:h, fit on
the normal training data of the outer experiment with abnormal class c minus class h, and score every
candidate (f_D reading, λ_AS) on class h against held-out normals. No outer test image is read.

    python tools/inner_selection.py --out runs/selection [--folds 0:1 1:0 ...] [--profile quick] [--threads 1] [--set d_target=band ...]
    python tools/inner_selection.py --out runs/selection --table     # the table of the folds written so far
    python tools/inner_selection.py --dataset npz --data-root cifar10-train-20k.npz --folds 0:1 2:3 4:5 6:7 --out runs/selection-cifar
    python tools/inner_selection.py ... --set rot=1 --fd C+GpCos+GpCosf GpCosf R R+GpCosf C+GpCos+GpCosf+R   # other f_D readings

The default folds follow a rule fixed before any run: (c, h) = (c, c+1) and (c+1, c) for even c, so that every digit
is the pseudo-anomaly once. A shorter list should keep folds of both kinds: on CIFAR-10 the (c, c+1) folds are the
easy half for every score probed (`tools/cifar_probes.py`), so a choice made on them alone promises too much. Each fold's fitted detector is kept in --out: a new list of candidates is scored from
the kept detectors without fitting again.
"""
import argparse, json, time
from pathlib import Path
import torch
from omasgan import OMASGAN
from omasgan.data import load_data, DATASETS
from omasgan.selection import inner_loo, choose, score_candidates

def stage_report(det)->str:
    "What ended each generator stage, its last validation MMD² and the two-sample level (to check convergence)."
    out = []
    for k in ('stage1', 'stage3'):
        r = det.history[k][-1]
        out.append(f"{k}: {r['step']} steps, ended by {'criterion' if r.get('ended_by_criterion') else 'cap'}, "
                   f"MMD² {r.get('mmd', float('nan')):.4f} (noise {r.get('mmd_noise', float('nan')):.4f})")
    return '; '.join(out)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--folds', nargs='*', default=[f'{a}:{b}' for c in range(0, 10, 2) for a, b in ((c, c + 1), (c + 1, c))],
                    help='outer class:held class pairs')
    ap.add_argument('--out', default='runs/selection')
    ap.add_argument('--dataset', default='mnist5k', choices=[d for d in DATASETS if d != 'toy2d'])
    ap.add_argument('--data-root', default=None, help='as for omasgan loo (a folder, or the .npz file of --dataset npz)')
    ap.add_argument('--profile', default='quick')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--threads', type=int, default=0)
    ap.add_argument('--table', action='store_true', help='only print the table of the folds in --out')
    ap.add_argument('--top', type=int, default=12, help='rows of the table to print')
    ap.add_argument('--fd', nargs='*', default=None, metavar='READING', help="f_D readings to compare (default: score_candidates()'s), e.g. C+GpCos+GpCosf R+GpCosf")
    ap.add_argument('--set', nargs='*', default=[], metavar='KEY=VALUE', help='settings over the profile, as for omasgan fit (folds go to --out/PROFILE+KEY=VALUE...)')
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    from omasgan.cli import parse_overrides
    sets = parse_overrides(a.set)
    out = Path(a.out)/'+'.join([a.profile, *(f'{k}={v}' for k, v in sorted(sets.items()))])
    if not a.table:
        data, cands = load_data(a.dataset, a.data_root), score_candidates(*([a.fd] if a.fd else []))
        for f in a.folds:
            c, h = map(int, f.split(':'))
            def make(s):
                det = OMASGAN(a.profile, seed=s, progress=False, **sets)
                fit = det.fit
                def fit_and_report(*args, **kw):
                    t0 = time.time(); fit(*args, **kw); print(f"c{c} h{h}: fit {time.time() - t0:.0f} s; {stage_report(det)}", flush=True)
                    return det
                det.fit = fit_and_report
                return det
            inner_loo(data, c, [h], make, cands, seed=a.seed, out=out, input_hw=data.raw_hw)
    recs = [json.loads(p.read_text()) for p in sorted(out.glob('inner_*.json'))]
    if not recs: raise SystemExit(f'no folds in {out}')
    best, rows = choose(recs)
    print(f"{len(recs)} inner folds ({', '.join('c%d:h%d' % (r['abnormal_class'], r['held_class']) for r in recs)}), profile {a.profile}")
    print('| f_D reading | λ_AS | mean inner AUROC | worst fold |\n|---|---|---|---|')
    for cand, m, w in rows[:a.top]: print(f"| {cand['fd']} | {cand['lam_as']:g} | {m:.3f} | {w:.3f} |")
    terms = {k: sum(r['terms'][k] for r in recs) / len(recs) for k in recs[0]['terms']}
    print('terms alone (mean inner AUROC): ' + ', '.join(f'{k} {v:.3f}' for k, v in terms.items()))
    print('chosen:', best)
