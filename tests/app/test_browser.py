"""End to end in a real headless browser (Debian's chromium driven by playwright): ask, see the checked answer.

Set FILINGQA_SCREENSHOT=docs/ask-tab.png to refresh the screenshot in the docs; otherwise it goes to tmp_path.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
# Offline and quiet: no GPU, no QUIC, no background fetches (updates, sync, field trials); a fresh profile each run.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL = ("http://127.0.0.1", "data:", "blob:")


@pytest.fixture(scope="module")
def browser_page(app_url, tmp_path_factory):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing in CI; .ci/run installs Debian's chromium")
        pytest.skip("/usr/bin/chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    external: list[str] = []
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
            headless=True, viewport={"width": 1280, "height": 900}, device_scale_factor=1)

        def only_local(route):  # the page must work offline: record and refuse anything not served by the app
            if route.request.url.startswith(LOCAL):
                route.continue_()
            else:
                external.append(route.request.url)
                route.abort()

        context.route("**/*", only_local)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(app_url)
        page.wait_for_selector("#question textarea")
        yield page, external
        context.close()


def test_ask_in_the_browser_shows_a_checked_answer_with_evidence(browser_page, tmp_path):
    page, external = browser_page
    page.fill("#question textarea", "Why did G&A rise in Q3?")
    page.click("#ask-btn")
    card = page.wait_for_selector("#answer-card .fq-card:has-text('uplisting')")
    text = card.inner_text()
    assert "$311,000" in text and "confidence" in text
    badges = page.locator("#answer-card .fq-badge.fq-verified")
    assert badges.count() >= 1 and "✓" in badges.first.inner_text()
    mark = page.locator("#evidence mark").first
    assert "uplisting" in mark.inner_text()
    assert "crexendo-2020q3-10q" in page.inner_text("#evidence")

    target = Path(os.environ.get("FILINGQA_SCREENSHOT") or tmp_path / "ask-tab.png")
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    assert external == [], f"the page tried to reach the internet: {external}"


def test_an_example_question_answers_with_one_click(browser_page):
    page, _ = browser_page
    example = "What were Crexendo's total revenues for Q3 2020?"  # made from the first indexed filing
    page.click(f"#examples button:has-text(\"{example}\")")
    page.wait_for_selector("#answer-card .fq-card:has-text('$4.14 million')")
    assert page.input_value("#question textarea") == example


def test_a_bad_upload_shows_a_message_in_the_filings_tab(browser_page, tmp_path):
    page, external = browser_page
    bad = tmp_path / "corrupt.pdf"
    bad.write_bytes(b"%PDF-1.7\nnot really a pdf")
    page.get_by_role("tab", name="Filings").click()
    rows_before = page.locator("#filings-table tbody tr").count()
    page.set_input_files("#upload input[type=file]", str(bad))
    page.wait_for_selector("#upload :text('corrupt.pdf')")
    page.click("#add-btn")
    status = page.wait_for_selector("#filings-status :text('Could not read corrupt.pdf')")
    assert "index is unchanged" in status.inner_text()
    assert page.locator("#filings-table tbody tr").count() == rows_before
    assert "Traceback" not in page.content()
    assert external == []
