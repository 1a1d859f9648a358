#!/usr/bin/env python3
"""End-to-end checks of `trang render`, one per ctest case: python3 test_render.py CASE.

Each case renders real articles with the built binary ($TRANG) and inspects the PDF with the
tools a reviewer uses: pdffonts, pdftotext, pdfimages, pdftoppm, qpdf. A case prints what it
found and exits non-zero when the behaviour is wrong."""
import base64, collections, glob, json, os, re, shutil, signal, struct, subprocess, sys, tempfile
import unicodedata
from harness import expect, fail, run

TRANG = os.environ.get('TRANG', 'trang')
SRC = os.environ.get('TRANG_SOURCE_DIR', os.path.join(os.path.dirname(__file__), '..', '..'))
SAMPLE = os.path.join(SRC, 'samples', 'can-tho', 'article.xml')
SEED = os.path.join(SRC, 'tests', 'data', 'can-tho-ban-chi-dao-35.txt')
TMP = tempfile.mkdtemp(prefix='trang-e2e-')


def render(article=SAMPLE, out=None, *extra, ok=True):
    out = out or os.path.join(TMP, 'out.pdf')
    p = run(TRANG, 'render', article, '-o', out, *extra, check=False)
    if ok and p.returncode != 0:
        fail(f'render {article} exited {p.returncode}:\n{p.stderr}')
    return out, p


def words_with_boxes(pdf, page=None):
    args = ['pdftotext', '-bbox']
    if page:
        args += ['-f', str(page), '-l', str(page)]
    html = run(*args, pdf, '-').stdout
    out = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html):
        x0, y0, x1, y1 = map(float, m.groups()[:4])
        out.append((x0, y0, x1, y1, m.group(5)))
    return out


def seed_words():
    text = unicodedata.normalize('NFC', open(SEED, encoding='utf-8').read())
    strip = lambda w: w.strip('“”"\'.,:;!?()–-')
    return [strip(w) for w in text.split() if strip(w)]


def extracted_words(pdf):
    text = run('pdftotext', '-enc', 'UTF-8', pdf, '-').stdout
    strip = lambda w: w.strip('“”"\'.,:;!?()–-')
    return text, collections.Counter(strip(w) for w in text.split())


def make_nfd_copy():
    """The sample article with every text decomposed (NFD), beside copies of its photos."""
    d = os.path.join(TMP, 'nfd')
    os.makedirs(d, exist_ok=True)
    for f in glob.glob(os.path.join(os.path.dirname(SAMPLE), '*.jpg')):
        shutil.copy(f, d)
    xml = open(SAMPLE, encoding='utf-8').read()
    nfd = unicodedata.normalize('NFD', xml)
    expect(nfd != xml, 'NFD copy identical to the original: nothing decomposed')
    path = os.path.join(d, 'article.xml')
    open(path, 'w', encoding='utf-8').write(nfd)
    return path


