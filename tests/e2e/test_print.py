#!/usr/bin/env python3
"""End-to-end checks of the print (PDF/X-4) and archive (PDF/A-2b) profiles, bookmarks, page
labels and preflight: python3 test_print.py CASE.

Every requirement is checked on the real output: the PDF is parsed with `qpdf --json`, content
streams are read uncompressed with `qpdf --qdf`, pages are rasterised with pdftoppm, and
Ghostscript reads each file. veraPDF is not packaged in Debian, so PDF/A conformance is checked
structurally here, not by a validator."""
import json, os, re, shutil, subprocess, sys, tempfile
from harness import expect, fail, run

TRANG = os.environ.get('TRANG', 'trang')
SRC = os.environ.get('TRANG_SOURCE_DIR', os.path.join(os.path.dirname(__file__), '..', '..'))
SAMPLE = os.path.join(SRC, 'samples', 'can-tho', 'article.xml')
CMYK_ICC = '/usr/share/color/icc/ghostscript/default_cmyk.icc'
TMP = tempfile.mkdtemp(prefix='trang-print-')
A4 = (595.276, 841.89)
MM = 72 / 25.4


def render(*extra, article=SAMPLE, name='out.pdf'):
    out = os.path.join(TMP, name)
    run(TRANG, 'render', article, '-o', out, *extra)
    return out


class Pdf:
    """The objects of a PDF as qpdf's JSON (v2) shows them."""

    def __init__(self, path):
        self.path = path
        j = json.loads(run('qpdf', '--json=2', '--json-key=qpdf', '--decode-level=none', path).stdout)
        self.objects = j['qpdf'][1]
        self.trailer = self.objects['trailer']['value']

    def get(self, ref):
        if isinstance(ref, str) and ref.endswith(' R'):
            o = self.objects['obj:' + ref]
            return o.get('value', o.get('stream', {}).get('dict'))
        return ref

    def catalog(self):
        return self.get(self.trailer['/Root'])

    def info(self):
        return self.get(self.trailer['/Info'])

    def pages(self):
        out = []
        def walk(node):
            n = self.get(node)
            if n.get('/Type') == '/Pages':
                for k in n['/Kids']:
                    walk(k)
            else:
                out.append(n)
        walk(self.catalog()['/Pages'])
        return out

    def stream_dict(self, ref):
        return self.objects['obj:' + ref]['stream']['dict']


def text(v):
    """A qpdf JSON string value ("u:..." for text strings) as Python text."""
    return v[2:] if isinstance(v, str) and v[:2] in ('u:', 'b:') else v


def box(v):
    return [float(x) for x in v]


def near(a, b, tol=0.05):
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def content_streams(pdf):
    """Every page's content stream, uncompressed, from qpdf's QDF form."""
    qdf = subprocess.run(['qpdf', '--qdf', '--object-streams=disable', pdf, '-'],
                         capture_output=True, check=True).stdout.decode('latin-1')
    # qdf writes "%% Contents for page N" before each content stream object.
    out = []
    for m in re.finditer(r'%% Contents for page \d+\n(?:%%[^\n]*\n)*\d+ 0 obj\n<<.*?>>\nstream\n(.*?)endstream', qdf, re.S):
        out.append(m.group(1))
    return out, qdf


def xmp(pdf_obj):
    ref = pdf_obj.catalog()['/Metadata']
    raw = run('qpdf', f'--show-object={ref.split()[0]}', '--raw-stream-data', pdf_obj.path).stdout
    return raw


def qpdf_and_gs_clean(pdf):
    p = run('qpdf', '--check', pdf, check=False)
    expect(p.returncode == 0 and 'WARNING' not in p.stdout, f'qpdf --check: {p.stdout}{p.stderr}')
    g = run('gs', '-q', '-dNOPAUSE', '-dBATCH', '-o', '/dev/null', '-sDEVICE=nullpage', pdf, check=False)
    expect(g.returncode == 0 and (g.stdout + g.stderr).strip() == '',
           f'Ghostscript warned on {pdf}:\n{g.stdout}{g.stderr}')


