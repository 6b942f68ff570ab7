"""Build the documentation site offline: `python tools/build_docs.py` writes `docs/`.

Every notebook in `nbs/` becomes a page. nbdev (`proc_nbs`, the processing behind `nbdev-proc-nbs`) turns
the `#| export` cells into `show_doc` API tables and the first heading into the page's front matter;
Jupyter's nbconvert (`HTMLExporter`, its JupyterLab template extended by `tools/docs/index.html.j2`) renders
the prose, the code and the saved outputs; KaTeX (vendored in `tools/docs/katex/`, MIT) typesets the maths in
the browser. Nothing is fetched from the internet, and Quarto is not needed (`nbdev-docs` still works for those
who have it: it writes `_docs/`).

Around the notebooks' content the build adds what a reader finds their way with: a search over pages,
headings and API names (`search-index.js`, read by `tools/docs/site.js`), a table of contents per page, an API
index of every public name, a link from each page to its notebook (copied into `nbs/`), the paper and how to
cite it on the front page, and one shared stylesheet (`site.css`: nbconvert's JupyterLab CSS, once, with its
dark theme for readers whose system asks for one, and `tools/docs/site.css`). Cells that only import or set
up the tests (`IN_TEST = ...`) are left out of the pages, like `#| hide` cells; so is the second `show_doc` nbdev adds
for a `@patch` method the notebook shows itself, and headings keep unique ids (`x`, `x-1`). The prose a notebook puts in its title
cell below the title and description, which nbdev's front-matter step drops, is put back at the top of the page.

Besides the notebooks (the results page among them: `results.ipynb`) the site has the bad-input catalogue of
`90_cli`, the API index, and one page of highlighted source per module, the target of every API table's
`source` link. `python tools/check_site.py docs` checks every internal link."""
import argparse, ast, html as _html, io, json, os, re, shutil, subprocess, tempfile, tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT/'tools'/'docs'

# The sidebar: groups of (notebook stem or generated page) in reading order. A notebook in nbs/ that is
# missing here is an error, so a new notebook cannot be left out of the site.
NAV = [('Start here', ['index', 'tutorial', '@api']),
       ('Guides', ['results', '10_bench', '@bad-input', '09b_scale']),
       ('The method, stage by stage', ['00_core', '00a_files', '01_data', '02_nets', '03_divergences', '03a_config', '03b_loop', '03c_api', '04_gan', '05_boundary',
                                       '06_retrain', '07_detector', '07a_convergence', '07b_custom_nets', '07c_selection']),
       ('Evaluation and baselines', ['08_metrics', '08a_baselines', '08b_ganomaly', '08c_vae', '08d_egbad', '08e_anogan',
                                     '08f_deepsvdd', '08g_fencegan', '08h_minlgan', '08i_bdsg', '08j_tailgan',
                                     '08k_boundary_family']),
       ('Running it', ['09_loo', '90_cli'])]
GENERATED = {'@bad-input': ('bad-input.html', 'Bad input'), '@api': ('reference.html', 'API index')}


def process_notebooks(quiet=True):
    "Run nbdev's docs processing (show_doc tables, front matter) into `_proc/`, without nbdev's Quarto install step."
    from nbdev.config import get_config
    from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar
    from nbdev.serve import proc_nbs
    import nbdev.doclinks
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        cfg = get_config()
        refresh_quarto_yml()
        nbdev.doclinks._build_modidx()
        nbdev_sidebar.__wrapped__(path=cfg.nbs_path)
        from contextlib import redirect_stdout, nullcontext
        with redirect_stdout(io.StringIO()) if quiet else nullcontext(): cache = proc_nbs(cfg.nbs_path, n_workers=0)
        return Path(cache)
    finally: os.chdir(cwd)


def front_matter(nb)->dict:
    "The YAML front matter nbdev put in the first raw cell (title, description, output-file)."
    import yaml
    for c in nb.cells:
        if c.cell_type == 'raw' and c.source.lstrip().startswith('---'):
            return yaml.safe_load(c.source.strip().strip('-')) or {}
    return {}


