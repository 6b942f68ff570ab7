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
