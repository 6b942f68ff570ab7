#!/usr/bin/env python
"""How each OMASGAN job of an `omasgan loo` run ended its generator stages: the step, whether the convergence
criterion (validation MMD² ≤ max(real-vs-real mean, 0) + converge × its std) or the step cap ended it, and the
last MMD² against the two-sample spread. A stage whose criterion holds at its very last step is ended by the cap
(`train`, `03b_loop`), but it has converged: it is listed as 'cap, criterion met' and counted apart.
Reads the jobs' `logs/stage1.csv` and `logs/stage3.csv`.

    python tools/convergence_table.py runs/loo-kl [--converge 5]
"""
import argparse, csv
from pathlib import Path

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('run'); ap.add_argument('--converge', type=float, default=5.)
    a = ap.parse_args()
    jobs = sorted(p for p in Path(a.run, 'jobs').glob('omasgan_*') if (p/'result.json').exists())
    tally = {'stage1': [0, 0, 0], 'stage3': [0, 0, 0]}
    print('| job | stage 1: steps, ended by | MMD² / σ₀ at the end | stage 3: steps, ended by | MMD² / σ₀ at the end |\n|---|---|---|---|---|')
    for j in jobs:
        cells = []
        for st in ('stage1', 'stage3'):
            rows = list(csv.DictReader(open(j/'logs'/f'{st}.csv')))
            last = rows[-1]; ev = [r for r in rows if r.get('mmd')]
            crit = float(last.get('ended_by_criterion') or 0) == 1.
            met_last = not crit and ev[-1] is last and float(last.get('criterion_met') or 0) == 1.
            tally[st][0 if crit else 1 if met_last else 2] += 1
            e = ev[-1]
            how = 'criterion' if crit else 'cap, criterion met' if met_last else 'cap'
            cells += [f"{last['step']}, {how}", f"{float(e['mmd']):.4f} / {float(e['mmd_noise']):.4f}"]
        print(f'| {j.name} | ' + ' | '.join(cells) + ' |')
    for st, (c, met, cap) in tally.items():
        print(f'\n{st}: {c} of {c + met + cap} jobs ended by the criterion, {met + cap} by the cap' + (f' ({met} of them meeting the criterion at that last step)' if met else ''))
