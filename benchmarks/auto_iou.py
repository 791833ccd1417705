#!/usr/bin/env python3
"""IoU of `watermark remove --auto` masks against the true masks, and the detection time (DETECT_MS) per image.

single images (harness cases):  auto_iou.py single /tmp/inpaint-cases
shared-mark sets (make_shared): auto_iou.py shared /tmp/inpaint-shared
WATERMARK_BIN: the `watermark` binary (default .build/release/watermark), or a `watermark-remove` binary (another build's,
for a side-by-side run), which takes the same arguments without `remove`.
"""
import os, subprocess, sys, re
import numpy as np
from PIL import Image

BIN = os.environ.get('WATERMARK_BIN', os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '.build', 'release', 'watermark'))
mode, root = sys.argv[1], sys.argv[2]
flt = re.compile(sys.argv[3]) if len(sys.argv) > 3 else None
REMOVE = [BIN] if os.path.basename(BIN).startswith('watermark-remove') else [BIN, 'remove']
out = '/tmp/auto-iou'; os.makedirs(out, exist_ok=True)

def iou(a, b):
    u = (a | b).sum()
    return 1.0 if u == 0 else (a & b).sum() / u

rows = []
times = []
if mode == 'single':
    names = sorted({f.split('.')[0] for f in os.listdir(root) if f.endswith('.input.png')})
    for n in names:
        if flt and not flt.search(n): continue
        mp = f'{out}/{n}.mask.png'
        if os.path.exists(mp): os.remove(mp)
        r = subprocess.run(REMOVE + [f'{root}/{n}.input.png', '--auto', '--write-mask', mp, '-o', f'{out}/{n}.out.png', '--mode', 'fast'],
                           capture_output=True, text=True)
        truth = np.array(Image.open(f'{root}/{n}.mask.png')) > 0
        if r.returncode != 0 or not os.path.exists(mp):
            v = 0.0; note = (r.stderr.strip().splitlines() or ['?'])[-1][:120]
        else:
            v = iou(np.array(Image.open(mp)) > 0, truth); note = ''
        ms = re.search(r'DETECT_MS=([0-9.]+)', r.stdout)
        times.append((n, float(ms.group(1)) if ms else float('nan')))
        rows.append((n, v)); print(f'{n:40s} IoU {v:.3f} detect {times[-1][1]:7.0f} ms {note}')
else:
    for kind in sorted(os.listdir(root)):
        d = f'{root}/{kind}'
        if flt and not flt.search(kind): continue
        imgs = sorted([f for f in os.listdir(d) if f.startswith('img_')], key=lambda s: int(s[4:-4]))
        mp = f'{out}/shared_{kind}.mask.png'
        if os.path.exists(mp): os.remove(mp)
        cmd = REMOVE + [f'{d}/{imgs[0]}', '--auto', '--same-mark'] + [f'{d}/{f}' for f in imgs[1:]] + ['--write-mask', mp, '-o', f'{out}/shared_{kind}.out.png']
        r = subprocess.run(cmd, capture_output=True, text=True)
        truth = np.array(Image.open(f'{d}/mask.png')) > 0
        if r.returncode != 0 or not os.path.exists(mp):
            v = 0.0; note = (r.stderr.strip().splitlines() or ['?'])[-1][:120]
        else:
            v = iou(np.array(Image.open(mp)) > 0, truth); note = ''
        rows.append((kind, v)); print(f'{kind:12s} ({len(imgs)} images) IoU {v:.3f} {note}')
print('mean IoU %.3f over %d' % (np.mean([r[1] for r in rows]), len(rows)))
for size in sorted({n.split('_')[0] for n, _ in times}):
    ms = [t for n, t in times if n.startswith(size + '_')]
    print(f'detection time {size}: median {np.nanmedian(ms):.0f} ms, max {np.nanmax(ms):.0f} ms over {len(ms)}')
