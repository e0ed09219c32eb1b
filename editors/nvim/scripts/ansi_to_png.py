"""Renders a terminal screen captured with `tmux capture-pane -e -p -N` (text with ANSI SGR
colour sequences) to a PNG, one monospace cell per character. Used by screenshot.sh for
docs/images/nvim.png; needs Pillow and a monospace TrueType font.

    python ansi_to_png.py CAPTURE.txt OUT.png --font /path/Mono.ttf [--fallback /path/Sans.ttf]
"""

import argparse
import re

from PIL import Image, ImageDraw, ImageFont

# The xterm palette for the 16 basic colours and the 256-colour cube and greys.
BASIC = [
    (0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16),
    (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229),
    (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67),
    (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255),
]


def palette(n):
    if n < 16:
        return BASIC[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    grey = 8 + (n - 232) * 10
    return (grey, grey, grey)


SGR = re.compile(r"\x1b\[([0-9;:]*)m")
OTHER_ESCAPE = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|\][^\x07]*\x07|[()][0-9A-Za-z])")


def parse(text, default_fg, default_bg):
    """Yields rows of (char, fg, bg, bold) cells."""
    rows = []
    fg, bg, bold, reverse = None, None, False, False
    for line in text.split("\n"):
        cells = []
        pos = 0
        while pos < len(line):
            m = SGR.match(line, pos)
            if m:
                codes = [int(c) if c else 0 for c in re.split("[;:]", m.group(1))] or [0]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0:
                        fg, bg, bold, reverse = None, None, False, False
                    elif c == 1:
                        bold = True
                    elif c == 22:
                        bold = False
                    elif c == 7:
                        reverse = True
                    elif c == 27:
                        reverse = False
                    elif 30 <= c <= 37:
                        fg = palette(c - 30)
                    elif 90 <= c <= 97:
                        fg = palette(c - 90 + 8)
                    elif 40 <= c <= 47:
                        bg = palette(c - 40)
                    elif 100 <= c <= 107:
                        bg = palette(c - 100 + 8)
                    elif c == 39:
                        fg = None
                    elif c == 49:
                        bg = None
                    elif c in (38, 48) and i + 1 < len(codes):
                        if codes[i + 1] == 5 and i + 2 < len(codes):
                            colour = palette(codes[i + 2])
                            i += 2
                        elif codes[i + 1] == 2 and i + 4 < len(codes):
                            colour = tuple(codes[i + 2 : i + 5])
                            i += 4
                        else:
                            colour = None
                        if c == 38:
                            fg = colour
                        else:
                            bg = colour
                    i += 1
                pos = m.end()
                continue
            m = OTHER_ESCAPE.match(line, pos)
            if m:
                pos = m.end()
                continue
            f, b = fg or default_fg, bg or default_bg
            if reverse:
                f, b = b, f
            cells.append((line[pos], f, b, bold))
            pos += 1
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("capture")
    ap.add_argument("out")
    ap.add_argument("--font", required=True)
    ap.add_argument("--bold-font")
    ap.add_argument("--fallback", help="a font for characters the main font lacks")
    ap.add_argument("--size", type=int, default=15)
    ap.add_argument("--fg", default="e0e2ea")
    ap.add_argument("--bg", default="14161b")
    args = ap.parse_args()

    default_fg = tuple(int(args.fg[i : i + 2], 16) for i in (0, 2, 4))
    default_bg = tuple(int(args.bg[i : i + 2], 16) for i in (0, 2, 4))
    with open(args.capture, encoding="utf-8") as f:
        rows = parse(f.read(), default_fg, default_bg)

    font = ImageFont.truetype(args.font, args.size)
    bold_font = ImageFont.truetype(args.bold_font, args.size) if args.bold_font else font
    fallback = ImageFont.truetype(args.fallback, args.size) if args.fallback else None
    # A character the font lacks renders as its "missing glyph" box, the same for every such
    # character: comparing with the box of a private-use character finds them.
    missing = font.getmask("\U0010fffd")
    missing = (missing.size, bytes(missing))

    def lacks(face, ch):
        mask = face.getmask(ch)
        return (mask.size, bytes(mask)) == missing

    cell_w = round(font.getlength("M"))
    ascent, descent = font.getmetrics()
    cell_h = ascent + descent + 2
    cols = max(len(r) for r in rows)
    pad = 8
    image = Image.new("RGB", (cols * cell_w + 2 * pad, len(rows) * cell_h + 2 * pad), default_bg)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(rows):
        for x, (ch, fg, bg, bold) in enumerate(row):
            left, top = pad + x * cell_w, pad + y * cell_h
            draw.rectangle([left, top, left + cell_w - 1, top + cell_h - 1], fill=bg)
            if ch == " ":
                continue
            face = bold_font if bold else font
            if fallback is not None and lacks(font, ch):
                face = fallback
            draw.text((left, top + 1), ch, font=face, fill=fg)
    image = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    image.save(args.out, optimize=True)


if __name__ == "__main__":
    main()
