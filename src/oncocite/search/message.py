"""Reading a message before it is answered: what it asks, and what it only says.

A patient's message is not a query. "Hi, hope you can help. My sister has
inflammatory breast cancer, her2 positive. Can she have Perjeta? Thanks, Sue"
asks one thing (whether pertuzumab is for her), carries clinical context that
matters to the answer (HER2 positive, inflammatory), and much that must not be
taken for a topic (the greeting, "sister", "help", "Sue"). Here a message becomes
its needs: one per question, each with its kind (definition, eligibility, side
effects…), the subject it is about (carried over from an earlier question when it
says "it": "What is Kadcyla? How does it work?"), and the context that applies.

The word lists and patterns are reviewed data (message.yaml). Triage reads the
whole message first, so nothing dropped here can hide an urgent symptom.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from oncocite.errors import InvalidQuery
from oncocite.models.rule_files import parse_rule_file
from oncocite.search.question import apply_corrections
from oncocite.search.spelling import MIN_LENGTH, Speller
from oncocite.search.vocabulary import VocabMatch, Vocabulary, words
from oncocite.sentences import sentence_spans

__all__ = [
    "MessageReading",
    "MessageRules",
    "Need",
    "NeedKind",
    "read_message",
]

NeedKind = Literal[
    "outlook",
    "comparison",
    "preference",
    "combination",
    "testing",
    "mechanism",
    "side_effects",
    "variation",
    "course",
    "suitability",
    "response",
    "eligibility",
    "options",
    "timing",
    "duration",
    "route",
    "frequency",
    "research",
    "definition",
    "purpose",
    "other",
]
MAX_NEEDS = 4  # a message with more questions is answered on its first four
_QUESTION_START = re.compile(
    # (after "also", "and", "plus": "Also how did they find out, we dont remember…")
    r"^\W*(?:(?:also|and|plus)[\s,]+)?(?:what|whats|wat|wats|wot|wen|how|why|when|where|which|who|whom|whose|is|are|am|was|were|can|"
    r"could|does|do|did|will|would|should|shall|has|have|had|may|might|isnt|arent|cant|"
    r"doesnt|dont|wont|any|anyone)\b",
    re.IGNORECASE,
)
_REQUEST = re.compile(
    r"\b(?:i\s*(?:would|d)\s+(?:like|love)\s+to\s+know|i\s+want\s+to\s+know|i\s+need\s+to\s+know|"
    r"(?:i\s*(?:m|am)\s+)?wondering|(?:please\s+)?(?:can|could)\s+you\s+(?:tell|explain)|"
    r"please\s+(?:tell|explain)|looking\s+for\s+(?:information|info|advice)|"
    # a formal letter's asking: "Kindly advise whether Herceptin will be of use…"
    r"(?:kindly|please)\s+(?:advise|confirm|clarify|inform\s+(?:me|us))\s+(?:whether|if|what|why|how|when|which)|"
    r"(?:any|some)\s+(?:information|info|advice)\s+(?:on|about|regarding)|"
    # (not "My husband won't tell me what the doctor said": a story of someone else)
    r"(?<!wont\s)(?<!wouldnt\s)(?<!doesnt\s)(?<!didnt\s)(?<!never\s)(?<!not\s)(?<!cant\s)"
    r"tell\s+me\s+(?:about|more|what|how|if|whether)|i\s+(?:dont|do\s+not)\s+understand|"
    # "if the lump is gone whats the actual point of more treatment": asked as a statement
    r"whats\s+(?:the\s+)?(?:actual\s+|real\s+)?point\s+(?:of|in)\b|"
    # "I'd like to understand why…", "help me understand how…", "trying to work out what…"
    r"(?:like|want|need|trying|try|hoping)\s+to\s+(?:understand|find\s+out|work\s+out)\s+"
    r"(?:why|what|how|whether|if|when|which|who)|help\s+(?:me|us)\s+(?:to\s+)?understand|"
    # "Nobody has explained why they need more tests", "I can't work out why…",
    # "I'm not sure whether…": a question asked as a statement
    # (not "…and nobody said why.": the question is the one before)
    r"(?:nobody|no\s+one|noone)\s+(?:has\s+|have\s+|had\s+)?(?:explained|told\s+\w+|said)\s+"
    r"(?:why|what|how|whether|if)(?=\s+\w)|"
    r"i\s+(?:cant|can\s+not|cannot|couldnt)\s+(?:work\s+out|figure\s+out|see|understand)\s+"
    r"(?:why|what|how|whether|if)|"
    r"i\s*(?:m|am)\s+(?:not\s+sure|unsure|confused\s+about)\s+(?:why|what|how|whether|if))\b",
    # ("She has asked me whether…": a question told of, `_REPORTED`)
    re.IGNORECASE,
)
_JOINED = re.compile(
    r"\s*(?:,\s*|\s)(and|&|also|plus|or)\s+(?=(?:what|whats|how|is|are|can|could|does|do|"
    r"will|would|should|who|when|why|which)\b)"
    # (not "…cancer that has come back and can't be operated on?": a clause of the
    # same question, a modal with no subject of its own)
    r"(?!(?:can|could|will|would|should|is|are|does|do)(?:['’]?t|\s+not|nt)?\s+be\b)"
    # (nor "…has BRCA2 and is HER2 negative, would…": what she is, its subject the
    # clause's, before a status or a state)
    r"(?!(?:is|are)\s+(?:also\s+|now\s+|still\s+)?(?:her2|er|pr|hr|triple|hormone|oestrogen|"
    r"estrogen|progesterone|stage|grade|positive|negative|due|on|having|getting|taking|"
    r"starting|waiting|currently)\b)",
    re.IGNORECASE,
)
# ", how much will it cost", ", will she lose her hair": a question after a comma
_COMMA_QUESTION = re.compile(
    r"\s*,\s*(?=(?:what|whats|how|is|are|can|could|does|do|will|would|should|who|why|"
    r"which)\s+\w"
    # ("…, when is her next dose?", not "…ever used at that point, when other things
    # stop working?": a clause saying when, no question of its own)
    r"|when(?:['’]s\b|\s+(?:is|are|was|were|do|does|did|can|could|will|would|should|might|"
    r"may|has|have|it['’]?s)\b))",
    re.IGNORECASE,
)
_APOSTROPHE = re.compile(r"['’‘`´]")
# what a message is, written before it ("[voice memo] um hiya so like…", "(voice note
# transcript)"), and the sounds a dictated message opens with: not its words, and the
# greeting after them is still its greeting
_LABEL = re.compile(
    r"^\s*(?:[\[(](?:[A-Za-z'’-]+\s+){0,3}(?:voice|memo|note|transcript|transcribed|dictated|"
    r"forwarded|fwd|copied|message|text|audio|recording|whatsapp|email|sms)"
    r"(?:\s+[A-Za-z'’-]+){0,3}[\])]\s*[:.-]?\s*)?(?:(?:um+|erm+|uh+|uhm|(?-i:er)(?=\s*[,.]))\b[\s,.]*)*",
    re.IGNORECASE,
)
# a line of a copied text chat: "[18:03] Kerry: is that common??"
_CHAT_SPEAKER = re.compile(r"\[\d{1,2}[:.]\d{2}(?:\s*[ap]m)?\]\s*([A-Z][a-z]{1,20}):")
# a name signing a message: "Sue", "Jo Evans", and with a title before or after it
# ("Mrs Harcourt", "Margaret Harcourt (Mrs)")
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Dr)\.?"
# the words of a signature, brackets and dots left out ("(Mrs)" is "Mrs")
_LETTERS = re.compile(r"[^\W\d_]+")
_NAME = re.compile(
    rf"^(?:{_TITLE}\s+)?[A-Z][a-z]{{1,20}}(?:\s+[A-Z][a-z]{{1,20}})?(?:\s+\({_TITLE}\))?\W*$"
)
_INTRO = re.compile(
    r"\b(?i:i['’]?\s*(?:m|am)|my\s+name\s+is|this\s+is|it['’]?s)\s+([A-Z][a-z]{1,20})\b"
    r"|\b([A-Z][a-z]{1,20})\s+here\b",
)
# where the writer or someone told of is from or lives ("I was born in Hong Kong", "I
# am from Portugal", "my daughter lives in Texas", "here in Bristol"): a place named
# with a capital, never what a question is about
_PLACE = re.compile(
    r"\b(?i:born\s+in|raised\s+in|grew\s+up\s+in|(?:i\s+am|i['’]?m|we\s+are|we['’]?re|is|are)"
    r"\s+(?:originally\s+)?from|lives?\s+in|living\s+in|based\s+in|here\s+in|back\s+home\s+in|"
    r"moved\s+(?:here\s+)?(?:to|from)|"
    # "Onc in Brisbane brought up immunotherapy", "the hospital in Leeds"
    r"(?:onc|oncologist|doctor|consultant|surgeon|hospital|nurse|team|clinic|gp|unit)\s+"
    r"(?:in|at|from))\s+((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+){0,2})"
)
# a person named by what is theirs ("Margaret's letter says…", "Jo's onc said"): a
# name, never a topic (a drug so written, "Herceptin's side effects", is a vocabulary
# term, which a name never is)
_WHOSE = re.compile(
    r"\b([A-Z][a-z]{2,20})['’]s\s+(?:letter|letters|results?|onc|oncologist|doctor|"
    r"consultant|nurse|surgeon|team|scan|scans|appointment|treatment|chemo|diagnosis|"
    r"cancer|tumou?r|husband|wife|partner|daughter|son|mum|mom|dad|sister|brother)\b"
)
# a person whose question is passed on ("From the group, Anita asks: …", "Bev wants
# to know…"): the asker's name, never a topic
_ASKER = re.compile(
    r"\b([A-Z][a-z]{2,20})\s+(?:asks|asked|says|said|writes|wrote|wonders|wondered|"
    r"wants\s+to\s+know|would\s+like\s+to\s+know)\s*[:,\"“‘']"
)
# a message that opens by saying who writes ("Night shift worker here.", "Postie here,
# 54, …", "CNS here."): who they are is no topic (a name before "here" is _INTRO's)
_ROLE_HERE = re.compile(
    r"^\s*(?!(?i:the|my|this|that|it|its|is|are|im|i)\b)"
    r"((?:[A-Za-z][\w'’-]*\s+){0,3}[A-Za-z][\w'’-]*)\s+here\s*(?:[,.!:;\n–—-]|$)"
)
# What a question may be about: drugs, named concepts ("immunotherapy", "HER2 positive");
# lay words ("chemo", "before surgery") say which aspect, not which subject.
_SUBJECT_KINDS = frozenset({"generic", "concept", "abbreviation"})


# ----------------------------------------------------------------- the data file
class KindRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: NeedKind
    why: str
    patterns: list[str] = Field(min_length=1)
    # when given, the kind holds only if the question or the story around it also
    # matches one of these ("will it be the same for Dad?" asks how side effects vary
    # only where the message speaks of side effects)
    also: list[str] = Field(default_factory=list)
    # words the patterns spell that are what a question asks about, not how it is put:
    # "hair" in "will she lose her hair?" names the side effect asked about, which an
    # answer must speak of ("The most common side effects… are rash, diarrhea…" does not)
    topics: list[str] = Field(default_factory=list)
    # a "suitability" question that names a drug is read as whom the drug is for (its
    # criteria say why she gets it and another does not), unless its rule keeps it:
    # "why can't I have herceptin like my sister did?" is answered by what decides
    # who has a targeted drug at all
    kept_with_drug: bool = False


# a kind rule as compiled: its kind, its patterns and its `also` patterns
_KindPatterns = tuple[NeedKind, tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]


class MessageFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    greetings: list[str]
    courtesy: list[str]
    sign_offs: list[str]
    people: list[str]
    filler: list[str]
    general: list[str] = Field(default_factory=list)
    appraisal: list[str] = Field(default_factory=list)
    details: list[str] = Field(default_factory=list)
    idioms: list[str] = Field(default_factory=list)
    treatments: list[str] = Field(default_factory=list)
    # words that only stress a question ("what does it actually do?"): a question is
    # also read for its kind without them
    intensifiers: list[str] = Field(default_factory=list)
    kinds: list[KindRule]


class MessageRules:
    """message.yaml, validated and compiled."""

    def __init__(self, data: MessageFile, where: str = "message.yaml") -> None:
        self.data = data
        self.greeting = _phrase_pattern(data.greetings)
        self.sign_off = _phrase_pattern(data.sign_offs)
        self.courtesy = frozenset(_norm(c) for c in data.courtesy)
        never = [*data.filler, *data.general, *data.appraisal]
        words_of = [w for item in never for w in (*_norm(item).split(), *words(item))]
        # "wasn't" is read as "wasn" + "t" where apostrophes split words: "wasnt" -> "wasn"
        words_of += [w[:-1] for w in words_of if w.endswith("nt") and len(w) > 3]
        people = [w for item in data.people for w in _norm(item).split()]
        # "my husbands sisters": people in the plural are people too
        self.ignored = frozenset([*words_of, *people, *(f"{p}s" for p in people if len(p) > 2)])
        self.details = frozenset(_norm(d) for d in data.details)
        # a person named beside who they are to the writer ("our Karen's just been
        # told", "my husband Terry", "our Jean's is triple negative", Scots "oor
        # Kirsty"): `people` words
        self.named = re.compile(
            r"\b(?i:our|oor|(?:my|her|his)\s+(?:best\s+)?(?:"
            + "|".join(re.escape(p) for p in sorted(data.people, key=len, reverse=True))
            + r"))\s+([A-Z][a-z]{1,20})\b"
        )
        self.idioms = (
            re.compile(
                r"[\s,]*\b(?:"
                + "|".join(
                    r"\s+".join(re.escape(w).replace("'", "['’]?") for w in i.split())
                    for i in data.idioms
                )
                + r")\b",
                re.IGNORECASE,
            )
            if data.idioms
            else None
        )
        kinds: list[_KindPatterns] = []
        for rule in data.kinds:
            compiled: list[list[re.Pattern[str]]] = [[], []]
            for into, patterns in zip(compiled, (rule.patterns, rule.also), strict=True):
                for pattern in patterns:
                    try:
                        into.append(re.compile(pattern))
                    except re.error as exc:
                        raise InvalidQuery(
                            f"{where}: kinds {rule.name!r}: {pattern!r} is not a valid "
                            f"pattern ({exc})"
                        ) from None
            kinds.append((rule.name, tuple(compiled[0]), tuple(compiled[1])))
        self.kinds = tuple(kinds)
        # the rules whose kind a named drug does not change (`kept_with_drug`)
        self.kept = tuple(
            k for k, rule in zip(kinds, data.kinds, strict=True) if rule.kept_with_drug
        )
        # (a kind may have several rules: "side_effects" asked in its own words, and
        # "Is that normal?" after a symptom; their topics are the kind's)
        topics: dict[str, set[str]] = {}
        for rule in data.kinds:
            topics.setdefault(rule.name, set()).update(_norm(t) for t in rule.topics)
        self.kind_topics = {name: frozenset(found) for name, found in topics.items()}
        self.treatments = frozenset(t.lower() for t in data.treatments)
        self.intensifier = (
            re.compile(r"\s*\b(?:" + "|".join(map(re.escape, data.intensifiers)) + r")\b")
            if data.intensifiers
            else None
        )

    @classmethod
    def from_yaml(cls, text: str, where: str = "message.yaml") -> MessageRules:
        return cls(parse_rule_file(text, where, MessageFile), where)

    def without_idioms(self, question: str) -> str:
        """A question without the set phrases that only colour it ("What is a growth
        blocker when it's at home?"): their words are not what it asks about."""
        if self.idioms is None:
            return question
        plain = self.idioms.sub("", question).strip()
        return plain if words(plain) else question

    def idiom_only_words(self, sentences: Iterable[str]) -> frozenset[str]:
        """The words a message says only inside set phrases ("my dad has breast cancer
        (yes men can get it)"): who a story is about, never a topic; a word it also
        says outside one ("does it work the same for men?") stays a topic."""
        if self.idioms is None:
            return frozenset()
        inside: set[str] = set()
        outside: set[str] = set()
        for sentence in sentences:
            for found in self.idioms.finditer(sentence):
                inside.update(_norm(w) for w in words(found.group(0)))
            outside.update(_norm(w) for w in words(self.idioms.sub(" ", sentence)))
        return frozenset(inside - outside)

    def framing(self, text: str, kind: NeedKind) -> frozenset[str]:
        """The words of a question that say its kind ("what's the aim of giving it?":
        "aim"), from the spans `kind`'s patterns match: they frame the question and
        are not what it is about."""
        lowered = _norm(text)
        said: set[str] = set()
        for name, patterns, _ in self.kinds:
            if name != kind:
                continue
            for pattern in patterns:
                for match in pattern.finditer(lowered):
                    # only the pattern's own words: "what does my recurrence score of 28
                    # mean?" is framed by "what does … mean", and its wildcards hold the
                    # topic ("recurrence score")
                    said |= set(words(match.group())) & _literal_words(pattern.pattern)
        return frozenset(said - self.kind_topics.get(kind, frozenset()))

    def kept_with_drug(self, text: str, story: str = "") -> bool:
        """Whether a rule marked `kept_with_drug` reads `text` (with its story)."""
        return self._first_rule(self.kept, text, story) is not None

    def kind_of(self, text: str, story: str = "") -> NeedKind:
        """The kind of a question; `story` is what the message says around it, which a
        kind with `also` patterns may need."""
        rule = self._first_rule(self.kinds, text, story)
        return "other" if rule is None else rule[0]

    def _first_rule(
        self, rules: Sequence[_KindPatterns], text: str, story: str
    ) -> _KindPatterns | None:
        """The first of `rules` that reads `text`: its patterns match it (as written,
        then without intensifiers: a pattern may spell the word), and its `also`
        patterns it or its story."""
        lowered = _norm(text)
        told = _norm(story) if story else ""
        readings = [lowered]
        if self.intensifier is not None:
            plain = self.intensifier.sub("", lowered)
            readings += [plain] if plain != lowered else []
        for reading in readings:
            for rule in rules:
                _, patterns, also = rule
                if not any(p.search(reading) for p in patterns):
                    continue
                if also and not any(p.search(reading) or p.search(told) for p in also):
                    continue
                return rule
        return None


@lru_cache(maxsize=1024)
def _literal_words(pattern: str) -> frozenset[str]:
    """The words a regular expression spells out ("aim" in "the\\s+(?:idea|aim)"), its
    escapes ("\\b", "\\s", "\\w") taken out; a word with an optional last letter
    ("effects?") both ways."""
    plain = re.sub(r"\\[a-zA-Z]", " ", pattern)
    short = re.findall(r"([a-z]+)[a-z]\?", plain)
    return frozenset([*re.findall(r"[a-z]+", plain), *short])


@lru_cache(maxsize=1)
def _shipped() -> MessageRules:
    text = resources.files("oncocite.search").joinpath("message.yaml").read_text("utf-8")
    return MessageRules.from_yaml(text)


# ----------------------------------------------------------------- the reading
@dataclass(frozen=True)
class Need:
    """One thing a message asks.

    `text` is the question as written (greeting and sign-off removed); `query` is
    what is searched: the question, with the subject it points back to ("How does
    it work?" after "What is Kadcyla?") and, for the kinds whose answer depends on
    the tumour (eligibility, options, timing), the clinical context of the message.
    `subject` holds the vocabulary terms the need is about.
    """

    text: str
    query: str
    kind: NeedKind
    subject: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    topic: str = ""  # its own topic words ("monoclonal antibody"), when it names no term
    # what a question points back to besides its own subject: the story's words for a
    # first question ("is that…?"), an earlier subject for a later one ("…like it?")
    about: str = ""
    # the context terms that name a treatment the story says was had ("I had surgery
    # and radiotherapy", "finished herceptin"): they help choose what to quote, but an
    # answer about what comes next need not name them
    history: tuple[str, ...] = ()
    # states of the person the message names ("my daughter is pregnant"): whatever
    # it asks, an answer must speak of them (vocabulary.yaml `condition`)
    conditions: tuple[str, ...] = ()
    # states the message names that this need's answer is not held to (it asks what
    # something is or how it works, the same for everyone): an answer that names none
    # of them says its sources say nothing about them
    unbound: tuple[str, ...] = ()
    # the words that say the need's kind ("aim" in "what's the aim of giving it?"): they
    # choose what to quote, but are never a topic the library must name
    framing: tuple[str, ...] = ()
    # drugs the story tells as had beside the one asked about ("…starts it next week
    # with her anastrozole. Is it a chemo?"): an answer need not name them
    alongside: tuple[str, ...] = ()
    # the words of a claim the question doubts ("I've heard Enhertu can cause lung
    # problems. Is that right?"): an answer must name every one, however heavy the
    # drug it is of
    doubted: tuple[str, ...] = ()
    # the question before put the other way ("Can I drive home after the infusion, or
    # do I need someone to take me?"): what the library cannot answer of the one, it
    # cannot answer of the other
    alternative: bool = False
    # the message around it told a story or asked more ("onc says immuno plus chemo
    # first to shrink it before the op. shrink it so what??"): a message, however short
    storied: bool = False

    @property
    def told(self) -> tuple[str, ...]:
        """The context as the story tells it: "spread to her lungs" is said of the
        cancer as "spread"; the organ is the patient's, not a topic pages must name."""
        return tuple(
            dict.fromkeys("spread" if t.startswith("spread to ") else t for t in self.context)
        )

    @property
    def tumour(self) -> tuple[str, ...]:
        """The context as what an answer must speak to: the cancer the story
        describes ("inflammatory breast cancer", "HER2 positive", "spread"), not the
        treatments it says were had (`history`)."""
        return tuple(t for t in self.told if t not in self.history)

    @property
    def depends_on_context(self) -> bool:
        """Whether the answer depends on the tumour the message describes ("can she
        have Perjeta?" after "inflammatory breast cancer, HER2 positive")."""
        return self.kind in _WITH_CONTEXT


@dataclass(frozen=True)
class MessageReading:
    """A message as read: its needs, the context it gives, the words that are never
    topics (people, filler, the names and greetings it holds), and whether it was a
    message at all rather than one plain question."""

    text: str
    needs: tuple[Need, ...]
    context: tuple[str, ...] = ()
    ignored: frozenset[str] = field(default_factory=frozenset)
    dropped: tuple[str, ...] = ()
    cleaned: str = ""  # the message without its greeting, courtesy and sign-off

    @property
    def several(self) -> bool:
        return len(self.needs) > 1

    def is_topic_word(self, word: str) -> bool:
        """Whether a word of the message may be what a question is about."""
        return _norm(word) not in self.ignored


def read_message(
    text: str, vocabulary: Vocabulary | None = None, rules: MessageRules | None = None
) -> MessageReading:
    """The needs of a message (at most MAX_NEEDS), its context and its non-topics."""
    rules = rules or _shipped()
    vocabulary = vocabulary or Vocabulary.load()
    spoken = _SPOKEN_PUNCTUATION.sub(lambda m: _SPOKEN[m.group(1).lower()], text)
    spoken = _SIDE_EFFECTS_SHORT.sub("side effects", spoken)
    # a word of a term with a consonant doubled or written once ("the most comon side
    # efects", "'targetted' drugs", "inflamatory") is read as the term's word throughout
    spoken = apply_corrections(spoken, vocabulary.doubling_corrections(spoken, rules.ignored))
    numbered = _FIRST_ITEM.search(spoken) is not None
    spoken = _inline_numbered(spoken)
    sentences = [
        piece
        for start, end in sentence_spans(spoken, casual=True)
        for piece in _dictated_clauses(spoken[start:end])
    ]
    dropped: list[str] = []
    names: set[str] = set()
    kept = _topic_line_apart(_without_frame(sentences, rules, dropped, names), vocabulary)
    questions: list[str] = []
    context: list[str] = []
    said: list[str] = []  # sentences telling of a question someone asked
    alternatives: set[str] = set()  # questions after "or" that name nothing of their own
    for sentence in kept:
        quoted = _QUOTED_QUESTION.match(sentence)
        if quoted is not None and not _asks(sentence):
            # "Jo wants to ask in her own words: 'what is a targetted drug." asks what
            # follows the colon, in the words it is put
            context.append(quoted.group(1))
            asked = sentence[quoted.end() :].strip(" '\"‘’“”")
            questions.extend(_split_joined(asked, rules, alternatives))
        elif _asks(sentence):
            told, asked = _told_then_asked(*_reported(sentence))
            if told:
                context.append(told)
            # ("She keeps asking me is this a rare thing, is it only her…?": the
            # question a clause tells of is asked too)
            questions.extend(
                _reported(part)[1] for part in _split_joined(asked, rules, alternatives)
            )
        else:
            (said if _TOLD_OF.search(_APOSTROPHE.sub("", sentence)) else context).append(sentence)
    if said and not any(_has_topic(q, rules) for q in questions):
        # "She asked what researchers are looking at… Anything you can tell us?": the
        # question told of is what is asked, when the message asks nothing of its own
        told_of = [_reported(sentence, _TOLD_OF) for sentence in said]
        context += [told for told, _ in told_of if told]
        questions = [q for _, asked in told_of for q in _split_joined(asked, rules)] + questions
    else:
        context += said
    if not questions:  # a statement or a topic ("Information about Herceptin"): one need
        questions, context = [" ".join(kept) or text.strip()], []
    history: set[str] = set()
    terms = _context_terms(context, vocabulary, rules, history)
    whole = " ".join(kept)
    named = _find(vocabulary, whole)
    whole_words = words(whole)
    # a condition said only inside a set phrase ("is it pointless at her age?") is
    # why something is asked, not what the answer must speak of
    colouring = rules.idiom_only_words(kept)
    conditions = tuple(
        dict.fromkeys(
            m.surface
            for m in named
            if _a_condition(m, vocabulary)
            and not _denied(whole_words, m.start)
            and not all(_norm(w) in colouring for w in words(m.surface))
        )
    )
    # "my husband has lung cancer and they want him on keytruda": the cancer a drug is
    # asked for is another than the breast's, which every answer must then speak of,
    # whoever else's breast cancer the message tells of (not "I thought it was just for
    # lung cancer", a cancer nobody is said to have)
    other = _ANOTHER_CANCER.search(whole)
    if other is not None:
        conditions = (*conditions, f"{other.group(1).lower()} cancer")
    # "whats the differnce between…": a misspelt everyday word is read as the word
    # it is, for the kind of question and as no topic
    typos = _word_speller(rules).corrections(text)
    needs = _needs(questions[:MAX_NEEDS], context, terms, rules, vocabulary, typos, alternatives)
    read: list[Need] = []
    story = " ".join(context)
    for n in needs:
        bound = _binding(conditions, n, story if numbered else None)
        read.append(
            replace(
                n,
                history=tuple(dict.fromkeys([*n.history, *(t for t in n.context if t in history)])),
                conditions=bound,
                unbound=tuple(c for c in conditions if c not in bound),
                framing=_framing(n, rules, vocabulary),
            )
        )
    needs = read
    # a name is never a drug ("our Herceptin nurse"), and "Jean's" is read as "jeans"
    name_words = frozenset(
        form for n in names if not vocabulary.find(n) for form in (_norm(n), _norm(n) + "s")
    )
    if name_words:  # "…thank you very much, Lucia": a name is never what a story is about
        needs = [
            replace(n, about=" ".join(w for w in n.about.split() if _norm(w) not in name_words))
            for n in needs
        ]
    ignored = rules.ignored | name_words
    ignored |= frozenset(_norm(written) for written, _ in typos)
    # an everyday word with its "g" dropped ("is that just bein a bit tired", "me
    # granddaughter keeps sayin"): that word; and a letter on its own ("H in HER2?")
    ignored |= frozenset(
        w
        for w in words(text)
        if (w.endswith("in") and len(w) > 3 and f"{w}g" in rules.ignored)
        or (len(w) == 1 and w.isalpha())
    )
    # where it has spread is said of the cancer, in a question as in a story ("its
    # spread to his lungs, would they give him immunotherapy now"): the organ is the
    # patient's, not a topic the pages must name
    ignored |= _spread_sites(" ".join(kept))
    ignored |= colouring
    # a size read off a report ("residual invasive carcinoma 8mm", "a 2.5cm lump") is
    # the patient's, never a topic the pages must name; nor is which cycle ("3rd")
    ignored |= frozenset(w for m in _MEASUREMENT.finditer(text) for w in words(m.group(0)))
    cleaned = " ".join(kept) or text.strip()
    if len(kept) > 1:
        # the first need is searched as the whole message: its subject line and story
        # find the page better than its question alone (MEDIQA consumer tuning half:
        # the first hit is judged relevant for 65 % of messages searched whole, 54 %
        # for their first question alone; searching a question alone when it names its
        # own subject lowered the seed messages answered from 56 % to 28 %, held out);
        # later questions are searched on their own
        searched = cleaned
        if needs[0].kind == "options" and needs[0].history:
            # "She has had herceptin and perjeta already. What else is there?": the
            # drugs had are what the options come after, not what to search for
            searched = _without_terms(cleaned, needs[0].history)
        needs[0] = replace(needs[0], query=_with_kind_words(searched, needs[0].kind))
    return MessageReading(text, tuple(needs), tuple(terms), ignored, tuple(dropped), cleaned)


# ----------------------------------------------------------------- the steps

# (and an ordinal: "3rd cycle now and the side effects keep getting worse")
_MEASUREMENT = re.compile(
    r"\b\d+(?:\.\d+)?(?:mm|cm|mls?|kg)\b|\b\d+(?:st|nd|rd|th)\b", re.IGNORECASE
)

# "3 things sorry: 1) is there parking… 2) is a glass of wine ok… 3) will the hercptin
# be before her op or after??": numbered questions on one line, each its own line
# (and "Q1 what is neratinib Q2 who gets it Q3 is it a tablet": questions numbered)
_NUMBERED_ITEM = re.compile(
    r"(?<=\S)[ \t]+(?=(?:(?:[1-9]|1[0-9])[).]|Q(?:[1-9]|1[0-9])[).:]?)\s+[A-Za-z])"
)
_FIRST_ITEM = re.compile(r"(?:^|\s)(?:1[).]|Q1[).:]?)\s+[A-Za-z]")
_ITEM_NUMBER = re.compile(
    r"^([ \t]*)(?:(?:[1-9]|1[0-9])[).]|Q(?:[1-9]|1[0-9])[).:]?)[ \t]+(?=[A-Za-z])", re.MULTILINE
)


def _inline_numbered(text: str) -> str:
    """`text` with each numbered item ("1) …", "2. …") on a line of its own, its number
    left out: the item is read as the question it is ("2) is a glass of wine ok…")."""
    if _FIRST_ITEM.search(text) is None:
        return text
    return _ITEM_NUMBER.sub(r"\1", _NUMBERED_ITEM.sub("\n", text))


# "wot SEs are the most common ones??", "any S/E?": side effects, in capitals (not "ses")
_SIDE_EFFECTS_SHORT = re.compile(r"\bSE(?:s|'s|’s)?\b|\bS/Es?\b")
# A message dictated into a phone: punctuation said aloud ("…alongside an operation
# question mark thanks from ryan") is the mark it names
_SPOKEN = {"question mark": "?", "full stop": ".", "comma": ",", "exclamation mark": "!"}
_SPOKEN_PUNCTUATION = re.compile(
    r"\s+(question\s+mark|full\s+stop|exclamation\s+mark|comma)\b(?=\s|$)", re.IGNORECASE
)
# and with none at all, the clauses run on: a question starts where a question's
# opening words follow a word that ends a clause ("…because of her lungs can she have
# one of these drugs…", "…what does her to positive actually mean is it worse…")
_RUN_ON_QUESTION = re.compile(
    r"\s(?=(?:can|could|will|would|should|does|do|did)\s+"
    r"(?:she|he|i|they|we|you|it|my|her|his|their|this|that)\b"
    # ("the cancer is her to positive": "is her" is no question; nor "to have it")
    r"|(?:is|are)\s+(?:she|he|i|they|we|you|it|there|this|that)\b"
    # (not "who" or "which": "…for my mum who is on Kisqali" tells who she is)
    r"|(?:what|whats|how|why|when)\s+(?:is|are|does|do|did|can|could|will|would|"
    r"should|happens|about)\b"
    # and an apology or thanks starts a clause of its own ("…or both sorry about no
    # punctuation im walking the dog")
    r"|sorry\b|(?:thanks|thank\s+you|cheers)(?=\s*$|\s+(?:so\s+much|in\s+advance|for|again|from)\b))",
    re.IGNORECASE,
)
# words after which a question's opening words go on the clause ("I want to know is
# it…", "and is there…"; not "so": "…with the chemo so is she getting it before…")
_RUN_ON_JOINS = frozenset(
    """and or but if that whether because know wonder wondering asking ask tell sure
    unsure idea me us him them""".split()  # noqa: SIM905
)
RUN_ON_MIN_WORDS = 12  # a shorter unpunctuated message is one question as it stands


_WH = frozenset("what whats which how why when where who whose".split())  # noqa: SIM905
_AUXILIARIES = frozenset(
    "is are was were does do did can could will would should has have had".split()  # noqa: SIM905
)


def _inversion_pending(clause: list[str]) -> bool:
    """Whether a clause opened a question with a question word and a noun phrase whose
    verb is still to come ("how many more rounds of pembrolizumab | do you get"), as
    against one whose verb came ("what does it actually mean | is it worse")."""
    for index in range(len(clause) - 1, -1, -1):
        if clause[index] in _WH:
            return index + 1 >= len(clause) or clause[index + 1] not in _AUXILIARIES
    return False


def _dictated_clauses(sentence: str) -> list[str]:
    """A long sentence with no punctuation inside, cut where a question starts (a
    message dictated or typed without stops); any other sentence whole."""
    body = sentence.rstrip(" ?.!")
    if len(words(body)) < RUN_ON_MIN_WORDS or re.search(r"[.?!;:,–—]|\s-\s", body):
        return [sentence]
    pieces: list[str] = []
    start = 0
    for match in _RUN_ON_QUESTION.finditer(sentence):
        cut = match.start()
        before = words(sentence[start:cut])
        if len(before) < 3 or before[-1] in _RUN_ON_JOINS or _inversion_pending(before):
            continue
        pieces.append(sentence[start:cut].strip())
        start = cut
    pieces.append(sentence[start:].strip())
    return [p for p in pieces if p]


def _without_frame(
    sentences: Sequence[str], rules: MessageRules, dropped: list[str], names: set[str]
) -> list[str]:
    """The sentences with the greeting, courtesy, self-introduction and sign-off
    taken out (each recorded in `dropped`, names in `names`)."""
    kept: list[str] = []
    for index, sentence in enumerate(sentences):
        text = sentence
        if index == 0:
            label = _LABEL.match(text)
            if label is not None and label.end() and text[label.end() :].strip():
                dropped.append(text[: label.end()].strip())
                text = text[label.end() :]
            text = _strip_prefix(text, rules.greeting, dropped, names)
        for match in _INTRO.finditer(text):
            names.add(match.group(1) or match.group(2))
        for match in _PLACE.finditer(text):
            names.update(match.group(1).split())
        role = _ROLE_HERE.match(text) if not kept else None
        if role:
            names.update(role.group(1).split())
        names.update(match.group(1) for match in rules.named.finditer(text))
        names.update(match.group(1) for match in _WHOSE.finditer(text))
        names.update(match.group(1) for match in _ASKER.finditer(text))
        # who speaks in a copied chat ("[18:03] Kerry: is that common??")
        names.update(match.group(1) for match in _CHAT_SPEAKER.finditer(text))
        if index >= len(sentences) - 2:
            text = _strip_sign_off(text, rules.sign_off, dropped, names)
        plain = _norm(text).strip()
        if not plain:
            continue
        if plain in rules.courtesy or (index >= len(sentences) - 2 and _NAME.match(text)):
            dropped.append(text)
            if _NAME.match(text):
                names.update(_LETTERS.findall(text))
            continue
        kept.append(text)
    return kept


def _topic_line_apart(kept: list[str], vocabulary: Vocabulary) -> list[str]:
    """The message's first sentence with a leading name and dash or colon ("neratinib -
    i finished herceptin 2 years ago, am i too late to have it now?") read as a
    subject line and the sentence after it: "it" is the neratinib, the herceptin what
    was had."""
    if not kept:
        return kept
    found = _TOPIC_LINE.match(kept[0])
    if found is None or not found.group(2).strip():
        return kept
    head = found.group(1)
    matches = vocabulary.find(head)
    if not matches or " ".join(words(matches[0].surface)) != " ".join(words(head)):
        return kept  # the whole head is one term of the vocabulary, or no subject line
    return [head, found.group(2).strip(), *kept[1:]]


# "Tucatinib - do I…", "Kadcyla: my mum…": up to three words, then a dash or colon
_TOPIC_LINE = re.compile(
    r"^\s*([A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,2})\s*(?:\s[-–—]|:)\s+(.+)$", re.S
)


def _strip_prefix(text: str, pattern: re.Pattern[str], dropped: list[str], names: set[str]) -> str:
    """`text` without a leading greeting or sign-off (and the name after it)."""
    found = pattern.match(_APOSTROPHE.sub("", text))
    if not found:
        return text
    rest = text[found.end() :]
    name = re.match(r"^\s*([A-Z][a-z]{1,20})\b(?=\s*[,.!\n]|\s*$)", rest)
    if name:
        names.add(name.group(1))
        rest = rest[name.end() :]
    dropped.append(text[: len(text) - len(rest)].strip())
    return rest.lstrip(" ,.!-–:;\n")


def _strip_sign_off(
    text: str, pattern: re.Pattern[str], dropped: list[str], names: set[str]
) -> str:
    """`text` without a closing "Thanks, Sue" or "x", only when nothing but a name
    follows it: "Best treatment for her?" is a question, not a sign-off."""
    found = pattern.match(text)
    if not found:
        return text
    rest = text[found.end() :].strip(" ,.!x\n")
    if rest and not _NAME.match(rest):
        return text
    if rest:
        names.update(_LETTERS.findall(rest))
    dropped.append(text.strip())
    return ""


# "…lists "Ontruzant" and asked me what it is, and I'm embarrassed…", "He wants to know
# if scientists are working on…": a question someone is said to ask, inside a story
_REPORTED = re.compile(
    r"\b(?:(?:asked|asking|asks)\s+(?:me|us|you)|"
    r"(?:wants?|wanted|wanting|would\s+like|d\s+like|needs?|needed)\s+to\s+know|"
    r"wondering|wonders|wondered)\s+(?=(?:whether|if|why|what|whats|how|when|which|who)\b"
    # ("She keeps asking me is this a rare thing"): asked in its own words
    r"|(?:is|are|was|does|do|did|can|could|will|would|should|has|have)\s+"
    r"(?:this|that|it|she|he|they|there|her|his)\b)",
    re.IGNORECASE,
)
_BY_THE_WRITER = re.compile(
    r"\b(?:i|we|im|id|ive|i\s+am|we\s+are|i\s+would|we\s+would|i\s+really|i\s+just|"
    r"i\s+was|we\s+were|i\s+have\s+been|ive\s+been|i\s+also|we\s+also|i\s+m)\s*$",
    re.IGNORECASE,
)
# where the reported question ends: "…what it is, and I'm embarrassed to say…"
_REPORTED_END = re.compile(
    r"\s*(?:[;:]|,\s*(?:and|but|so)\s+(?=(?:i|im|id|ive|we|she|he|they)\b)|"
    r"\s(?:and|but|so)\s+(?=(?:i|im|id|ive|we)\b))",
    re.IGNORECASE,
)


# "One of the ladies asked whether that's unusually high": a question someone asked,
# told of in passing; what the message asks is its own question, if it has one
_TOLD_OF = re.compile(
    r"\b(?:asked|asking|asks)\s+(?=(?:whether|if|why|what|whats|how|when|which|who)\b)",
    re.IGNORECASE,
)


def _reported(sentence: str, cue: re.Pattern[str] | None = None) -> tuple[str, str]:
    """(story, question) of a sentence that tells of a question rather than asking
    it ("She asked me what the new one is for and I'd like to tell her properly"):
    the question is what was asked, the rest is story; a sentence that asks
    directly (a question mark, a question word first) is all question."""
    plain = _APOSTROPHE.sub("", sentence)
    if sentence.rstrip().endswith("?") or _QUESTION_START.match(plain):
        return "", sentence
    found = (cue or _REPORTED).search(plain)
    if not found or _BY_THE_WRITER.search(plain[: found.start()]):
        # "I would like to know whether…": the writer's own question, asked whole
        return "", sentence
    story, rest = _split_at_plain(sentence, found.start(), found.end())
    end = _REPORTED_END.search(_APOSTROPHE.sub("", rest))
    asked = rest[: _raw_offset(rest, end.start())] if end else rest
    asked = asked.strip(" ,.!")
    if len(words(asked)) < 2:
        return "", sentence
    return story.strip(" ,"), asked


def _raw_offset(text: str, plain_offset: int) -> int:
    """The offset in `text` of `plain_offset` in `text` with its apostrophes taken out."""
    seen = 0
    for index, char in enumerate(text):
        if seen == plain_offset:
            return index
        if not _APOSTROPHE.match(char):
            seen += 1
    return len(text)


def _split_at_plain(text: str, start: int, end: int) -> tuple[str, str]:
    """`text` before the cue found at [start, end) of its apostrophe-free form, and after it."""
    return text[: _raw_offset(text, start)], text[_raw_offset(text, end) :]


def _asks(sentence: str) -> bool:
    plain = _APOSTROPHE.sub("", sentence)
    # "We're trying to plan ahead…" is not "were…?" once its apostrophe is gone
    opens = (
        _QUESTION_START.match(plain)
        and not _CONTRACTED.match(sentence)
        and not (_SUBJECT_LEFT_OUT.match(plain) and sentence.rstrip().endswith("."))
    )
    return sentence.rstrip().endswith("?") or bool(
        opens
        or _REQUEST.search(plain)
        or _REPORTED.search(plain)
        or _LAST_CLAUSE_ASKS.search(plain)
        or _JOINED_ASKS.match(plain)
        # "Stupid question maybe but what actually does immunotherapy do.": a question
        # after "but", its question mark left off
        or _ASKS_AFTER_BUT.search(plain)
        # "…and I cant be laid up for months, is it going to be the same for me": a
        # run-on story whose last clause asks, its question mark left off
        or _YES_NO_LAST.search(plain)
    )


# "why is herceptin given for a year?? and also can i have it while im having rads":
# a question after "and also", its question mark left off (a verb, then its subject)
_JOINED_ASKS = re.compile(
    r"^\W*(?:and\s+also|and|also|plus|oh\s+and|but|so)\s+"
    r"(?:can|could|will|would|should|do|does|did|is|are|what|how|why|when|which)\s+"
    r"(?:i|you|she|he|we|they|it|this|that|my|her|his|the|there)\b",
    re.IGNORECASE,
)


# "report says oncotype score 31, what does that mean.": a statement, then after its
# comma a question put with a full stop (a question word and its verb; not "which" or
# "who", whose clause tells more: "…keep things normal, which is harder than it sounds.")
_LAST_CLAUSE_ASKS = re.compile(
    # (and a run-on story's last clause: "…and I just nodded, so what actually is HER2
    # positive and does it change my treatment")
    r",\s*(?:(?:so|but|and)\s+)?(?:what|how|why)\s+(?:(?:actually|exactly|really|even)\s+)?"
    r"(?:does|do|did|is|are|was|were|can|could|should|will|would)\b[^,]*$",
    re.IGNORECASE,
)


_CONTRACTED = re.compile(r"^\W*we\s*['’‘`´]\s*re\b", re.IGNORECASE)
# "Had Herceptin for my first 4 cycles and now they have switched me…": the writer's
# "I" left out, a statement that ends with a full stop, not "Has anyone…?" asked
_SUBJECT_LEFT_OUT = re.compile(
    r"^\W*(?:had|has|have)\s+(?!(?:i|you|she|he|it|we|they|anyone|anybody|someone|somebody|"
    r"any|the|my|your|her|his|their|our|this|that|these|those|a|an|there)\b)\w",
    re.IGNORECASE,
)


def _told_then_asked(told: str, asked: str) -> tuple[str, str]:
    """ "I've had a rash since starting pembrolizumab, is that normal?": a statement
    and, after its comma, a question about it; the statement is story, as it would
    be in a sentence of its own ("…pembrolizumab. Is that normal?")."""
    if told or _opens_a_question(asked):
        return told, asked
    inner = _INNER_QUESTION.search(asked) or _INNER_REQUEST.search(asked)
    if inner is not None and inner.start():
        # "I've heard of herceptin but what is pertuzumab, does it go by another
        # name?": what follows the "but" is asked, and its comma question with it
        return asked[: inner.start()].strip(" ,;"), asked[inner.end() :].strip(" ,;")
    found = _POINTING_QUESTION.search(asked)
    if found is None and not _SUBORDINATE.match(asked):
        # "i finished herceptin 2 years ago, am i too late to have it now?": a
        # statement, then a yes-or-no question after its comma, as two sentences
        # would be ("If she is HER2 positive, will she…" is one question, and so is
        # a list of them: "Three questions: what's in it, …, and will her hair go?")
        found = _YES_NO_AFTER_COMMA.search(asked) or _YES_NO_LAST.search(asked)
        if found is not None and _ASKS_BEFORE.search(asked[: found.start()]):
            found = None
    if found is not None and _reported(asked[: found.start()])[0]:
        # "She keeps asking me is this a rare thing, is it only her who has this?": a
        # question told of before it is asked too (`_split_joined` parts them)
        found = None
    if found is None and (_NOT_DONE_TOLD.match(_APOSTROPHE.sub("", asked))):
        # "cant find purjetta anywhere on google, what even is it": what could not be
        # done is story; what is asked comes after it ("report says oncotype score 31,
        # what does that mean" asks of the report: one question)
        found = _LAST_CLAUSE_ASKS.search(asked)
    if found is None or not found.start():
        return told, asked
    return asked[: found.start()].strip(" ,;"), asked[found.start() :].strip(" ,;")


# a statement that turns into a question after "but" or "so" ("I know X but what is Y")
_INNER_QUESTION = re.compile(
    r"\b(?:but|so)\s+(?=(?:what|whats|how|who|why|which|when)\b)", re.IGNORECASE
)
_ASKS_AFTER_BUT = re.compile(
    r"\bbut\s+(?:what|how|why|which)\s+(?:(?:actually|exactly|really|even)\s+)?"
    r"(?:does|do|did|is|are|can|could|will|would|should)\b",
    re.IGNORECASE,
)
# a run-on story that turns into what the writer wants to know ("…he said they said
# its not the same as chemo and I want to know what a targeted drug actually does")
_INNER_REQUEST = re.compile(
    r"\b(?:and|so|but)\s+(?=i\s+(?:really\s+|just\s+)?(?:want|need|would\s+like|d\s+like|"
    r"wanna)\s+to\s+know\s+(?:what|how|why|whether|if|when|which|who)\b)",
    re.IGNORECASE,
)
# a lead-in and a colon, then a question put in its own words (quoted or not)
_QUOTED_QUESTION = re.compile(
    r"^([^:?]{3,}?):\s*['\"‘“]?(?=(?i:what|whats|how|why|when|where|which|who|is|are|can|"
    r"could|does|do|did|will|would|should)\b)"
)
# a verb, then its subject, after a comma: how a yes-or-no question opens there
_YES_NO_OPENING = (
    r",\s*(?:(?:so|and|but)\s+)?(?:am|is|are|was|were|can|could|will|would|should|do|does|"
    r"did|has|have|may|might|must)\s+"
)
# a yes-or-no question closing a sentence after a comma
_YES_NO_AFTER_COMMA = re.compile(
    _YES_NO_OPENING
    + r"(?:i|we|she|he|they|you|it|this|that|there|my|her|his|our|their)"
    # (its own words after them: "…got terrible side effects, will I?" asks of the
    # clause before it, one question)
    + r"\s+\w[^,]*\?\s*$",
    re.IGNORECASE,
)
# the same at the end of a run-on story, its question mark left off ("…and I cant be
# laid up for months, is it going to be the same for me"; not "…, can you remind me",
# a request about the clause before it)
_YES_NO_LAST = re.compile(
    _YES_NO_OPENING + r"(?:i|we|she|he|they|it|this|that|there|my|her|his|our|their)\s+\w[^,.!?]*$",
    re.IGNORECASE,
)
# a clause that says when or on what condition: the question after its comma needs it
_SUBORDINATE = re.compile(
    r"^\W*(?:(?:and|but|so|also|or)\s+)?(?:if|when|whenever|since|because|cos|as|once|after|"
    r"before|although|though|while|whilst|unless|until|given|even|now\s+that|so\s+that|"
    r"in\s+case)\b",
    re.IGNORECASE,
)
# what asks before the last clause: a colon's list, a question after a comma
_ASKS_BEFORE = re.compile(
    r"[:?]|,\s*(?:(?:and|or|but|so)\s+)?(?:what|whats|how|why|when|where|which|who|is|are|"
    r"can|could|does|do|did|will|would|should)\b",
    re.IGNORECASE,
)
# a last clause asking about what the clause before it told ("…, is that normal?",
# "…, should I be worried?", "…, is this a side effect?")
_POINTING_QUESTION = re.compile(
    r",\s*(?:(?:is|was|could|can|would|should|does)\s+(?:that|this|it)\b"
    r"|should\s+(?:i|we|she|he)\s+(?:be\s+)?(?:worried|worry|concerned))[^,]*\?\s*$",
    re.IGNORECASE,
)


# "Am I ok to drive myself home afterwards or should I get a lift?": the other side
# of one choice the writer puts, whatever it names
_PERSON_CHOOSES = re.compile(
    r"\s*(?:should|do|does|must|will|would|can|could)\s+(?:i|she|he|we|they)\s+"
    r"(?:just\s+|still\s+|rather\s+)?(?:get|ask|have|need|go|take|wait|stay|book|bring)\b",
    re.IGNORECASE,
)


# "had a rash since…", "had my op last week": what was had, its "I" left out
_HAD_TOLD = re.compile(r"^\W*had\s+(?:a|an|my|the|her|his|our|their)\s+\w", re.IGNORECASE)


def _opens_a_question(text: str) -> bool:
    """Whether a clause opens as a question does ("is that normal?"), not as what was
    had or could not be done, its "I" left out ("had a blotchy rash since starting
    keytruda, is that…?", "cant find purjetta anywhere on google, what even is it")."""
    plain = _APOSTROPHE.sub("", text)
    return (
        bool(_QUESTION_START.match(plain))
        and not _HAD_TOLD.match(plain)
        and not _NOT_DONE_TOLD.match(plain)
    )


# "cant find it anywhere", "dont know what it is": a negative told with its "I" left
# out, a verb where a question has its subject ("cant she have it?", "isnt it…?")
_NOT_DONE_TOLD = re.compile(
    r"^\W*(?:cant|dont|doesnt|didnt|wont|havent|couldnt)\s+(?!(?:i|you|she|he|it|we|they|"
    r"there|this|that|these|those|the|a|an|my|your|her|his|their|our|any|anyone|all|some|"
    r"mum|mom|dad|people|doctors)\b)[a-z]+\s+\w",
    re.IGNORECASE,
)


def _split_joined(
    sentence: str, rules: MessageRules, alternatives: set[str] | None = None
) -> list[str]:
    """ "What is Kadcyla and how does it work?" asks two things; so does "What is
    herceptin exactly, how much will it cost us, and will she lose her hair?" (a
    comma opens a new question only after a question: "If she is HER2 positive, will
    she…" is one). A question after "or" that names nothing of its own and asks for
    nothing else ("…or do I need someone to take me?") is put in `alternatives`: the
    one before put the other way."""
    split = _JOINED.split(sentence)
    parts: list[str] = []
    for index, joined in enumerate(split[::2]):
        # ("…or is it done some other way?" asks for another way, which the library may
        # hold where it cannot say yes to the first)
        if (
            index
            and alternatives is not None
            and split[2 * index - 1].lower() == "or"
            and (not _has_topic(joined, rules) or _PERSON_CHOOSES.match(joined))
            and not _ALTERNATIVE.search(joined)
        ):
            alternatives.add(_COMMA_QUESTION.split(joined)[0].strip(" ,;"))
        pieces = _COMMA_QUESTION.split(joined)
        current = pieces[0]
        for piece in pieces[1:]:
            # ("Three quick questions: which drug is approved, who is it for…": what
            # follows a lead-in's colon is the question)
            asked = current.rsplit(":", 1)[-1]
            # ("She keeps asking me is this a rare thing, is it only her…?": a question
            # told of, then one asked)
            told_of = _reported(asked)[0] != ""
            if (_opens_a_question(asked) or told_of) and len(words(piece)) >= 3:
                parts.append(current)
                current = piece
            else:
                current = f"{current}, {piece}"
        parts.append(current)
    parts = [p.strip(" ,;") for p in parts]
    return [p for p in parts if len(words(p)) >= 2] or [sentence]


def _context_terms(
    context: Sequence[str], vocabulary: Vocabulary, rules: MessageRules, history: set[str]
) -> list[str]:
    """The vocabulary terms the message's statements name ("her2 positive",
    "inflammatory breast cancer" is kept whole when the message says it); those that
    name a treatment (a drug, or one of message.yaml's `treatments`) are also added
    to `history`."""
    terms: list[str] = []
    for sentence in context:
        for match in _find(vocabulary, sentence):
            # "my tumor was HER2 negative": "tumor" only says how it is spelt
            if match.kind != "spelling" and match.surface not in terms:
                terms.append(match.surface)
                if match.kind == "generic" or match.canonical.lower() in rules.treatments:
                    history.add(match.surface)
        lowered = sentence.lower()
        for found in _QUALIFIED_CANCER.finditer(lowered):
            phrase = found.group().strip()
            if phrase not in terms:
                terms.append(phrase)
        spread = re.search(r"\bspread\s+to\s+(?:her|his|my|the|their)?\s*(\w+)", lowered)
        told = [f"spread to {spread.group(1)}"] if spread else []
        # "now its back in my lungs and liver": it came back, and where it has spread;
        # "back in the same breast": it came back
        if back := _BACK_IN.search(lowered):
            told.append("come back")
            if not back.group(1).endswith("breast"):
                told.append(f"spread to {back.group(1)}")
        terms += [t for t in dict.fromkeys(told) if t not in terms]
    return terms


_BACK_IN = re.compile(
    r"\b(?:(?:it'?s|its|it\s+is|it\s+has|it\s+had|has|had|come|came|coming|been\s+found|"
    r"found\s+it)\s+back\s+in|(?:it'?s|its|it\s+has|has|it|had)\s+(?:returned|recurred|"
    r"reappeared)\s+(?:in|to))"
    # ("It's returned in both lungs"; not "back in the breast clinic")
    r"\s+(?:her|his|my|the|their|your|both)\s+(?:\w+\s+)?(same\s+breast|breast|"
    r"lungs?|liver|bones?|brain|spine|skin|lymph\s+nodes|nodes)\b"
    r"(?!\s+(?:clinic|unit|care|nurse|team|centre|center|surgeon|screening))"
)


# "inflammatory breast cancer", "triple negative breast cancer": the kind of cancer
# a message names, kept whole (its qualifier changes which options apply).
_QUALIFIED_CANCER = re.compile(
    r"\b(?:(?:locally\s+)?advanced|inflammatory|lobular|ductal|invasive|secondary|metastatic|"
    r"early(?:\s+stage)?|recurrent|male|triple\s+negative|her2\s+(?:positive|negative|low)|"
    r"hormone\s+receptor\s+(?:positive|negative)|stage\s+(?:[1-4]|i{1,3}v?|iv))"
    r"\s+breast\s+cancer\b"
)
# "…people online say it can affect your thyroid. Is that true?": a claim told, doubted
_ASKS_IF_TRUE = re.compile(
    r"^(?:so\s+)?(?:is|was)\s+(?:that|this|it)\s+(?:really\s+|actually\s+)?"
    r"(?:true|right|correct|accurate|a\s+myth)\b"
)


# "is that normal?", "is this to be expected?": whether what the story told is usual
_ASKS_IF_USUAL = re.compile(
    r"^(?:so\s+)?(?:is|are)\s+(?:that|this|it|these|those)\s+(?:\w+\s+)?"
    r"(?:normal|common|usual|typical|expected|to\s+be\s+expected)\b"
)
# "My GP said 1 in 5, the oncologist said 15 percent. Which is it?": a choice between
# the claims just told, asked in no words of a kind of its own
_ASKS_WHICH = re.compile(
    r"^(?:so\s+)?which\s+(?:one\s+)?(?:is\s+(?:it|right|correct|true)|of\s+(?:them|the\s+two)\s+is)\b"
)


# "…she says HER2 positive is about half of all breast cancers. i said that cant be
# right??": the claim told, doubted in a statement
_CANT_BE_RIGHT = re.compile(
    r"^(?:(?:but|so|and)\s+)?(?:i\s+(?:said|say|think|thought|reckon|told\s+her|told\s+him)\s+)?"
    r"(?:that|it|this|thats|its)\s+(?:surely\s+)?(?:cant|cannot|can\s+not|couldnt|isnt|is\s+not)\s+"
    r"(?:be\s+)?(?:right|true|correct)\b"
)


def _doubts(question: str) -> bool:
    """Whether a question doubts the claim its story just told ("Is that true?")."""
    said = _norm(question)
    return _ASKS_IF_TRUE.search(said) is not None or _CANT_BE_RIGHT.search(said) is not None


# "…her thyroid is low since starting pembrolizumab. Is that a known thing?", "is this
# normal?": a question whose subject is what the story just told
# "Is it normal for side effects to change as you go along?": "it" holds the place of
# what follows, which the question names itself; it points back to no story
_PLACEHOLDER_IT = re.compile(
    r"^(?:so\s+)?is\s+it\s+(?:\w+\s+)?(?:normal|common|usual|ok|okay|typical|expected)\s+for\s+"
    r"(?!(?:me|her|him|them|you|us|someone|somebody|people|anyone|a|an)\b)\w+(?:\s+\w+){0,3}\s+to\b"
)
_ASKS_OF_STORY = re.compile(
    r"^(?:so\s+)?(?:is|are|was|could|can|would|will)\s+(?:that|this|it|these|those)\s+"
    # ("I have grapefruit juice every morning, is that going to be a problem?")
    r"(?:going\s+to\s+be\s+|gonna\s+be\s+)?(?:\w+\s+){0,2}"
    r"(?:normal|common|usual|known|expected|ok|okay|typical|a\s+side\s+effect|side\s+effects|"
    r"a\s+problem|an\s+issue|a\s+worry|a\s+concern|problematic|safe|alright|all\s+right|"
    r"a\s+known|caused|because|from|due|bad|good|serious|worrying|concerning|dangerous|high|low|"
    # "…my thyroid is now underactive. Is that linked?"
    r"linked|related|connected|to\s+do\s+with|a\s+coincidence)\b"
    # "I take turmeric and St John's wort… Just started palbociclib. Do I need to stop
    # them?": what "them" is stands in the story
    r"|^(?:so\s+)?(?:do|does|should|must|can)\s+(?:i|she|he|we|they|you)\s+(?:need\s+to\s+|have\s+to\s+)?"
    r"(?:stop|keep|carry\s+on|continue|give\s+up|avoid|come\s+off)\s+(?:taking\s+|using\s+)?"
    r"(?:them|those|these)\b"
    # "Everything tastes like tin foil since I started. Is that the Kisqali?"
    r"|^(?:so\s+)?(?:is|was|could)\s+(?:that|this|it|these|those)\s+(?:be\s+)?"
    r"(?:the|her|his|my|their)\s+\w+\W*$"
    # "My sister's cancer is HER2 low. Does that count as HER2 positive?"
    r"|^(?:so\s+)?(?:does|do|would|will|could)\s+(?:that|this|it|hers|his|mine)\s+count\s+as\b"
    # "…dentist says she needs a letter from the oncologist. why?": why what was told
    r"|^(?:so\s+|but\s+)?why\W*$"
    # "They're doing an ECG before I start ribociclib. what's it checking for": the
    # test the story told, not the drug
    r"|^(?:so\s+)?what\s*(?:s|is|are)?\s+(?:it|that|this|they)\s+(?:\w+\s+)?"
    r"(?:checking|testing|screening|monitoring)\s+for\b"
    # "…diagnosed with type 1 diabetes three months into pembrolizumab. Could the
    # Keytruda have caused it?": what "it" is stands in the story
    r"|^(?:so\s+)?(?:could|can|did|might|would|may)\s+(?:the\s+|her\s+|his\s+|my\s+)?\w+\s+"
    r"(?:have\s+|of\s+)?(?:caused|cause|brought\s+on|bring\s+on|triggered|trigger|set\s+off)\s+"
    r"(?:it|this|that|them|these|those)\b"
    # "…wants me to have abemaciclib but I'm HER2 positive. Is that a mistake?"
    r"|^(?:so\s+)?(?:is|was|would)\s+(?:that|this|it)\s+(?:\w+\s+){0,2}(?:a\s+mistake|right|"
    r"wrong|correct|an\s+error|a\s+good\s+idea)\b"
    # "…my sister swears by st johns wort. can i take it with neratinib": "it" is not
    # the drug named after it, but what the story told
    r"|^(?:so\s+)?(?:can|could|should|may)\s+(?:i|she|he|we|they|you)\s+(?:still\s+)?"
    r"(?:take|have|use|try|mix)\s+(?:it|them|this|that|these|those)\s+"
    r"(?:with|alongside|while|during)\b"
    # "My neutrophils were 0.9 on today's bloods… What does 0.9 actually mean?": the
    # number is the story's result
    r"|^(?:so\s+)?what\s+(?:does|do|did)\s+(?:a\s+|an\s+|that\s+|the\s+|my\s+|her\s+|his\s+)?"
    r"\d+(?:\s\d+)*\s+(?:percent\s+)?(?:\w+\s+)?mean\b"
)


def _spread_sites(text: str) -> frozenset[str]:
    """The words naming the distant organs a text says the cancer has spread to
    ("lungs", "liver"); not the nodes, skin or tissue near the breast, whose spread
    says what stage it is ("locally advanced") and which criteria name."""
    sites: set[str] = set()
    for found in _SPREAD_SITE.finditer(_norm(text)):
        sites |= {w for w in words(found.group(0))[2:] if w not in _SITE_GLUE}
    return frozenset(sites - _REGIONAL)


_SITE_GLUE = frozenset({"to", "into", "in", "the", "her", "his", "my", "your", "their", "and"})
_REGIONAL = frozenset(
    {
        "lymph",
        "node",
        "nodes",
        "gland",
        "glands",
        "armpit",
        "armpits",
        "skin",
        "tissue",
        "tissues",
        "muscle",
        "muscles",
        "chest",
        "breast",
        "wall",
    }
)
_SPREAD_SITE = re.compile(
    r"\b(?:spread|spreading|metastatic|metastasi[sz]ed|mets|gone|moved)\s+(?:in)?to\s+"
    r"(?:(?:the|her|his|my|your|their)\s+)?\w+(?:\s*(?:,|and)\s*(?:(?:the|her|his|my)\s+)?\w+)*"
)
# what a story tells to reassure ("no temperature, eating fine, in good spirits") and
# how far into treatment it is ("third cycle", "5 weeks in"): not what an answer on
# the symptoms told must also speak of
_REASSURED = re.compile(
    r"\b(?:no|not\s+any|without\s+any)\s+(?:\w+\s+)?(?:temperature|temp|fever|blood|"
    r"bleeding|vomiting|sickness|pain|breathing\s+problems?)\b|\b(?:eating|drinking|"
    r"breathing|sleeping|walking|coping|managing)\s+(?:fine|ok|okay|well|normally|normal|"
    r"alright)\b|\b(?:in\s+)?good\s+spirits\b|\b(?:otherwise|else)\s+(?:fine|well|ok|okay)\b|"
    r"\bfine\s+otherwise\b"
)
_TOLD_WHEN = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|first|second|third|fourth|"
    r"fifth|sixth|last|few|couple\s+of)\s+(?:few\s+)?(?:cycles?|rounds?|doses?|weeks?|months?|"
    r"years?|days?|sessions?|infusions?)\b"
)
_ALTERNATIVE = re.compile(
    r"\b(?:others?|else|instead|alternatives?|different)\b|\banother\s+way\b", re.I
)
_PLURAL_POINTER = re.compile(r"\b(?:they|these|those|them|ones)\b", re.I)
# "What are the most common ones?": which of the things told, not a topic of its own
_RANKED = re.compile(
    r"\b(?:most\s+)?(?:common|usual|main|worst|biggest|serious|likely)\s+(?=ones?\b)", re.I
)
# a later question that points back at the earlier one's subject while naming its own
_POINTS_BACK = re.compile(r"\b(?:one|it|this|that|these|those|them)\b(?!\s+(?:is|are)\b)", re.I)
_WITH_CONTEXT: frozenset[NeedKind] = frozenset({"eligibility", "options", "timing"})
# kinds a story may name for a bare "what are they?" to ask
_TOLD_KINDS: frozenset[NeedKind] = frozenset({"side_effects", "options", "research"})
# kinds of claim a story may tell for "is that true?" or "which is it?" to ask about
_CLAIMED_KINDS: frozenset[NeedKind] = frozenset(
    {"frequency", "side_effects", "timing", "combination"}
)


