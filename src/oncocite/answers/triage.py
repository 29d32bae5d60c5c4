"""Safety triage: the first thing done with a question, before anything is searched.

Urgent symptoms get a fixed message to call the care team's 24-hour line or emergency
services, and no answer; thoughts of self-harm get that and a crisis line; personal
dosing or treatment decisions get a refusal that explains why (general cited
information may follow); obvious non-health requests are declined. The rules are data
(`triage.yaml`), validated here, so clinicians can review them without reading Python.

Only the question is read: documents never reach triage, so text inside a document
("ignore previous instructions...") cannot change it. Matching works on words after
spelling repair (UK/US spellings, a reviewed misspelling list, a bounded fuzzy match),
softening hedges dropped ("a bit", "kind of"), irregular forms put in one form
("swollen" -> "swell", "bled" -> "bleed"), stemming (plurals, tenses) and the patient
vocabulary (brand names -> generic drugs). A phrase never reaches across sentences;
a negation ("no", "isn't") negates the phrase after it, or one it stands inside
("my skin isn't yellow"), and a symptom told as over in the past ("I had a fever last
month and it went away") does not fire urgent rules.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from oncocite.answers.triage_schema import Rule, TriageFile
from oncocite.errors import InvalidQuery
from oncocite.models.answers import Abstention, Safety, SafetyCategory
from oncocite.models.rule_files import parse_rule_file, repeated_id
from oncocite.search.lru import MAX_KEY_CHARS, LruCache
from oncocite.search.vocabulary import Vocabulary

__all__ = ["TriageDecision", "TriageRules", "self_harm_response", "triage"]

PRIORITY: dict[str, int] = {"self_harm": 0, "urgent": 1, "dosing": 2, "out_of_scope": 3}
MAX_GAP = 3  # words a "..." in a phrase may stand for
_APOSTROPHES = re.compile(r"['’‘`´]")
# terminal escapes ("\x1b[31m") and other control characters: never part of a word
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e]")
_LETTERS = re.compile(r"[a-z]+")
_TOKEN = re.compile(r"[a-z0-9]+")
# where a sentence ends: ! ? ; a line break, or a full stop that is not a decimal point
_BOUNDARY = re.compile(r"[!?;\n]|\.(?!\d)")


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
        if self.category == "out_of_scope":
            return Abstention(
                reason="out_of_scope",
                detail="this question is not about breast cancer or its treatment, which is "
                "all this service answers",
                next_step="For other health questions, your GP or NHS 111 (UK), or your "
                "doctor (US), can help.",
            )
        return Abstention(
            reason="triage",
            detail="this needs a person rather than a library: see the message above",
            next_step="Contact your cancer care team, as the message above says.",
        )


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


@dataclass(frozen=True)
class _Hit:
    """Where a phrase stands: its first word, its sentence, and whether it is negated
    ("no fever") or in a sentence that tells of a past event that is over ("had a
    fever last month, it went away")."""

    start: int
    sentence: int
    negated: bool
    resolved: bool


class _Reading:
    """A question as the rules see it; drugs are looked up only when a rule asks."""

    def __init__(
        self,
        text: str,
        tokens: list[str],
        hits: dict[int, list[_Hit]],
        vocabulary: Vocabulary,
        general: bool,
        sentence_at: Sequence[int],
        resolved: frozenset[int],
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.hits = hits  # phrase id -> where it stands
        self.general = general
        self.sentence_at = sentence_at  # where sentences end (character offsets)
        self.resolved = resolved  # sentences that tell of a past event that is over
        self._vocabulary = vocabulary
        self._drugs: frozenset[str] | None = None

    def sentence_of(self, offset: int) -> int:
        """The sentence a character of `text` is in."""
        return bisect_right(self.sentence_at, offset)

    @property
    def drugs(self) -> frozenset[str]:
        """Canonical names of every vocabulary term in the question."""
        if self._drugs is None:
            found = self._vocabulary.find(" ".join(self.tokens))
            self._drugs = frozenset(m.canonical for m in found) - self._vocabulary.not_treatments
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
        self._inflections = _spelling_map(data.inflections, where, "inflections")
        self._rewrites = [
            (re.compile(r"\b" + r"[\W_]+".join(map(re.escape, k.split())) + r"\b"), v)
            for k, v in sorted(data.rewrites.items(), key=lambda kv: -len(kv[0]))
        ]
        if data.hedges:  # dropped, longest first ("a bit of" before "a bit")
            hedges = sorted({_lower(h).strip() for h in data.hedges}, key=lambda h: -len(h))
            words = "|".join(r"[\W_]+".join(map(re.escape, h.split())) for h in hedges)
            # with the space after it, so that what is left reads as written ("im
            # confused.", which the patterns of the writer's own bewilderment match)
            self._rewrites.append((re.compile(rf"\b(?:{words})\b[ \t]*"), ""))
        self._phrases: list[tuple[Part, ...]] = []
        self._phrase_ids: dict[tuple[Part, ...], int] = {}
        self._index: dict[Part, list[int]] = {}
        self._plain: list[tuple[str, ...] | None] = []  # stems of a phrase with no gap
        self._literal: list[frozenset[str]] = []  # the words a phrase itself is made of
        neg = data.negation
        self._negators = frozenset(self._norm_word(w) for w in neg.negators)
        self._fillers = frozenset(self._norm_word(w) for w in neg.fillers)
        info = data.information_questions
        self._frames = self._phrase_set(info.frames, "information_questions.frames")
        self._personal = self._phrase_set(info.personal, "information_questions.personal")
        self._coping = self._phrase_set(info.coping, "information_questions.coping")
        self._acute = self._phrase_set(info.acute, "information_questions.acute")
        self._framing = self._frames | self._coping
        past = data.past_events
        self._past = self._phrase_set(past.when, "past_events.when")
        self._over = self._phrase_set(past.over, "past_events.over")
        self._present = self._phrase_set(past.present, "past_events.present")
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
        return cls(parse_rule_file(text, where, TriageFile), where)

    def _bad(self, rule: str | None, field: str, problem: str) -> InvalidQuery:
        place = f"rule {rule!r}: {field}" if rule else field
        return InvalidQuery(f"{self._where}: {place}: {problem}")

    def _compile_rules(self, data: TriageFile) -> list[_Compiled]:
        repeated = repeated_id(rule.id for rule in data.rules)
        if repeated is not None:
            raise self._bad(repeated, "id", "is used by an earlier rule too")
        compiled: list[_Compiled] = []
        for rule in data.rules:
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
                if exact:
                    parts.append(("exact", word))
                else:
                    base = self._inflections.get(word, word)
                    parts.append(("stem", self._stemmer.stemWord(base)))
        words = [p for p in parts if p[0] != "gap"]
        if not words or parts[0][0] == "gap" or parts[-1][0] == "gap":
            raise self._bad(rule, field, f"{text!r} must start and end with a word")
        key = tuple(parts)
        if key not in self._phrase_ids:
            self._phrase_ids[key] = len(self._phrases)
            self._phrases.append(key)
            plain = all(kind == "stem" for kind, _ in key)
            self._plain.append(tuple(value for _, value in key) if plain else None)
            self._literal.append(frozenset(_TOKEN.findall(self._rewrite(_lower(text)))))
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
        lists += [info.coping, info.acute]
        lists += [data.negation.negators, data.negation.fillers, data.hedges]
        lists += [data.past_events.when, data.past_events.over, data.past_events.present]
        lists += [list(data.inflections), *data.inflections.values()]
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
        found = list(_TOKEN.finditer(text))
        tokens = [m.group() for m in found]
        ends = [m.end() for m in _BOUNDARY.finditer(text)]
        sentence = [bisect_right(ends, m.start()) for m in found]
        inflections = self._inflections
        with self._stem_lock:
            stems: list[str] = self._stemmer.stemWords([inflections.get(t, t) for t in tokens])
        spans: dict[int, list[tuple[int, int]]] = {}
        index, plain, phrases = self._index, self._plain, self._phrases
        for i in range(len(tokens)):
            for key in (("stem", stems[i]), ("exact", tokens[i])):
                for pid in index.get(key, ()):
                    simple = plain[pid]
                    if simple is not None:
                        end = i + len(simple) if tuple(stems[i : i + len(simple)]) == simple else -1
                    else:
                        end = _match(phrases[pid], 1, tokens, stems, i + 1)
                    if end > 0 and sentence[end - 1] == sentence[i]:  # never across sentences
                        spans.setdefault(pid, []).append((i, end))
        negated = self._negations(spans, tokens, sentence)
        present = spans.keys()

        def has(ids: frozenset[int]) -> bool:
            return not ids.isdisjoint(present)

        def where(ids: frozenset[int]) -> list[tuple[int, int]]:
            return [span for pid in ids if pid in spans for span in spans[pid]]

        # the words a frame is made of are not personal or acute ("me" in "tell me
        # about"); words its gap stands for are ("this" in "is this a side effect")
        covered = {
            i
            for pid, found_spans in spans.items()
            if pid in self._framing
            for a, b in found_spans
            for i in range(a, b)
            if tokens[i] in self._literal[pid]
        }

        def says(ids: frozenset[int]) -> bool:
            return any(a not in covered for a, _ in where(ids))

        general = (has(self._frames) and not says(self._personal)) or (
            has(self._coping) and not says(self._acute)
        )
        resolved: frozenset[int] = frozenset()
        if has(self._past) and has(self._over) and not has(self._present):
            resolved = frozenset(sentence[a] for a, _ in where(self._past))
        hits = {
            pid: [
                _Hit(a, sentence[a], (pid, a) in negated, sentence[a] in resolved)
                for a, _ in found_spans
            ]
            for pid, found_spans in spans.items()
        }
        return _Reading(text, tokens, hits, self._vocabulary, general, ends, resolved)

    def _negations(
        self,
        spans: dict[int, list[tuple[int, int]]],
        tokens: Sequence[str],
        sentence: Sequence[int],
    ) -> set[tuple[int, int]]:
        """(phrase, start) of every negated hit: a negator just before it (fillers
        between, same sentence), a negator inside it that is not one of its own words
        ("skin isn't yellow" read by "skin ... yellow"), or inside a negated phrase
        ("breath" in "not short of breath")."""
        negators = self._negators
        negated: set[tuple[int, int]] = set()
        for pid, found in spans.items():
            literal = self._literal[pid]
            for a, b in found:
                inside = any(
                    tokens[j] in negators and tokens[j] not in literal for j in range(a + 1, b)
                )
                if inside or self._negated(tokens, sentence, a):
                    negated.add((pid, a))
        if negated:
            cover = [
                (a, b) for pid, found in spans.items() for a, b in found if (pid, a) in negated
            ]
            for pid, found in spans.items():
                for a, b in found:
                    if any(x <= a and b <= y and (x, y) != (a, b) for x, y in cover):
                        negated.add((pid, a))
        return negated

    def _negated(self, tokens: Sequence[str], sentence: Sequence[int], start: int) -> bool:
        j, skipped = start - 1, 0
        while (
            j >= 0
            and tokens[j] in self._fillers
            and skipped < self.data.negation.window
            and sentence[j] == sentence[start]
        ):
            j, skipped = j - 1, skipped + 1
        return j >= 0 and tokens[j] in self._negators and sentence[j] == sentence[start]

    # ------------------------------------------------------------- deciding
    def decide(self, question: str) -> TriageDecision | None:
        """The first rule (self-harm, then urgent, dosing, out of scope) that fires."""
        reading = self._read(question)
        for compiled in self._rules:
            rule = compiled.rule
            if rule.information_questions == "answer" and reading.general:
                continue
            past = rule.negation and rule.category == "urgent"  # over and done: not urgent
            spans: list[list[tuple[int, int]]] = []
            for group in compiled.groups:
                found = _positions(group, reading, rule.negation, past)
                if not found:
                    break
                spans.append(found)
            if len(spans) < len(compiled.groups):
                continue
            if compiled.none is not None:
                stopped = _positions(compiled.none, reading)
                if stopped and rule.category not in _NONE_BY_SENTENCE:
                    continue  # "how much does it cost", a health word: a message apart
                # in a self-harm or urgent rule "none" speaks for its own sentence only
                # (firing is the safer mistake): "I'm confused by the leaflet" is no
                # delirium, but it must not hide "Mum has become very confused since
                # yesterday" said in the next sentence
                gone = {sentence for _, sentence in stopped}
                spans = [[p for p in group if p[1] not in gone] for group in spans]
                if not all(spans):
                    continue
            if (rule.within is not None or rule.same_sentence) and not _close(
                spans, rule.within, rule.same_sentence
            ):
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


def _spelling_map(
    spellings: dict[str, list[str]], where: str, section: str = "spellings"
) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for canonical, variants in spellings.items():
        for variant in variants:
            key = _lower(variant)
            if key == canonical:
                raise InvalidQuery(f"{where}: {section}.{canonical}: lists itself")
            if key in mapping and mapping[key] != canonical:
                kind = "spelling" if section == "spellings" else "form"
                raise InvalidQuery(
                    f"{where}: {section}.{canonical}: {variant!r} is also a {kind} of "
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
) -> int:
    """Where a phrase that matched its first part at i - 1 ends, or -1: the shortest
    match, so gaps take as few words as they can."""
    if k == len(parts):
        return i
    kind, value = parts[k]
    if kind == "gap":
        for skip in range(int(value) + 1):
            end = _match(parts, k + 1, tokens, stems, i + skip)
            if end >= 0:
                return end
        return -1
    if i >= len(tokens):
        return -1
    word = stems[i] if kind == "stem" else tokens[i]
    return _match(parts, k + 1, tokens, stems, i + 1) if word == value else -1


def _positions(
    group: _Group, reading: _Reading, negation: bool = False, past: bool = False
) -> list[tuple[int, int]]:
    """(word, sentence) of each item of the group that stands in the question; word -1
    for items with no word position (patterns: each sentence one ends in; drugs:
    sentence -1)."""
    found = [
        (hit.start, hit.sentence)
        for pid, hits in reading.hits.items()  # few hits, many phrases: loop over hits
        if pid in group.phrases
        for hit in hits
        if not (negation and hit.negated) and not (past and hit.resolved)
    ]
    for pattern in group.patterns:
        for m in pattern.finditer(reading.text):
            # the sentence of its last word: a pattern may open on the last sentence's
            # full stop ("…chemo. Confused.") and close on its own and the space after
            sentence = reading.sentence_of(_last_word_at(m))
            if not (past and sentence in reading.resolved):
                found.append((-1, sentence))
    if (group.drugs or group.any_term) and (
        not group.drugs.isdisjoint(reading.drugs) or (group.any_term and bool(reading.drugs))
    ):
        found.append((-1, -1))
    return found


# the categories whose `none` items stop a rule in their own sentence only; elsewhere
# (dosing, out of scope) they say the whole message is something else
_NONE_BY_SENTENCE = frozenset({"self_harm", "urgent"})


def _last_word_at(match: re.Match[str]) -> int:
    """The offset of the last letter or digit a match holds (its start when none)."""
    text = match.group()
    for index in range(len(text) - 1, -1, -1):
        if text[index].isalnum():
            return match.start() + index
    return match.start()


def _close(spans: list[list[tuple[int, int]]], within: int | None, same_sentence: bool) -> bool:
    """Whether one position from every group fits in `within` words (and, when asked,
    one sentence); items with no word position fit anywhere in their sentence, drugs
    anywhere in the question."""
    reach = within if within is not None else 10**9
    anchors = sorted({p for s in spans for p in s if p[0] >= 0})
    if not anchors:
        if not same_sentence:
            return True
        sentences = [{s for _, s in group} for group in spans]
        return any(
            all(-1 in ss or sentence in ss for ss in sentences)
            for sentence in set().union(*sentences) - {-1}
        ) or all(ss == {-1} for ss in sentences)
    for start, sentence in anchors:
        if all(
            any(
                (p < 0 and (s == -1 or not same_sentence or s == sentence))
                or (start <= p <= start + reach and (not same_sentence or s == sentence))
                for p, s in group
            )
            for group in spans
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


def self_harm_response(rule: str) -> TriageDecision:
    """The self-harm message for a message that another reader than the rules flagged
    (answers/self_harm_detector.py): shown first, and the answer still follows, since
    that reader is less sure than a rule."""
    message = _shipped().data.messages["self_harm"].strip()
    return TriageDecision("self_harm", rule, message, allow_general_information=True)


def triage(question: str) -> TriageDecision | None:
    """Triage one question with the shipped rules: a decision, or None to go on."""
    if len(question) > MAX_KEY_CHARS:
        return _shipped().decide(question)
    cached = _DECIDED.get(question)
    if cached is None:
        cached = (_shipped().decide(question),)
        _DECIDED.put(question, cached)
    return cached[0]