def fonts_embedded_with_tounicode(pdf):
    lines = run('pdffonts', pdf).stdout.splitlines()[2:]
    expect(lines, 'no fonts')
    for l in lines:
        expect(re.search(r'\syes\s+yes\s+yes\s', l), f'font not embedded+subset+ToUnicode: {l}')
    return len(lines)


def ppm(path):
    data = open(path, 'rb').read()
    m = re.match(rb'P6\s+(\d+)\s+(\d+)\s+(\d+)\s', data)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():]


# ---------------------------------------------------------------------------------------------

def print_boxes_intent_info():
    pdf = render('--profile', 'print', '--output-profile', CMYK_ICC, name='print.pdf')
    d = Pdf(pdf)
    pages = d.pages()
    expect(pages, 'no pages')
    bleed = 3 * MM  # the print profile's default when the stylesheet asks for nothing
    for i, p in enumerate(pages, 1):
        for key in ('/MediaBox', '/TrimBox', '/BleedBox'):
            expect(key in p, f'page {i}: no {key}')
        trim, bl, media = box(p['/TrimBox']), box(p['/BleedBox']), box(p['/MediaBox'])
        expect(near(trim, [0, 0, *A4]), f'page {i}: TrimBox {trim} is not A4')
        expect(near(bl, [-bleed, -bleed, A4[0] + bleed, A4[1] + bleed]), f'page {i}: BleedBox {bl}')
        expect(media[0] < bl[0] - 10 and media[3] > bl[3] + 10, f'page {i}: no room for marks: {media}')
    cat = d.catalog()
    intents = [d.get(x) for x in d.get(cat['/OutputIntents'])]
    expect(len(intents) == 1, f'{len(intents)} output intents')
    oi = intents[0]
    expect(oi['/S'] == '/GTS_PDFX', f'output intent subtype {oi["/S"]}')
    expect(text(oi['/OutputConditionIdentifier']) == 'FOGRA39', oi)
    expect(text(oi['/RegistryName']) == 'http://www.color.org', oi)
    icc = d.stream_dict(oi['/DestOutputProfile'])
    expect(icc['/N'] == 4, f'DestOutputProfile /N {icc.get("/N")}')
    info = d.info()
    expect(text(info['/GTS_PDFXVersion']) == 'PDF/X-4', info)
    expect(info['/Trapped'] == '/False', info)
    expect(text(info['/Title']).startswith('Ban Chỉ đạo 35'), info)
    expect(text(info['/CreationDate']) == "D:20251120000000+00'00'", f'date from the article: {info}')
    expect(text(info['/ModDate']) == text(info['/CreationDate']), info)
    x = xmp(d)
    for field in ('<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>',
                  '<pdf:Trapped>False</pdf:Trapped>',
                  '<xmp:CreateDate>2025-11-20T00:00:00+00:00</xmp:CreateDate>',
                  'Ban Chỉ đạo 35 Thành ủy Cần Thơ'):
        expect(field in x, f'XMP lacks {field}')
    expect('/ID' in d.trailer, 'no /ID')
    n = fonts_embedded_with_tounicode(pdf)
    qpdf_and_gs_clean(pdf)
    print(f'{len(pages)} pages with A4 TrimBox, 3 mm BleedBox; GTS_PDFX FOGRA39 with ICC; {n} fonts')


def print_content_is_cmyk():
    pdf = render('--profile', 'print', name='print.pdf')
    streams, qdf = content_streams(pdf)
    expect(streams, 'no content streams found')
    bad = re.compile(r'(?:^|\s)(rg|RG|g|G|cs|CS|sc|SC|scn|SCN)\s')
    for i, s in enumerate(streams, 1):
        m = bad.search(s)
        expect(not m, f'page {i}: non-CMYK colour operator {m.group(1) if m else ""!r}')
        expect(re.search(r'\sk\s', s), f'page {i}: no CMYK fill colour at all')
    expect('/DeviceRGB' not in qdf, 'DeviceRGB in a print file')
    # RGB JPEGs are tagged sRGB (ICCBased), never DeviceRGB.
    expect('/ICCBased' in qdf, 'RGB photos not tagged as ICC-based sRGB')
    qpdf_and_gs_clean(pdf)
    print(f'{len(streams)} content streams, only k/K colour operators')


