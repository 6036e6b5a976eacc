"""``auditor serve``'s API through an ASGI test client: every endpoint, bad input with a clear
status and message, the bounded queue, authentication, and equality with ``auditor check
--format json`` (byte for byte) and ``auditor fix`` on the same text and options."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest
from conftest import sample

from auditor.errors import UsageError
from auditor.server.app import STDIN_NAME, Settings, create_app

pytest.importorskip("httpx")
from fastapi.testclient import TestClient  # noqa: E402

LOCAL = "http://127.0.0.1"
ARTICLE = sample("003")  # Selenskyj, page debris, Deforted


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("desk")
    root = base / "repo"
    (root / "world").mkdir(parents=True)
    shutil.copy(ARTICLE, root / "world" / "stern.md")
    (root / "notes.txt").write_text("Olaf Schulz spoke in Berlin on Monday.\n", encoding="utf-8")
    secret = base / "secret.md"
    secret.write_text("A file outside the root.\n", encoding="utf-8")
    (root / "leak.md").symlink_to(secret)
    return root


def make_client(**settings) -> TestClient:
    settings = {"isolated": True, "warm": False, **settings}
    return TestClient(create_app(Settings(**settings)), base_url=LOCAL)


@pytest.fixture(scope="module")
def client(root):
    with make_client(root=root, write=True, max_bytes=200_000) as c:
        yield c


def cli_stdin(run_cli, monkeypatch, data: bytes, *args: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, err = run_cli("check", "--stdin", "--format", "json", "--isolated", *args)
    assert code in (0, 1), err
    return out


# --- equality with the command line -------------------------------------------------------------


def test_check_is_byte_for_byte_what_the_cli_prints_for_stdin(client, run_cli, monkeypatch):
    text = ARTICLE.read_text(encoding="utf-8")
    response = client.post("/api/v1/check", json={"text": text, "no_lm": True})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    expected = cli_stdin(run_cli, monkeypatch, text.encode(), "--no-lm")
    assert response.text == expected
    report = response.json()
    assert report["documents"][0]["path"] == STDIN_NAME == "<stdin>.txt"
    assert {f["rule"][:4] for f in report["documents"][0]["findings"]} >= {"NAME", "BOIL"}


def test_options_and_the_name_are_the_clis(client, run_cli, monkeypatch):
    text = ARTICLE.read_text(encoding="utf-8")
    options = {"style": "reuters", "select": ["NAME", "BOIL002"], "fail_on": "never"}
    response = client.post(
        "/api/v1/check", json={"text": text, "filename": "wire.md", "no_lm": True, **options}
    )
    expected = cli_stdin(
        run_cli, monkeypatch, text.encode(), "--no-lm", "--stdin-filename", "wire.md",
        "--style", "reuters", "--select", "NAME,BOIL002", "--fail-on", "never",
    )  # fmt: skip
    assert response.text == expected
    rules = {f["rule"] for f in response.json()["documents"][0]["findings"]}
    assert rules <= {"NAME001", "NAME002", "NAME003", "NAME004", "BOIL002"} and rules
    assert "Zelenskiy" in response.text  # Reuters spelling


def test_a_multipart_file_is_read_as_the_cli_reads_it(client, run_cli, monkeypatch):
    data = ARTICLE.read_text(encoding="utf-8").encode("utf-16")  # with a byte-order mark
    response = client.post(
        "/api/v1/check", files={"file": ("stern.md", data)}, data={"no_lm": "true"}
    )
    assert response.status_code == 200, response.text
    expected = cli_stdin(run_cli, monkeypatch, data, "--no-lm", "--stdin-filename", "stern.md")
    assert response.text == expected


def test_an_article_under_the_root_is_named_as_the_cli_names_it_there(
    client, root, run_cli, monkeypatch
):
    response = client.post("/api/v1/check", json={"path": "world/stern.md", "no_lm": True})
    assert response.status_code == 200, response.text
    monkeypatch.chdir(root)
    code, out, _ = run_cli("check", "world/stern.md", "--format", "json", "--no-lm", "--isolated")
    assert response.text == out


@pytest.mark.lm
def test_check_with_the_language_model_equals_the_cli(client, run_cli, monkeypatch):
    text = ARTICLE.read_text(encoding="utf-8")
    response = client.post("/api/v1/check", json={"text": text})
    assert response.status_code == 200, response.text
    assert response.text == cli_stdin(run_cli, monkeypatch, text.encode())
    assert "|lm:smollm2" in response.json()["signature"]


def test_rules_are_the_clis_rule_list(client, run_cli):
    import json

    code, out, _ = run_cli("rule", "--all", "--format", "json")
    assert client.get("/api/v1/rules").json() == json.loads(out)


def test_health_and_the_openapi_description(client):
    health = client.get("/api/v1/health").json()
    assert health["status"] == "ok" and health["root"] and health["write"]
    assert set(health["queues"]) == {"lm", "plain"}
    spec = client.get("/api/v1/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/v1/check", "/api/v1/fix", "/api/v1/rules", "/api/v1/health"} <= paths
    body = spec["paths"]["/api/v1/check"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(body)


# --- fixes -----------------------------------------------------------------------------------


def findings_of(client, text: str, **options) -> list[dict]:
    response = client.post(
        "/api/v1/check", json={"text": text, "filename": "a.md", "no_lm": True, **options}
    )
    assert response.status_code == 200, response.text
    return response.json()["documents"][0]["findings"]


def test_accepting_one_finding_applies_its_suggestion_only(client):
    text = ARTICLE.read_text(encoding="utf-8")
    names = [f for f in findings_of(client, text) if f["text"] == "Selenskyj"]
    assert len(names) > 1
    response = client.post(
        "/api/v1/fix",
        json={"text": text, "filename": "a.md", "no_lm": True,
              "fingerprints": [names[0]["fingerprint"], "0000000000000000"]},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    fixed = response.json()
    assert fixed["text"].count("Selenskyj") == text.count("Selenskyj") - 1
    assert fixed["text"].replace("Zelenskyy", "Selenskyj", 1) == text
    assert fixed["missing"] == ["0000000000000000"]
    assert fixed["diff"].startswith("--- a/a.md\n+++ b/a.md\n")


def test_all_safe_fixes_are_what_auditor_fix_writes(client, run_cli, tmp_path):
    text = ARTICLE.read_text(encoding="utf-8")
    response = client.post("/api/v1/fix", json={"text": text, "filename": "a.md", "safe": True})
    assert response.status_code == 200, response.text
    copy = tmp_path / "a.md"
    copy.write_text(text, encoding="utf-8")
    code, _, err = run_cli("fix", str(copy), "--write", "--isolated")
    assert code == 0, err
    assert response.json()["text"] == copy.read_text(encoding="utf-8")
    assert "Selenskyj" not in response.json()["text"]


def test_dismissed_findings_leave_the_score(client):
    text = ARTICLE.read_text(encoding="utf-8")
    before = client.post("/api/v1/check", json={"text": text, "no_lm": True}).json()
    findings = before["documents"][0]["findings"]
    boil = next(f for f in findings if f["rule"].startswith("BOIL"))
    after = client.post(
        "/api/v1/check",
        json={"text": text, "no_lm": True, "dismissed": [boil["fingerprint"]],
              "dismissed_everywhere": [["NAME001", "Selenskyj"]]},
    ).json()["documents"][0]  # fmt: skip
    kept = {f["fingerprint"] for f in after["findings"]}
    assert boil["fingerprint"] not in kept
    assert not any(f["rule"] == "NAME001" and f["text"] == "Selenskyj" for f in after["findings"])
    assert after["score"] > before["documents"][0]["score"]
    assert after["notes"].count(after["notes"][0]) == 1 if after["notes"] else True


def test_review_gives_the_page_the_reports_highlights(client):
    text = "Kremlin spokesman Peskow spoke. <script>alert(1)</script>\u202e evil\n"
    response = client.post("/api/v1/review", json={"text": text, "no_lm": True})
    assert response.status_code == 200, response.text
    page = response.json()
    doc = page["document"]
    assert page["source"] == text
    assert '<mark class="m fam-name' in doc["text_html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc["text_html"]
    assert "<script" not in doc["text_html"] and "\u202e" not in doc["text_html"]
    assert "U+202E" in doc["text_html"]
    peskow = next(f for f in doc["findings"] if f["text"] == "Peskow")
    assert peskow["safe"] and peskow["anchor"] and peskow["replacements"] == ["Peskov"]
    assert page["report"]["documents"][0]["path"] == STDIN_NAME


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "request_args, status, words",
    [
        ({"content": b'{"text": "caf\xe9"}', "headers": {"content-type": "application/json"}},
         422, "not UTF-8"),
        ({"json": {"text": "x", "select": "NAMEX"}}, 400, "unknown rule code or prefix 'NAMEX'"),
        ({"json": {"text": "x", "ignore": ["FLU999"]}}, 400, "ignore: unknown rule code"),
        ({"json": {"text": "x", "colour": "red"}}, 422, "colour: Extra inputs"),
        ({"json": {"text": "x", "fail_on": "sometimes"}}, 422, "fail_on"),
        ({"json": {}}, 400, "give 'text' or 'path'"),
        ({"json": ["text"]}, 400, "must be a JSON object"),
        ({"content": b"{", "headers": {"content-type": "application/json"}}, 400, "not JSON"),
        ({"content": b"text", "headers": {"content-type": "text/plain"}}, 415, "send JSON"),
        ({"json": {"path": "../secret.md"}}, 403, "outside the root"),
        ({"json": {"path": "/etc/passwd"}}, 403, "outside the root"),
        ({"json": {"path": "leak.md"}}, 403, "a link leads out"),
        ({"json": {"path": "world/none.md"}}, 404, "no such file"),
        ({"json": {"text": "x", "lm": "gpt-9"}}, 400, "gpt-9"),
        ({"files": {"file": ("x.pdf", b"%PDF-1.4 not really")}}, 422, "x.pdf"),
    ],
)  # fmt: skip
def test_bad_input_gets_a_clear_status_and_message(client, request_args, status, words):
    response = client.post("/api/v1/check", **request_args)
    assert response.status_code == status, response.text
    message = response.json()["error"]
    assert words in message and "\n" not in message


def test_a_request_over_the_size_limit_is_413(client):
    response = client.post("/api/v1/check", json={"text": "word " * 50_000, "no_lm": True})
    assert response.status_code == 413
    assert "over the limit of 200,000 bytes" in response.json()["error"]


def test_fix_refuses_what_it_cannot_fix(client):
    both = client.post("/api/v1/fix", json={"text": "x", "safe": True, "fingerprints": []})
    assert both.status_code == 400
    html = client.post("/api/v1/fix", json={"text": "<p>Peskow</p>", "filename": "a.html",
                                            "safe": True})  # fmt: skip
    assert html.status_code == 422 and "cannot fix .html input" in html.json()["error"]
    unknown = client.post("/api/v1/fix", json={"text": "x", "safe": True, "select": "NAMEX"})
    assert unknown.status_code == 400 and "'NAMEX'" in unknown.json()["error"]


# --- files under the root -------------------------------------------------------------------


def test_files_under_the_root_are_listed_read_and_saved_atomically(client, root):
    listed = client.get("/api/v1/files").json()["files"]
    assert listed == ["notes.txt", "world/stern.md"]  # not the link that leads out
    read = client.get("/api/v1/files/notes.txt").json()
    assert read["editable"] and read["text"].startswith("Olaf Schulz")
    assert client.get("/api/v1/files/..%2Fsecret.md").status_code == 403
    saved = client.put("/api/v1/files/notes.txt", json={"text": "Olaf Scholz spoke.\n"})
    assert saved.status_code == 200, saved.text
    assert (root / "notes.txt").read_text(encoding="utf-8") == "Olaf Scholz spoke.\n"
    assert client.put("/api/v1/files/leak.md", json={"text": "x"}).status_code == 403
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []


def test_without_write_nothing_is_saved_and_without_root_nothing_is_opened(root):
    with make_client(root=root) as c:
        response = c.put("/api/v1/files/notes.txt", json={"text": "x"})
        assert response.status_code == 403 and "--write" in response.json()["error"]
    with make_client() as c:
        response = c.get("/api/v1/files")
        assert response.status_code == 404 and "--root" in response.json()["error"]


# --- the queue, authentication, headers -----------------------------------------------------


def test_a_full_queue_answers_503_with_retry_after_never_a_backlog():
    with make_client(queue=1) as c:
        lane = c.app.state.lanes["plain"]
        lane.enter()  # the one slot is taken (a request being worked on)
        try:
            response = c.post("/api/v1/check", json={"text": "Olaf Schulz spoke.", "no_lm": True})
            assert response.status_code == 503
            assert int(response.headers["Retry-After"]) >= 1
            assert "queue is full" in response.json()["error"]
            assert lane.taken == 1  # the refused request took no slot
        finally:
            lane.leave()
        response = c.post("/api/v1/check", json={"text": "Olaf Schulz spoke.", "no_lm": True})
        assert response.status_code == 200
        assert c.get("/api/v1/health").json()["queues"]["plain"]["in_queue"] == 0


def test_listening_beyond_this_machine_needs_a_token_or_no_auth():
    with pytest.raises(UsageError, match="--token"):
        create_app(Settings(host="0.0.0.0", warm=False))
    create_app(Settings(host="0.0.0.0", no_auth=True, warm=False))


def test_with_a_token_every_call_and_the_page_need_it():
    with make_client(token="s3cret") as c:
        for path in ("/", "/api/v1/health", "/api/v1/rules", "/static/workspace.js"):
            response = c.get(path)
            assert response.status_code == 401, path
            assert response.headers["WWW-Authenticate"] == "Bearer"
        wrong = c.get("/api/v1/health", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        ok = c.get("/api/v1/health", headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200
        login = c.get("/?token=s3cret", follow_redirects=False)
        assert login.status_code == 303
        cookie = login.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert c.get("/").status_code == 200  # the cookie now carries it
        assert c.get("/api/v1/health").status_code == 200


def test_without_a_token_only_loopback_names_are_answered():
    with make_client() as c:
        response = c.get("/api/v1/health", headers={"Host": "attacker.example"})
        assert response.status_code == 421
        assert c.get("/api/v1/health", headers={"Host": "localhost:8000"}).status_code == 200


def test_the_page_allows_only_the_servers_own_scripts_and_no_cors(client):
    page = client.get("/")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert '<script src="/static/workspace.js" defer></script>' in page.text
    assert page.text.count("<script") == 1 and "onclick" not in page.text
    preflight = client.options(
        "/api/v1/check",
        headers={"Origin": "https://cms.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    assert client.get("/static/report.css").text.startswith(":root")


def test_the_readmes_cms_example_runs(root):
    """The curl call the README shows a CMS, with its token, and the safe fix it describes."""
    import json
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- api-example -->\n```\n(.*?)```\n<!-- /api-example -->", readme, re.S)
    command = block.group(1)
    path = re.search(r"http://127\.0\.0\.1:8000(/api/v1/\S+)", command).group(1)
    payload = json.loads(re.search(r"-d '(.*)'", command).group(1))
    with make_client(token="t0ken") as c:
        auth = {"Authorization": "Bearer t0ken"}
        report = c.post(path, json=payload, headers=auth).json()
        article = report["documents"][0]
        assert {"verdict", "score", "findings"} <= set(article)
        assert {f["text"] for f in article["findings"]} >= {"Selenskyj", "Schulz", "Kiev"}
        fixed = c.post("/api/v1/fix", json={**payload, "safe": True}, headers=auth).json()
    assert fixed["text"] == "Zelenskyy met Olaf Scholz in Kyiv.\n"
    assert '"text": "Zelenskyy met Olaf Scholz in Kyiv.\\n"' in readme


def test_the_time_budget_holds_in_the_server_as_on_the_command_line(client):
    """Checks run in the worker's main thread, where the budget can interrupt them (LIM002)."""
    text = ARTICLE.read_text(encoding="utf-8")
    response = client.post("/api/v1/check", json={"text": text, "no_lm": True,
                                                  "time_budget": 1e-6})  # fmt: skip
    findings = response.json()["documents"][0]["findings"]
    assert "LIM002" in {f["rule"] for f in findings}


def test_serve_says_in_one_line_when_its_port_is_taken(run_cli):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = run_cli("serve", "--port", str(port), "--isolated")
    assert code == 2
    expected = f"auditor: error: cannot listen on 127.0.0.1:{port}: Address already in use"
    assert err.strip() == expected


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_workers_end_with_the_server_however_it_ends():
    """A server killed outright (SIGKILL: no shutdown runs) leaves no worker behind."""
    import signal
    import socket
    import subprocess
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "auditor", "serve", "--port", str(port), "--isolated", "--no-lm"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def children() -> list[int]:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == server.pid:
                found.append(int(stat.parent.name))
        return found

    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        workers = children()
        assert workers
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in workers):
        time.sleep(0.2)
    assert not [p for p in workers if Path(f"/proc/{p}").exists()]
