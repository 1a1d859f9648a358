#!/usr/bin/env python3
"""The hostile-input corpus (issue 7): python3 run.py CASE | --all | --list.

Every case in cases.json is a small world of files (written inline, or generated here: big
files, symlinks, FIFOs, damaged images) in its own folder, a trang command line, and the
outcome it must have: exit code, a stderr pattern, whether a PDF must exist. For every case
the runner also asserts what holds for any input, however hostile:

- trang exits by itself (no signal: no crash, no abort, no sanitizer kill) and in bounded
  time (the case's timeout) and memory (RLIMIT_AS in the child, peak RSS checked);
- on error there is no file at the output path and no temporary file beside it;
- on success the PDF passes `qpdf --check`;
- under strace, trang opens no file outside the allowed folders (the case folder, which holds
  the article, --assets and stylesheet folders, and the system's fonts, libraries and
  fontconfig caches) and opens no network socket.

Environment: TRANG (the binary), TRANG_SOURCE_DIR, TRANG_HOSTILE_SANITIZED=1 for an ASan
build (no RLIMIT_AS, which ASan's shadow memory cannot live under; larger RSS budget; no
strace, which the sanitizer's own file reads would confuse), TRANG_HOSTILE_NO_STRACE=1.
"""
import json, os, re, resource, shutil, signal, struct, subprocess, sys, tempfile, time, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
TRANG = os.path.abspath(os.environ.get('TRANG', 'trang'))
SRC = os.path.abspath(os.environ.get('TRANG_SOURCE_DIR', os.path.join(HERE, '..', '..')))
SANITIZED = os.environ.get('TRANG_HOSTILE_SANITIZED') == '1'
STRACE = (not SANITIZED and os.environ.get('TRANG_HOSTILE_NO_STRACE') != '1'
          and shutil.which('strace') is not None)
SAMPLE_JPG = os.path.join(SRC, 'samples', 'can-tho', 'tran-van-huyen.jpg')
SMALL_JPG = os.path.join(SRC, 'tests', 'fuzz', 'seeds', 'image', 'baseline.jpg')

AS_LIMIT = 3 << 30          # address space of the child (normal build)
RSS_LIMIT = (1 << 30) if not SANITIZED else (3 << 30)

# Where a well-behaved render may open files besides the case folder.
SYSTEM_PREFIXES = [
    '/usr/share/fonts/', '/usr/local/share/fonts/', '/usr/share/fontconfig/', '/etc/fonts/',
    '/var/cache/fontconfig/', '/usr/lib/', '/lib/', '/usr/lib64/', '/lib64/',
    '/usr/share/hyphen/', '/usr/share/icu/', '/etc/ld.so.cache', '/etc/ld.so.preload',
    '/proc/self/', '/sys/devices/system/cpu/', '/dev/urandom', '/dev/null', '/usr/share/zoneinfo/',
    '/etc/localtime', '/usr/lib/locale/', '/usr/share/locale/', '/etc/nsswitch.conf',
    # glibc's malloc reads it the first time a thread's arena gives memory back (shrink_heap)
    '/proc/sys/vm/overcommit_memory',
]
HOME = os.path.expanduser('~')
for d in ('.cache/fontconfig/', '.config/fontconfig/', '.fontconfig/', '.fonts/',
          '.local/share/fonts/', '.fonts.conf', '.fonts.conf.d/'):
    SYSTEM_PREFIXES.append(os.path.join(HOME, d))


class CaseFailed(Exception):
    pass


def fail(msg):
    raise CaseFailed(msg)


# ---- generators: inputs too big, too binary or too system-dependent to commit ---------------

def png(width, height, color_type=2, rows=None, bit_depth=8, crc_ok=True):
    def chunk(kind, data):
        crc = zlib.crc32(kind + data) & 0xffffffff
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', crc if crc_ok else crc ^ 1)
    channels = {0: 1, 2: 3, 6: 4}[color_type]
    if rows is None:
        row = b'\x00' + bytes((x * 7) & 0xff for x in range(width * channels))
        rows = row * height
    ihdr = struct.pack('>IIBBBBB', width, height, bit_depth, color_type, 0, 0, 0)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(rows, 9))
            + chunk(b'IEND', b''))


