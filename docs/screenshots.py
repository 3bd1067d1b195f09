"""Take the README's screenshots of the example dossier: ``python docs/screenshots.py`` after
``mkdocs build`` (it reads ``site/``; ``python docs/screenshots.py SITE OUT`` reads and writes
elsewhere). Chromium through Playwright, as the browser tests use it, and poppler's ``pdftoppm`` for the
printed page (Debian: ``apt-get install chromium poppler-utils``).

Written to ``docs/images/``: the portfolio (laptop, light), a dossier (laptop, dark), the same
dossier on a phone, and the first printed A4 page of a review packet.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images"
CHROMIUM = "/usr/bin/chromium"
PDFTOPPM = "pdftoppm"


def main(site: Path = ROOT / "site", out: Path = OUT) -> None:
    if not (site / "dossier" / "index.html").is_file():
        sys.exit(f"{site}: no built dossier; run `mkdocs build` first")
    if shutil.which(PDFTOPPM) is None:
        sys.exit(f"{PDFTOPPM} is not installed: it makes the printed packet's first page a PNG "
                 "(Debian: apt-get install poppler-utils)")
    out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a, **k: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            shots = [("portfolio.png", "dossier/", 1400, 900, "light"),
                     ("dossier-dark.png", "dossier/P12.2/", 1400, 900, "dark"),
                     ("dossier-phone.png", "dossier/P12.2/", 390, 844, "light")]
            for name, path, width, height, scheme in shots:
                page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme,
                                        device_scale_factor=1)
                page.goto(f"{base}/{path}")
                page.screenshot(path=str(out / name))
                page.close()
            page = browser.new_page()
            page.goto(f"{base}/dossier/P12.2/packet/")
            with tempfile.TemporaryDirectory() as tmp:
                pdf = Path(tmp) / "packet.pdf"
                page.pdf(path=str(pdf), format="A4", print_background=True)
                subprocess.run([PDFTOPPM, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                                str(out / "packet-a4")], check=True)
            browser.close()
    finally:
        server.shutdown()
    for image in sorted(out.glob("*.png")):
        print(image)


if __name__ == "__main__":
    main(*map(Path, sys.argv[1:3]))
