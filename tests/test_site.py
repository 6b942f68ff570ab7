"""The documentation site, built and opened in a real headless browser.

The site is built from the notebooks by `tools/build_docs.py` (into a temporary folder, or the folder named
by `OMASGAN_SITE`, which `.ci/run` builds first). Every page is then served on localhost and opened in
Debian's Chromium through its ChromeDriver: the page renders (title, cells), every image has loaded
(naturalWidth > 0), every formula was typeset by MathJax (as many rendered formulas as TeX sources, no
MathJax error), and the console shows no error. Without Chromium (`apt install chromium chromium-driver`)
the browser test is skipped, unless `OMASGAN_REQUIRE_BROWSER=1` (set by `.ci/run`) makes that a failure."""
import functools, http.server, os, shutil, subprocess, sys, threading, time
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT/'tools'))
import check_site

CHROMIUM, DRIVER = shutil.which('chromium') or '/usr/bin/chromium', shutil.which('chromedriver') or '/usr/bin/chromedriver'

@pytest.fixture(scope='module')
def site(tmp_path_factory)->Path:
    if os.environ.get('OMASGAN_SITE'):
        p = Path(os.environ['OMASGAN_SITE'])
        assert (p/'index.html').is_file(), f'OMASGAN_SITE={p} holds no built site'
        return p
    out = tmp_path_factory.mktemp('site')/'docs'
    r = subprocess.run([sys.executable, str(ROOT/'tools'/'build_docs.py'), '--out', str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    return out

def test_every_notebook_is_a_page(site):
    pages = {p.name for p in site.glob('*.html')}
    shown = ''.join(p.read_text() for p in site.glob('*.html'))
    for nb in (ROOT/'nbs').glob('*.ipynb'):
        assert f'nbs/{nb.name}' in shown, f'no page shows {nb.name}'
    for special in ('index.html', 'tutorial.html', 'results.html', 'bench.html', 'bad-input.html', 'scale.html'):
        assert special in pages, f'{special} is missing'
    assert len(list((site/'source').glob('*.py.html'))) >= 10

def test_links_and_images_resolve(site):
    broken, n_int, _ = check_site.check(site)
    assert not broken, '\n'.join(broken)
    assert n_int > 1000, n_int

def test_api_tables_and_plots_are_on_their_pages(site):
    boundary = (site/'boundary.html').read_text()
    assert 'dispersion' in boundary and 'source-link' in boundary      # a show_doc table with its source link
    assert boundary.count('<img') >= 2                                   # the saved plots
    results = (site/'results.html').read_text()
    assert '<table' in results and 'images/results/' in results         # the LOO tables and their figure
    assert '| bad input |' not in (site/'bad-input.html').read_text()   # rendered as a table, not left as text
    assert '<table' in (site/'bad-input.html').read_text()

@pytest.fixture(scope='module')
def browser(site):
    if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
        msg = 'Chromium and ChromeDriver are not installed (apt install chromium chromium-driver)'
        if os.environ.get('OMASGAN_REQUIRE_BROWSER'): pytest.fail(msg)
        pytest.skip(msg)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.func.log_message = lambda *a: None
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    opts = webdriver.ChromeOptions(); opts.binary_location = CHROMIUM
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-dev-shm-usage',
              '--disable-background-networking', '--disable-component-update', '--disable-sync', '--window-size=1400,1000'):
        opts.add_argument(a)
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    drv = webdriver.Chrome(service=Service(DRIVER), options=opts)
    try: yield drv, f'http://127.0.0.1:{srv.server_port}'
    finally: drv.quit(); srv.shutdown()

STATE = """return {title: document.title, cells: document.querySelectorAll('.jp-Cell').length,
  math_done: document.body.getAttribute('data-math') === 'done',
  tex: document.querySelectorAll('script[type^="math/tex"]').length,
  typeset: document.querySelectorAll('.MathJax, .MathJax_Display').length,
  math_errors: document.querySelectorAll('.MathJax_Error, merror').length,
  images: document.images.length,
  broken_images: Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src')),
  nav: document.querySelectorAll('nav.sidebar a').length}"""

def test_pages_render_in_chromium(site, browser):
    drv, base = browser
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob('*.html') if 'mathjax' not in p.parts)
    problems, typeset = [], 0
    for page in pages:
        drv.get(f'{base}/{page}')
        t0, s = time.time(), drv.execute_script(STATE)
        while not page.startswith('source/') and not s['math_done'] and time.time() - t0 < 60:
            time.sleep(0.2); s = drv.execute_script(STATE)
        errors = [l['message'] for l in drv.get_log('browser') if l['level'] == 'SEVERE']
        if not s['title']: problems.append(f'{page}: no title')
        if errors: problems.append(f'{page}: console errors {errors}')
        if s['broken_images']: problems.append(f'{page}: images not loaded {s["broken_images"]}')
        if page.startswith('source/'): continue
        if not s['math_done']: problems.append(f'{page}: MathJax did not finish within 60 s')
        if s['cells'] == 0: problems.append(f'{page}: no rendered cells')
        if s['nav'] < 20: problems.append(f'{page}: the sidebar has {s["nav"]} links')
        if s['math_errors'] or s['typeset'] < s['tex']:
            problems.append(f'{page}: {s["tex"]} formulas, {s["typeset"]} typeset, {s["math_errors"]} MathJax errors')
        typeset += s['typeset']
    assert not problems, '\n'.join(problems)
    assert typeset > 300, f'only {typeset} formulas typeset over the site'
