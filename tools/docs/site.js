// The site's script (loaded with `defer`, after KaTeX and search-index.js): maths, search, menu, table of contents,
// wide things that scroll, figures at full size. Everything is on the site itself; nothing is fetched from elsewhere.
(function () {
  'use strict';
  const $ = (s, el = document) => el.querySelector(s), $$ = (s, el = document) => Array.from(el.querySelectorAll(s));
  const body = document.body;

  // ---- maths: KaTeX's auto-render over the page ($…$, $$…$$, \(…\), \[…\]); code and outputs are left alone
  if (window.renderMathInElement) {
    renderMathInElement(body, {
      delimiters: [{left: '$$', right: '$$', display: true}, {left: '\\[', right: '\\]', display: true},
                   {left: '$', right: '$', display: false}, {left: '\\(', right: '\\)', display: false}],
      ignoredClasses: ['jp-InputArea-editor', 'jp-RenderedText', 'search'], throwOnError: false});
  }
  body.setAttribute('data-math', 'done');

  // ---- wide equations, tables, code and figures scroll sideways; mark those that do, so they show it
  const scrollers = () => $$('.katex-display, .table-scroll, a.figure, .jp-RenderedHTMLCommon pre, .jp-RenderedText pre, .jp-InputArea-editor pre');
  function markScrolls() { for (const el of scrollers()) el.classList.toggle('scrolls', el.scrollWidth > el.clientWidth + 1); }
  markScrolls();
  window.addEventListener('load', markScrolls);
  window.addEventListener('resize', markScrolls);

  // ---- land on the #anchor again once the maths has changed the heights above it
  function toTarget() { const t = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1))); if (t) t.scrollIntoView(); }
  toTarget();
  window.addEventListener('load', () => { if (window.scrollY === 0 || location.hash) toTarget(); }, {once: true});

  // ---- the sidebar shows the current page; on narrow screens the menu button opens and closes it
  const sidebar = $('#sidebar'), active = $('#sidebar li.active'), button = $('.menu-button'), backdrop = $('.backdrop');
  if (sidebar && active) sidebar.scrollTop = Math.max(0, active.offsetTop - sidebar.clientHeight / 3);
  function menu(open) {
    body.classList.toggle('menu-open', open);
    if (button) button.setAttribute('aria-expanded', String(open));
    if (backdrop) backdrop.hidden = !open;
  }
  if (button) button.addEventListener('click', () => menu(!body.classList.contains('menu-open')));
  if (backdrop) backdrop.addEventListener('click', () => menu(false));

  // ---- table of contents: open beside the page on wide screens, folded above it otherwise; the section in view is marked
  const toc = $('.toc details'), wide = window.matchMedia('(min-width: 1200px)');
  if (toc) {
    const fit = () => { toc.open = wide.matches; };
    fit(); wide.addEventListener('change', fit);
    const links = new Map($$('.toc a').map(a => [decodeURIComponent(a.getAttribute('href').slice(1)), a]));
    const heads = Array.from(links.keys()).map(id => document.getElementById(id)).filter(Boolean);
    let current = null;
    const spy = () => {
      let h = heads[0];
      for (const x of heads) { if (x.getBoundingClientRect().top < 80) h = x; else break; }
      const a = h && links.get(h.id);
      if (a !== current) { if (current) current.classList.remove('current'); if (a) a.classList.add('current'); current = a; }
    };
    spy(); window.addEventListener('scroll', spy, {passive: true});
  }

  // ---- search over pages, headings and API names (search-index.js, written by tools/build_docs.py)
  const input = $('#search'), list = $('#search-results'), index = window.SEARCH_INDEX || [];
  const esc = s => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const html = s => s.replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
  function score(e, q, words) {
    const t = e.t.toLowerCase(), last = t.split('.').pop();
    let s = 0;
    if (t === q || last === q) s = 100;
    else if (t.startsWith(q) || last.startsWith(q)) s = 70;
    else if (new RegExp('(^|[^a-z0-9])' + esc(q)).test(t)) s = 50;
    else if (t.includes(q)) s = 35;
    else {
      const hay = (t + ' ' + e.p + ' ' + e.d).toLowerCase();
      if (words.every(w => hay.includes(w))) s = words.every(w => t.includes(w)) ? 25 : 10;
    }
    return s && s + {api: 3, page: 2, heading: 1}[e.k] - Math.min(t.length, 80) / 100;
  }
  function search(query) {
    const q = query.trim().toLowerCase().replace(/\s+/g, ' '), words = q.split(' ').filter(Boolean);
    if (!q) return [];
    return index.map(e => [score(e, q, words), e]).filter(x => x[0] > 0).sort((a, b) => b[0] - a[0]).slice(0, 12).map(x => x[1]);
  }
  let results = [], selected = 0;
  function show() {
    const q = input.value;
    results = search(q); selected = 0;
    if (!q.trim()) { list.hidden = true; list.innerHTML = ''; return; }
    const kind = {api: 'API', page: 'page', heading: 'section'};
    list.innerHTML = results.length ? results.map((e, i) =>
      `<li${i === selected ? ' class="selected"' : ''}><a href="${html(e.u)}"><span class="r-kind">${kind[e.k]}</span>` +
      `<span class="r-title">${e.k === 'api' ? '<code>' + html(e.t) + '</code>' : html(e.t)}</span>` +
      `<span class="r-where">${html(e.p || (e.d ? e.d.slice(0, 80) : ''))}</span></a></li>`).join('')
      : '<li class="r-none">Nothing found</li>';
    list.hidden = false;
    place();
  }
  // the list is fixed to the window under the box, as wide as the window allows (not cut at the sidebar's edge)
  function place() {
    if (list.hidden) return;
    const r = input.getBoundingClientRect(), top = r.bottom + 4;
    list.style.left = r.left + 'px'; list.style.top = top + 'px';
    list.style.width = Math.max(r.width, Math.min(440, window.innerWidth - r.left - 14)) + 'px';
    list.style.maxHeight = Math.max(120, window.innerHeight - top - 12) + 'px';
  }
  function select(i) {
    const items = $$('li', list).filter(li => li.querySelector('a'));
    if (!items.length) return;
    selected = (i + items.length) % items.length;
    items.forEach((li, j) => li.classList.toggle('selected', j === selected));
    items[selected].scrollIntoView({block: 'nearest'});
  }
  function go(i) { const e = results[i]; if (e) { list.hidden = true; menu(false); location.href = e.u; } }
  if (input && list) {
    input.addEventListener('input', show);
    input.addEventListener('focus', () => { if (input.value.trim()) show(); });
    input.addEventListener('keydown', ev => {
      if (ev.key === 'ArrowDown') { ev.preventDefault(); select(selected + 1); }
      else if (ev.key === 'ArrowUp') { ev.preventDefault(); select(selected - 1); }
      else if (ev.key === 'Enter') { ev.preventDefault(); go(selected); }
      else if (ev.key === 'Escape') { list.hidden = true; input.blur(); }
    });
    list.addEventListener('click', ev => { const a = ev.target.closest('a'); if (a) { ev.preventDefault(); go($$('li a', list).indexOf(a)); } });
    document.addEventListener('click', ev => { if (!ev.target.closest('.search')) list.hidden = true; });
    window.addEventListener('resize', place);
    if (sidebar) sidebar.addEventListener('scroll', place, {passive: true});
  }

  // ---- figures open at full size over the page
  const box = $('.lightbox');
  function closeBox() { if (box) { box.hidden = true; body.classList.remove('lightbox-open'); } }
  for (const a of $$('a.figure')) a.addEventListener('click', ev => {
    if (!box || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    ev.preventDefault();
    const img = $('img', box); img.src = a.getAttribute('href'); img.alt = ($('img', a) || {}).alt || '';
    box.hidden = false; body.classList.add('lightbox-open');
  });
  if (box) box.addEventListener('click', closeBox);

  document.addEventListener('keydown', ev => {
    if (ev.key === 'Escape') { closeBox(); menu(false); }
    else if (ev.key === '/' && input && !/^(INPUT|TEXTAREA)$/.test(document.activeElement.tagName)) {
      ev.preventDefault(); if (!wide.matches && window.innerWidth < 900) menu(true); input.focus();
    }
  });
})();
