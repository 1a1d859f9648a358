#!/usr/bin/env python3
"""End-to-end checks of publications and NITF input (issue 8): python3 test_newsletter.py CASE.

Renders samples/newsletter/issue.xml and reads it back with pdftotext the way a reader does:
every article's text once, jump lines that point at the page where the article continues
under its continuation head, folios in order, contents page numbers where each article starts.
"""
import os, re, shutil, subprocess, sys, tempfile
import xml.etree.ElementTree as ET
from harness import expect, fail, standin_picture, write_jpeg

TRANG = os.environ.get('TRANG', 'trang')
SRC = os.environ.get('TRANG_SOURCE_DIR', os.path.join(os.path.dirname(__file__), '..', '..'))
ISSUE = os.path.join(SRC, 'samples', 'newsletter', 'issue.xml')
CSS = os.path.join(SRC, 'stylesheets', 'newsletter.css')
TMP = tempfile.mkdtemp(prefix='trang-newsletter-')


def run(*args, ok=True):
    p = subprocess.run(args, capture_output=True, text=True)
    if ok and p.returncode != 0:
        fail(f'{" ".join(args)} exited {p.returncode}:\n{p.stderr}')
    return p


def norm(s):
    return ' '.join(s.split())


def render_issue():
    out = os.path.join(TMP, 'newsletter.pdf')
    run(TRANG, 'render', ISSUE, '-o', out, '--stylesheet', CSS)
    return out


def page_texts(pdf):
    n = int(re.search(r'Pages:\s+(\d+)', run('pdfinfo', pdf).stdout).group(1))
    return [norm(run('pdftotext', '-f', str(i), '-l', str(i), pdf, '-').stdout) for i in range(1, n + 1)]


def articles():
    """(file, headline, [paragraph texts]) for each article of the issue, in order."""
    root = ET.parse(ISSUE).getroot()
    out = []
    for a in root.findall('article'):
        path = os.path.join(os.path.dirname(ISSUE), a.get('src'))
        doc = ET.parse(path).getroot()
        if doc.tag == 'nitf':
            head = norm(''.join(doc.find('body/body.head/hedline/hl1').itertext()))
            paras = [norm(''.join(p.itertext())) for p in doc.iter('p')]
        else:
            head = norm(''.join(doc.find('headline').itertext()))
            paras = [norm(''.join(p.itertext())) for p in doc.iter('p')]
        out.append((a.get('src'), head, [p for p in paras if p]))
    return out


def newsletter_text_once():
    pages = page_texts(render_issue())
    expect(len(pages) == 8, f'the sample issue has {len(pages)} pages, not 8')
    # Paragraphs may break across columns and pages (with running heads between): check the
    # first and last eight words of every paragraph, each exactly once in the whole issue.
    # NITF <q> prints with quotation marks the source does not spell out: compare without them.
    unq = lambda s: s.replace('\u201c', '').replace('\u201d', '')
    text = unq(' '.join(pages))
    checked = 0
    for src, head, paras in articles():
        expect(paras, f'{src}: no paragraphs read')
        for k, p in enumerate(paras):
            w = p.split()
            # A body's first letter is a drop cap, extracted apart from its word: openings
            # are checked from the second word.
            start = 1
            for chunk in {' '.join(w[start:start + 8]), ' '.join(w[-8:])}:
                n = text.count(unq(chunk))
                expect(n == 1, f'{src}: "{chunk}" appears {n} times (expected once)')
                checked += 1
        words = sum(len(p.split()) for p in paras)
        print(f'{src}: {len(paras)} paragraphs, {words} words present once')
    print(f'{checked} paragraph openings and endings found exactly once')


def jumps_point_at_continuations():
    pages = page_texts(render_issue())
    heads = {norm(h): src for src, h, _ in articles()}
    jumps = 0
    for i, t in enumerate(pages, 1):
        for m in re.finditer(r'\(Tiếp theo trang (\d+)\)', t):
            to = int(m.group(1))
            jumps += 1
            expect(to > i and to <= len(pages), f'page {i}: jump to page {to}')
            expect(f'(Tiếp theo từ trang {i})' in pages[to - 1],
                   f'page {to} has no "(Tiếp theo từ trang {i})" for the jump on page {i}')
            # The continuation head (the article's headline) sits right above the jump-from line.
            before = pages[to - 1].split(f'(Tiếp theo từ trang {i})')[0].strip()
            expect(any(before.endswith(h) for h in heads),
                   f'page {to}: no continuation head before "(Tiếp theo từ trang {i})": '
                   f'...{before[-120:]}')
    expect(jumps >= 2, f'only {jumps} jump lines in the sample issue')
    print(f'{jumps} jump lines, each matched by its continuation head and back-reference')