@dataclass(frozen=True)
class _Story:
    """What a message's statements say, which every question of it is read against."""

    context: tuple[str, ...]  # the statements
    terms: tuple[str, ...]  # their vocabulary terms (the clinical context)
    # "the doctor mentioned palbociclib or ribociclib. what are these": the drugs the
    # statements name last come first, then their other terms
    subject: tuple[str, ...]
    drugs: tuple[str, ...]  # the drugs they name (at most two, in order)
    text: str  # statements and questions: what a kind's `also` may read
    # "…starts it next week with her anastrozole", "…palbociclib capsules to go with
    # her letrozole": a drug told as had beside the one the story is about
    alongside: tuple[str, ...] = ()
    # "…they want a 'biomarker' result first. Is that test really necessary?": the
    # story's concepts by the head noun of their document term ("test": biomarker)
    by_head: tuple[tuple[str, str], ...] = ()
    # "…a girl from work is on immunotherapy… why haven't I been offered it?": the
    # treatments it names in everyday words, the last named first
    treatments: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()  # its receptor statuses and stages ("HER2 negative")

    def named_in_part(self, topic: str) -> tuple[str, ...]:
        """The story's one term whose words hold every topic word of a question that
        names no term ("what does targeted mean?" after "…'targeted' drugs"), or ()."""
        asked = set(topic.split())
        if not asked:
            return ()
        found = {t for t in self.terms if asked <= set(words(t))}
        return (found.pop(),) if len(found) == 1 else ()

    def named_by_head(self, question: str) -> str | None:
        """The story's term a question points at by its head noun ("that test")."""
        heads = dict(self.by_head)
        told = [t for t in self.treatments if not _SURGERY_WORDS.search(t)]
        for found in _BY_HEAD.finditer(_norm(question)):
            head = found.group(1)
            term = heads.get(head) or heads.get(head.rstrip("s"))
            if term is not None:
                return term
            if head in _A_TREATMENT and not self.drugs and len(told) == 1:
                # "…the doctor has said immunotherapy. What does this treatment do in
                # the body?": the one treatment the story names (a drug it names is
                # what "that drug" is, as "it" is)
                return told[0]
        return None

    @classmethod
    def read(
        cls,
        questions: Sequence[str],
        context: Sequence[str],
        terms: Sequence[str],
        rules: MessageRules,
        vocabulary: Vocabulary,
    ) -> _Story:
        matches: list[VocabMatch] = []
        alongside: list[str] = []
        said_in: dict[int, int] = {}  # id of a match -> the statement it stands in
        # ids of drugs told as what came before ("after the X", "finished X")
        before: set[int] = set()
        for number, statement in enumerate(context):
            corrected = _names_mended(vocabulary, statement)
            told = words(corrected)
            for match in vocabulary.find(corrected):
                matches.append(match)
                said_in[id(match)] = number
                if match.kind == "generic" and _had_alongside(told, match):
                    alongside.append(match.surface)
                if _DONE_WITH & set(told[max(0, match.start - 4) : match.start]) or (
                    _STOPPED & set(told[match.end : match.end + 3])
                ):
                    before.add(id(match))
        found = _subjects(matches, rules)
        named = [m for m in reversed(found) if m.kind == "generic"]
        if any(id(m) not in before for m in named):
            # "…mentioned elacestrant as the next step after the palbociclib stopped
            # working. What is it?": "it" is not what came before
            named = [m for m in named if id(m) not in before]
        drugs = [m.surface for m in named]
        others = [m.surface for m in reversed(found) if m.kind != "generic"]
        main = [d for d in drugs if d not in alongside]
        if main and len(main) < len(drugs):
            # "it" is the drug the story is about, not the one she has with it
            drugs = main
        else:
            alongside = []
            if (
                len(named) > 2
                and _together(named[2], named[1], said_in)
                and not _together(named[1], named[0], said_in)
            ):
                # "…had herceptin, perjeta and docetaxel. Now they mention Enhertu. Is
                # that…?": "that" is the drug told last, not the end of an earlier list
                # (but "Kadcyla is for early disease, Enhertu for later. Is that right?"
                # asks of both)
                drugs = drugs[:1]
        return cls(
            tuple(context),
            tuple(terms),
            tuple(dict.fromkeys([*reversed(drugs[:2]), *others])),
            tuple(dict.fromkeys(reversed(drugs[:2]))),
            " ".join([*context, *questions]),
            tuple(dict.fromkeys(alongside)),
            tuple(
                (m.canonical.split()[-1].lower(), m.surface)
                for m in found
                if m.kind in ("concept", "abbreviation") and len(m.canonical.split()) > 1
            ),
            tuple(dict.fromkeys(m.surface for m in reversed(_treatments(matches, rules)))),
            tuple(
                m.surface
                for m in found
                if m.kind == "abbreviation"
                or any(e.stage for e in vocabulary.entries_of(m.canonical))
            ),
        )


