"""Check a built site: every internal link, image and script resolves. `python tools/check_site.py docs`

A reference resolves when the file it names exists under the site and, where it has a `#fragment`, that
page has an element with that id. Links that leave the site (http:, https:, mailto:) are counted, not
fetched (the site is built and checked offline). The search's targets (`search-index.js`) are checked the same
way. Exit status 1 and one line per broken reference otherwise."""
import json, sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, unquote

class Refs(HTMLParser):
    "The ids of a page and the (tag, attribute, value) of every reference in it."
    def __init__(self):
        super().__init__(convert_charrefs=True); self.ids, self.refs = set(), []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ('id', 'name'):
            if a.get(k) and (k == 'id' or tag == 'a'): self.ids.add(a[k])
        for k in ('href', 'src'):
            if a.get(k) is not None and not (tag == 'link' and a.get('rel') in ('preconnect', 'dns-prefetch')): self.refs.append((tag, k, a[k]))

def parse(page:Path)->Refs:
    r = Refs(); r.feed(page.read_text(encoding='utf-8')); return r

def check(site:Path)->tuple:
    "(broken references as lines, number of internal references checked, number of external links)."
    site = site.resolve()
    pages = {p: parse(p) for p in sorted(site.rglob('*.html'))}
    if not pages: return [f'{site}: no HTML pages'], 0, 0
    ids = {p: r.ids for p, r in pages.items()}
    broken, n_int, n_ext = [], 0, 0
    index = site/'search-index.js'
    if index.is_file():                                # the search's results: links too, from the front page's folder
        r = Refs(); r.refs = [('search', 'u', e['u']) for e in json.loads(index.read_text().split('=', 1)[1].strip().rstrip(';'))]
        pages[index] = r
    for page, r in pages.items():
        for tag, attr, ref in r.refs:
            u = urlsplit(ref)
            if u.scheme in ('http', 'https', 'mailto') or u.netloc: n_ext += 1; continue
            if u.scheme == 'data' or ref.startswith('data:'): continue
            if u.scheme: broken.append(f'{page.relative_to(site)}: <{tag} {attr}="{ref}">: scheme {u.scheme}: not allowed'); continue
            n_int += 1
            target = page if not u.path else (page.parent/unquote(u.path)).resolve()
            where = f'{page.relative_to(site)}: <{tag} {attr}="{ref}">'
            if not str(target).startswith(str(site)): broken.append(f'{where}: outside the site'); continue
            if target.is_dir(): target = target/'index.html'
            if not target.is_file(): broken.append(f'{where}: no file {target.relative_to(site)}'); continue
            if u.fragment and target.suffix == '.html':
                tid = ids.get(target) if target in ids else parse(target).ids
                if unquote(u.fragment) not in tid: broken.append(f'{where}: no id "{u.fragment}" in {target.relative_to(site)}')
    return broken, n_int, n_ext

if __name__ == '__main__':
    site = Path(sys.argv[1] if len(sys.argv) > 1 else 'docs')
    if not site.is_dir(): sys.exit(f'{site} is not a folder: build the site first (python tools/build_docs.py)')
    broken, n_int, n_ext = check(site)
    for b in broken: print(b)
    n = sum(1 for _ in site.rglob('*.html'))
    print(f'{site}: {n_int} internal links and images checked, {len(broken)} broken; {n_ext} external links not fetched')
    sys.exit(1 if broken else 0)
