"""Crash safety: real `omasgan` processes killed with SIGKILL at points spread over the four stages (and inside each
baseline's training) resume to the same scores, bit for bit; a kill during a checkpoint write leaves the previous checkpoint usable; a
resumed stage keeps its own step counter; unsafe or broken model files are refused in one line."""
import json, os, shutil, signal, subprocess, sys, textwrap
from pathlib import Path
import numpy as np
import pytest
import torch

OMASGAN = shutil.which('omasgan') or pytest.fail('the omasgan console script is not installed: pip install -e .')
# toy data, tiny budget (stages of 20, 10, 10, 10 steps), a checkpoint every 5 steps
LOO = ('loo', '--dataset', 'toy2d', '--profile', 'tiny', '--methods', 'omasgan', '--quiet', '--set', 'ckpt_every=5', '--out', 'run')
JOB = Path('run/jobs/omasgan_toy2d_oneclass_cuniform_s0')
# kill points: between checkpoints, on checkpoint steps, before a stage's first checkpoint, at a stage's last step
KILL_AT = ['stage1:3', 'stage1:12', 'stage1:20', 'stage2:5', 'stage2:8', 'stage3:1', 'stage3:10', 'stage4:7']

def run(*args, cwd, env=None):
    return subprocess.run([OMASGAN, *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})

def scores(folder:Path)->dict:
    with np.load(folder/JOB/'scores.npz') as z: return {k: z[k] for k in z.files}

@pytest.fixture(scope='module')
def reference_run(tmp_path_factory):
    d = tmp_path_factory.mktemp('uninterrupted')
    r = run(*LOO, cwd=d)
    assert r.returncode == 0, r.stderr
    return d

@pytest.fixture(scope='module')
def reference(reference_run): return scores(reference_run)

@pytest.mark.parametrize('point', KILL_AT)
def test_killed_run_resumes_to_identical_scores(tmp_path, reference, point):
    r = run(*LOO, cwd=tmp_path, env={'OMASGAN_KILL_AT': point})
    assert r.returncode == -signal.SIGKILL, (r.returncode, r.stderr[-2000:])
    assert not (tmp_path/JOB/'result.json').exists()
    stage = point.split(':')[0]
    ckpts = sorted(p.name for p in (tmp_path/JOB/'ckpt').glob('*.pt'))
    assert ckpts or stage == 'stage1', ckpts
    r = run(*LOO, cwd=tmp_path)                                   # the same command again resumes
    assert r.returncode == 0, r.stderr
    got = scores(tmp_path)
    assert got.keys() == reference.keys()
    for k in reference: np.testing.assert_array_equal(got[k], reference[k], err_msg=k)
    assert not (tmp_path/JOB/'ckpt').exists()                      # checkpoints are removed once the result exists

# stages that end on their convergence criterion, with averaged generators and critics (C, J: the image default): a kill at
# the step the criterion ended a stage, or in a later stage, resumes to the same scores, and the resumed stage does not train
# on past its early end
EARLY = (*LOO[:-2], '--set', 'converge=1e9', '--set', 'min_steps=5', '--set', 'ema=0.9', '--set', 'ema_critic=0.9',
         '--set', 'eval_every=5', '--out', 'run')

def run_killed_and_whole(tmp_path, args:tuple, point:str)->tuple:
    "Run `args` whole in tmp_path/'ref', and in tmp_path/'killed' killed at `point` then run again; return both folders."
    ref, killed = tmp_path/'ref', tmp_path/'killed'
    ref.mkdir(); killed.mkdir()
    assert run(*args, cwd=ref).returncode == 0
    r = run(*args, cwd=killed, env={'OMASGAN_KILL_AT': point})
    assert r.returncode == -signal.SIGKILL, (r.returncode, r.stderr[-2000:])
    assert run(*args, cwd=killed).returncode == 0
    return ref, killed

@pytest.mark.parametrize('point', ['stage1:5', 'stage3:5', 'stage2:3', 'stage4:7'])
def test_early_ended_stages_resume_to_identical_scores(tmp_path, point):
    ref, killed = run_killed_and_whole(tmp_path, EARLY, point)
    for k, v in scores(ref).items(): np.testing.assert_array_equal(scores(killed)[k], v, err_msg=k)
    import csv
    for stage in ('stage1', 'stage3'):
        rows = list(csv.DictReader(open(killed/JOB/'logs'/f'{stage}.csv')))
        assert rows[-1]['step'] == '5' and float(rows[-1]['ended_by_criterion']) == 1., rows[-1]   # ended by the criterion at step 5 of 20

