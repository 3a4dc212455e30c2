"""Screenshot of a kmerl Chrome trace opened in a browser (docs/images/trace-step-cpu.png).

The trace opens in speedscope, the offline trace viewer published on npm (Perfetto's UI needs the
network; chrome://tracing is gone from current Chromium). Needs chromium, chromedriver and selenium:

    apt-get install chromium chromium-driver && pip install selenium
    (cd /tmp && npm pack speedscope@1.25.0 && tar xzf speedscope-1.25.0.tgz)
    ./kmerl profile --preset tiny --leads 12 --device cpu --out /tmp/step.json
    python3 docs/tools/trace_screenshot.py /tmp/step.json docs/images/trace-step-cpu.png \
        --speedscope /tmp/package/dist/release --title "kmerl profile --preset tiny (one training step, CPU)"

--hover X moves the pointer over the op at pixel X of the flame chart, so its tooltip (time, share,
shapes, bytes, FLOPs) is in the picture.
"""
import argparse
import functools
import http.server
import shutil
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def crop(png, height):
    from PIL import Image
    with Image.open(png) as image:
        image.crop((0, 0, image.width, min(height, image.height))).save(png)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("trace")
    ap.add_argument("png")
    ap.add_argument("--speedscope", required=True, help="speedscope's dist/release folder (npm pack speedscope)")
    ap.add_argument("--title", default="kmerl trace")
    ap.add_argument("--hover", type=int, default=800)
    ap.add_argument("--height", type=int, default=200, help="keep the top HEIGHT pixels (the chart and its tooltip)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as site:
        shutil.copytree(args.speedscope, site, dirs_exist_ok=True)
        shutil.copy(args.trace, Path(site) / "trace.json")
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=site)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        url = f"{base}/index.html#profileURL={base}/trace.json&title={urllib.parse.quote(args.title)}"
        opts = webdriver.ChromeOptions()
        for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1600,900",
                  "--force-device-scale-factor=1"]:
            opts.add_argument(a)
        opts.binary_location = "/usr/bin/chromium"
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
        try:
            driver.get(url)
            time.sleep(5)
            driver.execute_cdp_cmd("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": args.hover, "y": 160})
            time.sleep(1)
            driver.save_screenshot(args.png)
            crop(args.png, args.height)
        finally:
            driver.quit()
            server.shutdown()


if __name__ == "__main__":
    main()
