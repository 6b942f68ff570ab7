"""Figures quoted in a page's prose appear in that page's saved outputs (or its code).

A notebook's prose often quotes what its cells print: an AUROC, a distance, a share of samples. When the cells are
re-executed and the figures move, the prose must move with them. This test reads every notebook in nbs/ and checks
each decimal figure (a number with two or more decimals, such as 0.766 or 13.57) in its markdown cells against the
numbers in the notebook's saved outputs and code: the figure must be one of them, as written or rounded to the
figure's decimals.

Some prose quotes figures that no cell on the page prints: a three-seed table written by `omasgan loo`, a sweep made
by a tool, the authors' published results. Such a markdown cell says where its figures come from in a comment that
the rendered page does not show, naming the command or source:

    <!-- figures: omasgan loo --seeds 0,1,2 --out runs/loo-kl; python tools/paired.py runs/loo-kl/results.csv -->

and its figures are not checked here. Numbers inside inline code or links (versions, identifiers) are not figures."""
import json, re
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
NBS = sorted((ROOT/'nbs').glob('*.ipynb'))

FIGURE = re.compile(r'(?<![\w.])[-−]?(\d+\.\d{2,})(?![\w.])')         # 0.766, 13.57; not 1.2.3, not v0.12a
NUMBER = re.compile(r'[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?')
MARK = re.compile(r'<!--\s*figures:\s*(\S.*?)-->', re.S)
NOT_PROSE = re.compile(r'`[^`]*`|\]\([^)]*\)|<[^>]+>|https?://\S+|\$\$.*?\$\$|\$[^$\n]+\$', re.S)   # code, links, tags, maths

def _text(x)->str: return ''.join(x) if isinstance(x, list) else x

def haystack(nb:dict)->tuple:
    "(all output and code text of `nb`, the set of numbers in it)"
    parts = []
    for c in nb['cells']:
        if c['cell_type'] != 'code': continue
        parts.append(_text(c['source']))
        for o in c.get('outputs', []):
            if 'text' in o: parts.append(_text(o['text']))
            for k, v in o.get('data', {}).items():
                if k.startswith('text/'): parts.append(_text(v))
    text = '\n'.join(parts)
    return text, {m for m in NUMBER.findall(text)}

def quoted(md:str)->list:
    "The decimal figures of a markdown cell's prose (code, links, tags and maths left out)."
    return FIGURE.findall(NOT_PROSE.sub(' ', md))

def found(fig:str, text:str, numbers:set)->bool:
    "Whether `fig` is in the outputs: as written, or some number there rounds to it at its decimals."
    if fig in text: return True
    d = len(fig.split('.')[1])
    for n in numbers:
        try: x = float(n)
        except ValueError: continue
        if f'{abs(x):.{d}f}' == fig: return True
        if f'{abs(x) * 100:.{d}f}' == fig: return True                   # a share printed as 0.4512, quoted as 45.12 %
    return False

def unmatched(nb:dict)->list:
    "(figure, first words of its cell) for each figure of `nb`'s unmarked prose that its outputs and code lack."
    text, numbers = haystack(nb)
    out = []
    for c in nb['cells']:
        if c['cell_type'] != 'markdown': continue
        md = _text(c['source'])
        if MARK.search(md): continue
        out += [(f, md.strip().splitlines()[0][:60]) for f in quoted(md) if not found(f, text, numbers)]
    return out

def test_the_check_can_fail():
    "A page whose prose quotes a figure its outputs lack is caught; marked, rounded and code-quoted figures are not."
    cell = lambda t, **kw: {'cell_type': t, 'source': kw.get('src', ''), 'outputs': kw.get('outputs', [])}
    out = lambda s: [{'output_type': 'stream', 'name': 'stdout', 'text': s}]
    nb = {'cells': [cell('code', src='x = 0.999', outputs=out('AUROC 0.76612, MMD² 1.3e-03\n')),
                    cell('markdown', src='AUROC 0.766 and 0.77, MMD² 0.0013, fpr 0.999, `v0.12.34`'),
                    cell('markdown', src='the authors report 0.752 <!-- figures: the paper, Table 2 -->'),
                    cell('markdown', src='but 0.812 here')]}
    assert unmatched(nb) == [('0.812', 'but 0.812 here')]
    assert quoted('see [x](https://a.b/1.234) and $\\lambda = 0.25$; 12.50 %') == ['12.50']

@pytest.mark.parametrize('nb', NBS, ids=[p.stem for p in NBS])
def test_prose_figures_are_in_the_outputs(nb):
    miss = unmatched(json.loads(nb.read_text()))
    assert not miss, (f'{nb.name}: figures in the prose that no output or code of the page shows (re-execute the page '
                      f'and update the prose, or mark the cell <!-- figures: SOURCE --> if they come from elsewhere): '
                      + '; '.join(f'{f} ("{w}")' for f, w in miss[:20]) + (' …' if len(miss) > 20 else ''))
