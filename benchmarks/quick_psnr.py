#!/usr/bin/env python3
"""Quick loop: run the watermark CLI on every case and print in-mask PSNR vs OpenCV Telea.

usage: quick_psnr.py CASES_DIR "CMD with {input} {mask} {output}" [FILTER_REGEX]
Telea results are cached in CASES_DIR/.telea/.
"""
import json, os, re, subprocess, sys, time
import numpy as np
import cv2

cases_dir, cmd = sys.argv[1], sys.argv[2]
flt = re.compile(sys.argv[3]) if len(sys.argv) > 3 else None
names = sorted({f.split('.')[0] for f in os.listdir(cases_dir) if f.endswith('.input.png')})
os.makedirs(os.path.join(cases_dir, '.telea'), exist_ok=True)
out_dir = '/tmp/quick-psnr-out'; os.makedirs(out_dir, exist_ok=True)
rows = []
def psnr(a, t, m):
    mse = ((a.astype(float) - t.astype(float))[m] ** 2).mean()
    return 100.0 if mse == 0 else 10 * np.log10(255 ** 2 / mse)
for n in names:
    if flt and not flt.search(n):
        continue
    b = os.path.join(cases_dir, n)
    inp = cv2.imread(b + '.input.png'); tr = cv2.imread(b + '.truth.png'); mk = cv2.imread(b + '.mask.png', 0)
    m = mk > 0
    tp = os.path.join(cases_dir, '.telea', n + '.png')
    if not os.path.exists(tp):
        t0 = time.time(); te = cv2.inpaint(inp, mk, 3, cv2.INPAINT_TELEA); tms = (time.time() - t0) * 1000
        cv2.imwrite(tp, te); open(tp + '.ms', 'w').write('%.1f' % tms)
    te = cv2.imread(tp); tms = float(open(tp + '.ms').read())
    out = os.path.join(out_dir, n + '.png')
    c = cmd.format(input=b + '.input.png', mask=b + '.mask.png', output=out, name=n)
    t0 = time.time(); r = subprocess.run(c, shell=True, capture_output=True, text=True); wall = (time.time() - t0) * 1000
    ms = re.search(r'INPAINT_MS=([\d.]+)', r.stdout + r.stderr)
    if r.returncode != 0:
        print(n, 'FAILED', r.stderr.strip()[-200:]); continue
    o = cv2.imread(out)
    p_o, p_t = psnr(o, tr, m), psnr(te, tr, m)
    outside = int(((o != inp).any(2) & ~m).sum())
    rows.append((n, p_o, p_t, float(ms.group(1)) if ms else -1, tms))
    print('%-40s ours %6.2f  telea %6.2f  d=%+5.2f  ms %7.1f (telea warm %6.1f) wall %6.0f outside=%d' % (n, p_o, p_t, p_o - p_t, rows[-1][3], tms, wall, outside))
if rows:
    d = [r[1] - r[2] for r in rows]
    print('mean delta %+.3f dB, min delta %+.3f dB, sum ms ours %.0f telea %.0f' % (np.mean(d), np.min(d), sum(r[3] for r in rows), sum(r[4] for r in rows)))