# the words that point at a story's one treatment ("this treatment", "the medicine")
_A_TREATMENT = frozenset({"treatment", "therapy", "medicine", "medication", "drug"})

# words telling a drug as one had and done with: "after the palbociclib stopped
# working", "my partner finished kadcyla after her operation"
_DONE_WITH = frozenset({"after", "finished", "finishing", "completed", "stopped"})
# and after its name: "now the Kadcyla's stopped doing the job", "when Ibrance failed"
_STOPPED = frozenset({"stopped", "failed"})


def _together(before: VocabMatch, last: VocabMatch, said_in: dict[int, int]) -> bool:
    """Whether two drugs a story names are told together ("kisqali and letrozole",
    "herceptin with perjeta"): in one statement, at most two words apart."""
    if said_in.get(id(before)) != said_in.get(id(last)):
        return False
    return 0 <= last.start - before.end <= 2


_BY_HEAD = re.compile(r"\b(?:that|this|these|those|the)\s+(\w+)\b")


_POSSESSIVE = frozenset({"her", "his", "my", "their", "your", "our"})


def _had_alongside(told: Sequence[str], match: VocabMatch) -> bool:
    """Whether a drug is told as one had with another: "with her letrozole"."""
    before = told[max(0, match.start - 2) : match.start]
    return len(before) == 2 and before[0] == "with" and before[1] in _POSSESSIVE