def folios_in_order():
    pages = page_texts(render_issue())
    for i, t in enumerate(pages, 1):
        expect(re.search(rf'(^| ){i} ?/ ?{len(pages)}( |$)', t), f'page {i}: no folio "{i} / {len(pages)}"')
    expect('Bản tin Ninh Kiều' in pages[0] and 'Số 47' in pages[0], 'no masthead on page 1')
    print(f'folios 1..{len(pages)} in order; masthead on page 1')


def contents_match_starts():
    pages = page_texts(render_issue())
    entries = re.findall(r'Trang (\d+) · (.+?)(?= Trang \d+ · |$| \d+ ?/ ?\d+)', pages[0].split('TRONG SỐ NÀY', 1)[1])
    arts = articles()
    expect(len(entries) == len(arts), f'contents lists {len(entries)} entries for {len(arts)} articles: {entries}')
    for (pg, title), (src, head, paras) in zip(entries, arts):
        pg = int(pg)
        expect(title.startswith(head[:40]), f'contents entry "{title}" is not "{head}"')
        expect(head in pages[pg - 1], f'{src}: headline not on page {pg} as the contents say')
        first = ' '.join(paras[0].split()[1:7])
        expect(first in pages[pg - 1], f'{src}: its text does not start on page {pg}')
        expect(all(head not in pages[k] for k in range(1 if pg > 1 else 0, pg - 1)),
               f'{src}: headline appears before page {pg}')
    print('contents: ' + ', '.join(f'{t[:24]}… p.{p}' for p, t in entries))


def nitf_renders():
    out = os.path.join(TMP, 'story.pdf')
    story = os.path.join(SRC, 'samples', 'newsletter', 'articles', 'cho-noi.nitf.xml')
    run(TRANG, 'render', story, '-o', out)
    t = norm(run('pdftotext', out, '-').stdout)
    expect('Chợ nổi Cái Răng nhộn nhịp đón khách dịp cuối năm' in t, f'no NITF headline: {t[:200]}')
    expect('Ghe xuồng chở đầy trái cây' in t, 'no hl2 subheadline')
    expect('Hủ tiếu trên ghe, cà phê trên sóng' in t, 'no hl2 subhead')
    expect('Ghe xuồng neo kín mặt sông ở chợ nổi lúc bình minh' in t, 'no media caption')
    expect('rẻ hơn nhiều nếu đi theo nhóm' in t, 'no last paragraph')
    imgs = run('pdfimages', '-list', out).stdout.strip().splitlines()
    expect(len(imgs) >= 3, 'the NITF media was not placed as a picture')
    # Unknown elements keep their text and warn.
    p = run(TRANG, 'render', os.path.join(SRC, 'tests', 'data', 'nitf', 'unknown-elements.nitf.xml'),
            '-o', os.path.join(TMP, 'u.pdf'))
    expect('warning: NITF element <widget>' in p.stderr, f'no warning for <widget>: {p.stderr}')
    t = norm(run('pdftotext', os.path.join(TMP, 'u.pdf'), '-').stdout)
    expect('Khối không quen biết' in t and 'chữ lạ' in t, f'unknown elements lost their text: {t}')
    print('NITF story renders with headline, subheads, caption and body; unknown elements kept')


def missing_article_is_an_error():
    d = os.path.join(TMP, 'pub')
    os.makedirs(d)
    with open(os.path.join(d, 'issue.xml'), 'w', encoding='utf-8') as f:
        f.write('<publication>\n  <title>T</title>\n  <article src="khong-co.xml"/>\n</publication>\n')
    out = os.path.join(d, 'out.pdf')
    p = run(TRANG, 'render', os.path.join(d, 'issue.xml'), '-o', out, ok=False)
    expect(p.returncode == 1, f'exit {p.returncode}, expected 1')
    expect(re.search(r'issue\.xml:3:3: error: article file .khong-co\.xml. not found', p.stderr),
           f'no file:line:col error: {p.stderr}')
    expect(not os.path.exists(out), 'a PDF was written for a broken publication')
    print(p.stderr.strip().splitlines()[0])


