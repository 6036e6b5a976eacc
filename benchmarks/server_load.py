"""``auditor serve`` under load, from a local client on this machine (127.0.0.1 only).

- latency of one check of sample 003 (730 words) with the language model: the first request
  after start-up (models already loaded; the sample's sentences are in the score cache, as an
  article checked before is), the article checked again after an edit (an editor's
  edit-and-check loop), and with the score cache off (every sentence scored by the model),
  beside the cold start of ``auditor check`` on the same article;
- 50 concurrent checks of the sample articles, with and without the language model, on a
  server whose score cache is off (every sentence really scored): all answered, none lost,
  p50/p95 latency and throughput;
- while those 50 language-model checks fill the queue (``--queue 50``), a 51st request: it
  must get 503 with Retry-After at once, not wait.

Every loop is bounded in count and time, and the servers are stopped at the end.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "corpora" / "samples").glob("*.md"))
ARTICLE = ROOT / "corpora" / "samples" / "003-selenskyj-peace-talks-stern.md"
CONCURRENT = 50
TIMEOUT = 900  # seconds any one phase may take


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, *args: str, env: dict | None = None) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "auditor", "serve", "--port", str(self.port), "--isolated",
             *args],
            cwd=ROOT, env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        import httpx

        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"auditor serve did not start: {self.proc.stderr.read()}")
            time.sleep(0.2)
        self.start_seconds = time.perf_counter() - started

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _burst(url: str, lm: bool, extra: bool) -> dict:
    """CONCURRENT checks at once (and, with ``extra``, one more once they are all queued)."""
    import httpx

    texts = [SAMPLES[i % len(SAMPLES)].read_text(encoding="utf-8") for i in range(CONCURRENT)]
    limits = httpx.Limits(max_connections=CONCURRENT + 5)
    async with httpx.AsyncClient(base_url=url, timeout=TIMEOUT, limits=limits) as client:

        async def one(text: str) -> tuple[int, float]:
            started = time.perf_counter()
            body = {"text": text, "filename": "article.md", "no_lm": not lm}
            response = await client.post("/api/v1/check", json=body)
            if response.status_code == 200:
                assert response.json()["documents"][0]["status"] == "ok"
            return response.status_code, time.perf_counter() - started

        started = time.perf_counter()
        tasks = [asyncio.create_task(one(t)) for t in texts]
        beyond = None
        if extra:
            lane = "lm" if lm else "plain"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # wait until all 50 are in the queue
                health = (await client.get("/api/v1/health")).json()
                if health["queues"][lane]["in_queue"] >= CONCURRENT:
                    break
                await asyncio.sleep(0.05)
            t = time.perf_counter()
            response = await client.post(
                "/api/v1/check", json={"text": texts[0], "filename": "a.md", "no_lm": not lm}
            )
            beyond = {
                "status": response.status_code,
                "retry_after": response.headers.get("Retry-After"),
                "seconds": round(time.perf_counter() - t, 3),
            }
        results = await asyncio.gather(*tasks)
        wall = time.perf_counter() - started
    latencies = [s for code, s in results if code == 200]
    figures = {
        "requests": CONCURRENT,
        "answered_200": len(latencies),
        "lost": CONCURRENT - len(results),
        "other_status": sorted({code for code, _ in results if code != 200}),
        "p50_s": round(_percentile(latencies, 0.5), 3),
        "p95_s": round(_percentile(latencies, 0.95), 3),
        "wall_s": round(wall, 2),
        "checks_per_s": round(len(latencies) / wall, 2),
        "words": sum(len(t.split()) for t in texts),
    }
    if beyond is not None:
        figures["request_51"] = beyond
    return figures


def _single(url: str, text: str) -> float:
    import httpx

    started = time.perf_counter()
    response = httpx.post(
        f"{url}/api/v1/check", json={"text": text, "filename": "a.md"}, timeout=TIMEOUT
    )
    response.raise_for_status()
    return round(time.perf_counter() - started, 3)


def _cli_cold(article: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "auditor", "check", str(article), "--quiet", "--isolated",
         "--format", "json"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    return round(time.perf_counter() - started, 3)


def run() -> dict:
    figures: dict = {}
    text = ARTICLE.read_text(encoding="utf-8")
    server = Server("--queue", str(CONCURRENT))
    try:
        figures["start_with_models_s"] = round(server.start_seconds, 2)
        figures["one_check_first_s"] = _single(server.url, text)
        figures["one_check_again_s"] = _single(server.url, text + "\nOne more line at the end.\n")
    finally:
        server.stop()
    figures["cli_cold_start_s"] = _cli_cold(ARTICLE)
    server = Server("--queue", str(CONCURRENT), env={"AUDITOR_SCORE_CACHE": "off"})
    try:
        figures["one_check_uncached_s"] = _single(server.url, text)  # every sentence scored
        figures["burst_no_lm"] = asyncio.run(_burst(server.url, lm=False, extra=False))
        figures["burst_lm"] = asyncio.run(_burst(server.url, lm=True, extra=True))
    finally:
        server.stop()
    print(json.dumps(figures, indent=1), file=sys.stderr)
    return figures
