"""What every end-to-end script here shares: running a tool and failing with a message.

A case prints what it found and exits non-zero (through fail) when the behaviour is wrong;
ctest reads the exit code."""
import subprocess
import sys


def fail(msg):
    print('FAIL:', msg)
    sys.exit(1)


def expect(cond, msg):
    if not cond:
        fail(msg)


def run(*args, check=True, env=None):
    """Runs a command, capturing its text output; with check, a non-zero exit fails the case."""
    p = subprocess.run(args, capture_output=True, text=True, env=env)
    if check and p.returncode != 0:
        fail(f'{" ".join(args)} exited {p.returncode}:\n{p.stdout}\n{p.stderr}')
    return p


# Exit code of a case that cannot run here (a tool missing): ctest reports it as skipped
# (SKIP_RETURN_CODE in CMakeLists.txt), never as passed.
SKIPPED = 77


def skip(msg):
    print('SKIPPED:', msg)
    sys.exit(SKIPPED)


# --- reading PDFs back with poppler and qpdf ------------------------------------------------

def pdf_page_count(pdf):
    import re
    return int(re.search(r'Pages:\s+(\d+)', run('pdfinfo', pdf).stdout).group(1))


def pdf_page_texts(pdf, raw=False):
    """pdftotext of each page: in poppler's reading order, or with raw in the order the
    content stream draws it (which keeps side-by-side modules apart)."""
    n = pdf_page_count(pdf)
    opts = ['-raw'] if raw else []
    return [run('pdftotext', *opts, '-enc', 'UTF-8', '-f', str(i), '-l', str(i), pdf, '-').stdout
            for i in range(1, n + 1)]


def pdf_word_boxes(pdf):
    """{page number: [(x0, y0, x1, y1, word)]} from pdftotext -bbox (points, y down)."""
    import html, re
    out, page = {}, 0
    for line in run('pdftotext', '-bbox', pdf, '-').stdout.splitlines():
        if '<page ' in line:
            page += 1
            out[page] = []
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', line)
        if m:
            out[page].append(tuple(map(float, m.groups()[:4])) + (html.unescape(m.group(5)),))
    return out


def pdf_font_faults(pdf):
    """pdffonts rows that are not embedded + subset + ToUnicode (empty when all are)."""
    rows = run('pdffonts', pdf).stdout.splitlines()[2:]
    if not rows:
        return ['pdffonts lists no fonts']
    # The last six columns are emb sub uni object-number generation; names may hold spaces.
    return [r for r in rows if r.split()[-5:-2] != ['yes', 'yes', 'yes']]


def qpdf_check_faults(pdf):
    """qpdf --check's complaint, or None when it finds nothing (exit 0, no warnings)."""
    p = run('qpdf', '--check', pdf, check=False)
    if p.returncode != 0 or 'No syntax or stream encoding errors found' not in p.stdout:
        return f'qpdf --check exited {p.returncode}: {(p.stdout + p.stderr).strip()[-600:]}'
    return None


# --- pictures drawn on the fly (no Pillow: the JPEG and PNG writers are a few lines) --------

def _png_chunk(kind, data):
    import struct, zlib
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))


def write_png(path, width, height, pixel):
    """An 8-bit RGB PNG; pixel(x, y) -> (r, g, b)."""
    import struct, zlib
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows.extend(pixel(x, y))
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n'
                + _png_chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
                + _png_chunk(b'IDAT', zlib.compress(bytes(rows), 6)) + _png_chunk(b'IEND', b''))


