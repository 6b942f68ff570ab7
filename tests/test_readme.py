"""README.md is generated from nbs/index.ipynb (the front page) and nbs/results.ipynb (the results) and must match
them; it shows the two set-up commands, and its tables are the results notebook's."""
import json, re, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def _markdown(nb:str)->str:
    return '\n\n'.join(''.join(c['source']) for c in json.loads((ROOT/'nbs'/nb).read_text())['cells'] if c['cell_type'] == 'markdown')

def test_readme_in_sync():
    r = subprocess.run([sys.executable, 'tools/make_readme.py', '--check'], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr

def test_readme_shows_the_two_commands():
    text = (ROOT/'README.md').read_text()
    assert 'pip install -e ".[dev]" && pytest' in text
    assert 'pip install -e . && omasgan' in text

def test_readme_tables_come_from_the_results_notebook():
    "Every table row of nbs/results.ipynb is in the README, under its `## Results`, after the front page; the front page holds no table of results."
    text, results, index = (ROOT/'README.md').read_text(), _markdown('results.ipynb'), _markdown('index.ipynb')
    rows = [l for l in results.split('\n') if l.startswith('| ')]
    assert len(rows) >= 90 and re.search(r'^\| OMASGAN \| \d\.\d{3} ± \d\.\d{3} \|', results, re.M)   # the three-seed table
    head = text.index('\n## Results\n')
    assert all(l in text[head:] for l in rows), [l for l in rows if l not in text[head:]][:3]
    assert '## Results' not in index and not re.search(r'^\| method \|', index, re.M)
    assert '](results.html)' in index and '](#results)' in text[:head] and 'results.html' not in text

def test_front_page_names_the_authors_in_the_papers_order():
    text = (ROOT/'README.md').read_text()
    assert 'Dionelis, Yaghoobi & Tsaftaris, 2022' in text and 'Tsaftaris & Yaghoobi' not in text
