"""The inner folds of `07c_selection` whose detectors `tools/inner_selection.py` kept, for the score-only tools
(`score_local.py`, `score_weighted.py`, `score_rank.py`): no training, no outer test image."""
from pathlib import Path
import omasgan.loo   # registers every method, so that `Detector.load` knows them
from omasgan.api import Detector
from omasgan.selection import inner_split
from omasgan.data import load_data

FOLDS = [(a, b) for c in range(0, 10, 2) for a, b in ((c, c + 1), (c + 1, c))]   # the rule of tools/inner_selection.py

def kept_folds(folds_dir='runs/selection/quick', dataset='mnist5k'):
    "Yield (c, h, detector, inner split) for every fold of `FOLDS` with a kept detector in `folds_dir`; say which are missing."
    data = load_data(dataset)
    for c, h in FOLDS:
        path = Path(folds_dir)/f'model_c{c}_h{h}_s0.pt'
        if not path.is_file(): print(f'{c} {h}: no kept detector, skipped'); continue
        yield c, h, Detector.load(path), inner_split(data, c, h, 'ganomaly', 0)

def zscores(terms:dict)->dict:
    "Each term's test scores standardised with its validation scores: {name: (val, test)} → {name: test z-scores}."
    return {k: ((t.double() - v.double().mean()) / v.double().std()).numpy() for k, (v, t) in terms.items()}

def report(out:dict, ref:str, width:int=26):
    "Every variant's mean and worst inner AUROC over the folds of `out` ({fold: {variant: AUROC}}), best first, with its paired difference to `ref`."
    import numpy as np
    keys = list(next(iter(out.values())))
    A = np.array([[out[f][k] for k in keys] for f in out])
    r = keys.index(ref)
    for i in np.argsort(-A.mean(0)):
        d = A[:, i] - A[:, r]
        print(f"{keys[i]:{width}s} mean {A[:, i].mean():.3f} min {A[:, i].min():.3f}  vs {ref}: {d.mean():+.3f} (se {d.std(ddof=1) / np.sqrt(len(d)):.3f})")
