#!/usr/bin/env python3
"""Typesetting quality on one design and one text, set by trang and by its peers.

    bench/typesetting.py [--trang build/trang] [--out DIR] [--pages 20] [--only vi|en]

The design, the same for every engine (issue 20): A4, margins 18/15/20/15 mm, three columns
5 mm apart, Noto Serif 9.75 pt on 1.3 line height, justified, paragraphs indented 1 em with no
space between them, widows and orphans 2. The texts: Vietnamese (the paragraphs of the sample
and of the newsletter's articles, repeated to about --pages pages), never hyphenated; English
(the GNU GPL 3 from /usr/share/common-licenses, real and varied prose), hyphenated by every
engine that can.

Engines: trang with its defaults; trang with the defaults of issue 20 turned off (font
expansion, runt and stack costs: `plain`); WeasyPrint, Apache FOP and LuaLaTeX when installed
(Debian `weasyprint`, `fop`, `texlive-luatex`); an engine that is missing is named and skipped.

Every PDF is measured the same way, from `pdftotext -bbox` (nothing is timed):
  spaces  word spaces of justified lines (lines that reach the column's right edge), in em:
          mean, 95th percentile and maximum
  runts   paragraphs whose last line holds one word, or is shorter than 20% of the column
  stacks  two lines in a row that start with the same word (both at the column's left edge) or
          end with the same word (both at its right edge, not hyphenated)
  rivers  word gaps of three or more lines in a row whose centres stay within 0.2 em of the
          gap above: each such chain is one river
  wide    rivers of gaps that are all 0.3 em or wider, more than Noto Serif's own word space
          (0.26 em): white a reader sees, not narrow spaces that line up by chance
  over    lines wider than their column (overfull)"""
import argparse, collections, html, os, re, shutil, statistics, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTO = '/usr/share/fonts/truetype/noto'
GPL = '/usr/share/common-licenses/GPL-3'
RUNT_SHARE = 0.2   # as trang's -trang-runt-width default
RIVER_TOL = 0.2    # em between the centres of two gaps of a river
RIVER_LINES = 3
RIVER_WIDE = 0.3   # em: a gap wider than the font's word space

PAGE = dict(w='210mm', h='297mm', top='18mm', right='15mm', bottom='20mm', left='15mm')
SIZE, LEADING = 9.75, 1.3