def newsletter_white():
    """The sample issue as a make-up editor would send it: --dump-layout reports each page's
    modules and white space, and no page but the last is more than 15% white."""
    out = os.path.join(TMP, 'white.pdf')
    dump = run(TRANG, 'render', ISSUE, '-o', out, '--stylesheet', CSS, '--dump-layout', '-').stdout
    pages = dump.split('\npage ')
    whites = [float(w) for w in re.findall(r'^  white ([\d.]+)%$', dump, re.M)]
    expect(len(whites) == len(pages), f'{len(whites)} white figures for {len(pages)} pages')
    expect(all('  module ' in p for p in pages), 'a page without modules')
    for i, w in enumerate(whites[:-1]):
        expect(w <= 15, f'page {i + 1} is {w}% white (more than 15%)')
    print('white per page: ' + ' '.join(f'{w:g}%' for w in whites))


def min_lines_from_stylesheet():
    """-trang-min-lines: the squeezed lead of the modules case grows to hold its head and six
    lines a column instead of three, and says so naming the publication's line."""
    d = os.path.join(SRC, 'tests', 'data', 'layout')
    css = os.path.join(TMP, 'min-lines.css')
    with open(os.path.join(d, 'span-figure', 'span.css'), encoding='utf-8') as f, \
            open(css, 'w', encoding='utf-8') as out:
        out.write(f.read() + '\narticle { -trang-min-lines: 6; }\n')
    def lead_depth(*extra):
        p = run(TRANG, 'render', os.path.join(d, 'modules', 'issue.xml'), '-o',
                os.path.join(TMP, 'ml.pdf'), '--stylesheet', *extra, '--dump-layout', '-')
        m = re.search(r'  module lead\.xml columns \S+ \S+ \S+ \S+ (\S+)', p.stdout)
        return float(m.group(1)), p.stderr
    three, _ = lead_depth(os.path.join(d, 'span-figure', 'span.css'))
    six, err = lead_depth(css)
    expect('issue.xml:8:3: warning: the area is too small for the headline and 6 lines' in err,
           f'no warning naming six lines:\n{err}')
    expect(six > three + 20, f'the lead is {six:.1f}pt deep with six lines, {three:.1f}pt with three')
    print(f'lead module {three:.1f}pt deep with 3 lines a column, {six:.1f}pt with 6')


def golden_dump(case, extra_css='', expected=None):
    """Renders tests/data/layout/CASE/issue.xml with span.css (and `extra_css` after it) and
    compares --dump-layout with CASE.expected (or `expected`): a change in composition shows as
    a readable diff. Returns the dump."""
    d = os.path.join(SRC, 'tests', 'data', 'layout')
    css = os.path.join(d, 'span-figure', 'span.css')
    if extra_css:
        css_path = os.path.join(TMP, case + '-extra.css')
        with open(css_path, 'w', encoding='utf-8') as f:
            f.write(open(css, encoding='utf-8').read() + extra_css)
        css = css_path
    p = run(TRANG, 'render', os.path.join(d, case, 'issue.xml'), '-o',
            os.path.join(TMP, case + '.pdf'), '--stylesheet', css, '--dump-layout', '-')
    with open(os.path.join(d, expected or case + '.expected'), encoding='utf-8') as f:
        want = f.read()
    if p.stdout != want:
        import difflib
        fail(f'layout dump differs from {case}.expected:\n' + ''.join(
            difflib.unified_diff(want.splitlines(True), p.stdout.splitlines(True), 'expected', 'got')))
    return want, p.stderr