def title_cell_rest(nb_path:Path)->str:
    """The prose of a notebook's title cell below its `# title` and `> description`. nbdev's front-matter processor
    (`FrontmatterProc`) takes the title cell's title, description and `- key: value` lines and drops the whole cell,
    so without this a page would lose an introduction written in that cell. The notebooks keep theirs in a cell of
    their own now (00a_files and tutorial did not); this stays as the guard for the next one."""
    import nbformat, warnings, yaml
    from fastcore.nbio import md_frontmatter
    nb = nbformat.read(nb_path, as_version=4)
    for c in nb.cells:                                 # as FrontmatterProc goes: until a cell gives the title
        if c.cell_type == 'raw':
            m = re.match(r'\s*---\s*\n(.*?)\n---', c.source, re.S)
            try: raw = yaml.safe_load(m.group(1)) if m else None
            except yaml.YAMLError: raw = None
            if isinstance(raw, dict) and 'title' in raw: return ''
            continue
        if c.cell_type != 'markdown': continue
        with warnings.catch_warnings():                # nbdev warned already when it read the cell's list as YAML
            warnings.simplefilter('ignore'); fm = md_frontmatter(c.source)
        if not fm: continue                            # no `# title` line: nbdev leaves the cell
        lines, gone = c.source.split('\n'), set()
        for pat in (r'^#\s+\S', r'^>\s+\S'):          # the first title line and the first description line
            gone |= {next((i for i, l in enumerate(lines) if re.match(pat, l)), -1)}
        if set(fm) - {'title', 'description'}:          # `- key: value` lines that became front matter
            gone |= {i for i, l in enumerate(lines) if re.match(r'^-\s+(\S.*:.*\S)\s*$', l)}
        return '\n'.join(l for i, l in enumerate(lines) if i not in gone).strip()
    return ''


_SRC_LINK = re.compile(r'\[source\]\([^)]*omasgan/(\w+(?:/\w+)*)\.py#L(\d+)\)(\{[^}\n]*\})?')   # the last omasgan/: the package
_ATTRS = re.compile(r'(\]\([^)\s]*\))\{[^}\n]*\}')          # pandoc attributes after a link: dropped
_ROOT_LINK = re.compile(r'\]\(/(?!/)')                      # [x](/gan.html#y) -> [x](gan.html#y)
_DUNDER_HEADING = re.compile(r'^#{1,6} .*__\w+__.*$', re.M)   # `### Detector.__repr__`: markdown would read `__repr__` as bold "repr"
_MD_IMG = re.compile(r'!\[([^\]]*)\]\(([^)\s]+)\)')

def fix_markdown(md:str, site:'Site')->str:
    "Rewrite nbdev/Quarto markdown for a static site: relative links, source links, local images copied in."
    md = _SRC_LINK.sub(lambda m: f'<a class="source-link" href="source/{m.group(1).replace("/", ".")}.py.html#L-{m.group(2)}">source</a>', md)
    md = _ATTRS.sub(r'\1', md)
    md = _ROOT_LINK.sub('](', md)
    md = _DUNDER_HEADING.sub(lambda m: re.sub(r'__(\w+?)__', r'\\_\\_\1\\_\\_', m.group(0)) if '`' not in m.group(0) else m.group(0), md)
    def img(m):
        alt, src = m.groups()
        if re.match(r'^(https?:|data:)', src): return m.group(0)
        return f'![{alt}]({site.copy_image(src)})'
    return _MD_IMG.sub(img, md)


class Page:
    def __init__(self, key, file, title, nb=None, source=None, description='', source_note='Notebook:'):
        self.key, self.file, self.nb, self.source, self.description = key, file, nb, source, description
        self.source_note = source_note                              # the words before the link to `source`
        self.text = 'Home' if file == 'index.html' else title       # the sidebar's name for the front page
        self.title = title
    @property
    def title_html(self): return _inline_code(self.title)
    @property
    def nav_html(self): return _inline_code(self.text)

def _inline_code(s:str)->str:
    "A title as HTML: escaped, with `backticks` as <code>."
    import html
    return re.sub(r'`([^`]+)`', r'<code>\1</code>', html.escape(s))


