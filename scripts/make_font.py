#!/usr/bin/python3
"""Subset Noto Sans CJK SC (Debian's fonts-noto-cjk) to what the app bakes into its glyph atlas at start-up:
ASCII, GB 2312 (all 6,763 hanzi and its symbols), CJK and full-width punctuation, and every character that the
UI's own string table uses. Writes the subset font and the code point list the atlas is built from.

With --extra, writes the rest of the font instead (CJK Extension A, the hanzi GB 2312 lacks such as 喆 堃 犇 䶮,
other scripts), cut into chunks the app fetches one by one when a character it has to draw is missing, plus the
table telling which chunk holds which code points. Rare name characters of CJK Extension B to F (from U+20000, such as
𠮷 and 𪚥, which ImGui draws since it is built with 32-bit ImWchar) come from HanaMin B (Debian's fonts-hanazono)
instead: Noto has only ~2,400 of them, HanaMin B ~60,000. All of them come from HanaMin, even those Noto has, so no
chunk mixes two fonts and the Mincho style is at least the same across all of plane 2.

usage: make_font.py OUT.otf OUT_glyph_ranges.hpp [UI_SOURCE ...]
       make_font.py --extra OUT_DIR OUT_extra_font_chunks.hpp
"""
import hashlib
import os
import sys

import io
import time

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

TTC = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SC_NAME = "Noto Sans CJK SC"
HANAMIN_B = "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"
# From here on (CJK Extension B and later) glyphs come from HanaMin B.
PLANE2 = 0x20000
HANAMIN_INK = 2.0


def gb2312_chars():
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def wanted_codepoints(ui_sources):
    cps = set(range(0x20, 0x7F))
    cps |= {ord(c) for c in gb2312_chars()}
    cps |= set(range(0x3000, 0x3040))   # CJK symbols and punctuation
    cps |= set(range(0xFF01, 0xFF5F))   # full-width ASCII forms
    cps |= set(range(0x2010, 0x2027))   # dashes, quotes, ellipsis
    cps |= {0xB7, 0xD7, 0xF7, 0x2030, 0x203B, 0x2116, 0x2190, 0x2191, 0x2192, 0x2193, 0x25B2, 0x25BC, 0x25CF,
            0x2713, 0x2715, 0x00A5}
    for path in ui_sources:
        with open(path, encoding="utf-8") as f:
            cps |= {ord(c) for c in f.read() if ord(c) >= 0x80}
    return cps


def load_sc_font():
    collection = TTCollection(TTC)
    index = next(i for i, f in enumerate(collection.fonts) if f["name"].getDebugName(4) == SC_NAME)
    return collection.fonts[index]


def write_subset(font, cps, out_font):
    options = subset.Options()
    options.layout_features = []        # the atlas renders glyphs one by one: no shaping tables needed
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    options.notdef_outline = True
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=cps)
    subsetter.subset(font)
    tmp = out_font + ".tmp"
    font.save(tmp)
    os.replace(tmp, out_font)


# ~1,500 hanzi make ~380 KB: one rare name character costs a download that size, once.
CHUNK_CODEPOINTS = 1536


