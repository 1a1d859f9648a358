#!/usr/bin/env python3
"""End-to-end checks of colours with an alpha and `opacity` (issue 17): python3 test_alpha.py CASE.

Each case renders a small article whose boxes, text and picture are painted at an alpha and
reads the page's pixels back with pdftoppm: what is painted must be the blend with what is
under it (CSS Color 4 §14.1, source-over), not the opaque colour. The print and archive
profiles must stay clean (qpdf --check, Ghostscript, pdffonts) with transparency in them, and
an alpha of 1 must leave the bytes as they were."""
import os, re, shutil, subprocess, sys, tempfile
from harness import expect, fail, pdf_font_faults, qpdf_check_faults, run, write_png

TRANG = os.environ.get('TRANG', 'trang')
SRC = os.environ.get('TRANG_SOURCE_DIR', os.path.join(os.path.dirname(__file__), '..', '..'))
SAMPLE = os.path.join(SRC, 'samples', 'can-tho', 'article.xml')
CMYK_ICC = '/usr/share/color/icc/ghostscript/default_cmyk.icc'
TMP = tempfile.mkdtemp(prefix='trang-alpha-')
BLUE, RED, GREEN = (0, 0, 255), (255, 0, 0), (0, 160, 0)


def write(name, content):
    path = os.path.join(TMP, name)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(content)
    return path


# A blue box holding big red letters, a red box of its own, and a green picture: each on a
# known background (the blue box or the white page).
ARTICLE = '''<?xml version="1.0" encoding="UTF-8"?>
<article xml:lang="vi"><meta><date>2025-11-20</date></meta><headline>Màu trong suốt</headline><body>
<box class="under"><title>Nền</title><p class="big">ĐĐĐ</p></box>
<box class="over"><title>Hộp</title><p>Nội dung hộp.</p></box>
<figure><image src="green.png" alt="Ô xanh"/><caption>Ảnh</caption></figure>
<p>Đoạn cuối.</p>
</body></article>
'''
BASE_CSS = '''box.under { background-color: rgb(0 0 255); padding: 6pt }
p.big { font-size: 60pt; line-height: 72pt; font-weight: bold }
box.over { background-color: red; padding: 20pt }
'''


def article():
    write_png(os.path.join(TMP, 'green.png'), 40, 30, lambda x, y: GREEN)
    return write('a.xml', ARTICLE)


def render(name, css, *extra):
    """Renders the article with BASE_CSS + css; returns (pdf, fills, images) from the dump."""
    out = os.path.join(TMP, name + '.pdf')
    p = run(TRANG, 'render', article(), '-o', out, '-s', write(name + '.css', BASE_CSS + css),
            '--dump-layout', '-', *extra, check=False)
    expect(p.returncode == 0, f'{name}: render exited {p.returncode}:\n{p.stderr}')
    msgs = [l for l in p.stderr.splitlines() if 'output-profile' not in l and 'hint:' not in l]
    expect(not msgs, f'{name}: render warned:\n{p.stderr}')
    num = r'(-?[\d.]+)'
    fills = [tuple(map(float, m.groups())) for m in
             re.finditer(rf'fill {num} {num} {num} {num}', p.stdout)]
    images = [tuple(map(float, m.groups())) for m in
              re.finditer(rf'image green\.png {num} {num} {num} {num}', p.stdout)]
    expect(len(fills) == 2 and len(images) == 1, f'{name}: dump has fills {fills}, images {images}')
    return out, fills, images[0]


def pixels(pdf, rect):
    """The pixels of rect (x, y, w, h in points, y up, from the trim box's corner) at 72 dpi,
    as (r, g, b) tuples. pdftoppm renders the MediaBox, which print output extends past the
    trim box for bleed and marks."""
    x, y, w, h = rect
    media = re.search(r'MediaBox:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)', run('pdfinfo', '-box', pdf).stdout)
    x0, top_edge = float(media.group(1)), float(media.group(4))
    left, top = int(x - x0) + 2, int(top_edge - y - h) + 2
    prefix = os.path.join(TMP, 'px')
    run('pdftoppm', '-r', '72', '-f', '1', '-l', '1', '-x', str(left), '-y', str(top),
        '-W', str(int(w) - 4), '-H', str(int(h) - 4), pdf, prefix)
    data = open(prefix + '-1.ppm', 'rb').read()
    m = re.match(rb'P6\s+\d+\s+\d+\s+\d+\s', data)
    body = data[m.end():]
    return [tuple(body[i:i + 3]) for i in range(0, len(body), 3)]


def near(p, want, tol=8):
    return all(abs(a - b) <= tol for a, b in zip(p, want))


def blend(top, under, alpha):
    return tuple(round(alpha * t + (1 - alpha) * u) for t, u in zip(top, under))


def count(px, want):
    return sum(1 for p in px if near(p, want))


def text_on_blue(pdf, fill, ink, what):
    """The big letters on the blue box: many pixels of exactly `ink`, none of opaque red."""
    px = pixels(pdf, fill)
    n = count(px, ink)
    expect(n > 200, f'{what}: {n} pixels of {ink} in the blue box (the letters\' ink)')
    expect(count(px, RED) == 0, f'{what}: opaque red pixels in the blue box')
    return n


def rgba_text_blends():
    """color: rgba(255,0,0,.5) over a blue box paints (128,0,128) where the letters are."""
    pdf, fills, _ = render('opaque', 'p.big { color: red }')
    expect(count(pixels(pdf, fills[0]), RED) > 200, 'opaque red letters not seen in the blue box')
    half = blend(RED, BLUE, 0.5)
    for css in ('p.big { color: rgba(255, 0, 0, .5) }', 'p.big { color: rgb(255 0 0 / 50%) }',
                'p.big { color: #ff000080 }', 'p.big { color: hsla(0, 100%, 50%, .5) }'):
        pdf, fills, _ = render('rgba', css)
        n = text_on_blue(pdf, fills[0], half, css)
        print(f'{css}: {n} pixels of {half} in the box')


