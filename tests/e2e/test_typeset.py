#!/usr/bin/env python3
"""End-to-end typesetting checks (issue 4), one per ctest case: python3 test_typeset.py CASE.

Balanced last pages, uppercase Vietnamese headlines at line-height 1 whose stacked marks
must not touch the line above, font expansion, and widows and orphans as the stylesheet sets
them. Measured on the rendered PDF (pdftotext -bbox, pdftoppm, qpdf)."""
import collections, html as html_lib, os, random, re, shutil, subprocess, sys, tempfile, unicodedata
import xml.sax.saxutils
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


ENGLISH_PARAS = [
    "Newspaper columns are narrow, and narrow columns are where a line breaker shows its quality. "
    "A greedy breaker fills each line as far as it can and moves on.",
    "A total-fit breaker considers the paragraph as a whole, weighing every feasible sequence of "
    "breakpoints, and hyphenation gives it many more places to break: typographers understood "
    "that justification depends on it.",
    "Extraordinarily comprehensive internationalization considerations notwithstanding, "
    "characteristically uncompromising typographical craftsmanship prevails.",
]
ARTICLE = '<?xml version="1.0" encoding="UTF-8"?>\n<article xml:lang="vi">\n<headline>{head}</headline>\n<body>\n{body}\n</body>\n</article>\n'


def balanced_last_page():
    paras = [l for l in open(SEED, encoding='utf-8').read().split('\n')[1:-1] if l]
    # Full and nearly empty last pages: (copies of the seed text, extra paragraphs).
    for repeat, extra in ((3, 0), (5, 0), (7, 0), (4, 1), (4, 2), (4, 3), (6, 1)):
        body = '\n'.join(f'<p>{p}</p>' for p in paras * repeat + paras[:extra])
        name = f'long{repeat}-{extra}'
        pdf = os.path.join(TMP, f'{name}.pdf')
        # The cases' last pages were chosen for the breaks of plain total fit: with the defaults
        # of issue 20 (expansion, runt and stack costs) long4-2's last page holds 2 + 7 lines
        # that widows and orphans of 2 cannot spread within a line, so those breaks are kept.
        run(TRANG, 'render', write(f'{name}.xml', ARTICLE.format(head='Cân cột', body=body)), '-o', pdf,
            '--stylesheet', write('plain-breaks.css', 'article { -trang-font-expansion: none; '
                                  '-trang-runt-cost: none; -trang-stack-cost: none; }\n'))
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
        lines = collections.defaultdict(set)  # rows of text per column
        for w in body_words:
            c = max([x for x in cols if x <= round(w[0])] or [cols[0]])
            lines[c].add(round(w[3]))
        total = sum(len(v) for v in lines.values())
        # Fewer columns only when the page holds too little to split further: with widows and
        # orphans 2, a column of text takes at least two lines.
        expect(len(bottoms) == 3 or total < 3 * 2 * 2,
               f'{name}: last page has {len(bottoms)} columns for {total} lines: {dict(bottoms)}')
        expect(spread <= line + 0.5, f'{name}: last page columns end {spread:.1f}pt apart: {dict(bottoms)}')
        print(f'{name}: {pages} pages, last page columns end within {spread:.1f}pt')