# learning rates falling over the second half of stages 1 and 3 (`lr_decay`, the image default): a kill inside the fall
# resumes on the same schedule (the rate is set from the step number and the first rate kept in the optimiser's state)
DECAY = (*LOO[:-2], '--set', 'lr_decay=0.5', '--out', 'run')

@pytest.mark.parametrize('point', ['stage1:13', 'stage3:7'])
def test_killed_run_with_falling_rates_resumes_to_identical_scores(tmp_path, reference, point):
    ref, killed = run_killed_and_whole(tmp_path, DECAY, point)
    got, want = scores(killed), scores(ref)
    for k, v in want.items(): np.testing.assert_array_equal(got[k], v, err_msg=k)
    assert any(not np.array_equal(want[k], reference[k]) for k in want)   # the falling rates changed the training

# the baselines train with the same loop: a kill inside each one's stage(s) resumes to the same scores
BASELINE_KILLS = [('ganomaly', 'ganomaly:7'), ('vae', 'vae:12'), ('egbad', 'egbad:5'), ('anogan', 'dcgan:13'),
                  ('deepsvdd', 'svdd_pretrain:6'), ('deepsvdd', 'svdd:3'), ('fencegan', 'fence_pretrain:3'), ('fencegan', 'fencegan:7'),
                  ('minlgan', 'minlgan:13'), ('bdsg', 'flow:6'), ('bdsg', 'bdsg:3'), ('bdsg', 'detector:2'), ('tailgan', 'flowgan:7'),
                  ('tailgan', 'tail:3')]

@pytest.mark.parametrize('method,point', BASELINE_KILLS, ids=[p for _, p in BASELINE_KILLS])
def test_killed_baseline_resumes_to_identical_scores(tmp_path, method, point):
    args = ('loo', '--dataset', 'toy2d', '--profile', 'tiny', '--methods', method, '--quiet', '--set', 'ckpt_every=5', '--out', 'run')
    job = Path(f'run/jobs/{method}_toy2d_oneclass_cuniform_s0')
    ref, killed = tmp_path/'ref', tmp_path/'killed'
    ref.mkdir(); killed.mkdir()
    r = run(*args, cwd=ref); assert r.returncode == 0, r.stderr
    r = run(*args, cwd=killed, env={'OMASGAN_KILL_AT': point})
    assert r.returncode == -signal.SIGKILL, (r.returncode, r.stderr[-2000:])
    assert not (killed/job/'result.json').exists()
    r = run(*args, cwd=killed); assert r.returncode == 0, r.stderr
    with np.load(ref/job/'scores.npz') as a, np.load(killed/job/'scores.npz') as b:
        assert a.files == b.files
        for k in a.files: np.testing.assert_array_equal(a[k], b[k], err_msg=k)

def test_kill_during_checkpoint_write_keeps_the_previous_one(tmp_path):
    from omasgan.core import save_checkpoint, load_checkpoint
    ck = tmp_path/'stage1.pt'
    save_checkpoint(ck, dict(step=5, w=torch.arange(4.)))
    code = textwrap.dedent(f"""
        import os, signal, torch
        import omasgan.core as core
        def die(*a, **k): os.kill(os.getpid(), signal.SIGKILL)    # the process dies after writing the temp file
        core.os.replace = die
        core.save_checkpoint({str(ck)!r}, dict(step=10, w=torch.zeros(10_000_000)))
    """)
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=120)
    assert r.returncode == -signal.SIGKILL, r.stderr
    old = load_checkpoint(ck)
    assert old['step'] == 5 and torch.equal(old['w'], torch.arange(4.))

