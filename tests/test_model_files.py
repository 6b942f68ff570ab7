"""Model files from anywhere (issue 20, points 5 and 6): any file given to `Detector.load` or `omasgan score --model`
is loaded or refused in one line, with bounded memory and nothing executed; `predict` flags at most `fpr` of its
validation data; files are written with the user's umask."""
import dataclasses, math, os, shutil, stat, struct, subprocess, zipfile, zlib
from pathlib import Path
import numpy as np
import pytest
import torch
from omasgan.core import CheckpointError, atomic_write
from omasgan.data import load_data, loo_split
from omasgan.api import Detector
from omasgan.detector import OMASGAN
from omasgan.baselines.core import KNN

CLI = shutil.which('omasgan') or pytest.fail('the omasgan console script is not installed: pip install -e .')

@pytest.fixture(scope='module')
def fitted(tmp_path_factory):
    "A tiny OMASGAN and a kNN fitted on mnist5k (abnormal digit 1), their files, and an input to score."
    d = tmp_path_factory.mktemp('models')
    sp = loo_split(load_data('mnist5k'), 1, seed=0)
    det = OMASGAN('tiny', progress=False).fit(sp, input_hw=(28, 28))
    det.save(d/'model.pt')
    KNN('tiny', progress=False).fit(sp, input_hw=(28, 28)).save(d/'knn.pt')
    np.save(d/'x.npy', np.random.default_rng(0).integers(0, 256, (2, 28, 28), dtype=np.uint8))
    return dict(dir=d, det=det, split=sp, state=torch.load(d/'model.pt', weights_only=True))

def score_cli(model:Path, cwd:Path)->tuple:
    "Run `omasgan score --model model x.npy --out -`: (exit code, stderr lines, peak RSS of that process in bytes)."
    with open(cwd/'out.txt', 'w+') as out, open(cwd/'err.txt', 'w+') as err:
        p = subprocess.Popen([CLI, 'score', '--model', str(model), 'x.npy', '--out', '-'], cwd=cwd, stdout=out, stderr=err,
                             env={**os.environ, 'OMP_NUM_THREADS': '1'})
        _, status, usage = os.wait4(p.pid, 0)               # this child's own resource usage, not the largest child's so far
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0); lines = err.read().strip().splitlines()
    return p.returncode, lines, usage.ru_maxrss * 1024      # ru_maxrss is in kB on Linux

def refusal(path, cls=Detector)->str:
    "The `CheckpointError` message `cls.load(path)` gives: exactly one, on one line (any other exception fails the test)."
    with pytest.raises(CheckpointError) as e: cls.load(path)
    msg = str(e.value)
    assert '\n' not in msg and str(path) in msg, msg
    return msg

def raw_zip(path:Path, members:list)->Path:
    "A zip archive written byte by byte: `members` are (name, method, crc, compressed chunks, uncompressed size)."
    with open(path, 'wb') as f:
        central = b''
        for name, method, crc, chunks, usize in members:
            off, csize, n = f.tell(), sum(len(c) for c in chunks), name.encode()
            f.write(struct.pack('<4s5H3L2H', b'PK\x03\x04', 20, 0, method, 0, 0x21, crc, csize, usize, len(n), 0) + n)
            for c in chunks: f.write(c)
            central += struct.pack('<4s6H3L5H2L', b'PK\x01\x02', 20, 20, 0, method, 0, 0x21, crc, csize, usize, len(n), 0, 0, 0, 0, 0, off) + n
        start = f.tell(); f.write(central)
        f.write(struct.pack('<4s4H2LH', b'PK\x05\x06', 0, 0, len(members), len(members), len(central), start, 0))
    return path

