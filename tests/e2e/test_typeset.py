#!/usr/bin/env python3
"""End-to-end typesetting checks (issue 4), one per ctest case: python3 test_typeset.py CASE.

Balanced last pages, uppercase Vietnamese headlines at line-height 1 whose stacked marks
must not touch the line above, and font expansion. Measured on the rendered PDF (pdftotext
-bbox, pdftoppm, qpdf)."""
import collections, os, re, shutil, subprocess, sys, tempfile, unicodedata
from harness import expect, fail, run

TRANG = os.environ.get('TRANG', 'trang')
SRC = os.environ.get('TRANG_SOURCE_DIR', os.path.join(os.path.dirname(__file__), '..', '..'))
SEED = os.path.join(SRC, 'tests', 'data', 'can-tho-ban-chi-dao-35.txt')
SAMPLE = os.path.join(SRC, 'samples', 'can-tho', 'article.xml')
TMP = tempfile.mkdtemp(prefix='trang-typeset-')


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


def words(pdf, page):
    html = run('pdftotext', '-bbox', '-f', str(page), '-l', str(page), pdf, '-').stdout
    return [tuple(map(float, m.groups()[:4])) + (m.group(5),) for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


ARTICLE = '<?xml version="1.0" encoding="UTF-8"?>\n<article xml:lang="vi">\n<headline>{head}</headline>\n<body>\n{body}\n</body>\n</article>\n'


def balanced_last_page():
    paras = [l for l in open(SEED, encoding='utf-8').read().split('\n')[1:-1] if l]
    for repeat in (3, 5, 7):
        body = '\n'.join(f'<p>{p}</p>' for p in paras * repeat)
        pdf = os.path.join(TMP, f'long{repeat}.pdf')
        run(TRANG, 'render', write(f'long{repeat}.xml', ARTICLE.format(head='Cân cột', body=body)), '-o', pdf)
        pages = int(re.search(r'Pages:\s+(\d+)', run('pdfinfo', pdf).stdout).group(1))
        ws = words(pdf, pages)
        h = collections.Counter(round(w[3] - w[1], 1) for w in ws).most_common(1)[0][0]
        body_words = [w for w in ws if abs((w[3] - w[1]) - h) < 0.3]
        rows = collections.defaultdict(list)
        for w in body_words:
            rows[round(w[3])].append(w)
        starts = set()  # line starts: a row splits into columns where the gap is wide
        for r in rows.values():
            r.sort()
            starts.add(round(r[0][0]))
            starts.update(round(b[0]) for a, b in zip(r, r[1:]) if b[0] - a[2] > 10)
        starts = sorted(starts)
        cols = []
        for s in starts:
            if not cols or s - cols[-1] > 60:
                cols.append(s)
        bottoms = collections.defaultdict(float)
        for w in body_words:
            c = max([x for x in cols if x <= round(w[0])] or [cols[0]])
            bottoms[c] = max(bottoms[c], w[3])
        spread = max(bottoms.values()) - min(bottoms.values())
        line = 12.5  # the default stylesheet's body line height
        expect(len(bottoms) == 3, f'{repeat}x: last page has {len(bottoms)} columns: {dict(bottoms)}')
        expect(spread <= line + 0.5, f'{repeat}x: last page columns end {spread:.1f}pt apart: {dict(bottoms)}')
        print(f'{repeat}x: {pages} pages, last page columns end within {spread:.1f}pt')


def read_pgm(path):
    data = open(path, 'rb').read()
    m = re.match(rb'P5\s+(\d+)\s+(\d+)\s+(\d+)\s', data)
    return int(m.group(1)), int(m.group(2)), data[m.end():]


# Four headline lines, forced with <br/>, full of stacked marks above (Ễ, Ẫ, Ồ) and marks and
# descenders below (Ự, Ụ, Ỵ, Q): at line-height 1 they meet unless the layout makes room.
HEAD_LINES = ['Ưu tiên nguồn lực, quyết', 'liệt triển khai nhiệm vụ', 'tục đổi mới: ỷ lại, ễnh ương',
              'ự ựụỵ ẫễỗ ữự']
CSS = ('headline {{ text-transform: uppercase; line-height: 1; font-size: 30pt; {extra} }}\n'
       'em.hide {{ font-style: normal; color: #ffffff; }}\n')


def render_lines(name, visible, extra=''):
    """The headline with only line `visible` inked (the others white, laid out identically);
    all lines when visible is None. Returns the raster of the headline area as a set of ink
    pixel indices, and the raster width."""
    parts = [l if visible is None or k == visible else f'<em class="hide">{l}</em>'
             for k, l in enumerate(HEAD_LINES)]
    art = write(f'{name}.xml', ARTICLE.format(head='<br/>'.join(parts), body='<p>Nội dung.</p>'))
    css = write(f'{name}.css', CSS.format(extra=extra))
    pdf = os.path.join(TMP, f'{name}.pdf')
    p = run(TRANG, 'render', art, '-o', pdf, '--stylesheet', css)
    base = os.path.join(TMP, name)
    run('pdftoppm', '-r', '150', '-gray', '-f', '1', '-l', '1', '-y', '0', '-H', '500', pdf, base)
    w, h, px = read_pgm(base + '-1.pgm')
    return {i for i, v in enumerate(px) if v < 160}, w, p.stderr


def touching(a, b, w):
    """Whether any ink pixel of `a` is next to (8-neighbourhood) or on an ink pixel of `b`."""
    for i in a:
        for d in (0, -1, 1, -w, w, -w - 1, -w + 1, w - 1, w + 1):
            if i + d in b:
                return True
    return False


def collisions(extra=''):
    inks = []
    for k in range(len(HEAD_LINES)):
        ink, w, err = render_lines(f'line{k}', k, extra)
        expect(ink, f'line {k} rendered no ink')
        inks.append(ink)
    # Ink in every render is not the headline's (the rule under the head, the body text).
    furniture = set.intersection(*inks)
    inks = [ink - furniture for ink in inks]
    return [(k, k + 1) for k in range(len(inks) - 1) if touching(inks[k], inks[k + 1], w)], err


def uppercase_headline_clears_diacritics():
    bad, err = collisions()
    expect(not bad, f'ink of headline lines {bad} touches')
    # The same headline with clearance turned off collides, and says so: the check above is
    # able to see a collision.
    bad_off, err_off = collisions('-trang-diacritic-clearance: warn;')
    expect(bad_off, 'with clearance off the lines do not touch: the test headline proves nothing')
    expect('touch the line above' in err_off, f'no warning with clearance off: {err_off}')
    print(f'uppercase headline at line-height 1: no lines touch (without clearance: {bad_off})')


def tz_values(pdf):
    """The horizontal scalings (Tz operands) of every content stream, uncompressed by qpdf."""
    qdf = pdf + '.qdf'
    run('qpdf', '--qdf', '--object-streams=disable', pdf, qdf)
    data = open(qdf, 'rb').read().decode('latin-1')
    return [float(v) for v in re.findall(r'(?m)^(-?[\d.]+) Tz$', data)]


def body_lines(pdf, page):
    """Lines of body text of a page, as (left, right) of their first and last word; a row of
    words splits into columns where the gap is wider than a line."""
    ws = words(pdf, page)
    if not ws:
        return []
    h = collections.Counter(round(w[3] - w[1], 1) for w in ws).most_common(1)[0][0]
    rows = collections.defaultdict(list)
    for w in ws:
        if abs((w[3] - w[1]) - h) < 0.3:
            rows[round(w[3] * 2) / 2].append(w)
    lines = []
    for r in rows.values():
        r.sort()
        seg = [r[0]]
        for a, b in zip(r, r[1:]):
            if b[0] - a[2] > h:
                lines.append((seg[0][0], seg[-1][2]))
                seg = []
            seg.append(b)
        lines.append((seg[0][0], seg[-1][2]))
    return lines


def font_expansion():
    """-trang-font-expansion: auto on the sample: Tz in 98..102 in 0.5% steps, the same words
    as without it, and justified lines that end exactly at their column's edge, never past."""
    plain = os.path.join(TMP, 'plain.pdf')
    run(TRANG, 'render', SAMPLE, '-o', plain)
    css = write('expansion.css', 'body { -trang-font-expansion: auto; }\n')
    pdf = os.path.join(TMP, 'expanded.pdf')
    p = run(TRANG, 'render', SAMPLE, '-o', pdf, '--stylesheet', css)
    expect('warning' not in p.stderr, p.stderr)
    expect(not tz_values(plain), 'the sample without expansion has Tz operators')
    tz = tz_values(pdf)
    expect(tz, 'no Tz operator with -trang-font-expansion: auto')
    expect(all(98 <= v <= 102 for v in tz), f'Tz outside 98..102: {sorted(set(tz))}')
    expect(all(abs(v * 2 - round(v * 2)) < 1e-6 for v in tz), f'Tz not in 0.5% steps: {sorted(set(tz))}')
    expect(any(v > 100 for v in tz) and any(v < 100 for v in tz), f'only one direction: {sorted(set(tz))}')

    def text(path):
        return unicodedata.normalize('NFC', run('pdftotext', '-enc', 'UTF-8', path, '-').stdout).split()
    a, b = text(plain), text(pdf)
    expect(a == b, f'words differ with expansion: {[(x, y) for x, y in zip(a, b) if x != y][:5]}')
    expect(all(unicodedata.is_normalized('NFC', w) for w in b), 'extracted text is not NFC')
    # Columns (where at least five lines start and end without expansion) end where they did;
    # no line ends past its column's edge, and the justified ones end right at it.
    pages = int(re.search(r'Pages:\s+(\d+)', run('pdfinfo', pdf).stdout).group(1))
    for page in range(1, pages + 1):
        ref = body_lines(plain, page)
        starts = sorted(x for x, n in collections.Counter(round(l[0]) for l in ref).items() if n >= 5)
        edges = sorted(x for x, n in collections.Counter(round(l[1]) for l in ref).items() if n >= 5)
        if not starts or len(starts) != len(edges):
            continue
        ends = collections.Counter()
        for left, right in body_lines(pdf, page):
            k = max([i for i, x in enumerate(starts) if x <= left + 1] or [0])
            expect(right <= edges[k] + 0.5,
                   f'page {page}: a line ends at {right:.2f}, past its column edge {edges[k]}')
            ends[k] += abs(right - edges[k]) <= 0.5
        expect(all(ends[k] >= 5 for k in range(len(edges))),
               f'page {page}: few lines end at the column edges {edges}: {dict(ends)}')
    print(f'{len(tz)} expanded runs, Tz {min(tz)}..{max(tz)}; {len(b)} words as without expansion')


if __name__ == '__main__':
    try:
        globals()[sys.argv[1]]()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print('ok')