def opacity_blends():
    """opacity: .5 on a box (over the white page), on a text block (over a blue box) and on a
    picture (over the page) blends each with what is under it."""
    pdf, fills, img = render('opacity', 'box.over { opacity: .5 }\n'
                                        'p.big { color: red; opacity: 50% }\n'
                                        'image { opacity: .5 }\n')
    pink = blend(RED, (255, 255, 255), 0.5)
    box = pixels(pdf, (fills[1][0], fills[1][1], 20, 20))  # a corner of the red box, no text
    expect(all(near(p, pink) for p in box), f'box at opacity .5: {set(box)}, want {pink}')
    text_on_blue(pdf, fills[0], blend(RED, BLUE, 0.5), 'text at opacity .5')
    pale = blend(GREEN, (255, 255, 255), 0.5)
    pic = pixels(pdf, img)
    expect(all(near(p, pale) for p in pic), f'picture at opacity .5: {set(pic)}, want {pale}')
    # Nested: the product of the box's opacity and its own.
    pdf, fills, _ = render('nested', 'box.under { opacity: .5 } p.big { color: red; opacity: .5 }')
    expect(all(near(p, blend(BLUE, (255, 255, 255), 0.5)) for p in pixels(pdf, (fills[0][0], fills[0][1], 5, 5))),
           'the blue box at opacity .5 is not pale blue')
    print(f'box {pink}, picture {pale}, text over blue {blend(RED, BLUE, 0.5)}: blended')


def profiles_stay_clean():
    """With transparency in it, each profile's output still passes its checks: qpdf --check,
    Ghostscript, fonts embedded with ToUnicode; the page has a transparency group in the
    profile's colour space and an ExtGState with /ca and /CA; PDF/A stays free of DeviceCMYK."""
    css = 'p.big { color: rgba(255, 0, 0, .5) } box.over { opacity: .5 } image { opacity: .5 }'
    for profile, extra, space in (('screen', (), None),
                                  ('print', ('--output-profile', CMYK_ICC), '/DeviceCMYK'),
                                  ('archive', (), '/DeviceRGB')):
        pdf, fills, _ = render('p-' + profile, css, '--profile', profile, *extra)
        expect(not qpdf_check_faults(pdf), f'{profile}: qpdf --check: {qpdf_check_faults(pdf)}')
        expect(not pdf_font_faults(pdf), f'{profile}: pdffonts: {pdf_font_faults(pdf)}')
        g = run('gs', '-q', '-dNOPAUSE', '-dBATCH', '-o', '/dev/null', '-sDEVICE=nullpage', pdf, check=False)
        expect(g.returncode == 0 and not (g.stdout + g.stderr).strip(), f'{profile}: Ghostscript: {g.stderr}')
        qdf = subprocess.run(['qpdf', '--qdf', '--object-streams=disable', pdf, '-'],
                             capture_output=True, check=True).stdout.decode('latin-1')
        expect(re.search(r'/CA 0\.5\s+/Type /ExtGState\s+/ca 0\.5', qdf), f'{profile}: no ExtGState /ca 0.5')
        if space:
            expect(re.search(r'/Group <<\s+/CS ' + space + r'\s+/S /Transparency', qdf),
                   f'{profile}: no transparency group in {space}')
        if profile == 'archive':
            expect('/DeviceCMYK' not in qdf, 'archive: DeviceCMYK in a PDF/A')
        # The blend is still there after the profile's colour conversion.
        px = pixels(pdf, (fills[1][0], fills[1][1], 20, 20))
        expect(all(p[0] > 200 and 90 < p[1] < 180 for p in px), f'{profile}: box not pink: {set(px)}')
        print(f'{profile}: clean, ExtGState and transparency group present, box blended')


def alpha_one_changes_nothing():
    """An alpha or opacity of 1 writes the same bytes as none at all, and no ExtGState."""
    def sample(name, css):
        out = os.path.join(TMP, name + '.pdf')
        p = run(TRANG, 'render', SAMPLE, '-o', out, '-s', write(name + '.css', css))
        expect(not p.stderr.strip(), f'{css}: warned:\n{p.stderr}')
        return open(out, 'rb').read()
    plain = sample('plain', 'p { color: rgb(0, 0, 0) }')
    plain_pdf = os.path.join(TMP, 'plain.pdf')
    for css in ('p { color: rgba(0, 0, 0, 1) } body { opacity: 1 }',
                'p { color: rgb(0 0 0 / 100%) } figure { opacity: 100% }',
                'p { color: #000f }'):
        got = sample('one', css)
        expect(got == plain, f'{css}: the PDF differs from opaque black')
    qdf = subprocess.run(['qpdf', '--qdf', '--object-streams=disable', plain_pdf, '-'],
                         capture_output=True, check=True).stdout
    expect(b'/ExtGState' not in qdf, 'an opaque page has an ExtGState')
    half = sample('half', 'p { color: rgba(0, 0, 0, .999) }')
    expect(half != plain, 'an alpha of .999 changed nothing')
    print('alpha 1 and opacity 1: identical bytes, no ExtGState')


if __name__ == '__main__':
    try:
        globals()[sys.argv[1]]()
    finally:
        if not os.environ.get('TRANG_KEEP_TEST_FILES'):
            shutil.rmtree(TMP, ignore_errors=True)
    print('ok')
