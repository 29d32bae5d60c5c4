"""Licences oncocite knows, and what each allows us to show.

A document's licence decides how much of it may be displayed: public-domain and CC BY
text may be quoted in full with attribution; all-rights-reserved pages only in short
quotes with a link. Unknown licences are rejected at ingest, because a licence we
cannot interpret is a licence we cannot honour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["LICENCES", "Licence", "excerpt", "licence_name", "normalise_licence", "quote_limit"]


@dataclass(frozen=True)
class Licence:
    """What a licence lets oncocite do with a document's text."""

    id: str
    name: str  # in words a reader understands: what it is, then what it lets people do
    full_text: bool
    attribution: bool
    max_quote_chars: int | None


LICENCES: dict[str, Licence] = {
    lic.id: lic
    for lic in (
        Licence("public_domain", "Public domain: free to reuse", True, False, None),
        Licence("CC0-1.0", "CC0 (public domain): free to reuse", True, False, None),
        Licence("CC-BY-4.0", "CC BY 4.0: free to share with credit", True, True, None),
        Licence(
            "CC-BY-SA-4.0",
            "CC BY-SA 4.0: free to share with credit, on the same terms",
            True,
            True,
            None,
        ),
        Licence(
            "CC-BY-NC-4.0",
            "CC BY-NC 4.0: free to share with credit, not for profit",
            True,
            True,
            None,
        ),
        Licence(
            "CC-BY-NC-ND-4.0",
            "CC BY-NC-ND 4.0: free to share unchanged with credit, not for profit",
            True,
            True,
            None,
        ),
        Licence(
            "OGL-UK-3.0",
            "Open Government Licence v3.0 (UK): free to share with credit",
            True,
            True,
            None,
        ),
        Licence(
            "all_rights_reserved",
            "All rights reserved: quoted for information",
            False,
            True,
            300,
        ),
    )
}

_ALIASES = {
    "publicdomain": "public_domain",
    "pd": "public_domain",
    "usgovernment": "public_domain",
    "cc0": "CC0-1.0",
    "ccby": "CC-BY-4.0",
    "ccby40": "CC-BY-4.0",
    "ccbysa40": "CC-BY-SA-4.0",
    "ccbync40": "CC-BY-NC-4.0",
    "ccbyncnd40": "CC-BY-NC-ND-4.0",
    "ogl": "OGL-UK-3.0",
    "ogluk30": "OGL-UK-3.0",
    "opengovernmentlicence": "OGL-UK-3.0",
    "allrightsreserved": "all_rights_reserved",
    "copyright": "all_rights_reserved",
    "proprietary": "all_rights_reserved",
}
_ALIASES.update({re.sub(r"[^a-z0-9]", "", key.lower()): key for key in LICENCES})


def normalise_licence(value: str) -> str:
    """The canonical licence id for a spelling such as 'CC BY 4.0' or 'public domain'.

    Raises ValueError naming the accepted ids when the licence is not known.
    """
    key = re.sub(r"[^a-z0-9]", "", value.lower())
    if key in _ALIASES:
        return _ALIASES[key]
    known = ", ".join(sorted(LICENCES))
    raise ValueError(f"{value!r} is not a known licence (use one of: {known})")


def licence_name(licence: str | None) -> str | None:
    """The licence in plain words ("CC BY 4.0: free to share with credit") for a
    reader, who cannot be expected to know what `all_rights_reserved` means; an id we
    do not know (never stored: ingest refuses it) is shown as it is, None stays None.
    """
    if licence is None:
        return None
    known = LICENCES.get(licence)
    return known.name if known is not None else licence


def quote_limit(licence: str | None) -> int | None:
    """The characters of a source a licence lets us quote (None: no limit); an unknown
    licence is held to the strictest."""
    known = LICENCES.get(licence or "")
    if known is None:
        return LICENCES["all_rights_reserved"].max_quote_chars
    return known.max_quote_chars


def excerpt(text: str, licence: str | None, limit: int) -> str:
    """Text to display: at most `limit` characters, less where the licence says so.

    Cut at a word boundary with an ellipsis, so a short quotation of an
    all-rights-reserved page never exceeds what its licence allows. An unknown
    licence gets the strictest treatment.
    """
    allowed = quote_limit(licence)
    cap = min(limit, allowed) if allowed is not None else limit
    if len(text) <= cap:
        return text
    cut = text[:cap].rsplit(" ", 1)[0] if " " in text[:cap] else text[:cap]
    return cut.rstrip(" ,;:") + "…"
