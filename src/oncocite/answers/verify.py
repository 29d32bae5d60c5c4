"""Re-checking a saved answer against the library: are its quotes still there?

A patient or a nurse may keep an answer and come back to it. Each citation names a
document version and offsets: the quote must stand exactly there, and the check
also says whether the document has a newer version that changed or removed it.
"""

from __future__ import annotations

from oncocite.models import Answer, QuoteCheck, Verification
from oncocite.store.base import Store

__all__ = ["verify_answer"]


def verify_answer(store: Store, answer: Answer) -> Verification:
    """Every citation of `answer` checked against the stored versions."""
    checks: list[QuoteCheck] = []
    for citation in answer.citations:
        cited = store.version_text(citation.doc_id, citation.version)
        found = cited is not None and cited[citation.start : citation.end] == citation.quote
        head = store.document_head(citation.doc_id)
        in_current: bool | None = None
        if head is not None:
            newest = cited if head.version == citation.version else None
            if newest is None:
                newest = store.version_text(citation.doc_id, head.version)
            in_current = newest is not None and citation.quote in newest
        if cited is None:
            detail = f"version {citation.version} of {citation.doc_id} is not in this library"
        elif not found:
            detail = f"the quote is not at offsets {citation.start}-{citation.end} of version "
            detail += f"{citation.version}"
        elif head is None or in_current is None:
            detail = "found in the cited version; the document is no longer in the library"
        elif head.version == citation.version:
            detail = "found in the cited version, which is the newest"
        elif in_current:
            detail = f"found; the newest version ({head.version}) still says it"
        else:
            detail = f"found; but the newest version ({head.version}) no longer says it"
        checks.append(
            QuoteCheck(
                n=citation.n,
                doc_id=citation.doc_id,
                version=citation.version,
                found=found,
                current_version=None if head is None else head.version,
                in_current=in_current,
                detail=detail,
            )
        )
    valid = all(c.found for c in checks)
    return Verification(
        valid=valid, current=valid and all(c.in_current for c in checks), checks=checks
    )
