#!/usr/bin/env python
"""Score the finished jobs of one run folder again, with other score settings, into a new run folder.

    python tools/rescore_run.py SRC DST --methods omasgan --set fd=GpNNf --set lam_as=1

A run folder holds the results of one set of settings (its `run.json`), so a change of OMASGAN's score
settings (`fd`, `lam_as`, `nn_k`, `fpr`: nothing that training reads) goes into a new folder: the job folders
of `--methods` are copied from SRC to DST, and `omasgan loo --rescore` scores them there from their saved
models (`rescore_job`: the networks are not trained again). SRC is only read. Dataset, protocol, profile,
classes and seeds come from SRC's jobs."""
import argparse, json, shutil
from pathlib import Path
from omasgan.cli import parse_overrides
from omasgan.loo import Settings, run_loo

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('src'); ap.add_argument('dst')
    ap.add_argument('--methods', default='omasgan'); ap.add_argument('--set', action='append', default=[], metavar='KEY=VALUE')
    ap.add_argument('--data-root', default=None, help="the data of SRC's jobs (as their config.json names it, if not given)")
    a = ap.parse_args()
    src, dst, methods = Path(a.src), Path(a.dst), a.methods.split(',')
    if dst.exists(): raise SystemExit(f"{dst} exists: choose a new folder")
    jobs = sorted(j for j in (src/'jobs').glob('*') if j.name.split('_')[0] in methods and (j/'result.json').is_file())
    if not jobs: raise SystemExit(f"no finished jobs of {', '.join(methods)} in {src}")
    cfgs = [json.loads((j/'config.json').read_text()) for j in jobs]
    c0 = cfgs[0]
    classes = sorted({c['abnormal_class'] for c in cfgs}); seeds = tuple(sorted({c['seed'] for c in cfgs}))
    sig = json.loads((src/'run.json').read_text())
    st = Settings(c0['dataset'], classes, seeds, c0['profile'], tuple(methods), c0['protocol'], a.data_root or c0['data_root'], False,
                  None, {**sig.get('overrides', {}), **parse_overrides(a.set)})
    st.check()                                            # unknown or bad settings: refused before anything is copied
    (dst/'jobs').mkdir(parents=True)
    for j in jobs: shutil.copytree(j, dst/'jobs'/j.name)
    (dst/'run.json').write_text(json.dumps(st.signature(), indent=1))
    res = run_loo(st, dst, progress=False, rescore=True)
    print(f"{len(res['skipped'])} job(s) scored again; results: {dst/'results.md'}")
