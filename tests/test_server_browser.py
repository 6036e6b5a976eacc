"""The workspace page in a real browser: ``auditor serve`` running, Debian's Chromium driven by
Selenium through Debian's chromedriver (named explicitly, so Selenium Manager never fetches a
browser or a driver). An editor pastes sample 003, sees the NAME and BOIL highlights, accepts a
Selenskyj -> Zelenskyy suggestion, applies all safe fixes and takes the corrected text; hostile
text reads literally and runs nothing; screenshots are checked as the HTML report's are.
Skipped where chromium or chromedriver is missing (``make test-deps`` installs both).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import ROOT, sample
from report_helpers import highlight_pixels
from test_html_browser import CHROMIUM, FLAGS, HOSTILE, MARKER

CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None or CHROMEDRIVER is None,
        reason="chromium or chromedriver is not installed (make test-deps)",
    ),
]
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ARTICLE = sample("003")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``auditor serve`` as a user starts it (without the language model, for speed)."""
    root = tmp_path_factory.mktemp("repo")
    shutil.copy(ARTICLE, root / ARTICLE.name)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "auditor", "serve", "--port", str(port), "--root", str(root),
         "--write", "--isolated", "--no-lm"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/v1/health", timeout=5) as response:
                assert json.load(response)["status"] == "ok"
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"auditor serve did not start: {proc.stderr.read()[-2000:]}")
            time.sleep(0.3)
    yield url, root
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture
def browser(tmp_path):
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, "--window-size=1280,1000", f"--user-data-dir={tmp_path / 'profile'}"]:
        options.add_argument(flag)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.downloads = downloads
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def wait_for(driver, condition, timeout: float = 60):
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: condition(d))


def status(driver) -> str:
    return driver.find_element(By.ID, "ws-status").text


def done(driver) -> int:
    """User actions the page has finished (each check, accept, dismiss, fix, save)."""
    return int(driver.find_element(By.TAG_NAME, "body").get_attribute("data-done") or 0)


def check_by_keyboard(driver, text: str) -> None:
    area = driver.find_element(By.ID, "ws-text")
    area.clear()
    area.send_keys(text)
    before = done(driver)
    area.send_keys(Keys.CONTROL, Keys.ENTER)
    wait_for(driver, lambda d: done(d) > before)


def shown_score(driver) -> float:
    return float(driver.find_element(By.CSS_SELECTOR, "#ws-header .score").text.split("/")[0])


def finding_items(driver, rule_prefix: str = "", text: str | None = None):
    items = driver.find_elements(By.CSS_SELECTOR, "#ws-findings li.finding")
    return [
        li
        for li in items
        if li.get_attribute("data-rule").startswith(rule_prefix)
        and (text is None or li.find_element(By.CSS_SELECTOR, "q").text == text)
    ]


def press(driver, button) -> None:
    """Focus a button and press Enter, as a keyboard user would; wait for the page to settle."""
    before = done(driver)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.send_keys(Keys.ENTER)
    wait_for(driver, lambda d: done(d) > before)