class Site:
    def __init__(self, out:Path):
        self.out = out
        (out/'images').mkdir(parents=True, exist_ok=True)
        self.styles = None                             # the CSS nbconvert inlines in every page, kept once
        self.entries = []                              # the search index: pages, headings, API entries
        self.api = {}                                  # (page file, id) of every API entry -> its name

    def copy_image(self, src:str)->str:
        "Copy a local image a markdown cell names (relative to nbs/ or to the repository) into images/."
        for base in (ROOT/'nbs', ROOT):
            p = (base/src).resolve()
            if p.is_file():
                dest = self.out/'images'/'assets'/p.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(p, dest)
                return f'images/assets/{p.name}'
        raise FileNotFoundError(f'an image named in a notebook does not exist: {src}')


def heading_ids(html:str)->str:
    "Give headings Quarto's ids (lower case, spaces as '-'), the ids nbdev's links point to."
    def qid(s): return re.sub(r'[^\w.\-]', '', s.lower())
    html = re.sub(r'(<h[1-6] id=")([^"]*)(")', lambda m: m.group(1) + qid(m.group(2)) + m.group(3), html)
    return re.sub(r'(<a class="anchor-link" href="#)([^"]*)(")', lambda m: m.group(1) + qid(m.group(2)) + m.group(3), html)


def link_notebook_names(html:str, pages:dict, here:str)->str:
    "Turn `07_detector`-style mentions of a notebook (in inline code) into links to its page."
    def sub(m):
        p = pages.get(m.group(1))
        return m.group(0) if p is None or p.file == here else f'<a href="{p.file}">{m.group(0)}</a>'
    return re.sub(r'<code>(\w+)</code>', sub, html)


def strip_directives(src:str)->tuple:
    "Split a code cell's leading `#| key: value` lines from its code."
    lines, dirs = src.split('\n'), {}
    while lines and lines[0].startswith('#|'):
        k, _, v = lines.pop(0)[2:].strip().partition(':')
        dirs[k.strip()] = v.strip() or True
    return dirs, '\n'.join(lines).strip('\n')


def drop_repeated_show_docs(nb, src:Path):
    """nbdev adds a `show_doc` cell after each exported definition the notebook does not show itself, but it compares a
    `@patch` method's bare name (`fit`) with the names shown (`Detector.fit`), so a method the notebook shows is shown
    twice, under one id. Where the processed notebook has more `show_doc(x)` cells than the notebook, drop the first
    (nbdev's, right after the definition); the notebook's own stays where its author put it."""
    import nbformat
    from collections import Counter
    def calls(cells): return [strip_directives(c.source)[1].strip() for c in cells if c.cell_type == 'code']
    def is_sd(x): return re.fullmatch(r'show_doc\(.+\)', x) is not None
    own = Counter(filter(is_sd, calls(nbformat.read(src, as_version=4).cells)))
    extra = {k: n - own[k] for k, n in Counter(filter(is_sd, calls(nb.cells))).items() if own[k] and n > own[k]}
    cells = []
    for c in nb.cells:
        x = strip_directives(c.source)[1].strip() if c.cell_type == 'code' else None
        if extra.get(x, 0) > 0: extra[x] -= 1; continue
        cells.append(c)
    nb.cells = cells
    return nb


def is_plumbing(src:str)->bool:
    "A cell that only imports, or sets up the tests (`IN_TEST = ...`): the docs processor runs it, a reader needs neither."
    try: body = ast.parse(src).body
    except SyntaxError: return False
    def setup(n): return isinstance(n, (ast.Import, ast.ImportFrom)) or (
        isinstance(n, ast.Assign) and [getattr(t, 'id', None) for t in n.targets] == ['IN_TEST'])
    return bool(body) and all(map(setup, body))


