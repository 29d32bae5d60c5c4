"""Safety triage: the first thing done with a question, before anything is searched.

Urgent symptoms get a fixed message to call the care team's 24-hour line or emergency
services, and no answer; thoughts of self-harm get that and a crisis line; personal
dosing or treatment decisions get a refusal that explains why (general cited
information may follow); obvious non-health requests are declined. The rules are data
(`triage.yaml`), validated here, so clinicians can review them without reading Python.

Only the question is read: documents never reach triage, so text inside a document
("ignore previous instructions...") cannot change it. Matching works on words after
spelling repair (UK/US spellings, a reviewed misspelling list, a bounded fuzzy match),
stemming (plurals, tenses) and the patient vocabulary (brand names -> generic drugs).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import Stemmer
import yaml
from pydantic import ValidationError
from rapidfuzz import process
from rapidfuzz.distance import OSA

from oncocite.answers.triage_schema import Rule, TriageFile, describe_error
from oncocite.errors import InvalidQuery
from oncocite.models.answers import Abstention, Safety, SafetyCategory
from oncocite.search.lru import MAX_KEY_CHARS, LruCache
from oncocite.search.vocabulary import Vocabulary

__all__ = ["TriageDecision", "TriageRules", "triage"]

PRIORITY: dict[str, int] = {"self_harm": 0, "urgent": 1, "dosing": 2, "out_of_scope": 3}
MAX_GAP = 3  # words a "..." in a phrase may stand for
_APOSTROPHES = re.compile(r"['’‘`´]")
# terminal escapes ("\x1b[31m") and other control characters: never part of a word
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e]")
_LETTERS = re.compile(r"[a-z]+")
_TOKEN = re.compile(r"[a-z0-9]+")


# ----------------------------------------------------------------- the decision
@dataclass(frozen=True)
class TriageDecision:
    """What triage decided: the category, the rule that fired and the fixed message."""

    category: SafetyCategory
    rule: str
    message: str
    allow_general_information: bool

    @property
    def abstains(self) -> bool:
        """No answer follows (urgent, self-harm, out of scope); a dosing refusal may be
        followed by general cited information."""
        return not self.allow_general_information

    def to_safety(self) -> Safety:
        """The public `safety` field of an answer."""
        return Safety(category=self.category, message=self.message, rule=self.rule)

    def to_abstention(self) -> Abstention | None:
        """The public `abstention` when no answer follows, else None."""
        if not self.abstains:
            return None
        reason = "out_of_scope" if self.category == "out_of_scope" else "triage"
        return Abstention(reason=reason, detail=f"safety triage ({self.category}): {self.rule}")


# ----------------------------------------------------------------- compiled rules
Part = tuple[str, str]  # ("stem" | "exact" | "gap", value)


@dataclass(frozen=True)
class _Group:
    """One list of items: phrase ids, regular expressions, drugs."""

    phrases: frozenset[int]
    patterns: tuple[re.Pattern[str], ...]
    drugs: frozenset[str]
    any_term: bool


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    message: str
    groups: tuple[_Group, ...]
    none: _Group | None


class _Reading:
    """A question as the rules see it; drugs are looked up only when a rule asks."""

    def __init__(
        self,
        text: str,
        tokens: list[str],
        hits: dict[int, list[tuple[int, bool]]],
        vocabulary: Vocabulary,
        general: bool,
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.hits = hits  # phrase id -> [(start, negated)]
        self.general = general
        self._vocabulary = vocabulary
        self._drugs: frozenset[str] | None = None

    @property
    def drugs(self) -> frozenset[str]:
        """Canonical names of every vocabulary term in the question."""
        if self._drugs is None:
            found = self._vocabulary.find(" ".join(self.tokens))
            self._drugs = frozenset(m.canonical for m in found)
        return self._drugs


class TriageRules:
    """Validated, compiled rules; `decide` triages one question."""

    def __init__(self, data: TriageFile, where: str = "triage.yaml") -> None:
        self.data = data
        self._where = where
        self._vocabulary = Vocabulary.load()
        self._stemmer = Stemmer.Stemmer("english")
        self._stem_lock = threading.Lock()  # a PyStemmer object is not thread-safe
        self._spelling = _spelling_map(data.spellings, where)
        self._rewrites = [
            (re.compile(r"\b" + r"[\W_]+".join(map(re.escape, k.split())) + r"\b"), v)
            for k, v in sorted(data.rewrites.items(), key=lambda kv: -len(kv[0]))
        ]
        self._phrases: list[tuple[Part, ...]] = []
        self._phrase_ids: dict[tuple[Part, ...], int] = {}
        self._index: dict[Part, list[int]] = {}
        self._plain: list[tuple[str, ...] | None] = []  # stems of a phrase with no gap
        neg = data.negation
        self._negators = frozenset(self._norm_word(w) for w in neg.negators)
        self._fillers = frozenset(self._norm_word(w) for w in neg.fillers)
        info = data.information_questions
        self._frames = self._phrase_set(info.frames, "information_questions.frames")
        self._personal = self._phrase_set(info.personal, "information_questions.personal")
        self._coping = self._phrase_set(info.coping, "information_questions.coping")
        self._acute = self._phrase_set(info.acute, "information_questions.acute")
        self._rules = self._compile_rules(data)
        self._fuzzy_targets, self._known = self._fuzzy_tables(data)
        self._fuzzy_cache: dict[str, str] = {}

    # ------------------------------------------------------------- loading
    @classmethod
    def load(cls, path: Path | None = None) -> TriageRules:
        """The shipped rules (cached), or rules read from `path`."""
        if path is None:
            return _shipped()
        return cls.from_yaml(path.read_text(encoding="utf-8"), path.name)

    @classmethod
    def from_yaml(cls, text: str, where: str = "triage.yaml") -> TriageRules:
        """Rules from YAML text; a bad file raises InvalidQuery naming rule and field."""
        try:
            raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as exc:
            raise InvalidQuery(f"{where}: not valid YAML ({exc})") from None
        try:
            data = TriageFile.model_validate(raw)
        except ValidationError as exc:
            raise InvalidQuery(f"{where}: {describe_error(exc, raw)}") from None
        return cls(data, where)

    def _bad(self, rule: str | None, field: str, problem: str) -> InvalidQuery:
        place = f"rule {rule!r}: {field}" if rule else field
        return InvalidQuery(f"{self._where}: {place}: {problem}")

    def _compile_rules(self, data: TriageFile) -> list[_Compiled]:
        seen: set[str] = set()
        compiled: list[_Compiled] = []
        for rule in data.rules:
            if rule.id in seen:
                raise self._bad(rule.id, "id", "is used by an earlier rule too")
            seen.add(rule.id)
            if rule.message not in data.messages:
                known = ", ".join(sorted(data.messages))
                raise self._bad(
                    rule.id, "message", f"{rule.message!r} is not one of messages ({known})"
                )
            fields = [("any", rule.any)] if rule.any else []
            fields += [(f"all[{i}]", group) for i, group in enumerate(rule.all)]
            groups = tuple(self._group(items, rule.id, f) for f, items in fields)
            none = self._group(rule.none, rule.id, "none") if rule.none else None
            compiled.append(_Compiled(rule, data.messages[rule.message].strip(), groups, none))
        compiled.sort(key=lambda c: PRIORITY[c.rule.category])  # stable: file order kept
        return compiled

    def _group(self, items: Iterable[str], rule: str, field: str) -> _Group:
        phrases: set[int] = set()
        patterns: list[re.Pattern[str]] = []
        drugs: set[str] = set()
        any_term = False
        for item in self._expand(items, rule, field, ()):
            if item.startswith("re:"):
                try:
                    patterns.append(re.compile(item[3:]))
                except re.error as exc:
                    raise self._bad(
                        rule, field, f"{item!r} is not a valid pattern ({exc})"
                    ) from None
            elif item.startswith("drug:"):
                name = item[5:].strip()
                if name == "any":
                    any_term = True
                    continue
                canonical = self._vocabulary.canonical(name)
                if canonical is None:
                    raise self._bad(
                        rule, field, f"{name!r} is not in the patient vocabulary (vocabulary.yaml)"
                    )
                drugs.add(canonical)
            else:
                phrases.add(self._phrase(item, rule, field))
        return _Group(frozenset(phrases), tuple(patterns), frozenset(drugs), any_term)

    def _expand(
        self, items: Iterable[str], rule: str, field: str, chain: tuple[str, ...]
    ) -> Iterable[str]:
        for item in items:
            if not item.startswith("$"):
                yield item
                continue
            name = item[1:]
            if name not in self.data.terms:
                raise self._bad(rule, field, f"{item!r} names no list under terms")
            if name in chain:
                raise self._bad(rule, field, f"terms {name!r} includes itself")
            yield from self._expand(self.data.terms[name], rule, field, (*chain, name))

    def _phrase(self, text: str, rule: str | None, field: str) -> int:
        parts: list[Part] = []
        for piece in self._rewrite(_lower(text)).split():
            if piece == "...":
                parts.append(("gap", str(MAX_GAP)))
                continue
            exact = piece.startswith("=")
            for word in _TOKEN.findall(piece):
                word = self._spelling.get(word, word)
                parts.append(("exact", word) if exact else ("stem", self._stemmer.stemWord(word)))
        words = [p for p in parts if p[0] != "gap"]
        if not words or parts[0][0] == "gap" or parts[-1][0] == "gap":
            raise self._bad(rule, field, f"{text!r} must start and end with a word")
        key = tuple(parts)
        if key not in self._phrase_ids:
            self._phrase_ids[key] = len(self._phrases)
            self._phrases.append(key)
            plain = all(kind == "stem" for kind, _ in key)
            self._plain.append(tuple(value for _, value in key) if plain else None)
            self._index.setdefault(key[0], []).append(self._phrase_ids[key])
        return self._phrase_ids[key]

    def _phrase_set(self, items: list[str], field: str) -> frozenset[int]:
        return frozenset(self._phrase(item, None, field) for item in items)

    def _norm_word(self, word: str) -> str:
        lowered = _lower(word).replace(" ", "")
        return self._spelling.get(lowered, lowered)

    def _fuzzy_tables(self, data: TriageFile) -> tuple[list[str], frozenset[str]]:
        """Fuzzy targets (rule words and drug names) and the words never corrected."""
        targets = {self._spelling.get(w, w) for w in map(_lower, data.fuzzy.words)}
        for entry in self._vocabulary.entries:
            if entry.kind == "generic":
                for surface in [entry.canonical, *entry.aliases]:
                    targets.update(w for w in _TOKEN.findall(_lower(surface)) if w.isalpha())
        known = set(targets) | set(self._spelling) | set(self._spelling.values())
        known |= {_lower(w) for w in data.fuzzy.exclude}
        info = data.information_questions
        lists: list[list[str]] = [*data.terms.values(), info.frames, info.personal]
        lists += [info.coping, info.acute, data.negation.negators, data.negation.fillers]
        for rule in data.rules:
            lists += [rule.none, *rule.groups]
        for items in lists:
            for item in items:
                if not item.startswith(("re:", "drug:", "$")):
                    known.update(_TOKEN.findall(_lower(item)))
        return sorted(targets), frozenset(known)

    # ------------------------------------------------------------- reading a question
    def _rewrite(self, text: str) -> str:
        for pattern, replacement in self._rewrites:
            text = pattern.sub(replacement, text)
        return text

    def correct(self, word: str) -> str:
        """A word in the spelling rules are written with: listed forms first, then the
        nearest fuzzy target within 1 edit (2 for long words), same first letter."""
        mapped = self._spelling.get(word)
        if mapped is not None:
            return mapped
        if word in self._known or len(word) < self.data.fuzzy.min_length:
            return word
        cached = self._fuzzy_cache.get(word)
        if cached is None:
            if len(self._fuzzy_cache) > 20_000:  # a bound for a long-running server
                self._fuzzy_cache.clear()
            limit = 2 if len(word) >= self.data.fuzzy.two_edits_from else 1
            cached = self._fuzzy_cache[word] = _fuzzy(self._fuzzy_targets, word, limit)
        return cached

    def _read(self, question: str) -> _Reading:
        text = self._rewrite(_lower(question))
        text = _LETTERS.sub(lambda m: self.correct(m.group()), text)
        tokens = _TOKEN.findall(text)
        with self._stem_lock:
            stems: list[str] = self._stemmer.stemWords(tokens)
        hits: dict[int, list[tuple[int, bool]]] = {}
        index, plain, phrases = self._index, self._plain, self._phrases
        for i in range(len(tokens)):
            for key in (("stem", stems[i]), ("exact", tokens[i])):
                for pid in index.get(key, ()):
                    simple = plain[pid]
                    if (
                        tuple(stems[i : i + len(simple)]) == simple
                        if simple is not None
                        else _match(phrases[pid], 1, tokens, stems, i + 1)
                    ):
                        hits.setdefault(pid, []).append((i, self._negated(tokens, i)))
        present = hits.keys()

        def has(ids: frozenset[int]) -> bool:
            return not ids.isdisjoint(present)

        general = (has(self._frames) and not has(self._personal)) or (
            has(self._coping) and not has(self._acute)
        )
        return _Reading(text, tokens, hits, self._vocabulary, general)

    def _negated(self, tokens: Sequence[str], start: int) -> bool:
        j, skipped = start - 1, 0
        while j >= 0 and tokens[j] in self._fillers and skipped < self.data.negation.window:
            j, skipped = j - 1, skipped + 1
        return j >= 0 and tokens[j] in self._negators

    # ------------------------------------------------------------- deciding
    def decide(self, question: str) -> TriageDecision | None:
        """The first rule (self-harm, then urgent, dosing, out of scope) that fires."""
        reading = self._read(question)
        for compiled in self._rules:
            rule = compiled.rule
            if rule.information_questions == "answer" and reading.general:
                continue
            spans: list[list[int]] = []
            for group in compiled.groups:
                found = _positions(group, reading, rule.negation)
                if not found:
                    break
                spans.append(found)
            if len(spans) < len(compiled.groups):
                continue
            if compiled.none is not None and _positions(compiled.none, reading, False):
                continue
            if rule.within is not None and not _close(spans, rule.within):
                continue
            return TriageDecision(
                category=rule.category,
                rule=rule.id,
                message=compiled.message,
                allow_general_information=rule.allow_general_information,
            )
        return None


# ----------------------------------------------------------------- helpers
def _lower(text: str) -> str:
    text = _CONTROL.sub(" ", unicodedata.normalize("NFKC", text))
    return _APOSTROPHES.sub("", text.lower())


def _spelling_map(spellings: dict[str, list[str]], where: str) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for canonical, variants in spellings.items():
        for variant in variants:
            key = _lower(variant)
            if key == canonical:
                raise InvalidQuery(f"{where}: spellings.{canonical}: lists itself")
            if key in mapping and mapping[key] != canonical:
                raise InvalidQuery(
                    f"{where}: spellings.{canonical}: {variant!r} is also a spelling of "
                    f"{mapping[key]!r}"
                )
            mapping[key] = _lower(canonical)
    return mapping


def _fuzzy(targets: list[str], word: str, limit: int) -> str:
    best = process.extractOne(word, targets, scorer=OSA.distance, score_cutoff=limit)
    if best is None or best[0][0] != word[0]:
        return word
    return str(best[0])


def _match(
    parts: Sequence[Part], k: int, tokens: Sequence[str], stems: Sequence[str], i: int
) -> bool:
    if k == len(parts):
        return True
    kind, value = parts[k]
    if kind == "gap":
        return any(_match(parts, k + 1, tokens, stems, i + skip) for skip in range(int(value) + 1))
    if i >= len(tokens):
        return False
    word = stems[i] if kind == "stem" else tokens[i]
    return word == value and _match(parts, k + 1, tokens, stems, i + 1)


def _positions(group: _Group, reading: _Reading, negation: bool) -> list[int]:
    """Where the group's items stand; -1 for items with no position (patterns, drugs)."""
    found = [
        start
        for pid in group.phrases
        for start, negated in reading.hits.get(pid, ())
        if not (negation and negated)
    ]
    if any(p.search(reading.text) for p in group.patterns):
        found.append(-1)
    if (group.drugs or group.any_term) and (
        not group.drugs.isdisjoint(reading.drugs) or (group.any_term and bool(reading.drugs))
    ):
        found.append(-1)
    return found


