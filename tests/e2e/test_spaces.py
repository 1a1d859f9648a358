#!/usr/bin/env python3
"""Word spaces that survive any reader (issue 16, point 1): python3 test_spaces.py CASE.

Every Vietnamese vowel with every tone, then the consonants, lower and upper case, each a word
of one letter, set in the ways that defeat a reader's guess at word breaks from gaps: justified
narrow columns, tight word spacing, letter-spacing, small capitals, font expansion, words that
change font or link in mid-line. pdftotext, mutool and pdfminer must each give back every
word, in order, already NFC, and the page must look exactly as it does without the space
glyphs (TRANG_TEST_NO_WORD_SPACES, a test hook in cli/render.cpp). A case whose reader is
not installed checks the others and then reports itself skipped."""
import os, subprocess, sys, tempfile, unicodedata
from harness import expect, fail, reader_text, run, skip, TEXT_READERS

TRANG = os.environ.get('TRANG', 'trang')
SRC = os.environ.get('TRANG_SOURCE_DIR', os.path.join(os.path.dirname(__file__), '..', '..'))
SAMPLE = os.path.join(SRC, 'samples', 'can-tho', 'article.xml')
SEED = os.path.join(SRC, 'tests', 'data', 'can-tho-ban-chi-dao-35.txt')
TMP = tempfile.mkdtemp(prefix='trang-spaces-')

TONES = ('', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323')
LOWER = ([unicodedata.normalize('NFC', v + t) for v in 'aăâeêioôơuưy' for t in TONES]
         + list('bcdđghklmnpqrstvx'))
ALPHABET = LOWER + [w.upper() for w in LOWER]  # 178 words of one letter

# The sample's design (the default stylesheet: three justified columns) without its headline,
# so that the page holds only the alphabet.
BASE = 'headline { display: none }\n'
NARROW = BASE + "@page { size: A5; margin: 12mm } body { column-count: 5; column-gap: 5mm }\n"


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


def article(body):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<article xml:lang="vi">\n'
            f'<headline>Chữ cái</headline>\n<body>\n{body}\n</body>\n</article>\n')


def render(name, art, css, no_spaces=False):
    pdf = os.path.join(TMP, name + ('-nospaces' if no_spaces else '') + '.pdf')
    env = dict(os.environ)
    if no_spaces:
        env['TRANG_TEST_NO_WORD_SPACES'] = '1'
    run(TRANG, 'render', art, '-o', pdf, '--stylesheet', write(name + '.css', css), env=env)
    return pdf


def pixels(pdf, name):
    prefix = os.path.join(TMP, name)
    run('pdftoppm', '-r', '150', '-gray', pdf, prefix)
    pages = sorted(f for f in os.listdir(TMP) if f.startswith(name + '-') and f.endswith('.pgm'))
    expect(pages, f'pdftoppm rendered nothing from {pdf}')
    return [open(os.path.join(TMP, f), 'rb').read() for f in pages]


def check_readers(pdf, want, in_order=TEXT_READERS):
    """Each reader's words: exactly `want`, in order and NFC as extracted, for the readers in
    `in_order`; for the others every word of `want` at least as often (pdfminer orders a
    page's blocks its own way). Returns the readers that are not installed."""
    missing = []
    for reader in TEXT_READERS:
        text = reader_text(reader, pdf)
        if text is None:
            missing.append(reader)
            continue
        words = text.split()
        expect(unicodedata.is_normalized('NFC', text), f'{reader}: the text is not NFC')
        if reader in in_order:
            if words != want:
                bad = next(i for i, (a, b) in enumerate(zip(words + [None] * len(want), want)) if a != b)
                fail(f'{reader}: words differ from word {bad} on: got {words[bad:bad + 8]}, '
                     f'want {want[bad:bad + 8]} ({len(words)} words, want {len(want)})')
        else:
            have = {w: words.count(w) for w in set(want)}
            short = [w for w in set(want) if have[w] < want.count(w)]
            expect(not short, f'{reader}: words missing or merged: {short[:10]}')
        print(f'{reader}: all {len(want)} words, with their spaces'
              + (', in order' if reader in in_order else ''))
    return missing


def alphabet_case(name, css, body=None):
    """The alphabet in `css`: every reader gets every word back, and the space glyphs change no
    pixel."""
    art = write(name + '.xml', article(body or '<p>' + ' '.join(ALPHABET) + '</p>'))
    pdf = render(name, art, css)
    missing = check_readers(pdf, ALPHABET)
    plain = render(name, art, css, no_spaces=True)
    a, b = pixels(pdf, name), pixels(plain, name + '-nospaces')
    expect(len(a) == len(b), f'{len(a)} pages with word spaces, {len(b)} without')
    differ = [i + 1 for i, (x, y) in enumerate(zip(a, b)) if x != y]
    expect(not differ, f'pages {differ} look different with and without the space glyphs')
    print(f'{len(a)} page(s) at 150 dpi identical with and without the space glyphs')
    if missing:
        skip(f'not installed: {", ".join(missing)} (Debian: mupdf-tools, python3-pdfminer)')


# ---------------------------------------------------------------------------------------------

