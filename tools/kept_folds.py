"""The inner folds of `07c_selection` whose detectors `tools/inner_selection.py` kept, for the score-only tools
(`score_inversion.py`, `score_local.py`, `score_metric.py`, `score_rank.py`, `score_truncation.py`, `score_weighted.py`): no training, no outer test image."""
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

def fold_arrays(det, sp, bank_size:int=4096, seed:int=123):
    """What the score-only tools read from one kept fold, without gradients: the labels of the inner test split, the
    terms C and J as (val, test), and the pixels (flattened) and C's features of the validation images, the test
    images and a bank of `bank_size` G'(z) drawn under `seed`, with the training images' pixels for reference."""
    import torch
    from omasgan.api import critic_anomaly
    from omasgan.detector import critic_features
    from omasgan.loop import generate
    xv, xt, xtr = (det._prepare(s).to(det.device) for s in (sp.val, sp.test, sp.train))
    N = det.nets
    with torch.no_grad():
        base = {k: (critic_anomaly(N[k], xv), critic_anomaly(N[k], xt)) for k in ('C', 'J')}
        torch.manual_seed(seed); bank = generate(N['Gp'], bank_size)
        feat = {n: critic_features(N['C'], t) for n, t in (('bank', bank), ('val', xv), ('test', xt))}
        pix = {n: t.flatten(1).float() for n, t in (('bank', bank), ('val', xv), ('test', xt), ('train', xtr))}
    return sp.test_labels.numpy(), base, pix, feat

def bank_of(G, n:int, psi:float=1., seed:int=123, chunk:int=1024):
    "n codes z ~ ψ·N(0, I) drawn under `seed`, and their samples G(z) in eval mode (ψ < 1: the truncation trick)."
    import torch
    G.eval(); torch.manual_seed(seed)
    z = psi * torch.randn(n, G.z_dim, device=next(G.parameters()).device)
    with torch.no_grad(): return z, torch.cat([G(z[i:i + chunk]) for i in range(0, n, chunk)])

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
