#!/usr/bin/env python3
"""End-to-end checks of `trang batch`, one per ctest case: python3 test_batch.py CASE.

A case generates a small archive (variants of the sample article in sub-folders, each with a
marker word of its own), runs the built binary ($TRANG) over it and inspects what came out:
which PDFs exist, what pdftotext finds in them, what was reported, the exit code. Nothing
here is timed."""
import json, os, pty, re, resource, shutil, signal, subprocess, sys, tempfile, time
from harness import expect, fail, skip

TRANG = os.environ.get('TRANG', 'trang')
SRC = os.environ.get('TRANG_SOURCE_DIR', os.path.join(os.path.dirname(__file__), '..', '..'))
SAMPLE_DIR = os.path.join(SRC, 'samples', 'can-tho')
TMP = tempfile.mkdtemp(prefix='trang-batch-')


def run(*args, env=None, cwd=None, preexec_fn=None):
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, preexec_fn=preexec_fn)


def batch(*args, env=None, cwd=None, preexec_fn=None):
    e = dict(os.environ)
    e.update(env or {})
    e.pop('TERM', None)
    return run(TRANG, 'batch', *args, env=e, cwd=cwd, preexec_fn=preexec_fn)


def marker(i):
    return f'trangbatch{i:03d}'


def article(i):
    """The sample with a headline and a paragraph of its own, so pdftotext can tell which
    article a PDF came from."""
    xml = open(os.path.join(SAMPLE_DIR, 'article.xml'), encoding='utf-8').read()
    xml = xml.replace('<body>', f'<body>\n    <p>Mã lưu trữ {marker(i)} của bài.</p>', 1)
    return xml.replace('<headline>', f'<headline>Bài {i}: ', 1)


def make_archive(name, n=20, bad=True):
    """n articles spread over nested folders (a/, a/b/, c/ and the root); with `bad`, two of
    them are broken: malformed XML and a missing image. Returns (root, {rel: index})."""
    root = os.path.join(TMP, name)
    folders = ['', 'a', 'a/b', 'c']
    for f in folders:
        os.makedirs(os.path.join(root, f), exist_ok=True)
        for jpg in ('quang-canh-hoi-nghi.jpg', 'tran-van-huyen.jpg'):
            shutil.copy(os.path.join(SAMPLE_DIR, jpg), os.path.join(root, f, jpg))
    good = {}
    for i in range(n):
        rel = (folders[i % 4] + '/' if folders[i % 4] else '') + f'bai-{i:03d}.xml'
        xml = article(i)
        if bad and i == 5:
            xml = xml.replace('</kicker>', '</kickr>', 1)         # malformed XML
        elif bad and i == 11:
            xml = xml.replace('src="tran-van-huyen.jpg"', 'src="khong-co.jpg"', 1)  # missing image
        else:
            good[rel] = i
        open(os.path.join(root, rel), 'w', encoding='utf-8').write(xml)
    return root, good


def pdf_of(out, rel):
    return os.path.join(out, rel[:-4] + '.pdf')


def pdfs_under(out):
    found = set()
    for d, _, files in os.walk(out):
        for f in files:
            if f.endswith('.pdf') and not f.startswith('.'):
                found.add(os.path.relpath(os.path.join(d, f), out).replace(os.sep, '/'))
    return found


def no_temporaries(out):
    left = []
    for d, _, files in os.walk(out):
        left += [os.path.join(d, f) for f in files if re.match(r'\..*\.pdf(\.stamp)?\.[A-Za-z0-9]{6}$', f)]
    expect(not left, f'temporary files left behind: {left}')


def summary(p):
    m = re.search(r'(\d+) rendered \((\d+) pages?\), (\d+) up to date, (\d+) failed', p.stdout)
    expect(m, f'no summary line in:\n{p.stdout}\n{p.stderr}')
    return tuple(int(x) for x in m.groups())


def with_warnings(p):
    """The summary's count of articles made with warnings, and the articles it lists."""
    m = re.search(r'\d+ failed, (\d+) with warnings', p.stdout)
    expect(m, f'no warnings count in the summary:\n{p.stdout}')
    listed = re.search(r'with warnings:\n((?:  .*\n)*)', p.stdout)
    rows = listed.group(1).splitlines() if listed else []
    return int(m.group(1)), {r.split(':')[0].strip(): r for r in rows}


