"""Document and passage ids: one token each, whatever the file is called.

Passage ids go into TREC runs and qrels, whose fields are separated by whitespace,
and into one-line error messages. A file called `side effects.md` would otherwise
give the passage id `side effects#1`, which `search --batch` writes and `eval`
cannot read back. So each run of whitespace or non-printable characters in an id
becomes one `_` (`side effects.md` → `side_effects`, passages `side_effects#1`, …).
"""

from __future__ import annotations

__all__ = ["safe_id"]


def safe_id(text: str) -> str:
    """text with each run of whitespace or non-printable characters replaced by `_`."""
    if text.isprintable() and not any(ch.isspace() for ch in text):
        return text or "_"
    out: list[str] = []
    in_run = False
    for ch in text:
        if ch.isspace() or not ch.isprintable():
            if not in_run:
                out.append("_")
            in_run = True
        else:
            out.append(ch)
            in_run = False
    return "".join(out)