def prepare(nb, page:Page, site:Site):
    "The notebook as the site shows it: front matter and hidden cells out, directives applied, links fixed."
    cells = []
    for c in nb.cells:
        c.metadata.pop('execution', None)              # nbdev's timing, not valid nbformat
        if c.cell_type == 'raw': continue
        if c.cell_type == 'markdown':
            if 'AUTOGENERATED! DO NOT EDIT' in c.source: continue
            c.source = fix_markdown(c.source, site)
        elif c.cell_type == 'code':
            dirs, c.source = strip_directives(c.source)
            if dirs.get('hide') or dirs.get('include') == 'false' or is_plumbing(c.source): continue
            if dirs.get('echo') == 'false' or not c.source.strip(): c.metadata['transient'] = {'remove_source': True}
            for o in c.get('outputs', []):
                o.get('data', {}).pop('application/vnd.jupyter.widget-view+json', None)
                if 'text/markdown' in o.get('data', {}):
                    md = o.data['text/markdown']
                    o.data['text/markdown'] = fix_markdown(''.join(md) if isinstance(md, list) else md, site)
                    o.data.pop('text/plain', None)
            if not c.source.strip() and not c.get('outputs'): continue
        cells.append(c)
    nb.cells = cells
    nb.metadata.pop('widgets', None)                   # progress-bar widgets: their scripts live on a CDN
    nb.metadata['title'] = page.title
    return nb


def exporter():
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import ExtractOutputPreprocessor
    e = HTMLExporter(template_name='docs', extra_template_basedirs=[str(TEMPLATES.parent)], exclude_input_prompt=True,
                     exclude_output_prompt=True, exclude_raw=True, anchor_link_text='¶')
    e.register_preprocessor(ExtractOutputPreprocessor(extract_output_types={'image/png', 'image/jpeg', 'image/svg+xml'}), enabled=True)
    return e


def render(page:Page, site:Site, nav, order, pages, exp, meta:dict):
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    i = order.index(page)
    resources = {'output_files_dir': f'images/{Path(page.file).stem}',
                 'site': {'root': '', 'file': page.file, 'title': page.title, 'title_html': page.title_html, 'nav': nav, 'source': page.source,
                          'source_note': page.source_note, 'repo': meta.get('repo'), 'paper': meta.get('paper') if page.file == 'index.html' else None,
                          'description': markdown2html_mistune(fix_markdown(page.description, site)).strip()
                                         .removeprefix('<p>').removesuffix('</p>') if page.description else '',
                          'prev': order[i-1] if i else None, 'next': order[i+1] if i + 1 < len(order) else None}}
    html, res = exp.from_notebook_node(page.nb, resources=resources)
    for name, data in res.get('outputs', {}).items():
        p = site.out/name; p.parent.mkdir(parents=True, exist_ok=True); p.write_bytes(data)
    html = link_notebook_names(heading_ids(shared_styles(html, site)), pages, page.file)
    n = iter(range(1, 10**6))                          # nbconvert's alt text says nothing: name the figure
    html = re.sub(r'alt="No description has been provided for this image"',
                  lambda m: f'alt="Figure {next(n)} of the page {_html.escape(page.title, quote=True)}"', html)
    html = toc_and_entries(mark_bibtex(scroll_tables(figures(html, site))), page, site)
    (site.out/page.file).write_text(html)


_STYLE = re.compile(r'[ \t]*<style type="text/css">(.*?)</style>\n?', re.S)

def shared_styles(html:str, site:Site)->str:
    "Take the CSS that nbconvert inlines out of the page (it goes once into `site.css`); every page inlines the same."
    styles = _STYLE.findall(html)
    if site.styles is None: site.styles = styles
    elif styles != site.styles: raise ValueError('two pages inline different CSS: site.css cannot hold it once')
    return _STYLE.sub('', html)


_IMG = re.compile(r'<img ([^>]*?)src="(images/[^"]+)"([^>]*?)/?>')

def figures(html:str, site:Site)->str:
    "Each figure a link to its file at full size (`site.js` opens it over the page), with its pixel size (see site.css)."
    from PIL import Image
    def sub(m):
        pre, src, post = m.groups()
        try: w, h = Image.open(site.out/src).size
        except OSError: return f'<a class="figure" href="{src}">{m.group(0)}</a>'
        return (f'<a class="figure" href="{src}" title="Open the figure at full size ({w} × {h} px)">'
                f'<img {pre}src="{src}"{post} width="{w}" height="{h}" style="--natural:{w}px"></a>')
    return _IMG.sub(sub, html)


def scroll_tables(html:str)->str:
    "Every table in a box that scrolls sideways when the table is wider than the column; `0.893 ± 0.039` in a cell stays on one line."
    html = re.sub(r'<table.*?</table>', lambda m: re.sub(r'(?<=\d) ± (?=\d)', '\u00a0±\u00a0', m.group(0)), html, flags=re.S)
    return html.replace('<table', '<div class="table-scroll"><table').replace('</table>', '</table></div>')


