"""Sentence screen: sentences that must never be quoted as an answer.

oncocite answers only by quoting vetted documents, so a tampered or careless
document is the one way harmful advice could reach a patient. Every sentence is
screened before it is quoted (`check`), and whole documents at ingest and in review
(`scan`), for four kinds of harm:

- dose_change: the reader is told to change, skip, double, split or re-time doses;
- stop_medicine: the reader is told to stop, pause or not start a treatment;
- discourage_care: the reader is told not to seek help for a symptom that is urgent
  on cancer treatment (fever, breathlessness, bleeding, ...);
- dose_instruction: the reader is given a personal dose with an amount ("take 2
  tablets"), which oncocite never quotes.

The rules are reviewed data (`screen.yaml`), validated here with pydantic, so that a
nurse or pharmacist can review them without reading Python; a bad file stops loading
with one line naming the rule and the field. Descriptions of what doctors do, of
side effects, of how a drug is given and of what a trial did are ordinary: the rules
fire only on what a sentence tells its reader to do.

Speed: a sentence is read once into words and stems (cached per word). Most
sentences lack a word that some list of every rule needs, which a set lookup shows
in a few microseconds (the prefilter); only the rest are matched phrase by phrase.
The prefilter reads the same stems as the rules, so it can never hide a match.
"""

from __future__ import annotations

import itertools
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import Stemmer
from pydantic import Field, model_validator

from oncocite.errors import InvalidQuery, one_line
from oncocite.models.rule_files import Item, Items, StrictModel, parse_rule_file, repeated_id
from oncocite.sentences import sentence_spans as split_sentences

__all__ = [
    "ScreenCategory",
    "ScreenFile",
    "ScreenFlag",
    "ScreenRule",
    "SentenceScreen",
    "screen_sentence",
    "screen_text",
    "sentence_spans",
]

# The trie walk's state: each token's keys, the tokens, and (phrase, start) -> end.
_Keys = Sequence[tuple[str, ...]]
_Found = dict[tuple[int, int], int]

ScreenCategory = Literal["dose_change", "stop_medicine", "discourage_care", "dose_instruction"]

MAX_GAP = 3  # words a "..." in a phrase may stand for
MAX_EXPANSION = 5000  # phrases one item may expand to ("$a $b" is every pair)
MAX_HITS = 64  # places per phrase kept for one sentence: bounds a pathological one
# A "sentence" with no full stop for this long (a table, a run-on list) is read in
# pieces of at most this many characters, cut at a space.
MAX_SENTENCE_CHARS = 2000
START = "<start>"  # in `after`: the start of a clause
END = "<end>"  # in a phrase: the end of a clause (punctuation or the end of the sentence)
NUMBER = "#"  # in a phrase: a number, in digits or words

_APOSTROPHES = re.compile(r"['’‘`´]")
# terminal escapes and invisible characters: never part of a word
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e]")
# words, numbers ("2.5", "1,500") and the punctuation that ends a clause
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+|[,;:.!?()\[\]{}\"“”–—…•|]|(?<=\s)-+(?=\s)")
_WORD = re.compile(r"[a-z0-9]+")
_LETTERS = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"[0-9]")
_NUMBERS = re.compile(r"\d+(?:[.,]\d+)*")
# A form that is not an order at the start of a clause: "Adding pertuzumab increased
# ...", "Doubled doses were given", "It stops them from ...".
_INFLECTED = ("ing", "ed", "s")
# Words too common, in English or in health information, to index a phrase by
# (speed only: every word of a phrase must still be present, and match, for the
# phrase to count). "put cancer treatment on hold" is looked for by "hold".
_COMMON_WORDS = (
    "a an the and or but if of to in on at by for from with as is are be was were it its "
    "them they this that these those you your yours we our he she his her i my me not no "
    "dont do does did have has had can could will would should may might must get go "
    "come make take give put use see any all one some more most other than then so up "
    "out off over just also only very about after before into like well back both their "
    "there which who when what how cancer cancers treatment treatments treat therapy "
    "therapies chemotherapy chemo medical medicine medicines medication drug drugs dose "
    "doses blood disease diseases doctor doctors patient patients people person symptom "
    "symptoms health care cell cells body pain day days time times week weeks month "
    "year years risk cause causes help child children women men spread tumor tumors "
    "surgery radiation test tests type types many much often usually"
)
_COMMON = frozenset(_COMMON_WORDS.split())