def layout_helper_same_bytes():
    # Paragraphs of a long article are set ahead as a parallel map (ahead.cpp, each thread
    # with a frozen clone of the font cache). It must change no byte and no message:
    # TRANG_LAYOUT_HELPER=all (two threads, even on one core) against =0 (everything on one
    # thread), on articles that
    # mix styles, links, line breaks, a word wider than the column, characters only fallback
    # fonts have (symbols, Devanagari: faces loaded in the middle of the text), and hyphenated
    # English.
    paras = [l for l in open(SEED, encoding='utf-8').read().split('\n')[1:-1] if l]
    esc = lambda t: xml.sax.saxutils.escape(t)
    body = []
    for i, p in enumerate(paras * 4):
        t = esc(p)
        if i % 5 == 1:
            t = t.replace(' ', ' <em>', 1).replace(',', '</em>,', 1) if ',' in t else t
        if i % 7 == 2:
            t = f'<strong>{t[:40]}</strong>{t[40:]}' if '<' not in t[:40] and '&' not in t[:40] else t
        if i % 11 == 3:
            t += ' <a href="https://example.com/tin">đọc thêm</a><br/>còn nữa'
        if i % 13 == 4:
            t += ' ⊕ ∴ ☎ ✈ ♞ ⚓ नमस्ते दुनिया'
        if i == 30:
            t += ' ' + 'Siêudàikhôngthểngắtđượcnàyđâyrồiđó' * 3
        body.append(f'<p>{t}</p>')
    vi = write('helper-vi.xml', ARTICLE.format(head='Song song', body='\n'.join(body)))
    en_body = '\n'.join(f'<p>{esc(p)}</p>' for p in ENGLISH_PARAS * 12)
    en = write('helper-en.xml', ARTICLE.replace('xml:lang="vi"', 'xml:lang="en"').format(
        head='Parallel', body=en_body))
    css = write('helper-en.css', 'p { hyphens: auto; }\n')
    for art, extra in ((vi, []), (en, ['--stylesheet', css])):
        outs = []
        for helper in ('all', '0'):
            pdf = os.path.join(TMP, f'{os.path.basename(art)}.{helper}.pdf')
            env = dict(os.environ, TRANG_LAYOUT_HELPER=helper, TRANG_TIMINGS='1')
            p = subprocess.run([TRANG, 'render', art, '-o', pdf] + extra, capture_output=True,
                               text=True, env=env)
            expect(p.returncode == 0, f'{art}: exit {p.returncode}\n{p.stderr}')
            ahead = re.search(r'(\d+) paragraphs set ahead', p.stderr)
            if helper == 'all':  # the case must exercise the helper, or it proves nothing
                expect(ahead and int(ahead.group(1)) >= 10, f'{art}: the helper set no paragraphs:\n{p.stderr}')
                done = int(ahead.group(1))
            else:
                expect(not ahead, f'{art}: TRANG_LAYOUT_HELPER=0 still used the helper')
            messages = '\n'.join(l for l in p.stderr.splitlines() if not l.startswith('trang: '))
            outs.append((open(pdf, 'rb').read(), messages))
        expect(outs[0][0] == outs[1][0], f'{art}: the PDF differs with the layout helper')
        expect(outs[0][1] == outs[1][1], f'{art}: the messages differ with the layout helper:\n'
               f'{outs[0][1]}\n---\n{outs[1][1]}')
        pages = int(re.search(r'Pages:\s+(\d+)', run('pdfinfo', pdf).stdout).group(1))
        print(f'{os.path.basename(art)}: {pages} pages, {done} paragraphs set ahead, '
              f'{len(outs[0][1].splitlines())} message lines, identical with and without the helper')


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
    """Font expansion, on by default (auto), on the sample: Tz in 98..102 in 0.5% steps, the
    same words as with -trang-font-expansion: none, and justified lines that end exactly at
    their column's edge, never past."""
    plain = os.path.join(TMP, 'plain.pdf')
    run(TRANG, 'render', SAMPLE, '-o', plain, '--stylesheet',
        write('no-expansion.css', 'body { -trang-font-expansion: none; }\n'))
    pdf = os.path.join(TMP, 'expanded.pdf')
    p = run(TRANG, 'render', SAMPLE, '-o', pdf)
    expect('warning' not in p.stderr, p.stderr)
    expect(not tz_values(plain), 'the sample with -trang-font-expansion: none has Tz operators')
    tz = tz_values(pdf)
    expect(tz, 'no Tz operator with the default stylesheet')
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


def seed_sentences():
    """The seed's body text cut into sentences, and the sentences into clauses."""
    paras = [l for l in open(SEED, encoding='utf-8').read().split('\n')[1:-1] if l]
    sentences = [s for p in paras for s in re.split(r'(?<=[.:;])\s+', p) if s]
    clauses = [c for s in sentences for c in re.split(r'(?<=,)\s+', s) if len(c.split()) >= 3]
    return sentences, clauses


def widow_article():
    """Ninety paragraphs of one to nine sentences, some only a clause (one or two lines), some
    half a column long and one longer than a column: eight pages of three columns, most column
    breaks inside a paragraph. Returns the paragraphs' words (NFC) and the article's path."""
    sentences, clauses = seed_sentences()
    rng = random.Random(35)
    paras, s = [], 0
    for k in range(90):
        n = 18 if k == 45 else rng.choice([0, 0, 1, 1, 2, 2, 3, 4, 6, 9])
        if n == 0:
            text = clauses[rng.randrange(len(clauses))].rstrip(',.;:') + '.'
        else:
            text = ' '.join(sentences[(s + j) % len(sentences)] for j in range(n))
            s += n
        paras.append(unicodedata.normalize('NFC', text))
    body = '\n'.join(f'<p>{xml.sax.saxutils.escape(p)}</p>' for p in paras)
    path = write('widows.xml', ARTICLE.format(head='Góa phụ và mồ côi', body=body))
    return [p.split() for p in paras], path


