"""Loading the knowledge base: every `data/*.yaml` of this package, merged and
validated, with errors that name the file and the field."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from oncocite.errors import OncociteError
from oncocite.knowledge.drugs import DrugVocabulary, shipped_drugs
from oncocite.knowledge.schema import KnowledgeBase
from oncocite.models.rule_files import first_problem

__all__ = ["DATA", "InvalidKnowledge", "load_knowledge", "shipped_knowledge"]

DATA = Path(__file__).with_name("data")


class InvalidKnowledge(OncociteError):
    """A knowledge base file that does not follow the schema."""


def _read(path: Path) -> KnowledgeBase:
    try:
        raw: Any = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InvalidKnowledge(f"{path.name}: cannot be read as YAML ({exc})") from None
    try:
        return KnowledgeBase.model_validate(raw)
    except ValidationError as exc:
        raise InvalidKnowledge(f"{path.name}: {first_problem(exc)}") from None


def load_knowledge(
    paths: list[Path] | None = None, vocabulary: DrugVocabulary | None = None
) -> KnowledgeBase:
    """The knowledge base of these files (default: the shipped ones), merged, with
    every drug it names checked against the one drug vocabulary."""
    files = sorted(DATA.glob("*.yaml")) if paths is None else paths
    sources: dict[str, Any] = {}
    options: list[Any] = []
    classes: list[Any] = []
    for path in files:
        part = _read(path)
        for key, source in part.sources.items():
            if key in sources and sources[key] != source:
                raise InvalidKnowledge(f"{path.name}: source {key!r} differs from another file")
            sources[key] = source
        options.extend(part.options)
        classes.extend(part.drug_classes)
    try:
        merged = KnowledgeBase(sources=sources, drug_classes=classes, options=options)
    except ValidationError as exc:
        raise InvalidKnowledge(f"knowledge base: {exc.errors()[0]['msg']}") from None
    _check_drugs(merged, shipped_drugs() if vocabulary is None else vocabulary)
    return merged


def _check_drugs(knowledge: KnowledgeBase, vocabulary: DrugVocabulary) -> None:
    """Every drug the knowledge base names is a generic name of the drug vocabulary,
    and every class a criterion names exists: one list of names, not two."""
    classes = {c.id for c in knowledge.drug_classes}
    for drug_class in knowledge.drug_classes:
        for drug in drug_class.drugs:
            if not vocabulary.is_generic(drug):
                raise InvalidKnowledge(
                    f"drug class {drug_class.id}: {drug!r} is not a generic name of "
                    f"{vocabulary.where}"
                )
        if drug_class.term is not None and not vocabulary.is_term(drug_class.term):
            raise InvalidKnowledge(
                f"drug class {drug_class.id}: term {drug_class.term!r} is not in {vocabulary.where}"
            )
    for option in knowledge.options:
        for drug in option.drugs:
            if not vocabulary.is_generic(drug):
                raise InvalidKnowledge(
                    f"option {option.id}: drug {drug!r} is not a generic name of {vocabulary.where}"
                )
        for use in option.uses:
            for rule in _rules(use.criteria):
                if rule not in classes and not vocabulary.is_generic(rule):
                    raise InvalidKnowledge(
                        f"option {option.id}, use {use.id}: history names {rule!r}, neither a "
                        f"drug class nor a generic name of {vocabulary.where}"
                    )


def _rules(criteria: Any) -> list[str]:
    names = [rule.of for rule in criteria.history] + [p.drug for p in criteria.prior_drugs]
    for inner in criteria.any_of:
        names += _rules(inner)
    return names


@lru_cache(maxsize=1)
def shipped_knowledge() -> KnowledgeBase:
    """The knowledge base that ships with oncocite, loaded once."""
    return load_knowledge()
