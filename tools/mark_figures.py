"""Mark a markdown cell whose figures come from elsewhere than the page's outputs (see tests/test_prose.py).

    python tools/mark_figures.py NOTEBOOK CELL_ID "SOURCE"      # appends <!-- figures: SOURCE --> to the cell

The comment is invisible on the rendered page; it tells the prose test (and a reader of the notebook) which command
or source measured the cell's figures. A cell that is marked already has its comment replaced."""
import json, re, sys
from pathlib import Path

def mark(nb:Path, cell_id:str, source:str):
    book = json.loads(nb.read_text())
    cells = [c for c in book['cells'] if c.get('id') == cell_id and c['cell_type'] == 'markdown']
    if not cells: sys.exit(f'{nb}: no markdown cell with id {cell_id!r}')
    c = cells[0]
    text = re.sub(r'\n*<!--\s*figures:.*?-->\s*$', '', ''.join(c['source']), flags=re.S)
    text = text.rstrip('\n') + f'\n\n<!-- figures: {source} -->'
    c['source'] = text.splitlines(keepends=True)
    tmp = nb.with_name(f'.{nb.name}.tmp')
    tmp.write_text(json.dumps(book, indent=1, ensure_ascii=False) + '\n'); tmp.replace(nb)

if __name__ == '__main__':
    if len(sys.argv) != 4: sys.exit(__doc__)
    mark(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
