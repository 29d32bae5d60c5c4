"""Fuzzed titles, sources and passage text through the CLI's plain output: every
command exits 0, prints no raw control character, and shows the text as written
(markup such as `[/i]` included)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from oncocite import MetadataOverrides, open_library
from oncocite.cli import app
from oncocite.cli.output import one_line

PIECES = ["[", "]", "[/]", "[/i]", "[bold]", "[red]", "\x1b[31m", "\x1b]8;;x\x07", "\r", "\t"]
PIECES += ["\u202e", "\u2066", "\x9b", "\x7f", "\\", ":emoji:", "🎗️", "…", "—"]
words = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF)),
        st.sampled_from(PIECES),
    ),
    min_size=1,
    max_size=6,
).map("".join)
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=words, source=words, body=words)
# a short first word, then a long one: the table folds the cell at the space
@example(title="00000 \x7f" + "0" * 11 + "\x7f" * 3 + "0" * 11, source="s", body="x")
def test_plain_output_shows_document_text_as_written(
    tmp_path: Path, title: str, source: str, body: str
) -> None:
    title, source = title.strip() or "t", source.strip() or "s"
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    page = folder / "page.txt"
    page.write_text(f"Headline\n\nTrastuzumab notes {body} end.\n", encoding="utf-8")
    db = folder / "c.db"
    with open_library(db, embed="0") as lib:
        overrides = MetadataOverrides(title=title, source=source, license="public_domain")
        assert lib.ingest([page], metadata=overrides).failed == 0
        stored = lib.show("page").metadata
    runner = CliRunner()
    for command in (
        ["documents"],
        ["review", "--today", "2030-01-01"],
        ["show", "page", "--text"],
        ["search", "trastuzumab", "--mode", "lexical"],
    ):
        result = runner.invoke(app, [*command, "--db", str(db)])
        assert result.exit_code == 0, (command, result.stderr)
        assert not RAW_CONTROL.search(result.stdout), (command, result.stdout)
        if command[0] in ("documents", "search"):
            shown = one_line(stored.title[:60] if command[0] == "documents" else stored.title)
            # a table folds a long cell over lines, at a space if it can: its first
            # word starts on one line
            head = shown.split()[0][:16]
            assert head in result.stdout, (command, shown, result.stdout)