def print_marks_pixels():
    pdf = render('--profile', 'print', name='print.pdf')
    d = Pdf(pdf)
    p = d.pages()[0]
    media, trim, bl = box(p['/MediaBox']), box(p['/TrimBox']), box(p['/BleedBox'])
    run('pdftoppm', '-r', '72', '-f', '1', '-l', '1', pdf, os.path.join(TMP, 'mk'))
    w, h, px = ppm(os.path.join(TMP, 'mk-1.ppm'))
    expect(abs(w - (media[2] - media[0])) < 2, f'rendered width {w} is not the MediaBox')
    def dark(x, y):
        i = 3 * (y * w + x)
        return px[i] + px[i + 1] + px[i + 2] < 384
    # Image coordinates: x from the MediaBox left, y from its top.
    to_x = lambda X: int(round(X - media[0]))
    to_y = lambda Y: int(round(media[3] - Y))
    corners = [(0, 0), (A4[0], 0), (0, A4[1]), (A4[0], A4[1])]
    for X, Y in corners:
        sx = -1 if X == 0 else 1
        sy = -1 if Y == 0 else 1
        # Along the trim edge's extension, outside the bleed: a horizontal and a vertical mark.
        hx = [to_x(X + sx * d) for d in range(int(bl[2] - trim[2]) + 2, int(trim[0] - media[0]) - 1)]
        vy = [to_y(Y + sy * d) for d in range(int(bl[2] - trim[2]) + 2, int(trim[0] - media[0]) - 1)]
        yy, xx = to_y(Y), to_x(X)
        expect(any(dark(x, yy) or dark(x, yy - 1) or dark(x, min(h - 1, yy + 1)) for x in hx if 0 <= x < w),
               f'no horizontal crop mark at corner {X, Y}')
        expect(any(dark(xx, y) or dark(xx - 1, y) or dark(min(w - 1, xx + 1), y) for y in vy if 0 <= y < h),
               f'no vertical crop mark at corner {X, Y}')
    # The trim area's corner regions inside the bleed carry no marks.
    gap = int(bl[2] - trim[2])
    for x in range(to_x(-gap) + 1, to_x(0) - 1):
        expect(not dark(x, to_y(0) + 2), 'a mark reaches into the bleed')
    shutil.copy(os.path.join(TMP, 'mk-1.ppm'), os.path.join(TMP, 'print-page-1.ppm'))
    print(f'crop marks found at all four corners outside the bleed ({w}x{h} px)')


def print_stylesheet_bleed_and_cross_marks():
    css = os.path.join(TMP, 'marks.css')
    open(css, 'w').write('@page { bleed: 5mm; marks: crop cross }\n')
    pdf = render('--profile', 'print', '--stylesheet', css, name='marks.pdf')
    d = Pdf(pdf)
    for p in d.pages():
        bl = box(p['/BleedBox'])
        expect(near(bl, [-5 * MM, -5 * MM, A4[0] + 5 * MM, A4[1] + 5 * MM]), f'BleedBox {bl} is not 5 mm')
    streams, _ = content_streams(pdf)
    expect(streams and all(' c\n' in s for s in streams), 'no registration targets (curves) drawn')
    qpdf_and_gs_clean(pdf)
    print('@page bleed 5mm and marks: crop cross honoured')