def span_figure_dump():
    want, _ = golden_dump('span-figure')
    # What the golden file shows: the picture across two of three columns at the top, its
    # caption under it, text beside it in the third column and under it in the first.
    img = re.search(r'image \S+ (\S+) (\S+) (\S+) (\S+)', want)
    x, y, w, h = map(float, img.groups())
    beside = [l for l in want.splitlines() if l.lstrip().startswith('text ') and float(l.split()[1]) >= x + w
              and float(l.split()[2]) > y]
    under = [l for l in want.splitlines() if l.lstrip().startswith('text ') and 'NotoSerif-Regular' in l
             and float(l.split()[1]) < x + w and float(l.split()[2]) < y]
    expect(beside and under, 'text does not flow both beside and under the spanning figure')
    print(f'span figure {w:.0f}x{h:.0f}pt: {len(beside)} lines beside, {len(under)} under')


def plain_defaults_dump():
    """A stylesheet that turns off the defaults of issue 20 (font expansion, runt and stack
    costs) sets exactly what trang set before them: span-figure.plain.expected is the golden
    dump of span-figure made before they existed, every glyph run in the same place."""
    golden_dump('span-figure', 'article, publication { -trang-font-expansion: none; '
                '-trang-runt-cost: none; -trang-stack-cost: none; }\n', 'span-figure.plain.expected')
    print('span-figure with the new defaults off: the same dump as before them')


def modules_dump():
    want, err = golden_dump('modules')
    # What the golden file shows: the squeezed lead grown (with a warning naming the
    # publication's line) and cut, the brief beside the longer story on page 1, the new-page
    # story on page 2 with the lead's continuation beside it.
    expect('issue.xml:8:3: warning: the area is too small' in err, f'no warning for the squeezed lead:\n{err}')
    pages = want.split('\npage ')
    mods = [re.findall(r'  module (\S+)( \(continued\))? columns (\d+)-(\d+)', p) for p in pages]
    expect([m[0] for m in mods[0]] == ['lead.xml', 'brief.xml', 'story.xml'], f'page 1 modules: {mods[0]}')
    expect([(m[0], bool(m[1])) for m in mods[1]] == [('next.xml', False), ('lead.xml', True)],
           f'page 2 modules: {mods[1]}')
    expect(mods[0][1][2:] == ('1', '1') and mods[0][2][2:] == ('2', '3'), 'the brief is not beside the story')
    print('modules: ' + '; '.join(f'page {i + 1}: ' + ', '.join(m[0] + m[1] for m in ms) for i, ms in enumerate(mods)))


WIRE = os.path.join(SRC, 'tests', 'data', 'nitf')


def lines_of(pdf):
    return [norm(l) for l in run('pdftotext', pdf, '-').stdout.splitlines() if l.strip()]


