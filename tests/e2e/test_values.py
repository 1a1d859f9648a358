#!/usr/bin/env python3
"""End-to-end checks of values computed late (issue 17): var() custom properties, calc(),
@supports and the units ex, ch, vw and vh; one per ctest case: python3 test_values.py CASE.

Each case renders the sample article with a small stylesheet on top of the default look and
compares where pdftotext finds the words with a render of the same value written out plainly,
and with the default look, so a value that is accepted but has no effect fails."""
import collections, os, re, shutil, sys, tempfile
from harness import expect, fail, pdf_word_boxes, run

TRANG = os.environ.get('TRANG', 'trang')
SRC = os.environ.get('TRANG_SOURCE_DIR', os.path.join(os.path.dirname(__file__), '..', '..'))
SAMPLE = os.path.join(SRC, 'samples', 'can-tho', 'article.xml')
TMP = tempfile.mkdtemp(prefix='trang-values-')


def render(name, css, *extra, ok=True):
    """Renders the sample with `css` as name.css; returns (pdf, stderr, exit code)."""
    sheet = os.path.join(TMP, name + '.css')
    with open(sheet, 'w', encoding='utf-8') as f:
        f.write(css)
    pdf = os.path.join(TMP, name + '.pdf')
    p = run(TRANG, 'render', SAMPLE, '-o', pdf, '--stylesheet', sheet, *extra, check=False)
    if ok and p.returncode != 0:
        fail(f'{name}: render exited {p.returncode}:\n{p.stderr}')
    return pdf, p.stderr, p.returncode


def boxes(pdf):
    """Every word's box on every page, rounded to 0.1pt: what a reader sees, placed."""
    return [(pg, round(x0, 1), round(y0, 1), round(x1, 1), round(y1, 1), w)
            for pg, ws in sorted(pdf_word_boxes(pdf).items()) for x0, y0, x1, y1, w in ws]


def second_column_start(pdf):
    """The most common left edge of lines in the middle third of page 1: column 2."""
    ws = pdf_word_boxes(pdf)[1]
    width = max(x1 for _, _, x1, _, _ in ws)
    lines = collections.defaultdict(list)
    for x0, y0, x1, y1, w in ws:
        lines[round(y1)].append(x0)
    starts = collections.Counter(round(min(x for x in xs if x > width / 3)) for xs in lines.values()
                                 if any(width / 3 < x < 2 * width / 3 for x in xs))
    return starts.most_common(1)[0][0]


def same_as_plain_and_not_default(name, css, plain_css):
    pdf, err, _ = render(name, css)
    expect(not err.strip(), f'{name} warned:\n{err}')
    plain, _, _ = render(name + '-plain', plain_css)
    default, _, _ = render(name + '-default', '')
    b, p, d = boxes(pdf), boxes(plain), boxes(default)
    expect(b == p, f'{name}: {css!r} places words unlike {plain_css!r}')
    expect(b != d, f'{name}: {css!r} changed nothing')
    return pdf, default

# ---------------------------------------------------------------------------------------------


def column_gap_from_var():
    # Set on the article (:root), overridden on the body: substituted on each element.
    pdf, default = same_as_plain_and_not_default(
        'gap', ':root { --gap: 2em } body { --gap: 9mm } body { column-gap: var(--gap) }',
        'body { column-gap: 9mm }')
    moved = second_column_start(pdf) - second_column_start(default)
    # Three columns: column 2 starts (width + gap) / 3 in, so 4mm more gap moves it 1.33mm.
    expect(abs(moved - 4 / 3 * 72 / 25.4) < 1.5, f'column 2 moved {moved}pt for 4mm more gap')
    same_as_plain_and_not_default('gap-em', 'body { --gap: 2em; column-gap: var(--gap) }',
                                  'body { column-gap: 2em }')
    print(f'column-gap: var(--gap) = 9mm; column 2 moved {moved}pt; --gap: 2em = 2em')


