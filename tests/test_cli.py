"""End-to-end: the installed `omasgan` console script, as a user runs it."""
import shutil, subprocess, sys
from pathlib import Path
import pytest

OMASGAN = shutil.which('omasgan') or pytest.fail('the omasgan console script is not installed: pip install -e .')

def run(*args, cwd):
    return subprocess.run([OMASGAN, *args], cwd=cwd, capture_output=True, text=True, timeout=1800)   # a guard against a hang, not a speed test

def test_preview_writes_a_figure(tmp_path):
    r = run('preview', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    fig = tmp_path/'runs'/'preview'/'split.png'
    assert fig.stat().st_size > 10_000
    assert 'train 3240, val 360, test 1400' in r.stdout

@pytest.mark.parametrize('args, message', [
    (['preview', '--abnormal-class', '10'], 'out of range'),
    (['preview', '--dataset', 'cifar10', '--data-root', 'nowhere'], 'download=True'),
    (['preview', '--dataset', 'cifar10'], 'needs a data root'),
    (['preview', '--dataset', 'mnist5k', '--protocol', 'standard'], "protocol 'standard' does not apply"),
    (['preview', '--dataset', 'imagenet'], "invalid choice: 'imagenet'"),
    (['train-forever'], "invalid choice: 'train-forever'"),
])
def test_errors_are_one_line_exit_2(tmp_path, args, message):
    r = run(*args, cwd=tmp_path)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('omasgan') and message in lines[0], r.stderr
    assert not (tmp_path/'runs'/'preview'/'split.png').exists()

def test_existing_figure_is_kept(tmp_path):
    assert run('preview', cwd=tmp_path).returncode == 0
    fig = tmp_path/'runs'/'preview'/'split.png'
    before = fig.read_bytes()
    r = run('preview', '--abnormal-class', '5', cwd=tmp_path)
    assert r.returncode == 2 and '--overwrite' in r.stderr
    assert fig.read_bytes() == before
    assert run('preview', '--abnormal-class', '5', '--overwrite', cwd=tmp_path).returncode == 0
    assert fig.read_bytes() != before

def test_loo_two_classes_end_to_end_then_resume(tmp_path):
    "A 2-class mnist5k sweep with the tiny profile through the CLI; the rerun skips every finished job."
    import csv, json
    args = ('loo', '--classes', '0,1', '--profile', 'tiny', '--quiet', '--out', 'runs/t')
    r = run(*args, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = tmp_path/'runs'/'t'
    rows = list(csv.DictReader((out/'results.csv').open()))
    assert list(rows[0]) == ['method', 'dataset', 'protocol', 'abnormal_class', 'seed', 'auroc', 'auprc', 'fpr95', 'f1']
    assert {(r['method'], r['abnormal_class']) for r in rows} == {(m, c) for m in ('OMASGAN', 'OMASGAN/C', 'OMASGAN/D', 'OMASGAN/GpNN', 'OMASGAN/GpNNf', 'OMASGAN/GpCos', 'OMASGAN/GpCosf', 'OMASGAN/J', 'kNN') for c in '01'}
    assert all(0 <= float(r[k]) <= 1 for r in rows for k in ('auroc', 'auprc', 'fpr95', 'f1'))
    md = (out/'results.md').read_text()
    assert '| OMASGAN |' in md and '| kNN |' in md
    job = out/'jobs'/'omasgan_mnist5k_ganomaly_c0_s0'
    for f in ('result.json', 'model.pt', 'scores.npz', 'roc_hist.png', 'extremes.png', 'samples.png'):
        assert (job/f).stat().st_size > 0, f
    stamps = {p: p.stat().st_mtime_ns for p in out.glob('jobs/*/result.json')}
    r2 = run(*args, cwd=tmp_path)
    assert r2.returncode == 0, r2.stderr
    assert {p: p.stat().st_mtime_ns for p in out.glob('jobs/*/result.json')} == stamps   # nothing was rerun
    assert list(csv.DictReader((out/'results.csv').open())) == rows

def test_fit_then_score_files(tmp_path):
    "omasgan fit saves a detector; omasgan score reads PNGs and .npy files and writes scores and decisions."
    import csv, numpy as np
    from PIL import Image
    r = run('fit', '--profile', 'tiny', '--quiet', '--abnormal-class', '3', '--out', 'm', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path/'m'/'model.pt').exists() and (tmp_path/'m'/'model.json').exists()
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 256, (28, 28), dtype=np.uint8)).save(tmp_path/'a.png')
    np.save(tmp_path/'b.npy', rng.integers(0, 256, (3, 28, 28), dtype=np.uint8))
    r = run('score', '--model', 'm', 'a.png', 'b.npy', '--out', 's.csv', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader((tmp_path/'s.csv').open()))
    assert [(r['file'], r['index']) for r in rows] == [('a.png', '0'), ('b.npy', '0'), ('b.npy', '1'), ('b.npy', '2')]
    assert all(r['anomaly'] in ('0', '1') for r in rows) and all(np.isfinite(float(r['score'])) for r in rows)
    r = run('score', '--model', 'm', 'a.png', '--out', 's.csv', cwd=tmp_path)
    assert r.returncode == 2 and '--overwrite' in r.stderr
    r = run('score', '--model', 'nowhere', 'a.png', cwd=tmp_path)
    assert r.returncode == 2 and 'does not exist' in r.stderr
    r = run('score', 'm/model.pt', 'a.png', cwd=tmp_path)            # the detector given where the files go
    assert r.returncode == 2 and 'pass it as --model m/model.pt' in r.stderr

def test_help_lists_every_option_with_its_default(tmp_path):
    for cmd in ('loo', 'fit', 'score', 'preview'):
        r = run(cmd, '--help', cwd=tmp_path)
        assert r.returncode == 0 and '(default:' in r.stdout, cmd
    r = run('loo', '--help', cwd=tmp_path)
    for opt in ('--dataset', '--classes', '--seeds', '--profile', '--out', '--methods', '--protocol', '--data-root', '--download', '--device', '--quiet'):
        assert opt in r.stdout, opt

def test_every_method_runs_through_loo(tmp_path):
    "Each detector of METHODS runs through `omasgan loo --methods ...` (tiny profile, one class): a results row, a loadable model."
    import csv
    from omasgan.loo import METHODS
    from omasgan.api import Detector
    r = run('loo', '--classes', '2', '--profile', 'tiny', '--quiet', '--methods', ','.join(METHODS), '--out', 'r', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    main_rows = {row['method'] for row in csv.DictReader((tmp_path/'r'/'results.csv').open())}
    for name, cls in METHODS.items():
        assert (cls.label or cls.__name__) in main_rows, name
        job = tmp_path/'r'/'jobs'/f'{name}_mnist5k_ganomaly_c2_s0'
        assert type(Detector.load(job/'model.pt')) is cls
        assert (job/'roc_hist.png').stat().st_size > 0 and (job/'config.json').exists()

def test_fit_a_baseline_then_score(tmp_path):
    "omasgan fit --method trains a baseline; omasgan score reads its file like any other."
    import csv, numpy as np
    r = run('fit', '--method', 'deepsvdd', '--profile', 'tiny', '--quiet', '--abnormal-class', '4', '--out', 'm', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert 'DeepSVDD(' in r.stdout
    np.save(tmp_path/'b.npy', np.random.default_rng(0).integers(0, 256, (3, 28, 28), dtype=np.uint8))
    r = run('score', '--model', 'm', 'b.npy', '--out', 's.csv', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert len(list(csv.DictReader((tmp_path/'s.csv').open()))) == 3