def zip_bomb(path:Path, gb:int=3)->Path:
    "A torch-like archive whose `data.pkl` inflates to `gb` GB of zeros from about `gb` MB: raw deflate, the same flushed block repeated."
    mb, c = bytes(2**20), zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(mb) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(mb) + c.flush(zlib.Z_FULL_FLUSH)      # after a full flush every further MB of zeros compresses alike
    n, crc, block = gb * 1024, 0, bytes(2**24)
    for _ in range(n // 16): crc = zlib.crc32(block, crc)
    chunks = [first, *[again] * (n - 1), c.flush()]
    d = zlib.decompressobj(-15); assert len(d.decompress(first + again + again)) == 3 * 2**20   # the stream is valid deflate
    stored = [(f'archive/{k}', 0, zlib.crc32(v), [v], len(v)) for k, v in (('version', b'3\n'), ('byteorder', b'little'))]
    return raw_zip(path, [('archive/data.pkl', 8, crc, chunks, n * 2**20), *stored])

class _System:
    "Unpickling this would run a shell command."
    def __init__(self, cmd): self.cmd = cmd
    def __reduce__(self): return (os.system, (self.cmd,))

# ---- files that are not detector files at all, through the command line ------------------------------------------
def _text(d, f): (d/'m.pt').write_text('model = "omasgan"\n'); return d/'m.pt'
def _png(d, f):
    from PIL import Image
    Image.fromarray(np.zeros((8, 8), np.uint8)).save(d/'m.pt', format='PNG'); return d/'m.pt'
def _random(d, f): (d/'m.pt').write_bytes(np.random.default_rng(1).bytes(5000)); return d/'m.pt'
def _truncated(d, f): b = (f['dir']/'model.pt').read_bytes(); (d/'m.pt').write_bytes(b[:len(b) // 2]); return d/'m.pt'
def _legacy(d, f): torch.save({'a': torch.zeros(3)}, d/'m.pt', _use_new_zipfile_serialization=False); return d/'m.pt'
def _newer(d, f): torch.save({**f['state'], 'format': 'omasgan-detector-2'}, d/'m.pt'); return d/'m.pt'
def _setting(d, f): torch.save({**f['state'], 'config': {**f['state']['config'], 'foo': 1}}, d/'m.pt'); return d/'m.pt'
def _empty(d, f): (d/'m.pt').write_bytes(b''); return d/'m.pt'

CLI_CASES = [(_text, 'corrupted or truncated'), (_png, 'corrupted or truncated'), (_random, 'corrupted or truncated'),
             (_truncated, 'corrupted or truncated'), (_legacy, 'corrupted or truncated'), (_empty, 'corrupted or truncated'),
             (_newer, 'made by a newer omasgan'), (_setting, "setting 'foo' unknown to this version")]

@pytest.mark.parametrize('make, expected', CLI_CASES, ids=[m.__name__[1:] for m, _ in CLI_CASES])
def test_score_refuses_in_one_line(fitted, tmp_path, make, expected):
    shutil.copy(fitted['dir']/'x.npy', tmp_path/'x.npy')
    rc, lines, _ = score_cli(make(tmp_path, fitted), tmp_path)
    assert rc == 2 and len(lines) == 1 and lines[0].startswith('omasgan: error:') and expected in lines[0], (rc, lines[-5:])

def test_score_reads_both_methods(fitted):
    for m in ('model.pt', 'knn.pt'):       # a baseline's file too: `Detector.load` finds its class without being told
        rc, lines, _ = score_cli(fitted['dir']/m, fitted['dir'])
        assert rc == 0, lines[-5:]

def test_zip_bomb_is_refused_with_bounded_memory(fitted, tmp_path):
    shutil.copy(fitted['dir']/'x.npy', tmp_path/'x.npy')
    bomb = zip_bomb(tmp_path/'bomb.pt')
    size = bomb.stat().st_size
    assert size < 4 * 2**20 and sum(i.file_size for i in zipfile.ZipFile(bomb).infolist()) > 3 * 2**30
    _, _, base = score_cli(_text(tmp_path, fitted), tmp_path)           # the same command on a file it reads nothing of
    rc, lines, peak = score_cli(bomb, tmp_path)
    assert rc == 2 and len(lines) == 1 and 'data.pkl is compressed' in lines[0], lines[-5:]
    print(f"zip bomb of {size / 2**20:.1f} MB (inflating to 3 GB): peak RSS {peak / 2**20:.0f} MB, "
          f"{(peak - base) / 2**20:.0f} MB above the same command on a text file")
    assert peak - base < 2 * size + 200 * 2**20, (peak, base)

def test_pickle_that_runs_code_is_refused_and_not_run(fitted, tmp_path):
    shutil.copy(fitted['dir']/'x.npy', tmp_path/'x.npy')
    marker = tmp_path/'pwned'
    torch.save({**fitted['state'], 'threshold': _System(f'touch {marker}')}, tmp_path/'evil.pt')
    rc, lines, _ = score_cli(tmp_path/'evil.pt', tmp_path)
    assert rc == 2 and len(lines) == 1 and 'refused' in lines[0] and 'system' in lines[0], lines[-5:]
    assert 'refused' in refusal(tmp_path/'evil.pt')
    assert not marker.exists(), 'loading the file ran its code'

# ---- detector files with something wrong inside, in-process --------------------------------------------------------
def _without(st, *keys): return {k: v for k, v in st.items() if k not in keys}
def _with_net(st, net, key, value): return {**st, 'nets': {**st['nets'], net: {**st['nets'][net], key: value}}}
def _first_key(st, net): return next(iter(st['nets'][net]))

STATE_CASES = [
    ('no format', lambda st: _without(st, 'format'), 'is not an omasgan detector file'),
    ('another format', lambda st: {**st, 'format': 'pyod-1'}, 'is not an omasgan detector file'),
    ('format not a string', lambda st: {**st, 'format': 1}, 'is not an omasgan detector file'),
    ('newer format', lambda st: {**st, 'format': 'omasgan-detector-12'}, 'made by a newer omasgan'),
    ('unknown method', lambda st: {**st, 'method': 'IsolationForest'}, "method 'IsolationForest', unknown to this version"),
    ('method not a string', lambda st: {**st, 'method': ['OMASGAN']}, 'method that is not a string'),
    ('no networks', lambda st: _without(st, 'nets'), "lacks 'nets'"),
    ('no threshold', lambda st: _without(st, 'threshold'), "lacks 'threshold'"),
    ('no config', lambda st: _without(st, 'config'), "lacks 'config'"),
    ('no buffers', lambda st: _without(st, 'buffers'), "lacks the buffer 'bank'"),
    ('threshold a string', lambda st: {**st, 'threshold': '0.5'}, 'threshold that is not a finite number'),
    ('threshold NaN', lambda st: {**st, 'threshold': float('nan')}, 'threshold that is not a finite number'),
    ('threshold a tensor', lambda st: {**st, 'threshold': torch.tensor([1., 2.])}, 'threshold that is not a finite number'),
    ('seed a float', lambda st: {**st, 'seed': 0.5}, 'seed that is not an integer'),
    ('sample_shape a string', lambda st: {**st, 'sample_shape': '1,32,32'}, 'sample_shape that is not'),
    ('sample_shape of floats', lambda st: {**st, 'sample_shape': [1., 32., 32.]}, 'sample_shape that is not'),
    ('sample_shape huge', lambda st: {**st, 'sample_shape': [1, 10**6, 10**6]}, 'sample_shape that is not'),
    ('sample_shape that lies', lambda st: {**st, 'sample_shape': [3, 32, 32]}, 'does not match the networks of its own configuration'),
    ('kind unknown', lambda st: {**st, 'kind': 'audio'}, "kind that is not 'images' or 'points'"),
    ('kind that lies', lambda st: {**st, 'kind': 'points'}, 'sample_shape that is not a list of 1'),
    ('value_range reversed', lambda st: {**st, 'value_range': [255., 0.]}, 'value_range that is not two increasing numbers'),
    ('config not a dict', lambda st: {**st, 'config': [1, 2]}, 'config that is not a dict'),
    ('config key unknown', lambda st: {**st, 'config': {**st['config'], 'warp': 9}}, "setting 'warp' unknown to this version"),
    ('config value mistyped', lambda st: {**st, 'config': {**st['config'], 'width': '32'}}, "setting 'width' has the wrong type"),
    ('config value out of range', lambda st: {**st, 'config': {**st['config'], 'width': -3}}, 'width must be a positive integer'),
    ('config that lies', lambda st: {**st, 'config': {**st['config'], 'width': 4096}}, 'does not match the networks of its own configuration'),
    ('override unknown', lambda st: {**st, 'overrides': {'warp': 9}}, "setting 'warp' unknown to this version"),
    ('profile unknown', lambda st: {**st, 'profile': 'huge'}, "unknown profile 'huge'"),
    ('init argument unknown', lambda st: {**st, 'init': {'fd': 'C', 'turbo': True}}, "argument 'turbo' unknown to this version"),
    ('init reading unknown', lambda st: {**st, 'init': {'fd': 'telepathy'}}, 'fd must be'),
    ('network missing', lambda st: {**st, 'nets': _without(st['nets'], 'J')}, "network 'J' is missing"),
    ('network extra', lambda st: {**st, 'nets': {**st['nets'], 'K': {}}}, "network 'K' this method does not have"),
    ('network not a dict', lambda st: {**st, 'nets': {**st['nets'], 'J': torch.zeros(3)}}, "network 'J' that is not a dict of tensors"),
    ('net entry of wrong shape', lambda st: _with_net(st, 'G', _first_key(st, 'G'), torch.zeros(7)), 'has shape [7], its configuration gives'),
    ('net entry of wrong dtype', lambda st: _with_net(st, 'G', _first_key(st, 'G'), st['nets']['G'][_first_key(st, 'G')].double()), 'torch.float64'),
    ('net entry missing', lambda st: {**st, 'nets': {**st['nets'], 'D': _without(st['nets']['D'], _first_key(st, 'D'))}}, 'is missing'),
    ('net entry extra', lambda st: _with_net(st, 'D', 'extra.weight', torch.zeros(1)), 'D.extra.weight is not an entry'),
    ('net entry not a tensor', lambda st: _with_net(st, 'D', _first_key(st, 'D'), [0.]), "network 'D' that is not a dict of tensors"),
    ('bank of wrong shape', lambda st: {**st, 'buffers': {'bank': st['buffers']['bank'][:, :, :16]}}, 'buffers or statistics do not fit'),
    ('bank of integers', lambda st: {**st, 'buffers': {'bank': st['buffers']['bank'].long()}}, "buffer 'bank' that is not"),
    ('bank with NaN', lambda st: {**st, 'buffers': {'bank': st['buffers']['bank'] * float('nan')}}, "buffer 'bank' that is not"),
    ('bank larger than the file', lambda st: {**st, 'buffers': {'bank': torch.zeros(1).expand(10**5, 1, 32, 32)}}, 'more than the file'),
    ('statistics missing', lambda st: {**st, 'std': _without(st['std'], 'J')}, 'buffers or statistics do not fit'),
    ('statistics malformed', lambda st: {**st, 'std': {**st['std'], 'J': (0., 0.)}}, "statistics of 'J'"),
    ('statistics not a dict', lambda st: {**st, 'std': [0., 1.]}, 'std that is not a dict'),
]

@pytest.mark.parametrize('change, expected', [c[1:] for c in STATE_CASES], ids=[c[0] for c in STATE_CASES])
def test_load_refuses_a_crafted_state(fitted, tmp_path, change, expected):
    torch.save(change(dict(fitted['state'])), tmp_path/'m.pt')
    msg = refusal(tmp_path/'m.pt')
    assert expected in msg, msg

def test_another_methods_file_says_which(fitted):
    assert 'holds a KNN detector, not a OMASGAN' in refusal(fitted['dir']/'knn.pt', OMASGAN)
    assert type(Detector.load(fitted['dir']/'knn.pt')).__name__ == 'KNN'   # by name: a notebook run in the same process may register its own KNN class

def test_extra_top_level_keys_are_ignored(fitted, tmp_path):
    torch.save({**fitted['state'], 'written_by': 'omasgan 9', 'notes': [1, 2]}, tmp_path/'m.pt')
    assert Detector.load(tmp_path/'m.pt').threshold == fitted['det'].threshold

def test_nothing_but_checkpoint_errors_escape(fitted, tmp_path):
    "Every top-level value and a sample of settings replaced by odd values: each file loads or gives one CheckpointError."
    odd = [None, 'x', -1, 0.5, True, [], {}, [1, 'a'], {'a': 1}, float('inf'), torch.zeros(2), torch.zeros(())]
    st, loaded = fitted['state'], 0
    variants = [{**st, k: v} for k in st for v in odd]
    variants += [{**st, 'config': {**st['config'], k: v}} for k in list(st['config'])[::4] for v in odd[:6]]
    for i, s in enumerate(variants):
        torch.save(s, tmp_path/'m.pt')
        try: Detector.load(tmp_path/'m.pt'); loaded += 1
        except CheckpointError as e: assert '\n' not in str(e), str(e)
    assert loaded < len(variants) / 2, loaded

# ---- the threshold -------------------------------------------------------------------------------------------------
def test_predict_flags_at_most_fpr_of_its_validation_data(fitted, tmp_path):
    det, sp = fitted['det'], fitted['split']
    n, k = len(sp.val), math.floor(det.cfg.fpr * len(sp.val) + 1e-9)
    assert int((det.val_scores['AS'] > det.threshold).sum()) <= k
    for d in (det, Detector.load(fitted['dir']/'model.pt')):
        flagged = d.predict(sp.val)
        assert flagged.sum() <= k and flagged.mean() <= det.cfg.fpr, (flagged.sum(), n)
    for fpr in (0.01, 0.2):                   # the rule holds at any fpr, through `rescored`
        d = Detector.load(fitted['dir']/'model.pt')
        d.rescored(sp.val, dataclasses.replace(d.cfg, fpr=fpr))
        assert d.predict(sp.val).sum() <= math.floor(fpr * n + 1e-9)

# ---- file modes ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize('mask, mode', [(0o022, 0o644), (0o077, 0o600)], ids=['umask022', 'umask077'])
def test_files_follow_the_umask(fitted, tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        p = atomic_write(tmp_path/'a.txt', 'x')
        q = fitted['det'].save(tmp_path/'model.pt')
        r = subprocess.run([CLI, 'score', '--model', str(q), str(fitted['dir']/'x.npy'), '--out', str(tmp_path/'s.csv')],
                           capture_output=True, text=True, env={**os.environ, 'OMP_NUM_THREADS': '1'})
        assert r.returncode == 0, r.stderr[-2000:]
    finally: os.umask(old)
    for f in (p, q, tmp_path/'s.csv'): assert stat.S_IMODE(f.stat().st_mode) == mode, (f, oct(f.stat().st_mode))