def wire_nitf_renders():
    """Wire NITF as it comes (issue 15): a DOCTYPE, a picture by URL or id, a byline title, an
    ISO dateline, an editors' note and a table, in AP-style English, EFE-style Spanish and
    NTB-style Norwegian stories."""
    ap = os.path.join(WIRE, 'ap-winter-storm.nitf.xml')
    out = os.path.join(TMP, 'ap.pdf')
    p = run(TRANG, 'render', ap, '-o', out)
    err = p.stderr
    expect(re.search(r'ap-winter-storm\.nitf\.xml:32:9: warning: picture '
                     r"'https://photos\.example-wire\.org/storm/0102-plow\.jpg' is a URL", err),
           f'no positioned warning for the picture by URL:\n{err}')
    expect(re.search(r'ap-winter-storm\.nitf\.xml:25:7: warning: NITF <note> in <body\.head>', err),
           f'no positioned warning for the note:\n{err}')
    lines = lines_of(out)
    text = ' '.join(lines)
    for want in ('Winter storm snarls holiday travel across Midwest',
                 'Thousands of flights canceled as snow and ice sweep the Plains',
                 "Eds: Updates with governor's emergency declaration.",
                 'KANSAS CITY, Mo. (AP) January 2, 2017',
                 'A snowplow clears Interstate 70 near Kansas City, Mo., on Monday.',
                 'Forecasters expected the storm to move into the Ohio Valley'):
        expect(want in text, f'"{want}" not in the PDF\'s text: {text[:600]}')
    expect('20170102T222800' not in text, 'the ISO stamp printed raw')
    expect('By Margaret Stafford' in lines and 'AP Writer' in lines,
           f'the byline title is not on a line of its own: {[l for l in lines if "Stafford" in l]}')
    # The picture's placeholder is labelled with its alt text: drawn text, no image.
    expect(text.count('A snowplow clears Interstate 70 near Kansas City') == 2,
           'the placeholder is not labelled with the alt text (once there, once in the caption)')
    expect(len(run('pdfimages', '-list', out).stdout.strip().splitlines()) == 2,
           'a picture by URL was embedded (it must never be fetched)')
    # The table: every cell, in row order (the footer last, as printed), and each row on one
    # line of the page.
    cells = ['Flights canceled Monday', 'Airport', 'Canceled', 'Delayed', 'Kansas City', '312', '140',
             'St. Louis', '208', '95', 'Omaha', '87', '41', 'Source: FlightAware, 6 p.m. CST']
    at, pos = 0, []
    for c in cells:
        k = text.find(c, at)
        expect(k >= 0, f'table cell "{c}" missing or out of row order in: {text[at:at + 300]}')
        pos.append(k)
        at = k + len(c)
    expect('·' not in text, 'the table was flattened into "a · b · c" paragraphs')
    grid = run('pdftotext', '-layout', out, '-').stdout
    for row in (('Airport', 'Canceled', 'Delayed'), ('Kansas City', '312', '140'), ('Omaha', '87', '41')):
        expect(re.search(r'\s+'.join(map(re.escape, row)), grid), f'row {row} is not one line of the table')

    efe = os.path.join(WIRE, 'efe-elecciones.nitf.xml')
    out2 = os.path.join(TMP, 'efe.pdf')
    p = run(TRANG, 'render', efe, '-o', out2)
    expect(re.search(r"efe-elecciones\.nitf\.xml:26:9: warning: picture 'efe-foto-20171217-0042-1' "
                     r'referenced by id', p.stderr), f'no positioned warning for the id:\n{p.stderr}')
    lines = lines_of(out2)
    text = ' '.join(lines)
    for want in ('Chile elige presidente en una segunda vuelta reñida',
                 'Santiago de Chile, 17 de diciembre de 2017 (EFE)',
                 'Votantes hacen fila ante un colegio electoral de Santiago.'):
        expect(want in text, f'"{want}" not in the PDF\'s text: {text[:600]}')
    expect('Por Manuel Fuentes' in lines and 'corresponsal de EFE' in lines,
           f'the byline title is not on a line of its own: {[l for l in lines if "Fuentes" in l]}')
    # The placeholder names the picture by its caption (no alternate-text): twice in the text.
    expect(text.count('Votantes hacen fila') == 2, 'the placeholder does not show the caption')
    # NTB (Norwegian): a PUBLIC DOCTYPE, a norm-only story.date, a table whose header is a
    # first row of th cells (no thead).
    ntb = os.path.join(WIRE, 'ntb-stortingsvalg.nitf.xml')
    out3 = os.path.join(TMP, 'ntb.pdf')
    run(TRANG, 'render', ntb, '-o', out3)
    lines = lines_of(out3)
    text = ' '.join(lines)
    expect('Oslo (NTB) 11. september 2017' in text, f'no Norwegian date: {text[:300]}')
    expect('Av Kari Nordmann' in lines and 'NTB' in lines, 'the NTB byline title is not on its own line')
    grid = run('pdftotext', '-layout', out3, '-').stdout
    for row in (('Parti', 'Mandater', 'Endring'), ('Arbeiderpartiet', '49', '−6'), ('Høyre', '45', '−3')):
        expect(re.search(r'\s+'.join(map(re.escape, row)), grid), f'row {row} is not one line of the table')
    print('AP, EFE and NTB wire stories render: dates, byline titles, note, tables, pictures as placeholders')