def alphabet_design():
    # The case: pdftotext returned 69% of these words, run together line by line.
    alphabet_case('design', BASE)


def alphabet_narrow_columns():
    alphabet_case('narrow', NARROW)


def alphabet_tight_spacing():
    # Spaces at a third of their width or less: the gaps a reader sees are under 0.1 em.
    alphabet_case('tight', NARROW + 'p { word-spacing: -0.16em }\n')


def alphabet_letter_spacing():
    alphabet_case('spaced', BASE + 'p { letter-spacing: 0.15em }\n')


def alphabet_small_caps():
    # The capital's glyph also draws the small capital of its lower-case letter: each keeps its
    # own text (a second code for the glyph where it stands for another text).
    alphabet_case('smallcaps', NARROW + 'p { font-variant-caps: small-caps }\n')


def alphabet_font_expansion():
    alphabet_case('expansion', NARROW + 'body { -trang-font-expansion: auto }\n')


def alphabet_font_changes_and_links():
    # A space between two runs (another font, a link) goes with the run before it.
    tags = ('em', 'strong', 'a href="https://example.com/chu"', None)
    parts = []
    for i, w in enumerate(ALPHABET):
        tag = tags[i % len(tags)]
        parts.append(f'<{tag}>{w}</{tag.split()[0]}>' if tag else w)
    alphabet_case('runs', NARROW, '<p>' + ' '.join(parts) + '</p>')


HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<article xml:lang="vi">\n'
        '<kicker>Văn hóa miền Tây</kicker>\n'
        '<headline>Tiếng đờn ca tài tử bên dòng sông Hậu ở Cần Thơ</headline>\n'
        '<body>\n<p>Nội dung.</p>\n</body>\n</article>\n')
# The kicker is upper case in the default design; a copy gives the letters as set.
HEAD_WORDS = ('VĂN HÓA MIỀN TÂY Tiếng đờn ca tài tử bên dòng sông Hậu ở Cần Thơ Nội dung.').split()


def heads_small_caps():
    """A small-caps headline and a letter-spaced kicker: every reader reads the words as
    written (the capital's glyph drawn for a small capital keeps its own text)."""
    art = write('head.xml', HEAD)
    css = 'headline { font-variant-caps: small-caps } kicker { letter-spacing: 0.06em }\n'
    pdf = render('sc-head', art, css)
    missing = check_readers(pdf, HEAD_WORDS)
    a, b = pixels(pdf, 'sc-head'), pixels(render('sc-head', art, css, no_spaces=True), 'sc-head-no')
    expect(a == b, 'the page looks different with and without the space glyphs')
    if missing:
        skip(f'not installed: {", ".join(missing)} (Debian: mupdf-tools, python3-pdfminer)')


def heads_letter_spaced():
    """Heads spaced out by 0.2 em: pdftotext reads each word whole (one ActualText span per
    word). mutool and pdfminer, which ignore ActualText, read such letters as words of their
    own; that is documented, not tested (docs/print-and-archive.md, "Text")."""
    art = write('head.xml', HEAD)
    css = 'headline { letter-spacing: 0.2em } kicker { letter-spacing: 0.2em }\n'
    pdf = render('ls-head', art, css)
    words = reader_text('pdftotext', pdf).split()
    expect(words == HEAD_WORDS, f'pdftotext: {words}, want {HEAD_WORDS}')
    print(f'pdftotext: all {len(HEAD_WORDS)} words of the spaced-out heads, in order')
    a, b = pixels(pdf, 'ls-head'), pixels(render('ls-head', art, css, no_spaces=True), 'ls-head-no')
    expect(a == b, 'the page looks different with and without the space glyphs')


def sample_every_reader():
    """The sample article in the default design: every word of the seed text from every
    reader (in order from pdftotext and mutool)."""
    pdf = os.path.join(TMP, 'sample.pdf')
    run(TRANG, 'render', SAMPLE, '-o', pdf)
    strip = lambda w: w.strip('“”"\'.,:;!?()–-')
    seed = unicodedata.normalize('NFC', open(SEED, encoding='utf-8').read())
    want = [strip(w) for w in seed.split() if strip(w)]
    missing = []
    for reader in TEXT_READERS:
        text = reader_text(reader, pdf)
        if text is None:
            missing.append(reader)
            continue
        expect(unicodedata.is_normalized('NFC', text), f'{reader}: the text is not NFC')
        words = [strip(w) for w in text.split() if strip(w)]
        if reader == 'pdfminer':  # its own block order: every word, as often as in the source
            short = [w for w in set(want) if words.count(w) < want.count(w)]
            expect(not short, f'{reader}: words missing or merged: {short[:10]}')
        else:  # the source's words in order, with the page's furniture between them
            it = iter(words)
            lost = [w for w in want if not any(w == x for x in it)]
            expect(not lost, f'{reader}: {len(lost)} words lost or out of order, from {lost[:5]}')
        print(f'{reader}: all {len(want)} source words')
    if missing:
        skip(f'not installed: {", ".join(missing)} (Debian: mupdf-tools, python3-pdfminer)')


if __name__ == '__main__':
    name = sys.argv[1]
    fn = globals().get(name)
    if not callable(fn):
        fail(f'no case {name!r}')
    fn()
