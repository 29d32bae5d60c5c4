"""The web page in a real browser: Debian's headless Chromium driven by Playwright,
over a real server; accessibility checked with axe-core. Never skipped: without
Chromium or Playwright these tests fail and say what to install."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oncocite.api.app import create_app
from tests.conftest import seed_library
from tests.live_server import live_server

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parents[1] / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with seed_library(tmp_path_factory.mktemp("page") / "page.db", embed="0") as library:
        app = create_app(library, library.settings.model_copy(update={"api_rate": 0}))
        with live_server(app) as url:
            yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            "Debian's chromium is missing: scripts/test installs it (apt-get install chromium)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is missing: scripts/test installs the browser extra")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def serious(page: Any) -> list[str]:
    """axe-core violations of impact serious or critical on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [v["id"] for v in violations if v.get("impact") in ("serious", "critical")]


def test_ask_shows_a_cited_answer(site: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(site)
    assert page.title().startswith("oncocite")
    assert "does not replace your care team" in page.inner_text("#care-note")
    page.get_by_label("Your question").fill("What is Kadcyla?")
    page.keyboard.press("Enter")  # the form is usable from the keyboard
    page.wait_for_selector("ol.citations li")
    answer = page.inner_text("#answer")
    assert "emtansine" in answer
    link = page.locator(".answer-text a").first
    target = link.get_attribute("href")
    assert target is not None and target.startswith("#cite-")
    cited = page.locator(target)
    assert "Cancer Research UK" in cited.inner_text()
    assert cited.locator("q").inner_text() in answer
    assert "licence" in cited.inner_text()
    page.screenshot(path=str(ARTIFACTS / "answer.png"), full_page=True)
    assert serious(page) == []
    page.close()


def test_urgent_message_is_prominent(site: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(site)
    page.get_by_label("Your question").fill("I have a fever of 39 and shivering on chemo")
    page.get_by_role("button", name="Ask").click()
    alert = page.wait_for_selector("#answer .alert[role=alert]")
    assert "urgent" in alert.inner_text().lower() or "now" in alert.inner_text().lower()
    assert page.locator("ol.citations").count() == 0
    page.screenshot(path=str(ARTIFACTS / "urgent.png"), full_page=True)
    page.close()


def test_options_form_shows_matches_with_reasons_and_sources(site: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(site)
    page.get_by_label("HER2", exact=True).select_option("positive")
    page.get_by_label("Stage", exact=True).select_option("metastatic")
    page.get_by_label("Earlier treatments for HER2-positive cancer").fill("2")
    page.get_by_label("Where you are treated").select_option("uk")
    page.get_by_role("button", name="Show options").click()
    page.wait_for_selector("[data-option=tucatinib]")
    tucatinib = page.locator("[data-option=tucatinib]")
    matches = page.locator("h3", has_text="describe these for a profile like yours")
    assert matches.count() == 1
    assert "2 earlier treatments" in tucatinib.inner_text()
    tucatinib.locator("summary").click()
    assert "nice.org.uk" in (tucatinib.locator("a").first.get_attribute("href") or "") or (
        "Cancer Research UK" in tucatinib.inner_text()
    )
    assert "care team" in page.inner_text("#options")
    page.screenshot(path=str(ARTIFACTS / "options.png"), full_page=True)
    assert serious(page) == []
    page.close()


def test_readable_on_a_phone(site: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site)
    page.get_by_label("Your question").fill("What are the side effects of immunotherapy?")
    page.keyboard.press("Enter")
    page.wait_for_selector("#answer p")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.screenshot(path=str(ARTIFACTS / "phone.png"), full_page=True)
    assert serious(page) == []
    page.close()


def test_no_external_resources(site: str, browser: Any) -> None:
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site)
    page.wait_for_load_state("networkidle")
    assert requested and all(url.startswith(site) for url in requested), requested
    page.close()