def table_article(rows, css=None, extra=''):
    """A native article with a table of `rows` body rows in a folder of its own."""
    d = tempfile.mkdtemp(dir=TMP)
    body = ''.join(f'<tr><td>Tỉnh {i:03d}</td><td>{i * 37 % 1000}</td><td>{i * 13 % 97},{i % 10}%</td></tr>\n'
                   for i in range(1, rows + 1))
    with open(os.path.join(d, 'a.xml'), 'w', encoding='utf-8') as f:
        f.write('<article xml:lang="vi"><headline>Bảng số liệu</headline><body>\n'
                + '<p>' + 'Đoạn mở đầu. ' * 30 + '</p>\n'
                + '<table>\n<caption>Sản lượng lúa theo tỉnh</caption>\n'
                '<thead><tr><th>Tỉnh</th><th>Tấn</th><th>Tăng</th></tr></thead>\n'
                f'<tbody>\n{body}</tbody></table>\n{extra}<p>Đoạn kết thúc bài.</p></body></article>\n')
    args = [TRANG, 'render', os.path.join(d, 'a.xml'), '-o', os.path.join(d, 'a.pdf')]
    if css:
        with open(os.path.join(d, 's.css'), 'w', encoding='utf-8') as f:
            f.write(css)
        args += ['--stylesheet', os.path.join(d, 's.css')]
    return d, args


def dump_texts(dump):
    """(page, x, y, text) of every text line of a --dump-layout."""
    out, page = [], 0
    for line in dump.splitlines():
        if line.startswith('page'):
            page += 1
        m = re.match(r'\s+text (\S+) (\S+) \S+ \S+ \S+ \S+ "(.*)"( tz\S+)?$', line)
        if m:
            out.append((page, float(m.group(1)), float(m.group(2)), m.group(3)))
    return out


def table_splits_between_rows():
    """A table taller than a column breaks between rows, its header row repeated at the top of
    each column it continues in; a short one that does not fit the rest of a column moves whole
    to the next."""
    d, args = table_article(120)
    p = run(*args, '--dump-layout', '-')
    items = dump_texts(p.stdout)
    heads = [(pg, x, y) for pg, x, y, t in items if t == 'Tỉnh']
    expect(len(heads) >= 3, f'the header row is printed {len(heads)} times; a 120-row table spans columns')
    rows = [(pg, x, y, t) for pg, x, y, t in items if re.fullmatch(r'Tỉnh \d{3}', t)]
    names = [t for _, _, _, t in rows]
    expect(names == [f'Tỉnh {i:03d}' for i in range(1, 121)], 'rows missing, repeated or out of order')
    # Each column's piece starts with the header: no row above it in that column.
    for pg, x, y in heads:
        above = [r for r in rows if r[0] == pg and abs(r[1] - x) < 1 and r[2] > y]
        expect(not above, f'rows above a repeated header on page {pg} at x={x}')
    expect(sum(1 for *_, t in items if t == 'Sản lượng lúa theo tỉnh') == 1, 'the caption repeats')
    # Text in content order (pdftotext -raw: the order a reader's copy follows): each row on a
    # line of its own, cells in order, rows in order. (pdftotext's default mode guesses a
    # reading order and reads a tall table's columns one after the other.)
    lines = [norm(l) for l in run('pdftotext', '-raw', os.path.join(d, 'a.pdf'), '-').stdout.splitlines()]
    got = [l for l in lines if re.match(r'Tỉnh \d{3} ', l)]
    want = [f'Tỉnh {i:03d} {i * 37 % 1000} {i * 13 % 97},{i % 10}%' for i in range(1, 121)]
    expect(got == want, f'rows not in row order: {[g for g, w in zip(got, want) if g != w][:3]}')
    # Short: 6 rows after a long opening paragraph: in one column, never split.
    d2, args2 = table_article(6)
    items2 = dump_texts(run(*args2, '--dump-layout', '-').stdout)
    cols = {(pg, round(x)) for pg, x, y, t in items2 if t == 'Tỉnh' or re.fullmatch(r'Tỉnh \d{3}', t)}
    expect(len(cols) == 1, f'a 6-row table was split over {sorted(cols)}')
    # Asked to span the columns, a table taller than the page is still split in one column.
    d3, args3 = table_article(120, 'table { column-span: all }\n')
    p3 = run(*args3, '--dump-layout', '-')
    expect(re.search(r'a\.xml:\d+:\d+: warning: the table is taller than the page.s columns: it is set in one column',
                     p3.stderr), f'no warning for a spanning table too tall to span:\n{p3.stderr}')
    heads3 = [t for *_, t in dump_texts(p3.stdout) if t == 'Tỉnh']
    expect(len(heads3) == len(heads), 'the too-tall spanning table is not split like the plain one')
    print(f'120 rows in order over {len(heads)} column pieces, each under its header; 6 rows kept whole')


