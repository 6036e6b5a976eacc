"""The HTML report in a real browser: Debian's headless Chromium (``make test`` installs it).

Hostile article text must run no script and read literally; a sample report must show its
findings highlighted; the message must appear on hover and on keyboard focus; the CSS-only
filters must work. Skipped where Chromium is missing.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import sample
from report_helpers import LEX_RULE, NAME_RULE, article, audit_file, context, highlight_pixels

from auditor.reporters.html import HtmlReporter, article_page
from auditor.scoring import family

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-color-profile=srgb",
    "--force-device-scale-factor=1",
]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test-deps)"),
]
MARKER = "data-xss"
FOCUSED_TIP_DISPLAY = "getComputedStyle(document.activeElement.querySelector('.tip')).display"
HOSTILE = (
    "Kremlin spokesman Peskow spoke. "
    f"<script>document.documentElement.setAttribute('{MARKER}','script')</script>\n"
    f"<img src=x onerror=\"document.documentElement.setAttribute('{MARKER}','img')\">\n"
    f"Read [the memo](javascript:document.documentElement.setAttribute('{MARKER}','md')) or "
    f"<a href=\"javascript:document.documentElement.setAttribute('{MARKER}','a')\">this</a>.\n"
    f"<svg onload=\"document.documentElement.setAttribute('{MARKER}','svg')\"></svg> "
    "<style>body{display:none}</style> The talks went on."
)


def chromium(tmp_path: Path, *args: str, timeout: int = 90) -> str:
    profile = tmp_path / f"profile-{time.monotonic_ns()}"
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def dump_dom(tmp_path: Path, page: Path) -> str:
    # A few seconds of virtual time let onerror/onload handlers fire if anything let them in.
    return chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", page.as_uri())


def test_the_harness_sees_scripts_that_do_run(tmp_path):
    page = tmp_path / "control.html"
    page.write_text(
        "<!DOCTYPE html><html><body><p>x</p>"
        f"<img src=x onerror=\"document.documentElement.setAttribute('{MARKER}','img')\">"
        f"<script>document.documentElement.setAttribute('{MARKER}','script')</script>"
        "</body></html>"
    )
    dom = dump_dom(tmp_path, page)
    assert f'{MARKER}="img"' in dom or f'{MARKER}="script"' in dom


def test_hostile_article_runs_no_script_and_reads_literally(tmp_path):
    result = article(
        HOSTILE,
        [
            (
                NAME_RULE,
                "Peskow",
                f"variant of <img src=x onerror=\"alert('{MARKER}')\">",
                ["Peskov"],
            ),
            (LEX_RULE, "<script>", "markup <script>alert(1)</script> in text", ["</mark>"]),
        ],
        title=f"<script>document.documentElement.setAttribute('{MARKER}','title')</script>",
    )
    page = tmp_path / "hostile.html"
    page.write_text(article_page(result, context(), "desk/hostile.md", None), encoding="utf-8")
    dom = dump_dom(tmp_path, page)
    assert MARKER + "=" not in dom.replace(f"'{MARKER}'", "")  # no attribute was ever set
    assert "<script" not in dom and "<img" not in dom and "<svg" not in dom
    assert not re.search(r"<a [^>]*href=\"javascript", dom)
    assert "&lt;script&gt;document.documentElement.setAttribute" in dom
    assert '&lt;img src=x onerror="document.documentElement' in dom
    assert "[the memo](javascript:document.documentElement" in dom
    assert "&lt;style&gt;body{display:none}&lt;/style&gt;" in dom


def test_screenshot_of_a_sample_report_shows_highlighted_spans(tmp_path):
    result = audit_file(sample("004"))
    assert result.findings
    out = tmp_path / "report"
    reporter = HtmlReporter(context(output=out))
    reporter.add(result)
    reporter.finish()
    shot = tmp_path / "shot.png"
    chromium(tmp_path, "--window-size=1280,2600", f"--screenshot={shot}",
             (out / "004-zhelensky-lavrov-negotiate.html").as_uri())  # fmt: skip
    for fam in {family(f.rule) for f in result.findings}:
        near = highlight_pixels(shot, fam)
        assert near > 500, (fam, near)


class DevTools:
    """Chromium driven over --remote-debugging-pipe (fd 3 in, fd 4 out, NUL-framed JSON): the
    tests press keys and move the mouse as a person would; the page itself runs no script."""

    def __init__(self, profile: Path) -> None:
        # Chromium's ends moved to fds >= 10, so moving them onto 3 and 4 never clobbers one.
        to_browser, from_browser = _high_pipe(), _high_pipe()
        command = (
            f'exec "$0" "$@" 3<&{to_browser[0]} 4>&{from_browser[1]} '
            f"{to_browser[0]}<&- {from_browser[1]}>&-"
        )
        self.proc = subprocess.Popen(
            ["bash", "-c", command, CHROMIUM, *FLAGS, "--window-size=1280,900",
             f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
            pass_fds=(to_browser[0], from_browser[1]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_browser[0])
        os.close(from_browser[1])
        self.out, self.inp = to_browser[1], from_browser[0]
        self.buffer = b""
        self.next_id = 0
        self.session: str | None = None

    def send(self, method: str, params: dict | None = None, session: bool = True) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.out, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 60
        while True:
            while b"\0" not in self.buffer:
                ready, _, _ = select.select([self.inp], [], [], max(0, deadline - time.monotonic()))
                chunk = os.read(self.inp, 1 << 16) if ready else b""
                assert chunk, f"no answer from chromium to {method}"
                self.buffer += chunk
            raw, self.buffer = self.buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self.next_id:
                assert "error" not in reply, reply
                return reply["result"]

    def open(self, url: str) -> None:
        target = self.send("Target.createTarget", {"url": url}, session=False)["targetId"]
        self.session = self.send(
            "Target.attachToTarget", {"targetId": target, "flatten": True}, session=False
        )["sessionId"]
        for _ in range(100):
            if self.eval("location.href + ' ' + document.readyState") == f"{url} complete":
                return
            time.sleep(0.1)
        raise AssertionError("page did not load")

    def eval(self, expression: str):
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return reply["result"].get("value")

    def key(self, name: str, code: int) -> None:
        for kind in ("keyDown", "keyUp"):
            event = {"type": kind, "key": name, "code": name, "windowsVirtualKeyCode": code}
            self.send("Input.dispatchKeyEvent", event)

    def mouse(self, kind: str, x: float, y: float) -> None:
        params = {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}
        if kind == "mouseMoved":
            params.update(button="none", clickCount=0)
        self.send("Input.dispatchMouseEvent", params)

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self.out)
        os.close(self.inp)


def _high_pipe() -> tuple[int, int]:
    ends = []
    for fd in os.pipe():
        ends.append(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10))
        os.close(fd)
    return ends[0], ends[1]


@pytest.fixture
def browser(tmp_path):
    tools = DevTools(tmp_path / "profile")
    yield tools
    tools.close()


def centre_of(browser: DevTools, selector: str) -> tuple[float, float]:
    box = browser.eval(
        f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
        " e.scrollIntoView({block: 'center'}); const r = e.getClientRects()[0];"
        " return [r.left + r.width / 2, r.top + r.height / 2]; })()"
    )
    return box[0], box[1]


def tip_display(browser: DevTools, selector: str) -> str:
    return browser.eval(
        f"getComputedStyle(document.querySelector({json.dumps(selector)} + ' > .tip')).display"
    )


def test_message_shows_on_keyboard_focus_and_on_hover_and_filters_work(browser, tmp_path):
    result = audit_file(sample("003"))
    text = result.text
    kiev = text.index("Kiev")
    deforted = text.index("Deforted")
    doc_findings = result.findings
    extra = article(
        text,
        [
            (NAME_RULE, "Kiev", "AP style spells it Kyiv", ["Kyiv"]),
            (LEX_RULE, "Deforted", "not an English word", ["Deported"]),
        ],
        path=result.path,
    )
    result.findings = sorted(doc_findings + extra.findings, key=lambda f: (f.start, f.end, f.rule))
    assert kiev < deforted
    page = tmp_path / "page.html"
    page.write_text(article_page(result, context(), "desk/stern.md", None), encoding="utf-8")
    browser.open(page.as_uri())
    assert browser.eval("document.querySelectorAll('mark.m').length") >= len(result.findings)
    assert browser.eval("document.querySelectorAll('script').length") == 0

    # Keyboard: Tab through the filters into the text; the focused mark shows its message.
    for _ in range(60):
        browser.key("Tab", 9)
        if browser.eval("document.activeElement.tagName") == "MARK":
            break
    assert browser.eval("document.activeElement.tagName") == "MARK"
    assert browser.eval(FOCUSED_TIP_DISPLAY) == "block"
    tip = browser.eval("document.activeElement.querySelector('.tip').innerText")
    assert tip and "Suggestion" in tip
    browser.key("Tab", 9)
    assert browser.eval(FOCUSED_TIP_DISPLAY) == "block"

    # Mouse: hovering the name shows its message; moving away hides it.
    kiev_mark = "mark.fam-name"
    assert tip_display(browser, kiev_mark) == "none"
    x, y = centre_of(browser, kiev_mark)
    browser.mouse("mouseMoved", x, y)
    assert tip_display(browser, kiev_mark) == "block"
    assert "AP style spells it Kyiv" in browser.eval(
        f"document.querySelector('{kiev_mark} > .tip').innerText"
    )
    browser.mouse("mouseMoved", 5, 5)
    assert tip_display(browser, kiev_mark) == "none"

    # Filters, in CSS alone: unticking a family takes its highlights and list entries away.
    background = f"getComputedStyle(document.querySelector('{kiev_mark}')).backgroundColor"
    assert browser.eval(background) != "rgba(0, 0, 0, 0)"
    x, y = centre_of(browser, "#show-fam-name")
    browser.mouse("mousePressed", x, y)
    browser.mouse("mouseReleased", x, y)
    assert browser.eval("document.querySelector('#show-fam-name').checked") is False
    assert browser.eval(background) == "rgba(0, 0, 0, 0)"
    assert (
        browser.eval("getComputedStyle(document.querySelector('li.finding.fam-name')).display")
        == "none"
    )
    assert (
        browser.eval("getComputedStyle(document.querySelector('li.finding.fam-boil')).display")
        != "none"
    )


def test_index_filters_by_verdict_in_the_browser(browser, tmp_path):
    out = tmp_path / "report"
    reporter = HtmlReporter(context(output=out))
    for prefix in ("001", "002", "003"):
        reporter.add(audit_file(sample(prefix)))
    reporter.finish()
    browser.open((out / "index.html").as_uri())
    visible_rows = "[...document.querySelectorAll('tr.row')].filter(r => r.offsetParent).length"
    assert browser.eval(visible_rows) == 3
    verdicts = browser.eval("[...document.querySelectorAll('input[id^=show-v-]')].map(i => i.id)")
    first = verdicts[0]
    hidden = browser.eval(f"document.querySelectorAll('tr.{first[5:]}').length")
    x, y = centre_of(browser, f"#{first}")
    browser.mouse("mousePressed", x, y)
    browser.mouse("mouseReleased", x, y)
    assert browser.eval(visible_rows) == 3 - hidden
