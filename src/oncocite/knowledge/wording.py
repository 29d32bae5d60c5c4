"""How the explorer's reasons list things in a sentence: one rule for every list."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["joined"]


def joined(names: Sequence[str], word: str = "and") -> str:
    """ "a", "a and b", "a, b and c" (or "or"); empty for no names."""
    names = list(names)
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {word} " + names[-1]
