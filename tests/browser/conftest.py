"""What the browser tests share: Debian's headless Chromium (never a downloaded
browser), a real server over the seed library, and axe-core. Never skipped: without
Chromium or Playwright these tests fail and say what to install."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oncocite.api.app import create_app
from tests.conftest import seed_library
from tests.live_server import live_server

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parents[1] / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server over the seeds (lexical: the page, not the model, is tested)."""
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


def violations(page: Any) -> list[str]:
    """axe-core violations of any impact (minor included) on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v.get('impact')}): {len(v['nodes'])} nodes" for v in found]