def print_figure_bleeds():
    """A figure set to bleed (-trang-bleed) paints past the trim edge up to the bleed, not beyond."""
    import struct, zlib
    d = os.path.join(TMP, 'bleedfig')
    os.makedirs(d, exist_ok=True)
    w, h = 300, 120  # a solid red PNG, drawn here so the pixels are known
    raw = b''.join(b'\x00' + b'\xff\x00\x00' * w for _ in range(h))
    chunk = lambda t, b: struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
    png = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) +
           chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
    open(os.path.join(d, 'red.png'), 'wb').write(png)
    art = os.path.join(d, 'a.xml')
    open(art, 'w', encoding='utf-8').write(
        '<?xml version="1.0" encoding="UTF-8"?>\n<article xml:lang="vi"><headline>Tràn lề</headline><body>'
        '<figure class="b"><image src="red.png" alt="đỏ"/><caption>Ảnh tràn lề</caption></figure>'
        '<p>Nội dung bài viết.</p></body></article>\n')
    css = os.path.join(d, 'b.css')
    open(css, 'w').write('@page { bleed: 5mm; marks: crop }\nfigure.b { column-span: all; -trang-bleed: left right; }\n')
    pdf = render('--profile', 'print', '--stylesheet', css, article=art, name='bleedfig.pdf')
    p = Pdf(pdf).pages()[0]
    media, trim, bl = box(p['/MediaBox']), box(p['/TrimBox']), box(p['/BleedBox'])
    run('pdftoppm', '-r', '72', '-f', '1', '-l', '1', pdf, os.path.join(TMP, 'bf'))
    W, H, px = ppm(os.path.join(TMP, 'bf-1.ppm'))
    red = lambda x, y: px[3 * (y * W + x)] > 200 and px[3 * (y * W + x) + 1] < 80
    rows = [y for y in range(H) if red(int(round(trim[0] - media[0])) + 20, y)]
    expect(rows, 'no red figure on the page')
    y = rows[len(rows) // 2]
    inside_left = int(round(bl[0] - media[0])) + 2    # between bleed and trim, left
    inside_right = int(round(bl[2] - media[0])) - 3   # between trim and bleed, right
    beyond_left = int(round(bl[0] - media[0])) - 3    # past the bleed
    beyond_right = int(round(bl[2] - media[0])) + 2
    expect(red(inside_left, y) and red(inside_right, y), 'the figure does not run into the bleed')
    # Past the BleedBox (when the MediaBox leaves room there, e.g. for marks) nothing is red.
    for x in (beyond_left, beyond_right):
        expect(not (0 <= x < W) or not red(x, y), 'the figure runs past the bleed')
    qpdf_and_gs_clean(pdf)
    print('a bleeding figure fills the bleed on both sides and stops at the BleedBox')


def archive_pdfa():
    pdf = render('--profile', 'archive', name='archive.pdf')
    d = Pdf(pdf)
    cat = d.catalog()
    oi = d.get(d.get(cat['/OutputIntents'])[0])
    expect(oi['/S'] == '/GTS_PDFA1', f'output intent {oi["/S"]}')
    expect(text(oi['/OutputConditionIdentifier']) == 'sRGB IEC61966-2.1', oi)
    expect(d.stream_dict(oi['/DestOutputProfile'])['/N'] == 3, 'sRGB profile not embedded')
    md = d.stream_dict(cat['/Metadata'])
    expect(md.get('/Subtype') == '/XML' and '/Filter' not in md, f'metadata stream {md}')
    x = xmp(d)
    info = d.info()
    for field in ('<pdfaid:part>2</pdfaid:part>', '<pdfaid:conformance>A</pdfaid:conformance>',
                  '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">' + text(info['/Title']) + '</rdf:li>',
                  '<dc:creator><rdf:Seq><rdf:li>Sen Hồng</rdf:li>',
                  '<dc:language><rdf:Bag><rdf:li>vi</rdf:li>',
                  '<rdf:li>Thành ủy Cần Thơ</rdf:li>',
                  '<xmp:CreateDate>2025-11-20T00:00:00+00:00</xmp:CreateDate>',
                  '<pdf:Producer>' + text(info['/Producer']) + '</pdf:Producer>',
                  '<xmp:CreatorTool>' + text(info['/Creator']) + '</xmp:CreatorTool>'):
        expect(field in x, f'XMP lacks {field}')
    expect(text(info['/CreationDate']) == "D:20251120000000+00'00'", info)
    expect('/Encrypt' not in d.trailer and '/ID' in d.trailer, 'encrypted or no /ID')
    for o in d.objects.values():
        v = o.get('value', {})
        if isinstance(v, dict) and v.get('/Subtype') == '/Link':
            expect(v.get('/F') == 4, f'link annotation without the Print flag: {v}')
        if isinstance(v, dict) and v.get('/S') in ('/Launch', '/GoToR', '/JavaScript'):
            fail(f'external reference or script: {v}')
    streams, qdf = content_streams(pdf)
    expect(streams, 'no content streams found')
    expect('/DeviceCMYK' not in qdf and not re.search(r'\s[kK]\n', qdf), 'DeviceCMYK in a PDF/A with an sRGB intent')
    n = fonts_embedded_with_tounicode(pdf)
    qpdf_and_gs_clean(pdf)
    print(f'PDF/A-2a: XMP, sRGB intent, {n} fonts embedded with ToUnicode, no encryption')


def outlines_and_labels():
    for profile in ('screen', 'print', 'archive'):
        pdf = render('--profile', profile, name=f'nav-{profile}.pdf')
        d = Pdf(pdf)
        cat = d.catalog()
        outlines = d.get(cat['/Outlines'])
        first = d.get(outlines['/First'])
        expect(text(first['/Title']).startswith('Ban Chỉ đạo 35'), f'first bookmark {first}')
        dest = first['/Dest']
        expect(dest[1] == '/XYZ' and float(dest[3]) > A4[1] / 2, f'bookmark destination {dest}')
        first_page = d.get(d.get(cat['/Pages'])['/Kids'][0])
        expect(d.get(dest[0]) == first_page and first_page.get('/Type') == '/Page',
               f'bookmark does not go to page 1: {dest}')
        labels = d.get(cat['/PageLabels'])
        nums = labels['/Nums']
        expect(nums[0] == 0 and d.get(nums[1]).get('/S') == '/D', f'page labels {nums}')
        qpdf_and_gs_clean(pdf)
    print('bookmarks (UTF-16 titles, /XYZ) and page labels in every profile')


def preflight_clean():
    report = os.path.join(TMP, 'clean.json')
    p = run(TRANG, 'check', SAMPLE, '--report', report, check=False)
    expect(p.returncode == 0, f'check of the clean sample exited {p.returncode}:\n{p.stderr}')
    r = json.load(open(report, encoding='utf-8'))
    kinds = [f['kind'] for f in r['findings'] if f['level'] != 'info']
    expect(r['errors'] == 0 and not kinds, f'findings on a clean article: {kinds}')
    fonts = [f for f in r['findings'] if f['kind'] == 'font']
    expect(fonts and all(f['details']['file'].endswith(('.ttf', '.otf')) for f in fonts), 'fonts not listed')
    expect('0 errors' in p.stderr, p.stderr)
    print(f'clean sample: no findings, {len(fonts)} fonts listed')


def seeded_article():
    d = os.path.join(TMP, 'seeded')
    os.makedirs(d, exist_ok=True)
    standin = os.path.join(os.path.dirname(TRANG), 'tools', 'standin-photo')
    small = os.path.join(d, 'small.jpg')
    if os.path.exists(standin):
        run(standin, 'hall', '120', '80', small)
    else:
        shutil.copy(os.path.join(os.path.dirname(SAMPLE), 'tran-van-huyen.jpg'), small)
    body = '\n'.join('<p>' + ('Câu văn dài để lấp đầy trang giấy trong bài báo thử nghiệm. ' * 30) + '</p>'
                     for _ in range(12))
    xml = f'''<?xml version="1.0" encoding="UTF-8"?>
<article xml:lang="vi" id="seeded">
  <meta><date>2025-11-20</date><author>Thử</author></meta>
  <headline>Bài thử có lỗi \ue000</headline>
  <body>
    <figure placement="column"><image src="small.jpg" alt="ảnh nhỏ"/><caption>Ảnh 72 ppi</caption></figure>
    {body}
  </body>
</article>
'''
    path = os.path.join(d, 'article.xml')
    open(path, 'w', encoding='utf-8').write(xml)
    return path


def preflight_seeded():
    article = seeded_article()
    report = os.path.join(TMP, 'seeded.json')
    p = run(TRANG, 'check', article, '--profile', 'print', '--max-pages', '1', '--report', report,
            check=False)
    expect(p.returncode == 1, f'check of the seeded article exited {p.returncode}:\n{p.stderr}')
    r = json.load(open(report, encoding='utf-8'))
    by = {}
    for f in r['findings']:
        by.setdefault(f['kind'], []).append(f)
    expect('overset' in by and by['overset'][0]['level'] == 'error', f'no overset error: {list(by)}')
    res = by.get('image-resolution', [])
    expect(res and res[0]['level'] == 'error' and res[0]['details']['effective_ppi'] < 300,
           f'no low-resolution error: {list(by)}')
    mg = by.get('missing-glyph', [])
    expect(mg and mg[0]['details']['characters'][0]['code_point'] == 'U+E000', f'missing glyph not found: {list(by)}')
    expect(mg[0]['details']['fonts_tried'], 'fonts tried not named')
    expect(r['errors'] >= 3 and not r['ok'], r)
    for word in ('overset', 'ppi', 'U+E000'):
        expect(word in p.stderr, f'summary lacks {word}:\n{p.stderr}')
    # render --report writes the same findings next to the PDF.
    out = os.path.join(TMP, 'seeded.pdf')
    rr = run(TRANG, 'render', article, '-o', out, '--profile', 'print', '--report', report, check=False)
    r2 = json.load(open(report, encoding='utf-8'))
    expect(any(f['kind'] == 'image-resolution' for f in r2['findings']), 'render --report lacks findings')
    print(f'seeded: overset, {res[0]["details"]["effective_ppi"]} ppi image, U+E000 (tried '
          f'{", ".join(mg[0]["details"]["fonts_tried"][:3])}...) found; exit 1')


def profiles_deterministic_and_gs():
    for profile in ('screen', 'print', 'archive'):
        a = open(render('--profile', profile, name=f'a-{profile}.pdf'), 'rb').read()
        b = open(render('--profile', profile, name=f'b-{profile}.pdf'), 'rb').read()
        expect(a == b, f'{profile}: two renders differ')
        qpdf_and_gs_clean(os.path.join(TMP, f'a-{profile}.pdf'))
    print('every profile: same bytes twice, qpdf and Ghostscript clean')


def bad_profile_args():
    p = run(TRANG, 'render', SAMPLE, '-o', os.path.join(TMP, 'x.pdf'), '--profile', 'press', check=False)
    expect(p.returncode == 2, f'unknown profile exited {p.returncode}')
    bad = os.path.join(TMP, 'bad.icc')
    open(bad, 'wb').write(b'not an icc profile')
    out = os.path.join(TMP, 'bad-icc.pdf')
    p = run(TRANG, 'render', SAMPLE, '-o', out, '--profile', 'print', '--output-profile', bad, check=False)
    expect(p.returncode == 1 and 'bad.icc' in p.stderr and not os.path.exists(out),
           f'bad ICC: exit {p.returncode}, {p.stderr}')
    print('unknown profile and bad ICC rejected, no output')


CASES = {f.__name__: f for f in (print_boxes_intent_info, print_content_is_cmyk, print_marks_pixels,
                                  print_stylesheet_bleed_and_cross_marks, print_figure_bleeds, archive_pdfa,
                                  outlines_and_labels, preflight_clean, preflight_seeded,
                                  profiles_deterministic_and_gs, bad_profile_args)}

if __name__ == '__main__':
    try:
        CASES[sys.argv[1]]()
    finally:
        if not os.environ.get('TRANG_KEEP_TEST_FILES'):
            shutil.rmtree(TMP, ignore_errors=True)
