"""The compliance page answers an access request: start it, see progress and deadline,
download the export (real headless Chromium, as in test_browser)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from company import KARI
from test_browser import ADMIN, DSR, SHOTS, _login, _wait_for, browser, server

__all__ = ["browser", "server"]  # fixtures, used by name


def _downloaded(folder: Path, suffix: str, timeout: float = 15.0) -> Path:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done = [p for p in folder.glob(f"*{suffix}") if p.stat().st_size]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} download in {folder}: {list(folder.iterdir())}")


def test_access_request_started_followed_and_downloaded(server, browser, tmp_path) -> None:
    base, deployment = server
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    _login(browser, base, ADMIN)
    browser.find_element("id", "fnr").send_keys(KARI["fnr"])
    browser.find_element("id", "search").click()
    _wait_for(browser, "start-access")
    browser.find_element("id", "start-access").click()
    _wait_for(browser, "done")
    request_id = browser.find_element("id", "done").text.rsplit(": ", 1)[-1]
    assert request_id.startswith("req-")

    deployment.run(until_idle=True)
    browser.get(f"{base}/ui")
    row = next(
        r for r in browser.find_elements("css selector", "#requests tr.request")
        if request_id in r.text
    )  # fmt: skip
    assert "completed" in row.text and "exported 5" in row.text
    assert "dager igjen" in row.text or "✓" in row.text
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SHOTS / "access-request.png"))
    assert KARI["fnr"] not in browser.page_source, "the overview names no one"

    browser.find_element("id", f"export-{request_id}").click()
    html = _downloaded(downloads, ".html").read_text(encoding="utf-8")
    assert "Innsyn i personopplysninger" in html and KARI["email"] in html
    browser.get(f"{base}/ui/export/{request_id}?format=json")
    doc = json.loads(_downloaded(downloads, ".json").read_text(encoding="utf-8"))
    assert doc["request_id"] == request_id
    assert {s["system"] for s in doc["systems"]} == {"crm", "support", "mail", "chat", "orders"}
    kinds = [e["kind"] for e in deployment.stores.audit.entries(request_id)]
    assert kinds.count("access.export") == 2


def test_a_dsr_token_cannot_download_an_export(server, browser) -> None:
    base, deployment = server
    _login(browser, base, DSR)
    browser.get(f"{base}/ui/export/anything")
    assert "Rollen din kan ikke gjøre dette" in browser.page_source
