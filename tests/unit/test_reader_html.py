"""HTML reader on a small but realistic page: furniture out, structure and links in."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncocite.errors import InvalidDocument
from oncocite.ingest.html import read_html
from oncocite.ingest.parsed import ParsedDocument

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Hormone therapy for breast cancer | Example Cancer Charity</title>
  <link rel="canonical" href="https://www.example.org/breast/treatment/hormone-therapy">
  <script>window.dataLayer = [];</script>
  <style>.cookie-banner { position: fixed; }</style>
</head>
<body>
  <div id="cookie-consent" class="cookie-banner">
    <p>We use cookies to give you the best experience on our website.
       Manage your cookie preferences or accept all cookies to continue.</p>
    <button>Accept all cookies</button>
  </div>
  <header class="site-header">
    <a href="/" class="logo">Example Cancer Charity</a>
    <nav aria-label="Main">
      <ul>
        <li><a href="/about-cancer">About cancer</a></li>
        <li><a href="/get-involved">Get involved and fundraise</a></li>
        <li><a href="/donate">Donate today</a></li>
      </ul>
    </nav>
  </header>
  <nav class="breadcrumb"><a href="/">Home</a> &gt; <a href="/breast">Breast cancer</a></nav>
  <main>
    <article>
      <h1>Hormone therapy for breast cancer</h1>
      <p>Hormone therapy is a treatment for breast cancers that are
        <a href="/glossary/hormone-receptor-positive">hormone receptor positive</a>.
        It blocks or lowers the hormones that help the cancer cells grow and divide.</p>
      <p>You usually have hormone therapy for 5 to 10 years after surgery. It lowers the
        risk of the cancer coming back in the breast or elsewhere in the body.</p>
      <h2>Types of hormone therapy</h2>
      <p>The main types are <strong>tamoxifen</strong> and
        <a href="https://drugs.example.net/aromatase-inhibitors">aromatase inhibitors</a>
        such as letrozole, anastrozole and exemestane. Your doctor will explain which
        type is right for you and why.</p>
      <ul>
        <li>tamoxifen</li>
        <li>letrozole</li>
        <li>anastrozole</li>
      </ul>
      <h3>Side effects of hormone therapy</h3>
      <p>Side effects include hot flushes, joint pain and tiredness. Tell your treatment
        team about any side effects you have, because there are ways to manage them.</p>
    </article>
    <aside class="related">
      <h2>Related pages</h2>
      <ul><li><a href="/breast/chemotherapy">Chemotherapy for breast cancer</a></li></ul>
    </aside>
  </main>
  <footer>
    <p>Copyright 2025 Example Cancer Charity. Registered charity number 1234567.</p>
    <a href="/privacy">Privacy policy</a> <a href="/accessibility">Accessibility</a>
  </footer>
</body>
</html>
"""
TITLE = "Hormone therapy for breast cancer"
FURNITURE = [
    "cookie",
    "Accept all",
    "Get involved",
    "Donate today",
    "Home",
    "Copyright",
    "Registered charity",
    "Privacy policy",
    "Related pages",
    "dataLayer",
]


@pytest.fixture
def page(tmp_path: Path) -> ParsedDocument:
    path = tmp_path / "hormone-therapy.html"
    path.write_text(PAGE, encoding="utf-8")
    return read_html(path, PAGE)


def test_identity_and_metadata(page: ParsedDocument) -> None:
    assert page.doc_id == "hormone-therapy"
    assert page.format == "html"
    assert page.metadata["title"].startswith(TITLE)
    assert page.metadata["url"] == "https://www.example.org/breast/treatment/hormone-therapy"


@pytest.mark.parametrize("junk", FURNITURE)
def test_furniture_is_gone(page: ParsedDocument, junk: str) -> None:
    assert junk.lower() not in page.text.lower()


def test_content_kept_without_markup(page: ParsedDocument) -> None:
    assert "It blocks or lowers the hormones that help the cancer cells grow" in page.text
    assert "hot flushes, joint pain and tiredness" in page.text
    assert "- tamoxifen\n- letrozole\n- anastrozole" in page.text
    for markup in ("<", "**", "](", "# "):
        assert markup not in page.text


def test_headings_become_sections(page: ParsedDocument) -> None:
    assert [s.heading_path for s in page.sections] == [
        [TITLE],
        [TITLE, "Types of hormone therapy"],
        [TITLE, "Types of hormone therapy", "Side effects of hormone therapy"],
    ]
    assert "Types of hormone therapy" in page.text.split("\n")


def test_links_resolved_and_located(page: ParsedDocument) -> None:
    by_text = {link.text: link.url for link in page.links}
    assert by_text == {
        "hormone receptor positive": "https://www.example.org/glossary/hormone-receptor-positive",
        "aromatase inhibitors": "https://drugs.example.net/aromatase-inhibitors",
    }
    for link in page.links:
        assert page.text[link.start : link.end] == link.text


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a>"
        "<a href='/about'>About us</a></nav><footer>Copyright 2025</footer></body></html>",
    ],
)
def test_no_main_content_is_an_error(tmp_path: Path, html: str) -> None:
    with pytest.raises(InvalidDocument) as info:
        read_html(tmp_path / "empty.html", html)
    assert info.value.field == "body"
    assert str(info.value) == "empty.html: body: no main content found in the HTML"


def test_cookie_class_on_page_wrapper_does_not_drop_content(tmp_path: Path) -> None:
    wrapped = PAGE.replace("<body>", '<body class="cookie-consent-given"><div class="no-cookies">')
    doc = read_html(tmp_path / "wrapped.html", wrapped)
    assert "hot flushes, joint pain and tiredness" in doc.text
    assert "We use cookies" not in doc.text


def test_an_images_alt_text_is_kept_and_recorded_as_an_image(tmp_path: Path) -> None:
    alt = "A nurse talking with a woman about her hormone therapy tablets"
    html = PAGE.replace(
        "<h2>Types of hormone therapy</h2>",
        f'<p><img src="/media/nurse.jpg" alt="{alt}"></p>\n<h2>Types of hormone therapy</h2>',
    )
    path = tmp_path / "pictured.html"
    path.write_text(html, encoding="utf-8")
    read = read_html(path, html)
    (image,) = [link for link in read.links if link.image]
    assert image.text == alt and read.text[image.start : image.end] == alt
    assert image.url == "https://www.example.org/media/nurse.jpg"
    assert not any(link.image for link in read.links if link.text != alt)
