#!/usr/bin/env python3
"""Typesetting quality report: trang's total-fit breaking (with and without font expansion) vs
greedy (first-fit) vs WeasyPrint.

    bench/typesetting.py [--trang build/trang] [--out DIR]

Renders the sample article and a long article (the sample body eight times) and, for an
English text, with hyphenation; measures every PDF the same way, from pdftotext -bbox:
word spaces of justified lines (in em), loose lines (a space over 0.5 em), hyphenated lines,
and lone lines (a paragraph's last line alone at the top of a column, or its first line alone
at the foot). WeasyPrint runs on equivalent HTML (same fonts, sizes, measure) when installed.
Nothing here is timed; it reports what a reader sees."""
import argparse, collections, html, os, re, shutil, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, 'samples', 'can-tho', 'article.xml')
SEED = os.path.join(ROOT, 'tests', 'data', 'can-tho-ban-chi-dao-35.txt')

ENGLISH = [
    "Newspaper columns are narrow, and narrow columns are where a line breaker shows its "
    "quality. A greedy breaker fills each line as far as it can and moves on; when the next "
    "word does not fit, whatever space is left is spread between the words already set, and "
    "the reader meets a line full of holes.",
    "A total-fit breaker considers the paragraph as a whole. It weighs every feasible "
    "sequence of breakpoints and chooses the one whose lines are, taken together, the least "
    "stretched or squeezed, accepting a slightly tighter line early to avoid a terrible one "
    "later. Hyphenation gives it many more places to break.",
    "Typographers have long understood that justification depends on hyphenation: without "
    "it, interword spaces stretch unpleasantly, producing rivers of white that wander down "
    "the column and distract the reader considerably from the argument of the article.",
]

CSS_GREEDY = 'p, lead, caption, item { -trang-line-breaking: greedy; }\n'
CSS_EXPANSION = 'p, lead, caption, item { -trang-font-expansion: auto; }\n'
CSS_ENGLISH = 'p { hyphens: auto; }\n'


def run(*args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def seed_paragraphs():
    return [l for l in open(SEED, encoding='utf-8').read().split('\n')[1:-1] if l]


def write_articles(d):
    long_body = '\n'.join(f'    <p>{html.escape(p, quote=False)}</p>' for p in seed_paragraphs() * 8)
    en_body = '\n'.join(f'    <p>{html.escape(p, quote=False)}</p>' for p in ENGLISH * 6)
    arts = {'sample (vi)': SAMPLE}
    for name, lang, body in (('long (vi)', 'vi', long_body), ('english', 'en', en_body)):
        path = os.path.join(d, name.split()[0] + '.xml')
        with open(path, 'w', encoding='utf-8') as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<article xml:lang="{lang}">\n'
                    f'  <headline>Typesetting report</headline>\n  <body>\n{body}\n  </body>\n</article>\n')
        arts[name] = path
    return arts


def weasy_html(article_xml, d, name, hyphens):
    """An HTML page of the same text and design as trang's default stylesheet."""
    xml = open(article_xml, encoding='utf-8').read()
    lang = re.search(r'xml:lang="([^"]+)"', xml).group(1)
    paras = re.findall(r'<p>(.*?)</p>', xml, re.S)
    css = ('@page { size: A4; margin: 18mm 15mm 20mm 15mm; }'
           'body { font-family: "Noto Serif"; font-size: 9.5pt; line-height: 12.5pt; margin: 0; }'
           '.cols { column-count: 3; column-gap: 5mm; }'
           'p { text-align: justify; text-indent: 1em; margin: 0; orphans: 2; widows: 2; '
           + ('hyphens: auto; ' if hyphens else '') + '}'
           'h1 { font-size: 26pt; line-height: 30pt; margin: 0 0 4mm 0; }')
    body = ''.join(f'<p>{p}</p>' for p in paras)
    page = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><style>{css}</style>'
            f'</head><body><h1>Typesetting report</h1><div class="cols">{body}</div></body></html>')
    path = os.path.join(d, name + '.html')
    open(path, 'w', encoding='utf-8').write(page)
    return path


