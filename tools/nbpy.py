"""Edit notebooks as plain text: `nbpy.py out NB.ipynb > NB.py` writes a percent-format script with the
cell ids; `nbpy.py in NB.py NB.ipynb` writes the cells back, keeping the outputs of every code cell
whose id and source are unchanged (so a prose edit does not force a re-run).

Markers: `# %% id=XXXX` (code) and `# %% [markdown] id=XXXX` (markdown, each line prefixed by `# `).
A marker without `id=` makes a new cell."""
import json, re, sys, uuid
from pathlib import Path

MARK = re.compile(r'^# %%( \[markdown\])?(?: id=(\S+))?\s*$')

def nb_to_py(nb_path):
    nb = json.loads(Path(nb_path).read_text())
    out = []
    for c in nb['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] == 'markdown':
            out.append(f"# %% [markdown] id={c['id']}")
            out += [('# ' + l) if l else '#' for l in src.split('\n')]
        else:
            out.append(f"# %% id={c['id']}")
            out += src.split('\n')
        out.append('')
    return '\n'.join(out)

def py_to_nb(py_path, nb_path):
    p = Path(nb_path)
    old = json.loads(p.read_text()) if p.exists() else {'cells': [], 'metadata': {'kernelspec': {'display_name': 'python3', 'language': 'python', 'name': 'python3'}}, 'nbformat': 4, 'nbformat_minor': 5}
    prev = {c['id']: c for c in old['cells']}
    cells, cur = [], None
    for line in Path(py_path).read_text().split('\n'):
        m = MARK.match(line)
        if m:
            cur = {'md': bool(m.group(1)), 'id': m.group(2) or uuid.uuid4().hex[:8], 'lines': []}
            cells.append(cur)
        elif cur is not None: cur['lines'].append(line)
    new = []
    for c in cells:
        lines = c['lines']
        while lines and not lines[-1].strip(): lines.pop()
        if c['md']: lines = [l[2:] if l.startswith('# ') else l.lstrip('#') for l in lines]
        src = '\n'.join(lines)
        source = [l + '\n' for l in src.split('\n')]; source[-1] = source[-1][:-1]
        if c['md']: new.append({'cell_type': 'markdown', 'id': c['id'], 'metadata': {}, 'source': source})
        else:
            o = prev.get(c['id'])
            keep = o is not None and o['cell_type'] == 'code' and ''.join(o['source']) == src
            new.append({'cell_type': 'code', 'execution_count': None, 'id': c['id'], 'metadata': {},
                        'outputs': o.get('outputs', []) if keep else [], 'source': source})
    old['cells'] = new
    p.write_text(json.dumps(old, indent=1, ensure_ascii=False) + '\n')

if __name__ == '__main__':
    if sys.argv[1] == 'out': sys.stdout.write(nb_to_py(sys.argv[2]))
    elif sys.argv[1] == 'in': py_to_nb(sys.argv[2], sys.argv[3])
    else: sys.exit(__doc__)