def jpeg_with_size(width, height):
    data = bytearray(open(SMALL_JPG, 'rb').read())
    i = 2
    while i < len(data):
        marker = data[i + 1]
        length = struct.unpack('>H', data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            data[i + 5:i + 9] = struct.pack('>HH', height, width)
            return bytes(data)
        i += 2 + length
    raise RuntimeError('no SOF in the seed JPEG')


def para(n_words, seed='Cần Thơ ban chỉ đạo họp sáng nay về công tác phòng chống tham nhũng'):
    words = seed.split()
    return ' '.join(words[i % len(words)] for i in range(n_words))


def article(body, head='<headline>Tin</headline>'):
    return f'<article xml:lang="vi">\n{head}\n<body>\n{body}\n</body>\n</article>\n'


def generate(op, d, outside):
    kind, *args = op
    p = lambda name: os.path.join(d, name)
    if kind == 'fifo':
        os.mkfifo(p(args[0]))
    elif kind == 'dir':
        os.makedirs(p(args[0]), exist_ok=True)
    elif kind == 'symlink':  # symlink NAME TARGET ({outside}, {dir} and absolute allowed)
        target = args[1].replace('{outside}', outside).replace('{dir}', d)
        os.makedirs(os.path.dirname(p(args[0])), exist_ok=True)
        os.symlink(target, p(args[0]))
    elif kind == 'sparse':  # a file of SIZE bytes that costs no disk
        with open(p(args[0]), 'wb') as f:
            f.write(b'<article>')
            f.truncate(int(args[1]))
    elif kind == 'copy':  # copy NAME FROM (relative to the repository)
        shutil.copy(os.path.join(SRC, args[1]), p(args[0]))
    elif kind == 'cut':  # cut NAME FROM FRACTION: the first part of a file
        data = open(os.path.join(SRC, args[1]), 'rb').read()
        open(p(args[0]), 'wb').write(data[:int(len(data) * float(args[2]))])
    elif kind == 'invalid_utf8':  # bytes 0xff 0xfe on line 4
        text = article('<p>Cần Thơ XX</p>').encode()
        open(p(args[0]), 'wb').write(text.replace(b'XX', b'\xff\xfe'))
    elif kind == 'deep_xml':  # N nested inline elements inside a paragraph
        n = int(args[1])
        open(p(args[0]), 'w').write(article('<p>' + '<em>' * n + 'x' + '</em>' * n + '</p>'))
    elif kind == 'paragraphs':  # N short paragraphs
        n = int(args[1])
        open(p(args[0]), 'w').write(article('\n'.join(f'<p>{para(12)} {i}.</p>' for i in range(n))))
    elif kind == 'big_paragraph':  # one paragraph of about N bytes
        words = int(args[1]) // 6
        open(p(args[0]), 'w').write(article('<p>' + para(words) + '</p>'))
    elif kind == 'long_word':
        open(p(args[0]), 'w').write(article('<p>Trước ' + 'a' * int(args[1]) + ' sau.</p>'))
    elif kind == 'png':  # png NAME W H
        open(p(args[0]), 'wb').write(png(int(args[1]), int(args[2])))
    elif kind == 'png_bomb':  # a valid header claiming W x H, a little data
        w, h = int(args[1]), int(args[2])
        data = png(1, 1)
        data = data[:16] + struct.pack('>II', w, h) + data[24:]
        # fix the IHDR CRC so that only the size is the lie
        ihdr = data[12:29]
        data = data[:29] + struct.pack('>I', zlib.crc32(ihdr) & 0xffffffff) + data[33:]
        open(p(args[0]), 'wb').write(data)
    elif kind == 'png_bad_crc':
        open(p(args[0]), 'wb').write(png(8, 8, crc_ok=False))
    elif kind == 'png_truncated':
        data = png(64, 64)
        open(p(args[0]), 'wb').write(data[:len(data) // 2])
    elif kind == 'jpeg_size':  # jpeg_size NAME W H: a small JPEG whose header claims W x H
        open(p(args[0]), 'wb').write(jpeg_with_size(int(args[1]), int(args[2])))
    elif kind == 'big_css':  # N bytes of one character (nesting, tokens)
        open(p(args[0]), 'w').write(args[2] * int(args[1]))
    elif kind == 'many_selectors':
        open(p(args[0]), 'w').write(','.join(f'p.c{i}' for i in range(int(args[1]))) + ' { color: red }')
    else:
        raise RuntimeError(f'unknown generator {kind}')


# ---- running one case -------------------------------------------------------------------------

def expand(s, ctx):
    for k, v in ctx.items():
        s = s.replace('{' + k + '}', v)
    return s


def opened_outside(log, allowed_dirs, cwd):
    """Files trang opened (successfully) outside the allowed folders, and sockets."""
    bad = set()
    pat = re.compile(r'^\d+\s+(open|openat|openat2|creat)\((?:[A-Z_]+|\d+),?\s*"([^"]*)".*\)\s+=\s+(-?\d+)')
    pat2 = re.compile(r'^\d+\s+(open|creat)\("([^"]*)".*\)\s+=\s+(-?\d+)')
    for line in log.splitlines():
        if re.match(r'^\d+\s+(socket|connect)\(', line) and 'AF_UNIX' not in line:
            bad.add('network: ' + line.strip())
            continue
        m = pat.match(line) or pat2.match(line)
        if not m or int(m.group(3)) < 0:
            continue
        path = m.group(2)
        if not path.startswith('/'):
            path = os.path.normpath(os.path.join(cwd, path))
        real = os.path.realpath(path)
        if any(real == a or real.startswith(a.rstrip('/') + '/') for a in allowed_dirs):
            continue
        if any(real.startswith(s) or path.startswith(s) for s in SYSTEM_PREFIXES):
            continue
        if real == TRANG or path == TRANG:
            continue
        bad.add(path if real == path else f'{path} -> {real}')
    return sorted(bad)


def run_case(case, root):
    name = case['name']
    d = os.path.join(root, name)
    outside = os.path.join(root, name + '.outside')  # a folder trang must never read
    os.makedirs(d)
    os.makedirs(outside)
    open(os.path.join(outside, 'secret.txt'), 'w').write('secret\n')
    open(os.path.join(outside, 'secret.css'), 'w').write('p { color: red }\n')
    shutil.copy(SMALL_JPG, os.path.join(outside, 'secret.jpg'))
    ctx = {'dir': d, 'outside': outside, 'src': SRC, 'out': os.path.join(d, 'out', 'out.pdf')}
    ctx['out'] = expand(case.get('out', '{dir}/out/out.pdf'), ctx)
    os.makedirs(os.path.dirname(ctx['out']), exist_ok=True) if case.get('make_out_dir', True) else None
    for fname, text in case.get('files', {}).items():
        path = os.path.join(d, fname)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, 'w', encoding='utf-8', newline='').write(expand(text, ctx))
    for op in case.get('generate', []):
        generate([expand(x, ctx) for x in op], d, outside)
    for op in case.get('after', []):  # set up after the files exist (permissions)
        if op[0] == 'chmod':
            os.chmod(expand(op[1], ctx), int(op[2], 8))
    args = [expand(a, ctx) for a in case['args']]
    out = ctx['out']
    before_input = {f: open(os.path.join(d, f), 'rb').read()
                    for f in case.get('files', {}) if os.path.isfile(os.path.join(d, f))}

    cmd = [TRANG] + args
    trace = os.path.join(root, name + '.strace')
    if STRACE:
        cmd = ['strace', '-f', '-qq', '-o', trace,
               '-e', 'trace=open,openat,openat2,creat,socket,connect'] + cmd
    limits = case.get('limits', {})
    as_limit = None if SANITIZED else AS_LIMIT
    fsize = limits.get('fsize')
    user = case.get('as_user')

    def preexec():
        os.setsid()
        if as_limit:
            resource.setrlimit(resource.RLIMIT_AS, (as_limit, as_limit))
        if fsize:
            resource.setrlimit(resource.RLIMIT_FSIZE, (int(fsize), int(fsize)))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if user and os.geteuid() == 0:
            os.setgid(65534)
            os.setgroups([])
            os.setuid(65534)

    if user and os.geteuid() == 0:
        # 'nobody' must be able to read the case and its tools; the output folder stays read-only.
        os.chmod(d, 0o755)
        os.chmod(root, 0o777)  # strace, running as nobody too, writes its log here
    timeout = case.get('timeout', 60) * (4 if SANITIZED else 1) * (1.5 if STRACE else 1)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=preexec, cwd=d)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        fail(f'{name}: still running after {timeout:.0f} s')
    elapsed = time.monotonic() - t0
    # The largest child so far (cases run one per process under ctest): trang, or strace's
    # traced trang, which counts as a waited-for descendant.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    stderr = stderr.decode('utf-8', 'replace')
    rc = proc.returncode
    problems = []
    if rc < 0:
        problems.append(f'killed by signal {signal.Signals(-rc).name}')
    want = case['exit']
    if rc != want:
        problems.append(f'exit {rc}, want {want}')
    if rc == 70 and want != 70:
        problems.append('internal error')
    for pat in ([case['stderr']] if isinstance(case.get('stderr'), str) else case.get('stderr', [])):
        if not re.search(expand(pat, {k: re.escape(v) for k, v in ctx.items()}), stderr):
            problems.append(f'stderr does not match {pat!r}')
    if 'AddressSanitizer' in stderr or 'runtime error:' in stderr or 'LeakSanitizer' in stderr:
        problems.append('sanitizer report')
    pdf_wanted = case.get('pdf', want == 0)
    out_exists = os.path.lexists(out) and not os.path.isdir(out) and os.path.isfile(out) \
        and not case.get('out_preexists')
    if pdf_wanted:
        if not os.path.isfile(out):
            problems.append('no PDF at the output path')
        else:
            q = subprocess.run(['qpdf', '--check', out], capture_output=True, text=True)
            if q.returncode != 0:
                problems.append(f'qpdf --check: {q.stdout[-400:]}{q.stderr[-400:]}')
    elif out_exists:
        problems.append('an output file was left at the output path')
    out_dir = os.path.dirname(out)
    if os.path.isdir(out_dir):
        temps = [f for f in os.listdir(out_dir) if f.startswith('.' + os.path.basename(out) + '.')]
        if temps:
            problems.append(f'temporary files left: {temps}')
    for f, data in before_input.items():
        path = os.path.join(d, f)
        if os.path.isfile(path) and open(path, 'rb').read() != data:
            problems.append(f'input {f} was modified')
    maxrss = usage.ru_maxrss * 1024
    if maxrss > RSS_LIMIT:
        problems.append(f'peak RSS {maxrss >> 20} MiB over {RSS_LIMIT >> 20} MiB')
    if STRACE and os.path.exists(trace):
        allowed = [os.path.realpath(d)] + [os.path.realpath(expand(a, ctx)) for a in case.get('allow', [])]
        bad = opened_outside(open(trace, errors='replace').read(), allowed, d)
        if bad:
            problems.append('opened outside the allowed folders: ' + ', '.join(bad[:8]))
    first = stderr.strip().splitlines()[0] if stderr.strip() else '(no message)'
    summary = f'{name}: exit {rc} in {elapsed:.2f} s, peak RSS {maxrss >> 20} MiB' + \
              (', strace clean' if STRACE and not any('opened outside' in p for p in problems) else '')
    if problems:
        fail(summary + '\n  ' + '\n  '.join(problems) + '\n--- stderr:\n' + stderr[-3000:])
    print(summary + '\n  ' + first[:300])


def main():
    cases = json.load(open(os.path.join(HERE, 'cases.json'), encoding='utf-8'))['cases']
    if len(sys.argv) < 2:
        sys.exit('usage: run.py CASE | --all | --list')
    if sys.argv[1] == '--list':
        print('\n'.join(c['name'] for c in cases))
        return
    chosen = cases if sys.argv[1] == '--all' else [c for c in cases if c['name'] in sys.argv[1:]]
    if not chosen:
        sys.exit(f'no case named {sys.argv[1:]}')
    root = tempfile.mkdtemp(prefix='trang-hostile-')
    failed = []
    try:
        for c in chosen:
            try:
                run_case(c, root)
            except CaseFailed as e:
                print('FAIL:', e)
                failed.append(c['name'])
    finally:
        for dirpath, dirnames, _ in os.walk(root):  # read-only folders from the cases
            for n in dirnames:
                try:
                    os.chmod(os.path.join(dirpath, n), 0o755)
                except OSError:
                    pass
        shutil.rmtree(root, ignore_errors=True)
    if failed:
        print(f'{len(failed)} of {len(chosen)} failed: ' + ' '.join(failed))
        sys.exit(1)
    print(f'{len(chosen)} cases passed')


if __name__ == '__main__':
    main()