def _needs(
    questions: Sequence[str],
    context: Sequence[str],
    terms: Sequence[str],
    rules: MessageRules,
    vocabulary: Vocabulary,
    typos: Sequence[tuple[str, str]] = (),
    alternatives: Set[str] = frozenset(),
) -> list[Need]:
    """Each question as a need, read in order: a later one may go on about an
    earlier one's subject, kind or topic, or be it put the other way (`alternatives`)."""
    story = _Story.read(questions, context, terms, rules, vocabulary)
    needs: list[Need] = []
    previous: tuple[str, ...] = ()  # the earlier question's subject terms
    previous_words = ""  # or, when it named none, its topic words
    previous_about = ""  # what the earlier question pointed back to in the story
    for question in questions:
        question = rules.without_idioms(question)
        # (a name cut into words by dictation is one word for the kind's patterns: "is
        # key truder the only immune therapy…" as "is keytruda the only…")
        mended = _names_mended(vocabulary, question)
        kind = _kind_of(mended, story, needs, rules, typos)
        matches = vocabulary.find(mended)  # (what `_find` reads)
        subject, query, pointed = _subject_of(
            question, kind, matches, story, bool(needs), previous, previous_words, rules
        )
        if (
            kind == "suitability"
            and _names_drug(subject, vocabulary)
            and not rules.kept_with_drug(mended, story.text)
        ):
            # "…now they've put her on Kadcyla. Why does she get it and I didn't?": who
            # the drug named is for (its criteria) says why, better than that not every
            # drug suits everyone
            kind = "eligibility"
        if kind == "comparison" and subject and not _names_drug(subject, vocabulary):
            # "the difference between targeted therapy and immunotherapy": each thing
            # compared is a subject, a concept or a treatment in everyday words alike
            # (beside a drug, the everyday word is its class: "is Enhertu chemo?", and
            # so beside the story's drug: "…on Kisqali. Is it a hormone drug or a chemo?")
            treatments = [m.surface for m in _treatments(matches, rules)]
            subject = tuple(dict.fromkeys([*subject, *treatments]))
        elif kind == "comparison" and not needs and _names_drug(subject, vocabulary):
            subject = _it_beside(mended, subject, story, vocabulary)
        query = _with_kind_words(_with_context(query, kind, story), kind)
        own = _topic_words(question, rules)
        about = _about(question, kind, pointed, story, bool(needs), previous_words, rules)
        if (
            not about
            and previous_about
            and _POINTS_BACK.search(question)
            and not _has_topic(question, rules)
        ):
            # "…tastes like tin foil… Is that the Kisqali? And does it go away?": "it" is
            # what the question before pointed back to
            about = previous_about
        elif needs and kind == "side_effects" and subject:
            about = (
                _symptom_asked_before(question, subject, needs[-1], previous, previous_words, rules)
                or about
            )
        if kind == "comparison" and sum(_names_drug((t,), vocabulary) for t in subject) > 1:
            # "…switched me to HERZUMA… Is this a cheap knock off? Is it even the same
            # medicine?": the two drugs are what is compared, not what came before (but
            # in "…add denosumab. What is it and is it a targeted drug like her
            # herceptin?" "it" is still the denosumab)
            about = ""
        subject, query, set_aside = _set_aside(question, kind, subject, query, rules, vocabulary)
        beside = tuple(t for t in story.alongside if t not in subject)
        doubted: tuple[str, ...] = ()
        if not needs and story.context and _doubts(question):
            named = {w for t in subject for w in words(t)}
            doubted = tuple(w for w in about.split() if w not in named)
        needs.append(
            Need(
                question,
                query,
                kind,
                subject,
                story.terms,
                own,
                about,
                history=set_aside,
                alongside=beside,
                doubted=doubted,
                alternative=bool(needs) and question in alternatives,
                storied=bool(context) or len(questions) > 1,
            )
        )
        # ("…something called Trodelvy. What is it, is it another immunotherapy, and
        # does it work?": the class asked of "it" is not what the next "it" means)
        previous = previous if pointed and kind == "comparison" else subject or previous
        previous_words = own or previous_words
        previous_about = about
    return needs