def run(*args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


# --- the texts -------------------------------------------------------------------------------

def vietnamese_paragraphs():
    paras = [l for l in open(os.path.join(ROOT, 'tests', 'data', 'can-tho-ban-chi-dao-35.txt'),
                             encoding='utf-8').read().split('\n')[1:] if len(l) > 60]
    folder = os.path.join(ROOT, 'samples', 'newsletter', 'articles')
    for name in sorted(os.listdir(folder)):
        if not name.endswith('.xml') or name.endswith('.nitf.xml'):
            continue
        tree = ET.parse(os.path.join(folder, name))
        for p in tree.iter('p'):
            text = ' '.join(''.join(p.itertext()).split())
            if len(text) > 60:
                paras.append(text)
    return paras


def english_paragraphs():
    text = open(GPL, encoding='utf-8').read()
    paras = [' '.join(b.split()) for b in re.split(r'\n\s*\n', text)]
    return [p for p in paras if len(p) > 200]  # prose, not headings


def repeat_to(paras, chars):
    out = []
    while sum(map(len, out)) < chars:
        out += paras
    return out


# --- the engines -----------------------------------------------------------------------------

def css_design(hyphens):
    return (f'@page {{ size: A4; margin: {PAGE["top"]} {PAGE["right"]} {PAGE["bottom"]} {PAGE["left"]}; }}\n'
            f'body {{ font-family: "Noto Serif"; font-size: {SIZE}pt; line-height: {LEADING}; '
            'margin: 0; column-count: 3; column-gap: 5mm; column-rule: none; }\n'
            'p { text-align: justify; text-indent: 1em; margin: 0; widows: 2; orphans: 2; '
            f'hyphens: {"auto" if hyphens else "manual"}; }}\n')


def trang(a, d, name, lang, paras, plain):
    art = os.path.join(d, f'{name}.xml')
    body = '\n'.join(f'    <p>{html.escape(p, quote=False)}</p>' for p in paras)
    open(art, 'w', encoding='utf-8').write(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<article xml:lang="{lang}">\n  <body>\n{body}\n'
        '  </body>\n</article>\n')
    css = os.path.join(d, f'{name}.css')
    # The default stylesheet's own page furniture and first-paragraph rules are left as they
    # are: only what the design names is set.
    extra = ('article { -trang-font-expansion: none; -trang-runt-cost: none; '
             '-trang-stack-cost: none; }\n') if plain else ''
    open(css, 'w').write(css_design(lang == 'en').replace('body {', 'article, body {') + extra)
    pdf = os.path.join(d, f'{name}.pdf')
    p = run(a.trang, 'render', art, '-o', pdf, '--stylesheet', css)
    if p.returncode != 0:
        sys.exit(f'trang failed on {art}:\n{p.stderr}')
    return pdf, None


def weasyprint(a, d, name, lang, paras, plain):
    exe = shutil.which('weasyprint')
    if not exe:
        return None, 'not installed (apt-get install weasyprint)'
    src = os.path.join(d, f'{name}.html')
    body = ''.join(f'<p>{html.escape(p, quote=False)}</p>\n' for p in paras)
    open(src, 'w', encoding='utf-8').write(
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><style>'
        f'{css_design(lang == "en")}</style></head><body>{body}</body></html>')
    pdf = os.path.join(d, f'{name}.pdf')
    p = run(exe, src, pdf)
    if p.returncode != 0:
        return None, f'failed: {p.stderr[-300:]}'
    return pdf, None


def fop(a, d, name, lang, paras, plain):
    exe = shutil.which('fop')
    if not exe:
        return None, 'not installed (apt-get install fop)'
    conf = os.path.join(d, 'fop.xconf')
    open(conf, 'w').write(
        '<?xml version="1.0"?><fop version="1.0"><renderers><renderer mime="application/pdf">'
        f'<fonts><directory>{NOTO}</directory></fonts></renderer></renderers></fop>\n')
    hyph = 'true' if lang == 'en' else 'false'
    blocks = ''.join(f'<fo:block text-indent="1em">{html.escape(p, quote=False)}</fo:block>\n'
                     for p in paras)
    src = os.path.join(d, f'{name}.fo')
    open(src, 'w', encoding='utf-8').write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<fo:root xmlns:fo="http://www.w3.org/1999/XSL/Format"><fo:layout-master-set>'
        f'<fo:simple-page-master master-name="A4" page-width="{PAGE["w"]}" page-height="{PAGE["h"]}" '
        f'margin-top="{PAGE["top"]}" margin-bottom="{PAGE["bottom"]}" margin-left="{PAGE["left"]}" '
        f'margin-right="{PAGE["right"]}"><fo:region-body column-count="3" column-gap="5mm"/>'
        '</fo:simple-page-master></fo:layout-master-set>'
        '<fo:page-sequence master-reference="A4"><fo:flow flow-name="xsl-region-body">'
        f'<fo:block font-family="Noto Serif" font-size="{SIZE}pt" line-height="{LEADING}" '
        f'text-align="justify" language="{lang}" hyphenate="{hyph}" widows="2" orphans="2">\n'
        f'{blocks}</fo:block></fo:flow></fo:page-sequence></fo:root>\n')
    pdf = os.path.join(d, f'{name}.pdf')
    p = run(exe, '-q', '-c', conf, '-fo', src, '-pdf', pdf)
    if p.returncode != 0 or not os.path.exists(pdf):
        return None, f'failed: {(p.stderr or p.stdout)[-300:]}'
    return pdf, None