def _close(spans: list[list[int]], within: int) -> bool:
    """Whether one position from every group fits in `within` words (-1 fits anywhere)."""
    placed = [[p for p in s if p >= 0] for s in spans]
    anchors = sorted({p for s in placed for p in s})
    if not anchors:
        return True
    for anchor in anchors:
        if all(
            -1 in s or any(anchor <= p <= anchor + within for p in ps)
            for s, ps in zip(spans, placed, strict=True)
        ):
            return True
    return False


@lru_cache(maxsize=1)
def _shipped() -> TriageRules:
    text = resources.files("oncocite.answers").joinpath("triage.yaml").read_text("utf-8")
    return TriageRules.from_yaml(text, "triage.yaml")


# Decisions of recent questions: the shipped rules never change in a process, and a
# decision is a frozen value, so a question asked again is decided once.
_DECIDED: LruCache[str, tuple[TriageDecision | None]] = LruCache(4096)


def triage(question: str) -> TriageDecision | None:
    """Triage one question with the shipped rules: a decision, or None to go on."""
    if len(question) > MAX_KEY_CHARS:
        return _shipped().decide(question)
    cached = _DECIDED.get(question)
    if cached is None:
        cached = (_shipped().decide(question),)
        _DECIDED.put(question, cached)
    return cached[0]
