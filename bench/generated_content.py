#!/usr/bin/env python3
"""What generated content costs (issue 17): a long article of --sections subheads, each with a
paragraph marked as a note, and a numbered list of --items items, rendered with the default
sheet and with one that numbers the subheads (counter() in ::before), closes each note
(::after, in a bold face the default sheet does not use) and styles the list markers
(::marker).

Reported per trang binary given (--trang, repeatable: the build before and after a change):
CPU time (user + system), peak RSS and the styles stage's time (TRANG_TIMINGS), medians of
--runs, each render pinned to one core. Nothing here asserts.

  bench/generated_content.py --trang build/trang [--trang /tmp/base/trang]
"""
import argparse, os, re, shutil, statistics, subprocess, tempfile

ap = argparse.ArgumentParser()
ap.add_argument('--trang', action='append', required=True)
ap.add_argument('--sections', type=int, default=1500)
ap.add_argument('--items', type=int, default=400)
ap.add_argument('--runs', type=int, default=5)
args = ap.parse_args()

work = tempfile.mkdtemp(prefix='trang-generated-bench-')
paras = ''.join(f'<subhead>Phần {i}</subhead><p class="note">Hội nghị đã thống nhất nhiều nội '
                f'dung quan trọng về công tác phòng chống tham nhũng số {i}.</p>'
                for i in range(args.sections))
items = ''.join(f'<item>Mục số {i} của danh sách</item>' for i in range(args.items))
article = os.path.join(work, 'long.xml')
with open(article, 'w', encoding='utf-8') as f:
    f.write(f'<?xml version="1.0" encoding="UTF-8"?><article xml:lang="vi"><headline>Bài dài'
            f'</headline><body>{paras}<list type="number">{items}</list></body></article>')
sheet = os.path.join(work, 'generated.css')
with open(sheet, 'w', encoding='utf-8') as f:
    f.write('body { counter-reset: sec }\n'
            'subhead::before { content: counter(sec) ". "; counter-increment: sec; color: red }\n'
            'p.note::after { content: " (hết)"; font-weight: bold }\n'
            'item::marker { font-weight: bold }\n')

code = ('import resource,subprocess,sys;'
        'p=subprocess.run(sys.argv[1:],capture_output=True,text=True);'
        'u=resource.getrusage(resource.RUSAGE_CHILDREN);'
        'print(u.ru_utime+u.ru_stime, u.ru_maxrss);sys.stderr.write(p.stderr)')


def case(cmd):
    env = dict(os.environ, TRANG_TIMINGS='1')
    p = subprocess.run(['taskset', '-c', '0', 'python3', '-c', code] + cmd,
                       capture_output=True, text=True, env=env)
    cpu, rss = p.stdout.split()
    m = re.search(r'styles\s+([\d.]+) ms', p.stderr)
    return float(cpu), int(rss) / 1024, float(m.group(1)) if m else float('nan')


print(f'{args.sections} subheads and notes, {args.items} list items')
for trang in args.trang:
    out = os.path.join(work, 'x.pdf')
    for label, extra in (('default sheet', []), ('::before/::after/::marker', ['-s', sheet])):
        rows = [case([trang, 'render', article, '-o', out] + extra) for _ in range(args.runs)]
        med = lambda k: statistics.median(r[k] for r in rows)
        print(f'{trang}: {label}: CPU {med(0):.3f} s, peak RSS {med(1):.1f} MB, '
              f'styles {med(2):.2f} ms')
shutil.rmtree(work, ignore_errors=True)
