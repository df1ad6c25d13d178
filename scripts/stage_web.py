#!/usr/bin/python3
"""Assembles the web app folder after a WASM build: the page shell from web/, icons from assets/, the version
stamped into the service worker, the download sizes the loader's progress bar needs, and .gz twins the server
sends to browsers that accept gzip.

usage: stage_web.py SOURCE_DIR OUT_WEB_DIR
(OUT_WEB_DIR already holds steward.js, steward.wasm and fonts/steward-sc.otf from the build.)
"""
import gzip
import hashlib
import json
import os
import shutil
import base64
import subprocess
import sys

COMPRESSIBLE = (".html", ".js", ".wasm", ".otf", ".ttf", ".webmanifest", ".svg", ".json")
SHELL_FROM_WEB = ["index.html", "app.css", "loader.js", "sw.js", "manifest.webmanifest"]
# PNG renderings of assets/icons/icon.svg for home screens that take no SVG (Android's installed app, iOS):
# name -> size. The maskable one keeps the drawing inside the safe circle launchers cut icons to.
PNG_ICONS = {"icon-192.png": 192, "icon-512.png": 512, "apple-touch-icon.png": 180, "maskable-512.png": 512}


def write_if_changed(path, data):
    if os.path.exists(path):
        with open(path, "rb") as f:
            if f.read() == data:
                return
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)


def render_png_icons(svg, out_dir):
    for name, size in PNG_ICONS.items():
        target = os.path.join(out_dir, name)
        if os.path.exists(target) and os.path.getmtime(target) >= os.path.getmtime(svg):
            continue
        if name.startswith("maskable"):
            # The full-bleed background colour, the drawing at 80% in the middle.
            inner = subprocess.run(["rsvg-convert", "-w", str(size * 4 // 5), "-h", str(size * 4 // 5), svg],
                                   check=True, capture_output=True).stdout
            wrapper = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                       'width="%d" height="%d"><rect width="100%%" height="100%%" fill="#215fb8"/>'
                       '<image x="%d" y="%d" width="%d" height="%d" xlink:href="data:image/png;base64,%s"/></svg>'
                       % (size, size, size // 10, size // 10, size * 4 // 5, size * 4 // 5,
                          base64.b64encode(inner).decode()))
            png = subprocess.run(["rsvg-convert", "-w", str(size), "-h", str(size)], input=wrapper.encode(),
                                 check=True, capture_output=True).stdout
        else:
            png = subprocess.run(["rsvg-convert", "-w", str(size), "-h", str(size), svg],
                                 check=True, capture_output=True).stdout
        write_if_changed(target, png)


def main():
    source, out = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.join(out, "icons"), exist_ok=True)
    for name in SHELL_FROM_WEB:
        if name != "sw.js":
            shutil.copyfile(os.path.join(source, "web", name), os.path.join(out, name))
    icons = os.path.join(source, "assets", "icons")
    for name in sorted(os.listdir(icons)):
        shutil.copyfile(os.path.join(icons, name), os.path.join(out, "icons", name))
    render_png_icons(os.path.join(icons, "icon.svg"), os.path.join(out, "icons"))

    # The version is a hash of everything the shell is made of: any change makes a new cache.
    hashed = ["steward.js", "steward.wasm", "fonts/steward-sc.otf", "index.html", "app.css", "loader.js",
              "manifest.webmanifest"] + ["icons/" + n for n in sorted(os.listdir(icons)) + sorted(PNG_ICONS)]
    digest = hashlib.sha256()
    for rel in hashed:
        with open(os.path.join(out, rel), "rb") as f:
            digest.update(rel.encode() + b"\0" + f.read())
    with open(os.path.join(source, "web", "sw.js"), "rb") as f:
        sw_source = f.read()
    digest.update(sw_source)
    version = digest.hexdigest()[:16]
    write_if_changed(os.path.join(out, "sw.js"), sw_source.replace(b"@STEWARD_VERSION@", version.encode()))

    sizes = {rel: os.path.getsize(os.path.join(out, rel)) for rel in ["steward.wasm", "fonts/steward-sc.otf"]}
    info = "window.STEWARD_BUILD = %s;\n" % json.dumps({"version": version, "sizes": sizes}, sort_keys=True)
    write_if_changed(os.path.join(out, "build-info.js"), info.encode())

    for root, _, files in os.walk(out):
        for name in files:
            if not name.endswith(COMPRESSIBLE):
                continue
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                data = f.read()
            write_if_changed(path + ".gz", gzip.compress(data, compresslevel=9, mtime=0))
    print("web app staged in %s (version %s)" % (out, version))


if __name__ == "__main__":
    main()