def mark_bibtex(html:str)->str:
    "Mark the highlighted BibTeX blocks (`@inproceedings{...`): site.css wraps them in the column instead of scrolling."
    return re.sub(r'<div class="highlight">(?=<pre><span></span><span class="nc">@\w+</span>)', '<div class="highlight bibtex">', html)


_HEADING = re.compile(r'<h([2-4]) id="([^"]+)">(.*?)<a class="anchor-link" href="#[^"]*">¶</a></h\1>', re.S)

def plain(h:str)->str: return re.sub(r'\s+', ' ', _html.unescape(re.sub(r'<[^>]+>', '', h))).strip()

def unique_ids(ids:list, apis:list, taken:set=frozenset())->list:
    """The headings' ids made unique on their page, as pandoc does (`x`, `x-1`, ...): a section `Dispersion` and the API
    entry `dispersion` both get `dispersion` from nbconvert. The API entry keeps the plain id (nbdev's links and the
    search point there); the other heading, or a second entry for the same name, gets the suffix."""
    out, used = [None] * len(ids), set(taken)
    for j in sorted(range(len(ids)), key=lambda j: not apis[j]):       # API entries first, each kind in page order
        hid, n = ids[j], 0
        while hid in used: n += 1; hid = f'{ids[j]}-{n}'
        out[j] = hid; used.add(hid)
    return out


def toc_and_entries(html:str, page:Page, site:Site)->str:
    "Mark the API entries (an h3/h4 after a `source` link), write the page's table of contents, index it for the search."
    title = plain(page.title_html)
    site.entries.append({'t': title, 'u': page.file, 'p': '', 'k': 'page', 'd': plain(page.description)[:160]})
    heads = list(_HEADING.finditer(html))
    apis = ['class="source-link"' in html[max(0, m.start() - 300):m.start()] for m in heads]
    ids = unique_ids([m.group(2) for m in heads], apis, set(re.findall(r'\sid="([^"]+)"', html)) - {m.group(2) for m in heads})
    out, pos, toc = [], 0, []
    for j, m in enumerate(heads):
        level, old, inner, api, hid = int(m.group(1)), m.group(2), m.group(3), apis[j], ids[j]
        out.append(html[pos:m.start()])
        rest = m.group(0)[len(f'<h{level} id="{old}">'):].replace(f'<a class="anchor-link" href="#{old}">', f'<a class="anchor-link" href="#{hid}">')
        out.append(f'<h{level}' + (' class="api-entry"' if api else '') + f' id="{hid}">' + rest)
        pos = m.end()
        name, doc = plain(inner), ''
        if api:
            nxt = heads[j+1].start() if j + 1 < len(heads) else len(html)
            d = re.search(r'<p><em>(.*?)</em></p>', html[m.end():nxt], re.S)
            doc = plain(d.group(1))[:160] if d else ''
            site.api.setdefault(name, []).append((page.file, hid))
        if api or level < 4:
            toc.append((3 if api else level, hid, re.sub(r'</?a\b[^>]*>', '', inner).strip(), api))
        site.entries.append({'t': name, 'u': f'{page.file}#{hid}', 'p': title, 'k': 'api' if api else 'heading', 'd': doc})
    out.append(html[pos:])
    html = ''.join(out)
    items = ''.join(f'<li class="toc-{lv}{" toc-api" if api else ""}"><a href="#{hid}">{inner}</a></li>' for lv, hid, inner, api in toc)
    nav = (f'<nav class="toc" aria-label="on this page"><details open><summary>On this page</summary><ul>{items}</ul>'
           f'</details></nav>') if toc else ''
    return html.replace('<!--TOC-->', nav, 1)


# ---- generated pages ---------------------------------------------------------------------------------------
def section(nb, heading:str, level:int=2)->list:
    "The markdown cells of `nb` from the cell that starts with `heading` to the next heading of `level` or above."
    out, on = [], False
    for c in nb.cells:
        if c.cell_type != 'markdown': continue
        first = c.source.lstrip().split('\n', 1)[0]
        if first.startswith(heading): on = True
        elif on and re.match(rf'^#{{1,{level}}} ', first): break
        if on: out.append(c)
    if not out: raise ValueError(f'no section "{heading}" in the notebook')
    return out