def cut_chunks(load_font, cps, ext, ink, out_dir, chunks):
    """Subsets cps into chunk files of CHUNK_CODEPOINTS each, appending (first, last, file, ink) to chunks."""
    for start in range(0, len(cps), CHUNK_CODEPOINTS):
        part = cps[start:start + CHUNK_CODEPOINTS]
        tmp_name = os.path.join(out_dir, "chunk.tmp" + ext)
        write_subset(load_font(), part, tmp_name)  # subsetting changes the font in place: a fresh copy each time
        with open(tmp_name, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()[:12]
        # The content hash in the name: a cached chunk is never mistaken for another build's.
        name = "extra-%02d-%s%s" % (len(chunks), digest, ext)
        os.replace(tmp_name, os.path.join(out_dir, name))
        chunks.append((part[0], part[-1], name, ink))


def hanamin_loader(noto):
    """A function returning a fresh HanaMin B each call, with Noto's vertical metrics."""
    # Read the 30 MB file once and parse a copy from memory per chunk: fontTools parses tables lazily and glyf
    # keeps each glyph's bytes unexpanded until the subsetter looks at it, so a copy costs little.
    with open(HANAMIN_B, "rb") as f:
        data = f.read()
    # stb_truetype (and so ImGui) scales a font so that hhea's ascent - descent is the pixel size. Noto's span is
    # 1.448 em, HanaMin's 1.056 em: with its own metrics a HanaMin glyph would come out 37% taller than the Noto
    # text around it, and on another baseline. So each chunk gets Noto's ascent and descent, in HanaMin's units.
    noto_upm = noto["head"].unitsPerEm
    ascent, descent = noto["hhea"].ascent, noto["hhea"].descent

    def load():
        font = TTFont(io.BytesIO(data))
        ratio = font["head"].unitsPerEm / noto_upm
        font["hhea"].ascent = round(ascent * ratio)
        font["hhea"].descent = round(descent * ratio)
        return font
    return load


def main_extra(out_dir, out_header):
    noto = load_sc_font()
    cmap = noto.getBestCmap()
    # The baked set without the UI's own strings, so a new UI word does not reshuffle every chunk.
    baked = wanted_codepoints([])
    extra = sorted(cp for cp in cmap if 0x20 <= cp < PLANE2 and cp not in baked)
    load_hanamin = hanamin_loader(noto)
    plane2 = sorted(cp for cp in load_hanamin().getBestCmap() if cp >= PLANE2)
    os.makedirs(out_dir, exist_ok=True)
    chunks = []
    started = time.monotonic()
    cut_chunks(load_sc_font, extra, ".otf", 1.0, out_dir, chunks)
    noto_chunks, noto_seconds = len(chunks), time.monotonic() - started
    # After Noto's: every HanaMin code point is above every Noto one, so the table stays sorted.
    # HanaMin is a Mincho with hairline horizontals: rasterized at 20 px beside Noto Sans its strokes come out pale
    # grey. The app multiplies their coverage by this much (ImFontConfig::RasterizerMultiply).
    cut_chunks(load_hanamin, plane2, ".ttf", HANAMIN_INK, out_dir, chunks)
    keep = {c[2] for c in chunks}
    for old in os.listdir(out_dir):
        if old.startswith("extra-") and old not in keep:
            os.remove(os.path.join(out_dir, old))
    body = ",\n".join('  {0x%04X, 0x%04X, "%s", %.2ff}' % c for c in chunks)
    header = ("// Generated by scripts/make_font.py --extra. Do not edit.\n#pragma once\n"
              "namespace steward::platform {\n"
              "// The glyphs missing from the baked subset, in chunk files under fonts/ (first and last code point;\n"
              "// a chunk holds only the code points the font has between them).\n"
              "struct ExtraFontChunk {\n  unsigned first, last;\n  const char* file;\n  float ink;  // coverage multiplier for the rasterizer\n};\n"
              "inline constexpr ExtraFontChunk kExtraFontChunks[] = {\n%s,\n};\n"
              "inline constexpr int kExtraFontCodepoints = %d;\n}  // namespace steward::platform\n") % (body, len(extra) + len(plane2))
    with open(out_header + ".tmp", "w") as f:
        f.write(header)
    os.replace(out_header + ".tmp", out_header)
    print("extra font: %d code points in %d chunks from Noto (%.0f s), %d in %d chunks from HanaMin B (%.0f s)"
          % (len(extra), noto_chunks, noto_seconds, len(plane2), len(chunks) - noto_chunks,
             time.monotonic() - started - noto_seconds))


def main():
    if sys.argv[1] == "--extra":
        main_extra(sys.argv[2], sys.argv[3])
        return
    out_font, out_ranges, *ui_sources = sys.argv[1:]
    font = load_sc_font()
    cmap = font.getBestCmap()
    cps = sorted(cp for cp in wanted_codepoints(ui_sources) if cp in cmap)
    write_subset(font, cps, out_font)

    # The atlas' glyph ranges (Dear ImGui's ImWchar pairs, inclusive), compiled into the app.
    ranges = []
    for cp in cps:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = ",\n".join("  0x%04X, 0x%04X" % (lo, hi) for lo, hi in ranges)
    header = ("// Generated by scripts/make_font.py from the font subset. Do not edit.\n#pragma once\n"
              "#include \"imgui.h\"\nnamespace steward::platform {\n"
              "inline constexpr ImWchar kFontGlyphRanges[] = {\n%s,\n  0};\n"
              "inline constexpr int kFontGlyphCount = %d;\n}  // namespace steward::platform\n") % (body, len(cps))
    with open(out_ranges + ".tmp", "w") as f:
        f.write(header)
    os.replace(out_ranges + ".tmp", out_ranges)
    print("font subset: %d code points, %d bytes" % (len(cps), os.path.getsize(out_font)))


if __name__ == "__main__":
    main()
