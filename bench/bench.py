#!/usr/bin/env python3
"""The trang benchmark (run it through bench/run.sh, which builds a Release binary first).

Cases, generated into a temporary folder:
  sample  the sample article (1 page, two photos)
  long    the sample's body repeated to about 20 pages, figures included
  batch   500 variants of the sample (a headline and a paragraph of their own), in 10 folders,
          each folder with its own copies of the photos; rendered with `trang batch`
  own     the same 500 articles, each with photos of its own (the sample's, with a JPEG comment
          that makes every file different): nothing a worker learnt about one article's photos
          (their content hash, that their data is whole) serves the next, as in an archive of
          distinct photos. --own-photos N sets how many (0: skip)

For each: wall time of the whole process (median of --runs for the single articles), pages per
second, peak RSS (getrusage of the child: ru_maxrss) and output size. When `weasyprint` is on
PATH, the same text and design as HTML (A4, 18/15/20/15 mm margins, three columns 5 mm apart,
Noto Serif 9.5/12.5 pt text, Noto Sans furniture, the same JPEGs) is rendered by WeasyPrint in
the same run, and trang's speed and memory are given as ratios to it. The single articles are
also rendered with --optimize-images (photos re-coded losslessly): WeasyPrint re-encodes JPEGs
through Pillow (lossy, quality 75), so its files are smaller for the photos' sake alone.
Nothing here asserts."""
import argparse, html, os, re, resource, shutil, statistics, subprocess, sys, tempfile, time
import xml.etree.ElementTree as ET

ap = argparse.ArgumentParser()
ap.add_argument('--trang', required=True)
ap.add_argument('--source', required=True)
ap.add_argument('--runs', type=int, default=10, help='runs of each single article (median)')
ap.add_argument('--batch', type=int, default=500, help='articles in the batch')
ap.add_argument('--peer-batch', type=int, default=20,
                help='articles of the batch WeasyPrint renders (it takes ~1 s each)')
ap.add_argument('--own-photos', type=int, default=500, help='articles in the own-photos batch (0: skip)')
ap.add_argument('--batch-runs', type=int, default=3, help='runs of each trang batch (median)')
ap.add_argument('--keep', help='generate into this folder and keep it')
args = ap.parse_args()

SAMPLE_DIR = os.path.join(args.source, 'samples', 'can-tho')
PHOTOS = ['quang-canh-hoi-nghi.jpg', 'tran-van-huyen.jpg']
work = args.keep or tempfile.mkdtemp(prefix='trang-bench-')
os.makedirs(work, exist_ok=True)
weasy = shutil.which('weasyprint')


