#!/usr/bin/env python3
"""End-to-end checks of selectors (issue 17): python3 test_selectors.py CASE.

An article of one-word paragraphs is rendered with a stylesheet of structural and logical
pseudo-classes (:nth-child(), :nth-last-child(), :nth-of-type(), :not(), :is(), :where());
each word's colour is read back from the page's pixels under its pdftotext box. A bad An+B or
an unknown pseudo-class drops only its rule, warns with file:line:col, and the PDF is made."""
import os, shutil, sys, tempfile
from harness import expect, pdf_word_boxes, run

TRANG = os.environ.get('TRANG', 'trang')
TMP = tempfile.mkdtemp(prefix='trang-selectors-')
WORDS = ['Một', 'Hai', 'Ba', 'Bốn', 'Năm', 'Sáu']
DPI = 144


def write(name, content):
    path = os.path.join(TMP, name)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(content)
    return path


def article():
    lead = ' class="lead"'
    paras = ''.join(f'<p{lead if i == 0 else ""}>{w}</p>' for i, w in enumerate(WORDS))
    return write('a.xml', '<?xml version="1.0" encoding="UTF-8"?>\n<article xml:lang="vi">'
                          f'<headline>Màu</headline><body>{paras}</body></article>')


def render(css_name, css):
    out = os.path.join(TMP, css_name + '.pdf')
    p = run(TRANG, 'render', article(), '-o', out, '-s', write(css_name, css), check=False)
    expect(p.returncode == 0, f'render exited {p.returncode}:\n{p.stderr}')
    return out, p


def band(rgb):
    r, g, b = rgb
    if r > 150 and g < 90 and b < 90:
        return 'red'
    if b > 150 and r < 90 and g < 90:
        return 'blue'
    if g > 90 and r < 90 and b < 90:
        return 'green'
    if r < 90 and g < 90 and b < 90:
        return 'black'
    return None  # paper, or an anti-aliased edge


def word_colours(pdf):
    """{word: the colour most of its inked pixels have} for the paragraphs' words on page 1."""
    base = os.path.join(TMP, 'page')
    run('pdftoppm', '-r', str(DPI), '-f', '1', '-l', '1', '-singlefile', pdf, base)
    data = open(base + '.ppm', 'rb').read()
    # P6 header: magic, width, height, maxval, each followed by whitespace.
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1
    width = int(fields[1])
    scale = DPI / 72
    colours = {}
    for x0, y0, x1, y1, word in pdf_word_boxes(pdf)[1]:
        if word not in WORDS:
            continue
        counts = {}
        for y in range(int(y0 * scale), int(y1 * scale)):
            for x in range(int(x0 * scale), int(x1 * scale)):
                i = pos + 3 * (y * width + x)
                c = band(tuple(data[i:i + 3]))
                if c:
                    counts[c] = counts.get(c, 0) + 1
        colours[word] = max(counts, key=counts.get) if counts else None
    return colours


def nth_child_and_not_colour_text():
    """body p:nth-child(odd) (0,1,2) beats the later p:not(.lead) (0,1,1); :nth-last-child(1)
    with :is() is more specific still; :where() adds nothing, so the earlier p:not(.lead) beats
    it on the second paragraph; a rule for :nth-of-type(n+7) matches nothing."""
    css = ('p { font-size: 24pt; line-height: 30pt; color: black }\n'
           'body p:nth-child(odd) { color: #ff0000 }\n'
           'p:not(.lead) { color: #0000ff }\n'
           ':is(body, box) > p:nth-last-child(1) { color: #008000 }\n'
           ':where(body > p:nth-child(2)) { color: #008000 }\n'
           'p:nth-of-type(n+7) { color: #008000 }\n')
    pdf, p = render('sel.css', css)
    expect(not p.stderr.strip(), f'render printed messages:\n{p.stderr}')
    got = word_colours(pdf)
    want = {'Một': 'red', 'Hai': 'blue', 'Ba': 'red', 'Bốn': 'blue', 'Năm': 'red', 'Sáu': 'green'}
    expect(got == want, f'word colours {got}, want {want}')
    plain, _ = render('plain.css', 'p { font-size: 24pt; line-height: 30pt }\n')
    expect(set(word_colours(plain).values()) == {'black'}, 'without the rules the words are not black')
    print('odd paragraphs red, :not(.lead) blue, the last green:', got)


def bad_selectors_drop_only_their_rule():
    """A bad An+B, an unknown pseudo-class and :nth-of-type(... of S) each drop their own rule
    with a warning naming file:line:col (with a did-you-mean); the rest of the sheet applies,
    the PDF is written, and --strict fails."""
    css = ('p { font-size: 24pt; line-height: 30pt }\n'
           'p:nth-child(2n+) { color: #008000 }\n'
           'p:nth-chlid(2) { color: #008000 }\n'
           'p:nth-of-type(2 of .lead) { color: #008000 }\n'
           'p:nth-child(even) { color: #0000ff }\n')
    pdf, p = render('bad.css', css)
    for want in ("bad.css:2:13: warning: invalid An+B '2n+' in ':nth-child()' (rule ignored)",
                 "bad.css:3:2: warning: unknown pseudo-class ':nth-chlid()' (rule ignored)",
                 "hint: did you mean 'nth-child'?",
                 "bad.css:4:17: warning: 'of' is allowed only in ':nth-child()' and "
                 "':nth-last-child()' (rule ignored)"):
        expect(want in p.stderr, f'no "{want}" in:\n{p.stderr}')
    got = word_colours(pdf)
    want = {'Một': 'black', 'Hai': 'blue', 'Ba': 'black', 'Bốn': 'blue', 'Năm': 'black', 'Sáu': 'blue'}
    expect(got == want, f'word colours {got}, want {want}')
    out = os.path.join(TMP, 'strict.pdf')
    strict = run(TRANG, 'render', article(), '-o', out, '-s', os.path.join(TMP, 'bad.css'),
                 '--strict', check=False)
    expect(strict.returncode != 0 and not os.path.exists(out),
           f'--strict exited {strict.returncode}, output left: {os.path.exists(out)}')
    print('three bad rules warned and dropped; the even paragraphs still blue; --strict fails')


if __name__ == '__main__':
    try:
        globals()[sys.argv[1]]()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print('ok')