def generated_pages(proc:Path):
    "The bad-input page, assembled from a section of `90_cli`."
    import nbformat
    cli = nbformat.read(proc/'90_cli.ipynb', as_version=4)
    bad = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(c.source) for c in section(cli, '## Bad input')])
    return {'@bad-input': (bad, 'Every bad input the `omasgan` command refuses with one clear line and exit code 2; '
                                '`tests/test_bad_input.py` runs every row.', 'nbs/90_cli.ipynb', 'From the Bad input section of')}


def modules()->list:
    "(dotted name, path) of every module of the package, subpackages included (`baselines.core`), but `_modidx`."
    pys = sorted((ROOT/'omasgan').rglob('*.py'))
    return [('.'.join(py.relative_to(ROOT/'omasgan').with_suffix('').parts), py) for py in pys if py.name != '_modidx.py']


def source_pages(site:Site):
    "One page of highlighted source per module, with an anchor per line (`#L-12`); its colours are in site.css."
    from pygments import highlight
    from pygments.lexers import PythonLexer
    from pygments.formatters import HtmlFormatter
    fmt = HtmlFormatter(linenos='table', lineanchors='L', anchorlinenos=True, cssclass='highlight')
    (site.out/'source').mkdir(exist_ok=True)
    for mod, py in modules():
        body, path = highlight(py.read_text(), PythonLexer(), fmt), py.relative_to(ROOT).as_posix()
        (site.out/'source'/f'{mod}.py.html').write_text(
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{path}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1.0">'
            f'<link rel="icon" href="data:,"><link rel="stylesheet" href="../site.css"></head>'
            f'<body class="site source-page"><main><p><a href="../index.html">omasgan</a> · '
            f'<code>{path}</code> (exported from the notebooks by nbdev)</p>{body}</main></body></html>')


# ---- the API index, the front page's citation, the shared files --------------------------------------------
def _patched(fn)->str|None:
    "The class a `@patch` function is added to (the annotation of its first argument), else None."
    if not any(getattr(d, 'id', None) == 'patch' for d in fn.decorator_list) or not fn.args.args: return None
    ann = fn.args.args[0].annotation
    return getattr(ann, 'id', None)

def public_names()->list:
    "(module, name, line, first docstring line) of every public name: each module's `__all__`, and the public methods of its classes."
    out = []
    for mod, py in modules():
        if py.name.startswith('_'): continue
        tree = ast.parse(py.read_text())
        names = next((ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
                      and any(getattr(t, 'id', None) == '__all__' for t in n.targets)), [])
        found = {}                                     # name -> (line, docstring)
        def doc(n): return ((ast.get_docstring(n) or '').strip().split('\n') or [''])[0]
        for n in tree.body:
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                cls = _patched(n) if not isinstance(n, ast.ClassDef) else None
                found.setdefault(f'{cls}.{n.name}' if cls else n.name, (n.lineno, doc(n)))
                for f in (n.body if isinstance(n, ast.ClassDef) else []):
                    if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)): found.setdefault(f'{n.name}.{f.name}', (f.lineno, doc(f)))
            elif isinstance(n, (ast.Assign, ast.AnnAssign)):
                for t in (n.targets if isinstance(n, ast.Assign) else [n.target]):
                    if isinstance(t, ast.Name): found.setdefault(t.id, (n.lineno, ''))
        for name in names:
            out.append((mod, name, *found.get(name, (1, ''))))
            out += [(mod, k, *v) for k, v in found.items()
                    if k.startswith(name + '.') and not k.split('.')[-1].startswith('_')]
    return out


def module_pages()->dict:
    "Module name -> the page of the notebook that exports it (`#| default_exp`)."
    out = {}
    for nb in sorted((ROOT/'nbs').glob('*.ipynb')):
        m = re.search(r'#\|\s*default_exp\s+([\w.]+)', nb.read_text())
        if m: out.setdefault(m.group(1), nb.stem)
    return out


