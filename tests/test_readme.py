"""README.md is generated from nbs/index.ipynb and must match it; it shows the two set-up commands."""
import subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def test_readme_in_sync():
    r = subprocess.run([sys.executable, 'tools/make_readme.py', '--check'], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr

def test_readme_shows_the_two_commands():
    text = (ROOT/'README.md').read_text()
    assert 'pip install -e ".[dev]" && pytest' in text
    assert 'pip install -e . && omasgan' in text