# "…offered sacituzumab govitecan. How does it work compared with the Keytruda I had
# before?", "…starting Kadcyla. Is it the same as Herceptin?": "it" is compared with
# the drug the question names
_IT_COMPARED = re.compile(
    r"\b(?:it|this|that)\b(?:\s+\w+){0,3}?\s+(?:compared?|compares|different|differ|"
    r"differs|the\s+same|same\s+as|similar|better|worse|like|versus|vs)\b"
)


def _it_beside(
    question: str, subject: tuple[str, ...], story: _Story, vocabulary: Vocabulary
) -> tuple[str, ...]:
    """A first comparison's subject with the story's drug its "it" stands for, when the
    question names the other drug compared: both are what an answer must speak of,
    and a drug the library lacks is then not compared from the one it has."""
    if _IT_COMPARED.search(_norm(question)) is None:
        return subject
    asked = {vocabulary.canonical(s) or s for s in subject}
    told = [d for d in story.drugs if (vocabulary.canonical(d) or d) not in asked]
    return (told[0], *subject) if told else subject


def _symptom_asked_before(
    question: str,
    subject: tuple[str, ...],
    before: Need,
    previous: tuple[str, ...],
    previous_words: str,
    rules: MessageRules,
) -> str:
    """ "Is the ringing going to go away, and can kadcyla make it worse?": the "it" of
    a side-effect question naming its drug is what the question before asked about
    (its words less its subject and kind), or "" where it points at nothing else."""
    rest = _without_terms(question, subject)
    told = rules.framing(before.text, before.kind)
    carried = " ".join(w for w in _without_terms(previous_words, previous).split() if w not in told)
    framing = rules.framing(question, "side_effects")
    if (
        carried
        and rest != " ".join(question.split())
        and _POINTS_BACK.search(rest)
        and not _has_topic(rest, rules, framing)
    ):
        return carried
    return ""


