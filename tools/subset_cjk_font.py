"""How resources/fonts/NotoSansSC-Subset.ttf was made (run once; not part of the build).

    apt-get install fonts-noto-cjk            # only to obtain NotoSansCJK-Regular.ttc
    python -m venv /tmp/fontenv && /tmp/fontenv/bin/pip install fonttools
    /tmp/fontenv/bin/python tools/subset_cjk_font.py resources/fonts/NotoSansSC-Subset.ttf

Keeps GB 2312, ASCII, Latin-1, CJK punctuation and full/half-width forms of Noto Sans CJK SC
Regular, and converts the CFF outlines to TrueType (glyf) so reportlab can embed the font in
PDFs. The result is renamed "Noto Sans SC Subset" (a Modified Version under the OFL).
"""

import contextlib
import sys

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, newTable


def gb2312_chars():
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes([hi, lo]).decode("gb2312"))
    return chars

chars = gb2312_chars()
chars |= {chr(c) for c in range(0x20, 0x7F)}
chars |= {chr(c) for c in range(0x3000, 0x3040)}  # CJK symbols and punctuation
chars |= {chr(c) for c in range(0xFF00, 0xFFF0)}  # full/half-width forms
chars |= set("·—–‘’“”…‰※←↑→↓√∞≤≥×÷°±¥€£©®™•▲▼◀▶●○★☆✓")
chars |= {chr(c) for c in range(0xA0, 0x100)}
print(len(chars), "chars")

coll = TTCollection("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
font = None
for f in coll.fonts:
    name = f["name"].getDebugName(1)
    if name == "Noto Sans CJK SC":
        font = f
        break
print("using", font["name"].getDebugName(4))
opts = subset.Options()
opts.layout_features = ["kern","liga","locl","ccmp","mark","mkmk","palt","halt","fwid","hwid","pwid"]
opts.name_IDs = ["*"]
opts.name_languages = ["*"]
opts.notdef_outline = True
opts.hinting = False
opts.drop_tables += ["VORG", "vhea", "vmtx"]
s = subset.Subsetter(opts)
s.populate(unicodes=[ord(c) for c in chars])
s.subset(font)
print("glyphs", len(font.getGlyphOrder()))

# CFF -> glyf (quadratic), so reportlab can embed it
glyph_order = font.getGlyphOrder()
glyphset = font.getGlyphSet()
glyf = newTable("glyf")
glyf.glyphOrder = glyph_order
glyf.glyphs = {}
for name in glyph_order:
    pen = TTGlyphPen(glyphset)
    try:
        glyphset[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
    except Exception as e:
        print("fail", name, e)
        pen = TTGlyphPen(glyphset)
    glyf[name] = pen.glyph()
font["glyf"] = glyf
font["loca"] = newTable("loca")
maxp = font["maxp"]
maxp.tableVersion = 0x00010000
for attr in (
    "maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
    "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
):
    setattr(maxp, attr, 0)
maxp.maxZones = 1
maxp.maxComponentDepth = 0
font["head"].indexToLocFormat = 0
font["head"].glyphDataFormat = 0
del font["CFF "]
font.sfntVersion = "\0\1\0\0"
post = font["post"]
post.formatType = 2.0
post.extraNames = []
post.mapping = {}
post.glyphOrder = glyph_order
# rename family
name = font["name"]
for rec in list(name.names):
    if rec.nameID in (1, 4, 16):
        rec.string = "Noto Sans SC Subset" if rec.nameID != 4 else "Noto Sans SC Subset Regular"
    elif rec.nameID == 6:
        rec.string = "NotoSansSC-Subset-Regular"
    elif rec.nameID == 3:
        rec.string = "NotoSansSC-Subset-Regular;GB2312"
font.save(sys.argv[1])