# ----------------------------------------------------------------- the flag
@dataclass(frozen=True)
class ScreenFlag:
    """A sentence the screen keeps from answers, the rule that fired and where it is."""

    rule: str  # rule id in screen.yaml
    category: str  # dose_change | stop_medicine | discourage_care | dose_instruction
    reason: str  # one line for a reviewer: "tells the reader to double a dose"
    start: int  # offsets into the text scanned (0 and len for check())
    end: int
    sentence: str


# ----------------------------------------------------------------- the schema
# A list Item (models/rule_files.py) here: a phrase, $name, #, <end> or <start>.


class ScreenRule(StrictModel):
    """One reviewable rule: which words make a sentence harmful, and why."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    category: ScreenCategory
    reason: str = Field(min_length=10, max_length=120, pattern=r"^[^\n]*$")
    why: str = Field(min_length=10, description="for reviewers: what harm the rule prevents")
    any: Items = Field(default_factory=list)
    all: list[Items] = Field(default_factory=list)
    after: Items = Field(default_factory=list)
    none: Items = Field(default_factory=list)
    within: int = Field(default=4, ge=0, le=30)
    in_order: bool = False
    negation: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> ScreenRule:
        if not self.any and not self.all:
            raise ValueError("needs `any` or `all`: a rule without words never fires")
        if any(not group for group in self.all):
            raise ValueError("`all` has an empty list")
        if len(self.groups) > 4:
            raise ValueError("at most 4 lists (`any` and `all` together)")
        return self

    @property
    def groups(self) -> list[list[str]]:
        return ([self.any] if self.any else []) + self.all


class Reader(StrictModel):
    """When words are said to the reader: where a clause starts, what may come between."""

    openers: Items = Field(default_factory=list)
    introducers: Items = Field(default_factory=list)
    lead: Items = Field(default_factory=list)
    lead_window: int = Field(default=2, ge=0, le=4)
    not_after: Items = Field(default_factory=list)
    subjects: Items = Field(default_factory=list)


class Negation(StrictModel):
    """When a phrase counts as negated: a negator at most `window` fillers before it."""

    window: int = Field(ge=0, le=8)
    negators: Items = Field(min_length=1)
    fillers: Items = Field(default_factory=list)


class ScreenFile(StrictModel):
    """The whole of `screen.yaml`."""

    version: Literal[1]
    rewrites: dict[str, Item] = Field(default_factory=dict)
    spellings: dict[str, Items] = Field(default_factory=dict)
    numbers: Items = Field(default_factory=list)
    reader: Reader
    negation: Negation
    terms: dict[str, Items] = Field(default_factory=dict)
    rules: list[ScreenRule] = Field(min_length=1)


# ----------------------------------------------------------------- compiled rules
# A phrase is a tuple of parts: ("s", stem) a word by its stem, ("x", word) this exact
# word, ("g", "3") up to 3 words, ("n", "") a number, ("e", "") the end of a clause.
Part = tuple[str, str]
Hit = tuple[int, int, int]  # (start, end, phrase id)


@dataclass(frozen=True)
class _Phrase:
    parts: tuple[Part, ...]
    first_form: str  # the first word as written: "taking" is a gerund, "take" is not


@dataclass(frozen=True)
class _Compiled:
    rule: ScreenRule
    groups: tuple[frozenset[int], ...]
    after: frozenset[int]
    after_start: bool
    none: frozenset[int]
    needs: frozenset[int]  # prefilter ids of the lists: every one must be possible


class _Node:
    """A node of the phrase trie: phrases sharing their first parts share a path."""

    __slots__ = ("children", "gap", "pids")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.gap: _Node | None = None  # after "...": up to MAX_GAP words, then this node
        self.pids: list[int] = []  # phrases that end here


class _Reading:
    """One sentence as the rules see it: words, stems and where each phrase stands."""

    __slots__ = ("hits", "negated", "stems", "tokens")

    def __init__(self, tokens: list[str], stems: list[str]) -> None:
        self.tokens = tokens
        self.stems = stems  # a word's stem; a number or punctuation as written
        self.hits: dict[int, list[tuple[int, int]]] = {}
        self.negated: dict[int, bool] = {}


class SentenceScreen:
    """Validated, compiled rules; `check` screens a sentence, `scan` a whole text."""

    def __init__(self, data: ScreenFile, where: str = "screen.yaml") -> None:
        self.data = data
        self._where = where
        self._stemmer = Stemmer.Stemmer("english")
        self._stem_lock = threading.Lock()  # a PyStemmer object is not thread-safe
        self._words: dict[str, tuple[str, str]] = {}  # word -> (spelling, stem)
        self._spelling = self._spelling_map(data.spellings)
        self._rewrite_table: dict[str, str] = {}
        self._rewrite = self._rewrite_pattern(data.rewrites)
        reader = data.reader
        self._numbers = frozenset(self._norm_word(w) for w in data.numbers)
        self._openers = frozenset(self._norm_word(w) for w in reader.openers)
        self._introducers = frozenset(self._norm_word(w) for w in reader.introducers)
        self._lead = frozenset(self._norm_word(w) for w in reader.lead)
        self._not_after = frozenset(self._norm_word(w) for w in reader.not_after)
        self._subjects = frozenset(self._norm_word(w) for w in reader.subjects)
        neg = data.negation
        self._negators = frozenset(self._norm_word(w) for w in neg.negators)
        self._fillers = frozenset(
            self._norm_word(w) if _WORD.search(w) else w.strip() for w in neg.fillers
        )
        self._common = frozenset(self._word(w)[1] for w in _COMMON)
        self._phrases: list[_Phrase] = []
        self._phrase_ids: dict[tuple[Part, ...], int] = {}
        self._trie = _Node()
        # the prefilter: each list's phrases, indexed by their least common stem, with
        # the other stems they need
        self._by_anchor: dict[str, set[tuple[int, frozenset[str]]]] = {}
        self._always: set[int] = set()  # lists with a phrase of no word or number
        self._lists = 0
        self._rules = self._compile_rules(data)
        self._anchors = frozenset(self._by_anchor)

    # ------------------------------------------------------------- loading
    @classmethod
    def load(cls, path: Path | None = None) -> SentenceScreen:
        """The shipped rules (cached), or rules read from `path`."""
        if path is None:
            return _shipped()
        return cls.from_yaml(path.read_text(encoding="utf-8"), path.name)

    @classmethod
    def from_yaml(cls, text: str, where: str = "screen.yaml") -> SentenceScreen:
        """Rules from YAML text; a bad file raises InvalidQuery naming rule and field."""
        return cls(parse_rule_file(text, where, ScreenFile), where)

    @property
    def rules(self) -> list[ScreenRule]:
        """The rules in the order they are tried."""
        return [c.rule for c in self._rules]

    def _bad(self, rule: str | None, field: str, problem: str) -> InvalidQuery:
        place = f"rule {rule!r}: {field}" if rule else field
        return InvalidQuery(one_line(f"{self._where}: {place}: {problem}"))

    def _spelling_map(self, spellings: dict[str, list[str]]) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for canonical, variants in spellings.items():
            for variant in variants:
                key = _normalise(variant)
                if key == _normalise(canonical):
                    raise self._bad(None, f"spellings.{canonical}", "lists itself")
                if key in mapping and mapping[key] != _normalise(canonical):
                    raise self._bad(
                        None,
                        f"spellings.{canonical}",
                        f"{variant!r} is also a spelling of {mapping[key]!r}",
                    )
                mapping[key] = _normalise(canonical)
        return mapping

    def _rewrite_pattern(self, rewrites: dict[str, str]) -> re.Pattern[str] | None:
        alternatives: list[str] = []
        for source, target in sorted(rewrites.items(), key=lambda kv: -len(kv[0])):
            words = _WORD.findall(_normalise(source))
            if not words:
                raise self._bad(None, f"rewrites.{source}", "has no words")
            self._rewrite_table[" ".join(words)] = _normalise(target)
            alternatives.append(r"\s+".join(map(re.escape, words)))
        if not alternatives:
            return None
        return re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + r")(?![a-z0-9])")

    def _norm_word(self, word: str) -> str:
        lowered = _normalise(word).replace(" ", "")
        return self._spelling.get(lowered, lowered)

    def _word(self, word: str) -> tuple[str, str]:
        """A word in its one spelling, and its stem (cached: words repeat)."""
        known = self._words.get(word)
        if known is None:
            spelled = self._spelling.get(word, word)
            with self._stem_lock:
                stem = self._stemmer.stemWord(spelled)
            if len(self._words) > 200_000:  # a bound for a long-running server
                self._words.clear()
            known = self._words[word] = (spelled, stem)
        return known

    # ------------------------------------------------------------- compiling
    def _compile_rules(self, data: ScreenFile) -> list[_Compiled]:
        repeated = repeated_id(rule.id for rule in data.rules)
        if repeated is not None:
            raise self._bad(repeated, "id", "is used by an earlier rule too")
        compiled: list[_Compiled] = []
        for rule in data.rules:
            fields = [("any", rule.any)] if rule.any else []
            fields += [(f"all[{i}]", group) for i, group in enumerate(rule.all)]
            groups: list[frozenset[int]] = []
            needs: set[int] = set()
            for field, items in fields:
                pids = self._group(items, rule.id, field)
                groups.append(pids)
                needs.add(self._register(pids))
            if needs <= self._always:
                raise self._bad(
                    rule.id,
                    "any" if rule.any else "all",
                    "every list has an item with no word or number (only <end>): the "
                    "rule would be tried on every sentence",
                )
            after_items = list(self._expand(rule.after, rule.id, "after", ()))
            after_start = START in after_items
            after = self._group([i for i in after_items if i != START], rule.id, "after")
            none = self._group(rule.none, rule.id, "none")
            compiled.append(
                _Compiled(rule, tuple(groups), after, after_start, none, frozenset(needs))
            )
        return compiled

    def _group(self, items: Iterable[str], rule: str, field: str) -> frozenset[int]:
        expanded = self._expand(items, rule, field, ())
        return frozenset(self._phrase(item, rule, field) for item in expanded)

    def _expand(
        self, items: Iterable[str], rule: str | None, field: str, chain: tuple[str, ...]
    ) -> Iterator[str]:
        """Items with every $name replaced by each item of that list (in any position)."""
        for item in items:
            pieces = item.split()
            at = next((i for i, p in enumerate(pieces) if p.startswith("$")), None)
            if at is None:
                yield item
                continue
            name = pieces[at][1:]
            if name not in self.data.terms:
                raise self._bad(rule, field, f"{pieces[at]!r} names no list under terms")
            if name in chain:
                raise self._bad(rule, field, f"terms {name!r} includes itself")
            before, after = " ".join(pieces[:at]), " ".join(pieces[at + 1 :])
            inners = self._expand(self.data.terms[name], rule, field, (*chain, name))
            for count, inner in enumerate(inners, start=1):
                if count > MAX_EXPANSION:
                    raise self._bad(
                        rule, field, f"{item!r} stands for more than {MAX_EXPANSION} phrases"
                    )
                joined = " ".join(p for p in (before, inner, after) if p)
                yield from self._expand([joined], rule, field, chain)

    def _phrase(self, text: str, rule: str | None, field: str) -> int:
        if text == START:
            raise self._bad(rule, field, f"{START} is allowed only in `after`")
        parts: list[Part] = []
        first_form = ""
        for piece in self._rewrite_text(_normalise(text)).split():
            if piece == "...":
                parts.append(("g", str(MAX_GAP)))
            elif piece == NUMBER:
                parts.append(("n", ""))
            elif piece == END:
                parts.append(("e", ""))
            else:
                exact = piece.startswith("=")
                for word in _WORD.findall(piece):
                    spelled, stem = self._word(word)
                    first_form = first_form or spelled
                    if exact or word[0].isdigit():
                        parts.append(("x", spelled))
                    else:
                        parts.append(("s", stem))
        if not parts or parts[0][0] == "g" or parts[-1][0] == "g":
            raise self._bad(rule, field, f"{text!r} must start and end with a word")
        key = tuple(parts)
        pid = self._phrase_ids.get(key)
        if pid is None:
            pid = self._phrase_ids[key] = len(self._phrases)
            self._phrases.append(_Phrase(key, first_form))
            node = self._trie
            for part in key:
                if part[0] == "g":
                    node.gap = node.gap or _Node()
                    node = node.gap
                else:
                    node = node.children.setdefault(_trie_key(part), _Node())
            node.pids.append(pid)
        return pid

    def _register(self, pids: frozenset[int]) -> int:
        """Give a list an id and index its phrases for the prefilter: a phrase is
        possible only in a sentence that has the stem of every one of its words (and a
        number, if it has #). Each phrase is indexed by its least common stem."""
        number = self._lists
        self._lists += 1
        for pid in pids:
            needed: set[str] = set()
            for kind, value in self._phrases[pid].parts:
                if kind == "n":
                    needed.add(NUMBER)
                elif kind == "x":
                    needed.add(value if value[0].isdigit() else self._word(value)[1])
                elif kind == "s":
                    needed.add(value)
            if not needed:
                self._always.add(number)
                continue
            common = self._common
            anchor = max(needed, key=lambda s: (s not in common and s.isalpha(), len(s), s))
            self._by_anchor.setdefault(anchor, set()).add((number, frozenset(needed)))
        return number

    # ------------------------------------------------------------- reading
    def _rewrite_text(self, text: str) -> str:
        if self._rewrite is None:
            return text
        table = self._rewrite_table
        return self._rewrite.sub(lambda m: table[" ".join(m.group().split())], text)

    def _tokens(self, text: str) -> tuple[list[str], list[str]]:
        """Words (in their one spelling), numbers and clause-ending punctuation of a
        normalised, rewritten text, and their stems; the last token ends a clause."""
        tokens = _TOKEN.findall(text)
        if not tokens or tokens[-1][0].isalnum():
            tokens.append(".")
        stems = tokens.copy()
        words = self._words
        for i, token in enumerate(tokens):
            if token[0].isalpha():
                known = words.get(token) or self._word(token)
                tokens[i], stems[i] = known
        return tokens, stems

    def _candidates(self, text: str) -> list[_Compiled]:
        """The rules for which every list has a phrase whose words all occur in the
        (normalised, rewritten) text: set operations on the stems of its distinct
        words, each word stemmed once per process."""
        words = set(_LETTERS.findall(text))
        known = self._words
        present = {(known.get(w) or self._word(w))[1] for w in words}
        if _DIGIT.search(text) is not None:
            present.update(_NUMBERS.findall(text))
            present.add(NUMBER)
        elif not self._numbers.isdisjoint(words):
            present.add(NUMBER)
        possible = set(self._always)
        by_anchor = self._by_anchor
        for stem in present & self._anchors:
            for number, needed in by_anchor[stem]:
                if number not in possible and needed <= present:
                    possible.add(number)
        if len(possible) == len(self._always):
            return []
        return [c for c in self._rules if c.needs <= possible]

    def _read(self, tokens: list[str], stems: list[str]) -> _Reading:
        """Every place where a phrase of the rules matches."""
        reading = _Reading(tokens, stems)
        numbers = self._numbers
        keys: list[tuple[str, ...]] = []
        for token, stem in zip(tokens, stems, strict=True):
            if token[0].isalpha():
                keys.append(
                    (stem, "=" + token, NUMBER) if token in numbers else (stem, "=" + token)
                )
            elif token[0].isdigit():
                keys.append(("=" + token, NUMBER))
            else:
                keys.append((END,))
        found: dict[tuple[int, int], int] = {}  # (phrase, start) -> shortest end
        for start in range(len(tokens)):
            self._walk(self._trie, start, start, keys, tokens, found)
        hits = reading.hits
        for (pid, start), end in sorted(found.items(), key=lambda kv: kv[0][1]):
            places = hits.setdefault(pid, [])
            if len(places) < MAX_HITS:
                places.append((start, end))
        return reading

    def _walk(
        self, node: _Node, start: int, i: int, keys: _Keys, tokens: Sequence[str], found: _Found
    ) -> None:
        """Every phrase of the trie below `node` that matches from token i."""
        for pid in node.pids:
            end = found.get((pid, start))
            if end is None or i < end:
                found[(pid, start)] = i
        if node.gap is not None:
            self._walk_children(node.gap, start, i, keys, tokens, found)
            for skip in range(1, MAX_GAP + 1):  # a gap never crosses punctuation
                if i + skip > len(tokens) or not tokens[i + skip - 1][0].isalnum():
                    break
                self._walk_children(node.gap, start, i + skip, keys, tokens, found)
        self._walk_children(node, start, i, keys, tokens, found)

    def _walk_children(
        self, node: _Node, start: int, i: int, keys: _Keys, tokens: Sequence[str], found: _Found
    ) -> None:
        if i >= len(tokens) or not node.children:
            return
        children = node.children
        for key in keys[i]:
            child = children.get(key)
            if child is not None:
                self._walk(child, start, i + 1, keys, tokens, found)

    # ------------------------------------------------------------- who is told
    def _negated(self, reading: _Reading, start: int) -> bool:
        cached = reading.negated.get(start)
        if cached is None:
            tokens = reading.tokens
            j, skipped = start - 1, 0
            while j >= 0 and tokens[j] in self._fillers and skipped < self.data.negation.window:
                j, skipped = j - 1, skipped + 1
            cached = reading.negated[start] = j >= 0 and tokens[j] in self._negators
        return cached

    def _clause_start(self, tokens: Sequence[str], at: int) -> bool:
        """Whether a clause starts at `at`: the sentence start, after punctuation that
        ends a clause, after an opener ("then", "so"), or after the comma that closes
        an introductory clause ("If you feel sick, ..."): a comma in a list ("fever,
        chills, ...") starts nothing."""
        if at == 0:
            return True
        before = tokens[at - 1]
        if before == ",":
            j = at - 2
            while j >= 0 and tokens[j][0].isalnum():
                j -= 1
            return j + 1 < at - 1 and tokens[j + 1] in self._introducers
        return not before[0].isalnum() or before in self._openers

    def _lead_starts(self, tokens: Sequence[str], at: int) -> Iterator[int]:
        """`at`, then each earlier position reached over lead words ("just", "simply")."""
        yield at
        for _ in range(self.data.reader.lead_window):
            if at == 0 or tokens[at - 1] not in self._lead:
                return
            at -= 1
            yield at

    def _frame_counts(self, tokens: Sequence[str], start: int) -> bool:
        """An `after` phrase with a subject ("you can") is advice unless it follows,
        over lead words, one of `reader.not_after` ("if you can stop", "most women
        can delay"); one without ("try to", "feel free to") must start a clause."""
        starts = list(self._lead_starts(tokens, start))
        if tokens[start] not in self._subjects:
            return any(self._clause_start(tokens, at) for at in starts)
        return not any(at > 0 and tokens[at - 1] in self._not_after for at in starts)

    def _said_to_reader(self, compiled: _Compiled, reading: _Reading, hit: Hit) -> bool:
        """Whether the words at `hit` are said to the reader: at the start of a clause
        as an order, or right after one of the rule's `after` phrases ("you can");
        lead words may stand between."""
        tokens = reading.tokens
        start, _, pid = hit
        written, token = self._phrases[pid].first_form, tokens[start]
        inflected = token != written and any(
            token.endswith(end) and not written.endswith(end) for end in _INFLECTED
        )
        frame_ends: dict[int, list[int]] | None = None
        for at in self._lead_starts(tokens, start):
            if compiled.after_start and not inflected and self._clause_start(tokens, at):
                return True
            if compiled.after:
                if frame_ends is None:
                    frame_ends = {}
                    for fpid in compiled.after.intersection(reading.hits):
                        for fs, fe in reading.hits[fpid]:
                            frame_ends.setdefault(fe, []).append(fs)
                if any(self._frame_counts(tokens, fs) for fs in frame_ends.get(at, ())):
                    return True
        return False

    # ------------------------------------------------------------- deciding
    def _fires(self, compiled: _Compiled, reading: _Reading) -> bool:
        rule = compiled.rule
        hits = reading.hits
        if not compiled.none.isdisjoint(hits):
            return False
        placed: list[list[Hit]] = []
        for number, group in enumerate(compiled.groups):
            found = [
                (s, e, pid)
                for pid in group.intersection(hits)
                for s, e in hits[pid]
                if not (rule.negation and self._negated(reading, s))
            ]
            if number == 0 and (compiled.after or compiled.after_start):
                found = [h for h in found if self._said_to_reader(compiled, reading, h)]
            if not found:
                return False
            placed.append(found)
        return _arranged(placed, rule.within, rule.in_order)

    def _decide(self, sentence: str, prefilter: bool = True) -> _Compiled | None:
        """The first rule that fires on a sentence. `prefilter=False` tries every rule
        on every sentence: slower, and only there to show the prefilter hides nothing."""
        text = self._rewrite_text(_normalise(sentence))
        candidates = self._candidates(text) if prefilter else self._rules
        if not candidates:
            return None
        reading = self._read(*self._tokens(text))
        for compiled in candidates:
            if self._fires(compiled, reading):
                return compiled
        return None

    def check(self, sentence: str) -> ScreenFlag | None:
        """The flag for one sentence (offsets 0 and its length), or None if it may be quoted."""
        compiled = self._decide(sentence)
        if compiled is None:
            return None
        rule = compiled.rule
        return ScreenFlag(rule.id, rule.category, rule.reason, 0, len(sentence), sentence)

    def scan(self, text: str) -> list[ScreenFlag]:
        """Every flagged sentence of a whole document, with offsets into `text`.

        The text is cut into lines (so list items and headings stand alone), then into
        sentences (`sentence_spans`); each is checked as `check` would.
        """
        flags: list[ScreenFlag] = []
        for start, end in sentence_spans(text):
            sentence = text[start:end]
            compiled = self._decide(sentence)
            if compiled is not None:
                rule = compiled.rule
                flags.append(ScreenFlag(rule.id, rule.category, rule.reason, start, end, sentence))
        return flags


# ----------------------------------------------------------------- helpers
def _normalise(text: str) -> str:
    """Lower case, compatibility forms folded (full-width letters, "²"), apostrophes
    dropped ("don't" -> "dont"), control and invisible characters made spaces."""
    if not text.isascii():
        text = _CONTROL.sub(" ", unicodedata.normalize("NFKC", text))
    elif not text.isprintable():
        text = _CONTROL.sub(" ", text)
    return _APOSTROPHES.sub("", text.lower())


def _trie_key(part: Part) -> str:
    """The key a token is looked up by: its stem, "=word", "#" or "<end>"."""
    kind, value = part
    if kind == "s":
        return value
    if kind == "x":
        return "=" + value
    return NUMBER if kind == "n" else END


def _arranged(placed: list[list[Hit]], within: int, in_order: bool) -> bool:
    """Whether one hit of every list can be chosen, each starting after the one before
    with at most `within` words between them (in the listed order if `in_order`)."""
    orders: Iterable[Sequence[int]] = (
        [range(len(placed))] if in_order else itertools.permutations(range(len(placed)))
    )
    for order in orders:
        frontier = placed[order[0]]
        for number in order[1:]:
            frontier = [
                h
                for h in placed[number]
                if any(ps < h[0] and h[0] - pe <= within for ps, pe, _ in frontier)
            ]
            if not frontier:
                break
        else:
            return True
    return False


# ----------------------------------------------------------------- sentences
_LINE = re.compile(r"[^\n\r\u2028\u2029]+")
_LEADING = re.compile(r"[\s•·*>#\-–—]+")


def _sentences_in(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentences of one line, as answers cut them (oncocite.sentences), leading
    bullets left out, long pieces cut at a space."""
    for first, last in split_sentences(text, start, end):
        yield from _trimmed(text, first, last)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    lead = _LEADING.match(text, start, end)
    if lead is not None:
        start = lead.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start and any(c.isalnum() for c in text[start:end]):
        yield start, end


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence of a text as `scan` reads it: lines, then
    sentences; bullets and surrounding spaces left out, so `text[start:end]` is the
    sentence as it would be quoted."""
    return [span for line in _LINE.finditer(text) for span in _sentences_in(text, *line.span())]


@lru_cache(maxsize=1)
def _shipped() -> SentenceScreen:
    text = resources.files("oncocite.governance").joinpath("screen.yaml").read_text("utf-8")
    return SentenceScreen.from_yaml(text, "screen.yaml")


def screen_sentence(sentence: str) -> ScreenFlag | None:
    """Screen one sentence with the shipped rules: a flag, or None if it may be quoted."""
    return _shipped().check(sentence)


def screen_text(text: str) -> list[ScreenFlag]:
    """Screen a whole document text with the shipped rules; offsets are into `text`."""
    return _shipped().scan(text)
