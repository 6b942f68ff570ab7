"""Scale-out on torch.distributed, with real `torchrun` launches on the CPU (gloo): a sweep sharded over 2 ranks equals
one process; a rank killed mid-job loses nothing a rerun cannot finish; `--ddp` trains one detector on 2 ranks, equals
the single-process run on 1 rank, and resumes bit for bit after a rank is killed."""
import json, os, shutil, signal, subprocess, sys
from pathlib import Path
import pytest
import torch

OMASGAN = shutil.which('omasgan') or pytest.fail('the omasgan console script is not installed: pip install -e .')
# a sweep: mnist5k, tiny budget, three classes, OMASGAN and kNN (6 jobs); a checkpoint every 2 steps
SWEEP = ('loo', '--dataset', 'mnist5k', '--profile', 'tiny', '--classes', '0,1,2', '--methods', 'omasgan,knn', '--quiet',
         '--set', 'ckpt_every=2', '--out', 'run')
# one OMASGAN detector on the toy, long enough for its losses to move
FIT = ('fit', '--dataset', 'toy2d', '--quiet', '--set', 'steps1=60', '--set', 'steps2=40', '--set', 'steps3=30', '--set', 'steps4=60',
       '--set', 'log_every=10', '--set', 'ckpt_every=10', '--out', 'model')
ONE_THREAD = {'OMP_NUM_THREADS': '1'}   # torchrun's default for several CPU ranks; the one-process reference runs the same way

def run(*args, cwd, env=None):
    return subprocess.run([OMASGAN, *args], cwd=cwd, capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})})

def torchrun(*args, k=2, cwd, env=None):
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', f'--nproc-per-node={k}', '-m', 'omasgan', *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600, env={**os.environ, **ONE_THREAD, **(env or {})})

def nets(folder:Path)->dict:
    return torch.load(folder/'model'/'model.pt', weights_only=True)['nets']

def same_nets(a:dict, b:dict)->bool:
    return a.keys() == b.keys() and all(torch.equal(a[n][k], b[n][k]) for n in a for k in a[n])

@pytest.fixture(scope='module')
def one_process(tmp_path_factory):
    d = tmp_path_factory.mktemp('one')
    r = run(*SWEEP, cwd=d, env=ONE_THREAD)
    assert r.returncode == 0, r.stderr[-3000:]
    return (d/'run'/'results.csv').read_text()

def test_sharded_sweep_equals_one_process(tmp_path, one_process):
    r = torchrun(*SWEEP, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    assert (tmp_path/'run'/'results.csv').read_text() == one_process
    results = [json.loads(p.read_text()) for p in (tmp_path/'run'/'jobs').glob('*/result.json')]
    assert len(results) == 6
    assert sorted({(x['rank'], x['ranks']) for x in results}) == [(0, 2), (1, 2)]                # both ranks ran jobs
    for rk in (0, 1): assert {x['job'].split('_')[0] for x in results if x['rank'] == rk} == {'knn', 'omasgan'}   # a share of each method
    assert r.stdout.count('job(s) run') == 1 and '6 job(s) run' in r.stdout                      # rank 0 alone reports

def test_killed_rank_loses_nothing_a_rerun_cannot_finish(tmp_path, one_process):
    r = torchrun(*SWEEP, cwd=tmp_path, env={'OMASGAN_KILL_AT': 'stage2:2', 'OMASGAN_KILL_RANK': '1'})
    assert r.returncode != 0 and 'Signal 9 (SIGKILL)' in r.stderr, (r.returncode, r.stderr[-2000:])
    assert not (tmp_path/'run'/'results.csv').exists()
    assert list((tmp_path/'run'/'jobs').glob('*/ckpt/stage1.pt'))                                 # stage checkpoints survived
    r = torchrun(*SWEEP, cwd=tmp_path)                                                            # the same command again
    assert r.returncode == 0, r.stderr[-3000:]
    assert (tmp_path/'run'/'results.csv').read_text() == one_process
    assert not list((tmp_path/'run'/'jobs').glob('*/ckpt'))

@pytest.fixture(scope='module')
def ddp_two(tmp_path_factory):
    d = tmp_path_factory.mktemp('ddp2')
    r = torchrun(*FIT, '--ddp', cwd=d)
    assert r.returncode == 0, r.stderr[-3000:]
    return d

def test_ddp_on_two_ranks_trains(ddp_two, tmp_path):
    info = json.loads((ddp_two/'model'/'model.json').read_text())
    assert (info['ranks'], info['ddp']) == (2, True)
    h = info['history']
    assert h['stage4'][-1]['J'] < 0.9 * h['stage4'][0]['J'], h['stage4']       # J learns to separate B(z)
    assert h['stage2'][-1]['B'] < h['stage2'][0]['B'], h['stage2']
    r = run(*FIT, cwd=tmp_path)                                                  # one process: other batches, other weights
    assert r.returncode == 0, r.stderr[-3000:]
    assert not same_nets(nets(ddp_two), nets(tmp_path))

def test_ddp_on_one_rank_is_the_single_process_run(tmp_path):
    one, single = tmp_path/'one', tmp_path/'single'
    one.mkdir(); single.mkdir()
    r = torchrun(*FIT, '--ddp', k=1, cwd=one)
    assert r.returncode == 0, r.stderr[-3000:]
    r = run(*FIT, cwd=single, env=ONE_THREAD)
    assert r.returncode == 0, r.stderr[-3000:]
    assert same_nets(nets(one), nets(single))

def test_ddp_killed_rank_resumes_bit_for_bit(tmp_path, ddp_two):
    r = torchrun(*FIT, '--ddp', cwd=tmp_path, env={'OMASGAN_KILL_AT': 'stage2:25', 'OMASGAN_KILL_RANK': '1'})
    assert r.returncode != 0 and 'Signal 9 (SIGKILL)' in r.stderr, (r.returncode, r.stderr[-2000:])
    assert sorted(p.name for p in (tmp_path/'model'/'ckpt').glob('*.pt')) == ['stage1.pt', 'stage2.pt']
    r = torchrun(*FIT, '--ddp', cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    assert same_nets(nets(tmp_path), nets(ddp_two))       # every rank's random stream was restored from the checkpoint

@pytest.mark.parametrize('args,k,says', [
    (('fit', '--ddp'), 0, '--ddp needs several processes'),
    (('loo', '--ddp', '--methods', 'omasgan,knn'), 2, '--ddp trains OMASGAN only; method(s) knn'),
    (('fit', '--method', 'vae', '--ddp'), 2, '--ddp trains OMASGAN only, not vae'),
    (('fit',), 2, 'pass --ddp to train one detector on all of them'),
    (('preview',), 2, 'omasgan preview runs in one process'),
])
def test_errors(tmp_path, args, k, says):
    r = run(*args, cwd=tmp_path) if k == 0 else torchrun(*args, k=k, cwd=tmp_path)
    assert r.returncode != 0
    lines = [l for l in r.stderr.splitlines() if 'omasgan: error:' in l]
    assert lines and all(says in l for l in lines), r.stderr[-2000:]
    assert not any(tmp_path.iterdir())                                           # nothing written
