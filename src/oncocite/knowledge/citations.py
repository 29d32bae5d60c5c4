"""Citations of the knowledge base against the library: where each quote stands
now, and whether every quote still stands (`oncocite knowledge check`).

A fact is only as good as the sentence it rests on. When a source is re-ingested
and the sentence changed or went, the fact no longer has support; the check finds
it, ingest warns, and the command exits 1.
"""

from __future__ import annotations

from oncocite.errors import NotFound
from oncocite.knowledge.schema import KnowledgeBase, QuoteRef, Ref, SourceRef
from oncocite.models import DocumentRecord, FactCitation, KnowledgeCheck, KnowledgeProblem
from oncocite.store.base import Store

__all__ = ["CitationResolver", "check_knowledge"]


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
            return FactCitation(
                kind="quote", doc_id=ref.doc, title="(not in this library)", quote=ref.quote
            )
        start = record.text.find(ref.quote)
        section: list[str] = []
        for passage in record.passages:
            if passage.start <= start < passage.end:
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
            quote=ref.quote,
            start=start if start >= 0 else None,
            end=start + len(ref.quote) if start >= 0 else None,
        )

    def problem(self, ref: QuoteRef) -> str | None:
        """Why a quote does not stand in its document's newest version, or None."""
        record = self.document(ref.doc)
        if record is None:
            return f"document {ref.doc} is not in this library"
        if ref.quote not in record.text:
            return (
                f"version {record.version} of {ref.doc} no longer says it: the source changed "
                "since the fact was written"
            )
        return None


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
                            quote=ref.quote,
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
                            quote=ref.quote,
                            detail=detail,
                        )
                    )
    return KnowledgeCheck(facts=facts, quotes=quotes, references=references, problems=problems)
