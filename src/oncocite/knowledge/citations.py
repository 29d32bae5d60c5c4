"""Citations of the knowledge base against the library: where each quote stands
now, and whether every quote still stands (`oncocite knowledge check`).

A fact is only as good as the sentence it rests on. When a source is re-ingested
and the sentence changed or went, the fact no longer has support; the check finds
it, ingest warns, and the command exits 1.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from oncocite.errors import NotFound
from oncocite.knowledge.schema import KnowledgeBase, QuoteRef, Ref, SourceRef
from oncocite.models import DocumentRecord, FactCitation, KnowledgeCheck, KnowledgeProblem
from oncocite.store.base import Store

__all__ = ["CitationResolver", "check_knowledge", "cite", "digest", "locate"]


class CitationResolver:
    """Turns a knowledge-base citation into a citation a reader can follow."""

    def __init__(self, store: Store, knowledge: KnowledgeBase) -> None:
        self.store = store
        self.knowledge = knowledge
        self._documents: dict[str, DocumentRecord | None] = {}

    def document(self, doc_id: str) -> DocumentRecord | None:
        if doc_id not in self._documents:
            try:
                self._documents[doc_id] = self.store.get_document(doc_id)
            except NotFound:
                self._documents[doc_id] = None
        return self._documents[doc_id]

    def __call__(self, ref: Ref) -> FactCitation:
        if isinstance(ref, SourceRef):
            source = self.knowledge.sources[ref.source]
            return FactCitation(
                kind="reference",
                title=source.title,
                source=source.publisher,
                url=source.url,
                date=source.date,
            )
        record = self.document(ref.doc)
        if record is None:
            # the sentence is read from the stored document only: none to show
            return FactCitation(kind="quote", doc_id=ref.doc, title="(not in this library)")
        start = locate(record.text, ref)
        section: list[str] = []
        for passage in record.passages:
            if start is not None and passage.start <= start < passage.end:
                section = passage.heading_path
        meta = record.metadata
        return FactCitation(
            kind="quote",
            doc_id=ref.doc,
            version=record.version,
            section=section,
            title=meta.title or ref.doc,
            source=meta.source,
            url=meta.url,
            date=meta.last_reviewed,
            quote=None if start is None else record.text[start : start + ref.chars],
            start=start,
            end=None if start is None else start + ref.chars,
        )

    def words(self, ref: QuoteRef) -> str:
        """The cited sentence as the library last held it (the newest stored version
        that still says it), else where it was meant to stand."""
        record = self.document(ref.doc)
        if record is not None:
            for version in range(record.version, 0, -1):
                text = (
                    record.text
                    if version == record.version
                    else self.store.version_text(ref.doc, version)
                )
                start = None if text is None else locate(text, ref)
                if text is not None and start is not None:
                    return text[start : start + ref.chars]
        return described(ref)

    def problem(self, ref: QuoteRef) -> str | None:
        """Why a quote does not stand in its document's newest version, or None."""
        record = self.document(ref.doc)
        if record is None:
            return f"document {ref.doc} is not in this library"
        if locate(record.text, ref) is None:
            return (
                f"version {record.version} of {ref.doc} no longer says it: the source changed "
                "since the fact was written"
            )
        return None


def digest(quote: str) -> str:
    """The `sha` a QuoteRef keeps of its sentence."""
    return hashlib.sha256(quote.encode("utf-8")).hexdigest()[:16]


def cite(text: str, doc: str, quote: str) -> QuoteRef:
    """The reference to `quote` in a document's stored `text`, to write into the
    knowledge file (`oncocite show DOC --json` gives the text)."""
    at = text.find(quote)
    if at < 0:
        raise ValueError(f"{doc} does not say {quote!r}")
    return QuoteRef(doc=doc, at=at, chars=len(quote), sha=digest(quote))


@lru_cache(maxsize=1024)  # a moved or missing sentence is looked for once per text
def locate(text: str, ref: QuoteRef) -> int | None:
    """Where the cited sentence stands in `text`: at its offsets, or, when the text
    around it moved, wherever words with its digest stand; None when it is gone."""
    if digest(text[ref.at : ref.at + ref.chars]) == ref.sha:
        return ref.at
    for start in range(len(text) - ref.chars + 1):
        if digest(text[start : start + ref.chars]) == ref.sha:
            return start
    return None


def described(ref: QuoteRef) -> str:
    """A citation named without its words (the check reports sentences gone)."""
    return f"{ref.chars} characters at {ref.at} (sha {ref.sha})"


def check_knowledge(
    store: Store, knowledge: KnowledgeBase, documents: set[str] | None = None
) -> KnowledgeCheck:
    """Every quote of the knowledge base (or those of `documents`) against the library."""
    resolver = CitationResolver(store, knowledge)
    problems: list[KnowledgeProblem] = []
    facts = quotes = references = 0
    for drug_class in knowledge.drug_classes:  # the classes line criteria name
        facts += 1
        for ref in drug_class.cite:
            if isinstance(ref, SourceRef):
                references += 1
            elif documents is None or ref.doc in documents:
                quotes += 1
                detail = resolver.problem(ref)
                if detail is not None:
                    problems.append(
                        KnowledgeProblem(
                            option=f"class {drug_class.id}",
                            fact=drug_class.words,
                            doc_id=ref.doc,
                            quote=resolver.words(ref),
                            detail=detail,
                        )
                    )
    for option in knowledge.options:
        cited = [(f"about: {fact.text[:60]}", fact.cite) for fact in option.about]
        cited += [(f"use {use.id}: {use.summary[:60]}", use.cite) for use in option.uses]
        if option.not_an_option is not None:
            cited.append(("not an option", option.not_an_option.cite))
        for fact, refs in cited:
            facts += 1
            for ref in refs:
                if isinstance(ref, SourceRef):
                    references += 1
                    continue
                if documents is not None and ref.doc not in documents:
                    continue
                quotes += 1
                detail = resolver.problem(ref)
                if detail is not None:
                    problems.append(
                        KnowledgeProblem(
                            option=option.id,
                            fact=fact,
                            doc_id=ref.doc,
                            quote=resolver.words(ref),
                            detail=detail,
                        )
                    )
    return KnowledgeCheck(facts=facts, quotes=quotes, references=references, problems=problems)