def test_resumed_stage_counts_its_own_steps(tmp_path):
    "The authors' code resumed a stage with the previous stage's step counter; ours resumes each stage at its own."
    from torch import nn
    from omasgan.loop import Stage, train
    def stage(name, steps):
        w = nn.Parameter(torch.zeros(1)); opt = torch.optim.SGD([w], lr=0.1)
        def step():
            loss = ((w - 1) ** 2).sum(); opt.zero_grad(); loss.backward(); opt.step()
            return dict(loss=loss.detach())
        return Stage(name, steps, step, dict(w=nn.ParameterList([w])), dict(opt=opt))
    train(stage('stage1', 40), ckpt_dir=tmp_path, ckpt_every=5, log_every=5, progress=False)
    class Stop(Exception): pass
    def stop_at_15(st, step, row):
        if step == 15: raise Stop
    with pytest.raises(Stop): train(stage('stage2', 30), ckpt_dir=tmp_path, ckpt_every=10, log_every=5, progress=False, callbacks=(stop_at_15,))
    seen = []
    hist = train(stage('stage2', 30), ckpt_dir=tmp_path, ckpt_every=10, log_every=5, progress=False,
                 callbacks=(lambda st, step, row: seen.append(step),))
    assert seen == [15, 20, 25, 30]                       # resumed at stage 2's checkpoint (step 10), not at stage 1's 40
    assert [r['step'] for r in hist] == [5, 10, 15, 20, 25, 30]

def test_unsafe_model_file_runs_nothing(tmp_path):
    "A crafted pickle that would create a marker file when unpickled is refused with one line, and creates nothing."
    import pickle
    marker = tmp_path/'pwned'
    class Exploit:
        def __reduce__(self): return (Path.touch, (marker,))
    (tmp_path/'m').mkdir()
    with open(tmp_path/'m'/'model.pt', 'wb') as f: pickle.dump({'format': Exploit()}, f)
    np.save(tmp_path/'x.npy', np.zeros((1, 28, 28), np.uint8))
    r = run('score', '--model', 'm', 'x.npy', cwd=tmp_path)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert 'model.pt' in r.stderr and not marker.exists()

def test_truncated_model_file_names_the_file(tmp_path):
    "A detector file cut in half (a copy interrupted, a full disk) gives one clear line naming it."
    d = tmp_path/'m'
    r = run('fit', '--dataset', 'toy2d', '--profile', 'tiny', '--quiet', '--out', 'm', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    data = (d/'model.pt').read_bytes(); (d/'model.pt').write_bytes(data[:len(data) // 2])
    np.save(tmp_path/'p.npy', np.zeros((3, 2), np.float32))
    r = run('score', '--model', 'm', 'p.npy', cwd=tmp_path)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and 'model.pt' in r.stderr, r.stderr

def test_checkpoint_of_another_profile_is_refused(tmp_path):
    "A fit killed mid-way leaves stage checkpoints; fitting into that folder with another profile names the mismatch."
    r = run('fit', '--dataset', 'toy2d', '--profile', 'tiny', '--quiet', '--set', 'ckpt_every=5', '--out', 'm', cwd=tmp_path,
            env={'OMASGAN_KILL_AT': 'stage1:7'})
    assert r.returncode == -signal.SIGKILL
    r = run('fit', '--dataset', 'toy2d', '--profile', 'tiny', '--quiet', '--set', 'steps1=30', '--out', 'm', cwd=tmp_path)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert 'stage1.pt' in r.stderr and 'different set-up' in r.stderr and 'steps' in r.stderr

def test_same_seed_same_scores_and_rerun_from_the_job_file(tmp_path, reference_run, reference):
    "A job's folder holds its seed and resolved configuration; `omasgan rerun` repeats it with identical scores."
    cfg = json.loads((reference_run/JOB/'config.json').read_text())
    assert cfg['seed'] == 0 and cfg['config']['steps1'] == 20 and cfg['config']['ckpt_every'] == 5
    r = run('rerun', str(reference_run/JOB), '--quiet', '--out', 'again', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    with np.load(tmp_path/'again'/'jobs'/JOB.name/'scores.npz') as z: again = {k: z[k] for k in z.files}
    assert again.keys() == reference.keys()
    for k in reference: np.testing.assert_array_equal(again[k], reference[k], err_msg=k)

def test_diverging_job_is_marked_failed_and_the_sweep_goes_on(tmp_path):
    r = run('loo', '--dataset', 'toy2d', '--profile', 'tiny', '--methods', 'omasgan,knn', '--quiet', '--set', 'lr=1e30', '--out', 'run',
            cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert 'non-finite' in r.stderr and 'stage1' in r.stderr
    failed = json.loads((tmp_path/JOB/'failed.json').read_text())
    assert 'NonFiniteError' in failed['error'] and not (tmp_path/JOB/'result.json').exists()
    rows = (tmp_path/'run'/'results.csv').read_text().splitlines()
    assert len(rows) == 2 and rows[1].startswith('kNN,toy2d,oneclass,uniform,0,')     # the other job's result is kept
    assert JOB.name in (tmp_path/'run'/'results.md').read_text()
