"""Screenshots of the demo for the user guide (docs/huong-dan-su-dung.md), taken from a running server.

Run `make run` in one terminal, then `.venv/bin/python tools/guide_screenshots.py [--base http://127.0.0.1:8000]`.
Uses Debian's Chromium (/usr/bin/chromium), never a downloaded browser.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    base = parser.parse_args().base
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(base + "/dang-nhap/")
        page.screenshot(path=OUT / "guide-login.png")
        sign_in(page, base, "xa.camgiang")
        page.screenshot(path=OUT / "guide-inbox.png")
        page.goto(base + "/reports/cchc-2024-q1/02008/")
        page.screenshot(path=OUT / "guide-entry.png")
        page.locator("#thuyet-minh").scroll_into_view_if_needed()
        page.evaluate("window.scrollTo(0, document.querySelector('#thuyet-minh').offsetTop - 10)")
        page.screenshot(path=OUT / "guide-narrative.png")
        sign_in(page, base, "huyen.bachthong")
        page.screenshot(path=OUT / "guide-inbox-district.png")
        page.goto(base + "/rounds/cchc-2024-q1/")
        page.screenshot(path=OUT / "guide-round.png", full_page=True)
        page.goto(base + "/phan-tich/xu-huong/063/")
        page.screenshot(path=OUT / "guide-trend.png", full_page=False)
        page.goto(base + "/reports/cchc-2024-q1/02008/history/")
        page.screenshot(path=OUT / "guide-history.png")
        browser.close()
    print(f"Đã lưu ảnh vào {OUT}")


if __name__ == "__main__":
    main()
