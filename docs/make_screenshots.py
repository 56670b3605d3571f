"""The README's screenshots of the page, taken in Debian's chromium (playwright, as tests/app/test_browser.py does).

    python docs/make_screenshots.py --index DIR [--out docs]

Over an index holding Meta's 2024 10-K, Apple's FY2022 10-K (PDF) and the bundled seeds, e.g.
`python -m index build ../shared/filings/edgar/meta-10-k-2025-01-30.html ../shared/filings/APPLE_2022_10K.pdf
corpus/filings/*.txt --out /tmp/shots-index`, it asks one question of each kind and saves the Ask tab:
an XBRL figure, a computed metric, a table cell citation, a why answer.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHOTS = (  # file name, question, text the answer card must show before the picture is taken
    ("ask-xbrl-figure.png", "What was Meta's total revenue in 2024?", "billion"),
    ("ask-computed-metric.png", "What was Apple's FY2022 quick ratio?", "quick ratio"),
    ("ask-table-cell.png", "What was Apple's FY2022 total net sales?", "billion"),
    ("ask-tab.png", "Why did G&A rise in Q3?", "uplisting"),
)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> int:
    ap = argparse.ArgumentParser(prog="python docs/make_screenshots.py")
    ap.add_argument("--index", required=True, help="an index folder holding the filings the questions ask of")
    ap.add_argument("--out", default=str(ROOT / "docs"))
    ap.add_argument("--port", type=int, default=7871)
    args = ap.parse_args()
    if not Path("/usr/bin/chromium").exists():
        print("make_screenshots: needs Debian's chromium (apt-get install -y chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    from app import build_app
    from qa.pipeline import Pipeline

    demo = build_app(Pipeline.load(args.index))
    demo.queue(default_concurrency_limit=1).launch(server_name="127.0.0.1", server_port=args.port,
                                                    prevent_thread_lock=True, quiet=True)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(120_000)
            page.goto(f"http://127.0.0.1:{args.port}/")
            for name, question, expected in SHOTS:
                page.fill("#question textarea", question)
                page.click("#ask-btn")
                page.wait_for_selector(f"#answer-card .fq-card:has-text('{expected}')")
                page.wait_for_timeout(500)
                page.screenshot(path=str(Path(args.out) / name), full_page=True)
                print(f"{name}: {question}")
            browser.close()
    finally:
        demo.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
