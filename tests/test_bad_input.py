"""The bad-input catalogue of nbs/90_cli.ipynb, row by row: one clear line on stderr, exit code 2, no file
written or changed. The table in the notebook is the source: a row added there is tested here."""
import json, os, re, shlex, shutil, subprocess
from pathlib import Path
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
OMASGAN = shutil.which('omasgan') or pytest.fail('the omasgan console script is not installed: pip install -e .')

def catalogue()->list:
    "(name, argv, expected text) for every row of the bad-input table in 90_cli."
    nb = json.loads((ROOT/'nbs'/'90_cli.ipynb').read_text())
    src = next(''.join(c['source']) for c in nb['cells'] if c['cell_type'] == 'markdown' and '| bad input | command |' in ''.join(c['source']))
    rows = []
    for line in src.splitlines():
        m = re.match(r'^\| (.+?) \| `omasgan (.+?)` \| (.+?) \|$', line.strip())
        if m: rows.append((m.group(1), shlex.split(m.group(2)), m.group(3)))
    return rows

CASES = catalogue()

def test_the_catalogue_is_complete():
    assert len(CASES) >= 30, f"only {len(CASES)} rows parsed from the bad-input table"

@pytest.fixture(scope='module')
def folder(tmp_path_factory):
    "A working folder holding everything the catalogue's commands name."
    from PIL import Image
    d = tmp_path_factory.mktemp('bad')
    r = subprocess.run([OMASGAN, 'fit', '--profile', 'tiny', '--quiet', '--abnormal-class', '1', '--out', 'm'], cwd=d,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    rng = np.random.default_rng(0)
    np.save(d/'x.npy', rng.integers(0, 256, (2, 28, 28), dtype=np.uint8))
    np.save(d/'rgb.npy', rng.integers(0, 256, (2, 3, 28, 28), dtype=np.uint8))
    np.save(d/'big.npy', rng.integers(0, 256, (1, 40, 40), dtype=np.uint8))
    np.save(d/'vec.npy', rng.random((2, 5), dtype=np.float32))
    nan = rng.random((2, 28, 28)).astype(np.float32); nan[1, 3, 3] = np.nan; np.save(d/'nan.npy', nan)
    png = lambda p, h, w: (p.parent.mkdir(parents=True, exist_ok=True), Image.fromarray(rng.integers(0, 256, (h, w), dtype=np.uint8)).save(p))
    png(d/'junk'/'a.png', 28, 28); (d/'junk'/'notes.txt').write_text('not an image')
    for i in range(3): png(d/'mixed'/'a'/f'{i}.png', 20, 20); png(d/'mixed'/'b'/f'{i}.png', 20, 20)
    png(d/'mixed'/'b'/'odd.png', 24, 20)
    for i in range(3): png(d/'nonimg'/'a'/f'{i}.png', 20, 20); png(d/'nonimg'/'b'/f'{i}.png', 20, 20)
    (d/'nonimg'/'b'/'readme.txt').write_text('not an image')
    (d/'broken').mkdir(); (d/'broken'/'model.pt').write_bytes(b'PK\x03\x04 half a zip')
    (d/'otherrun').mkdir(); (d/'otherrun'/'run.json').write_text(json.dumps(dict(dataset='mnist5k', protocol='ganomaly', profile='kl-wgan', overrides={})))
    (d/'notarun').mkdir(); (d/'notarun'/'thesis.tex').write_text('precious')
    (d/'exists.csv').write_text('precious')
    (d/'cfg.json').write_text('{"not": "a job"}')
    return d

def snapshot(d:Path)->dict:
    return {str(p.relative_to(d)): (p.stat().st_size, p.stat().st_mtime_ns) for p in d.rglob('*')}

@pytest.mark.parametrize('name, argv, expected', CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_one_line_and_writes_nothing(folder, name, argv, expected):
    before = snapshot(folder)
    r = subprocess.run([OMASGAN, *argv], cwd=folder, capture_output=True, text=True, timeout=300)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2, (r.returncode, r.stderr[-3000:])
    assert len(lines) == 1 and lines[0].startswith('omasgan') and expected in lines[0], r.stderr[-3000:]
    assert snapshot(folder) == before, 'files were written or changed'
