"""`read_image` on every image mode PIL opens from a file: each readable file gives the 8-bit values it was
made from, each unreadable one a one-line `ValueError` naming the file; and `image_folder` of 16-bit or
float copies equals `image_folder` of the 8-bit originals."""
import struct, subprocess, sys, zlib
from pathlib import Path
import numpy as np
import pytest
import torch
from PIL import Image
from omasgan.data import read_image, image_folder

H, W = 8, 12                                    # not square, so a transposed read cannot pass
rng = np.random.default_rng(0)
GREY = rng.integers(0, 256, (H, W), dtype=np.uint8)
RGB = rng.integers(0, 256, (H, W, 3), dtype=np.uint8)
ALPHA = rng.integers(0, 256, (H, W), dtype=np.uint8)
IDX = rng.integers(0, 16, (H, W), dtype=np.uint8)
PAL = rng.integers(0, 256, (16, 3), dtype=np.uint8)
CMYK = rng.integers(0, 256, (H, W, 4), dtype=np.uint8)
YCC = rng.integers(0, 256, (H, W, 3), dtype=np.uint8)

def png16(a:np.ndarray)->bytes:
    "A 16-bit PNG (grey (H, W) or RGB (H, W, 3)) of uint16 `a`, written by hand: PIL writes no 16-bit colour PNG."
    h, w = a.shape[:2]
    chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
    raw = b''.join(b'\0' + row.astype('>u2').tobytes() for row in a)
    ihdr = struct.pack('>IIBBBBB', w, h, 16, 2 if a.ndim == 3 else 0, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')

def palette(idx, pal, mode='P')->Image.Image:
    im = Image.fromarray(idx, 'P'); im.putpalette(pal.tobytes())
    return im if mode == 'P' else im.convert(mode)

def cmyk_to_rgb(k:np.ndarray)->np.ndarray:
    "CMYK to RGB as PIL defines it (no colour management): R = (255 - C)(255 - K)/255."
    k = k.astype(float)
    return np.rint((255 - k[..., :3]) * (255 - k[..., 3:]) / 255)

def ycbcr_to_rgb(y:np.ndarray)->np.ndarray:
    "YCbCr (JPEG/JFIF, full range) to RGB, in floating point."
    Y, Cb, Cr = (y[..., i].astype(float) for i in range(3))
    rgb = np.stack([Y + 1.402 * (Cr - 128), Y - 0.344136 * (Cb - 128) - 0.714136 * (Cr - 128), Y + 1.772 * (Cb - 128)], -1)
    return np.clip(np.rint(rgb), 0, 255)

def frames(n:int)->list: return [Image.fromarray(np.full((H, W), 80 * i, np.uint8)) for i in range(n)]

BIN = np.where(GREY > 127, 255, 0).astype(np.uint8)
u16 = lambda a: a.astype(np.uint16) * 257        # the 16-bit copy of 8-bit `a`: 0 → 0, 255 → 65535
f01 = lambda a: (a / 255).astype(np.float32)     # the float copy in [0, 1]

# name: (file name, writer(path), PIL mode the file opens as, expected uint8 or None, tolerance or refusal text)
# Tolerance 0 everywhere except YCbCr: PIL converts YCbCr to RGB in fixed point, ±1 from the exact formula.
# CMYK and P are exact here (P built from an exact palette, CMYK against PIL's own formula).
CASES = {
    '1':          ('a.png', lambda p: Image.fromarray(BIN).convert('1').save(p), '1', BIN, 0),
    'L':          ('a.png', lambda p: Image.fromarray(GREY).save(p), 'L', GREY, 0),
    'LA':         ('a.png', lambda p: Image.merge('LA', [Image.fromarray(GREY), Image.fromarray(ALPHA)]).save(p), 'LA', GREY, 0),
    'P grey':     ('a.gif', lambda p: Image.fromarray(GREY).save(p), 'P', GREY, 0),
    'P colour':   ('a.png', lambda p: palette(IDX, PAL).save(p), 'P', PAL[IDX], 0),
    'PA':         ('a.tif', lambda p: palette(IDX, PAL, 'PA').save(p), 'PA', PAL[IDX], 0),
    'RGB':        ('a.png', lambda p: Image.fromarray(RGB).save(p), 'RGB', RGB, 0),
    'RGBA':       ('a.png', lambda p: Image.fromarray(np.dstack([RGB, ALPHA])).save(p), 'RGBA', RGB, 0),
    'RGB 16-bit': ('a.png', lambda p: p.write_bytes(png16(u16(RGB))), 'RGB', RGB, 0),
    'CMYK':       ('a.tif', lambda p: Image.frombytes('CMYK', (W, H), CMYK.tobytes()).save(p), 'CMYK', cmyk_to_rgb(CMYK), 0),
    'YCbCr':      ('a.tif', lambda p: Image.frombytes('YCbCr', (W, H), YCC.tobytes()).save(p), 'YCbCr', ycbcr_to_rgb(YCC), 1),
    'I;16 PNG':   ('a.png', lambda p: Image.fromarray(u16(GREY)).save(p), 'I;16', GREY, 0),
    'I;16 TIFF':  ('a.tif', lambda p: Image.fromarray(u16(GREY)).save(p), 'I;16', GREY, 0),
    'I;16B':      ('a.tif', lambda p: Image.frombytes('I;16B', (W, H), u16(GREY).astype('>u2').tobytes()).save(p), 'I;16B', GREY, 0),
    'I 16-bit PGM': ('a.pgm', lambda p: p.write_bytes(b'P5\n%d %d\n65535\n' % (W, H) + u16(GREY).astype('>u2').tobytes()), 'I', GREY, 0),
    'I 32-bit TIFF': ('a.tif', lambda p: Image.fromarray(u16(GREY).astype(np.int32)).save(p), 'I', GREY, 0),
    'F TIFF':     ('a.tif', lambda p: Image.fromarray(f01(GREY)).save(p), 'F', GREY, 0),
    # refusals
    'I out of range': ('a.tif', lambda p: Image.fromarray(np.array([[0, 70000]], np.int32)).save(p), 'I', None, 'expected 16-bit values in [0, 65535]'),
    'I negative': ('a.tif', lambda p: Image.fromarray(np.array([[-5, 10]], np.int32)).save(p), 'I', None, 'values in [-5, 10]'),
    'F out of range': ('a.tif', lambda p: Image.fromarray(f01(GREY) * 2).save(p), 'F', None, 'expected [0, 1]'),
    'F NaN':      ('a.tif', lambda p: Image.fromarray(np.array([[0, np.nan]], np.float32)).save(p), 'F', None, 'NaN or inf'),
    'GIF frames': ('a.gif', lambda p: frames(3)[0].save(p, save_all=True, append_images=frames(3)[1:]), 'P', None, 'holds 3 frames'),
    'TIFF pages': ('a.tif', lambda p: frames(2)[0].save(p, save_all=True, append_images=frames(2)[1:]), 'L', None, 'holds 2 frames'),
    'too many pixels': ('a.png', lambda p: Image.new('1', (5000, 5000)).save(p), '1', None, 'more than MAX_PIXELS'),
    "over PIL's warning size": ('a.png', lambda p: Image.new('1', (10000, 10000)).save(p), None, None, 'too large to decode safely'),
    'truncated PNG': ('a.png', lambda p: p.write_bytes(_png_bytes()[:80]), 'RGB', None, 'is not an image file (image file is truncated'),
    'truncated JPEG': ('a.jpg', lambda p: p.write_bytes(_jpeg_bytes()[:1500]), 'RGB', None, 'is not an image file (image file is truncated'),
    'JPEG cut in its header': ('a.jpg', lambda p: p.write_bytes(_jpeg_bytes()[:400]), None, None, 'is not an image file'),
    'not an image': ('a.txt', lambda p: p.write_text('hello'), None, None, 'is not an image file (unknown format)'),
}

def _png_bytes()->bytes:
    import io; b = io.BytesIO(); Image.fromarray(RGB).save(b, 'PNG'); return b.getvalue()

def _jpeg_bytes()->bytes:
    import io; b = io.BytesIO(); Image.fromarray(np.kron(RGB, np.ones((8, 8, 1), np.uint8)) ^ np.random.default_rng(1).integers(0, 32, (64, 96, 3), dtype=np.uint8)).save(b, 'JPEG'); return b.getvalue()

@pytest.mark.parametrize('case', list(CASES))
def test_read_image(case, tmp_path):
    name, write, mode, expected, tol = CASES[case]
    p = tmp_path/name; write(p)
    if mode is not None:
        with Image.open(p) as im: assert im.mode == mode, f'the fixture opens as {im.mode}, not {mode}'
    if expected is None:
        with pytest.raises(ValueError) as e: read_image(p)
        msg = str(e.value)
        assert tol in msg and str(p) in msg and '\n' not in msg, msg
        return
    a = read_image(p)
    assert a.dtype == np.uint8 and a.shape == expected.shape, (a.dtype, a.shape)
    assert np.abs(a.astype(int) - expected).max() <= tol
    grey = a.ndim == 2                                    # channels=1 / 3 give the grey or colour reading
    g, c = read_image(p, 1), read_image(p, 3)
    assert g.shape == (H, W) and c.shape == (H, W, 3)
    if grey: np.testing.assert_array_equal(c, np.repeat(a[..., None], 3, -1))
    elif mode == 'YCbCr': np.testing.assert_array_equal(g, YCC[..., 0])    # PIL's grey of YCbCr is its Y, exactly
    else: np.testing.assert_array_equal(g, np.asarray(Image.fromarray(c).convert('L')))   # ITU-R 601-2 luma of the colours

def test_decompression_bomb_is_refused_before_decoding(tmp_path):
    "A 20000 x 20000 1-bit PNG (under 50 kB on disk, 400 MB decoded) is refused without the memory to decode it."
    p = tmp_path/'bomb.png'; Image.new('1', (20000, 20000)).save(p)
    assert p.stat().st_size < 100_000
    code = ("import resource, sys; from omasgan.data import read_image\n"
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "try: read_image(sys.argv[1]); print('READ')\n"
            "except ValueError as e: print(e)\n"
            "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)")   # ru_maxrss is in kB
    r = subprocess.run([sys.executable, '-c', code, str(p)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    msg, grew_mb = r.stdout.strip().splitlines()
    assert 'bomb.png is too large to decode safely' in msg, msg
    assert int(grew_mb) < 50, f'reading grew the process by {grew_mb} MB'

def _old_image_folder(path:Path)->torch.Tensor:
    "image_folder before `read_image`: PIL's convert to L (all grey modes) or RGB, for the 8-bit bit-identity check."
    from omasgan.data import to_images
    imgs = [Image.open(p) for p in sorted(path.iterdir())]
    grey = all(im.mode in ('1', 'L', 'I', 'I;16', 'F') for im in imgs)
    return to_images(np.stack([np.asarray(im.convert('L' if grey else 'RGB'), dtype=np.uint8) for im in imgs]))

def test_image_folder_reads_16_bit_and_float_copies_as_the_originals(tmp_path):
    for d in ('grey8', 'grey16', 'greyF', 'rgb8', 'rgb16', 'mixed8'): (tmp_path/d).mkdir()
    for i in range(4):
        g, c = rng.integers(0, 256, (20, 24), dtype=np.uint8), rng.integers(0, 256, (20, 24, 3), dtype=np.uint8)
        Image.fromarray(g).save(tmp_path/'grey8'/f'{i}.png'); Image.fromarray(u16(g)).save(tmp_path/'grey16'/f'{i}.png')
        Image.fromarray(f01(g)).save(tmp_path/'greyF'/f'{i}.tif')
        Image.fromarray(c).save(tmp_path/'rgb8'/f'{i}.png'); (tmp_path/'rgb16'/f'{i}.png').write_bytes(png16(u16(c)))
        Image.fromarray(g if i % 2 else c).convert('1' if i == 1 else 'L' if i % 2 else 'RGBA').save(tmp_path/'mixed8'/f'{i}.png')
    for size in (None, 32):
        assert torch.equal(image_folder(tmp_path/'grey16', size), image_folder(tmp_path/'grey8', size))
        assert torch.equal(image_folder(tmp_path/'greyF', size), image_folder(tmp_path/'grey8', size))
        assert torch.equal(image_folder(tmp_path/'rgb16', size), image_folder(tmp_path/'rgb8', size))
    assert image_folder(tmp_path/'grey16').shape == (4, 1, 32, 32) and image_folder(tmp_path/'rgb16').shape == (4, 3, 32, 32)
    for d in ('grey8', 'rgb8', 'mixed8'):                # 8-bit files: bit-identical to the reader before `read_image`
        assert torch.equal(image_folder(tmp_path/d), _old_image_folder(tmp_path/d)), d