def timed(cmd):
    """(wall seconds, peak RSS in MiB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f'{" ".join(cmd)} failed ({p.returncode}):\n{p.stderr[-2000:]}')
    # ru_maxrss of RUSAGE_CHILDREN is the largest of any child so far: run the smallest case
    # first, and read it through /usr/bin/time when available to get this child alone.
    return wall, p


def run_measured(cmd):
    if shutil.which('time') or os.path.exists('/usr/bin/time'):
        t = time.perf_counter()
        p = subprocess.run(['/usr/bin/time', '-f', '%M'] + cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t
        if p.returncode != 0:
            sys.exit(f'{" ".join(cmd)} failed ({p.returncode}):\n{p.stderr[-2000:]}')
        rss = int(p.stderr.strip().splitlines()[-1]) / 1024
        return wall, rss, p
    wall, p = timed(cmd)
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, p


def pages_of(pdf):
    out = subprocess.run(['pdfinfo', pdf], capture_output=True, text=True).stdout
    m = re.search(r'Pages:\s+(\d+)', out)
    return int(m.group(1)) if m else 0


def sample_xml():
    return open(os.path.join(SAMPLE_DIR, 'article.xml'), encoding='utf-8').read()


def with_body(xml, body):
    a, b = xml.index('<body>') + len('<body>'), xml.index('</body>')
    return xml[:a] + body + xml[b:]


def body_of(xml):
    return xml[xml.index('<body>') + len('<body>'):xml.index('</body>')]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, 'w', encoding='utf-8').write(text)


def photos_into(folder):
    os.makedirs(folder, exist_ok=True)
    for p in PHOTOS:
        dst = os.path.join(folder, p)
        if not os.path.exists(dst):
            shutil.copy(os.path.join(SAMPLE_DIR, p), dst)


# ---- the equivalent HTML for WeasyPrint ------------------------------------------------------

CSS = '''
@page { size: A4; margin: 18mm 15mm 20mm 15mm; }
html { font-family: "Noto Serif"; font-size: 9.5pt; line-height: 12.5pt; color: #000; }
body { margin: 0; }
.kicker { font-family: "Noto Sans"; font-weight: bold; font-size: 8.5pt; line-height: 11pt;
          text-transform: uppercase; letter-spacing: 0.04em; color: #b3121b; margin: 0 0 1.5mm; }
h1 { font-family: "Noto Serif"; font-weight: bold; font-size: 26pt; line-height: 30pt;
     letter-spacing: -0.01em; margin: 0 0 4mm; }
.cols { columns: 3; column-gap: 5mm; column-rule: 0.25pt solid #a6a6a6; text-align: justify;
        border-top: 0.5pt solid #000; padding-top: 8pt; }
p { margin: 0; text-indent: 1em; }
figure + p, .cols > p:first-child { text-indent: 0; }
figure { margin: 2mm 0 4mm; break-inside: avoid; }
figure img { display: block; width: 100%; }
figcaption { font-family: "Noto Sans"; font-style: italic; font-size: 8pt; line-height: 10pt;
             text-align: left; margin-top: 1.5mm; }
.byline { font-family: "Noto Sans"; font-weight: bold; font-size: 9pt; text-align: right;
          margin-top: 2mm; text-indent: 0; }
'''


def to_html(xml_text):
    root = ET.fromstring(xml_text)
    out = ['<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><style>', CSS,
           '</style></head><body>']
    text = lambda e: html.escape(''.join(e.itertext()))
    if (k := root.find('kicker')) is not None:
        out.append(f'<div class="kicker">{text(k)}</div>')
    if (h := root.find('headline')) is not None:
        out.append(f'<h1>{text(h)}</h1>')
    out.append('<div class="cols">')
    for e in root.find('body'):
        if e.tag == 'p':
            out.append(f'<p>{text(e)}</p>')
        elif e.tag == 'figure':
            img = e.find('image')
            cap = e.find('caption')
            out.append(f'<figure><img src="{html.escape(img.get("src"))}" alt="{html.escape(img.get("alt", ""))}">'
                       f'<figcaption>{text(cap) if cap is not None else ""}</figcaption></figure>')
    if (b := root.find('byline')) is not None:
        out.append(f'<p class="byline">{text(b)}</p>')
    out.append('</div></body></html>')
    return '\n'.join(out)


# ---- generate --------------------------------------------------------------------------------

xml = sample_xml()
sample_dir = os.path.join(work, 'sample')
photos_into(sample_dir)
write(os.path.join(sample_dir, 'article.xml'), xml)
long_dir = os.path.join(work, 'long')
photos_into(long_dir)
write(os.path.join(long_dir, 'article.xml'), with_body(xml, body_of(xml) * 33))
batch_dir = os.path.join(work, 'batch')
for i in range(args.batch):
    d = os.path.join(batch_dir, f'd{i % 10}')
    photos_into(d)
    v = xml.replace('<headline>', f'<headline>Bài {i}: ', 1)
    v = v.replace('<body>', f'<body>\n<p>Mã lưu trữ {i:05d} của bài viết trong kho.</p>', 1)
    write(os.path.join(d, f'bai-{i:05d}.xml'), v)
own_dir = os.path.join(work, 'own')
for i in range(args.own_photos):
    d = os.path.join(own_dir, f'd{i % 10}')
    os.makedirs(d, exist_ok=True)
    v = xml.replace('<headline>', f'<headline>Bài {i}: ', 1)
    for p in PHOTOS:
        data = open(os.path.join(SAMPLE_DIR, p), 'rb').read()
        note = f'bench {i}'.encode()
        # A COM segment right after SOI: a valid JPEG, different bytes, the same picture.
        data = data[:2] + b'\xff\xfe' + (len(note) + 2).to_bytes(2, 'big') + note + data[2:]
        name = f'{i:05d}-{p}'
        open(os.path.join(d, name), 'wb').write(data)
        v = v.replace(f'src="{p}"', f'src="{name}"')
    write(os.path.join(d, f'bai-{i:05d}.xml'), v)
if weasy:
    for d in (sample_dir, long_dir):
        write(os.path.join(d, 'article.html'), to_html(open(os.path.join(d, 'article.xml'), encoding='utf-8').read()))
    for i in range(min(args.peer_batch, args.batch)):
        src = os.path.join(batch_dir, f'd{i % 10}', f'bai-{i:05d}.xml')
        write(src[:-4] + '.html', to_html(open(src, encoding='utf-8').read()))

# ---- measure ---------------------------------------------------------------------------------

results = []  # (case, tool, wall, pages, rss, bytes)


def single(case, folder):
    src = os.path.join(folder, 'article.xml')
    out = os.path.join(folder, 'trang.pdf')
    subprocess.run([args.trang, 'render', src, '-o', out], check=True)  # warm the page cache
    walls, rss = [], 0
    for _ in range(args.runs):
        w, r, _ = run_measured([args.trang, 'render', src, '-o', out])
        walls.append(w)
        rss = max(rss, r)
    results.append((case, 'trang', statistics.median(walls), pages_of(out), rss, os.path.getsize(out)))
    # The same with the photos re-coded losslessly (smaller files, slower).
    out = os.path.join(folder, 'trang-optimized.pdf')
    walls, rss = [], 0
    for _ in range(max(1, args.runs // 2)):
        w, r, _ = run_measured([args.trang, 'render', src, '-o', out, '--optimize-images'])
        walls.append(w)
        rss = max(rss, r)
    results.append((case, 'trang --optimize-images', statistics.median(walls), pages_of(out), rss,
                    os.path.getsize(out)))
    if weasy:
        src = os.path.join(folder, 'article.html')
        out = os.path.join(folder, 'weasyprint.pdf')
        walls, rss = [], 0
        for _ in range(max(1, min(3, args.runs))):
            w, r, _ = run_measured([weasy, src, out])
            walls.append(w)
            rss = max(rss, r)
        results.append((case, 'weasyprint', statistics.median(walls), pages_of(out), rss, os.path.getsize(out)))
        same_photos(case, folder, out)


# WeasyPrint does not embed a JPEG as it is: it decodes it and encodes it again through Pillow
# at Pillow's default quality, 75 (weasyprint/pdf/stream.py: `save(format='JPEG')`), so its
# photos are other, lossier bytes than trang's, which are the originals. To compare the PDFs
# for the same content, the photos WeasyPrint embeds are made again the same way, with the
# Python that runs WeasyPrint (which has Pillow), checked to be byte for byte in its PDF, and
# trang renders a copy of the article with those in place of the originals.
SAME_PHOTOS = "trang, WeasyPrint's photos"
REENCODE = '''import io, sys
from PIL import Image
for src, dst in zip(sys.argv[1::2], sys.argv[2::2]):
    b = io.BytesIO()
    Image.open(src).save(b, format='JPEG')
    open(dst, 'wb').write(b.getvalue())
'''


def same_photos(case, folder, weasy_pdf):
    python = open(weasy, 'rb').readline()[2:].decode().strip().split()[0] if weasy else ''
    if not python.startswith('/') or not os.access(python, os.X_OK):
        return
    copy = folder + '-weasyprint-photos'
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns('*.pdf', '*.html'))
    pairs = []
    for p in PHOTOS:
        pairs += [os.path.join(folder, p), os.path.join(copy, p)]
    if subprocess.run([python, '-c', REENCODE] + pairs, capture_output=True).returncode != 0:
        return
    embedded = open(weasy_pdf, 'rb').read()
    if not all(open(os.path.join(copy, p), 'rb').read() in embedded for p in PHOTOS):
        print(f'{case}: WeasyPrint embeds photos other than Pillow-at-75 makes; '
              'no same-photos size row', file=sys.stderr)
        return
    out = os.path.join(copy, 'trang.pdf')
    w, r, _ = run_measured([args.trang, 'render', os.path.join(copy, 'article.xml'), '-o', out])
    results.append((case, SAME_PHOTOS, w, pages_of(out), r, os.path.getsize(out)))


single('sample (1 page)', sample_dir)
single('long (~20 pages)', long_dir)

def trang_batch(case, in_dir, out_parent, out_name):
    """`trang batch` over in_dir, --batch-runs times, each into a fresh folder: one row of
    results (median wall, largest peak RSS). The folders are removed only after the last run,
    so each run writes beside the outputs of the runs before, as an archive job does: pages
    just freed by deleting 350 MB of output would be warm ones, which a real run does not get
    (on a VM that backs its memory lazily, filling never-used page cache costs ten times as
    much kernel time), and on ext4 without a journal the inode allocator passes over recently
    freed inodes."""
    outs, walls, rss = [], [], 0
    for i in range(max(1, args.batch_runs)):
        out_dir = os.path.join(out_parent, f'{out_name}.{i}')
        shutil.rmtree(out_dir, ignore_errors=True)
        # Each run starts with no dirty pages of the one before: otherwise the kernel writes the
        # last run's 350 MB back during this one, on the same two cores.
        os.sync()
        w, r, p = run_measured([args.trang, 'batch', in_dir, '-o', out_dir])
        outs.append(out_dir)
        walls.append(w)
        rss = max(rss, r)
    m = re.search(r'(\d+) rendered \((\d+) pages?\)', p.stdout)
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(outs[-1]) for f in fs
               if f.endswith('.pdf') and not f.startswith('.'))
    for out_dir in outs[:-1]:
        shutil.rmtree(out_dir, ignore_errors=True)
    results.append((case, 'trang', statistics.median(walls), int(m.group(2)), rss, size))


trang_batch(f'batch ({args.batch} articles)', batch_dir, work, 'batch-out')
# The same batch written to RAM (/dev/shm, tmpfs): no disk and no write-back, only the copies
# into memory (each run writes 350 MB).
ram = '/dev/shm'
if os.path.isdir(ram) and os.access(ram, os.W_OK) and shutil.disk_usage(ram).free > (4 << 30):
    ram_out = tempfile.mkdtemp(prefix='trang-bench-', dir=ram)
    trang_batch(f'batch ({args.batch}), out in RAM', batch_dir, ram_out, 'batch-out')
    shutil.rmtree(ram_out, ignore_errors=True)
if args.own_photos:
    trang_batch(f'batch, own photos ({args.own_photos})', own_dir, work, 'own-out')
if weasy and min(args.peer_batch, args.batch) > 0:
    n = min(args.peer_batch, args.batch)
    htmls = [os.path.join(batch_dir, f'd{i % 10}', f'bai-{i:05d}.html') for i in range(n)]
    # WeasyPrint has no batch mode: one process per article, two at a time (2 cores).
    t = time.perf_counter()
    procs, rss, pages, size = [], 0, 0, 0
    for h in htmls:
        if len(procs) == 2:
            q = procs.pop(0)
            q.wait()
        procs.append(subprocess.Popen(['/usr/bin/time', '-f', '%M', '-o', h + '.rss', weasy, h, h[:-5] + '.weasy.pdf'],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    for q in procs:
        q.wait()
    w = time.perf_counter() - t
    for h in htmls:
        rss = max(rss, int(open(h + '.rss').read().split()[-1]) / 1024)
        pages += pages_of(h[:-5] + '.weasy.pdf')
        size += os.path.getsize(h[:-5] + '.weasy.pdf')
    # Scaled to the whole batch, so the rows compare (WeasyPrint's per-article cost is flat).
    scale = args.batch / n
    results.append((f'batch ({args.batch} articles)', f'weasyprint ({n}, scaled)', w * scale,
                    int(pages * scale), rss, int(size * scale)))

# ---- report ----------------------------------------------------------------------------------

print(f'\ntrang benchmark  ({os.cpu_count()} cores; medians of {args.runs} runs per single article '
      f'and {args.batch_runs} per trang batch; inputs in {work})\n')
print(f'{"case":<28} {"tool":<28} {"wall":>9} {"pages":>6} {"pages/s":>9} {"peak RSS":>10} {"output":>10}')
for case, tool, wall, pages, rss, size in results:
    print(f'{case:<28} {tool:<28} {wall * 1000:>7.1f}ms {pages:>6} {pages / wall:>9.1f} '
          f'{rss:>7.1f}MiB {size / 1024:>8.0f}KiB')
if weasy:
    print('\ntrang vs WeasyPrint (speed: how many times faster; memory and size: trang / WeasyPrint)')
    by_case = {}
    for case, tool, wall, pages, rss, size in results:
        key = tool if tool.startswith('trang') else 'peer'
        by_case.setdefault(case, {})[key] = (wall, pages, rss, size)
    # WeasyPrint renders every article the same way whoever else used its photos, and where its
    # output goes hardly matters at 3 pages/s: the other batch rows compare with its batch row.
    peer_batch = by_case.get(f'batch ({args.batch} articles)', {}).get('peer')
    for case, v in by_case.items():
        if case.startswith('batch') and 'peer' not in v and peer_batch:
            v['peer'] = peer_batch
        if 'peer' in v:
            t, w = v['trang'], v['peer']
            speed = (t[1] / t[0]) / (w[1] / w[0]) if w[1] and t[1] else float('nan')
            line = f'  {case:<28} speed x{speed:.1f} (pages/s)   memory {t[2] / w[2]:.2f}   size {t[3] / w[3]:.2f}'
            if 'trang --optimize-images' in v:
                line += f' ({v["trang --optimize-images"][3] / w[3]:.2f} with --optimize-images'
                if SAME_PHOTOS in v:
                    line += f', {v[SAME_PHOTOS][3] / w[3]:.2f} with the photo bytes it embeds'
                line += ')'
            print(line)
else:
    print('\nWeasyPrint not installed: bench/run.sh --install-peers installs it (apt-get) and compares.')
if not args.keep:
    shutil.rmtree(work, ignore_errors=True)
