"""Run notebooks top to bottom as a reader would (not under test: `IN_TEST` unset) and time each one.

    python tools/time_notebooks.py                 # every notebook in nbs/
    python tools/time_notebooks.py 04_gan 07a_convergence
    python tools/time_notebooks.py --save 05_boundary    # and write the executed notebook back to nbs/ (nbdev-clean'd), its figures to assets/

Each notebook runs from a copy in a temporary folder (nbs/ is not touched), one at a time: run nothing
else on the machine meanwhile, since two PyTorch processes on the same cores slow each other down many
times over. Prints one line per notebook and exits 1 if any failed or took longer than `--limit` seconds."""
import argparse, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def run(nb:Path, cwd:Path, timeout:int, save:Path=None)->tuple:
    "(seconds, error or None) of executing `nb` with cwd `cwd`; on success, the executed notebook is written to `save`."
    import nbformat
    from nbconvert.preprocessors import ExecutePreprocessor, CellExecutionError
    book = nbformat.read(nb, as_version=4)
    ep = ExecutePreprocessor(timeout=timeout, kernel_name='python3')
    t0 = time.time()
    try: ep.preprocess(book, {'metadata': {'path': str(cwd)}}); err = None
    except CellExecutionError as e: err = str(e).strip().splitlines()[-1][:200]
    except Exception as e: err = f'{type(e).__name__}: {e}'[:200]
    secs = time.time() - t0
    if save is not None and err is None:
        tmp = save.with_name(f'.{save.name}.tmp')
        nbformat.write(book, tmp); os.replace(tmp, save)                   # atomic: a failed run leaves nbs/ as it was
        subprocess.run([str(Path(sys.executable).parent/'nbdev-clean'), '--fname', str(save)], check=True, capture_output=True)
    return secs, err

def save_assets(src:Path, dst:Path):
    "Copy back the figures the executed notebooks wrote to ../assets (new or changed files only), atomically."
    for f in src.rglob('*'):
        if not f.is_file(): continue
        out = dst/f.relative_to(src)
        if out.exists() and out.read_bytes() == f.read_bytes(): continue
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f'.{out.name}.tmp'); shutil.copyfile(f, tmp); os.replace(tmp, out)
        print(f'{"":24s} wrote {out.relative_to(ROOT)}', flush=True)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('names', nargs='*', help='notebook stems (default: all of nbs/)')
    ap.add_argument('--save', action='store_true', help='write each notebook that ran without error back to nbs/, outputs and all')
    ap.add_argument('--limit', type=float, default=120, help='seconds a notebook may take (default 120)')
    a = ap.parse_args()
    os.environ.pop('IN_TEST', None)                                        # a reader's kernel, whatever the caller's shell
    nbs = [ROOT/'nbs'/f'{n.removesuffix(".ipynb")}.ipynb' for n in a.names] or sorted((ROOT/'nbs').glob('*.ipynb'))
    missing = [str(p) for p in nbs if not p.exists()]
    if missing: sys.exit(f'no such notebook: {", ".join(missing)}')
    bad = 0
    with tempfile.TemporaryDirectory() as d:
        work = Path(d)/'nbs'
        shutil.copytree(ROOT/'nbs', work)
        shutil.copytree(ROOT/'assets', Path(d)/'assets')   # notebooks that save a figure for the README write ../assets
        for p in nbs:
            secs, err = run(work/p.name, work, timeout=int(max(a.limit * 10, 600)), save=p if a.save else None)
            over = secs > a.limit
            bad += bool(err or over)
            print(f'{p.stem:24s} {secs:7.1f} s  {"FAILED: " + err if err else ("over the limit" if over else "ok")}', flush=True)
        if a.save: save_assets(Path(d)/'assets', ROOT/'assets')
    sys.exit(1 if bad else 0)
