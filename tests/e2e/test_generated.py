#!/usr/bin/env python3
"""Generated content (issue 17): python3 test_generated.py CASE.

Renders a small Vietnamese article with ::before, ::after, counters and list styles, and checks
what a reader gets: the generated text where it belongs in pdftotext's reading order, in NFC,
inside its element's structure element (pdfinfo -struct-text), drawn (the pixels change), with
every font embedded; and that content where trang has no place for it warns with
file:line:col and fails --strict."""
import os, re, shutil, sys, tempfile, unicodedata
from harness import expect, fail, run, pdf_font_faults, qpdf_check_faults

TRANG = os.environ.get('TRANG', 'trang')
TMP = tempfile.mkdtemp(prefix='trang-generated-')

ARTICLE = '''<?xml version="1.0" encoding="UTF-8"?>
<article xml:lang="vi">
  <headline>Ban chỉ đạo 35 họp phiên thứ nhất</headline>
  <body>
    <subhead>Mở đầu</subhead>
    <p class="note">Đồng chí Trần Văn Huyến phát biểu tại hội nghị.</p>
    <subhead>Kết quả</subhead>
    <p>Hội nghị đã thống nhất nhiều nội dung quan trọng.</p>
    <list type="number"><item>Một</item><item>Hai</item><item>Ba</item></list>
    <list><item>Bốn</item><item>Năm</item></list>
    <box><title>Ghi chú</title><p>Sáu</p></box>
  </body>
</article>
'''


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


def render(css, name, *extra, ok=True):
    article = write('article.xml', ARTICLE)
    out = os.path.join(TMP, name)
    args = [TRANG, 'render', article, '-o', out, *extra]
    if css:
        args += ['--stylesheet', write(name + '.css', css)]
    p = run(*args, check=False)
    if ok and p.returncode != 0:
        fail(f'render exited {p.returncode}:\n{p.stderr}')
    return out, p


def lines(pdf):
    """pdftotext -raw: the lines in reading order, white space collapsed."""
    text = run('pdftotext', '-raw', '-enc', 'UTF-8', pdf, '-').stdout
    return [' '.join(l.split()) for l in text.splitlines() if l.strip()]


def pixels(pdf):
    ppm = os.path.join(TMP, 'px')
    run('pdftoppm', '-r', '40', '-gray', '-f', '1', '-l', '1', pdf, ppm)
    path = next(os.path.join(TMP, f) for f in os.listdir(TMP) if f.startswith('px'))
    with open(path, 'rb') as f:
        data = f.read()
    os.remove(path)
    return data


def struct_text(pdf):
    """[(role, text)] of pdfinfo -struct-text: each element with its own text joined."""
    out = []
    for line in run('pdfinfo', '-struct-text', pdf).stdout.splitlines():
        body = line.strip()
        if body.startswith('"') and out:
            out[-1] = (out[-1][0], out[-1][1] + body.strip('"'))
        elif body:
            out.append((body.split()[0], ''))
    return out


def section_numbers_and_note():
    """The brief's two rules: numbered subheads and a closing mark after a note, written in
    the sheet decomposed (NFD)."""
    css = ('body { counter-reset: sec }\n'
           'subhead::before { content: counter(sec) ". "; counter-increment: sec; color: red }\n'
           'p.note::after { content: " (he\u0302\u0301t)"; font-weight: bold }\n')
    pdf, p = render(css, 'sections.pdf')
    expect(not p.stderr.strip(), f'messages:\n{p.stderr}')
    got = lines(pdf)
    text = '\n'.join(got)
    expect('1. Mở đầu' in got and '2. Kết quả' in got, f'no numbered subheads in:\n{text}')
    expect(got.index('1. Mở đầu') < got.index('2. Kết quả'), 'subheads out of order')
    note = re.search(r'Đồng chí.*?hội nghị\. \(hết\)', ' '.join(got))
    expect(note, f'"(hết)" does not follow the note:\n{text}')
    expect(unicodedata.is_normalized('NFC', text), 'extracted text is not NFC')
    expect(text.count('(hết)') == 1, 'the second paragraph got the note mark too')
    # Tagged: the number is part of its heading, the mark part of its paragraph.
    tree = struct_text(pdf)
    h2 = [t.replace(' ', '') for r, t in tree if r == 'H2']
    expect(h2 == ['1.Mởđầu', '2.Kếtquả'], f'H2 texts: {h2}')
    expect(any(r == 'P' and t.endswith('(hết)') for r, t in tree), f'no P ends with (hết): {tree}')
    expect(not pdf_font_faults(pdf), f'fonts: {pdf_font_faults(pdf)}')
    fault = qpdf_check_faults(pdf)
    expect(not fault, fault)
    plain, _ = render(None, 'plain.pdf')
    expect(pixels(plain) != pixels(pdf), 'the generated text changed no pixel')
    print('numbered subheads, (hết) after the note, in NFC and in their tags')


