"""The web page in a real browser: Debian's headless Chromium driven by Playwright,
over a real server; accessibility checked with axe-core. Never skipped: without
Chromium or Playwright these tests fail and say what to install."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, violations

pytestmark = pytest.mark.browser


def ask(page: Any, question: str) -> Any:
    """Ask from the keyboard, as a person would, and wait for the answer's heading."""
    page.get_by_label("Your question").fill(question)
    page.keyboard.press("Enter")  # the form is usable from the keyboard
    return page.wait_for_selector("#answer-heading")


def shots(page: Any, name: str) -> None:
    """Full-page screenshots at a phone's and a desktop's width, kept as artifacts."""
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)


def test_ask_shows_a_cited_answer(site: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(site)
    assert page.title().startswith("oncocite")
    assert "does not replace your care team" in page.inner_text("#care-note")
    assert violations(page) == []
    ask(page, "What is Kadcyla?")
    page.wait_for_selector("ol.citations li")
    answer = page.inner_text("#answer")
    assert "emtansine" in answer
    link = page.locator(".answer-text a").first
    target = link.get_attribute("href")
    assert target is not None and target.startswith("#cite-")
    cited = page.locator(target)
    assert "Cancer Research UK" in cited.inner_text()
    assert "Licence" in cited.inner_text()
    shots(page, "answer")
    assert violations(page) == []
    page.close()


def test_a_quoted_list_is_a_list(site: str, browser: Any) -> None:
    """CRUK's "a combination of 2 drugs:" and its bullets: a <ul> in the answer and in
    the quote, not one run-together line with dashes."""
    page = browser.new_page()
    page.goto(site)
    ask(page, "What is Kadcyla?")
    items = page.locator(".answer-text ul li")
    assert items.count() >= 2
    texts = [t.strip() for t in items.all_inner_texts()]
    assert texts[0] == "trastuzumab"
    assert texts[1].startswith("emtansine - a chemotherapy drug")
    assert texts[1].endswith("[1]")  # the citation number follows the list's last item
    assert not any(t.startswith("-") for t in texts)
    intro = page.locator(".answer-text p").first.inner_text()
    assert intro.startswith("Trastuzumab emtansine (Kadcyla) is a combination of 2 drugs:")
    assert "- trastuzumab" not in page.inner_text(".answer-text")
    quoted = page.locator("#cite-1 blockquote.quote")
    assert quoted.locator("ul li").all_inner_texts()[:1] == ["trastuzumab"]
    page.close()


def test_citations_link_to_web_pages_and_name_the_licence(site: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(site)
    ask(page, "What is pembrolizumab?")
    page.wait_for_selector("ol.citations li")
    citations = page.locator("ol.citations > li")
    texts = citations.all_inner_texts()
    nci = [i for i, t in enumerate(texts) if "NCI" in t]
    cruk = [i for i, t in enumerate(texts) if "Cancer Research UK" in t]
    assert nci and cruk
    # The NCI page has a url: its title is a link to it.
    href = citations.nth(nci[0]).locator("a").first.get_attribute("href")
    assert href == "https://www.cancer.gov/types/breast/treatment/immunotherapy"
    assert "Public domain: free to reuse" in texts[nci[0]]
    # Nobody recorded the CRUK page's url (scripts/run says so, nothing is guessed):
    # no link, and the page says why there is none.
    assert citations.nth(cruk[0]).locator("a").count() == 0
    assert "No web link recorded: search Cancer Research UK's website" in texts[cruk[0]]
    assert "All rights reserved: quoted for information" in texts[cruk[0]]
    for text in texts:
        assert "all_rights_reserved" not in text and "public_domain" not in text
    page.close()


def test_only_web_addresses_become_links(site: str, browser: Any) -> None:
    """Defence in depth: ingest refuses a `javascript:` url, and the page's own code,
    given one, shows the title as text."""
    page = browser.new_page()
    page.goto(site)
    hrefs = page.evaluate(
        """() => ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x",
                  "https://example.org/a", "not a url"].map((url) => {
            const item = citationItem({n: 1, doc_id: "d", title: "T", source: "S", url,
                section: [], version: 1, quote: "q", license: null});
            const a = item.querySelector("a");
            return a ? a.getAttribute("href") : null;
        })"""
    )
    assert hrefs == [None, None, None, "https://example.org/a", None]
    page.close()


def test_consulted_sources_are_listed_once_each(site: str, browser: Any) -> None:
    """The NCI page is quoted; five passages of the CRUK page were read: "also read"
    names the CRUK page once, and never a page that is already quoted."""
    page = browser.new_page()
    page.goto(site)
    ask(page, "What is immunotherapy?")
    page.wait_for_selector("ol.citations li")
    sources = page.locator("ol.citations").inner_text()
    assert "NCI" in sources and "Cancer Research UK" not in sources
    consulted = page.locator("ul.consulted > li").all_inner_texts()
    assert consulted == ["Targeted and immunotherapy drugs for breast cancer · Cancer Research UK"]
    page.close()


def test_focus_and_announcement_move_to_the_answer(site: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(site)
    ask(page, "What is Kadcyla?")
    assert page.evaluate("document.activeElement.id") == "answer-heading"
    assert page.inner_text("#answer-heading") == "What the sources say"
    from playwright.sync_api import expect

    status = page.locator("#ask-status[role=status]")
    expect(status).to_have_text("Your answer is ready: quoted from 1 source.")
    # An abstention is announced as one, and focus moves the same way.
    page.locator("#question").focus()
    ask(page, "will herceptin make my hair fall out")
    expect(status).to_have_text(re.compile(r"^No answer from the library\. What you can do"))
    assert page.evaluate("document.activeElement.id") == "answer-heading"
    assert page.inner_text("#answer-heading") == "No answer from the library"
    page.close()


def test_an_abstention_shows_the_next_step(site: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(site)
    ask(page, "will herceptin make my hair fall out")
    steps = page.locator(".next-steps")
    assert "care team or specialist nurse" in steps.inner_text()
    assert steps.locator(".rephrase").count() == 1
    # said once: the service's next step already says to ask again, the page adds
    # only its examples (it said it twice in other words)
    assert steps.inner_text().lower().count("ask again") == 1, steps.inner_text()
    assert "What is Kadcyla?" in steps.inner_text()
    assert steps.locator(".to-options").count() == 0  # not a question of choosing
    shots(page, "abstention")
    assert violations(page) == []
    # A question about which treatment to have points to the options explorer.
    ask(page, "what drugs can I have when the cancer has spread")
    page.wait_for_selector(".next-steps .to-options")
    link = page.locator(".next-steps .to-options a")
    assert link.get_attribute("href") == "#options-heading"
    assert page.locator("#options-heading").count() == 1  # the link goes somewhere
    link.click()
    assert page.evaluate("location.hash") == "#options-heading"
    # Off topic: the service's message says why, the next step says who can help.
    ask(page, "what is the weather in london")
    page.wait_for_selector(".notice")
    assert "GP or NHS 111" in page.inner_text(".next-steps")
    assert page.locator(".next-steps .rephrase, .abstained").count() == 0
    page.close()


def test_triage_shows_the_next_step_and_never_to_rephrase(site: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(site)
    from playwright.sync_api import expect

    ask(page, "My mouth and throat feel like they are swelling up after today's infusion")
    alert = page.locator("#answer .alert[role=alert]")
    assert "999" in alert.inner_text()
    assert page.inner_text("#answer-heading") == "Please read this now"
    steps = page.locator(".next-steps")
    assert "Contact your cancer care team" in steps.inner_text()
    assert "emergency department" in steps.inner_text()
    assert steps.locator(".rephrase").count() == 0
    assert page.locator("ol.citations").count() == 0
    expect(page.locator("#ask-status")).to_have_text(re.compile(r"^Important: this needs a person"))
    shots(page, "triage")
    assert violations(page) == []
    ask(page, "I want to end my life")
    expect(page.locator("#answer-heading")).to_be_focused()
    assert "Samaritans on 116 123" in page.inner_text(".next-steps")
    assert page.locator(".next-steps .rephrase").count() == 0
    page.close()


def test_print_view_keeps_the_answer_its_sources_and_the_date(site: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site)
    ask(page, "What is pembrolizumab?")
    page.wait_for_selector("ol.citations li")
    button = page.get_by_role("button", name="Print this answer")
    assert button.is_visible()
    url = "https://www.cancer.gov/types/breast/treatment/immunotherapy"
    assert not page.locator(".print-only", has_text=url).first.is_visible()  # screen: a link
    page.emulate_media(media="print")
    for hidden in ("#ask-form", "#options-form", ".print-answer"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator("ol.citations").is_visible()
    assert page.locator(".print-only", has_text=url).first.is_visible()  # paper: the address
    date = page.locator(".answer-date")
    assert date.is_visible()
    today = page.evaluate(
        "new Date().toLocaleDateString('en-GB', {day: 'numeric', month: 'long', year: 'numeric'})"
    )
    assert today in date.inner_text()
    assert "Your question" in page.inner_text("#answer")
    page.screenshot(path=str(ARTIFACTS / "print-1280.png"), full_page=True)
    page.pdf(path=str(ARTIFACTS / "answer.pdf"))
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
    assert violations(page) == []
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
    assert violations(page) == []
    page.close()


def test_no_external_resources(site: str, browser: Any) -> None:
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site)
    page.wait_for_load_state("networkidle")
    assert requested and all(url.startswith(site) for url in requested), requested
    page.close()