def body_lines_in_order(pdf):
    """Every line of body text as (page, column, y, words), in reading order: page by page,
    column by column (each word's by its centre), top to bottom, y the foot of the line's word
    boxes from the top of the page. Body words are those of the commonest word-box height; a
    line is the body words of one column at one height."""
    html = run('pdftotext', '-bbox', pdf, '-').stdout
    ws = []
    for page, chunk in enumerate(html.split('<page ')[1:], start=1):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                             r'yMax="([\d.]+)">([^<]*)</word>', chunk):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            ws.append((page, x0, y0, x1, y1, unicodedata.normalize('NFC', html_lib.unescape(m.group(5)))))
    h = collections.Counter(round(w[4] - w[2], 1) for w in ws).most_common(1)[0][0]
    body = [w for w in ws if abs((w[4] - w[2]) - h) < 0.3]
    # Justified columns: the body's left edge is the first column's, its right edge the last's;
    # a third of that width each side of the gaps tells the columns apart.
    left, right = min(w[1] for w in body), max(w[3] for w in body)
    third = (right - left) / 3
    rows = collections.defaultdict(list)
    for w in body:
        col = min(2, int(((w[1] + w[3]) / 2 - left) // third))
        rows[(w[0], col, round(w[4] * 2) / 2)].append(w)
    return [(page, col, y, [w[5] for w in sorted(rows[page, col, y], key=lambda w: w[1])])
            for page, col, y in sorted(rows)]


def lines_of_paragraphs(paras, lines):
    """Assigns every line to its paragraph by walking the paragraphs' words in order: a line
    holds the next words of one paragraph, never the end of one and the start of the next.
    Returns, per paragraph, its lines' (page, column, y) in order; fails on any word lost, added
    or out of order."""
    where = [[] for _ in paras]
    p, w = 0, 0
    for n, (page, col, y, words) in enumerate(lines):
        if p < len(paras) and w == len(paras[p]):
            p, w = p + 1, 0
        expect(p < len(paras), f'page {page} column {col + 1}: a line after the last paragraph: {words}')
        want = paras[p][w:w + len(words)]
        expect(words == want, f'page {page} column {col + 1}, line {n + 1}: {" ".join(words)!r}, '
                              f'want paragraph {p + 1} from word {w + 1}: {" ".join(want)!r}')
        where[p].append((page, col, y))
        w += len(words)
    expect(p == len(paras) - 1 and w == len(paras[p]),
           f'text ends in paragraph {p + 1} at word {w} of {len(paras[min(p, len(paras) - 1)])}')
    return where


def pieces(place):
    """The runs of a paragraph's lines that share a column: [(page, column, lines), ...]."""
    out = []
    for page, col, _ in place:
        if out and out[-1][:2] == [page, col]:
            out[-1][2] += 1
        else:
            out.append([page, col, 1])
    return out


def check_breaks(name, paras, pdf, widows, orphans):
    """Every paragraph split over columns leaves at least `orphans` lines at the foot of the
    column it starts in and at least `widows` at the head of the column it ends in; one with
    fewer than widows + orphans lines is not split. Returns the split paragraphs' pieces, each
    paragraph's line count, the page count and the line counts of the paragraphs moved whole
    to the next column (those starting a column after one that ends a line or more short of
    the page's foot): such a move must have been forced, no legal split fitting the room."""
    lines = body_lines_in_order(pdf)
    where = lines_of_paragraphs(paras, lines)
    pages = lines[-1][0]
    pitch = collections.Counter(round(b[2] - a[2], 1) for a, b in zip(lines, lines[1:])
                                if a[:2] == b[:2]).most_common(1)[0][0]
    foot = collections.defaultdict(float)
    for page, _, y, _ in lines:
        foot[page] = max(foot[page], y)
    split, moved = [], []
    for k, place in enumerate(where):
        ps = pieces(place)
        if len(ps) == 1:
            if k > 0:
                (p0, c0, y0), (p1, c1, _) = where[k - 1][-1], place[0]
                room = int((foot[p0] - y0) / pitch + 0.01)  # whole lines free, at least
                if (p0, c0) != (p1, c1) and p0 < pages and room > 0:
                    n = len(place)
                    expect(min(room, n - widows) < orphans,
                           f'{name}: paragraph {k + 1} of {n} lines moved whole to page {p1} column '
                           f'{c1 + 1}, though {min(room, n - widows)} lines could stay in the {room} '
                           f'free at the foot of page {p0} column {c0 + 1}')
                    moved.append(n)
            continue
        for (p0, c0, _), (p1, c1, _) in zip(ps, ps[1:]):
            expect((p1, c1) in ((p0, c0 + 1), (p0 + 1, 0)),
                   f'{name}: paragraph {k + 1} jumps from page {p0} column {c0 + 1} to page {p1} column {c1 + 1}')
        desc = ' + '.join(f'{n} (p{p} c{c + 1})' for p, c, n in ps)
        expect(len(place) >= widows + orphans,
               f'{name}: paragraph {k + 1} of {len(place)} lines is split ({desc}); '
               f'with widows {widows} and orphans {orphans} it must move whole')
        expect(ps[0][2] >= orphans, f'{name}: paragraph {k + 1} leaves {ps[0][2]} line(s) at the foot '
                                    f'of page {ps[0][0]} column {ps[0][1] + 1} (orphans: {orphans}): {desc}')
        expect(ps[-1][2] >= widows, f'{name}: paragraph {k + 1} carries {ps[-1][2]} line(s) to the head '
                                    f'of page {ps[-1][0]} column {ps[-1][1] + 1} (widows: {widows}): {desc}')
        split.append(ps)
    return split, [len(place) for place in where], pages, moved


def widows_and_orphans_from_stylesheet():
    """One article under four stylesheets (p { widows: W; orphans: O }): each render keeps its
    own W and O at every column break, every word in order; W = O = 1 shows breaks the others
    forbid, so the article can reveal a violation."""
    paras, art = widow_article()
    results = {}
    for widows, orphans in ((3, 3), (4, 2), (2, 5), (1, 1)):
        name = f'widows {widows} orphans {orphans}'
        css = write(f'wo{widows}{orphans}.css', f'p {{ widows: {widows}; orphans: {orphans}; }}\n')
        pdf = os.path.join(TMP, f'wo{widows}{orphans}.pdf')
        p = run(TRANG, 'render', art, '-o', pdf, '--stylesheet', css)
        expect(p.stderr.strip() == '', f'{name}: unexpected messages: {p.stderr}')
        split, counts, pages, moved = check_breaks(name, paras, pdf, widows, orphans)
        expect(pages >= 4, f'{name}: only {pages} pages; the article should span several')
        expect(len(split) >= 3 * pages // 2, f'{name}: only {len(split)} paragraphs split over {pages} pages')
        results[widows, orphans] = split, counts, moved
        print(f'{name}: {pages} pages, {len(split)} split paragraphs checked '
              f'(lines per column {sorted(tuple(n for _, _, n in ps) for ps in split)}); '
              f'moved whole to the next column: paragraphs of {sorted(moved)} lines')
    short = [n for (w, o), r in results.items() for n in r[2] if n < w + o]
    expect(short, 'no paragraph shorter than widows + orphans met a column break: not tested')
    # Every render sets the same lines; only where the columns break differs.
    counts = {tuple(r[1]) for r in results.values()}
    expect(len(counts) == 1, 'paragraphs have different line counts in different renders')
    # The rule binds: with widows and orphans 1 some column break leaves fewer than three lines
    # on one side, which the stylesheets above forbid - so the article can show a violation.
    loose = [ps for ps in results[1, 1][0] if ps[0][2] < 3 or ps[-1][2] < 3]
    expect(loose, 'with widows and orphans 1 no break leaves fewer than 3 lines: the article proves nothing')
    breaks = {k: [tuple(n for _, _, n in ps) for ps in v[0]] for k, v in results.items()}
    expect(len({tuple(v) for v in breaks.values()}) == len(breaks),
           'two stylesheets with different widows and orphans break the columns alike')
    n = sum(len(v[0]) for k, v in results.items() if k != (1, 1))
    print(f'{n} split paragraphs keep their widows and orphans, {len(short)} too short to split '
          f'move whole; with both 1, {len(loose)} breaks leave fewer than 3 lines')



# --- issue 15, point 5: typography the page composer exposed ---------------------------------

def dump_texts(article, css, name, extra=()):
    """(x, y, w, font, size, colour, text) of every text item of --dump-layout, and the PDF."""
    pdf = os.path.join(TMP, name + '.pdf')
    p = run(TRANG, 'render', article, '-o', pdf, '-s', write(name + '.css', css), '--dump-layout', '-', *extra)
    items = []
    # A run under font expansion ends in " tzNNN" (on by default for justified text).
    for m in re.finditer(r'(?m)^\s*text (-?[\d.]+) (-?[\d.]+) w([\d.]+) (\S+) ([\d.]+) (\S+) "(.*)"(?: tz[\d.]+)?$', p.stdout):
        x, y, w, font, size, colour, text = m.groups()
        items.append((float(x), float(y), float(w), font, float(size), colour, text))
    return items, pdf, p


def first_line_small_caps_exact():
    """::first-line in all-small-caps (red, to tell the runs apart) covers exactly the first
    line: at several measures and sizes, the styled runs lie on one baseline, nothing else is on
    it in that column, and pdftotext gives that line as the paragraph's first words."""
    paras = [l for l in open(SEED, encoding='utf-8').read().split('\n')[1:-1] if l]
    source = paras[1].split()
    art = write('fl.xml', ARTICLE.format(head='Dòng đầu', body='\n'.join(
        f'<p>{xml.sax.saxutils.escape(p)}</p>' for p in paras[1:4])))
    checked = 0
    for cols in (2, 3, 4):
        for size, spacing in ((9.5, '0.03em'), (11, '0.05em'), (8.5, '0')):
            css = (f'body {{ column-count: {cols} }} p {{ font-size: {size}pt }}\n'
                   'body > p:first-of-type { text-indent: 0 }\n'
                   'body > p:first-of-type::first-line { font-variant-caps: all-small-caps; '
                   f'letter-spacing: {spacing}; color: cmyk(0, 1, 0, 0) }}\n')
            name = f'fl-{cols}-{size}'
            items, pdf, _ = dump_texts(art, css, name)
            red = [t for t in items if t[5] == 'cmyk(0,1,0,0)']
            expect(red, f'{name}: no styled run')
            ys = {t[1] for t in red}
            expect(len(ys) == 1, f'{name}: styled runs on {len(ys)} baselines: {sorted(ys)}')
            y = ys.pop()
            x0 = min(t[0] for t in red)
            x1 = max(t[0] + t[2] for t in red) + 2  # the column's right edge, or near it
            line = sorted((t for t in items if t[1] == y and x0 - 1 < t[0] < x1), key=lambda t: t[0])
            plain = [t for t in line if t[5] != 'cmyk(0,1,0,0)']
            expect(not plain, f'{name}: unstyled runs on the first line: {plain}')
            styled = ''.join(t[6] for t in line).split()
            expect(styled == source[:len(styled)], f'{name}: first line {styled} is not {source[:len(styled)]}')
            # The next line of the paragraph starts unstyled, with the next word.
            below = sorted((t for t in items if t[1] < y and abs(t[0] - x0) < 1), key=lambda t: -t[1])
            expect(below and below[0][5] != 'cmyk(0,1,0,0)' and below[0][6].split()[0] == source[len(styled)],
                   f'{name}: the second line starts {below[:1]}')
            # What a reader copies: pdftotext's words on that baseline in that column.
            page_h = 841.89
            got = [w[4] for w in sorted(words(pdf, 1), key=lambda w: w[0])
                   if w[1] <= page_h - y <= w[3] + 0.5 and x0 - 1 < w[0] < x1]
            expect(got == styled, f'{name}: pdftotext reads the first line as {got}, set {styled}')
            checked += 1
    print(f'{checked} settings: the styled text is exactly the first line, and copies as such')


def small_caps_vietnamese_letters():
    """Small capitals of letters Noto Serif has none for (ả ằ ặ ố ự) are synthesized: the page
    differs from lowercase, the text copies as the letters written (NFC), and NFD input gives
    the same pixels."""
    letters = 'ả ằ ặ ố ự đ của cơ'
    def render_png(text, css, name):
        art = write(name + '.xml', ARTICLE.format(head='Chữ', body=f'<p>{text}</p>'))
        pdf = os.path.join(TMP, name + '.pdf')
        run(TRANG, 'render', art, '-o', pdf, '-s', write(name + '.css', css))
        run('pdftoppm', '-r', '100', '-gray', '-f', '1', '-l', '1', pdf, os.path.join(TMP, name))
        png = [f for f in os.listdir(TMP) if f.startswith(name + '-') and f.endswith('.pgm')][0]
        return open(os.path.join(TMP, png), 'rb').read(), pdf
    caps = 'p { font-variant-caps: small-caps } headline { display: none }'
    lower = 'headline { display: none }'
    px_caps, pdf = render_png(letters, caps, 'sc')
    px_lower, _ = render_png(letters, lower, 'lc')
    expect(px_caps != px_lower, 'small caps look like lowercase')
    for w in letters.split():
        px_one, _ = render_png(w, caps, 'sc1')
        px_low1, _ = render_png(w, lower, 'lc1')
        expect(px_one != px_low1, f'{w}: small caps look like lowercase')
        for f in os.listdir(TMP):
            if f.startswith(('sc1-', 'lc1-')):
                os.remove(os.path.join(TMP, f))
    text = run('pdftotext', pdf, '-').stdout
    expect(unicodedata.normalize('NFC', letters) in text, f'copied text: {text!r}')
    px_nfd, _ = render_png(unicodedata.normalize('NFD', letters), caps, 'scd')
    expect(px_nfd == px_caps, 'NFD input renders other pixels than NFC')
    all_caps, pdf2 = render_png(letters, 'p { font-variant-caps: all-small-caps } headline { display: none }', 'asc')
    expect(letters in run('pdftotext', pdf2, '-').stdout, 'all-small-caps: copied text differs')
    print(f'"{letters}" in small caps: drawn unlike lowercase, copied as written, NFD = NFC')


def headline_balance():
    """text-wrap: balance (the default for headlines): wherever wrapping leaves one word alone
    on the headline's last line, balancing gives the same number of lines and no lone word."""
    head = 'Tiếng đờn ca tài tử bên dòng sông Hậu'
    art = write('hb.xml', ARTICLE.format(head=head, body='<p>Nội dung.</p>'))
    lone = 0
    for size in range(18, 44):
        lines = {}
        for mode in ('wrap', 'balance'):
            # Without the runt cost (on by default), so that wrapping leaves lone words to balance.
            css = (f'headline {{ font-size: {size}pt; line-height: {size + 4}pt; text-wrap: {mode}; '
                   '-trang-runt-cost: none }')
            items, _, _ = dump_texts(art, css, f'hb-{size}-{mode}')
            lines[mode] = [t for t in items if t[3] == 'NotoSerif-Bold' and t[4] == size]
        wrap, bal = lines['wrap'], lines['balance']
        expect(' '.join(t[6] for t in bal) == head, f'{size}pt: balanced headline reads {[t[6] for t in bal]}')
        expect(len(bal) == len(wrap), f'{size}pt: {len(wrap)} lines wrapped, {len(bal)} balanced')
        if len(wrap) > 1 and len(wrap[-1][6].split()) == 1:
            lone += 1
            expect(len(bal[-1][6].split()) > 1, f'{size}pt: balanced last line is one word: {bal[-1][6]!r}')
            widths = [t[2] for t in bal]
            expect(max(widths) - min(widths) < max(t[2] for t in wrap) - min(t[2] for t in wrap),
                   f'{size}pt: balanced widths {widths} no more even than {[t[2] for t in wrap]}')
    expect(lone >= 2, f'only {lone} sizes leave a lone word when wrapped: the case proves nothing')
    print(f'{lone} headline sizes left a word alone when wrapped; balanced, none does')


def short_box_one_column():
    """A box shorter than a column never splits (break-inside: avoid, the default for boxes):
    with 0..11 paragraphs before it, wherever the column ends, its background is one piece;
    with break-inside: auto some of the same layouts split it."""
    paras = [l for l in open(SEED, encoding='utf-8').read().split('\n')[1:-1] if l]
    box = ('<box><title>Ghi chú</title><p>Một hộp bên lề ngắn, vài dòng thôi, để xem nó có bị '
           'cắt ngang giữa hai cột hay không khi cột đã gần đầy.</p></box>')
    css = 'box { background-color: cmyk(0, 0, 0.2, 0); padding: 4pt }\n'
    split = {'avoid': 0, 'auto': 0}
    for n in range(0, 12):
        short = [p[:200 + 37 * n] for p in paras]
        body = '\n'.join(f'<p>{xml.sax.saxutils.escape(p)}</p>' for p in short[:3 + n % 4]) + box + \
            '\n'.join(f'<p>{xml.sax.saxutils.escape(p)}</p>' for p in paras)
        art = write(f'box{n}.xml', ARTICLE.format(head='Hộp', body=body))
        for mode in ('avoid', 'auto'):
            extra = '' if mode == 'avoid' else 'box { break-inside: auto }'
            _, _, p = dump_texts(art, css + extra, f'box{n}-{mode}')
            fills = re.findall(r'(?m)^\s*fill .* cmyk\(0,0,0.2,0\)$', p.stdout)
            expect(fills, f'box{n}: no box drawn')
            split[mode] += len(fills) > 1
    expect(split['avoid'] == 0, f'{split["avoid"]} short boxes split across columns')
    expect(split['auto'] > 0, 'no layout splits the box even with break-inside: auto: the case proves nothing')
    print(f'break-inside: auto splits {split["auto"]} of 12 layouts; the default splits none')



def drop_cap_stays_in_its_column():
    """A three-line drop cap in ever narrower columns: the letter and the lines beside it end
    before the column rule; where the column is too narrow the letter is made two lines tall,
    then left out, each time with a warning."""
    seen = collections.Counter()
    for cols in range(3, 11):
        css = (f'body {{ column-count: {cols}; column-rule: 0.5pt solid black }}\n'
               'body > p:first-of-type::first-letter { initial-letter: 3; font-weight: bold }\n'
               'body > p:first-of-type { text-indent: 0 }\n')
        items, _, p = dump_texts(SAMPLE, css, f'dc{cols}')
        rules = sorted(float(m.group(1)) for m in re.finditer(r'(?m)^\s*rule ([\d.]+) [\d.]+ \1 [\d.]+ w0.5$', p.stdout.split('page 2')[0]))
        expect(rules, f'{cols} columns: no column rule')
        edge = rules[0]
        caps = [t for t in items if t[3] == 'NotoSerif-Bold' and t[6] == 'T' and t[4] > 15]
        if 'drop cap left out' in p.stderr:
            expect(not caps, f'{cols} columns: warned, yet the letter is there')
            seen['left out'] += 1
            continue
        expect(len(caps) == 1, f'{cols} columns: no drop cap and no warning:\n{p.stderr}')
        cx, cy, cw, _, csize, _, _ = caps[0]
        expect(cx + cw < edge, f'{cols} columns: the letter reaches {cx + cw}, the rule is at {edge}')
        beside = [t for t in items if t[4] < 12 and cx < t[0] < edge and cy - 1 < t[1] < cy + 40]
        expect(beside, f'{cols} columns: no text beside the letter')
        for t in beside:
            expect(t[0] + t[2] < edge, f'{cols} columns: "{t[6]}" ends at {t[0] + t[2]}, the rule is at {edge}')
        reduced = 'reduced to 2 lines' in p.stderr
        seen['reduced' if reduced else 'full'] += 1
        expect(reduced == (csize < 35), f'{cols} columns: letter of {csize}pt, warning: {p.stderr!r}')
    expect(all(seen[k] for k in ('full', 'reduced', 'left out')), f'cases met: {dict(seen)}')
    print(f'drop caps by column count: {dict(seen)}; none reaches the rule')



def newsletter_drop_caps_beside_their_lines():
    """In the sample newsletter every drop cap stands beside the first lines of its paragraph,
    in the same column: its top no higher than the first line's, and no other text (a caption
    above it) in its box. A paragraph that starts in the last two lines of a column gets a
    two-line letter there (with a warning) instead of a letter that parts from its lines."""
    issue = os.path.join(SRC, 'samples', 'newsletter', 'issue.xml')
    css = os.path.join(SRC, 'stylesheets', 'newsletter.css')
    p = run(TRANG, 'render', issue, '-s', css, '-o', os.path.join(TMP, 'nl.pdf'), '--dump-layout', '-')
    pages = p.stdout.split('\npage ')
    caps = 0
    for pg in pages:
        items = [(float(x), float(y), float(w), f, float(sz), t) for x, y, w, f, sz, t in re.findall(
            r'(?m)^\s*text (-?[\d.]+) (-?[\d.]+) w([\d.]+) (\S+) ([\d.]+) \S+ "(.*)"(?: tz[\d.]+)?$', pg)]
        for cx, cy, cw, font, size, text in items:
            if len(text) != 1 or size < 20:
                continue
            caps += 1
            top = cy + 0.72 * size
            beside = [t for t in items if cx + cw < t[0] < cx + cw + 30 and cy - 0.5 <= t[1] <= top]
            expect(beside, f'drop cap {text!r} at ({cx}, {cy}): no line beside it')
            first = max(t[1] for t in beside)
            expect(top <= first + 0.8 * max(t[4] for t in beside) + 0.5,
                   f'drop cap {text!r} at ({cx}, {cy}) reaches {top:.1f}, above its first line at {first}')
            over = [t for t in items if t[4] < 20 and t[0] < cx + cw and t[0] + t[2] > cx and cy < t[1] < top]
            expect(not over, f'drop cap {text!r} at ({cx}, {cy}) is drawn over {over}')
    expect(caps >= 8, f'{caps} drop caps in the newsletter')
    print(f'{caps} drop caps, each beside its first lines; warnings: {p.stderr.strip()!r}')



def runt_avoided():
    """A paragraph of the seed that total fit alone ends with one syllable on its last line
    ("sinh."): with the runt cost (on by default) its last line holds several words and a fifth
    of the column or more, every other line still fills the column exactly, and no word is lost."""
    para = [l for l in open(SEED, encoding='utf-8').read().split('\n') if l.endswith('mới phát sinh.')][0]
    art = write('runt.xml', ARTICLE.format(head='Dòng cuối', body=f'<p>{xml.sax.saxutils.escape(para)}</p>'))
    lines = {}
    for name, css in (('allowed', 'p { -trang-runt-cost: none }'), ('default', '')):
        items, _, _ = dump_texts(art, css, f'runt-{name}')
        lines[name] = [t for t in items if t[3] == 'NotoSerif-Regular']
        expect(' '.join(t[6] for t in lines[name]).split() == para.split(),
               f'{name}: the paragraph reads {[t[6] for t in lines[name]]}')
    allowed, default = lines['allowed'], lines['default']
    column = max(t[2] for t in default)
    expect(len(allowed[-1][6].split()) == 1, f'the case proves nothing: its last line is {allowed[-1][6]!r}')
    last = default[-1]
    expect(len(last[6].split()) > 1 and last[2] >= 0.2 * column,
           f'last line {last[6]!r}, {last[2]:.1f}pt of {column:.1f}pt: a runt')
    for t in default[:-1]:  # the first paragraph of the body is not indented
        expect(abs(t[2] - column) < 0.05, f'line {t[6]!r} is {t[2]}pt wide, not the column\'s {column}pt')
    print(f'last line {allowed[-1][6]!r} without the runt cost, {last[6]!r} ({last[2]:.0f} of '
          f'{column:.0f}pt) with it; {len(default)} lines')


def stack_avoided():
    """A paragraph of the sample newsletter that total fit alone, in a 56 mm column, sets with
    two lines in a row ending in "khách" (a stack): with the stack cost (on by default) no two
    lines in a row start or end with the same word, the lines still fill the column, and the
    words are the same."""
    src = open(os.path.join(SRC, 'samples', 'newsletter', 'articles', 'don-ca-tai-tu.xml'),
               encoding='utf-8').read()
    para = re.search(r'<p>(Từ đầu năm, câu lạc bộ phối hợp[^<]*)</p>', src).group(1)
    art = write('stack.xml', ARTICLE.format(head='Cột', body=f'<p>{para}</p>'))
    page = '@page { size: 66mm 400mm; margin: 5mm } body { column-count: 1 }\n'

    def stacks(lines):
        words = [t[6].lower().split() for t in lines]
        return ([(a[0], 'start') for a, b in zip(words, words[1:]) if a[0] == b[0]] +
                [(a[-1], 'end') for a, b in zip(words[:-1], words[1:-1]) if a[-1] == b[-1]])
    lines = {}
    for name, css in (('allowed', page + 'p { -trang-stack-cost: none }'), ('default', page)):
        items, _, _ = dump_texts(art, css, f'stack-{name}')
        lines[name] = [t for t in items if t[3] == 'NotoSerif-Regular']
        expect(' '.join(t[6] for t in lines[name]).split() == para.split(),
               f'{name}: the paragraph reads {[t[6] for t in lines[name]]}')
    expect(stacks(lines['allowed']), 'the case proves nothing: no stack without the cost')
    expect(not stacks(lines['default']), f'stacks with the cost: {stacks(lines["default"])}')
    column = max(t[2] for t in lines['default'])
    for t in lines['default'][1:-1]:  # the first line is indented
        expect(abs(t[2] - column) < 0.05, f'line {t[6]!r} is {t[2]}pt wide, not the column\'s {column}pt')
    print(f'stack {stacks(lines["allowed"])} without the cost; none with it, '
          f'{len(lines["default"])} lines')

if __name__ == '__main__':
    try:
        globals()[sys.argv[1]]()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print('ok')
