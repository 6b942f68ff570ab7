#!/usr/bin/env python
"""Peak memory of scoring N images with a saved detector, chunked (`SCORE_CHUNK`, the default) and in one piece.

    python tools/score_memory.py MODEL.pt [--n 2500 10000 40000] [--npz FILE.npz]

The images are drawn (with repetition) from `--npz` (its `images`), or are random pixels of the model's size.
For each N: the peak resident memory of this process while `decision_function` runs, above its level just
before (Linux: `reset_peak_rss`); the input array itself is made before the measurement starts."""
import argparse
import numpy as np, torch
import omasgan.detector as D
from omasgan.core import peak_rss, reset_peak_rss
from omasgan.bench import large_blocks_released

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('model'); ap.add_argument('--n', type=int, nargs='+', default=[2500, 10000, 40000]); ap.add_argument('--npz')
    a = ap.parse_args()
    torch.set_num_threads(1)
    det = D.Detector.load(a.model)
    c, h, w = det.sample_shape
    hw = tuple(getattr(det, 'input_hw', None) or (h, w))
    pool = np.load(a.npz)['images'] if a.npz else np.random.default_rng(0).integers(0, 256, (1000, *hw, c), dtype=np.uint8)
    det.decision_function(pool[:64])                                   # warm-up: the bank's features, lazy imports
    print(f"| images | chunked ({D.SCORE_CHUNK} at a time): peak above base | in one piece: peak above base |\n|---|---|---|")
    with large_blocks_released():                                     # RSS follows live tensors: freed blocks go back to the system
        for n in a.n:
            x = pool[np.arange(n) % len(pool)]
            row = []
            for chunk in (D.SCORE_CHUNK, n):
                keep, D.SCORE_CHUNK = D.SCORE_CHUNK, chunk
                assert reset_peak_rss(), 'needs Linux /proc/self/clear_refs'
                base = peak_rss(); det.decision_function(x); row.append((peak_rss() - base) / 2**20)
                D.SCORE_CHUNK = keep
            print(f"| {n:,} | {row[0]:,.0f} MiB | {row[1]:,.0f} MiB |", flush=True)
