"""The user's files, disks and run folders (issue: nothing lost, nothing silently wrong): a command never
deletes or replaces a file it did not write, resumes only its own job's checkpoints, answers every failure of
the file system in one line with the previous state intact, shares a run folder with another process
without running a job twice, and ends on Ctrl-C with one line that says how to resume."""
import errno, json, os, shutil, signal, subprocess, sys, time
from pathlib import Path
import numpy as np
import pytest

OMASGAN = shutil.which('omasgan') or pytest.fail('the omasgan console script is not installed: pip install -e .')
ENV = {**os.environ, 'OMP_NUM_THREADS': '1'}

def omasgan(*argv, cwd, env=None, timeout=600):
    return subprocess.run([OMASGAN, *map(str, argv)], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env or ENV)

def one_line(r, code=2)->str:
    lines = r.stderr.strip().splitlines()
    assert r.returncode == code and len(lines) == 1, (r.returncode, r.stderr[-3000:])
    return lines[0]

def tree(d:Path)->dict:
    "Every file under `d` with its content digest."
    import hashlib
    return {p.relative_to(d).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.rglob('*')) if p.is_file()}

FIT = ('fit', '--profile', 'tiny', '--quiet')

# ---- 2. no command deletes or replaces a file it did not write -------------------------------------------

