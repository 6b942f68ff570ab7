#!/usr/bin/env python
"""Build README.md from nbs/index.ipynb and nbs/results.ipynb, offline (nbdev-readme needs Quarto).

    python tools/make_readme.py           # write README.md and assets/readme/*.png
    python tools/make_readme.py --check   # exit 1 if README.md or its images are stale

The README is the front page (`index`) followed by the results notebook (`results`), whose headings go one
level down (its `# Results` becomes the README's `## Results`), so the README's tables are the results page's.
Markdown cells are copied as they are, except that links to the results page (`results.html`, what the
docs site has) point to that section of the README. Code cells marked `#| hide` are dropped; `#| echo: false`
cells show their outputs only; other code cells show their source (directives removed) and outputs. Images
in outputs are written to assets/readme/ (`index-1.png`, `results-1.png`, ...) and linked from the README.
"""
import base64, json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS, README, ASSETS = [ROOT/'nbs'/'index.ipynb', ROOT/'nbs'/'results.ipynb'], ROOT/'README.md', ROOT/'assets'/'readme'
_directive = re.compile(r'^\s*#\|\s*(.*)$')
_results_link = re.compile(r'\]\(results\.html(?:#[^)\s]*)?\)')

def _directives(src):
    return [m.group(1).strip() for l in src.splitlines() if (m := _directive.match(l))]

def demote(md:str, by:int)->str:
    "Markdown `md` with every heading `by` levels lower (`#` -> `##` for 1), code blocks left alone."
    out, fence = [], False
    for l in md.split('\n'):
        if l.lstrip().startswith('```'): fence = not fence
        elif not fence and re.match(r'#{1,6} ', l): l = '#' * by + l
        out.append(l)
    return '\n'.join(out)

def cells_md(nb_path:Path, images:dict, level:int=0)->list:
    "The README parts of one notebook, its headings `level` levels down; its images are added to `images`."
    parts = []
    for cell in json.loads(nb_path.read_text())['cells']:
        src = ''.join(cell['source'])
        if cell['cell_type'] == 'markdown': parts.append(_results_link.sub('](#results)', demote(src.strip(), level))); continue
        if cell['cell_type'] != 'code': continue
        ds = _directives(src)
        if 'hide' in ds or any(d.startswith('default_exp') for d in ds): continue
        code = '\n'.join(l for l in src.splitlines() if not _directive.match(l)).strip()
        if code and 'echo: false' not in ds: parts.append(f"```python\n{code}\n```")
        for out in cell.get('outputs', []):
            data = out.get('data', {})
            if out['output_type'] == 'stream': parts.append("```\n" + ''.join(out['text']).rstrip() + "\n```")
            elif 'image/png' in data:
                name = f"{nb_path.stem}-{sum(n.startswith(nb_path.stem + '-') for n in images) + 1}.png"
                images[name] = base64.b64decode(''.join(data['image/png']))
                parts.append(f"![](assets/readme/{name})")
            elif 'text/markdown' in data: parts.append(''.join(data['text/markdown']).strip())
            elif 'text/plain' in data: parts.append("```\n" + ''.join(data['text/plain']).rstrip() + "\n```")
    return parts

def render():
    "The README text and {file name: bytes} of its images."
    images = {}
    parts = ["<!-- Generated from nbs/index.ipynb and nbs/results.ipynb by `python tools/make_readme.py`: edit the notebooks, not this file. -->"]
    for i, nb in enumerate(NBS): parts += cells_md(nb, images, level=min(i, 1))
    return '\n\n'.join(parts) + '\n', images

def main(check=False):
    text, images = render()
    stale = [] if README.exists() and README.read_text() == text else ['README.md']
    have = {p.name: p.read_bytes() for p in ASSETS.glob('*.png')} if ASSETS.exists() else {}
    stale += [f'assets/readme/{n}' for n in sorted(set(images) | set(have)) if images.get(n) != have.get(n)]
    if check:
        if stale: print(f"README is stale ({', '.join(stale)}): run `python tools/make_readme.py` and commit"); return 1
        print("README.md is up to date with nbs/index.ipynb and nbs/results.ipynb"); return 0
    ASSETS.mkdir(parents=True, exist_ok=True)
    for n in set(have) - set(images): (ASSETS/n).unlink()
    for n, b in images.items(): (ASSETS/n).write_bytes(b)
    README.write_text(text)
    print(f"wrote README.md and {len(images)} image(s)" if stale else "README.md already up to date")
    return 0

if __name__ == '__main__': sys.exit(main('--check' in sys.argv[1:]))