def _kind_of(
    question: str,
    story: _Story,
    needs: Sequence[Need],
    rules: MessageRules,
    typos: Sequence[tuple[str, str]],
) -> NeedKind:
    """The kind of a question, from its wording, else from its story or the question
    before it."""
    kind = rules.kind_of(apply_corrections(question, typos), story.text)
    if (
        not needs
        and kind == "definition"
        and story.context
        and not _has_topic(_RANKED.sub(" ", question), rules)
        and (_PLURAL_POINTER.search(question) or not story.drugs)
    ):
        # "the nurse said to watch for side effects. what are they?": what "they"
        # are is the kind of thing the story last spoke of ("…mentioned Datroway as
        # a possible next option. What is it?" asks what the story's drug is)
        told = [k for k in map(rules.kind_of, story.context) if k in _TOLD_KINDS]
        return told[-1] if told else kind
    if not needs and kind == "other" and story.context:
        # (or whether it is usual: "onc says keytruder with chemo first then on its own
        # after the op. is that normal??" asks of what it is given with, and when)
        asks_of_told = (
            _doubts(question)
            or _ASKS_WHICH.search(_norm(question))
            or _ASKS_IF_USUAL.search(_norm(question))
        )
        told = [k for k in map(rules.kind_of, story.context) if k in _CLAIMED_KINDS]
        if asks_of_told and told:
            # "…1 in 5…, then the oncologist said 15 percent. Which is it?" asks how
            # common it is, as the claims told say
            return told[-1]
    if (
        not needs
        and kind == "other"
        and story.context
        and _ASKS_IF_USUAL.search(_norm(question))
        and "course" in map(rules.kind_of, story.context)
    ):
        # "felt fine at first, but now I'm getting new side effects. Is that normal?"
        # asks how side effects go over a course, when that is what the story tells
        return "course"
    if needs and kind == "other" and _POINTS_BACK.search(question):
        # "how many more rounds of pembrolizumab? Is it a year, or until…?": a
        # question that goes on about the last one, in no words of a kind of its
        # own, asks the same kind of thing
        return needs[-1].kind
    return kind