def test_an_editor_fixes_sample_003_in_the_page(server, browser, tmp_path):
    url, _ = server
    browser.get(url + "/")
    text = ARTICLE.read_text(encoding="utf-8")
    check_by_keyboard(browser, text)
    assert "finding(s)" in status(browser), status(browser)
    # Pasted text that opens with front matter is checked as Markdown.
    assert browser.find_element(By.ID, "ws-filename").text == "<stdin>.md"

    marks = browser.find_elements(By.CSS_SELECTOR, "#ws-article mark.m")
    families = {c for m in marks for c in m.get_attribute("class").split() if c.startswith("fam-")}
    assert {"fam-name", "fam-boil"} <= families
    assert any(m.text.startswith("Selenskyj") for m in browser.find_elements(
        By.CSS_SELECTOR, "#ws-article mark.fam-name"))  # fmt: skip
    verdict = browser.find_element(By.CSS_SELECTOR, "#ws-header .verdict").text
    assert verdict in ("PASS", "REVIEW", "FAIL")

    shot = tmp_path / "workspace.png"
    browser.set_window_size(1280, 2400)
    browser.save_screenshot(str(shot))
    for fam in ("NAME", "BOIL"):
        assert highlight_pixels(shot, fam) > 300, fam

    # Accept one Selenskyj -> Zelenskyy suggestion.
    selenskyj = finding_items(browser, "NAME001", "Selenskyj")
    assert len(selenskyj) > 1
    accept = selenskyj[0].find_element(By.CSS_SELECTOR, "button.ws-accept")
    press(browser, accept)
    value = browser.find_element(By.ID, "ws-text").get_attribute("value")
    assert value.count("Selenskyj") == text.count("Selenskyj") - 1
    assert value.count("Zelenskyy") == text.count("Zelenskyy") + 1
    assert len(finding_items(browser, "NAME001", "Selenskyj")) == len(selenskyj) - 1

    # Dismiss a piece of debris everywhere: its findings leave, the score goes up.
    score_before = shown_score(browser)
    boil = finding_items(browser, "BOIL002")[0]
    rule, flagged = boil.get_attribute("data-rule"), boil.find_element(By.CSS_SELECTOR, "q").text
    press(browser, boil.find_element(By.CSS_SELECTOR, "button.ws-dismiss-all"))
    assert not finding_items(browser, rule, flagged)
    score_after = shown_score(browser)
    assert score_after > score_before, (score_before, score_after)

    # Apply all safe fixes: no Selenskyj is left, in the text or the findings.
    press(browser, browser.find_element(By.ID, "ws-safe"))
    value = browser.find_element(By.ID, "ws-text").get_attribute("value")
    assert "Selenskyj" not in value and "Zelenskyy" in value
    assert not finding_items(browser, "NAME001", "Selenskyj")
    assert "Applied" in status(browser)

    # Take the corrected text away.
    browser.find_element(By.ID, "ws-download").click()
    target = browser.downloads / "article.md"
    wait_for(browser, lambda d: target.exists() and target.stat().st_size > 0, timeout=30)
    assert target.read_text(encoding="utf-8") == value


def test_hostile_text_reads_literally_and_runs_nothing(server, browser):
    url, _ = server
    browser.get(url + "/")
    hostile = HOSTILE + "\nThe \u202eevil\u202c name and Peskow again.\n"
    check_by_keyboard(browser, hostile)
    article = browser.find_element(By.ID, "ws-article")
    html = article.get_attribute("innerHTML")
    assert browser.execute_script(
        f"return document.documentElement.getAttribute('{MARKER}')"
    ) is None  # fmt: skip
    for tag in ("script", "img", "svg", "style", "a"):
        assert not article.find_elements(By.TAG_NAME, tag), tag
    shown = browser.execute_script(  # what the editor reads: the text without the tooltips
        "const a = arguments[0].cloneNode(true);"
        "a.querySelectorAll('.tip').forEach(t => t.remove()); return a.textContent;",
        article,
    )
    assert "<script>document.documentElement.setAttribute" in shown
    assert '<img src=x onerror="document.documentElement' in shown
    assert "<style>body{display:none}</style>" in shown
    assert "\u202e" not in html and "U+202E" in shown
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert len(browser.find_elements(By.TAG_NAME, "script")) == 1  # the page's own


def test_the_page_reads_at_800px_and_opens_and_saves_under_the_root(server, browser, tmp_path):
    url, root = server
    browser.set_window_size(800, 1000)
    browser.get(url + "/")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#ws-file-list option"))
    browser.find_element(By.ID, "ws-open").send_keys(Keys.ENTER)
    wait_for(browser, lambda d: done(d) >= 2)  # opened, then checked
    assert browser.find_element(By.ID, "ws-filename").text == ARTICLE.name
    width = browser.execute_script("return [document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], width  # nothing wider than the window
    shot = tmp_path / "narrow.png"
    browser.save_screenshot(str(shot))
    assert highlight_pixels(shot, "NAME") + highlight_pixels(shot, "BOIL") > 100
    press(browser, browser.find_element(By.ID, "ws-safe"))
    press(browser, browser.find_element(By.ID, "ws-save"))
    assert "Saved" in status(browser)
    saved = (root / ARTICLE.name).read_text(encoding="utf-8")
    assert "Selenskyj" not in saved and saved.startswith("---")
    assert not [p for p in os.listdir(root) if p.startswith(".")]