def write_jpeg(path, width, height, pixel):
    """A baseline JPEG (YCbCr 4:4:4) whose 8x8 blocks are flat: only DC coefficients are coded,
    each block the colour pixel(x, y) gives at its centre. Enough for a valid, decodable
    stand-in photo of any size, written without an image library (ITU T.81 annex F)."""
    import struct
    # Table K.3 (luminance DC): code lengths and their symbols (the categories 0..11).
    dc_bits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    codes, code, k = {}, 0, 0
    for length, count in enumerate(dc_bits, 1):
        for _ in range(count):
            codes[k] = (code, length)
            code, k = code + 1, k + 1
        code <<= 1
    out, acc, nbits = bytearray(), 0, 0

    def put(value, length):
        nonlocal acc, nbits
        acc, nbits = (acc << length) | (value & ((1 << length) - 1)), nbits + length
        while nbits >= 8:
            byte = (acc >> (nbits - 8)) & 0xFF
            out.append(byte)
            if byte == 0xFF:
                out.append(0)  # byte stuffing (F.1.2.3)
            nbits -= 8
        acc &= (1 << nbits) - 1

    pred = [0, 0, 0]
    for by in range((height + 7) // 8):
        for bx in range((width + 7) // 8):
            r, g, b = pixel(min(bx * 8 + 4, width - 1), min(by * 8 + 4, height - 1))
            ycc = (0.299 * r + 0.587 * g + 0.114 * b,
                   128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
                   128 + 0.5 * r - 0.418688 * g - 0.081312 * b)
            for c in range(3):
                dc = int(round((ycc[c] - 128) * 8))  # the FDCT's DC term of a flat block, Q=1
                diff, pred[c] = dc - pred[c], dc
                cat = abs(diff).bit_length()
                put(*codes[cat])
                if cat:
                    put(diff if diff > 0 else diff + (1 << cat) - 1, cat)
                put(0, 1)  # EOB: the AC table's only code, '0'
    if nbits:
        put((1 << (8 - nbits)) - 1, 8 - nbits)
    seg = lambda marker, body: struct.pack('>HH', marker, len(body) + 2) + body
    with open(path, 'wb') as f:
        f.write(b'\xff\xd8'
                + seg(0xFFE0, b'JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00')
                + seg(0xFFDB, b'\x00' + b'\x01' * 64)
                + seg(0xFFC0, struct.pack('>BHHB', 8, height, width, 3)
                      + b''.join(struct.pack('>BBB', c, 0x11, 0) for c in (1, 2, 3)))
                + seg(0xFFC4, b'\x00' + bytes(dc_bits) + bytes(range(12)))
                + seg(0xFFC4, b'\x10' + bytes([1] + [0] * 15) + b'\x00')
                + seg(0xFFDA, b'\x03' + b''.join(struct.pack('>BB', c, 0) for c in (1, 2, 3)) + b'\x00\x3f\x00')
                + bytes(out) + b'\xff\xd9')


def standin_picture(seed):
    """pixel(x, y) for a stand-in photo of width 1 x height 1 scaled by the caller: a sky, a
    sun and two bands of land in colours drawn from seed, so every picture differs."""
    import random
    rnd = random.Random(seed)
    sky = [rnd.randrange(60, 200) for _ in range(3)]
    land = [rnd.randrange(20, 140) for _ in range(3)]
    sun = (rnd.uniform(0.15, 0.85), rnd.uniform(0.1, 0.4), rnd.uniform(0.06, 0.15))
    horizon = rnd.uniform(0.45, 0.7)

    def pixel(u, v):
        if (u - sun[0]) ** 2 + (v - sun[1]) ** 2 < sun[2] ** 2:
            return (250, 220, 120)
        if v < horizon:
            t = v / horizon
            return tuple(int(c + (255 - c) * t * 0.6) for c in sky)
        shade = 1.0 if int((u + v) * 9) % 2 else 0.8
        return tuple(int(c * shade) for c in land)
    return pixel


# --- the text readers users copy and search with ---------------------------------------------

# Each reader's command for a PDF's text, UTF-8 on stdout: poppler, MuPDF (Debian:
# mupdf-tools) and pdfminer.six (python3-pdfminer). They find word breaks each their own way
# (docs/print-and-archive.md, "Text").
TEXT_READERS = {
    'pdftotext': (('pdftotext',), ('-enc', 'UTF-8', '{pdf}', '-')),
    'mutool': (('mutool',), ('draw', '-q', '-F', 'txt', '-o', '-', '{pdf}')),
    'pdfminer': (('pdf2txt', 'pdf2txt.py'), ('{pdf}',)),
}


def reader_text(reader, pdf):
    """The text `reader` (a key of TEXT_READERS) extracts from pdf, or None when it is not
    installed."""
    import shutil
    names, args = TEXT_READERS[reader]
    exe = next((shutil.which(n) for n in names if shutil.which(n)), None)
    if not exe:
        return None
    return run(exe, *[a.format(pdf=pdf) for a in args]).stdout
