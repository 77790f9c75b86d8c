"""Real-browser end-to-end test of the triage app: headless Chromium (Debian's /usr/bin/chromium)
driven by Playwright for Python, against uvicorn on a free port with a temporary SQLite file.

Log in, import a scored file through the upload form, review items with the keyboard only, check
that an injected <script> shows as text and never runs, export the JSONL and read it back. The
screenshots go to $NETRALITAS_E2E_SHOTS (or the test's tmp dir); the path and the review speed are
printed. Skips, with the reason, where Chromium or Playwright is missing (.ci/run installs both).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest

import test_triage

# the API tests' fixtures: tiny model, scored file, cheap KDF (pytest finds fixtures by name)
cheap_kdf, files, models_dir = test_triage.cheap_kdf, test_triage.files, test_triage.models_dir

CHROMIUM = Path(os.environ.get("NETRALITAS_CHROMIUM", "/usr/bin/chromium"))  # Debian's package
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ADMIN = "ana"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path, models_dir, cheap_kdf):
    import uvicorn

    from netralitas_nlp.triage.app import Settings, create_app, create_user
    from test_triage import PASSWORD

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'e2e.db'}", models_dir=models_dir))
    with app.state.sessions() as db:
        create_user(db, ADMIN, "admin", PASSWORD)
        create_user(db, "budi", "reviewer", PASSWORD)
        db.commit()
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} missing: install Debian's chromium (apt-get install -y chromium; .ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright missing: pip install -e '.[dev,triage]'")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def checked_labels(page) -> list[str]:
    return page.eval_on_selector_all('input[name="labels"]:checked', "els => els.map(e => e.value)")


def source_id(page) -> str:
    return page.inner_text("h1").split()[0]


def log_in(page, server: str, username: str, password: str) -> None:
    page.goto(server + "/queue")
    assert "/login" in page.url  # every page sends a stranger to the login form first
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', password)
    page.click('button[type="submit"]')
    page.wait_for_url("**/queue")


def test_browser_import_review_xss_export(browser, server, files, tmp_path, capsys):
    from netralitas_nlp.data import read_examples
    from test_triage import PASSWORD, raw_rows

    t_start = time.time()
    shots = Path(os.environ.get("NETRALITAS_E2E_SHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    log_in(page, server, ADMIN, PASSWORD)

    # import the scored file through the upload form
    page.goto(server + "/import")
    page.set_input_files("#file", str(files["scored"]))
    page.fill('input[name="source"]', "LAPOR")
    page.click("#import-btn")
    page.wait_for_selector("#import-counts")
    n = len(raw_rows())
    assert page.inner_text("#n-new") == str(n) and page.inner_text("#n-unscored") == "1"

    # queue: most urgent first; open the first item with the keyboard
    page.goto(server + "/queue?status=new")
    page.screenshot(path=str(shots / "queue.png"), full_page=True)
    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/items/" in page.url
    page.screenshot(path=str(shots / "item.png"), full_page=True)

    # review three items with the keyboard only: confirm; toggle a label and confirm; not-ASN and confirm
    expected: dict[str, list[str]] = {}
    plans = [[], ["2"], ["a"]]
    seconds = []
    for keys in plans:
        t0 = time.time()
        sid = source_id(page)
        for k in keys:
            page.keyboard.press(k)
        not_asn = page.is_checked("#actor-not-asn")
        expected[sid] = [] if not_asn else checked_labels(page)
        with page.expect_navigation():
            page.keyboard.press("c")
        page.wait_for_selector("#decision")
        seconds.append(time.time() - t0)
        assert source_id(page) != sid  # moved on to the next item
    # escalate a fourth with "e"; then, in the unfiltered queue, "k" goes back to it
    escalated = source_id(page)
    with page.expect_navigation():
        page.keyboard.press("e")
    page.goto(page.url.split("?")[0])
    with page.expect_navigation():
        page.keyboard.press("k")
    assert source_id(page) == escalated and "escalated" in page.inner_text("h1")

    # two people on one item: budi's stale save is refused and shows ana's decision
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    budi = other.new_page()
    log_in(budi, server, "budi", PASSWORD)
    budi.goto(server + "/queue?q=LAP-020")
    with budi.expect_navigation():
        budi.click("text=LAP-020")
    page.goto(budi.url)
    page.keyboard.press("4")
    expected["LAP-020"] = checked_labels(page)
    with page.expect_navigation():
        page.keyboard.press("c")
    budi.keyboard.press("2")
    with budi.expect_navigation():
        budi.keyboard.press("c")
    assert "Not saved" in budi.inner_text("#stale") and "ana saved confirm" in budi.inner_text("#stale")
    budi.screenshot(path=str(shots / "stale-save.png"), full_page=True)
    other.close()

    # injected script shows as text and does not run
    for sid, needle in (("XSS-0", "<script>window.__xss=1</script>"), ("XSS-1", '<img src=x onerror="window.__xss=1">')):
        page.goto(server + f"/queue?q={sid}")
        page.wait_for_selector("#queue")
        assert page.evaluate("typeof window.__xss") == "undefined"
        with page.expect_navigation():
            page.click(f"text={sid}")
        page.wait_for_timeout(300)  # time for an onerror handler to fire, if it could
        assert needle in page.inner_text("#item-text")
        assert page.evaluate("typeof window.__xss") == "undefined"
    page.screenshot(path=str(shots / "item-xss.png"), full_page=True)

    # export the reviewed items and read them with the training reader
    page.goto(server + "/queue")
    with page.expect_download() as dl:
        page.click("text=Export JSONL")
    out = tmp_path / "reviews.jsonl"
    dl.value.save_as(out)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["id"]: r["labels"] for r in rows} == expected and escalated not in {r["id"] for r in rows}
    assert len(read_examples(out)) == len(expected)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    page.goto(server + "/dashboard")
    page.screenshot(path=str(shots / "dashboard.png"), full_page=True)
    context.close()

    total = time.time() - t_start
    with capsys.disabled():
        print(
            f"\ne2e: {len(seconds)} items reviewed with the keyboard, {sum(seconds) / len(seconds):.2f} s per review "
            f"(max {max(seconds):.2f} s; key press to the next item loaded); {len(rows)} exported; total {total:.1f} s; "
            f"screenshots in {shots}"
        )
