"""Licences: spellings normalise, and displayed excerpts honour quotation limits."""

from __future__ import annotations

import pytest

from oncocite.licences import LICENCES, excerpt, normalise_licence

TEXT = " ".join(f"word{i}" for i in range(200))


def test_public_domain_text_is_shown_up_to_the_display_limit() -> None:
    assert excerpt("short text", "public_domain", 400) == "short text"
    shown = excerpt(TEXT, "CC-BY-4.0", 400)
    assert len(shown) <= 401 and shown.endswith("…")
    assert TEXT.startswith(shown[:-1])


@pytest.mark.parametrize("licence", ["all_rights_reserved", None, "something-unknown"])
def test_restricted_or_unknown_licences_get_short_quotes(licence: str | None) -> None:
    cap = LICENCES["all_rights_reserved"].max_quote_chars
    assert cap is not None
    shown = excerpt(TEXT, licence, 400)
    assert len(shown) <= cap + 1
    assert not shown[:-1].endswith(" ")
    assert TEXT.startswith(shown[:-1]) and shown.endswith("…")


def test_unknown_licence_names_the_accepted_ones() -> None:
    with pytest.raises(ValueError, match="public_domain"):
        normalise_licence("free-ish")