def measure(pdf):
    """Word spaces of justified lines, loose, hyphenated and lone lines, from pdftotext -bbox."""
    out = run('pdftotext', '-bbox', pdf, '-').stdout
    spaces, loose, hyph, lone, nlines = [], 0, 0, 0, 0
    for page in out.split('<page ')[1:]:
        ws = [tuple(map(float, m.groups()[:4])) + (m.group(5),) for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)]
        if not ws:
            continue
        body_h = collections.Counter(round(w[3] - w[1], 1) for w in ws).most_common(1)[0][0]
        ws = [w for w in ws if abs((w[3] - w[1]) - body_h) < 0.3]
        rows = collections.defaultdict(list)
        for w in ws:
            rows[round(w[3] * 2) / 2].append(w)
        segs = []  # (column left, y, words)
        for y, r in rows.items():
            r.sort()
            cur = [r[0]]
            for a, b in zip(r, r[1:]):
                if b[0] - a[2] > body_h:  # a column gap, not a word space
                    segs.append(cur)
                    cur = []
                cur.append(b)
            segs.append(cur)
        lefts = collections.Counter(round(s[0][0]) for s in segs)
        cols = []
        for x, n in sorted(lefts.items()):
            if n >= 3 and (not cols or x - cols[-1] > 40):
                cols.append(x)
        if not cols:
            continue
        bycol = collections.defaultdict(list)
        for s in segs:
            c = max([x for x in cols if x <= s[0][0] + 15] or [cols[0]])
            bycol[c].append(s)
        for c, lines in bycol.items():
            lines.sort(key=lambda s: s[0][1])
            right = collections.Counter(round(s[-1][2]) for s in lines).most_common(1)[0][0]
            full = [abs(s[-1][2] - right) <= 1.5 or s[-1][2] > right for s in lines]
            indented = [s[0][0] > c + 3 for s in lines]
            for k, s in enumerate(lines):
                nlines += 1
                if s[-1][4].endswith('-') and full[k]:
                    hyph += 1
                if full[k] and len(s) >= 2:
                    em = body_h / 1.2
                    gaps = [(b[0] - a[2]) / em for a, b in zip(s, s[1:])]
                    spaces += gaps
                    loose += max(gaps) > 0.5
            # A lone line: the column starts with a paragraph's last line (a short line that
            # is not a whole paragraph), or ends with a paragraph's first (indented) line.
            if len(lines) >= 2 and not full[0] and not indented[0]:
                lone += 1
            if len(lines) >= 2 and indented[-1] and full[-1]:
                lone += 1
    if not spaces:
        return None
    spaces.sort()
    return {'lines': nlines, 'mean': statistics.mean(spaces), 'p95': spaces[int(0.95 * (len(spaces) - 1))],
            'max': spaces[-1], 'loose': loose, 'hyphenated': hyph, 'lone': lone}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--trang', default=os.path.join(ROOT, 'build', 'trang'))
    ap.add_argument('--out', help='keep the PDFs here')
    a = ap.parse_args()
    d = a.out or tempfile.mkdtemp(prefix='trang-typeset-')
    os.makedirs(d, exist_ok=True)
    greedy_css = os.path.join(d, 'greedy.css')
    open(greedy_css, 'w').write(CSS_GREEDY)
    en_css = os.path.join(d, 'english.css')
    open(en_css, 'w').write(CSS_ENGLISH)
    en_greedy_css = os.path.join(d, 'english-greedy.css')
    open(en_greedy_css, 'w').write(CSS_ENGLISH + CSS_GREEDY)
    expansion_css = os.path.join(d, 'expansion.css')
    open(expansion_css, 'w').write(CSS_EXPANSION)
    en_expansion_css = os.path.join(d, 'english-expansion.css')
    open(en_expansion_css, 'w').write(CSS_ENGLISH + CSS_EXPANSION)
    weasy = shutil.which('weasyprint')
    rows = []
    for name, art in write_articles(d).items():
        english = name == 'english'
        variants = [('trang total-fit', en_css if english else None),
                    ('trang +expansion', en_expansion_css if english else expansion_css),
                    ('trang greedy', en_greedy_css if english else greedy_css)]
        for label, css in variants:
            pdf = os.path.join(d, f'{name.split()[0]}-{label.split()[1].lstrip("+")}.pdf')
            cmd = [a.trang, 'render', art, '-o', pdf] + (['--stylesheet', css] if css else [])
            p = run(*cmd)
            if p.returncode != 0:
                sys.exit(f'{" ".join(cmd)} failed:\n{p.stderr}')
            rows.append((name, label, measure(pdf)))
        if weasy:
            src = weasy_html(art, d, name.split()[0], english)
            pdf = os.path.join(d, f'{name.split()[0]}-weasyprint.pdf')
            if run(weasy, src, pdf).returncode == 0:
                rows.append((name, 'weasyprint', measure(pdf)))
    print(f'{"article":12} {"engine":16} {"lines":>5} {"mean em":>8} {"p95 em":>7} {"max em":>7} '
          f'{"loose":>5} {"hyph":>5} {"lone":>5}')
    for name, label, m in rows:
        if not m:
            print(f'{name:12} {label:16} (no justified lines found)')
            continue
        print(f'{name:12} {label:16} {m["lines"]:5d} {m["mean"]:8.3f} {m["p95"]:7.3f} {m["max"]:7.3f} '
              f'{m["loose"]:5d} {m["hyphenated"]:5d} {m["lone"]:5d}')
    if not weasy:
        print('\n(WeasyPrint not installed: apt-get install weasyprint to compare with it)')
    if not a.out:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == '__main__':
    main()
