"""Large Markdown bodies are cut into bounded segments without losing or moving text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from oncocite.ingest.markdown import markdown_blocks
from oncocite.ingest.segments import markdown_segments


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab \n\t-`~#>[]", max_size=400), st.integers(4, 64))
def test_segments_cover_the_body_in_order_within_the_limit(body: str, limit: int) -> None:
    segments = list(markdown_segments(body, limit))
    assert "".join(segments) == body
    assert all(len(segment) <= limit for segment in segments)
    assert all(segments) or body == ""


def test_cuts_fall_at_block_breaks_outside_fenced_code() -> None:
    fence = "```\n" + "code line\n\n" * 4 + "```\n\n"
    body = ("Para one.\n\n" + fence) * 40
    for segment in markdown_segments(body, 200):
        assert segment.count("```") % 2 == 0, "a segment cuts a fenced block"


def test_a_short_body_is_one_segment() -> None:
    assert list(markdown_segments("# T\n\nBody.\n")) == ["# T\n\nBody.\n"]


def test_references_resolve_across_segments() -> None:
    body = "See [the leaflet][lf].\n\n" + "Filler paragraph text.\n\n" * 4000
    body += "[lf]: https://example.org/leaflet\n"
    assert len(list(markdown_segments(body))) > 2
    blocks = markdown_blocks(body)
    assert blocks[0].text == "See the leaflet."
    assert [link.url for link in blocks[0].links] == ["https://example.org/leaflet"]