def write(name, content, binary=False):
    path = os.path.join(TMP, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb' if binary else 'w', **({} if binary else {'encoding': 'utf-8'})) as f:
        f.write(content)
    return path


# ---------------------------------------------------------------------------------------------

def sample_fonts():
    pdf, _ = render()
    lines = run('pdffonts', pdf).stdout.splitlines()[2:]
    expect(lines, 'no fonts listed')
    for l in lines:
        expect(re.search(r'CID TrueType\s+Identity-H\s+yes\s+yes\s+yes', l),
               f'font not Type0/CID TrueType, Identity-H, embedded, subset, with ToUnicode: {l}')
        expect(re.match(r'[A-Z]{6}\+', l), f'no subset tag: {l}')
    names = ' '.join(l.split()[0] for l in lines)
    expect('NotoSerif' in names and 'NotoSans' in names, f'expected Noto Serif and Noto Sans: {names}')
    print(f'{len(lines)} fonts, all embedded, subset, with ToUnicode: {names}')


def sample_words_nfc():
    pdf, _ = render()
    text, have = extracted_words(pdf)
    expect(text == unicodedata.normalize('NFC', text), 'pdftotext output is not NFC')
    missing = [w for w in seed_words() if have[w] == 0]
    expect(not missing, f'{len(missing)} source words missing from pdftotext: {missing[:20]}')
    # Every occurrence, not just every distinct word.
    want = collections.Counter(seed_words())
    short = {w: (n, have[w]) for w, n in want.items() if have[w] < n}
    expect(not short, f'words extracted fewer times than in the source: {list(short.items())[:10]}')
    print(f'all {len(seed_words())} source words extracted, in NFC')


def nfd_same_pixels_and_text():
    a, _ = render(SAMPLE, os.path.join(TMP, 'nfc.pdf'))
    b, _ = render(make_nfd_copy(), os.path.join(TMP, 'nfd.pdf'))
    for name, pdf in (('nfc', a), ('nfd', b)):
        run('pdftoppm', '-r', '72', '-gray', pdf, os.path.join(TMP, name))
    pa = sorted(glob.glob(os.path.join(TMP, 'nfc-*.pgm')))
    pb = sorted(glob.glob(os.path.join(TMP, 'nfd-*.pgm')))
    expect(pa and len(pa) == len(pb), f'page counts differ: {len(pa)} vs {len(pb)}')
    for x, y in zip(pa, pb):
        expect(open(x, 'rb').read() == open(y, 'rb').read(), f'pixels differ: {x} vs {y}')
    ta = run('pdftotext', '-enc', 'UTF-8', a, '-').stdout
    tb = run('pdftotext', '-enc', 'UTF-8', b, '-').stdout
    expect(ta == tb, 'NFD input extracts different text than NFC input')
    expect(tb == unicodedata.normalize('NFC', tb), 'NFD input does not extract as NFC')
    print(f'{len(pa)} page(s) identical; extracted text identical and NFC')


def pdf_objects(pdf):
    """Every object of the PDF, streams decoded, as qpdf's JSON (version 2) gives them."""
    out = run('qpdf', '--json=2', '--json-key=qpdf', '--json-stream-data=inline',
              '--decode-level=generalized', pdf).stdout
    objs = json.loads(out)['qpdf'][1]

    def get(v):
        """An object's dictionary (a stream's dict) or value, following a reference."""
        if isinstance(v, str) and v.endswith(' R'):
            o = objs['obj:' + v]
            return o['stream']['dict'] if 'stream' in o else o['value']
        return v

    def data(ref):
        return base64.b64decode(objs['obj:' + ref]['stream']['data'])
    return objs, get, data


def sfnt_metrics(font):
    """maxp.numGlyphs, unitsPerEm and the advance of every glyph of a TrueType font file."""
    tables = {}
    for i in range(struct.unpack('>H', font[4:6])[0]):
        tag, _, off, length = struct.unpack('>4sIII', font[12 + 16 * i:28 + 16 * i])
        tables[tag.decode('latin1')] = off
    num_glyphs = struct.unpack('>H', font[tables['maxp'] + 4:tables['maxp'] + 6])[0]
    upem = struct.unpack('>H', font[tables['head'] + 18:tables['head'] + 20])[0]
    metrics = struct.unpack('>H', font[tables['hhea'] + 34:tables['hhea'] + 36])[0]
    hmtx = tables['hmtx']
    adv = [struct.unpack('>H', font[hmtx + 4 * min(g, metrics - 1):][:2])[0] for g in range(num_glyphs)]
    return num_glyphs, upem, adv


def content_ops(content):
    """The operators of a content stream with their operands, read as a PDF reader reads them
    (ISO 32000-1 §7.2, §7.3): (operator, operands, strings, hex), where operands are the numbers
    and names as written and strings the decoded string operands, also those inside an array;
    literal strings are unescaped and a raw end-of-line in one reads as 0x0A (§7.3.4.2); hex
    tells whether any was written in hex. Anything inside a dictionary operand (ActualText) is
    left out."""
    ops, operands, strs, hexed, depth, i, n = [], [], [], False, 0, 0, len(content)
    space, delims = b' \t\r\n\f\0', b'()<>[]{}/%'
    while i < n:
        c = content[i:i + 1]
        if c in space and c:
            i += 1
        elif c == b'%':
            while i < n and content[i] not in b'\r\n':
                i += 1
        elif c == b'(':
            out, level, i = bytearray(), 1, i + 1
            while True:
                d = content[i]
                i += 1
                if d == 0x5C:  # backslash
                    e = content[i]
                    i += 1
                    if e in b'nrtbf':
                        out.append(b'\n\r\t\b\f'[b'nrtbf'.index(e)])
                    elif 0x30 <= e <= 0x37:
                        v, k = e - 0x30, 0
                        while k < 2 and 0x30 <= content[i] <= 0x37:
                            v, i, k = v * 8 + content[i] - 0x30, i + 1, k + 1
                        out.append(v & 0xFF)
                    elif e == 0x0D:
                        i += content[i] == 0x0A  # a line continuation
                    elif e != 0x0A:
                        out.append(e)
                elif d == 0x0D:
                    i += content[i] == 0x0A
                    out.append(0x0A)
                elif d == 0x28:
                    level += 1
                    out.append(d)
                elif d == 0x29:
                    level -= 1
                    if level == 0:
                        break
                    out.append(d)
                else:
                    out.append(d)
            if not depth:
                strs.append(bytes(out))
        elif content[i:i + 2] == b'<<':
            depth, i = depth + 1, i + 2
        elif content[i:i + 2] == b'>>':
            depth, i = depth - 1, i + 2
        elif c == b'<':
            j = content.index(b'>', i)
            h = re.sub(rb'\s', b'', content[i + 1:j])
            i = j + 1
            if not depth:
                strs.append(bytes.fromhex((h + b'0' * (len(h) % 2)).decode()))
                hexed = True
        elif c in b'[]{}':
            i += 1
        else:
            j = i + 1
            while j < n and content[j:j + 1] not in space and content[j:j + 1] not in delims:
                j += 1
            tok, i = content[i:j], j
            if depth:
                pass  # inside a dictionary: not needed
            elif c == b'/' or c in b'0123456789+-.':
                operands.append(tok)
            else:
                ops.append((tok.decode('latin-1'), operands, strs, hexed))
                operands, strs, hexed = [], [], False
    return ops


def used_codes(content):
    """Two-byte codes shown with each font resource in a content stream (TJ and Tj strings)."""
    used, font = collections.defaultdict(set), None
    for op, operands, strs, _ in content_ops(content):
        if op == 'Tf':
            font = operands[0][1:].decode()
        elif op in ('TJ', 'Tj'):
            for s in strs:
                expect(font and len(s) % 2 == 0, f'string {s!r} outside a font or not two-byte')
                used[font].update(int.from_bytes(s[i:i + 2], 'big') for i in range(0, len(s), 2))
    return used


def sample_truetype_subsets_compact():
    # TrueType subsets are renumbered: each embedded font holds the glyphs the text uses,
    # .notdef and composite glyphs' components, not every glyph up to the highest used ID. The
    # content's codes, /W and the subset's own advances agree, and the text extracts as before.
    pdf, _ = render()
    objs, get, data = pdf_objects(pdf)
    used = collections.defaultdict(set)  # Type0 font reference -> CIDs shown
    for o in objs.values():
        page = o.get('value')
        if not isinstance(page, dict) or page.get('/Type') != '/Page':
            continue
        fonts = get(get(page['/Resources']).get('/Font', {}))
        contents = page['/Contents']
        for ref in contents if isinstance(contents, list) else [contents]:
            for name, codes in used_codes(data(ref)).items():
                used[fonts['/' + name]] |= codes
    expect(len(used) >= 4, f'{len(used)} fonts used on the page, want 4')
    for ref, codes in sorted(used.items()):
        cid_font = get(get(ref)['/DescendantFonts'][0])
        name = cid_font['/BaseFont']
        expect(cid_font['/Subtype'] == '/CIDFontType2' and cid_font.get('/CIDToGIDMap') == '/Identity',
               f'{name}: not CIDFontType2 with /CIDToGIDMap /Identity')
        num_glyphs, upem, adv = sfnt_metrics(data(get(cid_font['/FontDescriptor'])['/FontFile2']))
        expect(num_glyphs < 2 * len(codes),
               f'{name}: the subset holds {num_glyphs} glyphs for {len(codes)} used: not renumbered')
        widths, w = {}, cid_font['/W']
        for first, group in zip(w[0::2], w[1::2]):
            widths.update({first + i: v for i, v in enumerate(get(group))})
        expect(set(widths) == codes, f'{name}: /W lists {sorted(set(widths) ^ codes)[:10]} wrongly')
        for c in sorted(codes):
            expect(0 < c < num_glyphs, f'{name}: code {c} outside the subset\'s {num_glyphs} glyphs')
            # /W holds the original glyph's width: the subset's glyph c must be that glyph.
            expect(widths[c] == (adv[c] * 1000 + upem // 2) // upem,
                   f'{name}: CID {c} is {widths[c]} wide in /W but {adv[c]}/{upem} in the subset')
        print(f'{name}: {len(codes)} glyphs used, {num_glyphs} in the subset')
    text, have = extracted_words(pdf)
    expect(text == unicodedata.normalize('NFC', text), 'pdftotext output is not NFC')
    want = collections.Counter(seed_words())
    short = {w: (n, have[w]) for w, n in want.items() if have[w] < n}
    expect(not short, f'words extracted fewer times than in the source: {list(short.items())[:10]}')
    print(f'all {len(seed_words())} source words extracted, in NFC')


def sample_content_compact():
    # The page's text is written compactly (engine/pdf/content.h): the lines share text objects
    # and move from one to the next with Td, TD or T*; font and colour are set when they change;
    # glyph codes are two-byte literal strings, with the bytes that need it escaped. Each code
    # still reads back as a glyph of the font (sample_truetype_subsets_compact checks them all
    # against /W and the subset). The raw content took 7.6 bytes a glyph when every line was a
    # text object of its own with hex codes (b9bd0e1); it must stay under 5.
    pdf, _ = render()
    objs, get, data = pdf_objects(pdf)
    pages = [o['value'] for o in objs.values()
             if isinstance(o.get('value'), dict) and o['value'].get('/Type') == '/Page']
    expect(len(pages) == 1, f'{len(pages)} pages, want 1')
    content = data(pages[0]['/Contents'])
    ops = content_ops(content)
    shows = [o for o in ops if o[0] in ('TJ', 'Tj')]
    glyphs = sum(len(s) // 2 for o in shows for s in o[2])
    count = collections.Counter(o[0] for o in ops)
    lines = count['Td'] + count['TD'] + count['T*'] + count['Tm']
    expect(not any(o[3] for o in shows), 'glyph codes written as hex strings')
    expect(lines >= 60, f'only {lines} lines of text')
    expect(count['BT'] * 5 <= lines, f'{count["BT"]} text objects for {lines} lines')
    expect(count['Tf'] * 5 <= lines, f'{count["Tf"]} Tf for {lines} lines')
    inside, nested = False, []
    for o in ops:
        inside = o[0] == 'BT' or (inside and o[0] != 'ET')
        if inside and o[0] in ('q', 'Q', 'cm', 'Do'):
            nested.append(o[0])
    expect(not nested, f'graphics state operators inside a text object: {nested[:5]}')
    codes = {int.from_bytes(s[i:i + 2], 'big') for o in shows for s in o[2] for i in range(0, len(s), 2)}
    for code, escaped in ((0x0A, rb'\n'), (0x0D, rb'\r'), (0x28, rb'\('), (0x29, rb'\)'), (0x5C, rb'\\')):
        expect(code in codes, f'the sample shows no code {code:#06x}: the escape is not exercised')
        expect(b'\0' + escaped in content, f'code {code:#06x} not written as \\0{escaped.decode()}')
    expect(b'\r' not in content, 'a raw CR in the content')
    per_glyph = len(content) / glyphs
    expect(per_glyph < 5, f'{len(content)} bytes of content for {glyphs} glyphs: {per_glyph:.2f} a glyph')
    print(f'{len(content)} bytes for {glyphs} glyphs ({per_glyph:.2f} a glyph), {lines} lines in '
          f'{count["BT"]} text objects, {count["Tf"]} Tf, {count["T*"]} T*')


def sample_images():
    pdf, _ = render()
    rows = run('pdfimages', '-list', pdf).stdout.splitlines()[2:]
    imgs = [r.split() for r in rows if r.split()[2] == 'image']
    expect(len(imgs) == 2, f'expected 2 photos, pdfimages lists {len(imgs)}:\n' + '\n'.join(rows))
    for r in imgs:
        expect(r[3:5] == ['1600', '1067'] and r[8] == 'jpeg', f'photo not the 1600x1067 JPEG: {r}')
    print('both photos embedded as 1600x1067 JPEG')


def optimize_images():
    # --optimize-images re-codes the photos losslessly (progressive, optimised Huffman tables):
    # the PDF is smaller, every pixel and every word the same, and the JPEGs are progressive.
    plain, _ = render(SAMPLE, os.path.join(TMP, 'plain.pdf'))
    small, _ = render(SAMPLE, os.path.join(TMP, 'optimized.pdf'), '--optimize-images')
    a, b = os.path.getsize(plain), os.path.getsize(small)
    expect(b < a * 0.97, f'optimized PDF is {b} bytes, plain {a}: want at least 3% smaller')
    run('qpdf', '--check', small)
    expect(run('pdftotext', plain, '-').stdout == run('pdftotext', small, '-').stdout,
           'text differs with --optimize-images')
    pages = []
    for pdf in (plain, small):
        prefix = pdf[:-4] + '-px'
        run('pdftoppm', '-r', '40', '-f', '1', '-l', '1', pdf, prefix)
        pages.append(open(glob.glob(prefix + '*.ppm')[0], 'rb').read())
    expect(pages[0] == pages[1], 'pixels differ with --optimize-images')
    d = os.path.join(TMP, 'optimized-images')
    os.makedirs(d, exist_ok=True)
    run('pdfimages', '-j', small, os.path.join(d, 'im'))
    jpegs = sorted(glob.glob(os.path.join(d, 'im-*.jpg')))
    expect(len(jpegs) == 2, f'want 2 JPEGs out of the PDF, got {jpegs}')
    for j in jpegs:
        data = open(j, 'rb').read()
        expect(b'\xff\xc2' in data, f'{j} is not progressive (no SOF2)')
    print(f'--optimize-images: {a} -> {b} bytes ({100 * (a - b) / a:.1f}% smaller), same pixels and text')


def column_starts(words):
    lines = collections.defaultdict(list)
    for w in words:
        lines[round(w[3])].append(w)
    starts = sorted(round(min(w[0] for w in ws)) for ws in lines.values())
    clusters = []
    for s in starts:
        if clusters and s - clusters[-1][0] < 20:  # first-line indents belong to their column
            clusters[-1].append(s)
        else:
            clusters.append([s])
    return [c[0] for c in clusters if len(c) >= 5]


def sample_columns():
    pdf, _ = render()
    cols = column_starts(words_with_boxes(pdf, 1))
    expect(len(cols) == 3, f'page 1 has {len(cols)} text columns, want 3: {cols}')
    print(f'3 columns on page 1 at x = {cols}')


def check_line_widths(pdf, ncols):
    """Every word lies inside its column: no line is wider than its column."""
    info = run('pdfinfo', pdf).stdout
    pw = float(re.search(r'Page size:\s+([\d.]+)', info).group(1))
    bad = []
    n = 0
    pages = int(re.search(r'Pages:\s+(\d+)', info).group(1))
    for page in range(1, pages + 1):
        words = words_with_boxes(pdf, page)
        if not words:
            continue
        heights = collections.Counter(round(w[3] - w[1], 1) for w in words)
        body_h = heights.most_common(1)[0][0]
        cols = column_starts(words) if ncols > 1 else [min(w[0] for w in words)]
        if len(cols) < 2:
            continue
        # Margins are symmetric in these tests, so the measure is pw - 2 * left edge, and
        # n * pitch = measure + gap.
        pitch = cols[1] - cols[0]
        gap = pitch * len(cols) - (pw - 2 * cols[0])
        colw = pitch - gap
        for w in words:
            if w[3] - w[1] > 1.6 * body_h:
                continue  # headline: spans all columns
            c = max([c for c in cols if c <= w[0] + 1] or [cols[0]])
            n += 1
            if w[2] > c + colw + 0.5:
                bad.append((page, w))
    expect(not bad, f'{len(bad)} words stick out of their column: {bad[:5]}')
    return n


def no_line_wider_than_column():
    pdf, _ = render()
    n = check_line_widths(pdf, 3)
    print(f'{n} words checked: none wider than its column')


def qpdf_check():
    pdf, _ = render()
    p = run('qpdf', '--check', pdf, check=False)
    expect(p.returncode == 0, f'qpdf --check failed:\n{p.stdout}\n{p.stderr}')
    expect('No syntax or stream encoding errors' in p.stdout, p.stdout)
    print('qpdf --check: clean')


def deterministic_bytes():
    a, _ = render(SAMPLE, os.path.join(TMP, 'a.pdf'))
    b, _ = render(SAMPLE, os.path.join(TMP, 'b.pdf'))
    expect(open(a, 'rb').read() == open(b, 'rb').read(), 'two renders differ')
    data = open(a, 'rb').read()
    expect(b'/CreationDate' not in data, 'a clock date is in the file')
    print(f'two renders identical ({len(data)} bytes)')


def justified_spacing():
    """Word spaces of justified body lines stay moderate (TeX-like glue, total-fit breaks)."""
    pdf, _ = render()
    gaps = []
    for page_words in [words_with_boxes(pdf, 1)]:
        heights = collections.Counter(round(w[3] - w[1], 1) for w in page_words)
        body_h = heights.most_common(1)[0][0]
        cols = column_starts(page_words)
        rows = collections.defaultdict(list)
        for w in page_words:
            if abs((w[3] - w[1]) - body_h) < 0.2:
                col = max([c for c in cols if c <= w[0] + 1] or [cols[0]])
                rows[(round(w[3] * 2) / 2, col)].append(w)
        for ws in rows.values():
            ws.sort()
            if len(ws) >= 3:
                gaps += [(b[0] - a[2]) / (body_h / 1.2) for a, b in zip(ws, ws[1:])]
    expect(gaps, 'no justified lines found')
    gaps.sort()
    mx, mean = gaps[-1], sum(gaps) / len(gaps)
    expect(mx < 0.75, f'a word space of {mx:.2f} em: lines are too loose')
    expect(min(gaps) > 0.12, f'a word space of {min(gaps):.2f} em: lines are squeezed')
    print(f'word spaces: mean {mean:.3f} em, max {mx:.3f} em over {len(gaps)} spaces')


ARTICLE = '''<?xml version="1.0" encoding="UTF-8"?>
<article xml:lang="vi">
  <headline>Thử nghiệm</headline>
  <body>
{body}
  </body>
</article>
'''


def link_and_inline_styles():
    xml = ARTICLE.format(body='<p>Đọc <em>nghiêng</em>, <strong>đậm</strong> và '
                              '<a href="https://baocantho.com.vn/">liên kết</a>.<br/>Dòng mới.</p>')
    pdf, _ = render(write('inline/a.xml', xml), os.path.join(TMP, 'inline.pdf'))
    fonts = run('pdffonts', pdf).stdout
    for face in ('NotoSerif-Italic', 'NotoSerif-Bold', 'NotoSerif-Regular'):
        expect(face in fonts, f'{face} not used:\n{fonts}')
    text = run('pdftotext', '-enc', 'UTF-8', pdf, '-').stdout
    expect('Đọc nghiêng, đậm và liên kết.' in text, f'inline text wrong: {text!r}')
    qdf = os.path.join(TMP, 'inline.qdf')
    run('qpdf', '--qdf', '--object-streams=disable', pdf, qdf)
    data = open(qdf, 'rb').read()
    expect(b'/URI (https://baocantho.com.vn/)' in data, 'no URI link annotation')
    print('italic, bold and a working link')


def blocks_lists_and_boxes():
    body = '''<p>Các nhiệm vụ:</p>
<list type="number"><item>Một là tăng cường</item><item>Hai là nâng cao</item></list>
<list><item>Đổi mới</item><item>Phối hợp</item></list>
<subhead>Tiêu đề phụ</subhead><pullquote>Trích dẫn nổi bật</pullquote>
<box><title>Hộp</title><p>Nội dung hộp.</p></box>'''
    pdf, p = render(write('blocks/a.xml', ARTICLE.format(body=body)), os.path.join(TMP, 'blocks.pdf'))
    lines = [l.strip() for l in run('pdftotext', '-enc', 'UTF-8', pdf, '-').stdout.splitlines() if l.strip()]
    for want in ('1. Một là tăng cường', '2. Hai là nâng cao', '• Đổi mới', '• Phối hợp',
                 'Tiêu đề phụ', 'Trích dẫn nổi bật', 'Nội dung hộp.'):
        expect(want in lines, f'{want!r} not a line of the output: {lines}')
    print('numbered and bulleted lists, subhead, pull quote and box all set')


def stylesheet_overrides():
    css = write('two.css', 'body { column-count: 2 }\np { font-size: 11pt; font-family: "Noto Sans" }\n'
                           '@page { size: A5; margin: 12mm }\n')
    pdf, p = render(SAMPLE, os.path.join(TMP, 'two.pdf'), '--stylesheet', css)
    info = run('pdfinfo', pdf).stdout
    size = re.search(r'Page size:\s+([\d.]+) x ([\d.]+)', info)
    expect(abs(float(size.group(1)) - 419.53) < 0.5 and abs(float(size.group(2)) - 595.28) < 0.5,
           f'not A5: {size.group(0)}')
    cols = column_starts(words_with_boxes(pdf, 1))
    expect(len(cols) == 2, f'page 1 has {len(cols)} columns, want 2: {cols}')
    expect('NotoSans-Regular' in run('pdffonts', pdf).stdout, 'body not in Noto Sans')
    check_line_widths(pdf, 2)
    expect(p.stderr.strip() == '', f'unexpected messages: {p.stderr}')
    print('A5, 2 columns, Noto Sans body from --stylesheet')


def expect_error(article_or_args, pattern, code=1, out_name='bad.pdf'):
    out = os.path.join(TMP, out_name)
    if os.path.exists(out):
        os.remove(out)
    args = article_or_args if isinstance(article_or_args, list) else ['render', article_or_args, '-o', out]
    p = run(TRANG, *args, check=False)
    expect(p.returncode == code, f'exit {p.returncode}, want {code}; stderr:\n{p.stderr}')
    expect(re.search(pattern, p.stderr), f'message does not match {pattern!r}:\n{p.stderr}')
    expect(not os.path.exists(out), 'an output file was left behind')
    leftovers = [f for f in os.listdir(TMP) if f.startswith('.bad.pdf')]
    expect(not leftovers, f'temporary files left: {leftovers}')
    print(p.stderr.strip().splitlines()[0])


def bad_unclosed_tag():
    a = write('bad1/a.xml', '<article>\n  <headline>Tin</headline>\n  <body>\n    <p>Mở mà không đóng\n  </body>\n</article>\n')
    expect_error(a, re.escape(a) + r':5:3: error: malformed XML.*\n  hint: <p> opened at line 4, column 5')


def bad_unknown_element():
    a = write('bad2/a.xml', '<article>\n  <headline>Tin</headline>\n  <body>\n    <figue/>\n  </body>\n</article>\n')
    expect_error(a, re.escape(a) + r':4:5: error: unknown element <figue>\n  hint: did you mean <figure>\?')


def bad_missing_image():
    a = write('bad3/a.xml', '<article>\n<headline>Tin</headline>\n<body>\n<figure>\n  <image src="khong-co.jpg" alt="x"/>\n'
                            '  <caption>Ảnh</caption>\n</figure>\n</body>\n</article>\n')
    expect_error(a, re.escape(a) + r":5:3: error: image file 'khong-co.jpg' not found")


def bad_image_bytes():
    # A damaged image (the file exists but does not decode) is a warning naming the file and
    # its place in the article; a gray placeholder box stands where it goes, the text sets and
    # the good image is still embedded (issue 7). A missing file stays an error (above).
    d = os.path.join(TMP, 'bad4')
    os.makedirs(d, exist_ok=True)
    good = glob.glob(os.path.join(os.path.dirname(SAMPLE), '*.jpg'))[0]
    jpg = open(good, 'rb').read()
    open(os.path.join(d, 'cut.jpg'), 'wb').write(jpg[:len(jpg) // 3])
    shutil.copy(good, os.path.join(d, 'good.jpg'))
    a = write('bad4/a.xml', '<article>\n<headline>Tin</headline>\n<body>\n<figure>\n  <image src="cut.jpg" alt="Quang cảnh buổi lễ"/>\n'
                            '  <caption>Ảnh hỏng</caption>\n</figure>\n<p>Chữ vẫn được sắp.</p>\n'
                            '<figure><image src="good.jpg" alt="y"/><caption>Ảnh tốt</caption></figure>\n'
                            '<figure><image src="cut.jpg"/><caption>Ảnh hỏng, không có alt</caption></figure>\n'
                            '</body>\n</article>\n')
    out = os.path.join(TMP, 'bad4.pdf')
    p = run(TRANG, 'render', a, '-o', out, check=False)
    expect(p.returncode == 0, f'exit {p.returncode}, want 0; stderr:\n{p.stderr}')
    expect(re.search(re.escape(a) + r":5:3: warning: .*cut\.jpg", p.stderr),
           f'no warning naming the damaged file:\n{p.stderr}')
    run('qpdf', '--check', out)
    rows = [r.split() for r in run('pdfimages', '-list', out).stdout.splitlines()[2:]]
    imgs = [r for r in rows if r[2] == 'image']
    expect(len(imgs) == 1 and imgs[0][3:5] == ['1600', '1067'],
           f'want only the good photo embedded, pdfimages lists: {rows}')
    text = run('pdftotext', out, '-').stdout
    expect('Chữ vẫn được sắp.' in text and 'Ảnh hỏng' in text, f'text missing:\n{text}')
    # Each placeholder says which picture is missing: its alt text, else its file's name.
    expect('Quang cảnh buổi lễ' in text, f'no alt text in the placeholder:\n{text}')
    expect('cut.jpg' in text, f'no file name in the placeholder of the image without alt:\n{text}')
    # The placeholder: a run of light gray (0.85) pixels above the damaged image's caption.
    ppm = os.path.join(TMP, 'bad4')
    run('pdftoppm', '-r', '30', '-gray', '-f', '1', '-l', '1', out, ppm)
    data = open(glob.glob(ppm + '*.pgm')[0], 'rb').read()
    gray = sum(1 for b in data if 210 <= b <= 222)
    expect(gray > 500, f'no placeholder box on page 1 ({gray} light gray pixels)')
    print(p.stderr.strip().splitlines()[0], f'| placeholder: {gray} gray pixels at 30 dpi')


def exif_orientation():
    # A 40x20 JPEG, red left half, blue right half, tagged with each EXIF orientation
    # (issue 7): 1 lies wide with red left; 6 (turn 90° clockwise) stands tall with red on top;
    # 3 (180°) lies wide with blue left; 8 (90° counter-clockwise) stands tall with blue on top.
    import struct
    src = open(os.path.join(SRC, 'tests', 'data', 'red-blue-40x20.jpg'), 'rb').read()
    def with_orientation(o):
        tiff = b'MM\x00*' + struct.pack('>I', 8) + struct.pack('>H', 1) + \
            struct.pack('>HHIHH', 0x0112, 3, 1, o, 0) + struct.pack('>I', 0)
        app1 = b'Exif\x00\x00' + tiff
        return src[:2] + b'\xff\xe1' + struct.pack('>H', len(app1) + 2) + app1 + src[2:]
    d = os.path.join(TMP, 'exif')
    os.makedirs(d, exist_ok=True)
    css = write('exif/s.css', 'figure { width: 60% }\n')
    found = {}
    for o in (1, 3, 6, 8):
        open(os.path.join(d, f'o{o}.jpg'), 'wb').write(with_orientation(o))
        a = write(f'exif/a{o}.xml', f'<article><headline>EXIF {o}</headline><body><figure>'
                                    f'<image src="o{o}.jpg" alt="x"/></figure><p>Chữ.</p></body></article>')
        pdf, _ = render(a, os.path.join(d, f'o{o}.pdf'), '--stylesheet', css)
        base = os.path.join(d, f'o{o}')
        run('pdftoppm', '-r', '40', '-f', '1', '-l', '1', pdf, base)
        data = open(glob.glob(base + '*.ppm')[0], 'rb').read()
        # P6 header: "P6\nW H\n255\n"
        parts = data.split(b'\n', 3)
        w, h = map(int, parts[1].split())
        px = parts[3]
        red, blue = [], []
        for y in range(h):
            for x in range(w):
                r, g, b = px[3 * (y * w + x):3 * (y * w + x) + 3]
                if r > 180 and g < 90 and b < 90: red.append((x, y))
                if b > 180 and r < 90 and g < 90: blue.append((x, y))
        expect(red and blue, f'orientation {o}: picture not found ({len(red)} red, {len(blue)} blue px)')
        box = lambda pts: (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))
        rb, bb = box(red), box(blue)
        allb = box(red + blue)
        wide = (allb[2] - allb[0]) > (allb[3] - allb[1])
        cx = lambda b: (b[0] + b[2]) / 2
        cy = lambda b: (b[1] + b[3]) / 2
        found[o] = (wide, cx(rb) < cx(bb), cy(rb) < cy(bb))
    expect(found[1][0] and found[1][1], f'orientation 1: want wide, red left: {found[1]}')
    expect(found[3][0] and not found[3][1], f'orientation 3: want wide, blue left: {found[3]}')
    expect(not found[6][0] and found[6][2], f'orientation 6: want tall, red on top: {found[6]}')
    expect(not found[8][0] and not found[8][2], f'orientation 8: want tall, blue on top: {found[8]}')
    print('EXIF orientations 1, 3, 6, 8 placed as seen:', found)


def bad_stylesheet():
    css = write('bad.css', 'p {\n  font-size: 10pt;\n  colum-count: 2;\n}\nh1 { color: red\n')
    expect_error(['render', SAMPLE, '-o', os.path.join(TMP, 'bad.pdf'), '--stylesheet', css],
                 re.escape(css) + r':\d+:\d+: error: ')
    p = run(TRANG, 'render', SAMPLE, '-o', os.path.join(TMP, 'bad.pdf'), '--stylesheet', css, check=False)
    expect(re.search(re.escape(css) + r":3:3: warning: unknown property 'colum-count'", p.stderr),
           f'no warning for the misspelt property:\n{p.stderr}')


def bad_usage():
    expect_error(['render'], r'article', code=2)
    expect_error(['render', SAMPLE], r'--output', code=2)
    expect_error(['frobnicate'], r'frobnicate', code=2)
    expect_error(['render', os.path.join(TMP, 'nope.xml'), '-o', os.path.join(TMP, 'bad.pdf')],
                 r'nope\.xml: error: no such file', code=1)


def version_and_help():
    p = run(TRANG, '--version')
    expect(re.match(r'trang \d+\.\d+\.\d+', p.stdout), p.stdout)
    p = run(TRANG, 'render', '--help')
    expect('--stylesheet' in p.stdout and '--output' in p.stdout, p.stdout)
    print(run(TRANG, '--version').stdout.strip())


def overwrite_input_refused():
    d = os.path.join(TMP, 'ow')
    os.makedirs(d, exist_ok=True)
    a = write('ow/a.xml', ARTICLE.format(body='<p>x</p>'))
    before = open(a, 'rb').read()
    p = run(TRANG, 'render', a, '-o', a, check=False)
    expect(p.returncode == 2, f'exit {p.returncode}')
    expect(open(a, 'rb').read() == before, 'the input was overwritten')
    print(p.stderr.strip())


def files_in(folder):
    return sorted(os.listdir(folder))


def killed_render_leaves_nothing():
    """The PDF is written as an unnamed file (O_TMPFILE) and linked in under its name only
    when complete: a trang killed (SIGKILL, no chance to clean up) before that leaves no file
    at all in a fresh folder, and the old PDF untouched where there was one."""
    folder = os.path.join(TMP, 'killed')
    os.makedirs(folder)
    out = os.path.join(folder, 'out.pdf')
    env = dict(os.environ, TRANG_TEST_KILL_BEFORE_NAMING='1')
    p = subprocess.run([TRANG, 'render', SAMPLE, '-o', out], capture_output=True, env=env)
    expect(p.returncode == -signal.SIGKILL, f'exit {p.returncode}, expected the SIGKILL')
    expect(files_in(folder) == [], f'a killed render left {files_in(folder)}')
    render(SAMPLE, out)
    before = open(out, 'rb').read()
    p = subprocess.run([TRANG, 'render', SAMPLE, '-o', out], capture_output=True, env=env)
    expect(p.returncode == -signal.SIGKILL, f'exit {p.returncode}, expected the SIGKILL')
    expect(files_in(folder) == ['out.pdf'], f'a killed render left {files_in(folder)}')
    expect(open(out, 'rb').read() == before, 'the old PDF changed under a killed render')
    print('a killed render leaves no file behind, and the old PDF as it was')


def named_temporary_fallback():
    """Where the filesystem has no unnamed files (NFS), the PDF goes through a named temporary
    file and a rename: new and replaced outputs are whole, and no temporary file stays."""
    folder = os.path.join(TMP, 'named')
    os.makedirs(folder)
    out = os.path.join(folder, 'out.pdf')
    env = dict(os.environ, TRANG_TEST_NAMED_TEMPORARY='1')
    for round in (1, 2):  # a new file, then one replaced
        p = subprocess.run([TRANG, 'render', SAMPLE, '-o', out], capture_output=True, env=env)
        expect(p.returncode == 0, f'round {round}: exit {p.returncode}: {p.stderr}')
        expect(files_in(folder) == ['out.pdf'], f'round {round}: {files_in(folder)}')
        q = run('qpdf', '--check', out, check=False)
        expect(q.returncode == 0, f'round {round}: qpdf --check: {q.stdout}')
    print('the named-temporary way writes and replaces whole PDFs and leaves nothing else')


def multi_page_flow():
    """A long article flows over several pages; every paragraph's words come out, in order."""
    paras = [l for l in open(SEED, encoding='utf-8').read().split('\n')[1:-1] if l]
    body = '\n'.join(f'<p>{p}</p>' for p in paras * 8)
    pdf, _ = render(write('long/a.xml', ARTICLE.format(body=body)), os.path.join(TMP, 'long.pdf'))
    pages = int(re.search(r'Pages:\s+(\d+)', run('pdfinfo', pdf).stdout).group(1))
    expect(pages >= 3, f'only {pages} pages')
    text, have = extracted_words(pdf)
    want = collections.Counter(w for p in paras * 8 for w in p.split())
    strip = lambda w: w.strip('“”"\'.,:;!?()–-')
    want = collections.Counter({strip(w): n for w, n in want.items() if strip(w)})
    short = [w for w, n in want.items() if have[w] < n]
    expect(not short, f'words lost across pages: {short[:10]}')
    check_line_widths(pdf, 3)
    print(f'{pages} pages, every word present, no line wider than its column')


def tiny_paragraphs(name, n):
    """An article of `n` one-word paragraphs, numbered: the shape that once made layout
    quadratic (issue 19)."""
    return write(name, ARTICLE.format(body='\n'.join(f'<p>đoạn{i}</p>' for i in range(n))))


def timeout_stops_render():
    """--timeout ends a render that runs past it with exit 4, a message naming the article and
    no file; within the time, the same option changes nothing."""
    folder = os.path.join(TMP, 'timeout')
    os.makedirs(folder)
    big = tiny_paragraphs('timeout/big.xml', 300000)  # seconds of work on any machine
    out = os.path.join(folder, 'big.pdf')
    p = run(TRANG, 'render', big, '-o', out, '--timeout', '0.5', check=False)
    message = p.stderr.strip()
    expect(p.returncode == 4, f'exit {p.returncode}, expected 4:\n{p.stderr}')
    expect(big in p.stderr and '--timeout' in p.stderr and 'longer than 0.5 s' in p.stderr,
           f'the message does not name the article and the limit: {p.stderr!r}')
    expect(files_in(folder) == ['big.xml'], f'a stopped render left {files_in(folder)}')
    small = os.path.join(folder, 'sample.pdf')
    p = run(TRANG, 'render', SAMPLE, '-o', small, '--timeout', '60', check=False)
    expect(p.returncode == 0, f'within its time the render failed: exit {p.returncode}: {p.stderr}')
    expect(open(small, 'rb').read() == open(render(SAMPLE, os.path.join(TMP, 'plain.pdf'))[0], 'rb').read(),
           '--timeout changed the PDF')
    p = run(TRANG, 'render', SAMPLE, '-o', small, '--timeout', '-1', check=False)
    expect(p.returncode == 2, f'--timeout -1: exit {p.returncode}, expected 2 (usage)')
    print(f'--timeout 0.5 on 300 000 paragraphs: exit 4, "{message}", no file; '
          'a render within its time has the same bytes')


def max_pages_stops_long_article():
    """200 000 tiny paragraphs with --max-pages 3: exit 4, the limit named, no PDF (ctest's
    timeout catches a layout that goes on setting the rest)."""
    folder = os.path.join(TMP, 'maxpages')
    os.makedirs(folder)
    art = tiny_paragraphs('maxpages/a.xml', 200000)
    p = run(TRANG, 'render', art, '-o', os.path.join(folder, 'a.pdf'), '--max-pages', '3',
            check=False)
    expect(p.returncode == 4, f'exit {p.returncode}, expected 4:\n{p.stderr}')
    expect('layout stopped after 3 pages' in p.stderr, f'no page-limit message: {p.stderr!r}')
    expect(files_in(folder) == ['a.xml'], f'left {files_in(folder)}')
    print('200 000 paragraphs, --max-pages 3: exit 4, the limit named, no PDF')


def many_paragraphs_tagged():
    """More paragraphs than a PDF array of libharu holds (32 767): the tagged PDF is written,
    passes qpdf --check, and its last page ends with the last paragraph."""
    n = 33000
    pdf, p = render(tiny_paragraphs('many/a.xml', n), os.path.join(TMP, 'many.pdf'),
                    '--max-pages', '2000')
    q = run('qpdf', '--check', pdf, check=False)
    expect(q.returncode == 0, f'qpdf --check: {q.stdout[-400:]}')
    pages = int(re.search(r'Pages:\s+(\d+)', run('pdfinfo', pdf).stdout).group(1))
    last = run('pdftotext', '-f', str(pages), '-l', str(pages), pdf, '-').stdout.split()
    expect(last and last[-1] == f'đoạn{n - 1}', f'the last page ends with {last[-3:]}')
    print(f'{n} paragraphs: {pages} pages, tagged, qpdf clean, the last paragraph on the last page')


if __name__ == '__main__':
    try:
        globals()[sys.argv[1]]()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print('ok')
