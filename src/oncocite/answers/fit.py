"""Whether a sentence answers the kind of question asked.

"What is Kadcyla?" is answered by the sentence that says what Kadcyla is, not by
the first sentence of its section ("You might have trastuzumab: on its own…");
"Who can have Perjeta?" by the criteria; "How does it work?" by what the drug
does. Selection adds `KIND_BONUS` to a unit that fits the question's kind, and a
definition or comparison question leads with the sentence that defines its
subject.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from oncocite.search.message import SURGERY_WORDS
from oncocite.search.vocabulary import Vocabulary, words

__all__ = [
    "DEFINING_BONUS",
    "DEFINING_KINDS",
    "KIND_BONUS",
    "LINKED_KINDS",
    "SAID_OF_ALL",
    "STRICT_KINDS",
    "defines",
    "fits_kind",
    "heading_asks",
    "subject_names",
    "surgery_timing",
]

KIND_BONUS = 0.4
DEFINING_BONUS = 1.0

# Kinds answered by the sentence that says what something is.
DEFINING_KINDS = frozenset({"definition", "comparison"})
# Kinds whose answer must say that kind of thing: a page on who can have a drug does
# not answer "what are its side effects?" or "what's the survival rate?"
STRICT_KINDS = frozenset(
    {
        "side_effects",
        "variation",
        "course",
        "suitability",
        "outlook",
        "frequency",
        "duration",
        "route",
        "preference",
        "testing",
        "response",
        # "any new targeted drugs being looked at?": only what says research is under way
        "research",
    }
)
# Strict kinds whose fitting sentence speaks of every treatment alike (that side
# effects differ from one person to the next): it need not be said
# of the drug asked about, it answers whatever words it shares with the question, and
# only such sentences are quoted for it
SAID_OF_ALL = frozenset({"variation", "course", "suitability"})
# Strict kinds a drug's class may answer for it ("Pembrolizumab is a type of
# immunotherapy." then "The most common side effects of immunotherapy are…"): not how
# long, how it is given or which is better, which a class does not say of each member
LINKED_KINDS = (
    STRICT_KINDS - {"duration", "route", "preference", "testing", "research"} - SAID_OF_ALL
)

_FITS: dict[str, re.Pattern[str]] = {
    "mechanism": re.compile(
        r"\bworks?\s+by\b|\battach|\bblock|\bstimulat|\bhelps?\s+(?:the|your|our|a person)\S*\s+"
        r"immune|\bimmune system\b|\btarget(?:s|ing)?\b|\bdestroy|\bkill|\bstops?\b|\bslows?\b",
        re.IGNORECASE,
    ),
    # (what a drug is given with: "with a hormone therapy drug", "with chemotherapy";
    # not "a cancer with a high risk")
    "combination": re.compile(
        r"\bwith (?:(?:a|an|other|another|the)\s+(?:\w+\s+){0,2}(?:drugs?|treatments?|"
        r"therap(?:y|ies)|medicines?|chemotherapy|chemo|inhibitors?)|chemotherapy|chemo|hormone|"
        r"trastuzumab)\b|"
        r"\bon its own\b|\balone\b|\balongside\b|\bcombination\b|\bcombined\b",
        re.IGNORECASE,
    ),
    "duration": re.compile(
        # "for a year", "18 cycles", "until it stops working"; not "a treatment for…"
        r"\b(?:\d+|one|two|three|four|five|six|twelve|eighteen|up to \d+)\s+(?:weeks?|months?|"
        r"years?|cycles?|doses?|treatments?)\b|\b(?:a|one)\s+(?:year|week|month)\b|"
        r"\buntil\b|\bfor as long as\b",
        re.IGNORECASE,
    ),
    "route": re.compile(
        r"\b(?:drips?|injections?|injected|infusions?|tablets?|capsules?|pills?|by mouth|"
        r"orally|intravenous\w*|into (?:a|your|the) (?:vein|bloodstream)|under the skin)\b",
        re.IGNORECASE,
    ),
    "purpose": re.compile(
        r"\bto\s+(?:help|reduce|shrink|predict|find|check|see|lower|stop|treat|kill|show|"
        r"make|lower)\b|\bthis is to\b|\bso that\b|\bused (?:to|for)\b|\btreatment for\b|"
        r"\bfor (?:people|women|patients)\b|\bwill show\b",
        re.IGNORECASE,
    ),
    "preference": re.compile(
        r"\b(?:better|more effective|works? best|preferred|recommended)\b", re.IGNORECASE
    ),
    # sentences saying that side effects differ between people, depend on something,
    # or may change or appear as treatment goes on
    "variation": re.compile(
        r"\bvar(?:y|ies|ied)\b|\bdepends?\s+on\b|\beveryone\s+is\s+different\b|"
        r"\bdiffer(?:s|ent)?\s+(?:from|between)\s+(?:person|people|one)\b|\bmild\s+or\b|"
        r"\bnot\s+everyone\b|"
        r"\bmight\s+(?:only\s+)?have\s+a\s+few\b|\bgeneral\s+health\b",
        re.IGNORECASE,
    ),
    # sentences saying that not every drug suits everyone, and what decides it
    "suitability": re.compile(
        r"\bnot\s+all\b[^.]*\bsuitable\b|\bonly\s+available\s+if\b|\bcertain\s+receptors\b|"
        r"\bnot\s+everyone\b",
        re.IGNORECASE,
    ),
    # sentences saying that side effects change as a course of treatment goes on
    "course": re.compile(
        r"\bduring\s+(?:your|the|a)\s+course\b|\bas\s+(?:the\s+|your\s+)?treatment\s+goes\s+on\b|"
        r"\bget\s+better\s+or\s+worse\b|\bover\s+time\b|\blater\s+(?:on|in)\b",
        re.IGNORECASE,
    ),
    "side_effects": re.compile(r"\bside[\s-]*effects?\b|\bcan cause\b|\bmay cause\b", re.I),
    "eligibility": re.compile(
        r"\b(?:if|for people|for (?:patients|women|men)|needs? to be|must|only|suitable|"
        r"who (?:have|has|had)|whose|option for you|possible treatment for|treatment for)\b",
        re.IGNORECASE,
    ),
    "timing": re.compile(
        r"\b(?:before|after) (?:surgery|your surgery)\b|\b(?:neo)?adjuvant\b|\bfirst\b|"
        r"\bwhen\b|\bafter (?:treatment|other)",
        re.IGNORECASE,
    ),
    "options": re.compile(
        r"\b(?:include|these include|drugs? (?:called|such as)|options?|might have|may have|"
        r"can have|could have|(?:many|several|different) (?:different )?(?:types|kinds)|"
        r"the only)\b",
        re.IGNORECASE,
    ),
    "comparison": re.compile(
        r"\b(?:type|kind|form) of\b|\b(?:also )?(?:called|known as)\b|\bbrand names?\b|"
        r"\bsame as\b|\bcombination of\b|\bmade up of\b|\b(?:is|are) (?:a|an)\b",
        re.IGNORECASE,
    ),
    "definition": re.compile(
        r"\b(?:type|kind|form) of\b|\b(?:also )?(?:called|known as)\b|\bmeans\b|"
        r"\b(?:is|are) (?:a|an|the)\b|\bcombination of\b|\bmade up of\b",
        re.IGNORECASE,
    ),
    "outlook": re.compile(
        r"\bsurviv|\bprognosis\b|\boutlook\b|\blife expectancy\b|\bcured?\b|"
        r"\b\d+\s*(?:%|percent|out of \d+)\b.*\b(?:live|alive|surviv)",
        re.IGNORECASE,
    ),
    # (or in words: "…a rare type of…")
    "frequency": re.compile(
        r"\b\d+\s*(?:%|out of|in every|in \d+)|\bpercent\b"
        r"|\b(?:rare|uncommon|unusual|common)\s+(?:type|kind|form)\b",
        re.I,
    ),
    # a sentence on a test of a tumour sample and what its result shows
    "testing": re.compile(
        r"\btests?\b|\bsamples?\b|\bbiops|\bscans?\b|\bwill show\b|\bshows? (?:if|whether)\b|"
        r"\bcheck(?:s|ed)? (?:for|if|whether)\b|\bmeasur",
        re.IGNORECASE,
    ),
    # whether a treatment helps someone, and what foretells it
    "response": re.compile(
        r"\bpredict|\brespon(?:se|ds?|ding)\b|\bhelpful\b|\bnot (?:clear|known|certain) "
        r"(?:if|whether)\b|\bworks? (?:for|well)\b|\bbenefit",
        re.IGNORECASE,
    ),
    # (and what the research tries: a sentence on combining drugs, or on finding out
    # whether they work better, goes on from one on research under way)
    "research": re.compile(
        r"\bresearch|\btrials?\b|\bstud(?:y|ies|ied|ying)\b|\bbeing tested\b"
        r"|\blooking (?:at|into)\b|\bcombining\b"
        r"|\bfind out (?:if|whether)\b",
        re.I,
    ),
}


_SURGERY = SURGERY_WORDS
_BEFORE = re.compile(
    rf"\b(?:before|ahead\s+of|prior\s+to)\s+(?:(?:the|an|my|her|his|your)\s+)?{_SURGERY}\b"
    r"|(?<!post-)(?<!post )\bneoadjuvant\b|\bbefore\s+operating\b|\bshrink",
    re.IGNORECASE,
)
_AFTER = re.compile(
    rf"\b(?:after|following|since)\s+(?:(?:the|an|my|her|his|your)\s+)?{_SURGERY}\b"
    r"|(?<!neo)\badjuvant\b|\bafterwards\b|\bremoved\s+(?:everything|all)\b"
    # "post-op", "in the post-neoadjuvant setting"
    r"|\bpost[\s-]*(?:op|operative|surgery|surgical|neoadjuvant)\b"
    r"|\bremoves\s+all\b|\bthat\s+are\s+left\b|\bcoming\s+back\b"
    # a story's words for it: "they took the whole breast off", "the margins were clear"
    r"|\bbreast\s+off\b|\bgot\s+(?:it\s+)?(?:all|everything)\b|\bmargins\s+(?:were\s+|are\s+)?clear\b"
    r"|\bclear\s+margins\b|\bcancer\s+(?:has|is|had)\s+(?:all\s+)?gone\b"
    # "now the operation is done", "her surgery's over"
    rf"|\b{_SURGERY}(?:\s+(?:is|was|has\s+been)|s|'s|’s)\s+(?:all\s+)?(?:done|over|finished)\b",
    re.IGNORECASE,
)


# "before or after surgery?", "before surgery or after?", "after the op or before it?"
_EITHER = re.compile(
    r"\bbefore\s+(?:(?:the|an|my|her|his|your)\s+)?(?:\w+\s+)?or\s+after\b"
    r"|\bafter\s+(?:(?:the|an|my|her|his|your)\s+)?(?:\w+\s+)?or\s+before\b"
    # "why do some people get them BEFORE the op and others get them after?"
    rf"|\b(?:before|after)\s+(?:(?:the|an|my|her|his|your)\s+)?{_SURGERY}\b[^?.]{{0,60}}"
    r"\bothers?\b[^?.]{0,40}\b(?:after|before)\b",
    re.IGNORECASE,
)


def surgery_timing(text: str) -> str | None:
    """ "before" or "after" when a text speaks of one side of surgery only, "either"
    when of both alike: "why is she still on Herceptin now the breast is off?" is not
    answered by what a drug does before surgery ("This is to reduce the size of the
    cancer before surgery.")."""
    if _EITHER.search(text):
        return "either"  # "You might have it before or after surgery."
    before, after = _BEFORE.search(text) is not None, _AFTER.search(text) is not None
    if before == after:
        return None
    return "before" if before else "after"


# Section headings that ask the kind of question the section answers: "Who gets
# immunotherapy for breast cancer?", "When is immunotherapy for breast cancer given?"
_HEADING_ASKS = {
    "eligibility": re.compile(r"^\W*who\s+(?:gets|can\s+have|has|is\s+given)\b", re.I),
    # ("When you might have targeted and immunotherapy…", a CRUK heading)
    "timing": re.compile(
        r"^\W*when\s+(?:(?:you|people|patients)\s+)?(?:is|are|do|does|might|would|can)\b", re.I
    ),
}


# the kinds a section heading may ask ("Who gets…?", "When is… given?")
ASKING_KINDS = frozenset(_HEADING_ASKS)


def heading_asks(kind: str | None, heading: str) -> bool:
    """Whether a section's heading asks the kind of question asked."""
    pattern = _HEADING_ASKS.get(kind or "")
    return pattern is not None and pattern.search(heading) is not None


def fits_kind(kind: str | None, text: str, is_list: bool = False) -> bool:
    """Whether a unit says the kind of thing the question asks for."""
    if kind == "eligibility" and is_list:
        return True
    pattern = _FITS.get(kind or "")
    return pattern is not None and pattern.search(text) is not None


@lru_cache(maxsize=8192)
def _name_pattern(name: str) -> re.Pattern[str]:
    """The ways a sentence says what `name` is, one pattern a name: the sets of names
    asked differ from message to message (a drug's aliases with the words of the
    question), and one alternation of a whole set took ~10 ms to compile, more than
    the rest of an answer; a name recurs, so its pattern is compiled once."""
    alternatives = _plural_too(name)
    return re.compile(
        rf"^\W*(?:{alternatives})\b[^.]{{0,60}}?\b(?:is|are|was|belongs|means|refers)\b"
        rf"|\b(?:called|known as|brand names?|also called)\s+(?:{alternatives})\b"
        rf"|^\W*(?:[A-Z][\w-]*\s+){{0,3}}\((?:{alternatives})\)\s+(?:is|are)\b"
        rf"|\b(?:drug|treatment|medicine) called (?:{alternatives})\b"
        # "…before surgery (neoadjuvant treatment)", "…grown into nearby tissue
        # (locally advanced breast cancer)": the words a gloss in brackets follows
        rf"|\w\s+\((?:{alternatives})(?:\s+(?:treatment|therapy|chemotherapy|"
        rf"(?:breast\s+)?cancer))?\)"
        # a sentence that opens with the subject and says what it does
        rf"|^\W*(?:{alternatives})\s+(?:attach|work|block|stop|help|use|target|stimulate)"
        # or says what it is for where it stands ("…may suggest biomarker tests to help
        # predict your response")
        rf"|\b(?:{alternatives})\s+(?:to\s+help|that\s+helps?|which\s+helps?|used\s+to)\b"
        # "There are other cancer growth blockers… These include: - palbociclib -
        # ribociclib": a member of the group the list leans on (quoted with it)
        rf"|^\W*(?:these|they)\s+include\s*:(?s:.*?)\n\s*[-•*]\s*(?:{alternatives})\b",
        re.IGNORECASE,
    )


def _plural_too(name: str) -> str:
    """A name as a pattern that also matches its plural ("monoclonal antibod(y|ies)")."""
    parts = [re.escape(w) for w in name.split()]
    last = name.split()[-1]
    if last.endswith("y") and len(last) > 2:
        parts[-1] = re.escape(last[:-1]) + "(?:y|ies)"
    elif last.endswith("s"):
        parts[-1] = re.escape(last) + "?"
    else:
        parts[-1] = re.escape(last) + "s?"
    return r"[\s-]+".join(parts)


def _needle(name: str) -> str:
    """Text every match of `_plural_too(name)` contains (lower-cased): its first word,
    less the letter a plural may change when the name is that one word."""
    first, *rest = name.split()
    if not rest and (first.endswith("s") or (first.endswith("y") and len(first) > 2)):
        return first[:-1]
    return first


def _any_name(
    pattern_of: Callable[[str], re.Pattern[str]], text: str, names: Iterable[str]
) -> bool:
    """Whether `pattern_of` one of `names` is found in `text`; a name whose words the
    text does not hold is not searched for (most sentences name none of them)."""
    lowered = text.lower()
    return any(
        _needle(name) in lowered and pattern_of(name).search(text) is not None
        for name in {n.lower() for n in names if n.strip()}
    )


def defines(text: str, names: Iterable[str]) -> bool:
    """Whether a sentence says what one of `names` is: "Pertuzumab is also called
    Perjeta.", "Trastuzumab emtansine (Kadcyla) is a combination…", "…a drug called
    abemaciclib."""
    return _any_name(_name_pattern, text, names)


# "Pertuzumab is a type of…", "Targeted cancer drugs work by…" ({names}: the subject)
_SAYS_WHAT = (
    r"^\W*(?:{names})\s+(?:(?:is|are)\s+(?:a|an|one|also|called|known|made|"
    r"medicines?|drugs?|treatments?|proteins?)\b|works?\s+by\b|belongs?\s+to\b)"
)


@lru_cache(maxsize=8192)
def _opening_pattern(name: str) -> re.Pattern[str]:
    return re.compile(_SAYS_WHAT.format(names=_plural_too(name)), re.IGNORECASE)


def says_what_it_is(text: str, names: Iterable[str]) -> bool:
    """Whether a sentence opens by saying what one of `names` is or how it works:
    "Targeted cancer drugs work by…", "Pertuzumab is a type of…"; stricter than
    `defines`, for which "Urethral cancer is staged…" also counts."""
    return _any_name(_opening_pattern, text, names)


def subject_names(subject: Iterable[str], vocabulary: Vocabulary) -> tuple[str, ...]:
    """Every way the library may write a question's subject: as asked, its document
    term and its other names ("Kadcyla": trastuzumab emtansine, T-DM1…)."""
    names: list[str] = []
    for surface in subject:
        names.append(surface)
        canonical = vocabulary.canonical(surface)
        if canonical is not None:
            names += vocabulary.names_of(canonical)
    return tuple(dict.fromkeys(" ".join(words(n)) for n in names if words(n)))