def lualatex(a, d, name, lang, paras, plain):
    exe = shutil.which('lualatex')
    if not exe:
        return None, 'not installed (apt-get install texlive-luatex texlive-latex-recommended)'
    tex_escape = lambda s: re.sub(r'([#$%&_{}~^\\])', lambda m: {
        '\\': r'\textbackslash{}', '~': r'\textasciitilde{}', '^': r'\textasciicircum{}'}.get(
            m.group(1), '\\' + m.group(1)), s)
    body = '\n\n'.join(tex_escape(p) for p in paras)
    # A new user's setting: the design and nothing else (TeX's own tolerance, no microtype).
    # Vietnamese syllables are words: no hyphenation.
    nohyph = r'\hyphenpenalty=10000 \exhyphenpenalty=10000' if lang == 'vi' else ''
    src = os.path.join(d, f'{name}.tex')
    open(src, 'w', encoding='utf-8').write(
        '\\documentclass{article}\n'
        f'\\usepackage[a4paper,top={PAGE["top"]},bottom={PAGE["bottom"]},left={PAGE["left"]},'
        f'right={PAGE["right"]}]{{geometry}}\n'
        '\\usepackage{fontspec}\n\\usepackage{multicol}\n'
        f'\\setmainfont{{NotoSerif}}[Path={NOTO}/,Extension=.ttf,UprightFont=*-Regular,'
        'BoldFont=*-Bold,ItalicFont=*-Italic]\n'
        '\\setlength{\\columnsep}{5mm}\\pagestyle{empty}\n\\begin{document}\n'
        f'\\fontsize{{{SIZE}pt}}{{{SIZE * LEADING:.3f}pt}}\\selectfont\\setlength{{\\parindent}}{{1em}}'
        f'\\setlength{{\\parskip}}{{0pt}}\\widowpenalty=10000 \\clubpenalty=10000 {nohyph}\n'
        f'\\begin{{multicols*}}{{3}}\n{body}\n\\end{{multicols*}}\n\\end{{document}}\n')
    p = run(exe, '-interaction=nonstopmode', '-halt-on-error', f'-output-directory={d}', src, cwd=d)
    pdf = os.path.join(d, f'{name}.pdf')
    if p.returncode != 0 or not os.path.exists(pdf):
        return None, 'failed: ' + p.stdout[-300:]
    return pdf, None


ENGINES = [('trang', lambda *x: trang(*x, plain=False)), ('trang plain', lambda *x: trang(*x, plain=True)),
           ('WeasyPrint', lambda *x: weasyprint(*x, plain=False)), ('Apache FOP', lambda *x: fop(*x, plain=False)),
           ('LuaLaTeX', lambda *x: lualatex(*x, plain=False))]


# --- the measure -----------------------------------------------------------------------------

