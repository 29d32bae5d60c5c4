"""The options form in a real browser (Debian's headless Chromium, Playwright, a real
server over the seed library): the treatment history as rows, the HER2 categories,
PIK3CA/AKT1/PTEN apart; matching and needs-information options first, the others one
line each with the reason; axe-core finds no violation of any impact."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, violations

pytestmark = pytest.mark.browser


def fill_hr_positive_after_cdk(page: Any) -> None:
    """HR+, HER2-negative (score not known), secondary, US, AKT1 only, after letrozole +
    palbociclib grew: the issue's example."""
    page.get_by_label("Hormone receptor (ER/PR)").select_option("positive")
    page.get_by_label("HER2", exact=True).select_option("negative")
    page.get_by_label("Stage", exact=True).select_option("metastatic")
    for gene, value in (("PIK3CA", "false"), ("AKT1", "true"), ("PTEN", "false")):
        page.get_by_label(f"{gene} change").select_option(value)
    page.get_by_label("ESR1 change").select_option("false")
    page.get_by_label("Inherited BRCA change").select_option("false")
    page.get_by_label("Where you are treated").select_option("us")
    page.get_by_label("Earlier drug treatment").select_option("listed")
    page.get_by_label("Treatment 1: drug or drugs").fill("letrozole + Ibrance")
    page.get_by_label("Treatment 1: given").select_option("advanced")
    page.get_by_label("Treatment 1: did the cancer grow during it?").select_option("true")
    page.get_by_label("Treatment 1: months since the last dose").fill("1")


def test_history_and_biomarkers_change_the_options(site: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(site)
    fill_hr_positive_after_cdk(page)
    page.get_by_role("button", name="Show options").click()
    page.wait_for_selector("[data-option=capivasertib]")
    box = page.locator("#options")
    headings = box.locator("h3").all_inner_texts()
    assert headings[0].startswith("The sources describe these")
    assert headings[-1].startswith("Not for a profile like yours")  # the rest come last
    full = box.locator("ul.options > li")
    brief = box.locator("ul.options-brief > li")
    assert "capivasertib" in full.locator("xpath=.").evaluate_all(
        "items => items.map(i => i.dataset.option)"
    )
    # AKT1 only: capivasertib, never alpelisib (PIK3CA only)
    assert box.locator("ul.options [data-option=alpelisib]").count() == 0
    # growth on a CDK4/6 inhibitor: all three, one line each with the reason
    for drug in ("palbociclib", "ribociclib", "abemaciclib"):
        line = box.locator(f"ul.options-brief [data-option={drug}]")
        assert "grew during letrozole and palbociclib" in line.inner_text()
    sacituzumab = box.locator("ul.options-brief [data-option=sacituzumab-govitecan]")
    assert "chemotherapies" in sacituzumab.inner_text()
    heights = brief.evaluate_all("items => items.map(i => i.getBoundingClientRect().height)")
    line = brief.first.evaluate("i => parseFloat(getComputedStyle(i).lineHeight)")
    assert heights and max(heights) <= 3 * line + 1  # short: no sources, no lists
    # HER2 negative with the score not known asks whether it is HER2-low
    tdxd = box.locator("ul.options [data-option=trastuzumab-deruxtecan]")
    assert "Is my cancer HER2-low?" in tdxd.inner_text()
    assert "1 earlier treatment read" in page.inner_text("#history-read")
    sent = page.evaluate("JSON.stringify(profileFromForm(document.getElementById('options-form')))")
    assert '"months_since_last":1' in sent and '"akt1":true' in sent and '"pik3ca":false' in sent
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"options page height at 1280 px: {height} px")
    assert height < 5500
    page.screenshot(path=str(ARTIFACTS / "options-history.png"), full_page=True)
    assert violations(page) == []
    page.close()


def test_rows_are_added_and_removed_and_an_unknown_drug_is_explained(
    site: str, browser: Any
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site)
    page.get_by_label("HER2", exact=True).select_option("positive")
    page.get_by_label("Stage", exact=True).select_option("metastatic")
    page.get_by_label("Where you are treated").select_option("uk")
    page.get_by_role("button", name="Add a treatment").click()
    page.keyboard.type("trastuzumab + pertuzumab + docetaxel")  # focus moved to the new row
    page.get_by_label("Treatment 1: given").select_option("advanced")
    page.get_by_label("Treatment 1: did the cancer grow during it?").select_option("true")
    page.get_by_role("button", name="Add a treatment").click()
    page.get_by_label("Treatment 2: drug or drugs").fill("trastuzamab")
    page.get_by_role("button", name="Show options").click()
    alert = page.wait_for_selector("#options [role=alert]")
    assert "trastuzamab" in alert.inner_text() and "did you mean" in alert.inner_text()
    page.get_by_role("button", name="Remove treatment 2").click()
    assert page.locator("#treatments li").count() == 1
    page.get_by_role("button", name="Show options").click()
    page.wait_for_selector("[data-option=pertuzumab]")
    pertuzumab = page.locator("ul.options-brief [data-option=pertuzumab]")
    assert "already had trastuzumab, pertuzumab and docetaxel" in pertuzumab.inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"options page at 390 px: width {width} px, height {height} px")
    assert width <= 390 and height < 10600
    page.screenshot(path=str(ARTIFACTS / "options-phone.png"), full_page=True)
    assert violations(page) == []
    page.close()


def test_a_quote_from_a_page_the_library_lacks_is_not_shown_as_an_empty_quote(
    site: str, browser: Any
) -> None:
    """An option's citation whose page is not in the library (or no longer says it)
    has no quote: the page said “” before its title; it now says why."""
    page = browser.new_page()
    page.goto(site)
    shown = page.evaluate(
        """() => [
          {kind: "quote", quote: null, doc_id: "000_x", title: "(not in this library)"},
          {kind: "quote", quote: null, doc_id: "000_x", title: "Targeted drugs", version: 3},
          {kind: "quote", quote: "It is a type of monoclonal antibody.", doc_id: "000_x",
           title: "Targeted drugs", version: 3},
        ].map((c) => { const li = factCitation(c);
                       return [li.textContent, li.querySelectorAll("q").length]; })"""
    )
    (missing, quotes_missing), (gone, quotes_gone), (held, quotes_held) = shown
    assert "not in this library" in missing and quotes_missing == 0
    assert "no longer said in Targeted drugs (version 3)" in gone and quotes_gone == 0
    assert "monoclonal antibody" in held and quotes_held == 1
    page.close()