# "it" as a treatment had, given or offered ("why haven't I been offered it?", "who
# normally gets it?", "could I have that?")
_OFFERED_IT = re.compile(
    r"\b(?:offered|offer|given|give|giving|gets?|getting|got|have|having|had|on|start|"
    r"starting|try|prescribed)\s+(?:me\s+|her\s+|him\s+|them\s+)?(?:it|that|this)\b"
)
_IT_OR_THAT = re.compile(r"\b(?:it|its|this|that|these|those)\b")
_THEY = re.compile(r"\b(?:they|theyre|theyve|they re|they ve)\b")


def _subject_of(
    question: str,
    kind: NeedKind,
    matches: Sequence[VocabMatch],
    story: _Story,
    later: bool,
    previous: tuple[str, ...],
    previous_words: str,
    rules: MessageRules,
) -> tuple[tuple[str, ...], str, str]:
    """(subject, query, pointed): what a question is about, what is searched for it,
    and the earlier subject it points back to while naming its own."""
    subject = tuple(m.surface for m in _subjects(matches, rules))
    # "He's taking Verzenios. Is it chemo?": "chemo" is the class asked about, and
    # "it" the story's drug
    lay_only = not any(m.kind in _SUBJECT_KINDS for m in matches)
    # "…now they've added Kisqali. Is that a targeted drug?": the class is what is
    # asked of the story's drug, as "chemo" is
    class_asked = (
        kind == "comparison"
        and _IS_IT_A.search(_norm(question)) is not None
        and not any(m.kind == "generic" for m in matches)
    )
    if (
        subject
        and (lay_only or class_asked)
        and not later
        and story.drugs
        and _POINTS_BACK.search(question)
    ):
        subject = ()
    elif (
        kind == "comparison"
        and subject
        and not later
        and _IS_THAT.search(_norm(question))
        and (told := [d for d in story.drugs if d.lower() not in {s.lower() for s in subject}])
    ):
        # "onc says next up is trastuzumab deruxtecan. is that just herceptin again?":
        # "that" is the story's drug, compared with the one the question names
        subject = (told[-1], *subject)
    # a later question with no term of its own goes on about the earlier one's
    # subject ("What is Kadcyla? Is it given before surgery?"); a first one that
    # names nothing takes the subject of the message's statements
    # (a later question of no kind that names a topic of its own and points back
    # at nothing, "…should I ask for a PICC line instead?", is about that topic)
    if later:
        own_topic = (
            kind == "other" and _has_topic(question, rules) and not _POINTS_BACK.search(question)
        )
        # ("…researchers are trying immunotherapy with chemo. Is that true, are they
        # still studying new combinations?": "they" are the researchers; "is anyone
        # researching it?" is about what "it" is)
        said = _norm(question)
        of_people = kind == "research" and bool(_THEY.search(said)) and not _IT_OR_THAT.search(said)
        carried = () if own_topic or of_people else previous
    elif story.drugs and _doubts(question):
        # "…say it can affect your thyroid. Is that true?": the claim is of the drug
        carried = story.drugs
    elif (head := story.named_by_head(question)) is not None and not subject:
        carried = (head,)
    else:
        # ("How do they check that?": "check" says the kind, "that" the story's HER2;
        # a term the kind's words spell is what is asked: "Is it chemo?")
        framing = rules.framing(question, kind) - {w for m in matches for w in words(m.surface)}
        carried = () if _has_topic(question, rules, framing) else story.subject[:2]
        if not carried and not subject and kind == "definition":
            # "…her nana is gettin 'targeted' drugs now. what does targeted actually
            # MEAN?": a word of the story's one term that holds it is that term (what
            # it means; not "Is it chemo?" after "the chemo tablets", nor "are they
            # used once it's spread?" after "spread to her liver")
            carried = story.named_in_part(_topic_words(question, rules))
        if (
            not carried
            and not subject
            and kind in ("purpose", "timing")
            and _ONLY_WHEN.match(_norm(question))
        ):
            # "…wants to give me immunotherapy before the operation. Why before and not
            # after?": why or when the story's treatment (not the operation) is given,
            # in no words of it
            carried = tuple(t for t in story.treatments if not _SURGERY_WORDS.search(t))[:1]
        if (
            carried
            and set(carried) <= set(story.statuses)
            and story.treatments
            and _OFFERED_IT.search(_norm(question))
        ):
            # "I'm ER positive HER2 negative… a girl from work is on immunotherapy… why
            # haven't I been offered it?": what is offered is a treatment, not a status
            carried = story.treatments[:1]
    if kind == "options" and carried:
        # "…has had herceptin and perjeta. What else is there?": the drugs had are
        # not the subject of the options that come after them (nor of a later
        # "does she have anything else?")
        carried = tuple(t for t in carried if t not in story.drugs)
    elif not later and not carried and story.drugs and kind not in ("options", "research"):
        # "My mum started letrozole last week. What side effects should she
        # expect?": a first question naming no drug asks about the story's (but
        # "My mum is on Kisqali. Is anyone researching new combinations?" asks
        # about research, not about Kisqali)
        carried = story.drugs
    if not subject and carried:
        return carried, f"{' '.join(carried)}: {question}", ""
    if later and _POINTS_BACK.search(question) and (previous or previous_words):
        # "what is a biomarker test? why has my oncologist asked for one before
        # immunotherapy?": "one" is the earlier question's subject, searched with it
        pointed = " ".join(previous) or previous_words
        return subject, f"{pointed}: {question}", pointed
    if not subject and later and previous_words and not _has_topic(question, rules):
        # "what is immuno therapy? how does it work"
        return subject, f"{previous_words}: {question}", ""
    return subject, question, ""


# the words for the operation, here and in answers/fit.py's reading of before and after it
SURGERY_WORDS = r"(?:surgery|op|operation|operating|mastectomy|lumpectomy)"
_SURGERY_WORDS = re.compile(rf"\b{SURGERY_WORDS}\b", re.I)
# a question in words of when alone ("Why before and not after?", "why first?")
_ONLY_WHEN = re.compile(
    r"^\W*(?:so\s+|but\s+)?(?:why|when)\s+(?:(?:before|after|first|afterwards|then|now|"
    r"and|not|or|the|surgery|op|operation)\W*)+$"
)
# "is that just herceptin again…?": a question whose subject is what "that" is
_IS_THAT = re.compile(r"^(?:so\s+|but\s+)?(?:is|was|isnt)\s+(?:that|it|this)\b")
# "is that a targeted drug?", "is it an immunotherapy?": a class said of what "that" is
_IS_IT_A = re.compile(r"^(?:so\s+)?(?:is|was|isnt)\s+(?:that|it|this)\s+(?:also\s+)?(?:a|an)\s+")


def _with_context(query: str, kind: NeedKind, story: _Story) -> str:
    """The query with the message's clinical context, for the kinds whose answer
    depends on the tumour (eligibility, options, timing)."""
    if kind not in _WITH_CONTEXT:
        return query
    extra = [
        t
        for t in story.terms
        if t.lower() not in query.lower()
        # what else there is after a drug had is not searched by that drug
        and not (kind == "options" and t in story.drugs)
    ]
    return f"{query} ({', '.join(extra)})" if extra else query


def _about(
    question: str,
    kind: NeedKind,
    pointed: str,
    story: _Story,
    later: bool,
    previous_words: str,
    rules: MessageRules,
) -> str:
    """What a question points back to besides its own subject, which an answer must
    also speak of (`Need.about`)."""
    if (
        later
        and kind != "other"
        and previous_words
        and not _has_topic(question, rules)
        and not _ALTERNATIVE.search(question)
    ):
        # "Is insomnia a side effect of herceptin? Anything that helps?": what helps
        # is for the earlier question's topic, not only for its drug (but "…or is it
        # done some other way?" asks past it, and "…or both?", "have I got that
        # right?" ask nothing new)
        return previous_words
    if not later and story.context and _doubts(question):
        # "…people online say it can affect your thyroid. Is that true?": what is
        # doubted is the claim just told, not the whole story (its terms still count)
        claim = story.context[-1]
        return _story_words([claim], story, rules, only_said=True)
    if (
        story.context
        and _ASKS_OF_STORY.search(_norm(question))
        and not _PLACEHOLDER_IT.search(_norm(question))
        and (not later or not _has_topic(_without_terms(question, story.drugs), rules))
    ):
        # (a later one too, when it names nothing but the story's drug: "…needs a
        # steroid card now. Is that permanent? Is it from the keytruda?")
        # "…her thyroid is low since starting pembrolizumab. Is that a known thing?":
        # what "that" is stands in the story, and the answer must be about it
        # (its vocabulary terms whole: "HER2 low", though "low" alone is no topic)
        # (where it has spread, "metastatic to the liver", is said of the cancer)
        return _story_words(story.context, story, rules)
    return pointed


def _story_words(
    statements: Sequence[str], story: _Story, rules: MessageRules, only_said: bool = False
) -> str:
    """The story's terms (`only_said`: those `statements` name) and the other words of
    `statements` a question about them points back to (where it has spread,
    "metastatic to the liver", is said of the cancer, not a topic; each word once:
    "Keytruda" as a term and as a word would count twice)."""
    told = _SPREAD_SITE.sub(" ", _norm(" ".join(statements)))
    told = _REASSURED.sub(" ", _TOLD_WHEN.sub(" ", told))
    terms = [t for t in story.terms if not only_said or _norm(t) in told]
    said = {w for t in terms for w in words(t)}
    plain = [
        w
        for w in dict.fromkeys(words(told))
        if w not in rules.ignored and w not in rules.details and w not in said and not w.isdigit()
    ]
    return " ".join([*terms, *plain])