def api_page(site:Site, pages:dict):
    "The API index: every public name, module by module, linked to its entry on a page (or to its source line)."
    import nbformat
    names, mods = public_names(), module_pages()
    cells, n_doc = [], 0
    for mod in sorted(dict.fromkeys(m for m, *_ in names), key=lambda m: (mods.get(m, '~'), m)):   # in the notebooks' order
        page = pages.get(mods.get(mod))
        where = f' — from [`{page.key}`]({page.file}), {page.title_html}' if page else ''
        lines = [f'## `omasgan.{mod}`', '', f'[source](source/{mod}.py.html){where}', '']
        for m, name, line, doc in (r for r in names if r[0] == mod):
            spots = site.api.get(name, [])
            spot = next((s for s in spots if page and s[0] == page.file), spots[0] if spots else None)
            if spot: url, n_doc = f'{spot[0]}#{spot[1]}', n_doc + 1
            else:
                url = f'source/{mod}.py.html#L-{line}'
                site.entries.append({'t': name, 'u': url, 'p': f'omasgan/{mod.replace(".", "/")}.py', 'k': 'api', 'd': doc[:160]})
            lines.append(f'- [`{name}`]({url}){" — " + doc if doc else ""}{"" if spot else " *(source)*"}')
        cells.append(nbformat.v4.new_markdown_cell('\n'.join(lines)))
    intro = nbformat.v4.new_markdown_cell(
        f'Every public name of the package: the `__all__` of each module and the public methods of its classes, '
        f'{len(names)} names. {n_doc} link to their entry on a notebook\'s page; the {len(names) - n_doc} others (methods '
        f'and constants without an entry of their own) link to the line of `omasgan/` that defines them.')
    return nbformat.v4.new_notebook(cells=[intro] + cells)