def font_size_calc():
    pdf, default = same_as_plain_and_not_default(
        'calc', 'p { font-size: calc(1em + 2pt) }', 'p { font-size: 11.5pt }')
    def median_height(pdf):
        hs = sorted(y1 - y0 for _, _, y0, _, y1, _ in boxes(pdf))
        return hs[len(hs) // 2]
    h, h0 = median_height(pdf), median_height(default)
    expect(h > h0 * 1.1, f'calc(1em + 2pt): median word height {h} vs {h0}')
    same_as_plain_and_not_default(
        'mixed', ':root { --m: 3pt } p { margin-bottom: calc(2 * var(--m) + 0.1in) }',
        'p { margin-bottom: 13.2pt }')
    print(f'font-size: calc(1em + 2pt) = 11.5pt; median word height {h0} -> {h}')


def var_cycle_warns():
    css = ':root {\n  --a: var(--b);\n  --b: var(--a);\n}\np { color: var(--a, red) }\n'
    pdf, err, _ = render('cycle', css)
    expect(re.search(r'cycle\.css:3:3: warning: custom property \'--b\' refers to itself', err),
           f'no cycle warning naming --b at 3:3:\n{err}')
    expect(re.search(r'cycle\.css:2:3: warning: custom property \'--a\'', err), f'--a:\n{err}')
    _, err2, code = render('cycle-strict', css, '--strict', ok=False)
    expect(code != 0, '--strict passed with a var() cycle')
    expect(not os.path.exists(os.path.join(TMP, 'cycle-strict.pdf')), '--strict left a PDF')
    undefined, err3, _ = render('undef', 'p {\n  color: var(--nope);\n}\n')
    expect(re.search(r"undef\.css:2:10: warning: 'color' is invalid at computed-value time: "
                     r"var\(--nope\)", err3), f'no warning for an undefined var():\n{err3}')
    print('a var() cycle and an undefined var() warn with file:line:col; --strict fails')


def supports_and_units():
    same_as_plain_and_not_default(
        'supports',
        '@supports (display: grid) { body { column-count: 4 } }\n'
        '@supports (column-gap: 1em) and (not selector(p:hover)) { body { column-count: 2 } }',
        'body { column-count: 2 }')
    # vw is 1% of the page area's width.
    same_as_plain_and_not_default('vw', '@page { size: A4; margin: 15mm }\n'
                                  'body { column-gap: 5vw }', '@page { size: A4; margin: 15mm }\n'
                                  'body { column-gap: 9mm }')
    print('@supports applies what trang supports; 5vw = 9mm on A4 with 15mm margins')


def ch_is_the_advance_of_zero():
    # A line of ten zeros is 10ch wide: a paragraph indented by 10ch starts where it ends.
    xml = os.path.join(TMP, 'zeros.xml')
    with open(xml, 'w', encoding='utf-8') as f:
        f.write('<article xml:lang="vi"><headline>Tin</headline><body>'
                '<p id="z">0000000000</p><p id="i">Chữ</p></body></article>')
    sheet = os.path.join(TMP, 'ch.css')
    with open(sheet, 'w', encoding='utf-8') as f:
        f.write('body { column-count: 1 } p { text-indent: 0; text-align: left; font-size: 20pt }\n'
                '#i { text-indent: 10ch }\n')
    pdf = os.path.join(TMP, 'ch.pdf')
    p = run(TRANG, 'render', xml, '-o', pdf, '--stylesheet', sheet, check=False)
    expect(p.returncode == 0 and not p.stderr.strip(), f'render: {p.returncode}\n{p.stderr}')
    ws = {w: (x0, x1) for x0, y0, x1, y1, w in pdf_word_boxes(pdf)[1]}
    zeros, word = ws.get('0000000000'), ws.get('Chữ')
    expect(zeros and word, f'words not found: {ws}')
    expect(abs(word[0] - zeros[1]) < 0.5, f'10ch indent starts at {word[0]}, ten zeros end at {zeros[1]}')
    # Noto Serif's zero is wider than the 0.5em CSS falls back to.
    expect(zeros[1] - zeros[0] > 10 * 20 * 0.52, f'ten zeros are {zeros[1] - zeros[0]}pt wide')
    print(f'10ch = {word[0] - zeros[0]:.2f}pt = ten zeros ({zeros[1] - zeros[0]:.2f}pt) at 20pt')


if __name__ == '__main__':
    try:
        globals()[sys.argv[1]]()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print('ok')