def _set_aside(
    question: str,
    kind: NeedKind,
    subject: tuple[str, ...],
    query: str,
    rules: MessageRules,
    vocabulary: Vocabulary,
) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """(subject, query, history): a treatment a question names only as what it asks
    past ("anything else besides herceptin?") or as what is under way ("…while I'm
    still having herceptin") is its history, not its subject."""
    if kind == "options":
        # "anything else besides herceptin?": what the options are besides, like
        # drugs had, is neither their subject nor what to search for
        # (and what it came back after, which is not what there is now)
        aside = tuple(
            t
            for t in subject
            if _named_after(_SET_ASIDE, t, question) or _named_after(_CAME_BACK_AFTER, t, question)
        )
        if aside:
            kept = tuple(t for t in subject if t not in aside)
            return kept, _without_terms(query, aside), aside
    elif kind in ("eligibility", "other"):
        # "Can I have my breast reconstruction while I'm still having herceptin?":
        # the treatment under way is the background; what is asked is the rest. A
        # state of the person is never background ("Can I have trastuzumab while I'm
        # pregnant?" asks of the pregnancy, which an answer must speak of)
        aside = tuple(
            t
            for t in subject
            if _named_after(_UNDER_WAY, t, question) and not _a_condition_named(t, vocabulary)
        )
        rest = _without_terms(question, aside) if aside else ""
        if aside and (len(aside) < len(subject) or _has_topic(rest, rules)):
            return tuple(t for t in subject if t not in aside), query, aside
    return subject, query, ()


_SET_ASIDE = (
    r"\b(?:besides|other\s+than|apart\s+from|instead\s+of|except(?:\s+for)?|as\s+well\s+as|"
    r"on\s+top\s+of)\s+(?:the\s+|her\s+|his\s+|my\s+|their\s+)?"
)
# what the cancer came back after ("what happens if it comes back after herceptin?"),
# not "which drugs can she have after trastuzumab?", which asks what follows it
_CAME_BACK_AFTER = (
    r"\b(?:(?:came|comes|come|coming)\s+back|returned|returns|recurred)\s+"
    r"(?:after|following|since)\s+(?:finishing\s+|stopping\s+)?(?:the\s+|her\s+|his\s+|my\s+|their\s+)?"
)


_UNDER_WAY = (
    r"\b(?:while|whilst|during|when)\s+(?:(?:i|she|he|they|we|you)\s*(?:m|am|s|is|re|are)\s+|"
    r"(?:im|shes|hes|theyre|were|youre)\s+)?(?:still\s+)?(?:on|having|taking|getting|"
    r"receiving|using)?\s*(?:the\s+|my\s+|her\s+|his\s+|their\s+)?"
)


def _with_kind_words(query: str, kind: NeedKind) -> str:
    """The query, with what its kind asks about when its words do not say it: "Am I
    doing something wrong?" after a story of feeling wiped out asks how side effects
    differ from person to person; "what is most likely to hit her?", what they are;
    "any new drugs being tested?", research."""
    if kind in ("variation", "course", "side_effects") and "side effect" not in query.lower():
        return f"{query} (side effects)"
    if kind == "suitability" and "suitable" not in query.lower():
        # "my friend got one and I didn't, why not??": whether it suits everyone
        return f"{query} (suitable)"
    if kind == "research" and "research" not in query.lower():
        # "any new targeted drugs being looked at?": what the pages call research
        return f"{query} (research)"
    return query


def _named_after(lead: str, term: str, question: str) -> bool:
    """Whether a question names `term` right after words matching `lead`: what it
    asks past (`_SET_ASIDE`: "anything else besides herceptin?") or the treatment
    under way while something else is asked (`_UNDER_WAY`: "…while I'm still having
    herceptin")."""
    pattern = lead + r"\s+".join(map(re.escape, _norm(term).split())) + r"\b"
    return re.search(pattern, _norm(question)) is not None


def _without_terms(text: str, terms: Sequence[str]) -> str:
    """`text` with each of `terms` taken out (whole words, any case)."""
    return " ".join(apply_corrections(text, [(term, " ") for term in terms]).split())


# "runs marathons, never smoked", "she doesn't drink": a state the story denies
_DENIALS = frozenset({"never", "not", "dont", "doesnt", "didnt", "isnt", "no", "non", "nor"})


def _denied(said: Sequence[str], start: int) -> bool:
    """Whether one of the two words before the term at word `start` denies it."""
    return any(w in _DENIALS for w in said[max(0, start - 2) : start])


def _binding(
    conditions: Sequence[str], need: Need, numbered_story: str | None = None
) -> tuple[str, ...]:
    """The states of the person an answer to `need` must speak of: all the message
    names, unless the need asks what something is or how it works, which is the same
    for everyone ("We've been trying for a baby for a year. How is immunotherapy
    meant to work?"); then those its own question names. (A state named in another
    question binds every other kind: "Will it affect whether I can have kids? Should
    I be freezing my eggs first?" asks of fertility twice.) Numbered questions ("1) is
    there parking… 2) is a glass of wine ok… 3) will the hercptin be before her op or
    after??") are asked each on its own: with `numbered_story` (the story around them),
    a state binds an item only where the item or the story names it."""
    if need.kind in _SAME_FOR_EVERYONE:
        return tuple(c for c in conditions if _named_after(r"\b", c, need.text))
    if numbered_story is not None:
        return tuple(
            c
            for c in conditions
            if _named_after(r"\b", c, need.text) or _named_after(r"\b", c, numbered_story)
        )
    return tuple(conditions)


# what something is and how it works: the same answer whoever asks
_SAME_FOR_EVERYONE: frozenset[NeedKind] = frozenset({"definition", "mechanism"})


def _a_condition(match: VocabMatch, vocabulary: Vocabulary) -> bool:
    """Whether a term is a state of the person that changes what applies (pregnancy)."""
    return _a_condition_named(match.canonical, vocabulary)


# someone's cancer of another organ: "has lung cancer", "diagnosed with prostate cancer",
# "his bowel cancer" (not "secondary lung cancer", or the liver or brain: where a
# breast cancer may have spread)
_ANOTHER_CANCER = re.compile(
    r"\b(?:has|have|had|got|with|his|her|my|their)\s+(?:(?:early|small\s+cell|"
    r"non\s+small\s+cell)\s+)?"
    r"(lung|prostate|bowel|colon|colorectal|womb|ovarian|bladder|kidney|pancreatic|"
    r"skin|throat|head\s+and\s+neck|cervical|blood)\s+cancer\b",
    re.IGNORECASE,
)


def _a_condition_named(term: str, vocabulary: Vocabulary) -> bool:
    """`_a_condition` of a term by its name ("pregnant", or "pregnancy")."""
    entries = vocabulary.entries_of(vocabulary.canonical(term) or term)
    return any(e.condition for e in entries)


@lru_cache(maxsize=4)
def _word_speller(rules: MessageRules) -> Speller:
    """A speller over the words message.yaml says are never topics (filler, everyday
    words, people), by the search speller's rule: same first letter, at least 85 %
    similar, six letters or more. Only the words it knows are corrected to, so a
    word of a topic ("fingertips") is never read as filler."""
    known = sorted(w for w in rules.ignored if w.isalpha() and len(w) >= MIN_LENGTH)
    return Speller(known, known=rules.ignored.__contains__)


def _find(vocabulary: Vocabulary, text: str) -> list[VocabMatch]:
    """The vocabulary's terms in `text`, a misspelt drug name read as the name it is
    ("abemacyclib", "pertuzamab": the search speller mends them for search, but the
    reader must know them too, or "would that be an option for mum?" after "…is on
    abemacyclib" is not about abemaciclib)."""
    return vocabulary.find(_names_mended(vocabulary, text))


def _names_mended(vocabulary: Vocabulary, text: str) -> str:
    """`text` with its misspelt drug names written as the names they are."""
    return apply_corrections(text, vocabulary.name_corrections(text))


def _subjects(matches: Sequence[VocabMatch], rules: MessageRules) -> list[VocabMatch]:
    """The vocabulary terms that may be what a question is about: its drugs, concepts
    and statuses; failing those, the treatments it names in everyday words ("are
    they different?" after a story about immunotherapy). Beside a drug, such a word
    is the class asked about ("Is Enhertu a type of chemotherapy?"), not a subject;
    beside a status only, it is the subject, the status whom it is asked for."""
    named = [m for m in matches if m.kind in _SUBJECT_KINDS]
    treatments = _treatments(matches, rules)
    if treatments and all(m.kind == "abbreviation" for m in named):
        # "Can you have immunotherapy if your cancer is hormone positive?": the
        # treatment is what is asked about; the status says for whom
        return treatments
    return named


def _names_drug(terms: Sequence[str], vocabulary: Vocabulary) -> bool:
    """Whether any of `terms` is a drug of the vocabulary (a generic or a brand)."""
    return any(
        e.kind == "generic"
        for term in terms
        for e in vocabulary.entries_of(vocabulary.canonical(term) or term)
    )


def _treatments(matches: Sequence[VocabMatch], rules: MessageRules) -> list[VocabMatch]:
    """The treatments a question names in everyday words (message.yaml `treatments`)."""
    return [m for m in matches if m.kind == "lay" and m.canonical.lower() in rules.treatments]


def _topic_words(question: str, rules: MessageRules) -> str:
    """The words of a question that may be its topic, in order (at most four)."""
    kept = [w for w in words(question) if w not in rules.ignored and w not in _QUESTION_WORDS]
    return " ".join(kept[:4])


def _framing(need: Need, rules: MessageRules, vocabulary: Vocabulary) -> tuple[str, ...]:
    """The words that say what kind of question a need is ("what's the aim of giving
    it?": "aim"), never a vocabulary term ("is it a chemo?": "chemo" is what it asks)."""
    said = rules.framing(need.text, need.kind) - rules.ignored - _QUESTION_WORDS
    # "Why give immunotherapy BEFORE the lumpectomy?": the operation named is when,
    # which the pages say as "before surgery"; not what is asked about (a question
    # on "a mastectomy bra" still is)
    said |= {m.group(1) for m in _TIME_OF_OPERATION.finditer(_norm(need.text))}
    if need.kind in ("comparison", "definition"):
        # "Is immunotherapy like a vaccine?", "…he thinks it's a kind of radiation":
        # what it is likened to is answered by what it is, which need not name it
        said |= {
            w
            for m in _LIKENED_TO.finditer(_norm(need.text))
            for w in m.group(1).split()
            if w not in _QUESTION_WORDS
        }
    return tuple(sorted(w for w in said if not _find(vocabulary, w)))


# the everyday thing a treatment is likened to ("like a guided missile", "a kind of
# radiation", "more like training your own army")
_LIKENED_TO = re.compile(
    r"\b(?:like|similar\s+to|(?:kind|type|sort|form)\s+of)\s+(?:a\s+|an\s+|the\s+|your\s+|some\s+)?"
    r"((?:\w+ing\s+)?(?:your\s+|its\s+|the\s+|our\s+)?(?:own\s+)?\w+(?:\s+\w+)?)"
)


_TIME_OF_OPERATION = re.compile(
    r"\b(?:before|after|ahead\s+of|prior\s+to|following|since)\s+(?:the\s+|my\s+|her\s+|"
    r"his\s+|your\s+|their\s+|a\s+)?(lumpectomy|mastectomy|lumpectomies|mastectomies)\b"
)


def _has_topic(question: str, rules: MessageRules, framing: frozenset[str] = frozenset()) -> bool:
    """Whether a question names anything besides question words, people and filler
    (and `framing`, the words that say its kind)."""
    return any(
        w not in rules.ignored and w not in _QUESTION_WORDS and w not in framing
        for w in words(question)
    )


_QUESTION_WORDS = frozenset(
    """what whats how why when where which who is are am was were can could does do did
    will would should has have had it its they them their this that these those the a
    an of to for in on with and or be been being there any""".split()  # noqa: SIM905
)


def _norm(text: str) -> str:
    text = _EQUALS.sub(" same as ", _APOSTROPHE.sub("", text))
    return " ".join(_TEXTED.get(w, w) for w in words(text))


# "immunotherapy = chemo?? or diffrent": an equals sign between two words asks
# whether they are the same (read as "same as"; never between figures, "ER = 8")
_EQUALS = re.compile(r"(?<=[^\W\d_])\s*=\s*(?=[^\W\d_])")


# the question words of text-speak ("wat is herceptin for", "wot does it do")
_TEXTED = {
    "wat": "what",
    "wot": "what",
    "wats": "whats",
    "wots": "whats",
    "wt": "what",
    "wen": "when",
    "b4": "before",
}


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching any phrase at the start, followed by a word boundary."""
    alternatives = sorted({_norm(p) for p in phrases if _norm(p)}, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, a.split())) for a in alternatives)
    return re.compile(rf"^\W*(?:{body})\b[\s,.!:;\-–x]*", re.IGNORECASE)