def damage_photo(root, folder='c'):
    """Cuts a photo of `folder` in half, as a transfer that stopped would: a truncated JPEG.
    Returns the articles that place it (those of that folder)."""
    jpg = os.path.join(root, folder, 'quang-canh-hoi-nghi.jpg')
    os.truncate(jpg, os.path.getsize(jpg) // 2)
    return sorted(os.path.relpath(os.path.join(root, folder, f), root) for f in os.listdir(os.path.join(root, folder))
                  if f.endswith('.xml'))


# ---------------------------------------------------------------------------------------------

def good_render_bad_reported():
    root, good = make_archive('gb')
    out = os.path.join(TMP, 'gb-out')
    p = batch(root, '-o', out, '--jobs', '2')
    expect(p.returncode == 1, f'exit {p.returncode} with two bad articles, want 1\n{p.stderr}')
    rendered, pages, same, failed = summary(p)
    expect((rendered, failed) == (18, 2), f'rendered {rendered}, failed {failed}: want 18 and 2')
    expect(pages >= 18, f'{pages} pages for 18 articles')
    # Every good article is there and is the article it claims to be.
    expect(pdfs_under(out) == {r[:-4] + '.pdf' for r in good},
           f'outputs {sorted(pdfs_under(out))} differ from the good articles')
    for rel, i in good.items():
        text = run('pdftotext', '-enc', 'UTF-8', pdf_of(out, rel), '-').stdout
        expect(marker(i) in text and 'Cần Thơ' in text, f'{rel}: marker or text missing')
    # The bad ones: named with line and column, in the log and in the summary; no output.
    bad_xml = os.path.join(root, 'a', 'bai-005.xml')
    bad_img = os.path.join(root, 'c', 'bai-011.xml')
    expect(re.search(re.escape(bad_xml) + r':\d+:\d+: error: ', p.stderr), f'malformed XML not reported:\n{p.stderr}')
    expect(re.search(re.escape(bad_img) + r":\d+:\d+: error: image file 'khong-co.jpg' not found", p.stderr),
           f'missing image not reported:\n{p.stderr}')
    for f in (bad_xml, bad_img):
        expect(re.search(r'failed:\n(.*\n)*  ' + re.escape(f) + r':\d+:\d+: error', p.stdout),
               f'summary does not list {f}:\n{p.stdout}')
    no_temporaries(out)
    print(f'18 rendered ({pages} pages), 2 reported with file:line:col, exit 1')


def mirror_folders_and_list_file():
    root, good = make_archive('mf', n=8, bad=False)
    out = os.path.join(TMP, 'mf-out')
    p = batch(root, '-o', out)
    expect(p.returncode == 0, f'exit {p.returncode}\n{p.stderr}')
    want = {r[:-4] + '.pdf' for r in good}
    expect(pdfs_under(out) == want, f'{sorted(pdfs_under(out))} != {sorted(want)}')
    expect(os.path.isfile(os.path.join(out, 'a', 'b', 'bai-002.pdf')), 'a/b/bai-002.xml not at OUT/a/b/bai-002.pdf')
    # A list file: paths relative to its own folder, comments and blank lines ignored.
    lst = os.path.join(root, 'list.txt')
    open(lst, 'w').write('# two of them\n\na/b/bai-002.xml\n' + os.path.join(root, 'c', 'bai-003.xml') + '\n')
    out2 = os.path.join(TMP, 'mf-list')
    p = batch(lst, '-o', out2)
    expect(p.returncode == 0, f'list: exit {p.returncode}\n{p.stderr}')
    expect(pdfs_under(out2) == {'a/b/bai-002.pdf', 'c/bai-003.pdf'}, f'list outputs: {sorted(pdfs_under(out2))}')
    # A line outside the list's folder is reported with its line, and the rest still render.
    open(lst, 'w').write('a/b/bai-002.xml\n../elsewhere.xml\n')
    p = batch(lst, '-o', os.path.join(TMP, 'mf-list2'))
    expect(p.returncode == 1 and re.search(re.escape(lst) + r':2:1: error: ', p.stderr),
           f'escaping line not reported: {p.returncode}\n{p.stderr}')
    expect(pdfs_under(os.path.join(TMP, 'mf-list2')) == {'a/b/bai-002.pdf'}, 'good line not rendered')
    print('outputs mirror the folders; list files work')


def skip_existing_resumes():
    root, good = make_archive('se', n=10, bad=False)
    out = os.path.join(TMP, 'se-out')
    p = batch(root, '-o', out, '--skip-existing')
    expect(p.returncode == 0 and summary(p)[0] == 10, f'first run: {p.returncode}\n{p.stdout}{p.stderr}')
    mtimes = {r: os.stat(pdf_of(out, r)).st_mtime_ns for r in good}
    # Nothing changed: nothing is rendered, and it says so.
    p = batch(root, '-o', out, '--skip-existing')
    rendered, _, same, failed = summary(p)
    expect(p.returncode == 0 and (rendered, same, failed) == (0, 10, 0), f'second run:\n{p.stdout}')
    expect('nothing to render' in p.stdout, f'second run does not say so:\n{p.stdout}')
    # One article edited, one image replaced, one output lost: exactly those three again.
    edited = 'a/bai-001.xml'
    with open(os.path.join(root, edited), 'a', encoding='utf-8') as f:
        f.write('<!-- edited -->\n')
    shutil.copy(os.path.join(SAMPLE_DIR, 'tran-van-huyen.jpg'), os.path.join(root, 'c', 'quang-canh-hoi-nghi.jpg'))
    os.remove(pdf_of(out, 'bai-000.xml'))
    time.sleep(0.01)
    p = batch(root, '-o', out, '--skip-existing')
    rendered, _, same, _ = summary(p)
    changed = {edited, 'bai-000.xml', 'c/bai-003.xml', 'c/bai-007.xml'}
    expect((rendered, same) == (len(changed), 10 - len(changed)), f'after edits:\n{p.stdout}{p.stderr}')
    for r in good:
        moved = os.stat(pdf_of(out, r)).st_mtime_ns != mtimes[r]
        expect(moved == (r in changed), f'{r}: re-rendered={moved}, expected {r in changed}')
    # Without --skip-existing everything is rendered again.
    p = batch(root, '-o', out)
    expect(summary(p)[0] == 10, 'a plain run must render everything')
    print('second run renders nothing; an edit, a new image and a lost PDF re-render only theirs')


def damaged_pdf_renders_again():
    """A stamp is written right after its PDF without waiting for the disk; after a power cut
    the PDF may be empty, cut short or zero-filled at the end while its stamp survived. Such a
    PDF must not count as up to date."""
    root, good = make_archive('dp', n=6, bad=False)
    out = os.path.join(TMP, 'dp-out')
    p = batch(root, '-o', out, '--skip-existing')
    expect(p.returncode == 0 and summary(p)[0] == 6, f'first run: {p.returncode}\n{p.stdout}{p.stderr}')
    rels = sorted(good)
    size = os.path.getsize(pdf_of(out, rels[0]))
    open(pdf_of(out, rels[0]), 'wb').close()                      # empty
    os.truncate(pdf_of(out, rels[1]), size // 2)                   # cut short
    with open(pdf_of(out, rels[2]), 'r+b') as f:                   # the end zero-filled
        f.seek(-3000, os.SEEK_END)
        f.write(b'\0' * 3000)
    with open(pdf_of(out, rels[3]), 'r+b') as f:                   # the start zero-filled
        f.write(b'\0' * 512)
    p = batch(root, '-o', out, '--skip-existing')
    rendered, _, same, failed = summary(p)
    expect((rendered, same, failed) == (4, 2, 0), f'damaged PDFs not rendered again:\n{p.stdout}{p.stderr}')
    for r in rels:
        t = run('pdftotext', pdf_of(out, r), '-').stdout
        expect(marker(good[r]) in t, f'{r}: its marker is not in the PDF after the second run')
    print('PDFs left empty, short or zero-filled by a "power cut" render again; intact ones do not')


STAMP_ATTRIBUTE = 'user.trang.stamp'


def attributes_kept(folder):
    """Whether the filesystem of `folder` keeps user extended attributes (tmpfs before Linux
    6.6 and some network filesystems do not)."""
    probe = os.path.join(folder, '.xattr-probe')
    open(probe, 'w').close()
    try:
        os.setxattr(probe, STAMP_ATTRIBUTE, b'1')
        return True
    except OSError:
        return False
    finally:
        os.remove(probe)


def stamp_of(pdf):
    """The stamp of a PDF: its attribute, else the file beside it; None when it has neither."""
    try:
        return os.getxattr(pdf, STAMP_ATTRIBUTE).decode()
    except OSError:
        d, name = os.path.split(pdf)
        path = os.path.join(d, '.' + name + '.stamp')
        return open(path, encoding='utf-8').read() if os.path.isfile(path) else None


def stamps_as_attributes_or_files():
    """A stamp goes with its PDF as an extended attribute, so no second file per article;
    where the filesystem keeps none, it is the file .NAME.pdf.stamp beside the PDF. Either
    way a second run finds every article up to date."""
    root, good = make_archive('sa', n=6, bad=False)
    for label, env in (('attribute', None), ('file', {'TRANG_BATCH_TEST_NO_XATTR': '1'})):
        out = os.path.join(TMP, f'sa-{label}')
        p = batch(root, '-o', out, '--skip-existing', env=env)
        expect(p.returncode == 0 and summary(p)[0] == 6, f'{label}: {p.returncode}\n{p.stdout}{p.stderr}')
        files = [f for _, _, fs in os.walk(out) for f in fs if f.endswith('.stamp')]
        kept = label == 'attribute' and attributes_kept(out)
        for r in good:
            stamp = stamp_of(pdf_of(out, r))
            expect(stamp is not None and stamp.startswith('trang-stamp 3\n'), f'{label}: {r} has no stamp')
            expect(r in stamp, f'{label}: the stamp of {r} does not name its article:\n{stamp}')
        expect(len(files) == (0 if kept else 6), f'{label}: {len(files)} stamp files: {files}')
        p = batch(root, '-o', out, '--skip-existing', env=env)
        rendered, _, same, failed = summary(p)
        expect((rendered, same, failed) == (0, 6, 0), f'{label}: second run\n{p.stdout}{p.stderr}')
    print('stamps are PDF attributes (or files where there are none); both resume')


def outputs_leave_the_page_cache():
    """A batch starts writing each PDF back to the disk as soon as it is written and drops it
    from the page cache a few PDFs later (drop-behind), so an archive run does not fill the
    cache with its output. Checked with fincore (util-linux): most of the 80 PDFs have no page
    left in memory after the run. On tmpfs, which has nowhere to write pages back to, there is
    nothing to check."""
    fincore = shutil.which('fincore')
    fs_type = subprocess.run(['stat', '-f', '-c', '%T', TMP], capture_output=True, text=True).stdout.strip()
    if not fincore or fs_type in ('tmpfs', 'ramfs'):
        print(f'skipped: fincore {fincore}, {TMP} on {fs_type}')
        return
    root, good = make_archive('pc', n=80, bad=False)
    out = os.path.join(TMP, 'pc-out')
    p = batch(root, '-o', out, '--jobs', '2')
    expect(p.returncode == 0 and summary(p)[0] == 80, f'{p.returncode}\n{p.stdout}{p.stderr}')
    pdfs = [os.path.join(out, r) for r in sorted(pdfs_under(out))]
    expect(len(pdfs) == 80, f'{len(pdfs)} PDFs')
    # Resident bytes and size of each file: at most 16 PDFs per worker stay cached.
    f = subprocess.run([fincore, '-b', '-n', '-r', '-o', 'RES,SIZE'] + pdfs, capture_output=True, text=True)
    rows = [tuple(int(x) for x in line.split()) for line in f.stdout.splitlines() if line.strip()]
    expect(len(rows) == 80, f'fincore: {f.stdout}{f.stderr}')
    resident, total = sum(r for r, _ in rows), sum(s for _, s in rows)
    dropped = sum(1 for r, _ in rows if r == 0)
    expect(resident < 0.75 * total and dropped >= 20,
           f'{resident} of {total} bytes of the output still cached, {dropped} of 80 PDFs dropped')
    print(f'{dropped} of 80 PDFs left the page cache; {resident * 100 // total}% of the bytes stay')


def interrupted_batch_resumes():
    root, good = make_archive('ir', n=24, bad=False)
    out = os.path.join(TMP, 'ir-out')
    env = dict(os.environ)
    env.pop('TERM', None)
    proc = subprocess.Popen([TRANG, 'batch', root, '-o', out, '--jobs', '1'],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None and len(pdfs_under(out) if os.path.isdir(out) else ()) < 3:
        time.sleep(0.002)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    finished = pdfs_under(out)
    # The articles in flight were allowed to finish: every PDF left has its stamp.
    for f in finished:
        expect(stamp_of(os.path.join(out, f)) is not None, f'{f} has no stamp')
    if proc.returncode == 130:
        expect('interrupted' in stdout, f'interrupted run does not say so:\n{stdout}')
    else:
        expect(proc.returncode == 0, f'exit {proc.returncode}:\n{stderr}')  # finished first
    no_temporaries(out)
    for f in finished:  # every PDF left is complete
        expect(run('qpdf', '--check', os.path.join(out, f)).returncode in (0, 3), f'{f} is damaged')
    mtimes = {f: os.stat(os.path.join(out, f)).st_mtime_ns for f in finished}
    p = batch(root, '-o', out, '--skip-existing', '--jobs', '2')
    rendered, _, same, failed = summary(p)
    expect(p.returncode == 0 and failed == 0, f'resume: exit {p.returncode}\n{p.stderr}')
    expect(rendered == 24 - len(finished) and same == len(finished),
           f'resume rendered {rendered}, skipped {same}; {len(finished)} were done before')
    for f, m in mtimes.items():
        expect(os.stat(os.path.join(out, f)).st_mtime_ns == m, f'{f} was rendered again')
    expect(pdfs_under(out) == {r[:-4] + '.pdf' for r in good}, 'resume did not complete the archive')
    print(f'interrupted after {len(finished)} of 24 (exit {proc.returncode}); resume rendered the other {rendered}')


def shards_partition():
    root, good = make_archive('sh', n=23, bad=False)
    everything = {r[:-4] + '.pdf' for r in good}
    for n in (1, 2, 3, 5):
        seen = []
        for k in range(1, n + 1):
            out = os.path.join(TMP, f'sh-{n}-{k}')
            p = batch(root, '-o', out, '--shard', f'{k}/{n}')
            expect(p.returncode == 0, f'--shard {k}/{n}: exit {p.returncode}\n{p.stderr}')
            expect(f'(shard {k}/{n} of 23)' in p.stdout, f'summary does not name the shard:\n{p.stdout}')
            seen.append(pdfs_under(out))
        union = set().union(*seen)
        expect(union == everything, f'N={n}: shards miss {sorted(everything - union)}')
        expect(sum(len(s) for s in seen) == len(everything), f'N={n}: an article is in two shards')
        print(f'N={n}: shard sizes {[len(s) for s in seen]}')
    # The shard depends on the path relative to the input root, not on where the root is.
    moved = os.path.join(TMP, 'elsewhere', 'deeper', 'sh')
    shutil.copytree(root, moved)
    p = batch(moved, '-o', os.path.join(TMP, 'sh-moved'), '--shard', '2/3')
    expect(pdfs_under(os.path.join(TMP, 'sh-moved')) == pdfs_under(os.path.join(TMP, 'sh-3-2')),
           'shard 2/3 changed when the archive moved')
    for bad in ('0/3', '4/3', '1/0', 'x', '1/3/5'):
        p = batch(root, '-o', os.path.join(TMP, 'sh-bad'), '--shard', bad)
        expect(p.returncode == 2, f'--shard {bad}: exit {p.returncode}, want 2')
    print('shards partition the archive exactly, wherever it is mounted')


def jobs_identical_bytes():
    root, good = make_archive('ib', n=8, bad=False)
    outs = []
    # The third run keeps glibc's allocator (a batch runs on mimalloc when it is installed:
    # use_batch_allocator in cmd_batch.cpp); no byte may depend on the allocator.
    for j, env in (('1', None), ('2', None), ('2', {'TRANG_BATCH_ALLOCATOR': 'system'})):
        out = os.path.join(TMP, f'ib-{j}-{len(outs)}')
        p = batch(root, '-o', out, '--jobs', j, env=env)
        expect(p.returncode == 0, f'--jobs {j}: exit {p.returncode}\n{p.stderr}')
        outs.append(out)
    for rel in good:
        a = open(pdf_of(outs[0], rel), 'rb').read()
        for other, what in ((outs[1], '--jobs 2'), (outs[2], "glibc's allocator")):
            expect(a == open(pdf_of(other, rel), 'rb').read(), f'{rel}: --jobs 1 and {what} differ')
    # ... and the same bytes as `trang render` of the article alone (a warm font cache in a
    # worker changes nothing in the file).
    rel = 'c/bai-007.xml'
    single = os.path.join(TMP, 'single.pdf')
    p = run(TRANG, 'render', os.path.join(root, rel), '-o', single)
    expect(p.returncode == 0, p.stderr)
    expect(open(single, 'rb').read() == open(pdf_of(outs[0], rel), 'rb').read(),
           'batch output differs from trang render')
    print("--jobs 1, --jobs 2, glibc's allocator and trang render give identical bytes")


def optimize_images_flag():
    # batch --optimize-images re-codes the photos like render --optimize-images (same bytes),
    # counts in the stamps (a later run without it renders again), and makes smaller files.
    root, good = make_archive('oi', n=4, bad=False)
    out = os.path.join(TMP, 'oi-out')
    p = batch(root, '-o', out, '--optimize-images')
    expect(p.returncode == 0, f'exit {p.returncode}\n{p.stderr}')
    rel = sorted(good)[0]
    single = os.path.join(TMP, 'oi-single.pdf')
    plain = os.path.join(TMP, 'oi-plain.pdf')
    expect(run(TRANG, 'render', os.path.join(root, rel), '-o', single, '--optimize-images').returncode == 0,
           'render --optimize-images failed')
    expect(run(TRANG, 'render', os.path.join(root, rel), '-o', plain).returncode == 0, 'render failed')
    got = open(pdf_of(out, rel), 'rb').read()
    expect(got == open(single, 'rb').read(), 'batch --optimize-images differs from render --optimize-images')
    expect(len(got) < os.path.getsize(plain), 'the optimized PDF is not smaller')
    p = batch(root, '-o', out, '--skip-existing')
    rendered, _, same, _ = summary(p)
    expect(rendered == len(good) and same == 0,
           f'without --optimize-images every article must render again: {rendered} rendered, {same} skipped')
    print(f'batch --optimize-images: same bytes as render, {len(got)} < {os.path.getsize(plain)} bytes, part of the stamp')


def worker_crash_is_one_failure():
    root, good = make_archive('wc', n=8, bad=False)
    out = os.path.join(TMP, 'wc-out')
    p = batch(root, '-o', out, '--jobs', '2', env={'TRANG_BATCH_TEST_CRASH': 'bai-006'})
    expect(p.returncode == 1, f'exit {p.returncode}, want 1\n{p.stderr}')
    rendered, _, _, failed = summary(p)
    expect((rendered, failed) == (7, 1), f'rendered {rendered}, failed {failed}')
    expect(re.search(r'bai-006\.xml: error: the worker rendering it died \(signal 11', p.stdout + p.stderr),
           f'crash not reported:\n{p.stdout}\n{p.stderr}')
    expect('a/b/bai-006.pdf' not in pdfs_under(out), 'output for the crashed article')
    no_temporaries(out)
    print('a crashed worker fails its article only; the batch goes on')


def progress_output():
    root, _ = make_archive('po', n=4, bad=False)
    # Not a terminal: one plain line per article.
    p = batch(root, '-o', os.path.join(TMP, 'po-1'))
    lines = [l for l in p.stderr.splitlines() if re.match(r'\[\d+/4\] ok ', l)]
    expect(len(lines) == 4 and '\r' not in p.stderr, f'plain lines expected:\n{p.stderr!r}')
    # A terminal: a bar redrawn in place with articles, pages, rate and ETA.
    master, slave = pty.openpty()
    env = dict(os.environ, TERM='xterm')
    proc = subprocess.Popen([TRANG, 'batch', root, '-o', os.path.join(TMP, 'po-2')],
                            stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    got = b''
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        got += chunk
    proc.wait()
    os.close(master)
    text = got.decode('utf-8', 'replace')
    expect('\r' in text and re.search(r'4/4 articles\s+\d+ pages\s+[\d.]+/s\s+ETA', text),
           f'no progress bar on a terminal: {text!r}')
    print('plain lines in a pipe, a progress bar on a terminal')


def bad_usage():
    p = batch(os.path.join(TMP, 'does-not-exist'), '-o', os.path.join(TMP, 'x'))
    expect(p.returncode == 2 and 'no such folder or list file' in p.stderr, f'{p.returncode}: {p.stderr}')
    p = run(TRANG, 'batch', TMP)
    expect(p.returncode == 2, f'missing -o: exit {p.returncode}')
    empty = os.path.join(TMP, 'empty')
    os.makedirs(empty)
    p = batch(empty, '-o', os.path.join(TMP, 'empty-out'))
    expect(p.returncode == 0 and 'no *.xml articles' in p.stdout, f'empty folder: {p.returncode} {p.stdout}')
    print('usage errors exit 2; an empty folder is not an error')


# --- issue 19: a batch that tells the truth -------------------------------------------------

def warnings_summarized_and_strict():
    """A damaged photo becomes a placeholder and a warning: the PDF is made, but the summary
    counts and names the article as made with warnings, apart from the clean ones, and
    --strict fails it (exit 1, no PDF) as render --strict does."""
    root, good = make_archive('ws', n=8, bad=False)
    damaged = damage_photo(root)                       # c/bai-003.xml, c/bai-007.xml
    expect(damaged == ['c/bai-003.xml', 'c/bai-007.xml'], f'damaged: {damaged}')
    out = os.path.join(TMP, 'ws-out')
    p = batch(root, '-o', out, '--jobs', '2')
    expect(p.returncode == 0, f'exit {p.returncode} without --strict, want 0\n{p.stdout}{p.stderr}')
    rendered, _, _, failed = summary(p)
    expect((rendered, failed) == (8, 0), f'rendered {rendered}, failed {failed}')
    count, listed = with_warnings(p)
    expect(count == 2 and set(listed) == set(damaged), f'with warnings: {count} {sorted(listed)}\n{p.stdout}')
    for rel in damaged:
        expect('image-placeholder' in listed[rel] and pdf_of(out, rel) in listed[rel],
               f'{rel}: the summary line does not give the code and the PDF: {listed[rel]}')
        expect(os.path.isfile(pdf_of(out, rel)), f'{rel}: no PDF without --strict')
    expect(re.search(r'ok +c/bai-003\.xml -> .*\(\d+ pages?, \d+ warnings?\)', p.stderr),
           f'the log line does not count the warnings:\n{p.stderr}')
    expect(not re.search(r'ok +bai-000\.xml.*warning', p.stderr), f'a clean article has warnings:\n{p.stderr}')
    # --strict: the same two fail, with no PDF; the clean six are made.
    out2 = os.path.join(TMP, 'ws-strict')
    p = batch(root, '-o', out2, '--jobs', '2', '--strict')
    expect(p.returncode == 1, f'--strict: exit {p.returncode}, want 1\n{p.stdout}{p.stderr}')
    rendered, _, _, failed = summary(p)
    expect((rendered, failed) == (6, 2), f'--strict: rendered {rendered}, failed {failed}')
    expect(pdfs_under(out2) == {r[:-4] + '.pdf' for r in good if r not in damaged},
           f'--strict outputs: {sorted(pdfs_under(out2))}')
    for rel in damaged:
        expect(re.search(r'failed:\n(.*\n)*  ' + re.escape(os.path.join(root, rel)) + r': error: --strict: \d+ warnings? \(no PDF written\)',
                         p.stdout), f'--strict failure of {rel} not listed:\n{p.stdout}')
    no_temporaries(out2)
    print('2 damaged photos: "2 with warnings" listed with their code; --strict fails exactly them, exit 1')


def resume_remembers_warnings_any_spelling():
    """The stamp keys on paths relative to the input root and remembers warnings: a resume
    spelled ./in or /abs/in renders nothing and names the article with placeholders again."""
    root, good = make_archive('rs', n=8, bad=False)
    damaged = damage_photo(root)
    out = os.path.join(TMP, 'rs-out')
    p = batch('rs', '-o', 'rs-out', '--skip-existing', cwd=TMP)
    expect(p.returncode == 0 and summary(p)[0] == 8, f'first run: {p.returncode}\n{p.stdout}{p.stderr}')
    mtimes = {r: os.stat(pdf_of(out, r)).st_mtime_ns for r in good}
    for spelling, cwd in (('./rs', TMP), (root, TMP), ('../rs', os.path.join(TMP, 'rs-out')),
                          ('rs//./', TMP)):
        p = batch(spelling, '-o', out, '--skip-existing', cwd=cwd)
        rendered, _, same, failed = summary(p)
        expect(p.returncode == 0 and (rendered, same, failed) == (0, 8, 0),
               f'{spelling}: rendered {rendered}, up to date {same}, failed {failed}\n{p.stdout}{p.stderr}')
        count, listed = with_warnings(p)
        expect(count == 2 and set(listed) == set(damaged), f'{spelling}: the resume forgot the warnings:\n{p.stdout}')
        expect('image-placeholder' in listed[damaged[0]], f'{spelling}: no code: {listed[damaged[0]]}')
        expect(re.search(r'same +c/bai-003\.xml \(\d+ warnings?\)', p.stderr), f'{spelling}: log:\n{p.stderr}')
    # A list file in the same folder is the same root: its articles resume too.
    with open(os.path.join(root, 'list.txt'), 'w') as f:
        f.write('c/bai-003.xml\n' + os.path.join(root, 'a', 'bai-001.xml') + '\n')
    p = batch('./rs/list.txt', '-o', out, '--skip-existing', cwd=TMP)
    rendered, _, same, failed = summary(p)
    expect(p.returncode == 0 and (rendered, same, failed) == (0, 2, 0) and with_warnings(p)[0] == 1,
           f'list file: rendered {rendered}, up to date {same}, failed {failed}\n{p.stdout}{p.stderr}')
    for r in good:
        expect(os.stat(pdf_of(out, r)).st_mtime_ns == mtimes[r], f'{r} was rendered again')
    # --strict does not take a PDF with warnings as done: those two fail, the rest are skipped.
    p = batch('./rs', '-o', out, '--skip-existing', '--strict', cwd=TMP)
    rendered, _, same, failed = summary(p)
    expect(p.returncode == 1 and (rendered, same, failed) == (0, 6, 2),
           f'--strict resume: exit {p.returncode}, {rendered} rendered, {same} same, {failed} failed\n{p.stdout}')
    print('resumes spelled ./rs, absolute, ../rs and rs//./ render nothing and report the 2 placeholders again')


def report_json():
    """--report FILE.json: per article its status, pages, warnings with codes and output."""
    root, good = make_archive('rj', n=8, bad=True)        # a/bai-005.xml: malformed XML
    damaged = damage_photo(root)
    out = os.path.join(TMP, 'rj-out')
    report = os.path.join(TMP, 'rj-report.json')
    p = batch(root, '-o', out, '--report', report)
    expect(p.returncode == 1, f'exit {p.returncode}, want 1\n{p.stdout}{p.stderr}')
    r = json.load(open(report, encoding='utf-8'))
    expect(r['counts'] == {'articles': 8, 'rendered': 7, 'up_to_date': 0, 'failed': 1, 'not_done': 0,
                           'with_warnings': 2, 'taken': 0}, f'counts: {r["counts"]}')
    by = {a['article']: a for a in r['articles']}
    expect(sorted(by) == sorted(list(good) + ['a/bai-005.xml']), f'articles: {sorted(by)}')
    bad = by['a/bai-005.xml']
    expect(bad['status'] == 'failed' and bad['output'] is None and bad['pages'] == 0
           and any('error' in e for e in bad['errors']) and bad['output_error'] is False, f'failed entry: {bad}')
    for rel in good:
        a = by[rel]
        expect(a['status'] == 'rendered' and a['output'] == pdf_of(out, rel) and os.path.isfile(a['output']),
               f'{rel}: {a}')
        expect(a['pages'] == int(re.search(r'Pages:\s+(\d+)', run('pdfinfo', a['output']).stdout).group(1)),
               f'{rel}: pages {a["pages"]} differ from pdfinfo')
        if rel in damaged:
            codes = {w['code'] for w in a['warnings']}
            expect(not a['clean'] and a['warning_count'] >= 1 and codes == {'image-placeholder'}
                   and 'quang-canh-hoi-nghi.jpg' in a['warnings'][0]['message'], f'{rel}: {a}')
        else:
            expect(a['clean'] and a['warnings'] == [] and a['warning_count'] == 0, f'{rel}: {a}')
    # A resume: the same articles, now up to date, with the warnings their stamps remember.
    p = batch(root, '-o', out, '--skip-existing', '--report', report)
    r = json.load(open(report, encoding='utf-8'))
    expect(r['counts']['up_to_date'] == 7 and r['counts']['with_warnings'] == 2, f'resume counts: {r["counts"]}')
    a = {x['article']: x for x in r['articles']}[damaged[0]]
    expect(a['status'] == 'up-to-date' and a['warnings'][0]['code'] == 'image-placeholder' and a['pages'] >= 1,
           f'resumed entry: {a}')
    print('report: 7 rendered (2 with image-placeholder), 1 failed with its error; a resume keeps them')


def stamp_before_name():
    """A PDF is named only once its stamp is stored. With no extended attributes and the stamp
    file impossible (a folder in its place), the article fails, no PDF is left, exit 3."""
    root, good = make_archive('sb', n=4, bad=False)
    out = os.path.join(TMP, 'sb-out')
    os.makedirs(os.path.join(out, '.bai-000.pdf.stamp'))
    p = batch(root, '-o', out, '--skip-existing', env={'TRANG_BATCH_TEST_NO_XATTR': '1'})
    expect(p.returncode == 3, f'exit {p.returncode}, want 3 (output error)\n{p.stdout}{p.stderr}')
    rendered, _, _, failed = summary(p)
    expect((rendered, failed) == (3, 1), f'rendered {rendered}, failed {failed}')
    expect('bai-000.pdf' not in pdfs_under(out), 'the PDF was named without its stamp')
    expect(re.search(r'\.bai-000\.pdf\.stamp: error: cannot write: the output path is a folder', p.stderr)
           and 'neither its extended attribute nor its stamp file' in p.stderr, f'message:\n{p.stderr}')
    for rel in good:
        if rel != 'bai-000.xml':
            expect(stamp_of(pdf_of(out, rel)) is not None, f'{rel} has no stamp')
    no_temporaries(out)
    print('no stamp, no PDF: the article fails with the reason, exit 3')


def file_size_limit():
    """ulimit -f: the write fails with EFBIG; render and batch name the file and the system's
    reason, exit 3, and leave no partial file."""
    root, _ = make_archive('fl', n=3, bad=False)
    limit = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
    pdf = os.path.join(TMP, 'fl.pdf')
    p = run(TRANG, 'render', os.path.join(root, 'bai-000.xml'), '-o', pdf, preexec_fn=limit)
    expect(p.returncode == 3 and re.search(re.escape(pdf) + r': error: .*File too large', p.stderr),
           f'render: exit {p.returncode}\n{p.stderr}')
    expect(not os.path.exists(pdf), 'render left a partial PDF')
    # The layout dump is an output too (10 KB: over a 4 KiB limit).
    dump = os.path.join(TMP, 'fl-dump.txt')
    tiny = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
    p = run(TRANG, 'render', os.path.join(root, 'bai-000.xml'), '-o', pdf, '--dump-layout', dump, preexec_fn=tiny)
    expect(p.returncode == 3 and re.search(re.escape(dump) + r': error: .*File too large', p.stderr),
           f'render --dump-layout: exit {p.returncode}\n{p.stderr}')
    out = os.path.join(TMP, 'fl-out')
    p = batch(root, '-o', out, preexec_fn=limit)
    expect(p.returncode == 3, f'batch: exit {p.returncode}, want 3\n{p.stdout}{p.stderr}')
    expect(summary(p)[3] == 3 and p.stdout.count('File too large') == 3, f'batch summary:\n{p.stdout}')
    expect(not pdfs_under(out), 'batch left PDFs')
    no_temporaries(out)
    print('ulimit -f: "File too large" named, exit 3 in render and batch')


def mounted_tmpfs(name, size):
    """A small tmpfs of its own at TMP/name (root only); skips the case where mounting is not
    allowed (a container without CAP_SYS_ADMIN)."""
    d = os.path.join(TMP, name)
    os.makedirs(d)
    p = run('mount', '-t', 'tmpfs', '-o', f'size={size}', 'tmpfs', d)
    if p.returncode != 0:
        skip(f'cannot mount a tmpfs here: {p.stderr.strip()}')
    return d


def unmount(d):
    run('umount', d)


def disk_full():
    """A full disk (a 128 KiB tmpfs): "No space left on device", exit 3, in render and batch."""
    root, _ = make_archive('df', n=3, bad=False)
    d = mounted_tmpfs('df-disk', '128k')
    try:
        pdf = os.path.join(d, 'x.pdf')
        p = run(TRANG, 'render', os.path.join(root, 'bai-000.xml'), '-o', pdf)
        expect(p.returncode == 3 and re.search(re.escape(pdf) + r': error: .*No space left on device', p.stderr),
               f'render: exit {p.returncode}\n{p.stderr}')
        expect(not os.path.exists(pdf), 'render left a partial PDF')
        out = os.path.join(d, 'out')
        report = os.path.join(TMP, 'df-report.json')
        p = batch(root, '-o', out, '--report', report)
        expect(p.returncode == 3 and summary(p)[3] == 3 and p.stdout.count('No space left on device') == 3,
               f'batch: exit {p.returncode}\n{p.stdout}{p.stderr}')
        expect(not pdfs_under(out), 'batch left PDFs')
        no_temporaries(out)
        r = json.load(open(report, encoding='utf-8'))
        expect(all(a['status'] == 'failed' and a['output_error'] for a in r['articles']), f'report: {r["articles"]}')
    finally:
        unmount(d)
    print('full disk: "No space left on device" named, exit 3 in render and batch')


def read_only_folder():
    """A read-only filesystem (chmod does not stop root: a tmpfs remounted read-only):
    "Read-only file system", exit 3, in render and batch (which used to exit 2)."""
    root, _ = make_archive('ro', n=2, bad=False)
    d = mounted_tmpfs('ro-disk', '4m')
    try:
        os.makedirs(os.path.join(d, 'out'))
        p = run('mount', '-o', 'remount,ro', d)
        expect(p.returncode == 0, f'remount: {p.stderr}')
        pdf = os.path.join(d, 'x.pdf')
        p = run(TRANG, 'render', os.path.join(root, 'bai-000.xml'), '-o', pdf)
        expect(p.returncode == 3 and re.search(re.escape(pdf) + r': error: .*Read-only file system', p.stderr),
               f'render: exit {p.returncode}\n{p.stderr}')
        p = batch(root, '-o', os.path.join(d, 'new'))
        expect(p.returncode == 3 and re.search(r'error: cannot create the output folder: Read-only file system', p.stderr),
               f'batch into a new folder: exit {p.returncode}\n{p.stdout}{p.stderr}')
        p = batch(root, '-o', os.path.join(d, 'out'))
        expect(p.returncode == 3 and summary(p)[3] == 2 and p.stdout.count('Read-only file system') == 2,
               f'batch into an existing folder: exit {p.returncode}\n{p.stdout}{p.stderr}')
    finally:
        unmount(d)
    print('read-only: "Read-only file system" named, exit 3 in render and batch')


def out_of_memory_names_the_article():
    """An article too big for the memory it may use (an address-space limit of 160 MiB; 400 000
    paragraphs): the error names the article, exit 70, no PDF. Not timed."""
    if os.environ.get('TRANG_E2E_SANITIZED') == '1':
        skip("a sanitizer's shadow memory cannot live under an address-space limit")
    big = os.path.join(TMP, 'big.xml')
    with open(big, 'w', encoding='utf-8') as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<article xml:lang="vi"><headline>Lớn</headline><body>')
        f.write('<p>Xin chào</p>' * 400000)
        f.write('</body></article>\n')
    pdf = os.path.join(TMP, 'big.pdf')
    limit = lambda: resource.setrlimit(resource.RLIMIT_AS, (160 << 20, 160 << 20))
    p = run(TRANG, 'render', big, '-o', pdf, '--max-pages', '100000', preexec_fn=limit)
    expect(p.returncode == 70 and re.search(re.escape(big) + r': error: out of memory', p.stderr),
           f'exit {p.returncode}, want 70 and the article named:\n{p.stderr[-2000:]}')
    expect(not os.path.exists(pdf), 'a PDF was written')
    print('out of memory: the article is named, exit 70')


def stylesheet_once_per_batch():
    """A stylesheet is parsed and checked once per batch: its warnings print once, not once per
    article, and no article counts as made with warnings for them; one with an error stops the
    batch before any article (exit 1), as --strict does one with warnings."""
    root, good = make_archive('so', n=20, bad=False)
    css = os.path.join(TMP, 'so.css')
    open(css, 'w').write('p { colr: red }\nbyline { text-align: sideways }\nheadline { text-transform: uppercase }\n')
    out = os.path.join(TMP, 'so-out')
    report = os.path.join(TMP, 'so-report.json')
    p = batch(root, '-o', out, '-s', css, '--jobs', '2', '--report', report)
    expect(p.returncode == 0, f'exit {p.returncode}\n{p.stderr}')
    expect(summary(p)[0] == 20, f'summary: {summary(p)}')
    for what in (r"so\.css:1:5: warning: unknown property 'colr'", r'so\.css:2:\d+: warning:'):
        n = len(re.findall(what, p.stderr))
        expect(n == 1, f'{what!r} printed {n} times in a 20-article batch, want once:\n{p.stderr[:3000]}')
    expect(with_warnings(p)[0] == 0, f'articles counted with warnings for the sheet:\n{p.stdout}')
    expect('the stylesheet gave 2 warnings' in p.stdout, f'summary does not name them:\n{p.stdout}')
    r = json.load(open(report, encoding='utf-8'))
    expect([d['severity'] for d in r['stylesheet_diagnostics']] == ['warning', 'warning'],
           f'report: {r["stylesheet_diagnostics"]}')
    # The sheet took effect in every article: the headline is in capitals.
    for rel, i in good.items():
        text = run('pdftotext', '-enc', 'UTF-8', pdf_of(out, rel), '-').stdout
        expect(f'BÀI {i}:' in text, f'{rel}: the headline is not upper case:\n{text[:300]}')
    # --strict: a sheet with warnings fails the batch before any article.
    out2 = os.path.join(TMP, 'so-strict')
    p = batch(root, '-o', out2, '-s', css, '--strict')
    expect(p.returncode == 1 and 'the stylesheet has warnings; no article rendered' in p.stderr,
           f'--strict: exit {p.returncode}\n{p.stderr}')
    expect(not pdfs_under(out2), f'--strict wrote {sorted(pdfs_under(out2))}')
    # A sheet with an error: reported once, nothing rendered, exit 1.
    open(css, 'w').write('p { color: red \n')
    p = batch(root, '-o', out2, '-s', css, '--report', report)
    expect(p.returncode == 1 and p.stderr.count(': error: ') == 2
           and 'the stylesheet has errors; no article rendered' in p.stderr,
           f'bad sheet: exit {p.returncode}\n{p.stderr}')
    expect(not pdfs_under(out2), f'a bad sheet wrote {sorted(pdfs_under(out2))}')
    r = json.load(open(report, encoding='utf-8'))
    expect(r['counts']['not_done'] == 20 and r['stylesheet_diagnostics'][0]['severity'] == 'error',
           f'report of a bad sheet: {r["counts"]} {r["stylesheet_diagnostics"]}')
    print('a 20-article batch: the sheet\'s 2 warnings printed once each; --strict and errors stop it')


def repeated_warnings_capped():
    """Past 20 warnings of one kind, the rest are one line with their count."""
    root, _ = make_archive('rw', n=4, bad=False)
    css = os.path.join(TMP, 'rw.css')
    open(css, 'w').write(''.join(f'.c{i} {{ colr{i}: red }}\n' for i in range(250)))
    p = batch(root, '-o', os.path.join(TMP, 'rw-out'), '-s', css)
    expect(p.returncode == 0, f'exit {p.returncode}\n{p.stderr[-2000:]}')
    shown = re.findall(r"rw\.css:\d+:\d+: warning: unknown property 'colr\d+'", p.stderr)
    expect(len(shown) == 20, f'{len(shown)} of 250 like warnings shown, want 20')
    expect(p.stderr.count('rw.css: note: ... and 230 more warnings like this') == 1,
           f'no count of the rest:\n{p.stderr[-2000:]}')
    print('250 like warnings: 20 shown, "... and 230 more warnings like this"')


def concurrent_batches_share_work():
    """Two batches with --skip-existing on the same input and output at once: each article is
    rendered by exactly one of them; the other reports it taken by another batch or up to date."""
    root, good = make_archive('cb', n=20, bad=False)
    out = os.path.join(TMP, 'cb-out')
    env = dict(os.environ)
    env.pop('TERM', None)
    procs, reports = [], []
    for k in range(2):
        reports.append(os.path.join(TMP, f'cb-{k}.json'))
        procs.append(subprocess.Popen([TRANG, 'batch', root, '-o', out, '--skip-existing', '-j', '1',
                                       '--report', reports[-1]], env=env, text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    results = [p.communicate() + (p.returncode,) for p in procs]
    for stdout, stderr, code in results:
        expect(code == 0, f'exit {code}\n{stdout}\n{stderr}')
    rendered, statuses = [], {}
    for rep in reports:
        r = json.load(open(rep, encoding='utf-8'))
        rendered.append({a['article'] for a in r['articles'] if a['status'] == 'rendered'})
        for a in r['articles']:
            statuses.setdefault(a['article'], []).append(a['status'])
    both = rendered[0] & rendered[1]
    expect(not both, f'rendered by both batches: {sorted(both)}')
    expect(rendered[0] | rendered[1] == set(good), f'never rendered: {sorted(set(good) - rendered[0] - rendered[1])}')
    taken = sum(s.count('taken') for s in statuses.values())
    expect(all(x in ('rendered', 'taken', 'up-to-date') for s in statuses.values() for x in s), f'{statuses}')
    expect(pdfs_under(out) == {r[:-4] + '.pdf' for r in good}, f'outputs {sorted(pdfs_under(out))}')
    locks = [f for d, _, fs in os.walk(out) for f in fs if f.endswith('.lock')]
    expect(not locks, f'lock files left: {locks}')
    print(f'two batches at once: {len(rendered[0])} + {len(rendered[1])} rendered, none twice; '
          f'{taken} reported taken by the other')


def locks_taken_stale_and_cleaned():
    """An article whose lock another process holds is skipped and reported as taken (exit 0);
    a lock file no process holds (its batch was killed) is taken over; a worker killed while
    rendering leaves no lock file."""
    import fcntl
    root, good = make_archive('lk', n=4, bad=False)
    out = os.path.join(TMP, 'lk-out')
    rels = sorted(good)
    os.makedirs(os.path.dirname(pdf_of(out, rels[0])), exist_ok=True)
    os.makedirs(os.path.dirname(pdf_of(out, rels[1])), exist_ok=True)
    lock = lambda rel: os.path.join(os.path.dirname(pdf_of(out, rel)), '.' + os.path.basename(pdf_of(out, rel)) + '.lock')
    held = open(lock(rels[0]), 'w')
    fcntl.flock(held, fcntl.LOCK_EX)
    open(lock(rels[1]), 'w').write('4242@gone\n')  # stale: nobody holds it
    p = batch(root, '-o', out, '--skip-existing')
    expect(p.returncode == 0, f'exit {p.returncode}\n{p.stderr}')
    expect(f'taken  {rels[0]} (another batch is rendering it)' in p.stderr, f'not reported taken:\n{p.stderr}')
    expect('1 taken by another batch' in p.stdout and summary(p)[0] == 3, f'summary:\n{p.stdout}')
    expect(pdfs_under(out) == {r[:-4] + '.pdf' for r in rels[1:]}, f'outputs {sorted(pdfs_under(out))}')
    expect(os.path.exists(lock(rels[0])), 'the held lock file was removed')
    expect(not os.path.exists(lock(rels[1])), 'the stale lock file was left')
    held.close()
    # Released: the next resume renders it.
    p = batch(root, '-o', out, '--skip-existing')
    expect(p.returncode == 0 and summary(p)[:1] == (1,) and 'taken' not in p.stdout, f'resume:\n{p.stdout}{p.stderr}')
    # A worker that dies holding a claim: its lock goes with it.
    out2 = os.path.join(TMP, 'lk-out2')
    p = batch(root, '-o', out2, '--skip-existing', env={'TRANG_BATCH_TEST_CRASH': rels[2][:-4]})
    expect(p.returncode == 1, f'crash: exit {p.returncode}\n{p.stderr}')
    locks = [f for d, _, fs in os.walk(out2) for f in fs if f.endswith('.lock')]
    expect(not locks, f'lock files left after a crash: {locks}')
    print('a held lock: taken and reported; a stale one: taken over; a crash leaves none')


if __name__ == '__main__':
    try:
        globals()[sys.argv[1]]()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print('ok')