def table_styles_and_warnings():
    """The stylesheet styles th, td, caption and the table (column-span: all sets it across the
    columns); what does not apply says so, once."""
    css = ('td { padding: 3pt; border-bottom: 1pt solid cmyk(0, 0, 0, 1); margin-left: 5pt }\n'
           'th { text-align: right; background-color: cmyk(0, 0, 0, 0.2) }\n'
           'table { column-span: all; border-top: 2pt solid cmyk(1, 0, 0, 0) }\n')
    d, args = table_article(4, css)
    p = run(*args, '--dump-layout', '-')
    err = p.stderr
    expect(re.search(r'a\.xml:\d+:\d+: warning: margin does not apply to table cells <td> \(ignored\)', err),
           f'no warning for margin on td:\n{err}')
    expect(err.count('margin does not apply') == 1, f'the margin warning repeats per cell:\n{err}')
    dump = p.stdout
    # column-span: all: the table across the page's three columns (its 2pt top border).
    top = re.search(r'rule (\S+) \S+ (\S+) \S+ w2$', dump, re.M)
    expect(top, 'no 2pt table border')
    expect(float(top.group(2)) - float(top.group(1)) > 500, f'the table does not span the columns: {top.group(0)}')
    expect(len(re.findall(r'fill .* cmyk\(0,0,0,0\.2\)', dump)) == 3, 'th backgrounds not painted')
    print('table styled by th/td/table rules, across the columns; margin warned once')


def doctype_internal_subset_refused():
    d = os.path.join(TMP, 'dt')
    os.makedirs(d)
    src = os.path.join(d, 'story.nitf.xml')
    with open(src, 'w', encoding='utf-8') as f:
        f.write('<?xml version="1.0"?>\n<!DOCTYPE nitf SYSTEM "nitf-3-4.dtd" [\n'
                '  <!ENTITY ap "The Associated Press">\n]>\n'
                '<nitf><body><body.content><p>&ap;</p></body.content></body></nitf>\n')
    out = os.path.join(d, 'out.pdf')
    p = run(TRANG, 'render', src, '-o', out, ok=False)
    expect(p.returncode == 1, f'exit {p.returncode}, expected 1: {p.stderr}')
    expect(re.search(r'story\.nitf\.xml:2:1: error: a DOCTYPE with an internal subset', p.stderr),
           f'no file:line:col error: {p.stderr}')
    expect(os.listdir(d) == ['story.nitf.xml'], f'output left behind: {os.listdir(d)}')
    print(p.stderr.strip().splitlines()[0])


def publication_duplicates_warned():
    d = os.path.join(TMP, 'dup')
    os.makedirs(d)
    shutil.copy(os.path.join(WIRE, 'ap-winter-storm.nitf.xml'), os.path.join(d, 'ap.nitf.xml'))
    shutil.copy(os.path.join(WIRE, 'ap-winter-storm.nitf.xml'), os.path.join(d, 'ap-v2.nitf.xml'))
    with open(os.path.join(d, 'issue.xml'), 'w', encoding='utf-8') as f:
        f.write('<publication xml:lang="en">\n  <title>Wire</title>\n'
                '  <article src="ap.nitf.xml"/>\n  <article src="ap-v2.nitf.xml"/>\n'
                '  <article src="ap.nitf.xml"/>\n</publication>\n')
    p = run(TRANG, 'render', os.path.join(d, 'issue.xml'), '-o', os.path.join(d, 'out.pdf'))
    expect(re.search(r"issue\.xml:5:3: warning: article 'ap\.nitf\.xml' is listed twice \(first at line 3\)",
                     p.stderr), f'no warning for the article listed twice:\n{p.stderr}')
    expect(re.search(r"issue\.xml:4:3: warning: articles 'ap-v2\.nitf\.xml' and 'ap\.nitf\.xml' \(line 3\) "
                     r"have the same id 'APW-20170102-storm'", p.stderr),
           f'no warning for two articles with one id:\n{p.stderr}')
    print('duplicates in a publication are named by file and line')


