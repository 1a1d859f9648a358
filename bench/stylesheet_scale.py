#!/usr/bin/env python3
"""What a large stylesheet costs (issue 19): a generated sheet of --rules rules (100 000 by
default) cascaded over the sample article, and over a batch of --batch variants of it.

The sheet mixes the selector shapes a real one has (classes, ids, attributes, element names,
descendant and child combinators, pseudo-classes), nearly all naming classes and ids the
article lacks, so that the render's output is the sample's; and two declarations that warn
(an unknown property and a bad value), so that the batch shows how often warnings print.

Reported per trang binary given (--trang, repeatable: e.g. the build before and after a change):
wall and CPU time (user + system, of all processes: steadier than wall on a shared machine) and
peak RSS of `render` without and with the sheet (median of --runs), and of a
`batch` of the variants with it, with the number of warning lines the batch printed.
Nothing here asserts.

  bench/stylesheet_scale.py --trang build/trang [--trang /tmp/old-trang] --source .
"""
import argparse, os, shutil, statistics, subprocess, tempfile

ap = argparse.ArgumentParser()
ap.add_argument('--trang', action='append', required=True)
ap.add_argument('--source', required=True)
ap.add_argument('--rules', type=int, default=100000)
ap.add_argument('--runs', type=int, default=3)
ap.add_argument('--batch', type=int, default=20)
ap.add_argument('--jobs', type=int, default=2)
args = ap.parse_args()

work = tempfile.mkdtemp(prefix='trang-sheet-bench-')
sample_dir = os.path.join(args.source, 'samples', 'can-tho')
sample = os.path.join(sample_dir, 'article.xml')

def make_sheet(path, n):
    shapes = [
        '.c{i} {{ color: #1{d:05d} }}',
        '#id{i} {{ margin-top: {m}pt }}',
        'p.k{i} em {{ font-style: italic }}',
        'body > .b{i} {{ text-indent: {m}pt }}',
        '[data-x{i}] {{ letter-spacing: 0.{d}pt }}',
        'headline.h{i}:first-child {{ font-weight: 700 }}',
        'article .a{i} p + p {{ margin-bottom: {m}pt }}',
        'figure#f{i} caption {{ font-size: 8pt }}',
    ]
    with open(path, 'w') as f:
        f.write('p { colr: red }\nbyline { text-align: sideways }\n')  # two warnings
        for i in range(n - 2):
            f.write(shapes[i % len(shapes)].format(i=i, d=i % 100000, m=i % 7) + '\n')

sheet = os.path.join(work, 'big.css')
make_sheet(sheet, args.rules)
batch_in = os.path.join(work, 'in')
os.makedirs(batch_in)
for name in os.listdir(sample_dir):
    if name.endswith('.jpg'):
        shutil.copy(os.path.join(sample_dir, name), batch_in)
text = open(sample, encoding='utf-8').read()
for k in range(args.batch):
    open(os.path.join(batch_in, f'a{k:03d}.xml'), 'w', encoding='utf-8').write(text)

print(f'sheet: {args.rules} rules, {os.path.getsize(sheet) / 1e6:.1f} MB; batch: {args.batch} '
      f'articles, {args.jobs} workers')
for trang in args.trang:
    out = os.path.join(work, 'x.pdf')
    # Each case in a fresh Python child, so that ru_maxrss is that case's own peak.
    def case(cmd):
        code = ('import resource,subprocess,sys,time;t=time.perf_counter();'
                'p=subprocess.run(sys.argv[1:],capture_output=True,text=True);'
                'w=time.perf_counter()-t;'
                'u=resource.getrusage(resource.RUSAGE_CHILDREN);'
                'print(w, u.ru_maxrss, p.returncode, u.ru_utime+u.ru_stime);'
                'sys.stderr.write(p.stderr)')
        p = subprocess.run(['python3', '-c', code] + cmd, capture_output=True, text=True)
        w, rss, rc, cpu = p.stdout.split()
        return float(w), int(rss) / 1024, int(rc), p.stderr, float(cpu)
    plain = [case([trang, 'render', sample, '-o', out]) for _ in range(args.runs)]
    big = [case([trang, 'render', sample, '-s', sheet, '-o', out]) for _ in range(args.runs)]
    shutil.rmtree(os.path.join(work, 'out'), ignore_errors=True)
    b = case([trang, 'batch', batch_in, '-o', os.path.join(work, 'out'), '-s', sheet,
              '-j', str(args.jobs)])
    med = lambda rows, k: statistics.median(r[k] for r in rows)
    warn_lines = sum(1 for l in b[3].splitlines() if ': warning: ' in l)
    print(f'{trang}')
    print(f'  render sample          {med(plain, 0):6.2f} s wall {med(plain, 4):6.2f} s CPU'
          f'  {med(plain, 1):6.0f} MiB')
    print(f'  render sample + sheet  {med(big, 0):6.2f} s wall {med(big, 4):6.2f} s CPU'
          f'  {med(big, 1):6.0f} MiB  (adds {med(big, 4) - med(plain, 4):.2f} s CPU, '
          f'{med(big, 1) - med(plain, 1):.0f} MiB)')
    print(f'  batch of {args.batch} + sheet    {b[0]:6.2f} s wall {b[4]:6.2f} s CPU'
          f'  {b[1]:6.0f} MiB (largest process)  exit {b[2]}, {warn_lines} warning lines')
shutil.rmtree(work)