def test_fit_into_a_folder_of_the_users_needs_overwrite_and_keeps_their_files(tmp_path):
    out = tmp_path/'mine'; (out/'ckpt').mkdir(parents=True)
    (out/'notes.txt').write_text('precious'); (out/'ckpt'/'keep.pt').write_bytes(b'my own checkpoint')
    before = tree(out)
    assert 'holds files omasgan did not write' in one_line(omasgan(*FIT, '--out', out, cwd=tmp_path))
    assert tree(out) == before
    r = omasgan(*FIT, '--out', out, '--overwrite', cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    after = tree(out)
    assert after['notes.txt'] == before['notes.txt'] and after['ckpt/keep.pt'] == before['ckpt/keep.pt']
    assert {'model.pt', 'model.json'} <= set(after) and not any(k.startswith('ckpt/stage') for k in after)

def test_loo_overwrite_removes_only_the_runs_own_files(tmp_path):
    run = ('loo', '--profile', 'tiny', '--methods', 'knn', '--classes', '0', '--quiet', '--out', 'r')
    assert omasgan(*run, cwd=tmp_path).returncode == 0
    (tmp_path/'r'/'thesis.tex').write_text('precious'); (tmp_path/'r'/'jobs'/'mine.txt').write_text('mine')
    r = omasgan(*run, '--overwrite', cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    assert (tmp_path/'r'/'thesis.tex').read_text() == 'precious' and (tmp_path/'r'/'jobs'/'mine.txt').read_text() == 'mine'
    assert 'kNN' in (tmp_path/'r'/'results.md').read_text() and '1 job(s) run' in r.stdout

# ---- 3. a resume uses only its own job's checkpoints ------------------------------------------------------

def test_a_killed_fit_is_not_resumed_by_another_job(tmp_path):
    killed = omasgan(*FIT, '--abnormal-class', '1', '--seed', '0', '--out', 'm', cwd=tmp_path, env={**ENV, 'OMASGAN_KILL_AT': 'stage2:4'})
    assert killed.returncode == -signal.SIGKILL and (tmp_path/'m'/'ckpt'/'stage1.pt').exists()
    line = one_line(omasgan(*FIT, '--abnormal-class', '3', '--seed', '7', '--out', 'm', cwd=tmp_path))
    assert 'belongs to another job' in line and "abnormal class is 1, this job's is 3" in line and '--overwrite' in line, line
    r = omasgan(*FIT, '--abnormal-class', '3', '--seed', '7', '--out', 'm', '--overwrite', cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    assert omasgan(*FIT, '--abnormal-class', '3', '--seed', '7', '--out', 'fresh', cwd=tmp_path).returncode == 0
    info = json.loads((tmp_path/'m'/'model.json').read_text())
    assert (info['abnormal_class'], info['seed']) == (3, 7)
    np.save(tmp_path/'x.npy', np.random.default_rng(0).integers(0, 256, (8, 28, 28), dtype=np.uint8))
    scores = [omasgan('score', '--model', m, 'x.npy', cwd=tmp_path).stdout for m in ('m', 'fresh')]
    assert scores[0] == scores[1] and scores[0].count('\n') == 9       # the networks of class 3, seed 7: as a fresh fit's

def test_the_same_job_resumes_its_own_checkpoint(tmp_path):
    killed = omasgan(*FIT, '--abnormal-class', '2', '--out', 'm', cwd=tmp_path, env={**ENV, 'OMASGAN_KILL_AT': 'stage2:4'})
    assert killed.returncode == -signal.SIGKILL
    r = omasgan(*FIT, '--abnormal-class', '2', '--out', 'm', cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    assert not (tmp_path/'m'/'ckpt').exists()                            # its own checkpoints removed at the end

# ---- 4. every failure of the file system: one line, the previous state intact ----------------------------

@pytest.fixture(scope='module')
def fitted(tmp_path_factory):
    d = tmp_path_factory.mktemp('fitted')
    assert omasgan(*FIT, '--out', 'm', cwd=d).returncode == 0
    np.save(d/'x.npy', np.random.default_rng(1).integers(0, 256, (2, 28, 28), dtype=np.uint8))
    return d

@pytest.mark.parametrize('code, says', [(errno.ENOSPC, 'no space left on the device'), (errno.EROFS, 'read-only file system'),
                                        (errno.EACCES, 'permission denied'), (errno.EDQUOT, 'disk quota exceeded')])
def test_a_failing_disk_is_one_line_and_changes_nothing(fitted, monkeypatch, capsys, code, says):
    # The test machine runs as root, which ignores permissions and read-only bits, and has no full disk at hand:
    # the error is injected where every file is written (the fsync of `atomic_write`'s temporary file).
    from omasgan import cli, core
    (fitted/'scores.csv').write_text('previous scores\n')
    before = tree(fitted)
    def fail(fd): raise OSError(code, os.strerror(code))
    monkeypatch.setattr(core.os, 'fsync', fail)
    monkeypatch.chdir(fitted)
    assert cli.main(['score', '--model', 'm', 'x.npy', '--out', 'scores.csv', '--overwrite']) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and says in lines[0] and 'scores.csv' in lines[0], lines
    assert tree(fitted) == before                                         # no partial output, no stray temporary file

def test_a_missing_parent_folder_of_an_output_is_made(fitted):
    r = omasgan('score', '--model', 'm', 'x.npy', '--out', 'new/sub/s.csv', cwd=fitted)
    assert r.returncode == 0 and (fitted/'new'/'sub'/'s.csv').read_text().startswith('file,index,score,anomaly'), r.stderr[-3000:]

def test_umask_applies_to_every_file_a_command_writes(tmp_path):
    r = subprocess.run(f"umask 027 && {OMASGAN} fit --profile tiny --quiet --out m", shell=True, cwd=tmp_path, capture_output=True, text=True, env=ENV)
    assert r.returncode == 0, r.stderr[-3000:]
    modes = {p.relative_to(tmp_path).as_posix(): oct(p.stat().st_mode & 0o777) for p in (tmp_path/'m').rglob('*') if p.is_file()}
    assert modes and set(modes.values()) == {'0o640'}, modes

def test_a_disk_that_fills_during_fit_keeps_the_saved_model(fitted, monkeypatch, capsys):
    from omasgan import cli, core
    before = tree(fitted)
    real = core.os.fsync
    def fail_on_model(fd):
        if os.readlink(f'/proc/self/fd/{fd}').rsplit('/', 1)[-1].startswith('.model.'): raise OSError(errno.ENOSPC, 'No space left on device')
        real(fd)
    monkeypatch.setattr(core.os, 'fsync', fail_on_model)
    monkeypatch.chdir(fitted)
    assert cli.main([*FIT, '--out', 'm', '--overwrite']) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and 'no space left on the device' in lines[0], lines
    after = tree(fitted)
    assert after['m/model.pt'] == before['m/model.pt'] and after['m/model.json'] == before['m/model.json']
    assert not [k for k in after if k.endswith('.tmp')]

# ---- 7. two processes on one run folder ------------------------------------------------------------------

def test_a_job_held_by_another_process_is_skipped_then_collected(tmp_path):
    from omasgan.files import job_lock, owned_writes
    run = ('loo', '--profile', 'tiny', '--methods', 'knn', '--quiet', '--out', 'r', '--classes')
    assert omasgan(*run, '0', cwd=tmp_path).returncode == 0
    held = tmp_path/'r'/'jobs'/'knn_mnist5k_ganomaly_c1_s0'
    with owned_writes(), job_lock(held) as other:                     # as a second omasgan process running that job would
        assert other is None
        r = omasgan(*run, '0,1', cwd=tmp_path)
        assert r.returncode == 1 and 'knn_mnist5k_ganomaly_c1_s0 is being run by another process (pid' in r.stderr, r.stderr[-3000:]
        assert '0 job(s) run, 1 already finished' in r.stdout and not (held/'result.json').exists(), r.stdout
    r = omasgan(*run, '0,1', cwd=tmp_path)
    assert r.returncode == 0 and '1 job(s) run, 1 already finished' in r.stdout, r.stdout + r.stderr[-3000:]
    rows = (tmp_path/'r'/'results.csv').read_text().splitlines()
    assert sum(l.startswith('kNN,') for l in rows) == 2, rows

# ---- Ctrl-C ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize('sig, code, says', [(signal.SIGINT, 130, 'interrupted'), (signal.SIGTERM, 143, 'terminated')])
def test_ctrl_c_or_sigterm_in_loo_is_one_line_and_the_run_resumes(tmp_path, sig, code, says):
    args = [OMASGAN, 'loo', '--profile', 'tiny', '--methods', 'omasgan', '--classes', '0', '--quiet', '--out', 'r', '--set', 'steps2=1000']
    # Ctrl-C as a terminal delivers it: a test run started in the background (`pytest &`) has SIGINT ignored, and a
    # child inherits that, so the child gets SIGINT's default back first
    p = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    ckpt = tmp_path/'r'/'jobs'/'omasgan_mnist5k_ganomaly_c0_s0'/'ckpt'
    t0 = time.time()
    while not (ckpt/'stage1.pt').exists() and time.time() - t0 < 300 and p.poll() is None: time.sleep(0.2)
    p.send_signal(sig)
    out, err = p.communicate(timeout=300)
    lines = err.strip().splitlines()
    assert p.returncode == code and len(lines) == 1, (p.returncode, err[-3000:])
    assert says in lines[0] and 'give the same command again to resume' in lines[0], lines
    r = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=600, env=ENV)
    assert r.returncode == 0 and '1 job(s) run' in r.stdout, r.stderr[-3000:]

# ---- 1. every image read with its true value range (the reader itself: tests/test_images.py) -------------

def test_a_16_bit_png_scores_as_its_8_bit_copy(fitted):
    from PIL import Image
    from omasgan.data import mnist5k
    digit = ((mnist5k(size=None).x[7, 0] + 1) * 127.5).round().numpy().astype(np.uint8)
    Image.fromarray(digit).save(fitted/'d8.png')
    Image.fromarray(digit.astype(np.uint16) * 257).save(fitted/'d16.png')     # the same digit in 16 bits (v * 257)
    Image.fromarray(digit.astype(np.float32) / 255).save(fitted/'df.tif')     # and as floats in [0, 1]
    assert Image.open(fitted/'d16.png').mode.startswith('I')
    r = omasgan('score', '--model', 'm', 'd8.png', 'd16.png', 'df.tif', cwd=fitted)
    assert r.returncode == 0, r.stderr[-3000:]
    scores = [l.split(',')[2] for l in r.stdout.strip().splitlines()[1:]]
    assert len(scores) == 3 and len(set(scores)) == 1, r.stdout

def test_a_model_fitted_on_npz_digits_scores_their_raw_28x28_images(tmp_path):
    "An .npz of 28x28 digits is padded to 32x32 for the networks, and `score` then takes the user's raw 28x28 images."
    from PIL import Image
    from omasgan.data import mnist5k
    x = ((mnist5k(size=None).x[:600, 0] + 1) * 127.5).round().numpy().astype(np.uint8)
    np.savez(tmp_path/'digits.npz', images=x, labels=np.arange(600) % 3)
    r = omasgan('fit', '--method', 'knn', '--dataset', 'npz', '--data-root', 'digits.npz', '--quiet', '--out', 'm', cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    Image.fromarray(x[1]).save(tmp_path/'d.png')
    r = omasgan('score', '--model', 'm', 'd.png', cwd=tmp_path)
    assert r.returncode == 0 and len(r.stdout.strip().splitlines()) == 2, r.stderr[-3000:]
