#!/usr/bin/env python3
"""What structural pseudo-classes cost (issue 17): an article whose body holds --siblings short
paragraphs (1000 and 5000 by default), rendered with no sheet, with `:nth-child(odd)` and
`:not()` (each element counts the siblings before it: linear per element), and with
`:nth-child(An+B of S)` (each counted sibling is matched against S: quadratic per parent).

Reported per trang binary given (--trang, repeatable): CPU time (user + system) and peak RSS of
`render`, median of --runs. Nothing here asserts.

  bench/selector_siblings.py --trang build/trang [--siblings 1000 --siblings 5000]
"""
import argparse, os, shutil, statistics, subprocess, tempfile

ap = argparse.ArgumentParser()
ap.add_argument('--trang', action='append', required=True)
ap.add_argument('--siblings', type=int, action='append')
ap.add_argument('--runs', type=int, default=3)
args = ap.parse_args()

SHEETS = {
    'none': '',
    'nth-child(odd), :not()': 'body > p:nth-child(odd) { color: #c00000 }\n'
                              'p:not(.lead) { letter-spacing: 0.1pt }\n',
    'nth-child(of S)': ':nth-child(2n+1 of p:not(.x)) { color: #c00000 }\n'
                       ':nth-last-child(2n of :is(p, box)) { color: #0000c0 }\n',
}

work = tempfile.mkdtemp(prefix='trang-selector-bench-')


def article(n):
    path = os.path.join(work, f'a{n}.xml')
    paras = ''.join(f'<p>Đoạn {i} ngắn.</p>' for i in range(n))
    with open(path, 'w', encoding='utf-8') as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<article xml:lang="vi"><headline>Dài'
                f'</headline><body>{paras}</body></article>')
    return path


def measure(trang, art, css):
    sheet = os.path.join(work, 's.css')
    with open(sheet, 'w', encoding='utf-8') as f:
        f.write(css)
    cpu, rss = [], []
    for _ in range(args.runs):
        p = subprocess.run(['/usr/bin/time', '-f', '%U %S %M', trang, 'render', art, '-s', sheet,
                            '-o', os.path.join(work, 'o.pdf')],
                           check=True, capture_output=True, text=True)
        user, system, kib = p.stderr.split()[-3:]
        cpu.append(float(user) + float(system))
        rss.append(int(kib))
    return statistics.median(cpu), max(rss) / 1024


try:
    for n in args.siblings or [1000, 5000]:
        art = article(n)
        for trang in args.trang:
            for name, css in SHEETS.items():
                cpu, rss = measure(trang, art, css)
                print(f'{trang}  {n} siblings  {name:24s} {cpu:6.2f} s CPU  {rss:6.0f} MiB')
finally:
    shutil.rmtree(work, ignore_errors=True)
