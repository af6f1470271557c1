"""The compliance web page in a real headless Chromium (Debian's chromium + chromedriver).

Writes screenshots to $GLEMSEL_SCREENSHOTS (default build/screenshots) for people to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
import yaml
from company import KARI, build
from glemsel.pipeline.core.config import load_config
from glemsel.pipeline.interfaces.api import create_app
from glemsel.pipeline.runtime.embedded import EmbeddedDeployment

ADMIN = "admin-token-0123456789"
DSR = "dsr-token-0123456789"
SHOTS = Path(os.environ.get("GLEMSEL_SCREENSHOTS", "build/screenshots"))


def _browser_paths() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        reason = (
            "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
        )
        if os.environ.get("GLEMSEL_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return chromium, driver


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, EmbeddedDeployment]]:
    config_path, events = build(tmp_path / "w")
    raw = yaml.safe_load(config_path.read_text())
    raw["api"] = {
        "tokens": [
            {"name": "ops", "role": "admin", "token": ADMIN},
            {"name": "dsr-tool", "role": "dsr", "token": DSR},
        ]
    }
    config_path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    deployment = EmbeddedDeployment(load_config(config_path))
    for topic, event in events:
        deployment.publish(topic, event)
    deployment.run(until_idle=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    uv = uvicorn.Server(
        uvicorn.Config(create_app(deployment), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    while not uv.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", deployment
    uv.should_exit = True
    thread.join(10)
    deployment.close()


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver = _browser_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1400",
    ):
        options.add_argument(flag)
    chrome = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    yield chrome
    chrome.quit()


def _login(browser, base: str, token: str) -> None:
    browser.get(f"{base}/ui")
    browser.find_element("id", "token").send_keys(token)
    browser.find_element("id", "login").click()
    _wait_for(browser, "search" if token in (ADMIN, DSR) else "token")


def _wait_for_text(browser, text: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10).until(lambda b: text in b.page_source)


def _wait_for(browser, element_id: str) -> None:
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located(("id", element_id))
    )


def test_search_shows_masked_previews_grouped_by_system(server, browser) -> None:
    base, _ = server
    _login(browser, base, ADMIN)
    browser.find_element("id", "fnr").send_keys(KARI["fnr"])
    browser.find_element("id", "search").click()
    _wait_for(browser, "result")
    page = browser.page_source
    assert "Her finnes data om personen" in page
    for system in ("crm", "support", "mail", "chat", "orders"):
        assert f"<h3>{system}</h3>" in page
    previews = [e.text for e in browser.find_elements("css selector", "td.preview")]
    assert previews and any("***" in p for p in previews)
    assert KARI["email"] not in page and KARI["phone"] not in page
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SHOTS / "compliance-search.png"))
    assert (SHOTS / "compliance-search.png").stat().st_size > 10_000


def test_admin_places_and_releases_a_hold_in_english(server, browser) -> None:
    base, deployment = server
    _login(browser, base, ADMIN)
    browser.get(f"{base}/ui?lang=en")
    assert "Search for a person" in browser.page_source
    browser.find_element("id", "email").send_keys(KARI["email"])
    browser.find_element("id", "search").click()
    _wait_for(browser, "reason")
    browser.find_element("id", "reason").send_keys("Dispute 2026-17")
    browser.find_element("id", "hold-system").send_keys("support")
    browser.find_element("id", "place-hold").click()
    _wait_for(browser, "done")
    assert "hold-" in browser.find_element("id", "done").text
    deployment.run(until_idle=True)
    browser.get(f"{base}/ui")
    rows = browser.find_elements("css selector", "#holds tr")
    assert len(rows) == 1 and "Dispute 2026-17" in rows[0].text
    rows[0].find_element("tag name", "button").click()
    _wait_for(browser, "done")  # the release was received before the worker runs
    deployment.run(until_idle=True)
    browser.get(f"{base}/ui")
    assert browser.find_elements("css selector", "#holds tr") == []


def test_wrong_token_and_wrong_role_are_refused(server, browser) -> None:
    base, _ = server
    _login(browser, base, "not-a-token-at-all")
    assert browser.find_elements("id", "token"), "still on the sign-in form"
    _login(browser, base, DSR)
    browser.find_element("id", "email").send_keys(KARI["email"])
    browser.find_element("id", "search").click()
    _wait_for_text(browser, "Rollen din kan ikke gjøre dette")