def shared_photo_embedded_once():
    """The sample newsletter places two photos in eight places across articles: each photo
    is one image object in the PDF, and every page's articles are groups in the layout dump."""
    pdf = os.path.join(TMP, 'shared.pdf')
    p = run(TRANG, 'render', ISSUE, '--stylesheet', CSS, '-o', pdf, '--dump-layout', '-')
    rows = [r.split() for r in run('pdfimages', '-list', pdf).stdout.splitlines()[2:]]
    objects = {r[10] for r in rows}
    expect(len(rows) >= 8 and len(objects) == 2,
           f'{len(rows)} placements in {len(objects)} image objects, expected 2 objects:\n' +
           '\n'.join(' '.join(r) for r in rows))
    pages = p.stdout.split('\npage ')
    for n, page in enumerate(pages, 1):
        modules = len(re.findall(r'^  module ', page, re.M))
        groups = len(re.findall(r'^  group ', page, re.M))
        expect(modules == groups, f'page {n}: {modules} modules but {groups} groups')
    size = os.path.getsize(pdf)
    print(f'{len(rows)} photo placements, {len(objects)} image objects, {size // 1024} KB')


def subheads_keep_with_text():
    """No subhead ends a column: each is followed in its column by the text it heads, even at
    the foot of a module under a spanning picture."""
    p = run(TRANG, 'render', ISSUE, '--stylesheet', CSS, '-o', os.path.join(TMP, 'sub.pdf'),
            '--dump-layout', '-')
    lines = dump_texts(p.stdout)
    heads = set()
    for a in ET.parse(ISSUE).getroot().findall('article'):
        doc = ET.parse(os.path.join(os.path.dirname(ISSUE), a.get('src'))).getroot()
        heads |= {norm(''.join(h.itertext())) for h in doc.iter('subhead')}
    seen = 0
    for page, x, y, text in lines:
        if text not in heads:
            continue
        seen += 1
        under = [l for l in lines if l[0] == page and x - 1 < l[1] < x + 30 and y - 40 < l[2] < y - 1]
        expect(under, f'page {page}: subhead "{text}" at ({x}, {y}) ends its column')
    expect(seen >= 3, f'only {seen} subheads found in the dump')
    print(f'{seen} subheads, each followed by its text in its column')

def tall_span_picture_leaves_text_room():
    """A portrait photo set across the columns (as newsletter.css sets placement="span") is
    cropped and scaled to three fifths of the room under the head, not to all of it but two
    lines: the story's text goes on under it in every column, at least six lines deep."""
    d = tempfile.mkdtemp(dir=TMP)
    pix = standin_picture(7)
    write_jpeg(os.path.join(d, 'dung.jpg'), 300, 420, lambda x, y: pix(x / 300, y / 420))
    para = '<p>' + 'Người dân phường Ninh Kiều góp ý cho dự thảo quy hoạch khu dân cư mới. ' * 12 + '</p>\n'
    with open(os.path.join(d, 'a.xml'), 'w', encoding='utf-8') as f:
        f.write('<article xml:lang="vi"><headline>Ảnh dọc trên ba cột</headline><body>\n'
                '<figure placement="span"><image src="dung.jpg" alt="Ảnh dọc"/>'
                '<caption>Ảnh dọc đặt ngang ba cột</caption></figure>\n' + para * 8 + '</body></article>\n')
    p = run(TRANG, 'render', os.path.join(d, 'a.xml'), '-o', os.path.join(d, 'a.pdf'),
            '--stylesheet', CSS, '--dump-layout', '-')
    m = re.search(r'^\s+image dung\.jpg (\S+) (\S+) (\S+) (\S+)', p.stdout, re.M)
    expect(m, f'no picture in the dump:\n{p.stdout[:2000]}')
    bottom, h = float(m.group(2)), float(m.group(4))
    under = [l for l in dump_texts(p.stdout) if l[0] == 1 and l[2] < bottom - 20]
    left, width = float(m.group(1)), float(m.group(3))
    cols = {}
    for _, x, _, _ in under:
        c = int((x - left + 1) / (width / 3))
        cols[c] = cols.get(c, 0) + 1
    expect(len(cols) >= 3 and min(cols.values()) >= 6,
           f'under the {h:.0f}pt picture, lines per column: {sorted(cols.values())}')
    print(f'picture {h:.0f}pt high; lines under it per column: {sorted(cols.values())}')


if __name__ == '__main__':
    try:
        globals()[sys.argv[1]]()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print('ok')
