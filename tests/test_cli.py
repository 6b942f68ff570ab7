"""End-to-end: the installed `omasgan` console script, as a user runs it."""
import shutil, subprocess, sys
from pathlib import Path
import pytest

OMASGAN = shutil.which('omasgan') or pytest.fail('the omasgan console script is not installed: pip install -e .')

def run(*args, cwd):
    return subprocess.run([OMASGAN, *args], cwd=cwd, capture_output=True, text=True, timeout=300)

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
