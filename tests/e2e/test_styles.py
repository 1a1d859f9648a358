#!/usr/bin/env python3
"""End-to-end checks of stylesheets (issue 3), one per ctest case: python3 test_styles.py CASE.

Each case renders the sample article with a stylesheet and checks what a designer would see:
columns and page size (pdftotext -bbox, pdfinfo), CMYK operators in the page content (qpdf),
drop caps, running heads and folios (pdftotext, --dump-layout), @font-face fonts (pdffonts),
error messages with file:line:col, --strict, and `trang watch` re-rendering. A case prints
what it found and exits non-zero when the behaviour is wrong."""
import collections, os, re, shutil, signal, subprocess, sys, tempfile, time
from harness import expect, fail, run

TRANG = os.environ.get('TRANG', 'trang')
SRC = os.environ.get('TRANG_SOURCE_DIR', os.path.join(os.path.dirname(__file__), '..', '..'))
SAMPLE_DIR = os.path.join(SRC, 'samples', 'can-tho')
SAMPLE = os.path.join(SAMPLE_DIR, 'article.xml')
SHEETS = os.path.join(SRC, 'stylesheets')
TMP = tempfile.mkdtemp(prefix='trang-styles-')


def write(name, content):
    path = os.path.join(TMP, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(content)
    return path


def render(css=None, out='out.pdf', article=SAMPLE, *extra, ok=True, quiet=False):
    """Renders; returns (pdf path, process). `quiet`: also demand no message at all."""
    out = os.path.join(TMP, out)
    args = [TRANG, 'render', article, '-o', out, *extra]
    if css:
        args += ['--stylesheet', css]
    p = run(*args, check=False)
    if ok and p.returncode != 0:
        fail(f'render exited {p.returncode}:\n{p.stderr}')
    if quiet and p.stderr.strip():
        fail(f'render printed messages:\n{p.stderr}')
    return out, p


def words(pdf, page=None):
    args = ['pdftotext', '-bbox']
    if page:
        args += ['-f', str(page), '-l', str(page)]
    html = run(*args, pdf, '-').stdout
    out = []
    page_no = 0
    for line in html.splitlines():
        if '<page ' in line:
            page_no += 1
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', line)
        if m:
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            out.append((page_no, x0, y0, x1, y1, m.group(5)))
    return out


def page_count(pdf):
    return int(re.search(r'Pages:\s+(\d+)', run('pdfinfo', pdf).stdout).group(1))


def column_starts(pdf, min_lines=5, merge=4):
    """Left edges of text columns: words on one baseline split where the gap is wider than a
    word space; each piece starts a line; starts that many lines share are columns."""
    rows = collections.defaultdict(list)
    for pg, x0, y0, x1, y1, w in words(pdf):
        rows[(pg, round(y1))].append((x0, x1))
    starts = []
    for row in rows.values():
        row.sort()
        starts.append(row[0][0])
        for (a0, a1), (b0, b1) in zip(row, row[1:]):
            if b0 - a1 > 11:
                starts.append(b0)
    clusters = []
    for x in sorted(starts):
        if clusters and x - clusters[-1][-1] < merge:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    return [round(c[0], 1) for c in clusters if len(c) >= min_lines]


def long_article():
    """The sample with its body three times over, beside copies of its photos: 3+ pages."""
    d = os.path.join(TMP, 'long')
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(SAMPLE_DIR):
        if f.endswith('.jpg'):
            shutil.copy(os.path.join(SAMPLE_DIR, f), d)
    xml = open(SAMPLE, encoding='utf-8').read()
    body = re.search(r'<body>(.*)</body>', xml, re.S).group(1)
    paras = ''.join(re.findall(r'<p>.*?</p>', body, re.S))
    xml = xml.replace('</body>', (paras * 3) + '</body>')
    path = os.path.join(d, 'article.xml')
    open(path, 'w', encoding='utf-8').write(xml)
    return path


NO_INDENT = 'p { text-indent: 0 } byline { text-align: left }\n'

# ---------------------------------------------------------------------------------------------


def two_columns():
    pdf, _ = render(write('c2.css', NO_INDENT + 'body { column-count: 2 }'), 'c2.pdf')
    cols = column_starts(pdf)
    expect(len(cols) == 2, f'column-count: 2 gave text columns starting at {cols}')
    pdf3, _ = render(write('c3.css', NO_INDENT), 'c3.pdf')
    cols3 = column_starts(pdf3)
    expect(len(cols3) == 3, f'the default gave columns at {cols3}, expected 3')
    print(f'column-count: 2 -> columns at {cols}; default -> {cols3}')


def page_size_a5():
    pdf, _ = render(write('a5.css', '@page { size: A5; margin: 12mm }'), 'a5.pdf')
    m = re.search(r'Page size:\s+([\d.]+) x ([\d.]+)', run('pdfinfo', pdf).stdout)
    w, h = float(m.group(1)), float(m.group(2))
    expect(abs(w - 419.53) < 0.1 and abs(h - 595.28) < 0.1, f'A5 page is {w} x {h}')
    box = run('pdfinfo', '-box', pdf).stdout
    expect(re.search(r'MediaBox:\s+0\.00\s+0\.00\s+419\.53\s+595\.28', box), f'MediaBox: {box}')
    print(f'A5 MediaBox {w} x {h}')


def cmyk_text_color():
    pdf, _ = render(write('k.css', 'p { color: cmyk(0.1, 0.2, 0.3, 0.4) }'), 'k.pdf')
    qdf = os.path.join(TMP, 'k.qdf.pdf')
    run('qpdf', '--qdf', '--object-streams=disable', pdf, qdf)
    content = open(qdf, 'rb').read().decode('latin-1')
    n = len(re.findall(r'(?m)^0\.1 0\.2 0\.3 0\.4 k$', content))
    expect(n > 0, 'no "0.1 0.2 0.3 0.4 k" operator in the page content')
    # A spot colour's CMYK fallback reaches the page too.
    pdf, _ = render(write('spot.css', 'p { color: spot("PANTONE 185 C", cmyk(0, 0.91, 0.76, 0)) }'),
                    'spot.pdf', quiet=True)
    run('qpdf', '--qdf', '--object-streams=disable', pdf, qdf)
    content = open(qdf, 'rb').read().decode('latin-1')
    expect(re.search(r'(?m)^0 0\.91 0\.76 0 k$', content), 'spot colour fallback not painted as CMYK')
    print(f'{n} "0.1 0.2 0.3 0.4 k" operators; spot fallback painted as "0 0.91 0.76 0 k"')


def drop_cap():
    css = write('dc.css', 'body > p:first-of-type::first-letter { initial-letter: 3; color: red }\n'
                          'body > p:first-of-type { text-indent: 0 }')
    out = os.path.join(TMP, 'dc.pdf')
    p = run(TRANG, 'render', SAMPLE, '-o', out, '-s', css, '--dump-layout', '-')
    lines = [l.strip() for l in p.stdout.splitlines() if l.strip().startswith('text ')]
    parse = lambda l: (float(l.split()[1]), float(l.split()[2]), float(l.split()[3][1:]), float(l.split()[5]), l)
    items = [parse(l) for l in lines]
    caps = [t for t in items if t[4].endswith('"T"') and t[3] > 20]
    expect(len(caps) == 1, f'no big "T" in the layout: {[t for t in items if t[4].endswith(chr(34) + "T" + chr(34))]}')
    cx, cy, cw, csize, _ = caps[0]
    body = [t for t in items if abs(t[3] - 9.5) < 0.01 and t[1] > cy - 40 and t[1] < cy + 40]
    beside = sorted({round(t[1], 2) for t in body if cx + cw - 0.01 < t[0] < cx + 100}, reverse=True)
    expect(len(beside) >= 3, f'lines beside the drop cap: {beside}')
    expect(abs(beside[2] - cy) < 0.01, f'the drop cap sits on baseline {cy}, the third line on {beside[2]}')
    under = sorted((t for t in body if t[1] < cy - 1 and t[0] < cx + 100), key=lambda t: -t[1])
    expect(under and all(abs(t[0] - cx) < 0.01 for t in under[:1]), 'the fourth line does not start under the cap')
    # The page shows it: the letter is as tall as three lines (pdftotext's box of the word).
    big = [w for w in words(out) if w[5] == 'T' and w[4] - w[2] > 30]
    expect(big, 'pdftotext finds no big "T"')
    print(f'drop cap {csize:.1f}pt on the third baseline ({cy}), lines beside it at {beside[:3]}')


def running_heads_and_folios():
    pdf, p = render(os.path.join(SHEETS, 'newsletter.css'), 'heads.pdf', long_article(), quiet=True)
    n = page_count(pdf)
    expect(n >= 2, f'only {n} page(s)')
    for i in range(1, n + 1):
        ws = words(pdf, i)
        ys = sorted(ws, key=lambda w: w[2])
        top = ' '.join(w[5] for w in ys if w[2] < 45)
        bottom = ' '.join(w[5] for w in sorted(ws, key=lambda w: w[1]) if w[2] > 800)
        expect('THÀNH ỦY CẦN THƠ' in top, f'page {i}: running head missing, top of page says {top!r}')
        expect(f'{i} / {n}' in bottom, f'page {i}: folio "{i} / {n}" missing, foot says {bottom!r}')
        if i == 1:
            expect('Bản tin' in top, f'page 1 (:first) head: {top!r}')
        else:
            expect('Ban Chỉ đạo 35' in top, f'page {i} running title: {top!r}')
    print(f'{n} pages, each with its running head and folio "i / {n}"')


def font_face():
    d = os.path.join(TMP, 'ff')
    os.makedirs(os.path.join(d, 'fonts'), exist_ok=True)
    shutil.copy('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', os.path.join(d, 'fonts', 'Face.ttf'))
    css = write('ff/s.css', '@font-face {\n  font-family: "Designer Face";\n  src: url(fonts/Face.ttf);\n}\n'
                            'p { font-family: "Designer Face" }\n')
    pdf, _ = render(css, 'ff.pdf', quiet=True)
    fonts = run('pdffonts', pdf).stdout
    expect('DejaVuSans' in fonts, f'@font-face font not in the PDF:\n{fonts}')
    # A damaged font file: an error at the src, exit 1, no PDF.
    open(os.path.join(d, 'fonts', 'Bad.ttf'), 'wb').write(b'\0\1\0\0 this is not a font' * 10)
    css = write('ff/bad.css', '@font-face { font-family: X;\n  src: url("fonts/Bad.ttf") }\np { font-family: X }\n')
    out = os.path.join(TMP, 'ffbad.pdf')
    pdf, p = render(css, 'ffbad.pdf', ok=False)
    expect(p.returncode == 1, f'damaged font: exit {p.returncode}')
    expect(f'{css}:2:8: error: font file' in p.stderr and 'damaged' in p.stderr, f'message: {p.stderr}')
    expect(not os.path.exists(out), 'a PDF was written despite the damaged font')
    print('@font-face font embedded:', [l.split()[0] for l in fonts.splitlines()[2:] if 'DejaVu' in l])


def shipped_stylesheets():
    for name in ('newsletter', 'archive', 'tabloid', 'default'):
        pdf, p = render(os.path.join(SHEETS, f'{name}.css'), f'ship-{name}.pdf', quiet=True)
        info = run('pdfinfo', pdf).stdout
        size = re.search(r'Page size:\s+([\d.]+) x ([\d.]+)', info).groups()
        print(f'{name}.css: {page_count(pdf)} page(s), {size[0]} x {size[1]}, no warnings')
    tab = os.path.join(TMP, 'ship-tabloid.pdf')
    expect(re.search(r'Page size:\s+792 x 1224', run('pdfinfo', tab).stdout), 'tabloid.css is not 11 x 17 in')
    # (merging first-line indents into their column)
    expect(len(column_starts(tab, 3, 10)) == 5, f'tabloid columns: {column_starts(tab, 3, 10)}')
    # The newsletter asks for crop marks and 3 mm of bleed: the print profile shows them.
    pdf, _ = render(os.path.join(SHEETS, 'newsletter.css'), 'ship-print.pdf', SAMPLE, '--profile', 'print')
    box = run('pdfinfo', '-box', pdf).stdout
    bleed = re.search(r'BleedBox:\s+(-?[\d.]+)', box).group(1)
    expect(abs(float(bleed) + 8.5) < 0.05, f'BleedBox does not reach 3 mm past the trim: {box}')
    media = re.search(r'MediaBox:\s+(-?[\d.]+)', box).group(1)
    expect(float(media) < float(bleed), f'no room for crop marks outside the bleed: {box}')


def syntax_error():
    out = os.path.join(TMP, 'syntax.pdf')
    css = write('bad.css', 'body {\n  column-count: 2;\n}\np {\n  color: red;\n')
    pdf, p = render(css, 'syntax.pdf', ok=False)
    expect(p.returncode == 1, f'exit {p.returncode}')
    expect(f"{css}:4:3: error: unclosed '{{'" in p.stderr, f'message: {p.stderr!r}')
    expect(not os.path.exists(out), 'a PDF was written')
    css = write('bad2.css', 'p { color red }\n')
    pdf, p = render(css, 'syntax.pdf', ok=False)
    expect(p.returncode == 1 and f"{css}:1:5: error: expected ':'" in p.stderr, f'{p.returncode}: {p.stderr}')
    expect(not os.path.exists(out), 'a PDF was written')
    # @import of a missing file, and a cycle.
    write('imp/b.css', '@import "a.css";\n')
    css = write('imp/a.css', '@import "b.css";\n')
    pdf, p = render(css, 'syntax.pdf', ok=False)
    expect(p.returncode == 1 and 'b.css:1:9: error: @import cycle: a.css -> b.css -> a.css' in p.stderr,
           f'{p.returncode}: {p.stderr}')
    print('syntax errors: file:line:col, exit 1, no PDF')


def strict():
    css = write('warn.css', 'p {\n  colour: red;\n}\n')
    out = os.path.join(TMP, 'strict.pdf')
    pdf, p = render(css, 'strict.pdf', ok=False)
    expect(p.returncode == 0 and f'{css}:2:3: warning: unknown property' in p.stderr, f'{p.returncode}: {p.stderr}')
    os.remove(out)
    pdf, p = render(css, 'strict.pdf', SAMPLE, '--strict', ok=False)
    expect(p.returncode == 1, f'--strict with a warning exited {p.returncode}')
    expect('--strict' in p.stderr and f'{css}:2:3: warning' in p.stderr, p.stderr)
    expect(not os.path.exists(out), '--strict wrote a PDF')
    print('--strict: exit 1 and no PDF on a warning')


class Watch:
    """`trang watch` in the background, its stdout read line by line with timeouts."""

    def __init__(self, *args):
        self.p = subprocess.Popen([TRANG, 'watch', *args, '--debounce', '30'], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        os.set_blocking(self.p.stdout.fileno(), False)
        self.buf = ''
        self.lines = []

    def wait_for(self, pattern, timeout=15):
        end = time.time() + timeout
        while time.time() < end:
            chunk = self.p.stdout.read()
            if chunk:
                self.buf += chunk.decode('utf-8', 'replace')
                while '\n' in self.buf:
                    line, self.buf = self.buf.split('\n', 1)
                    self.lines.append(line)
                    if re.search(pattern, line):
                        return line
            elif self.p.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        fail(f'watch: no line matching {pattern!r} within {timeout}s; got {self.lines}')

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        return self.p.returncode


def edit(path, text):
    """Saves the way many editors do: a new file renamed over the old one."""
    tmp = path + '.tmp~'
    open(tmp, 'w', encoding='utf-8').write(text)
    os.replace(tmp, path)


def watch():
    d = os.path.join(TMP, 'w')
    os.makedirs(os.path.join(d, 'parts'), exist_ok=True)
    css = os.path.join(d, 'style.css')
    part = os.path.join(d, 'parts', 'cols.css')
    open(part, 'w').write('body { column-count: 3 }\n')
    open(css, 'w').write('@import "parts/cols.css";\n' + NO_INDENT)
    out = os.path.join(d, 'out.pdf')
    w = Watch(SAMPLE, '-s', css, '-o', out)
    try:
        first = w.wait_for(r'^rendered ')
        m = re.match(r'rendered .* in (\d+) ms \((\d+) pages?\)', first)
        expect(m, f'first line: {first!r}')
        expect(len(column_starts(out)) == 3, 'first render is not in 3 columns')
        # The stylesheet changes (saved by rename): a new render with two columns.
        edit(css, '@import "parts/cols.css";\n' + NO_INDENT + 'body { column-count: 2 }\n')
        again = w.wait_for(r'^rendered ')
        expect(len(column_starts(out)) == 2, f'after the edit: columns {column_starts(out)}')
        # The imported sheet changes: followed too.
        time.sleep(0.1)
        with open(part, 'w') as f:  # written in place this time
            f.write('body { column-count: 3 } @page { size: A5 }\n')
        w.wait_for(r'^rendered ')
        expect(re.search(r'Page size:\s+419.5\d* x 595.2', run('pdfinfo', out).stdout),
               f'the @import-ed change did not show: {w.lines}')
        good = open(out, 'rb').read()
        # A broken edit: an error, and the last good PDF stays.
        edit(css, '@import "parts/cols.css";\np { color: red\n')
        failed = w.wait_for(r'^failed')
        expect('kept the last good' in failed, failed)
        expect(open(out, 'rb').read() == good, 'the PDF changed after a broken edit')
        ms = [int(x) for x in re.findall(r'in (\d+) ms', '\n'.join(w.lines))]
    finally:
        rc = w.stop()
    err = w.p.stderr.read().decode('utf-8', 'replace')
    expect("style.css:2:3: error: unclosed '{'" in err, f'watch stderr: {err!r}')
    rest = (w.p.stdout.read() or b'').decode('utf-8', 'replace')
    expect(rc in (0, 1) and 'stopped' in (w.buf + '\n'.join(w.lines) + rest),
           f'watch did not stop cleanly on SIGTERM: exit {rc}')
    print(f'watch re-rendered on each change (times: {ms} ms), kept the last good PDF, stopped on SIGTERM')


def figures_and_boxes():
    """Spanning figures, floats, bleed and a decorated box, through --dump-layout."""
    d = os.path.join(TMP, 'fig')
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(SAMPLE_DIR):
        if f.endswith('.jpg'):
            shutil.copy(os.path.join(SAMPLE_DIR, f), d)
    xml = open(SAMPLE, encoding='utf-8').read()
    xml = xml.replace('<figure placement="column">', '<figure placement="column" class="wide">', 1)
    xml = xml.replace('<figure placement="column">', '<figure placement="column" class="low">', 1)
    xml = xml.replace('<p>Hai là,', '<box><title>Ghi chú</title><p>Một hộp bên lề.</p></box><p>Hai là,')
    art = os.path.join(d, 'a.xml')
    open(art, 'w', encoding='utf-8').write(xml)
    css = write('fig.css', '@page { bleed: 3mm }\n'
                           'figure.wide { column-span: all; -trang-bleed: left right }\n'
                           'figure.low { float: bottom; width: 50% }\n'
                           'box { background-color: cmyk(0, 0, 0.2, 0); border: 1pt solid black; padding: 4pt }\n')
    out = os.path.join(TMP, 'fig.pdf')
    p = run(TRANG, 'render', art, '-o', out, '-s', css, '--dump-layout', '-')
    expect(not p.stderr.strip(), p.stderr)
    dump = p.stdout
    imgs = [tuple(map(float, m.groups())) for m in re.finditer(r'image \S+ (-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+)', dump)]
    expect(len(imgs) == 2, f'images: {imgs}')
    wide = max(imgs, key=lambda r: r[2])
    expect(abs(wide[0] + 8.5) < 0.05 and abs(wide[0] + wide[2] - 595.28 - 8.5) < 0.05,
           f'the bleeding figure spans {wide[0]}..{wide[0] + wide[2]}, not -8.5..603.78')
    low = min(imgs, key=lambda r: r[2])
    col_w = (595.28 - 2 * 42.52 - 2 * 5 * 72 / 25.4) / 3
    expect(abs(low[2] - col_w / 2) < 0.1, f'width: 50% gave {low[2]} (column {col_w:.2f})')
    expect(low[1] < 120, f'float: bottom figure is at y={low[1]}, not at the column foot')
    fills = re.findall(r'fill (-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+) cmyk\(0,0,0.2,0\)', dump)
    expect(fills, f'no box background in the layout:\n{dump[:2000]}')
    rules = re.findall(r'(?m)^\s*rule .* w1(?:\s|$)', dump)
    expect(len(rules) >= 4, f'box border: {len(rules)} rules of width 1')
    print(f'bleeding spanning figure {wide}, bottom float {low}, box background {fills[0]}')


def object_fit_cover():
    """A portrait photo taller than a column: scaled down whole by default; with object-fit:
    cover, cropped at the column's width, object-position choosing what stays in view."""
    from harness import write_jpeg
    d = os.path.join(TMP, 'cover')
    os.makedirs(d, exist_ok=True)
    # Three bands, top to bottom: red, green, blue.
    write_jpeg(os.path.join(d, 'tall.jpg'), 600, 1500,
               lambda x, y: (220, 30, 30) if y < 500 else (30, 160, 60) if y < 1000 else (30, 60, 200))
    para = '<p>' + ' '.join(['Người dân phường đã góp công sức xây dựng con đường mới dẫn vào chợ.'] * 12) + '</p>'
    art = os.path.join(d, 'a.xml')
    open(art, 'w', encoding='utf-8').write(
        '<?xml version="1.0" encoding="UTF-8"?>\n<article xml:lang="vi"><headline>Ảnh dọc</headline><body>'
        + para + '<figure><image src="tall.jpg" alt="Ảnh dọc"/><caption>Chú thích ảnh</caption></figure>'
        + para * 6 + '</body></article>')
    col_w = (595.28 - 2 * 42.52 - 2 * 5 * 72 / 25.4) / 3

    def lay(css, name):
        out = os.path.join(TMP, name + '.pdf')
        p = run(TRANG, 'render', art, '-o', out, '--dump-layout', '-', *(['-s', write(name + '.css', css)] if css else []))
        m = re.search(r'image tall\.jpg (\S+) (\S+) (\S+) (\S+)( crop (\S+) (\S+) (\S+) (\S+))?', p.stdout)
        expect(m, f'no image in the dump:\n{p.stdout[:1500]}')
        return out, [float(v) if v else None for v in m.groups()[:4] + m.groups()[5:]], p.stderr

    def colour(pdf, x, y):
        """The pixel at (x, y) in points, y upwards, as (r, g, b)."""
        p = run('pdftoppm', '-r', '72', '-f', '1', '-l', '1', '-x', str(int(x)), '-y', str(int(841.89 - y)),
                '-W', '1', '-H', '1', pdf, os.path.join(TMP, 'px'))
        data = open(os.path.join(TMP, 'px-1.ppm'), 'rb').read()
        return tuple(data[-3:])

    def band(rgb):
        return 'red' if rgb[0] > 150 and rgb[2] < 100 else 'blue' if rgb[2] > 150 and rgb[0] < 100 else \
            'green' if rgb[1] > 120 and rgb[0] < 100 else 'other'

    plain, (x, y, w, h, *crop), _ = lay(None, 'plain')
    expect(w < col_w - 10 and crop[0] is None, f'without cover the picture is {w:.1f} wide, crop {crop}')
    for css, top_band, bottom_band in (('image { object-fit: cover; object-position: top }', 'red', 'green'),
                                       ('image { object-fit: cover; object-position: center bottom }', 'green', 'blue')):
        pdf, (x, y, w, h, cx, cy, cw, ch), err = lay(css, 'cover')
        expect(not err.strip(), err)
        expect(abs(w - col_w) < 0.1 and ch > h + 20 and abs(cw - w) < 0.1,
               f'{css}: box {w:.1f}x{h:.1f}, picture {cw}x{ch} (column {col_w:.1f})')
        # Each band is a third of the whole picture: 100pt under the box's top is red only
        # when the top was kept, 100pt over its foot is blue only when the foot was.
        got = band(colour(pdf, x + w / 2, y + h - 100)), band(colour(pdf, x + w / 2, y + 100))
        expect(got == (top_band, bottom_band), f'{css}: box shows {got} near its top and foot')
        under = colour(pdf, x + w - 3, y - 2)
        expect(band(under) == 'other', f'{css}: the picture shows under its box: {under}')
    _, _, err = lay('image { object-fit: none; object-position: 10px 20px }', 'bad')
    expect("'none' is not supported" in err and 'lengths are not supported here' in err,
           f'object-fit: none and lengths in object-position not warned:\n{err}')
    print(f'a {w:.0f}pt wide photo cropped to {h:.0f} of {ch:.0f}pt with object-fit: cover, top and bottom kept as asked')

def text_lines(css, name):
    out = os.path.join(TMP, name + '.pdf')
    p = run(TRANG, 'render', SAMPLE, '-o', out, '-s', write(name + '.css', css), '--dump-layout', '-')
    return [l.strip() for l in p.stdout.splitlines() if l.strip().startswith('text ')]


def align_last_spacing_and_caps():
    """text-align-last centres the byline; word-spacing widens spaces (fewer words a line);
    font-variant-caps changes the glyphs HarfBuzz picks (small capitals are narrower)."""
    def byline(lines):
        l = next(l for l in lines if l.endswith('"Tin, ảnh: Sen Hồng"'))
        return float(l.split()[1]), float(l.split()[3][1:])
    x, w = byline(text_lines('byline { text-align: justify; text-align-last: center }', 'al'))
    col = (595.28 - 2 * 42.52 - 2 * 5 * 72 / 25.4) / 3
    col3 = 42.52 + 2 * (col + 5 * 72 / 25.4)
    expect(abs(x + w / 2 - (col3 + col / 2)) < 0.1, f'byline centred at {x + w / 2}, column centre {col3 + col / 2}')
    words_in = lambda lines: sum(len(l.split('"')[1].split()) for l in lines if ' 9.5 ' in l) / max(1, len([l for l in lines if ' 9.5 ' in l]))
    plain = words_in(text_lines('', 'ws0'))
    wide = words_in(text_lines('p { word-spacing: 4pt }', 'ws4'))
    expect(wide < plain * 0.9, f'word-spacing: 4pt: {wide:.2f} words a line, {plain:.2f} without')
    def width_of(css, name):
        l = next(l for l in text_lines(css, name) if 'NotoSerif-Bold 26 ' in l)
        return float(l.split()[3][1:])
    normal = width_of('', 'caps0')
    caps = width_of('headline { font-variant-caps: all-small-caps }', 'caps1')
    expect(abs(caps - normal) > 1, f'font-variant-caps changed nothing: {normal} vs {caps}')
    print(f'byline centred; {plain:.1f} -> {wide:.1f} words a line; headline line {normal} -> {caps} pt wide')


def selector_error_recovers():
    """A bad selector drops its rule only (a warning with file:line:col) and the PDF has the
    rest of the sheet; a forgotten ';' is named instead of blaming the value."""
    css = write('recover.css', NO_INDENT + 'p {\n  color: red\n  font-size: 20pt;\n}\n'
                               'p % q, box { color: blue }\n'
                               'body { column-count: 2 }\n')
    out = os.path.join(TMP, 'recover.pdf')
    pdf, p = render(css, 'recover.pdf')
    expect(os.path.exists(out), 'no PDF after a selector error')
    expect(f"{css}:6:3: warning: expected a selector, found '%' (rule ignored)" in p.stderr,
           f'selector message: {p.stderr}')
    expect(f"{css}:4:3: warning: missing ';' before 'font-size'?" in p.stderr, f'missing ; message: {p.stderr}')
    cols = column_starts(pdf)
    expect(len(cols) == 2, f'the rule after the bad selector did not apply: columns at {cols}')
    pdf, p = render(css, 'recover-strict.pdf', SAMPLE, '--strict', ok=False)
    expect(p.returncode == 1, f'--strict passed a dropped rule: exit {p.returncode}')
    print(f'bad selector dropped, {len(cols)} columns from the next rule; missing ; named')


def check_reads_codes():
    """trang check and --report carry stable codes; a font-family that matches no font warns
    with the closest installed families, and check is then not ready."""
    css = write('codes.css', 'p {\n  font-family: "Noto Serf";\n  colr: red;\n}\n')
    pdf, p = render(css, 'codes.pdf')
    expect(f"{css}:2:16: warning: no font has the family 'Noto Serf'" in p.stderr and "'Noto Serif'" in p.stderr,
           f'font-family message: {p.stderr}')
    p = run(TRANG, 'check', SAMPLE, '--stylesheet', css, '--report', '-', check=False)
    expect(p.returncode == 1 and 'NOT ready' in p.stderr, f'check: exit {p.returncode}\n{p.stderr}')
    import json
    kinds = {f['kind']: f for f in json.loads(p.stdout)['findings']}
    expect('css-unknown-font-family' in kinds and kinds['css-unknown-font-family']['level'] == 'error',
           f'report: {sorted(kinds)}')
    expect('css-unknown-property' in kinds and kinds['css-unknown-property']['line'] == 3,
           f'report: {sorted(kinds)}')
    expect(kinds['css-unknown-property']['details']['code'] == 'css-unknown-property', str(kinds['css-unknown-property']))
    # The same sheet with the family spelt right: ready.
    good = write('codes-ok.css', 'p { font-family: "Noto Serif", serif }\n')
    p = run(TRANG, 'check', SAMPLE, '--stylesheet', good, check=False)
    expect(p.returncode == 0 and ': ready' in p.stderr, f'check of a good sheet: {p.returncode}\n{p.stderr}')
    print('codes in check and --report; misspelt family is an error for check')


def font_face_project_folders():
    """css/ and fonts/ beside the article: url(../fonts/x.ttf) works, local() finds an
    installed face, nothing outside the project does, and a sheet named without a folder gets
    "no such file" for what is missing."""
    proj = os.path.join(TMP, 'proj')
    shutil.copytree(SAMPLE_DIR, proj)
    os.makedirs(os.path.join(proj, 'css'))
    os.makedirs(os.path.join(proj, 'fonts'))
    shutil.copy('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', os.path.join(proj, 'fonts', 'Face.ttf'))
    css = os.path.join(proj, 'css', 's.css')
    with open(css, 'w') as f:
        f.write('@font-face { font-family: "Body Face"; src: url(../fonts/Face.ttf) }\n'
                '@font-face { font-family: "Head Face"; src: local("DejaVu Serif Bold"), url(../fonts/Face.ttf) }\n'
                'p { font-family: "Body Face" }\nheadline { font-family: "Head Face" }\n')
    out = os.path.join(TMP, 'proj.pdf')
    p = run(TRANG, 'render', os.path.join(proj, 'article.xml'), '-o', out, '-s', css, check=False)
    expect(p.returncode == 0 and not p.stderr.strip(), f'{p.returncode}: {p.stderr}')
    fonts = run('pdffonts', out).stdout
    expect('DejaVuSans' in fonts and 'DejaVuSerif-Bold' in fonts, f'fonts/ and local() faces missing:\n{fonts}')
    # Outside the project: refused.
    with open(css, 'w') as f:
        f.write('@font-face { font-family: X; src: url(../../x.ttf) }\n')
    p = run(TRANG, 'render', os.path.join(proj, 'article.xml'), '-o', out + '2', '-s', css, check=False)
    expect(p.returncode == 1 and "is outside the project's folders" in p.stderr, f'{p.returncode}: {p.stderr}')
    # A plain file name: "no such file".
    with open(os.path.join(proj, 'plain.css'), 'w') as f:
        f.write('@import "nope.css";\n')
    p = subprocess.run([TRANG, 'render', 'article.xml', '-o', out + '3', '-s', 'plain.css'], cwd=proj,
                       capture_output=True, text=True)
    expect(p.returncode == 1 and "plain.css:1:9: error: cannot import 'nope.css': no such file" in p.stderr,
           f'{p.returncode}: {p.stderr}')
    print('fonts/ beside css/, local(), outside refused, "no such file" for a plain name')


def font_variant_position():
    """font-variant-position: super sets the body's digits with the font's superscript glyphs
    (OpenType sups): the page looks different, and copy-paste still gives the same text."""
    def page1(css, name):
        pdf, _ = render(write(name + '.css', css), name + '.pdf', quiet=True)
        png = os.path.join(TMP, name)
        run('pdftoppm', '-r', '60', '-png', '-f', '1', '-l', '1', '-singlefile', pdf, png)
        with open(png + '.png', 'rb') as f:
            return f.read(), run('pdftotext', pdf, '-').stdout.split()
    plain, plain_words = page1('', 'pos0')
    sup, sup_words = page1('p { font-variant-position: super }', 'pos1')
    expect(plain != sup, 'font-variant-position: super changed no pixel')
    expect(plain_words == sup_words, 'superscript glyphs changed the extracted text')
    print(f'superscript digits drawn; {len(sup_words)} words extract as before')


def repeated_warnings_capped():
    """A sheet with one mistake per rule: 20 warnings of that kind are shown, then one line
    with the count of the rest; other kinds are counted apart; the sheet still applies."""
    css = write('capped.css', ''.join(f'.c{i} {{ colr: red }}\n' for i in range(120)) +
                ''.join(f'p.d{i} {{ text-align: sideways{i} }}\n' for i in range(21)) +
                'headline { text-transform: uppercase }\n')
    pdf, p = render(css)
    unknown = re.findall(r"capped\.css:\d+:\d+: warning: unknown property 'colr'", p.stderr)
    expect(len(unknown) == 20, f'{len(unknown)} unknown-property warnings shown, want 20')
    expect(re.search(r'capped\.css: note: \.\.\. and 100 more warnings like this$', p.stderr, re.M),
           f'no count of the other 100:\n{p.stderr[-1500:]}')
    values = [l for l in p.stderr.splitlines() if 'capped.css:' in l and 'sideways' in l and 'warning' in l]
    expect(len(values) == 20 and 'and 1 more warning like this' in p.stderr,
           f'{len(values)} bad-value warnings, want 20 and "1 more warning":\n{p.stderr[-1500:]}')
    # 40 warnings with a hint line each, and the two counts (uncapped: 282 lines).
    expect(len(p.stderr.splitlines()) <= 82, f'{len(p.stderr.splitlines())} lines of messages')
    expect('BAN CHỈ ĐẠO 35' in run('pdftotext', '-enc', 'UTF-8', pdf, '-').stdout,
           'the sheet did not apply: the headline is not upper case')
    print('141 warnings of two kinds: 20 of each shown, the rest counted')


def media_print_and_page_breaks():
    """@media print applies (also with `only`, in a list, nested), @media screen and `not print`
    do not, a media feature warns with file:line:col that it is not evaluated; the CSS 2.1
    page-break-before: always starts the byline on a new page, as break-before: page does."""
    def pixels(name, css):
        pdf, p = render(write(name + '.css', css), name + '.pdf')
        png = os.path.join(TMP, name)
        run('pdftoppm', '-r', '50', '-png', pdf, png)
        pages = sorted(f for f in os.listdir(TMP) if f.startswith(name + '-') and f.endswith('.png'))
        return [open(os.path.join(TMP, f), 'rb').read() for f in pages], p.stderr, pdf
    plain_rules = 'headline { color: #c00000 }\nbyline { color: #0000c0 }\n'
    want, _, _ = pixels('direct', plain_rules)
    got, err, _ = pixels('media', '@media print { headline { color: #c00000 } }\n'
                         '@media screen { p { font-size: 30pt } }\n'
                         '@media not print { p { font-size: 40pt } }\n'
                         '@media only print and (min-width: 10cm), tv {\n'
                         '  @media all { byline { color: #0000c0 } }\n}\n')
    expect(got == want, 'the @media sheet does not look like the same rules written plainly')
    expect(re.search(r"media\.css:4:23: warning: media feature '\(min-width: 10cm\)' is not evaluated", err),
           f'no warning naming the media feature:\n{err}')
    none, _, _ = pixels('none', '')
    screen, err2, _ = pixels('screen', '@media screen { p { font-size: 30pt } }\n')
    expect(screen == none and not err2.strip(), '@media screen changed the printed page or warned')
    _, err3, pdf = pixels('pb', 'byline { page-break-before: always }\n')
    _, _, pdf_new = pixels('bb', 'byline { break-before: page }\n')
    expect(not err3.strip(), f'page-break-before warned:\n{err3}')
    expect(page_count(pdf) == 2 and 'Sen Hồng' in run('pdftotext', '-f', '2', '-l', '2', pdf, '-').stdout,
           'page-break-before: always did not put the byline on page 2')
    expect(run('pdftotext', pdf, '-').stdout == run('pdftotext', pdf_new, '-').stdout,
           'page-break-before: always differs from break-before: page')
    print('@media print applied, screen skipped; page-break-before: always is break-before: page')


def page_kind_margins():
    """@page :first { margin-top } lowers the first page's text and leaves the others where the
    plain @page puts them; a :left page's margin-left is not applied (one measure for the
    columns) and says so with file:line:col, and :left pages' text starts where it did."""
    article = long_article()
    def tops(css, name):
        pdf, p = render(write(name + '.css', css), name + '.pdf', article)
        w = words(pdf)
        pages = sorted({x[0] for x in w})
        return {pg: min(x[2] for x in w if x[0] == pg) for pg in pages}, \
               {pg: min(x[1] for x in w if x[0] == pg) for pg in pages}, p.stderr
    plain_top, plain_left, _ = tops('', 'pk0')
    top, left, err = tops('@page :first { margin-top: 5cm }\n@page :left { margin-left: 4cm }\n', 'pk1')
    expect(len(plain_top) >= 2, f'the long article has {len(plain_top)} pages')
    drop = top[1] - plain_top[1]
    expect(drop > 60, f'the first page starts only {drop:.1f}pt lower with margin-top: 5cm')
    expect(all(abs(top[pg] - plain_top[pg]) < 0.5 for pg in plain_top if pg > 1 and pg in top),
           f'pages after the first moved: {top} against {plain_top}')
    expect(all(abs(left[pg] - plain_left[pg]) < 0.5 for pg in left if pg in plain_left),
           f'side margins changed: {left} against {plain_left}')
    expect(re.search(r"pk1\.css:2:15: warning: 'margin-left' on a :first, :left or :right page is not applied", err),
           f'no warning for the :left page margin-left:\n{err}')
    print(f'first page {drop:.0f}pt lower; the others unchanged; :left margin-left warned')


def not_drawn_warned():
    """A border, padding or background on an element trang does not decorate (a caption),
    and width on a byline, are not silently dropped: each declaration warns once with
    file:line:col naming the element, --strict fails, and resetting them (border: none) says
    nothing."""
    css = write('notdrawn.css', 'byline { width: 50%; }\n'
                'caption { border-bottom: 2pt solid red; padding: 4pt; background: #eee }\n'
                'p { border: none; padding: 0 }\n')
    _, p = render(css, 'nd.pdf')
    for pat in (r"notdrawn\.css:1:10: warning: 'width' on <byline> is not applied",
                r"notdrawn\.css:2:11: warning: 'border-bottom-\w+' on <caption> is not applied",
                r"notdrawn\.css:2:41: warning: 'padding-\w+' on <caption> is not applied",
                r"notdrawn\.css:2:55: warning: 'background-color' on <caption> is not applied"):
        expect(re.search(pat, p.stderr), f'no warning like {pat}:\n{p.stderr}')
    expect(len([l for l in p.stderr.splitlines() if 'warning' in l]) == 4,
           f'warnings beyond one per declaration:\n{p.stderr}')
    _, strict_run = render(css, 'nd2.pdf', SAMPLE, '--strict', ok=False)
    expect(strict_run.returncode == 1, f'--strict exited {strict_run.returncode}')
    print('border, padding, background on <caption> and width on <byline> warned; --strict fails')


def blocks_decorated():
    """Backgrounds, borders and padding on the blocks that hold text take effect (CSS 2.1 §8):
    a paragraph's background is painted behind its lines, which move in by its border and
    padding, and over the background of a box it is in; a kicker's background spans the head; the hairline under the head is the last
    head block's border in default.css, so `border: none` removes it. No warning."""
    art = write('deco/article.xml', open(SAMPLE, encoding='utf-8').read().replace(
        '<p>Hai là', '<p class="note">Hai là').replace(
        '</body>', '<box><title>Ghi chú</title><p class="boxed">Hộp ghi chú.</p></box></body>'))
    for name in os.listdir(SAMPLE_DIR):
        if name.endswith('.jpg'):
            shutil.copy(os.path.join(SAMPLE_DIR, name), os.path.join(TMP, 'deco', name))

    def px(pdf, x, y):
        """The pixel at (x, y) in points (y upwards) at 72 dpi, as (r, g, b)."""
        run('pdftoppm', '-r', '72', '-f', '1', '-l', '1', '-x', str(int(x)), '-y', str(int(841.89 - y)),
            '-W', '1', '-H', '1', pdf, os.path.join(TMP, 'dpx'))
        return tuple(open(os.path.join(TMP, 'dpx-1.ppm'), 'rb').read()[-3:])

    def line_of(pdf, first):
        w = words(pdf, 1)
        i = next(k for k, t in enumerate(w) if t[5] == first)
        return w[i]

    plain, _ = render(None, 'deco0.pdf', art, quiet=True)
    css = write('deco.css', 'p.note { background-color: #3060c0; color: white; '
                'border-left: 4pt solid black; padding: 6pt 8pt }\n'
                'kicker { background-color: #ffd080 }\n'
                'box { background-color: #f0e060 } p.boxed { background-color: #3060c0 }\n')
    deco, _ = render(css, 'deco1.pdf', art, quiet=True)
    # A block's background inside a box's is painted over it, not hidden under it.
    _, bx0, by0, bx1, by1, _ = line_of(deco, 'Hộp')
    inner = px(deco, bx1 + 10, 841.89 - (by0 + by1) / 2)
    expect(inner[2] > 150 and inner[0] < 100, f"the boxed paragraph's background is hidden: {inner}")
    _, dx0, dy0, dx1, dy1, _ = line_of(deco, 'Hai')
    # The note's second line starts 12pt (border + padding) right of its column's edge.
    cols = column_starts(plain)
    second = min(t[1] for t in words(deco, 1) if 8 < t[2] - dy0 < 16 and abs(t[1] - dx0) < 60)
    col = max(c for c in cols if c <= second + 1)
    expect(abs(second - col - 12) < 0.6, f"the note's lines start {second - col:.2f}pt in, not 12 (border + padding)")
    under = px(deco, dx1 + 3, 841.89 - (dy0 + dy1) / 2)
    expect(under[2] > 150 and under[0] < 100, f"no blue background beside the note's first word: {under}")
    left = [x for x in range(int(dx0) - 30, int(dx0)) if max(px(deco, x, 841.89 - (dy0 + dy1) / 2)) < 60]
    expect(left and int(dx0) - left[-1] >= 8, f'no black border left of the note (dark at x = {left})')
    _, kx0, ky0, kx1, ky1, _ = line_of(deco, 'THÀNH')
    kick = px(deco, 400, 841.89 - (ky0 + ky1) / 2)
    expect(kick[0] > 200 and kick[2] < 180, f"the kicker's background does not span the head: {kick}")
    # The hairline under the head: a dark row across the measure, gone with border: none.
    hy1 = max(t[4] for t in words(plain, 1) if t[4] - t[2] > 20)  # the headline's last line
    def rule_rows(pdf):  # rows dark across the measure, under the head's last line
        return [y for y in range(int(hy1) + 2, int(hy1) + 30)
                if all(max(px(pdf, x, 841.89 - y)) < 160 for x in (60, 180, 300, 420, 540))]
    expect(rule_rows(plain), 'no hairline under the head with the default look')
    none, _ = render(write('norule.css', 'headline { border: none }\n'), 'deco2.pdf', art, quiet=True)
    expect(not rule_rows(none), 'border: none on the headline left the hairline')
    print(f'note inset {second - col:.1f}pt, background {under}, boxed {inner}, kicker {kick}; the head rule is a border')


def rule_styles():
    """Dotted, dashed and double borders and column rules are drawn so (CSS border-style):
    the layout dump names the stroke; a dotted column rule is dots with white between them, a
    double border two dark rows with white between, a dashed one dashes; solid stays solid."""
    art = write('rules/article.xml', open(SAMPLE, encoding='utf-8').read().replace(
        '<p>Bốn là', '<subhead>Bốn nhiệm vụ</subhead><p>Bốn là'))
    for name in os.listdir(SAMPLE_DIR):
        if name.endswith('.jpg'):
            shutil.copy(os.path.join(SAMPLE_DIR, name), os.path.join(TMP, 'rules', name))
    css = write('rules.css', 'body { column-rule: 1pt dotted black }\n'
                'subhead { border-top: 3pt double black; border-bottom: 1pt dashed black; padding: 2pt 0 }\n')
    out = os.path.join(TMP, 'rules.pdf')
    p = run(TRANG, 'render', art, '-o', out, '--dump-layout', '-', '-s', css)
    expect(not p.stderr.strip(), p.stderr)
    rules = re.findall(r'rule (\S+) (\S+) (\S+) (\S+) w(\S+)( \w+)?', p.stdout)
    kinds = collections.Counter((r[5] or ' solid').strip() for r in rules)
    expect(kinds['dotted'] == 2 and kinds['double'] == 1 and kinds['dashed'] == 1,
           f'strokes in the dump: {dict(kinds)}')
    run('pdftoppm', '-r', '144', '-gray', '-f', '1', '-l', '1', '-singlefile', out, os.path.join(TMP, 'rules'))
    data = open(os.path.join(TMP, 'rules.pgm'), 'rb').read()
    w, h = map(int, data.split(b'\n')[1].split())
    px = data[-w * h:]
    def at(x, y):  # points, y upwards
        return px[int((841.89 - y) * 2) * w + int(x * 2)]
    def runs(values):  # dark stretches along a line
        dark = [v < 128 for v in values]
        return sum(1 for i in range(len(dark)) if dark[i] and (i == 0 or not dark[i - 1]))
    x, y1, _, y2 = (float(v) for v in next(r for r in rules if r[5].strip() == 'dotted')[:4])
    dots = runs([at(x, y2 + k / 2) for k in range(int((y1 - y2) * 2))])
    expect(dots > 50, f'the dotted column rule has {dots} dark stretches, not dots')
    bx1, by, bx2 = (float(v) for v in next(r for r in rules if r[5].strip() == 'double')[:3])
    across = runs([at((bx1 + bx2) / 2, by - 2 + k / 2) for k in range(9)])
    expect(across == 2, f'the double border is {across} lines across, not 2')
    dx1, dy, dx2 = (float(v) for v in next(r for r in rules if r[5].strip() == 'dashed')[:3])
    dashes = runs([at(dx1 + k / 2, dy) for k in range(int((dx2 - dx1) * 2))])
    expect(dashes > 20, f'the dashed border has {dashes} dark stretches, not dashes')
    print(f'dotted column rule: {dots} dots; double border: {across} lines; dashed: {dashes} dashes')


def image_widths():
    """width and max-width on an image (and max-width on a figure) size the picture within
    its figure, in the layout dump; max-width: 100% changes nothing and says nothing; on a
    paragraph, max-width warns with file:line:col."""
    def widths(css, name):
        out = os.path.join(TMP, name + '.pdf')
        p = run(TRANG, 'render', SAMPLE, '-o', out, '--dump-layout', '-', *(['-s', write(name + '.css', css)] if css else []))
        return [float(m) for m in re.findall(r'image \S+ \S+ \S+ (\S+) \S+', p.stdout)], p.stderr
    plain, _ = widths(None, 'iw0')
    half, err = widths('image { width: 50% }', 'iw1')
    expect(not err.strip() and all(abs(h - p / 2) < 0.05 for h, p in zip(half, plain)),
           f'image {{ width: 50% }}: {half} against {plain}\n{err}')
    same, err = widths('image { max-width: 100% }', 'iw2')
    expect(not err.strip() and same == plain, f'max-width: 100% changed {plain} to {same}\n{err}')
    capped, err = widths('figure { max-width: 30mm }', 'iw3')
    expect(not err.strip() and all(abs(c - 85.04) < 0.05 for c in capped), f'figure max-width 30mm: {capped}\n{err}')
    _, err = widths('p {\n  max-width: 10pt;\n}\n', 'iw4')
    expect(re.search(r"iw4\.css:2:3: warning: 'max-width' on <p> is not applied", err), f'no warning:\n{err}')
    print(f'picture widths {plain} -> {half} at 50%, {capped} under max-width 30mm')


def column_fill_auto():
    """column-fill: auto on body fills the last page's columns one after the other (the first
    column to its foot), where balance makes them even; the same words either way."""
    def columns(css, name):
        pdf, _ = render(write(name + '.css', css), name + '.pdf', quiet=True)
        w = words(pdf)
        feet = collections.defaultdict(float)
        for pg, x0, y0, x1, y1, t in w:
            feet[round(x0 / 175)] = max(feet[round(x0 / 175)], y1)
        return feet, sorted(t for *_, t in w)
    balanced, words_b = columns('', 'cf0')
    auto, words_a = columns('body { column-fill: auto }', 'cf1')
    expect(words_a == words_b, 'column-fill: auto changed the words')
    expect(auto[0] > balanced[0] + 40, f'the first column ends at {auto[0]:.0f}pt with auto, {balanced[0]:.0f}pt balanced')
    print(f'first column foot: {balanced[0]:.0f}pt balanced, {auto[0]:.0f}pt with column-fill: auto')


def font_shorthand():
    """The font shorthand sets what its longhands would (the same pixels, Noto Sans Bold Italic
    in pdffonts); one without a size and a family warns with file:line:col and changes nothing."""
    def png(name, css):
        pdf, p = render(write(name + '.css', css), name + '.pdf')
        run('pdftoppm', '-r', '50', '-png', '-f', '1', '-l', '1', '-singlefile', pdf, os.path.join(TMP, name))
        return open(os.path.join(TMP, name + '.png'), 'rb').read(), pdf, p.stderr
    short, pdf, err = png('fs1', 'p { font: italic bold 11pt/1.5 "Noto Sans" }\n')
    long_, _, _ = png('fs2', 'p { font-style: italic; font-weight: bold; font-size: 11pt; '
                      'line-height: 1.5; font-family: "Noto Sans" }\n')
    expect(not err.strip(), f'the font shorthand warned:\n{err}')
    expect(short == long_, 'font: italic bold 11pt/1.5 "Noto Sans" differs from its longhands')
    expect('NotoSans-BoldItalic' in run('pdffonts', pdf).stdout, 'Noto Sans Bold Italic is not in the PDF')
    bad, _, err2 = png('fs3', 'p {\n  font: bold;\n}\n')
    plain, _, _ = png('fs4', '')
    expect(re.search(r'fs3\.css:2:9: warning: .*font', err2), f'no warning for font: bold:\n{err2}')
    expect(bad == plain, 'a font shorthand without size and family changed the page')
    print('font shorthand = its longhands; a bad one warns')


if __name__ == '__main__':
    try:
        globals()[sys.argv[1]]()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print('ok')