def columns_of(pdf):
    """Yields, for each column of each page, (left, right, em, lines): lines top to bottom, each
    a list of words (xMin, yMin, xMax, yMax, text) of body-text height."""
    out = run('pdftotext', '-bbox', pdf, '-').stdout
    for page in out.split('<page ')[1:]:
        ws = [tuple(map(float, m.groups()[:4])) + (html.unescape(m.group(5)),) for m in re.finditer(
            r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>', page)]
        if not ws:
            continue
        body_h = collections.Counter(round(w[3] - w[1], 1) for w in ws).most_common(1)[0][0]
        ws = [w for w in ws if abs((w[3] - w[1]) - body_h) < 0.3]
        em = body_h / 1.2
        rows = collections.defaultdict(list)
        for w in ws:
            rows[round(w[3] * 2) / 2].append(w)
        # Column left edges: where many rows have a word start (every unindented line of a
        # justified column starts there). A word belongs to the last edge at or left of it.
        starts = collections.Counter(round(w[0]) for w in ws)
        cols = []
        for x, n in sorted(starts.items()):
            if n >= max(5, 0.2 * len(rows)) and (not cols or x - cols[-1] > 40):
                cols.append(x)
        if not cols:
            continue
        bycol = collections.defaultdict(list)
        for y, r in rows.items():
            seg = collections.defaultdict(list)
            for w in sorted(r):
                seg[max([x for x in cols if x <= w[0] + 1.5] or [cols[0]])].append(w)
            for c, line in seg.items():
                bycol[c].append(line)
        for c, lines in bycol.items():
            lines.sort(key=lambda s: s[0][1])
            right = collections.Counter(round(s[-1][2]) for s in lines).most_common(1)[0][0]
            left = min(s[0][0] for s in lines)
            yield left, right, em, lines


def measure(pdf):
    spaces, nlines, runts, stacks, over, paras = [], 0, 0, 0, 0, 0
    rivers = {0: 0, RIVER_WIDE: 0}
    key = lambda w: w[4].lower()
    for left, right, em, lines in columns_of(pdf):
        full = [s[-1][2] >= right - 1.5 for s in lines]
        at_left = [s[0][0] <= left + 1.5 for s in lines]
        hyphen = [s[-1][4].endswith('-') for s in lines]
        width = right - left
        step = statistics.median([b[0][3] - a[0][3] for a, b in zip(lines, lines[1:])] or [0])
        for k, s in enumerate(lines):
            nlines += 1
            over += s[-1][2] > right + 1.5
            if full[k] and len(s) >= 2:
                spaces += [(b[0] - a[2]) / em for a, b in zip(s, s[1:])]
            if not full[k]:  # a paragraph's last line
                paras += 1
                if len(s) == 1 or s[-1][2] - s[0][0] < RUNT_SHARE * width:
                    runts += 1
            if k and lines[k][0][3] - lines[k - 1][0][3] < 1.5 * step:
                if at_left[k] and at_left[k - 1] and key(s[0]) == key(lines[k - 1][0]):
                    stacks += 1
                if (full[k] and full[k - 1] and not hyphen[k] and not hyphen[k - 1]
                        and key(s[-1]) == key(lines[k - 1][-1])):
                    stacks += 1
        # Rivers: chains of gaps, each within RIVER_TOL em of one in the line above; counted
        # over every gap, and over the wide ones only.
        for min_gap in rivers:
            chains = []  # (centre of a gap on the line above, length of its chain)
            prev_y = None
            for s in lines:
                centres = [(a[2] + b[0]) / 2 for a, b in zip(s, s[1:]) if (b[0] - a[2]) / em >= min_gap]
                y = s[0][3]
                if prev_y is None or y - prev_y > 1.5 * step:
                    chains = []
                grown = [(c, max([n for x, n in chains if abs(x - c) <= RIVER_TOL * em] or [0]) + 1)
                         for c in centres]
                # A chain is counted once, when it reaches RIVER_LINES lines.
                rivers[min_gap] += sum(1 for c, n in grown if n == RIVER_LINES)
                chains = grown
                prev_y = y
    if not spaces:
        return None
    spaces.sort()
    return {'lines': nlines, 'paras': paras, 'mean': statistics.mean(spaces),
            'p95': spaces[int(0.95 * (len(spaces) - 1))], 'max': spaces[-1], 'runts': runts,
            'stacks': stacks, 'rivers': rivers[0], 'wide': rivers[RIVER_WIDE], 'over': over,
            'pages': int(run('pdfinfo', pdf).stdout.split('Pages:')[1].split()[0])}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--trang', default=os.path.join(ROOT, 'build', 'trang'))
    ap.add_argument('--out', help='keep the sources and PDFs here')
    ap.add_argument('--pages', type=int, default=20, help='about this many pages of Vietnamese')
    ap.add_argument('--only', choices=['vi', 'en'])
    ap.add_argument('--engines', help='comma-separated subset, e.g. "trang,trang plain"')
    a = ap.parse_args()
    d = a.out or tempfile.mkdtemp(prefix='trang-typeset-')
    os.makedirs(d, exist_ok=True)
    texts = [('vi', repeat_to(vietnamese_paragraphs(), a.pages * 5400))]
    if os.path.exists(GPL):
        texts.append(('en', english_paragraphs()))
    else:
        print(f'({GPL} missing: no English text)')
    print(f'{"text":4} {"engine":12} {"pages":>5} {"lines":>5} {"mean em":>8} {"p95 em":>7} {"max em":>7} '
          f'{"runts":>5} {"stacks":>6} {"rivers":>6} {"wide":>4} {"over":>4}')
    notes = []
    for lang, paras in texts:
        if a.only and lang != a.only:
            continue
        for label, fn in ENGINES:
            if a.engines and label not in a.engines.split(','):
                continue
            pdf, note = fn(a, d, f'{lang}-{label.split()[-1].lower()}', lang, paras)
            if note:
                notes.append(f'{label} ({lang}): {note}')
            if not pdf:
                print(f'{lang:4} {label:12} skipped')
                continue
            m = measure(pdf)
            if not m:
                print(f'{lang:4} {label:12} (no justified lines found)')
                continue
            print(f'{lang:4} {label:12} {m["pages"]:5d} {m["lines"]:5d} {m["mean"]:8.3f} {m["p95"]:7.3f} '
                  f'{m["max"]:7.3f} {m["runts"]:5d} {m["stacks"]:6d} {m["rivers"]:6d} {m["wide"]:4d} {m["over"]:4d}',
                  flush=True)
    for n in notes:
        print(n)
    if not a.out:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == '__main__':
    main()