def list_styles():
    """list-style-type and ::marker go through the list-item counter: numbers in the style
    asked for, the default bullets and numbers, and none."""
    pdf, _ = render(None, 'default-lists.pdf')
    got = lines(pdf)
    for want in ('1. Một', '2. Hai', '3. Ba', '• Bốn', '• Năm'):
        expect(want in got, f'default markers: no {want!r} in {got}')
    pdf, p = render('list[type=number] { list-style-type: upper-roman }\n'
                    'list + list { list-style: lower-alpha }\n'
                    'item::marker { font-weight: bold }\n', 'roman.pdf')
    expect(not p.stderr.strip(), f'messages:\n{p.stderr}')
    got = lines(pdf)
    for want in ('I. Một', 'II. Hai', 'III. Ba', 'a. Bốn', 'b. Năm'):
        expect(want in got, f'no {want!r} in {got}')
    expect(pixels(pdf) != pixels(os.path.join(TMP, 'default-lists.pdf')), 'no pixel changed')
    pdf, _ = render('list, list[type] { list-style-type: none }', 'none.pdf')
    got = lines(pdf)
    expect('Một' in got and 'Bốn' in got and not any(l.startswith(('1.', '•')) for l in got),
           f'list-style-type: none left markers: {got}')
    pdf, _ = render('item::marker { content: "(" counter(list-item, lower-roman) ") " }',
                    'marker.pdf')
    got = lines(pdf)
    expect('(iii) Ba' in got and '(ii) Năm' in got, f'::marker content: {got}')
    print('list markers: default, upper-roman, lower-alpha, none, ::marker content')


def not_applied_warns():
    """Content where trang has no line for it warns with file:line:col, and --strict fails."""
    css = ('p { content: "x" }\n'
           'box::before { content: "y" }\n'
           'subhead::before { content: counter(page) }\n')
    pdf, p = render(css, 'warn.pdf')
    for pat in (r"warn\.pdf\.css:1:5: warning: 'content' on <p> is not applied",
                r"warn\.pdf\.css:2:15: warning: 'content' of ::before or ::after on <box> is not applied",
                r"warn\.pdf\.css:3:28: warning: invalid value for 'content': 'counter\(page\)'"):
        expect(re.search(pat, p.stderr), f'no warning like {pat}:\n{p.stderr}')
    expect('y' not in lines(pdf) and 'x' not in ' '.join(lines(pdf)).split(), 'ignored content drawn')
    _, strict = render(css, 'warn2.pdf', '--strict', ok=False)
    expect(strict.returncode != 0, f'--strict exited {strict.returncode}')
    check = run(TRANG, 'check', os.path.join(TMP, 'article.xml'), '--stylesheet',
                os.path.join(TMP, 'warn.pdf.css'), check=False)
    check = check.stdout + check.stderr
    expect(check.count('[css-not-applied]') == 2, f'trang check does not name the code:\n{check}')
    print('content on <p>, ::before on <box> and counter(page) in ::before warned; --strict '
          'fails; trang check names css-not-applied')


if __name__ == '__main__':
    try:
        globals()[sys.argv[1]]()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print('ok')
