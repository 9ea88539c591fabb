#!/usr/bin/env python3
"""screencheck: find cut or overflowing text in screen dumps (golden files).

Usage: screencheck.py ALLOW DIR...
Each DIR is named COLSxROWS and holds text dumps of screens that size. A line is an
offender when it is wider than COLS cells, or holds an ellipsis "…" that no regular
expression of the ALLOW file accepts (one a line; # comments): a label or a sentence
cut short. Prints one line per offender and exits 1 when there is any.
"""
import os
import re
import sys
import unicodedata


def cells(s):
    """Terminal cells: wide and fullwidth characters take two, combining marks none."""
    n = 0
    for c in s:
        if unicodedata.combining(c):
            continue
        n += 2 if unicodedata.east_asian_width(c) in 'WF' else 1
    return n


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    allow = [re.compile(l.rstrip('\n')) for l in open(argv[1], encoding='utf-8')
             if l.strip() and not l.startswith('#')]
    bad = screens = 0
    for d in argv[2:]:
        m = re.search(r'(\d+)x(\d+)/?$', d)
        if not m:
            print(f'{d}: not a COLSxROWS directory', file=sys.stderr)
            return 2
        cols, rows = int(m.group(1)), int(m.group(2))
        for name in sorted(os.listdir(d)):
            if not name.endswith('.txt'):
                continue
            screens += 1
            lines = open(os.path.join(d, name), encoding='utf-8').read().split('\n')
            if lines and lines[-1] == '':
                lines.pop()
            if len(lines) > rows:
                print(f'{d}/{name}: {len(lines)} rows, more than {rows}')
                bad += 1
            for i, line in enumerate(lines, 1):
                if cells(line) > cols:
                    print(f'{d}/{name}:{i}: {cells(line)} cells, wider than {cols}: {line}')
                    bad += 1
                if '…' in line and not any(a.search(line) for a in allow):
                    print(f'{d}/{name}:{i}: cut short: {line.strip()}')
                    bad += 1
    print(f'{screens} screens, {bad} offenders')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