def project_meta(pyproject:str|None=None)->dict:
    "What pyproject.toml (or the text `pyproject`) says about links (a repository only where `[project.urls]` names one), and the citation text."
    proj = tomllib.loads(pyproject if pyproject is not None else (ROOT/'pyproject.toml').read_text())['project']
    urls = proj.get('urls') or {}
    repo = next((urls[k] for k in ('Repository', 'Source', 'Code', 'Homepage') if k in urls), next(iter(urls.values()), None))
    version = re.search(r'__version__\s*=\s*"([^"]+)"', (ROOT/'omasgan'/'__init__.py').read_text()).group(1)
    year = subprocess.run(['git', 'log', '-1', '--format=%cd', '--date=format:%Y'], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    authors = ' and '.join('{' + a['name'] + '}' for a in proj.get('authors', []) if 'name' in a)
    fields = [('title', '{' + proj['name'] + ': ' + proj['description'].replace('OMASGAN', '{OMASGAN}').replace('GAN-', '{GAN}-') + '}'),
              ('author', '{' + authors + '}'), ('version', '{' + version + '}'), ('year', year and '{' + year + '}'),
              ('license', proj.get('license') and '{' + proj['license'] + '}'), ('url', repo and '{' + repo + '}')]
    bib = '@software{omasgan_package,\n' + ',\n'.join(f'  {k:9s} = {v}' for k, v in fields if v) + '\n}'
    paper = ('Paper: <a class="paper-link" href="https://arxiv.org/abs/2110.15273">arXiv:2110.15273</a> · '
             '<a href="https://doi.org/10.1109/SSPD54131.2022.9896220">SSPD 2022</a> · '
             '<a href="#paper-and-citation">how to cite</a>')
    return {'repo': repo, 'paper': paper, 'cite': (TEMPLATES/'cite.md').read_text().replace('{{package_bibtex}}', bib)}


def stylesheet(site:Site)->str:
    "One stylesheet for every page: nbconvert's CSS (once), its dark theme for a system that asks for one, the site's own."
    from pygments.formatters import HtmlFormatter
    from jupyter_core.paths import jupyter_path
    static = next(d for d in (Path(p)/'nbconvert'/'templates'/'lab'/'static' for p in jupyter_path()) if d.is_dir())
    dark = ((static/'theme-dark.css').read_text() + '\n' +
            HtmlFormatter(style='github-dark').get_style_defs('.highlight').replace('.highlight { background: #0d1117; }', ''))
    return ('\n'.join(site.styles or []) +
            '\n/* ---- JupyterLab\'s dark theme, for readers whose system asks for dark pages */\n'
            f'@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n' + (TEMPLATES/'site.css').read_text())


def build(out:Path, quiet=True)->Path:
    import nbformat
    proc = process_notebooks(quiet)
    stems = sorted(p.stem for p in (ROOT/'nbs').glob('*.ipynb'))
    listed = [k for _, ks in NAV for k in ks if not k.startswith('@')]
    missing, extra = sorted(set(stems) - set(listed)), sorted(set(listed) - set(stems))
    if missing or extra: raise SystemExit(f'tools/build_docs.py NAV is out of date: not listed {missing}, no notebook {extra}')
    meta = project_meta()
    tmp = Path(tempfile.mkdtemp(prefix='.docs-', dir=out.parent))
    try:
        site = Site(tmp)
        gen = generated_pages(proc)
        pages = {}
        for _, keys in NAV:
            for k in keys:
                if k.startswith('@'):
                    file, title = GENERATED[k]; nb, desc, src, note = gen.get(k, (None, '', None, ''))
                    pages[k] = Page(k, file, title, nb, src, desc, note)
                else:
                    nb = nbformat.read(proc/f'{k}.ipynb', as_version=4)
                    fm = front_matter(nb)
                    drop_repeated_show_docs(nb, ROOT/'nbs'/f'{k}.ipynb')
                    rest = title_cell_rest(ROOT/'nbs'/f'{k}.ipynb')
                    if rest: nb.cells.insert(1, nbformat.v4.new_markdown_cell(rest))   # after the front matter nbdev wrote
                    pages[k] = Page(k, fm.get('output-file', f'{k}.html'), fm.get('title', k), nb, f'nbs/{k}.ipynb',
                                    fm.get('description', ''))
        pages['index'].nb.cells.append(nbformat.v4.new_markdown_cell(meta['cite']))
        nav = [(g, [pages[k] for k in ks]) for g, ks in NAV]
        files = [p.file for p in pages.values()]
        if len(set(files)) < len(files): raise SystemExit(f'two pages would be written to the same file: {sorted(f for f in set(files) if files.count(f) > 1)}')
        order = [p for _, ps in nav for p in ps]
        exp = exporter()
        for p in sorted(order, key=lambda p: p.key == '@api'):     # the API index last: it links to every entry
            if p.key == '@api':
                p.nb, p.description = api_page(site, pages), 'Every public name of `omasgan`, with a link to its entry.'
            prepare(p.nb, p, site)
            render(p, site, nav, order, pages, exp, meta)
            if not quiet: print(f'  {p.file:28s} {p.title}')
        source_pages(site)
        (tmp/'site.css').write_text(stylesheet(site))
        shutil.copyfile(TEMPLATES/'site.js', tmp/'site.js')
        (tmp/'search-index.js').write_text('window.SEARCH_INDEX = ' + json.dumps(site.entries, ensure_ascii=False, separators=(',', ':')) + ';\n')
        (tmp/'katex').mkdir()
        for f in (TEMPLATES/'katex').iterdir():
            if f.is_file(): shutil.copyfile(f, tmp/'katex'/f.name)
        shutil.copytree(TEMPLATES/'katex'/'fonts', tmp/'katex'/'fonts')
        (tmp/'nbs').mkdir()
        for nb in sorted((ROOT/'nbs').glob('*.ipynb')): shutil.copyfile(nb, tmp/'nbs'/nb.name)   # each page's "Notebook:" link
        (tmp/'.nojekyll').write_text('')
        if out.exists(): shutil.rmtree(out)
        tmp.rename(out)
    finally:
        if tmp.exists(): shutil.rmtree(tmp)
    return out


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=str(ROOT/'docs'), help='the folder to write (replaced as a whole); default docs/')
    ap.add_argument('--verbose', action='store_true', help="show nbdev's output and each page as it is written")
    a = ap.parse_args()
    out = build(Path(a.out).resolve(), quiet=not a.verbose)
    print(f'wrote {sum(1 for _ in out.glob("*.html"))} pages to {out}; open {out/"index.html"}')
