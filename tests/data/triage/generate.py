# ruff: noqa: E501
"""Generate the triage phrasing sets (issue 25, item 6: "triage that reads phrasing").

Writes four files next to this script, deterministically (seeded, no network):

    urgent_generated.txt           urgent phrasings to tune the rules on
    urgent_generated_heldout.txt   urgent phrasings never used to tune (only measured)
    ordinary_generated.txt         ordinary (non-urgent) questions to tune on
    ordinary_generated_heldout.txt ordinary questions never used to tune

Urgent lines put the symptoms the triage rules call urgent into many phrasings:
tenses and aspects ("swelled", "has been swelling", "keeps swelling", "started to
swell"), word orders ("swelling in my throat", "throat swelling", "my throat, it's
swelling"), hedges and similes ("feel like", "seems to", "as if", "kind of", "a bit"),
lists of body parts, carers writing about someone else, drug names, UK/US words and
a deterministic typo in a share of lines. Ordinary lines use the same symptoms where
they must not fire: negated ("no fever since my infusion"), in general information
questions ("can Enhertu cause a cough?"), as past events that are over ("I had a
fever last month and it went away"), mild symptoms the rules leave to the documents,
and the words in non-symptom senses ("swelling of the lymph nodes").

Held out: every list of frames and fillers is split by a seeded shuffle; a third of
each is used only for the held-out files (held-out lines use held-out frames, and
draw fillers from the held-out third half of the time). The hand-written lines at
the end of this file are split the same way by hand. Never tune rules on the
held-out files. Regenerate after changing this script:

    .venv/bin/python tests/data/triage/generate.py          (writes the files)
    .venv/bin/python tests/data/triage/generate.py --check  (exit 1 if they differ)
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261204
TYPO_SHARE = 0.15
COUNTS = {"tuning": 1.0, "heldout": 0.5}  # held-out files are half the size

OUTPUTS = {
    ("urgent", "tuning"): "urgent_generated.txt",
    ("urgent", "heldout"): "urgent_generated_heldout.txt",
    ("ordinary", "tuning"): "ordinary_generated.txt",
    ("ordinary", "heldout"): "ordinary_generated_heldout.txt",
}


# ----------------------------------------------------------------- the split
@dataclass(frozen=True)
class Pool:
    """One list of frames or fillers, split once into a tuning and a held-out part."""

    name: str
    tuning: tuple[str, ...]
    heldout: tuple[str, ...]


POOLS: dict[str, Pool] = {}


def pool(name: str, items: Sequence[str]) -> Pool:
    """A seeded third of `items` (by name, so lists do not disturb each other) is held out."""
    if name in POOLS:
        raise ValueError(f"two lists are called {name!r}")
    order = list(dict.fromkeys(items))  # an item listed twice weighs twice, split once
    random.Random(f"{SEED}:{name}").shuffle(order)
    cut = len(order) // 3
    held = tuple(x for x in items if x in order[:cut])
    made = Pool(name, tuple(x for x in items if x not in held), held)
    POOLS[name] = made
    return made


class Picker:
    """Picks frames and fillers for one split: tuning uses only the tuning parts; held
    out uses held-out frames, and held-out fillers half of the time."""

    def __init__(self, split: str, rng: random.Random) -> None:
        self.split = split
        self.rng = rng

    def frame(self, p: Pool) -> str:
        items = p.tuning if self.split == "tuning" or not p.heldout else p.heldout
        return self.rng.choice(items)

    def __call__(self, p: Pool) -> str:
        if self.split == "heldout" and p.heldout and self.rng.random() < 0.5:
            return self.rng.choice(p.heldout)
        return self.rng.choice(p.tuning)


# ----------------------------------------------------------------- people and parts
@dataclass(frozen=True)
class Who:
    """Who has the symptom: the asker or someone they care for."""

    s: str  # "I", "my mum", "she"
    pron: str  # "I", "she", "he"
    pos: str  # "my", "her", "his"
    obj: str  # "me", "her", "him"

    @property
    def first(self) -> bool:
        return self.s == "I"

    def owner(self) -> str:
        """The possessive before a body part: "my", "her", "my mum's"."""
        if self.first:
            return "my"
        if self.s in ("she", "he"):
            return self.pos
        return f"{self.s}'s"

    def slots(self, rng: random.Random) -> dict[str, str]:
        third = not self.first
        contract = rng.random() < 0.5
        if self.first:
            have_c = "I've" if contract else "I have"
            be_c = "I'm" if contract else "I am"
        elif self.s in ("she", "he"):
            have_c = f"{self.s}'s" if contract else f"{self.s} has"
            be_c = f"{self.s}'s" if contract else f"{self.s} is"
        else:
            have_c = f"{self.s} has"
            be_c = f"{self.s}'s" if contract else f"{self.s} is"
        return {
            "S": self.s,
            "pron": self.pron,
            "pos": self.pos,
            "obj": self.obj,
            "be": "is" if third else "am",
            "have": "has" if third else "have",
            "keep": "keeps" if third else "keep",
            "feel": "feels" if third else "feel",
            "seem": "seems" if third else "seem",
            "look": "looks" if third else "look",
            "was": "was",
            "dont": "doesn't" if third else "don't",
            "havent": "hasn't" if third else "haven't",
            "isnt": "isn't" if third else "am not",
            "have_c": have_c,
            "be_c": be_c,
            "pron_be": "I'm" if self.first else f"{self.pron}'s",
            "pron_have": "I have" if self.first else f"{self.pron} has",
        }


PEOPLE = [
    Who("I", "I", "my", "me"),
    Who("I", "I", "my", "me"),
    Who("I", "I", "my", "me"),
    Who("my mum", "she", "her", "her"),
    Who("my mom", "she", "her", "her"),
    Who("my wife", "she", "her", "her"),
    Who("my husband", "he", "his", "him"),
    Who("my partner", "she", "her", "her"),
    Who("my dad", "he", "his", "him"),
    Who("my daughter", "she", "her", "her"),
    Who("my sister", "she", "her", "her"),
    Who("my nan", "she", "her", "her"),
    Who("she", "she", "her", "her"),
    Who("he", "he", "his", "him"),
    Who("my mother", "she", "her", "her"),
    Who("my friend", "she", "her", "her"),
]
CARERS = [w for w in PEOPLE if not w.first]


@dataclass(frozen=True)
class Part:
    text: str
    plural: bool


def part_slots(who: Who, part: Part, rng: random.Random) -> dict[str, str]:
    pl = part.plural
    owner = who.owner()
    it = "they" if pl else "it"
    return {
        "P": part.text.replace("{own}", owner) if "{own}" in part.text else f"{owner} {part.text}",
        "bare": part.text.replace("{own} ", ""),
        "Pbe": "are" if pl else "is",
        "Phave": "have" if pl else "has",
        "Pkeep": "keep" if pl else "keeps",
        "Pfeel": "feel" if pl else "feels",
        "Pseem": "seem" if pl else "seems",
        "Plook": "look" if pl else "looks",
        "Pisnt": "aren't" if pl else "isn't",
        "Pdont": "don't" if pl else "doesn't",
        "Phavent": "haven't" if pl else "hasn't",
        "Pit": it,
        "Pitbe": rng.choice(["they're", "they are"] if pl else ["it's", "it is"]),
    }


# ----------------------------------------------------------------- shared fillers
TREATMENTS = pool(
    "treatments",
    [
        "today's infusion",
        "{pos} infusion",
        "{pos} Herceptin",
        "{pos} chemo yesterday",
        "the drip",
        "{pos} Enhertu",
        "{pos} Kadcyla this morning",
        "starting Kisqali",
        "{pos} Keytruda",
        "{pos} paclitaxel",
        "{pos} first Phesgo injection",
        "{pos} docetaxel on Monday",
        "{pos} trastuzumab",
        "the Taxol",
        "{pos} Trodelvy",
        "{pos} last cycle",
        "{pos} chemo",
        "{pos} treatment today",
        "starting Verzenios",
        "starting Nerlynx",
        "{pos} carboplatin",
        "{pos} pembrolizumab",
        "{pos} EC chemo",
        "the infusion",
        "{pos} second cycle",
        "{pos} herceptin",
        "{pos} T-DXd",
        "{pos} immunotherapy",
        "{pos} capecitabine",
        "{pos} third round of chemo",
    ],
)
ON_DRUG = pool(
    "on_drug",
    [
        "Enhertu",
        "Kisqali",
        "Verzenios",
        "Nerlynx",
        "Keytruda",
        "Kadcyla",
        "Herceptin",
        "chemo",
        "capecitabine",
        "Ibrance",
        "paclitaxel",
        "docetaxel",
        "Phesgo",
        "Trodelvy",
        "ribociclib",
        "abemaciclib",
        "trastuzumab",
        "Verzenio",
        "Xeloda",
    ],
)
CTX = pool(
    "contexts",
    [
        "after {T}",
        "since {T}",
        "an hour after {T}",
        "on {D}",
        "two days after {T}",
        "straight after {T}",
        "during {T}",
        "a week after {T}",
        "ever since {T}",
        "the night after {T}",
        "while on {D}",
        "just after {T}",
    ],
)
SINCE = pool(
    "since",
    [
        "this morning",
        "last night",
        "lunchtime",
        "yesterday",
        "about 2am",
        "teatime",
        "{pos} chemo on Tuesday",
        "the weekend",
        "{pos} infusion",
        "this afternoon",
        "yesterday evening",
        "breakfast",
    ],
)
RECENT = pool(
    "recent",
    [
        "last night",
        "this morning",
        "an hour ago",
        "earlier today",
        "tonight",
        "just now",
        "overnight",
        "this afternoon",
        "a few minutes ago",
        "after lunch",
    ],
)
OPENERS = pool(
    "openers",
    [
        "Hi,",
        "Sorry to bother you but",
        "Quick question:",
        "Hello,",
        "Not sure if this matters but",
        "Please help,",
        "Hi there,",
        "Hiya,",
        "Good evening,",
        "I'm a bit worried,",
        "Help -",
        "Sorry if this is silly but",
        "Morning,",
        "Hey,",
    ],
)
CLOSERS = pool(
    "closers",
    [
        "what should I do?",
        "is this normal?",
        "should I be worried?",
        "what do I do?",
        "is it the chemo?",
        "help",
        "please help",
        "should I call someone?",
        "can it wait till morning?",
        "do I need to go to A&E?",
        "should we go to the ER?",
        "is this a side effect?",
        "is that expected?",
        "I'm scared",
        "is this serious?",
        "what does it mean?",
        "who do I call?",
        "should I ring the helpline?",
        "is it an allergy?",
        "is that ok?",
        "any advice?",
        "do I need to do anything?",
        "is this something to worry about?",
        "should I go to the hospital?",
        "can I just take paracetamol?",
        "what could it be?",
        "is this common?",
    ],
)
NUMBERS = pool(
    "numbers",
    ["4", "5", "6", "7", "8", "10", "12", "five", "six", "seven", "eight", "ten", "four"],
)
TEMPS = pool(
    "temps",
    [
        "38",
        "38.1",
        "38.3",
        "38.5",
        "38.7",
        "39",
        "39.2",
        "39.5",
        "38.2C",
        "38.6 degrees",
        "101F",
        "100.8 F",
        "102 degrees F",
        "38.4",
        "38.9",
        "40",
    ],
)
DIARRHOEA = pool("diarrhoea", ["diarrhoea", "diarrhea", "diarrhoea", "diarrhea", "the runs"])


def fill_common(text: str, pick: Picker, who: Who) -> str:
    """Fill the shared slots ({CTX}, {SINCE}, {RECENT}, {N}, {TEMP}, {DIA}) in `text`."""
    if "{CTX}" in text:
        ctx = pick(CTX).replace("{T}", pick(TREATMENTS)).replace("{D}", pick(ON_DRUG))
        text = text.replace("{CTX}", ctx)
    for slot, p in (("{SINCE}", SINCE), ("{RECENT}", RECENT), ("{N}", NUMBERS), ("{TEMP}", TEMPS)):
        while slot in text:
            text = text.replace(slot, pick(p), 1)
    while "{DIA}" in text:
        text = text.replace("{DIA}", pick(DIARRHOEA).strip(), 1)
    return text.replace("{pos}", who.pos).replace("{obj}", who.obj).replace("{pron}", who.pron)


# ----------------------------------------------------------------- urgent: body parts
@dataclass(frozen=True)
class Verb:
    """A symptom said of a body part, in every form the frames need."""

    base: str
    s: str
    past: str
    pp: str
    ing: str
    adj: str | None  # "swollen"; None when no adjective reads naturally
    noun: str  # "swelling"
    preps: tuple[str, ...]  # "in", "around"
    up: str = ""  # a particle some people add: "swelling up"
    sense: str = "feel"  # feel | look


# fmt: off
SWELL = Verb("swell", "swells", "swelled", "swollen", "swelling", "swollen", "swelling", ("in", "around", "of"), " up")
SWELL2 = Verb("swell", "swells", "swelled", "swelled", "swelling", "puffy", "puffiness", ("in", "around"), " up")
PUFF = Verb("puff up", "puffs up", "puffed up", "puffed up", "puffing up", "puffy", "swelling", ("in", "around"), "", "look")
YELLOW = Verb("turn yellow", "turns yellow", "turned yellow", "turned yellow", "turning yellow", "yellow", "a yellow tinge", ("to",), "", "look")
GO_YELLOW = Verb("go yellow", "goes yellow", "went yellow", "gone yellow", "going yellow", "yellowish", "yellowing", ("of",), "", "look")
BLEED = Verb("bleed", "bleeds", "bled", "bled", "bleeding", None, "bleeding", ("from",), "")
HURT = Verb("hurt", "hurts", "hurt", "hurt", "hurting", "tight", "pain", ("in", "across"), "")
TIGHTEN = Verb("tighten", "tightens", "tightened", "tightened", "tightening", "tight", "tightness", ("in", "across"), " up")
CLOSE = Verb("close up", "closes up", "closed up", "closed up", "closing up", "tight", "tightness", ("in",), "")
# fmt: on

ALLERGY_PARTS = pool(
    "allergy_parts",
    [
        "face",
        "throat",
        "tongue",
        "mouth",
        "top lip",
        "bottom lip",
        "lips",
        "eyelids",
        "lips, mouth and throat",
        "face and lips",
        "lips and tongue",
        "mouth and throat",
        "tongue and throat",
        "face, lips and eyes",
        "whole face",
        "cheeks and lips",
        "lips and face",
        "eyes and lips",
        "throat and tongue",
        "face and neck",
    ],
)
LEG_PARTS = pool(
    "leg_parts",
    [
        "left leg",
        "right leg",
        "left calf",
        "right calf",
        "calf",
        "leg",
        "lower leg",
        "whole leg",
        "right thigh",
        "left thigh",
        "calf and ankle",
        "one leg",
    ],
)
YELLOW_PARTS = pool(
    "yellow_parts",
    ["skin", "eyes", "the whites of {own} eyes", "face", "skin and eyes", "eyeballs"],
)
BLEED_PARTS = pool("bleed_parts", ["gums", "nose", "gums and nose"])
PLURAL_WORDS = ("lips", "eyelids", "eyes", "cheeks", "gums", "eyeballs", " and ", ",")


def as_part(text: str) -> Part:
    return Part(text, any(w in text for w in PLURAL_WORDS))


SV_FRAMES = pool(
    "sv_frames",
    [
        "{P} {Pbe} {ing}{up}",
        "{P} {past}{up}",
        "{P} {Phave} {pp}{up}",
        "{P} {Phave} been {ing}{up}",
        "{P} {Pkeep} {ing}{up}",
        "{P} started to {base}{up}",
        "{P} started {ing}{up}",
        "{P} {Pbe} starting to {base}{up}",
        "{P} {Pfeel} like {Pit} {Pbe2} {ing}{up}",
        "{P} {Psense} {adj}",
        "{P} {Psense} a bit {adj}",
        "{P} {Psense} kind of {adj}",
        "{P} {Pseem} to be {ing}{up}",
        "it feels as if {P} {Pbe} {ing}{up}",
        "{P}, {Pitbe} {ing}{up}",
        "{P} {Phave} gone all {adj}",
        "there's {noun} {prep} {P}",
        "I've noticed {noun} {prep} {P}",
        "{noun} {prep} {P}",
        "{bare} {ing}{up}",
        "{adj} {bare}",
        "I think {P} {Pbe} {ing}{up}",
        "{P} {Pbe} sort of {ing}{up}",
        "{P} {Pbe} a little {adj}",
        "{P} {Pbe} slightly {adj}",
        "{P} {Pbe} getting {adj}",
        "{P} suddenly {past}{up}",
        "{P} just {past}{up}",
        "{P} {Pbe} still {ing}{up}",
        "{P} {Phave} {pp}{up} a bit",
        "{P} {Pseem} {adj}",
        "{P} {Plook} like {Pit} {Pbe2} {ing}{up}",
        "I can see {P} {ing}{up}",
        "{P} {Pbe} definitely {ing}{up}",
        "{P} {Pbe} kind of {ing}",
        "{P} went {adj}",
    ],
)


def sv_line(pick: Picker, verb: Verb, parts: Pool, who: Who, tail: str = "") -> str | None:
    frame = pick.frame(SV_FRAMES)
    if verb.adj is None and "{adj}" in frame:
        return None
    if frame.startswith(("I've noticed", "I can see")) and who.first:
        frame = frame.replace("I've noticed", "I've got").replace("I can see ", "")
        if "{P}" in frame and "{ing}" in frame and "{Pbe}" not in frame:
            return None
    part = as_part(pick(parts))
    slots = part_slots(who, part, pick.rng)
    if frame.startswith(("{bare}", "{adj} {bare}")) and "{own}" in part.text:
        return None
    if frame == "{P} went {adj}" and verb.adj in ("swollen", "tight"):
        return None
    pl = part.plural
    slots.update(
        base=verb.base,
        past=verb.past,
        pp=verb.pp,
        ing=verb.ing,
        adj=verb.adj or "",
        noun=verb.noun,
        prep=pick.rng.choice(verb.preps),
        up=verb.up if pick.rng.random() < 0.6 else "",
        Psense=(verb.sense + ("" if pl else "s")),
        Pbe2=pick.rng.choice(["are", "'re"] if pl else ["is", "'s"]),
    )
    text = frame.format(**slots).replace(" 're", "'re").replace(" 's", "'s")
    return text + tail


# ----------------------------------------------------------------- urgent: noun phrases
NP_FRAMES = pool(
    "np_frames",
    [
        "{S} {have} {np}",
        "{have_c} got {np}",
        "{S} {have} had {np} since {SINCE}",
        "{S} had {np} {RECENT}",
        "{S} {keep} getting {np}",
        "{S} woke up with {np}",
        "I think {S} {have} {np}",
        "{S} {seem} to have {np}",
        "{be_c} getting {np}",
        "{S} {have} developed {np}",
        "{S} started getting {np}",
        "{S} {feel} like {pron_have} {np}",
        "{np} since {SINCE}",
        "{S} {have} come down with {np}",
        "{S} suddenly got {np}",
        "{S} {have} had {np} all night",
        "I'm worried {S} {have} {np}",
        "{S} might have {np}",
        "it feels like {S} {have} {np}",
        "{S} {have} kind of got {np}",
        "{S} {have} had {np} on and off all day",
        "{S} {have} had {np} for a few hours",
        "{S} now {have} {np}",
        "{S} {have} got {np} again",
        "{S} {have} what feels like {np}",
    ],
)
NP_FEVER = pool(
    "np_fever",
    [
        "a fever",
        "a high temperature",
        "a temperature of {TEMP}",
        "a temp of {TEMP}",
        "a raised temperature",
        "a bit of a fever",
        "a slight fever",
        "a high temp",
        "a temperature",
        "a fever of {TEMP}",
        "a temperature over 38",
        "a mild fever",
        "a temperature of about {TEMP}",
        "a fever and chills",
        "a slight temperature",
        "a bit of a temperature",
        "a temperature and the shivers",
    ],
)
NP_RIGORS = pool(
    "np_rigors",
    [
        "the chills",
        "chills",
        "the shivers",
        "rigors",
        "uncontrollable shivering",
        "the shakes",
        "shivers",
        "chills and shakes",
        "bad chills",
        "shivering fits",
    ],
)
NP_CHEST = pool(
    "np_chest",
    [
        "chest pain",
        "chest pains",
        "a pain in {pos} chest",
        "a tight chest",
        "pressure in {pos} chest",
        "a crushing feeling in {pos} chest",
        "a sharp pain in {pos} chest",
        "tightness across {pos} chest",
        "a heavy feeling in {pos} chest",
        "pain across {pos} chest",
        "a tightness in {pos} chest",
        "a stabbing pain in the chest",
        "chest tightness",
    ],
)
NP_BREATH = pool(
    "np_breath",
    [
        "shortness of breath",
        "difficulty breathing",
        "trouble breathing",
        "a lot of breathlessness",
        "breathlessness",
        "a wheeze",
        "trouble catching {pos} breath",
    ],
)
NP_DIARRHOEA = pool(
    "np_diarrhoea",
    [
        "{DIA} {N} times today",
        "watery {DIA}",
        "{DIA} all night",
        "severe {DIA}",
        "{DIA} that won't stop",
        "the runs {N} times since this morning",
        "{DIA} that keeps waking {obj} up at night",
        "{DIA} through the night",
        "really bad {DIA}",
        "constant {DIA}",
        "{DIA} more than 6 times a day",
        "explosive {DIA}",
        "{DIA} {N} times since lunch",
        "non-stop {DIA}",
        "{DIA} even with the loperamide",
        "{DIA} and the Imodium isn't working",
        "{DIA} about {N} times a day",
        "{DIA} every hour",
        "awful {DIA}",
        "{DIA} during the night",
        "bloody {DIA}",
    ],
)
NP_HEADACHE = pool(
    "np_headache",
    [
        "a sudden severe headache",
        "the worst headache of {pos} life",
        "a really bad headache that came on suddenly",
        "a thunderclap headache",
        "a sudden headache",
        "a blinding headache that came out of nowhere",
        "a severe headache and a stiff neck",
        "a headache that came on all of a sudden",
        "the worst headache ever",
        "a sudden, splitting headache",
    ],
)
PAIN_PLACES = pool(
    "pain_places",
    ["stomach", "tummy", "belly", "side", "hip", "bones", "jaw", "abdomen", "head", "back"],
)
NP_PAIN = pool(
    "np_pain",
    [
        "severe pain in {pos} {L}",
        "unbearable pain in {pos} {L}",
        "excruciating pain in {pos} {L}",
        "agonising {L} pain",
        "{L} pain that painkillers aren't touching",
        "really bad pain in {pos} {L}",
        "pain in {pos} {L} that's 9 out of 10",
        "terrible {L} pain",
        "severe {L} pain",
        "awful pain in {pos} {L}",
        "agonizing pain in {pos} {L}",
        "pain in {pos} {L}, 10 out of 10",
        "very bad {L} pain",
    ],
)
NP_SKIN = pool(
    "np_skin",
    [
        "a rash with blisters",
        "blisters all over {pos} skin",
        "a blistering rash",
        "a rash and blisters in {pos} mouth",
        "peeling skin and a rash",
        "a rash that's starting to blister",
        "a rash with swelling",
        "a rash and {pos} skin is peeling off",
        "blistering on {pos} hands and feet",
        "a rash and swelling on {pos} face",
        "skin peeling off in sheets",
        "hives and swelling",
        "a rash that is blistering",
        "blisters and raw skin",
        "a red rash with blisters",
        "big blisters on {pos} arms",
    ],
)
NP_BRUISE = pool(
    "np_bruise",
    [
        "bruises all over {pos} body",
        "loads of bruises {pron} can't explain",
        "unexplained bruising",
        "bruising for no reason",
        "tiny red spots all over {pos} legs",
        "purple spots on {pos} skin",
        "bruises appearing out of nowhere",
        "lots of new bruises",
        "bruising everywhere",
        "little red dots all over {pos} arms",
    ],
)
NP_BLEED = pool(
    "np_bleed",
    [
        "a nosebleed that won't stop",
        "blood in {pos} poo",
        "blood in {pos} wee",
        "black tarry poo",
        "blood in {pos} sick",
        "a nosebleed that's lasted an hour",
        "bleeding gums that won't stop",
        "blood in {pos} urine",
        "blood in {pos} stool",
        "heavy bleeding from {pos} wound",
        "blood in {pos} pee",
        "a nose bleed that won't stop",
        "black stools",
    ],
)
NP_SEIZURE = pool("np_seizure", ["a seizure", "a fit", "a convulsion", "a seizure of some kind"])


def np_line(pick: Picker, nps: Pool, who: Who) -> str:
    frame = pick.frame(NP_FRAMES)
    np = pick(nps).replace("{L}", pick(PAIN_PLACES))
    slots = who.slots(pick.rng)
    slots["np"] = np
    text = frame.replace("{np}", np)
    for key, value in slots.items():
        text = text.replace("{" + key + "}", value)
    return fill_common(text, pick, who)


# ----------------------------------------------------------------- urgent: states
ADJ_FRAMES = pool(
    "adj_frames",
    [
        "{S} {be} {adj}",
        "{S} {have} been {adj} since {SINCE}",
        "{S} {keep} getting {adj}",
        "{S} {feel} {adj}",
        "{S} {feel} a bit {adj}",
        "{S} {feel} kind of {adj}",
        "{S} {seem} {adj}",
        "{S} {seem} really {adj}",
        "{S} started getting {adj}",
        "{S} suddenly got {adj}",
        "{S} {be} getting more and more {adj}",
        "{S} {be} a little {adj}",
        "{S} {have} been feeling {adj}",
        "{S} {be} {adj} all the time now",
        "{S} {have} become {adj}",
        "{S} {be} sort of {adj}",
        "{S} {be} still {adj}",
        "{S} {look} {adj}",
        "{adj} since {SINCE}",
        "{be_c} so {adj}",
        "{S} {have} gone {adj}",
        "{S} {be} quite {adj}",
        "{S} {feel} really {adj} {RECENT}",
        "{S} {have} been really {adj} {RECENT}",
    ],
)
ADJ_BREATH = pool(
    "adj_breath",
    [
        "short of breath",
        "breathless",
        "out of breath",
        "really breathless",
        "wheezy",
        "short of breath even resting",
        "breathless lying down",
        "out of breath all the time",
        "short of breath just walking",
        "breathless and wheezy",
    ],
)
ADJ_CONFUSED = pool(
    "adj_confused",
    [
        "confused",
        "disorientated",
        "disoriented",
        "muddled",
        "very drowsy",
        "delirious",
        "confused and agitated",
        "really confused",
        "muddled and sleepy",
        "confused and drowsy",
    ],
)
ADJ_FEVER = pool(
    "adj_fever",
    [
        "feverish",
        "hot and shivery",
        "hot and cold",
        "shivery",
        "hot and shaky",
        "feverish and shaky",
        "shivery and cold",
        "boiling hot and shivery",
    ],
)
ADJ_FAINT = pool("adj_faint", ["faint", "lightheaded and faint", "faint and dizzy", "really faint"])


def adj_line(pick: Picker, adjs: Pool, who: Who) -> str:
    frame = pick.frame(ADJ_FRAMES)
    slots = who.slots(pick.rng)
    text = frame.replace("{adj}", pick(adjs))
    for key, value in slots.items():
        text = text.replace("{" + key + "}", value)
    return fill_common(text, pick, who)


# ----------------------------------------------------------------- urgent: events
PRED_FRAMES = pool(
    "pred_frames",
    [
        "{S} {pred}",
        "I think {S} {pred}",
        "{S} {pred} {RECENT}",
        "{S} {pred}, it started {RECENT}",
        "{S} {pred} since {SINCE}",
        "{S}, {pron} {pred}",
        "{S} {pred} on and off",
        "{S} {pred} - it came on {RECENT}",
    ],
)
PRED_VOMIT = pool(
    "pred_vomit",
    [
        "{keep} being sick",
        "{have} been sick {N} times today",
        "can't stop being sick",
        "{be} throwing up everything",
        "{have} thrown up {N} times",
        "{have} vomited {N} times",
        "{have} been vomiting all night",
        "can't keep anything down",
        "can't even keep water down",
        "{be} vomiting non-stop",
        "{keep} throwing up",
        "{have} been throwing up all day",
        "{be} being sick every hour",
        "threw up {N} times",
        "{keep} vomiting",
        "{be} vomiting and it won't stop",
        "{have} been sick all day",
        "can't keep fluids down",
        "{have} not stopped being sick",
        "{have} been throwing up for hours",
        "{be} vomiting constantly",
        "{have} vomited everything {pron} ate",
    ],
)
PRED_URINE = pool(
    "pred_urine",
    [
        "{havent} passed urine",
        "can't pee",
        "{havent} had a wee all day",
        "{havent} been able to wee",
        "{havent} peed for 12 hours",
        "{be} not peeing at all",
        "{havent} passed any water",
        "can't pass urine",
        "{havent} weed",
        "can't wee",
        "{havent} been for a wee all day",
        "{havent} been able to pee",
        "{be} unable to pee",
        "{havent} had a pee",
        "{have} not passed urine all day",
        "{be} not weeing",
    ],
)
PRED_COUGH_BLOOD = pool(
    "pred_cough_blood",
    [
        "{be} coughing up blood",
        "coughed up blood",
        "{have} been coughing up blood",
        "{keep} coughing up blood",
        "{have} coughed up some blood",
        "{be} bringing up blood",
        "coughed up some bright red blood",
        "{have} been coughing blood",
        "{be} spitting blood",
    ],
)
PRED_BREATH = pool(
    "pred_breath",
    [
        "can't breathe",
        "can't catch {pos} breath",
        "{be} struggling to breathe",
        "{have} been struggling to breathe",
        "{keep} struggling for breath",
        "{be} finding it hard to breathe",
        "{have} trouble breathing",
        "{be} gasping for breath",
        "can't get {pos} breath",
        "{be} breathing really fast",
        "{have} been wheezing",
        "{feel} like {pron} can't breathe",
        "couldn't breathe properly",
        "{be} having trouble breathing",
        "{have} had difficulty breathing",
        "{be} fighting for breath",
        "{be} struggling for air",
        "{keep} running out of breath",
        "{be} getting breathless",
        "{have} got really breathless",
        "struggled to breathe",
        "{be} finding it difficult to breathe",
        "can hardly breathe",
        "{have} to stop to catch {pos} breath",
    ],
)
PRED_SEIZURE = pool(
    "pred_seizure",
    [
        "had a seizure",
        "{be} having a fit",
        "{keep} having seizures",
        "{have} had two fits",
        "had a fit",
        "started fitting",
        "{be} having a seizure",
        "had what looked like a seizure",
        "{have} had a convulsion",
        "{be} fitting",
        "{have} had a seizure",
    ],
)
PRED_FEVER = pool(
    "pred_fever",
    [
        "{be} burning up",
        "{have} been burning up",
        "{feel} like {pron} {be2} burning up",
        "{be} running a temperature",
        "{be} running a fever",
        "{have} been running a high temp",
        "{be} spiking temperatures",
        "{be} really hot to touch",
        "{have} been spiking a fever",
        "{be} boiling up",
        "{feel} hot and cold",
    ],
)
PRED_RIGORS = pool(
    "pred_rigors",
    [
        "{be} shivering",
        "{have} been shivering",
        "{keep} shivering",
        "{be} shaking uncontrollably",
        "can't stop shaking",
        "{be} shaking all over",
        "started shivering",
        "{be} shivering and can't get warm",
        "shivered for an hour",
        "{be} shaking like a leaf",
        "{have} got the shivers",
        "can't stop shivering",
        "{be} shivering under two duvets",
        "{have} been shaking with cold",
    ],
)
PRED_COLLAPSE = pool(
    "pred_collapse",
    [
        "fainted",
        "{have} fainted twice",
        "{keep} fainting",
        "nearly fainted",
        "passed out",
        "{have} passed out",
        "{keep} passing out",
        "collapsed",
        "{have} collapsed",
        "blacked out",
        "{have} blacked out twice",
        "nearly passed out",
        "{be} fainting",
        "{feel} like {pron} {be2} going to faint",
        "{feel} like {pron} {be2} going to pass out",
        "fainted in the shower",
        "collapsed in the kitchen",
        "keeled over",
        "went unconscious",
        "{have} been fainting",
        "lost consciousness",
    ],
)
PRED_CONFUSION = pool(
    "pred_confusion",
    [
        "{dont} know where {pron} {be2}",
        "{be} not making sense",
        "{be} talking nonsense",
        "{dont} recognise me",
        "{be} seeing things",
        "{be} hard to wake",
        "{keep} falling asleep mid-sentence",
        "{have} become confused",
        "{be} acting confused",
        "{have} gone really confused",
        "{be} confused about where {pron} {be2}",
        "{keep} getting confused",
        "{dont} know what day it is",
        "{be} not with it",
    ],
)
PRED_CLOT = pool(
    "pred_clot",
    [
        "{have} a swollen, painful calf",
        "{have} a red, hot and swollen leg",
        "{have} pain and swelling in one leg",
        "{have} a swollen leg that hurts to walk on",
        "{have} a calf that's swollen and tender",
        "{have} got a puffy, painful leg",
        "{have} one leg much fatter than the other",
        "{have} a hot swollen calf",
    ],
)
PRED_LINE = pool(
    "pred_line",
    [
        "{have} redness and swelling around {pos} PICC line",
        "{have} pus coming out of {pos} port site",
        "{have} a red, hot patch around {pos} line",
        "{have} a PICC line that's red and swollen",
        "{have} a port that's oozing",
        "{have} a sore, red port site",
        "{have} a line site that's weeping",
        "{have} got a red swollen area around {pos} Hickman line",
        "{have} a PICC site that's hot and painful",
        "{have} a port site that looks infected",
        "{have} redness spreading from {pos} PICC",
        "{have} a cannula site that's red and swollen",
    ],
)


def pred_line(pick: Picker, preds: Pool, who: Who) -> str:
    frame = pick.frame(PRED_FRAMES)
    pred = pick(preds)
    slots = who.slots(pick.rng)
    slots["be2"] = "am" if who.first else "is"
    if who.first:
        slots["be2"] = "'m"
    text = frame.replace("{pred}", pred)
    for key, value in slots.items():
        text = text.replace("{" + key + "}", value)
    text = text.replace("I 'm", "I'm").replace(" 'm", "'m")
    return fill_common(text, pick, who)


LINE_PARTS = pool(
    "line_parts",
    [
        "PICC line",
        "port",
        "line site",
        "port site",
        "Hickman line",
        "PICC site",
        "portacath",
        "central line",
        "PICC",
        "cannula site",
    ],
)
LINE_STATES = pool(
    "line_states",
    [
        "red and swollen",
        "hot and red",
        "oozing pus",
        "leaking pus",
        "red and sore",
        "inflamed",
        "weeping",
        "swollen and tender",
        "red and angry looking",
        "hot and swollen",
        "oozing",
        "red and puffy",
        "crusty and weeping",
        "infected looking",
    ],
)
LINE_FRAMES = pool(
    "line_frames",
    [
        "{P} {Pbe} {state}",
        "{P} {Phave} gone {state}",
        "{P} {Plook} {state}",
        "the skin around {P} {Pbe} {state}",
        "{P} {Phave} been {state} since {SINCE}",
        "{P} {Pbe} a bit {state}",
        "{P} {Pbe} looking {state}",
        "{P} {Pseem} {state}",
        "around {P} it's {state}",
        "{P} {Pbe} {state} and it hurts",
        "{P} {Pbe} getting {state}",
    ],
)


def line_infection_line(pick: Picker, who: Who) -> str:
    frame = pick.frame(LINE_FRAMES)
    part = Part(pick(LINE_PARTS), False)
    slots = part_slots(who, part, pick.rng)
    slots["state"] = pick(LINE_STATES)
    text = frame
    for key, value in slots.items():
        text = text.replace("{" + key + "}", value)
    return fill_common(text, pick, who)


CLOT_TAILS = pool(
    "clot_tails",
    [
        "",
        "",
        " and it's painful",
        " and really sore",
        ", it's red and hot",
        " and it hurts to walk",
        " and tender",
        "",
    ],
)
BLEED_TAILS = pool(
    "bleed_tails",
    [
        " and it won't stop",
        " on chemo",
        " since {pos} chemo",
        " on Kisqali",
        " and won't stop",
        " since starting Ibrance",
    ],
)


# ----------------------------------------------------------------- urgent: assembling
def finish(core: str, pick: Picker, who: Who, with_ctx: bool = True) -> str:
    """Opener, core, context and closer, punctuated like a message."""
    rng = pick.rng
    parts = []
    if rng.random() < 0.25:
        parts.append(pick(OPENERS))
    parts.append(core)
    if with_ctx and rng.random() < 0.55 and " since " not in core and " after " not in core:
        parts.append(fill_common("{CTX}", pick, who))
    text = " ".join(parts)
    if rng.random() < 0.55:
        closer = pick(CLOSERS)
        text += rng.choice([", ", ". ", " - ", "? ", "... "]) + closer
    elif rng.random() < 0.3:
        text += rng.choice([".", "!", "!!"])
    return tidy(text)


def tidy(text: str) -> str:
    text = " ".join(text.split())
    text = text.replace(" ,", ",").replace(" .", ".").replace("..", ".").replace(".?", "?")
    text = text.replace("?.", "?").replace("?,", "?")
    return text[0].upper() + text[1:]


def urgent_line(pick: Picker) -> str:
    """One urgent phrasing: a symptom family chosen by weight, then its grammar."""
    rng = pick.rng
    who = rng.choice(PEOPLE)
    kind = rng.choices(
        [
            "allergy",
            "clot",
            "yellow",
            "bleed_part",
            "chest_sv",
            "throat",
            "fever_np",
            "rigors_np",
            "chest_np",
            "breath_np",
            "diarrhoea",
            "headache",
            "pain",
            "skin",
            "bruise",
            "bleed_np",
            "seizure_np",
            "breath_adj",
            "confused_adj",
            "fever_adj",
            "faint_adj",
            "vomit",
            "urine",
            "cough_blood",
            "breath_pred",
            "seizure_pred",
            "fever_pred",
            "rigors_pred",
            "collapse",
            "confusion_pred",
            "clot_pred",
            "line_pred",
            "line",
        ],
        weights=[
            14,
            6,
            5,
            3,
            4,
            4,
            8,
            3,
            4,
            3,
            6,
            3,
            4,
            5,
            3,
            4,
            2,
            5,
            3,
            3,
            2,
            5,
            4,
            2,
            7,
            3,
            3,
            4,
            5,
            3,
            2,
            2,
            4,
        ],
    )[0]
    if (
        kind in ("confused_adj", "confusion_pred", "seizure_pred", "collapse")
        and rng.random() < 0.7
    ):
        who = rng.choice(CARERS)
    core: str | None
    if kind == "allergy":
        core = sv_line(pick, rng.choice([SWELL, SWELL, SWELL, SWELL2, PUFF]), ALLERGY_PARTS, who)
    elif kind == "clot":
        core = sv_line(pick, SWELL, LEG_PARTS, who, pick(CLOT_TAILS))
    elif kind == "yellow":
        core = sv_line(pick, rng.choice([YELLOW, GO_YELLOW]), YELLOW_PARTS, who)
    elif kind == "bleed_part":
        core = sv_line(pick, BLEED, BLEED_PARTS, who)
        if core is not None:
            core += pick(BLEED_TAILS).replace("{pos}", who.pos)
    elif kind == "chest_sv":
        core = sv_line(pick, rng.choice([HURT, TIGHTEN]), pool_of("chest_part", ["chest"]), who)
    elif kind == "throat":
        core = sv_line(pick, rng.choice([CLOSE, TIGHTEN]), pool_of("throat_part", ["throat"]), who)
    elif kind.endswith("_np") or kind in ("diarrhoea", "headache", "pain", "skin", "bruise"):
        nps = {
            "fever_np": NP_FEVER,
            "rigors_np": NP_RIGORS,
            "chest_np": NP_CHEST,
            "breath_np": NP_BREATH,
            "diarrhoea": NP_DIARRHOEA,
            "headache": NP_HEADACHE,
            "pain": NP_PAIN,
            "skin": NP_SKIN,
            "bruise": NP_BRUISE,
            "bleed_np": NP_BLEED,
            "seizure_np": NP_SEIZURE,
        }[kind]
        core = np_line(pick, nps, who)
    elif kind.endswith("_adj"):
        adjs = {
            "breath_adj": ADJ_BREATH,
            "confused_adj": ADJ_CONFUSED,
            "fever_adj": ADJ_FEVER,
            "faint_adj": ADJ_FAINT,
        }[kind]
        core = adj_line(pick, adjs, who)
    elif kind == "line":
        core = line_infection_line(pick, who)
    else:
        preds = {
            "vomit": PRED_VOMIT,
            "urine": PRED_URINE,
            "cough_blood": PRED_COUGH_BLOOD,
            "breath_pred": PRED_BREATH,
            "seizure_pred": PRED_SEIZURE,
            "fever_pred": PRED_FEVER,
            "rigors_pred": PRED_RIGORS,
            "collapse": PRED_COLLAPSE,
            "confusion_pred": PRED_CONFUSION,
            "clot_pred": PRED_CLOT,
            "line_pred": PRED_LINE,
        }[kind]
        core = pred_line(pick, preds, who)
    if core is None:
        return ""
    if kind in ("bleed_part",):
        return finish(fill_common(core, pick, who), pick, who, with_ctx=False)
    return finish(fill_common(core, pick, who), pick, who)


_FIXED: dict[str, Pool] = {}


def pool_of(name: str, items: list[str]) -> Pool:
    """A list too short to split (one body part): used by both splits."""
    if name not in _FIXED:
        _FIXED[name] = Pool(name, tuple(items), ())
    return _FIXED[name]


# ----------------------------------------------------------------- ordinary: negated
NEG_CORES = pool(
    "neg_cores",
    [
        "no fever",
        "no temperature",
        "no high temperature",
        "{S} {dont} have a fever",
        "{S} {dont} have a temperature",
        "{S} {havent} had a fever",
        "{S} {havent} had any temperature",
        "{pos} temperature is normal",
        "{pos} temperature is 36.{d}",
        "{pos} temp is fine",
        "{S} {isnt} feverish",
        "{S} {havent} got a temperature",
        "no sign of a fever",
        "{pos} temperature has been 37.{e} at most",
        "no chills",
        "no shivering",
        "{S} {isnt} shivering",
        "{S} {havent} had any shivers",
        "not short of breath",
        "{S} {isnt} short of breath",
        "{S} {isnt} breathless",
        "no shortness of breath",
        "{S} {havent} been short of breath",
        "{pos} breathing is fine",
        "{S} can breathe fine",
        "no breathlessness",
        "{S} {dont} feel breathless",
        "{S} {havent} had any trouble breathing",
        "no chest pain",
        "{S} {dont} have any chest pain",
        "{S} {havent} had chest pain",
        "no pain in {pos} chest",
        "{pos} lips aren't swollen",
        "{pos} throat isn't swelling",
        "there's no swelling in {pos} face",
        "{pos} face isn't swollen",
        "{pos} tongue doesn't feel swollen",
        "no swelling",
        "{S} {havent} had any swelling",
        "{pos} mouth and throat aren't swollen",
        "no allergic reaction",
        "no {DIA}",
        "{S} {havent} had any {DIA}",
        "{S} {dont} have {DIA}",
        "{S} {havent} been sick",
        "no vomiting",
        "{S} {havent} vomited",
        "{S} {havent} thrown up",
        "{pos} skin isn't yellow",
        "{pos} eyes aren't yellow",
        "no yellowing of {pos} skin",
        "{pos} legs aren't swollen",
        "no swelling in {pos} calf",
        "{pos} calf isn't swollen",
        "no bleeding",
        "{S} {havent} had any bleeding",
        "no blood in {pos} poo",
        "no nosebleeds",
        "no bruising",
        "{S} {havent} fainted",
        "no fainting",
        "{S} {havent} passed out",
        "{S} {isnt} confused",
        "no rash",
        "no blisters",
        "{S} {havent} got a rash",
        "no headache",
        "{S} {havent} had a temperature at all",
        "not feverish",
        "no fevers",
        "{S} {havent} been breathless",
        "{pos} lips and tongue are fine, not swollen",
        "{S} {havent} noticed any swelling",
        "{S} {havent} had any chills",
        "{S} {dont} have a high temperature",
        "{S} never had a fever",
        "no temperature spikes",
    ],
)
MILD = pool(
    "mild",
    [
        "tired",
        "really tired",
        "a bit of nausea",
        "a mild headache",
        "a dry mouth",
        "achy joints",
        "hot flushes",
        "a metallic taste",
        "sore fingertips",
        "trouble sleeping",
        "thinning hair",
        "constipation",
        "a few mouth ulcers",
        "dry itchy skin",
        "tingly fingers",
        "watery eyes",
        "a runny nose",
        "heartburn",
        "no appetite",
        "a bit of a sore mouth",
        "aching muscles",
        "brittle nails",
        "a slight headache",
        "some hair loss",
        "a stuffy nose",
        "cramp in {pos} feet",
        "indigestion",
        "sore eyes",
        "hiccups",
    ],
)
ORD_Q = pool(
    "ordinary_questions",
    [
        "is tiredness normal?",
        "how long does it last?",
        "will it get better?",
        "is it safe to go swimming?",
        "can I go back to work?",
        "when will my hair grow back?",
        "can I drink alcohol?",
        "what can I eat to help?",
        "is it OK to exercise?",
        "will it affect the next cycle?",
        "how long until I feel normal again?",
        "can I still go on holiday?",
        "does the tiredness get worse each cycle?",
        "when do side effects usually peak?",
        "can I have a bath?",
        "will the nausea settle?",
        "is it OK to drive?",
        "how many cycles do most people have?",
        "what helps with the tiredness?",
        "is that usual?",
        "is this a common side effect?",
        "any tips?",
        "can I go to my daughter's wedding?",
        "is it safe to garden?",
        "when can I have my teeth cleaned?",
        "is it OK to have my hair coloured?",
        "can I travel by plane?",
        "how long do these side effects usually last?",
        "can I eat sushi?",
        "what helps with dry skin?",
        "is it ok to go to the gym?",
    ],
)
NEG_FRAMES = pool(
    "neg_frames",
    [
        "{NEG} since {CTX2}, {Q}",
        "{NEG}, just {MILD} {CTX}. {Q}",
        "{NEG} but {S} {have} {MILD}, {Q}",
        "{S} {have} {MILD} {CTX} but {NEG}. {Q}",
        "{Q} {NEG}, just {MILD}",
        "{NEG} and {NEG2}, {Q}",
        "good news: {NEG}. {Q}",
        "{NEG}, {NEG2}, just {MILD}. {Q}",
        "{CTXCAP}: {NEG}. {Q}",
        "{S} {have} been fine - {NEG} - {Q}",
        "{NEG} {CTX}, {Q}",
        "{Q} ({NEG})",
    ],
)


def neg_core(pick: Picker, who: Who) -> str:
    text = pick(NEG_CORES)
    slots = who.slots(pick.rng)
    for key, value in slots.items():
        text = text.replace("{" + key + "}", value)
    text = text.replace("{d}", str(pick.rng.randint(2, 9))).replace(
        "{e}", str(pick.rng.randint(0, 3))
    )
    return fill_common(text, pick, who)


def negated_line(pick: Picker) -> str:
    who = pick.rng.choice(PEOPLE)
    frame = pick.frame(NEG_FRAMES)
    slots = who.slots(pick.rng)
    text = frame
    text = text.replace("{NEG2}", neg_core(pick, who)).replace("{NEG}", neg_core(pick, who))
    text = text.replace("{MILD}", pick(MILD)).replace("{Q}", pick(ORD_Q))
    text = text.replace("{CTX2}", pick(TREATMENTS))
    if "{CTXCAP}" in text:
        text = text.replace("{CTXCAP}", fill_common("{CTX}", pick, who))
    for key, value in slots.items():
        text = text.replace("{" + key + "}", value)
    text = fill_common(text, pick, who)
    if not who.first:
        text = text.replace("I have been fine", f"{who.s} has been fine")
    return tidy(text)


# ----------------------------------------------------------------- ordinary: general questions
GEN_FRAMES = pool(
    "general_frames",
    [
        "can {DRUG} cause {SYM}?",
        "does {DRUG} cause {SYM}?",
        "is {SYM} a side effect of {DRUG}?",
        "how common is {SYM} with {DRUG}?",
        "what are the signs of {COND}?",
        "what are the symptoms of {COND}?",
        "what causes {SYM} during chemotherapy?",
        "how is {SYM} treated?",
        "why does {DRUG} cause {SYM}?",
        "is {SYM} a sign of {COND}?",
        "how likely is {SYM} on {DRUG}?",
        "what is {COND}?",
        "tell me about {SYM} with {DRUG}",
        "can {DRUG} give you {SYM}?",
        "how often does {DRUG} cause {SYM}?",
        "what is the risk of {SYM} with {DRUG}?",
        "how is {SYM} managed on {DRUG}?",
        "explain {COND}",
        "information about {COND}, please",
        "how serious is {SYM} on {DRUG}?",
        "is {SYM} common after {DRUG}?",
        "could {DRUG} cause {SYM}?",
        "what are the side effects of {DRUG}, for example {SYM}?",
        "risk of {SYM} on {DRUG}",
        "how are people with {SYM} on {DRUG} treated?",
        "why is {SYM} a concern with {DRUG}?",
    ],
)
GEN_DRUGS = pool(
    "general_drugs",
    [
        "Enhertu",
        "trastuzumab",
        "Herceptin",
        "Kadcyla",
        "Keytruda",
        "Kisqali",
        "Verzenios",
        "Nerlynx",
        "paclitaxel",
        "docetaxel",
        "capecitabine",
        "chemotherapy",
        "Ibrance",
        "Phesgo",
        "Trodelvy",
        "tamoxifen",
        "letrozole",
        "pembrolizumab",
        "T-DXd",
        "neratinib",
        "abemaciclib",
        "immunotherapy",
        "Taxol",
        "anastrozole",
    ],
)
GEN_SYMS = pool(
    "general_symptoms",
    [
        "a cough",
        "breathlessness",
        "a fever",
        "shortness of breath",
        "chest pain",
        "throat swelling",
        "swelling of the lips",
        "diarrhoea",
        "severe diarrhoea",
        "a high temperature",
        "jaundice",
        "yellow skin",
        "blood clots",
        "leg swelling",
        "nosebleeds",
        "bruising",
        "confusion",
        "seizures",
        "fainting",
        "chills",
        "shivering",
        "a blistering rash",
        "blisters",
        "vomiting",
        "swollen lips",
        "facial swelling",
        "a swollen tongue",
        "rigors",
        "wheezing",
        "diarrhea",
        "a temperature",
        "bleeding gums",
        "a rash with blisters",
        "yellowing of the eyes",
    ],
)
GEN_CONDS = pool(
    "general_conditions",
    [
        "an allergic reaction to trastuzumab",
        "anaphylaxis",
        "neutropenic sepsis",
        "a blood clot",
        "DVT",
        "pneumonitis",
        "spinal cord compression",
        "an infusion reaction",
        "an infection during chemotherapy",
        "sepsis",
        "liver problems on Kisqali",
        "a line infection",
        "hypercalcaemia",
        "a PICC line infection",
        "colitis from immunotherapy",
        "interstitial lung disease",
        "low platelets",
        "febrile neutropenia",
        "a pulmonary embolism",
        "an allergic reaction to paclitaxel",
        "a reaction to Herceptin",
        "hand-foot syndrome",
        "a severe skin reaction",
    ],
)


def general_line(pick: Picker) -> str:
    text = pick.frame(GEN_FRAMES)
    text = text.replace("{DRUG}", pick(GEN_DRUGS)).replace("{SYM}", pick(GEN_SYMS))
    text = text.replace("{COND}", pick(GEN_CONDS))
    return tidy(text)


# ----------------------------------------------------------------- ordinary: past and over
PAST_NPS = pool(
    "past_nps",
    [
        "a fever",
        "a high temperature",
        "an allergic reaction",
        "a blood clot in {pos} leg",
        "severe diarrhoea",
        "a really bad nosebleed",
        "the shivers",
        "chest pain",
        "a reaction to the infusion",
        "sepsis",
        "a clot in {pos} lung",
        "a temperature of 38.5",
        "bad diarrhea",
        "a seizure",
    ],
)
PAST_WHEN = pool(
    "past_when",
    [
        "last month",
        "a few weeks ago",
        "last year",
        "two months ago",
        "during {pos} first cycle back in March",
        "back in January",
        "years ago",
        "six weeks ago",
        "in the summer",
        "after {pos} first round of chemo last year",
        "last spring",
        "three years ago",
        "back in 2024",
    ],
)
PAST_OVER = pool(
    "past_over",
    [
        "it went away",
        "it settled",
        "it cleared up",
        "it was treated",
        "{pron_be} fine now",
        "it settled down with antibiotics",
        "it resolved",
        "{pron} got over it",
        "it's all cleared up",
        "it was sorted in hospital",
        "it went after a day",
        "it's gone",
        "it was all treated",
        "{pron} recovered",
    ],
)
PAST_Q = pool(
    "past_questions",
    [
        "will it affect {pos} next cycle?",
        "does that mean it will happen again?",
        "is it likely to come back?",
        "will it delay treatment?",
        "can {pron} still fly?",
        "does it change anything for surgery?",
        "does the new oncologist need to know?",
        "is {pron} more at risk now?",
        "will they do anything differently this time?",
        "does that make {obj} high risk?",
        "could it affect the Herceptin?",
        "does it matter for the trial?",
        "should it go on {pos} notes?",
    ],
)
PAST_FRAMES = pool(
    "past_frames",
    [
        "{S} had {np} {when} and {over}, {q}",
        "{WHEN} {S} had {np} but {over}. {q}",
        "{S} {was} admitted with {np} {when}; {over}. {q}",
        "{q} {S} had {np} {when}, {over}",
        "{S} had {np} {when} - {over} - {q}",
    ],
)


def past_line(pick: Picker) -> str:
    who = pick.rng.choice(PEOPLE)
    text = pick.frame(PAST_FRAMES)
    when = pick(PAST_WHEN)
    text = text.replace("{WHEN}", when[0].upper() + when[1:]).replace("{when}", when)
    text = text.replace("{np}", pick(PAST_NPS)).replace("{over}", pick(PAST_OVER))
    text = text.replace("{q}", pick(PAST_Q))
    for key, value in who.slots(pick.rng).items():
        text = text.replace("{" + key + "}", value)
    return tidy(fill_common(text, pick, who))


# ----------------------------------------------------------------- ordinary: mild symptoms
MILD_SYMPTOMS = pool(
    "mild_symptoms",
    [
        "{DIA} twice a day on {MDRUG}",
        "mild {DIA} on Verzenios",
        "loose stools once or twice a day",
        "a mild headache since chemo",
        "tingling fingers on paclitaxel",
        "a sore mouth on capecitabine",
        "hot flushes on tamoxifen",
        "achy joints on letrozole",
        "a dry cough for a week",
        "a bit of nausea after {MDRUG}",
        "swollen ankles on docetaxel",
        "a bit of puffiness round {pos} ankles",
        "an itchy rash on {pos} arms",
        "a small rash on {pos} chest",
        "dry skin on {pos} hands",
        "a runny nose",
        "a cold sore",
        "a small bruise where {pron} had a blood test",
        "thinning hair",
        "sore eyes",
        "constipation",
        "a heavy arm since {pos} lymph nodes were removed",
        "mild swelling in {pos} arm since surgery",
        "a bit of swelling in {pos} breast after surgery",
        "a tender scar",
        "numb fingertips",
        "indigestion",
        "a metallic taste",
        "hiccups after the steroids",
        "trouble sleeping on the steroids",
        "muscle cramps",
        "a mild tummy ache",
        "a slight headache",
        "nails going dark on docetaxel",
        "night sweats on letrozole",
        "joint stiffness in the mornings",
        "a bit of a sore throat",
        "watery eyes on {MDRUG}",
        "a few spots on {pos} face",
        "mild {DIA} once a day",
        "a bit of heartburn",
        "sore feet on capecitabine",
        "a blocked nose",
    ],
)
MILD_DRUGS = pool(
    "mild_drugs",
    [
        "Kisqali",
        "Verzenios",
        "Ibrance",
        "letrozole",
        "tamoxifen",
        "Herceptin",
        "anastrozole",
        "Phesgo",
    ],
)
MILD_FRAMES = pool(
    "mild_frames",
    [
        "{S} {have} {m}, is that normal?",
        "{S} {have} had {m} {since}, is it expected?",
        "is {m} common? {S} {have} it",
        "{S} {have} {m} - how long will it last?",
        "{S} {keep} getting {m}, any tips?",
        "{have_c} got {m}; will it get better?",
        "any advice for {m}? {S} {have} it",
        "{S} {have} {m}. what can help?",
        "{S} {have} had {m} for a few days, is there anything that helps?",
        "what helps with {m}? {S} {have} had it for a while",
    ],
)
MILD_SINCE = pool(
    "mild_since",
    [
        "since starting treatment",
        "for a couple of weeks",
        "since {pos} last cycle",
        "for a while",
        "this week",
    ],
)


def mild_line(pick: Picker) -> str:
    who = pick.rng.choice(PEOPLE)
    text = pick.frame(MILD_FRAMES)
    text = text.replace("{m}", pick(MILD_SYMPTOMS).replace("{MDRUG}", pick(MILD_DRUGS)))
    text = text.replace("{since}", pick(MILD_SINCE))
    for key, value in who.slots(pick.rng).items():
        text = text.replace("{" + key + "}", value)
    return tidy(fill_common(text, pick, who))


# ----------------------------------------------------------------- ordinary: other senses
OTHER_SENSES = pool(
    "other_senses",
    [
        "is swelling of the lymph nodes a sign of cancer?",
        "how does {DRUG} stop cancer cells spreading?",
        "how does {DRUG} stop the cancer from growing?",
        "are there breathing exercises that help with anxiety?",
        "what is deep inspiration breath hold in radiotherapy?",
        "how long does a {LINE} stay in?",
        "can {pron} swim with a {LINE}?",
        "how often does a {LINE} need flushing?",
        "what is the yellow card scheme?",
        "what temperature should {DRUG} be stored at?",
        "does {DRUG} need to be kept in the fridge?",
        "why do they check {pos} temperature before each infusion?",
        "why do they take {pos} blood pressure and temperature before chemo?",
        "what are the blood tests for before chemo?",
        "can {pron} donate blood after breast cancer?",
        "when should {pron} book a wig fitting?",
        "does the cold cap stop hair falling out?",
        "what is chest wall radiotherapy?",
        "why does {pron} need a chest X-ray before {DRUG}?",
        "does the tumour swell before it shrinks?",
        "is inflammatory breast cancer red and swollen?",
        "what happens at a bone scan?",
        "what is an echo heart scan for on {DRUG}?",
        "how is blood taken from a port?",
        "does {DRUG} cross the blood brain barrier?",
        "when does the swelling after surgery usually go down?",
        "how long does bruising after a biopsy last?",
        "what colour is {DRUG} in the bag?",
        "how does the body fight infection during chemo?",
        "what is the 24-hour helpline for and when is it staffed?",
        "can the cancer spread to the lungs and how would they find out?",
        "is it true that exercise reduces the risk of the cancer spreading?",
        "how do they stop the bleeding after a biopsy?",
        "what does 'a blood clot risk assessment' involve?",
        "what's the difference between a PICC line and a port?",
        "how is the temperature of the cold cap controlled?",
        "does radiotherapy make the skin blister?",
        "can {pron} go in a hot tub with a {LINE}?",
        "what does a high white cell count mean?",
        "is the red colour of epirubicin in the wee normal?",
        "can {pron} have a flu jab and a covid jab on the same day?",
        "what does neutropenic mean on a blood test?",
    ],
)
LINES = pool("lines", ["PICC line", "port", "portacath", "Hickman line"])


def other_sense_line(pick: Picker) -> str:
    who = pick.rng.choice(PEOPLE)
    text = pick(OTHER_SENSES)
    text = text.replace("{DRUG}", pick(GEN_DRUGS)).replace("{LINE}", pick(LINES))
    for key, value in who.slots(pick.rng).items():
        text = text.replace("{" + key + "}", value)
    return tidy(fill_common(text, pick, who))


def ordinary_line(pick: Picker) -> str:
    kind = pick.rng.choices(
        ["negated", "general", "past", "mild", "other"], weights=[38, 26, 11, 16, 9]
    )[0]
    maker: Callable[[Picker], str] = {
        "negated": negated_line,
        "general": general_line,
        "past": past_line,
        "mild": mild_line,
        "other": other_sense_line,
    }[kind]
    return maker(pick)


# ----------------------------------------------------------------- typos
KEYBOARD = {
    "a": "qsz",
    "b": "vn",
    "c": "xv",
    "d": "sf",
    "e": "wr",
    "f": "dg",
    "g": "fh",
    "h": "gj",
    "i": "uo",
    "j": "hk",
    "k": "jl",
    "l": "k",
    "m": "n",
    "n": "bm",
    "o": "ip",
    "p": "o",
    "q": "w",
    "r": "et",
    "s": "ad",
    "t": "ry",
    "u": "yi",
    "v": "cb",
    "w": "qe",
    "x": "zc",
    "y": "tu",
    "z": "x",
}


def typo(line: str, rng: random.Random) -> str:
    """One slip in one word of 6+ letters (first letter kept): two letters swapped, one
    dropped, one doubled, or one struck on a neighbouring key."""
    words = line.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not candidates:
        return line
    i = rng.choice(candidates)
    word = words[i]
    j = rng.randrange(1, len(word) - 1)
    op = rng.choice(["swap", "drop", "double", "key"])
    if op == "swap":
        word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    elif op == "drop":
        word = word[:j] + word[j + 1 :]
    elif op == "double":
        word = word[:j] + word[j] + word[j:]
    else:
        near = KEYBOARD.get(word[j].lower())
        if near:
            word = word[:j] + rng.choice(near) + word[j + 1 :]
    words[i] = word
    return " ".join(words)


# ----------------------------------------------------------------- making the files
def existing_lines() -> set[str]:
    """Lines of the other sets in this folder (lower-cased): never generated again, so
    no phrasing is in two sets."""
    outputs = set(OUTPUTS.values())
    return {
        line.strip().lower()
        for path in sorted(HERE.glob("*.txt"))
        if path.name not in outputs
        for line in path.read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }


def generate(kind: str, split: str, count: int, taken: set[str]) -> list[str]:
    """`count` distinct lines of one kind and split, none of them in `taken`."""
    rng = random.Random(f"{SEED}:{kind}:{split}")
    pick = Picker(split, rng)
    make = urgent_line if kind == "urgent" else ordinary_line
    seen: set[str] = set(taken)
    lines: list[str] = []
    attempts = 0
    while len(lines) < count and attempts < count * 50:
        attempts += 1
        line = make(pick)
        if not line:
            continue
        if rng.random() < TYPO_SHARE:
            line = typo(line, rng)
        key = line.lower()
        if key in seen:
            continue
        seen.add(key)
        lines.append(line)
    return lines


SIZES = {("urgent", "tuning"): 560, ("ordinary", "tuning"): 560}


def hand_written(kind: str, split: str) -> list[str]:
    block = HAND_WRITTEN[(kind, split)]
    return [line.strip() for line in block.strip().splitlines() if line.strip()]


def render_all() -> dict[str, str]:
    """The text of every output file, by name (tuning first: held-out lines are never
    also tuning lines)."""
    taken = existing_lines()
    texts: dict[str, str] = {}
    for kind, split in OUTPUTS:
        taken |= {line.lower() for line in hand_written(kind, split)}
    for (kind, split), name in OUTPUTS.items():
        count = int(SIZES[(kind, "tuning")] * COUNTS[split])
        generated = generate(kind, split, count, taken)
        taken |= {line.lower() for line in generated}
        texts[name] = render(kind, split, generated)
    return texts


def render(kind: str, split: str, generated: list[str]) -> str:
    hand = hand_written(kind, split)
    what = {
        "urgent": "urgent: every line must get the urgent (or emergency) response",
        "ordinary": "ordinary: no line should be triaged",
    }[kind]
    use = {
        "tuning": "TUNING set: rules may be tuned on it",
        "heldout": "HELD-OUT set: never tune rules on it; it is only measured",
    }[split]
    header = [
        f"# {what}",
        f"# {use}",
        f"# Generated by tests/data/triage/generate.py (seed {SEED}); do not edit, change the",
        "# generator and run it again. Hand-written lines are at the end.",
    ]
    body = [
        *header,
        f"# generated ({len(generated)})",
        *generated,
        f"# hand-written ({len(hand)})",
        *hand,
    ]
    return "\n".join(body) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a file differs")
    args = parser.parse_args(argv)
    stale = []
    for name, text in render_all().items():
        path = HERE / name
        if args.check:
            if not path.exists() or path.read_text("utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, "utf-8")
            print(
                f"{name}: {sum(1 for x in text.splitlines() if x and not x.startswith('#'))} lines"
            )
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


# ----------------------------------------------------------------- hand-written lines
# Written by hand for issue 25 before the rules were changed. Held-out blocks are only
# measured. What counts as urgent is explained in README.md (Benchmarks, Triage).
HAND_WRITTEN: dict[tuple[str, str], str] = {
    ("urgent", "tuning"): """
My mouth and throat feel like they are swelling up after today's infusion
My mum's lips are swelling up after her herceptin
Hi, my mum had her first Enhertu on Friday and since last night she has been really short of breath going up the stairs, she says it's nothing but I'm not sure. Also is it normal to lose your appetite?
Sorry for the long message. My husband is on Kisqali and letrozole. He was fine this morning but now he's shivering under two duvets and his temperature is 38.4. We were going to wait till his clinic on Monday. What do you think? And can he still have his flu jab next week?
My wife's lips and eyelids have puffed up during her paclitaxel and she says her throat feels funny
dad's legs keep giving way and he can't feel his feet properly, he has cancer in his spine
Is it ok that my calf has been swollen and hot for two days? I'm on tamoxifen and I flew back from Spain on Sunday
I've got this blistering rash spreading across my chest and arms since starting the new tablets, and my mouth is sore too
My daughter says I'm not making sense and keep forgetting what I'm saying, I had chemo on Tuesday
Woke up drenched and shaking, teeth chattering, three days after my docetaxel. Is that the chemo?
The skin around my PICC line has gone red and there's some yellow gunk coming out, should I just clean it?
my mum (78) has been throwing up since yesterday afternoon on capecitabine, can't keep her tablets or even water down. what do we do with her tablets?
I've had the runs eight times today on Nerlynx even with the Imodium, I feel washed out
My eyes look a bit yellow in the mirror today and my wee is dark, I'm on Kisqali
I keep getting nosebleeds that take ages to stop since my last round of chemo and I've got bruises on my legs I don't remember getting
Husband collapsed in the bathroom after his infusion and was out for a few seconds, he says he's fine now, do we need to do anything?
Mum suddenly got the worst headache she's ever had and is being sick, she has secondary breast cancer
It hurts so much in my hips and back that I can't get out of bed, the painkillers aren't touching it. I have bone mets
I haven't had a wee since yesterday lunchtime and my tummy feels full and sore
She had a fit at the dinner table about ten minutes ago, she's never had one before. She's on treatment for breast cancer that has spread to the brain
My chest feels heavy and tight and it's spreading to my jaw
I'm on Keytruda and I've been going to the loo about six times a day with watery diarrhoea, and there was some blood
I feel like I can't get enough air in, even sitting still, I'm on Enhertu. Also what should I eat?
Started coughing about a week ago on T-DXd, nothing much but it's not going away
Just finished my herceptin and now my face feels hot and my tongue feels too big for my mouth
my temp is 38 on the dot and I had EC chemo 8 days ago. Can I take paracetamol and wait?
My partner is confused, drowsy and hot to the touch after her chemo, she doesn't seem herself
I'm 10 days after my chemo and I feel shivery and awful, like flu coming on
Coughed up some bright red blood this morning, not much, should I worry?
My right arm with the PICC line in has swollen up and it aches, and the veins look bigger
her gums keep bleeding when she brushes her teeth and she has tiny red dots on her shins, she is on palbociclib
My heart is racing and I feel like I'm going to pass out
I'm wheezing and my chest is tight, it came on during the Kadcyla infusion
Can't stop being sick, it's been all night, I had chemo yesterday. Is there anything I can take?
My skin is peeling off in big patches and I have sores in my mouth after starting the new drug
sorry to message so late but my dad is really breathless lying flat, he's had to sleep in the chair for two nights
my left leg is twice the size of my right one and it's painful to walk on
I have a really bad pain in my tummy, it's a 9 out of 10 and it won't go away
After my last cycle I feel like my throat is closing, I can only just swallow
My mum is 6 days after chemo and has a temperature of 37.9 and keeps saying she's cold
I nearly blacked out at the shops and my heart is pounding
My hands and feet have blistered on capecitabine and I can't walk or hold a cup
I've got a high temp and sore throat after my chemo, is it ok to go to work tomorrow?
My vision went blurry and I have a headache that came on really suddenly
Keep shivering and feel hot then cold after my Trodelvy, also how long does hair loss last?
My wee is red and it stings, I'm on cyclophosphamide
Hello. I look after my wife who has secondary breast cancer. Over the last two days her tummy has swollen right up and she's been sick every time she eats or drinks. Is this the cancer? What should we do tonight?
My son noticed my lips went blue when I walked up the stairs, I'm on Enhertu
Had my Kadcyla an hour ago and now I've got a tight throat and I'm itchy all over, do I go back in?
My temperature keeps going up and down, 37.8 then 38.2, I'm on Kisqali
""",
    ("urgent", "heldout"): """
My sister's eyelids and cheeks have blown up like balloons since her taxol this morning
Hello, I'm caring for my dad who's on Verzenios. Since yesterday he's had diarrhoea that's woken him four times in the night and he's very weak. He also asked whether he can still have a beer
I feel really rough and my temperature went up to 38.3 tonight after chemo last week
Feeling breathless just walking to the kitchen since my second Enhertu
My husband keeps passing out when he stands up
Her speech has gone slurred and one side of her face looks droopy
I think I'm having a reaction - my whole face is puffy and hot and I'm itchy everywhere
My wife vomited about seven times overnight and can't even keep sips of water down
my skin has gone a funny yellow colour and I'm itching all over
There's a hard, red, painful lump along the vein where my cannula was, and my arm is swelling
Mum has been really sleepy and not herself since yesterday, hard to wake and mixed up about what day it is
I've had chest pain on and off all morning, it's worse when I breathe in
My partner's temperature is 39.1 and he's shaking, he had chemo 5 days ago
Big purple bruises have appeared on my arms and legs without any knock, I'm on chemo
There's blood in my poo and it's black, I feel lightheaded
My port site is weeping and really sore, and I feel feverish
I've not passed water since this morning and I'm bloated and in pain
I can barely catch my breath when I talk, I'm on Keytruda
My calf feels tight and warm and the skin is red, I'm on tamoxifen
dad's been fitting on and off for 5 mins
The back pain I had from my bone mets is suddenly much worse and my legs feel numb
A rash has come up all over my body with little blisters, and my lips are sore
""",
    ("ordinary", "tuning"): """
My mum starts Kisqali next week. What side effects should we look out for, and does she need to avoid grapefruit? Also can she still walk her dog every day?
Hi, I had my third Herceptin yesterday and feel fine apart from being a bit tired. No temperature, no swelling. How long does the tiredness usually last and is it OK to go to the gym?
My wife is on Enhertu. She hasn't got a cough or any breathing problems, but she's lost her appetite. What foods might help?
I'm caring for my dad who has secondary breast cancer (yes, men get it too). Can you explain what HER2-low means and whether Enhertu is an option for him?
What are the warning signs of neutropenic sepsis that I should be aware of before my first chemo?
Is it normal to feel emotional after finishing radiotherapy? I keep crying at adverts. No other symptoms, my temperature is fine.
My husband had a blood clot in his leg two years ago, long before his cancer. It was treated and he's fine now. Is tamoxifen safe for him?
Can you tell me the difference between Herceptin and Phesgo and why someone would have one rather than the other?
My mum has lymphoedema in her arm since her surgery. The swelling comes and goes. Are compression sleeves worth it?
My scar is a bit swollen and bruised two weeks after my lumpectomy, the nurse said that's normal. How long does it take to settle?
What is the difference between a cold cap and scalp cooling? And does it work with paclitaxel?
Hi. My friend told me that Kisqali can cause liver problems. What are the signs of liver problems, and how often are blood tests done?
I finished chemo in March. Last year during treatment I had a fever and was admitted, but it cleared up with antibiotics. Does that make me more likely to get infections now?
My mum is on letrozole and her joints ache in the morning. Is exercise a good idea and what kind?
Can you explain how trastuzumab deruxtecan works, in simple words? My aunt is starting it.
How do I look after my PICC line at home and how often does it need flushing?
Is it true that breathing exercises can help with hot flushes?
My daughter is 16 and worried about getting breast cancer like me. At what age can she be tested for BRCA?
I've got an appointment with the oncologist on Tuesday. What questions should I ask about Enhertu side effects, for example about lung problems?
We've been told the cancer has spread to her liver. What does that mean for her treatment and could she get jaundice at some point?
Is there anything I can do to stop my nails going dark on docetaxel?
My husband's had a cough for a few days, he's not on any chemo yet, just letrozole. Should he see the GP?
I'm on Verzenios and my stools are a bit softer than usual, maybe twice a day. Is that what everyone gets?
Does Herceptin cause heart problems and how do they check for it?
What's the best moisturiser for radiotherapy skin? Mine is pink but not broken or blistered.
Why do I need to have my temperature checked before every chemo?
Hi there, I'm 3 weeks post-op and want to know when I can drive, lift the shopping and go back to yoga
How long after chemo do I have to wait to get a tattoo?
I had a reaction to paclitaxel two years ago - my face swelled up, they stopped it and I was fine. Now I'm being offered Enhertu. Is the allergy likely to happen again with a different drug?
My mum was treated for sepsis in January and is home now. What can we do to lower the chance of another infection?
What does a PET scan show that a CT doesn't?
Does cancer that has spread to the bones always hurt?
I have a consultation about a clinical trial for HER2-low cancer. What phase trials are there and what does randomised mean?
Can you explain the difference between anaphylaxis and a normal infusion reaction, as a nurse mentioned both
Is it safe for my kids to hug me after radiotherapy?
How do I tell my children I have cancer?
My breast is swollen and sore after radiotherapy finished last week - is that usual?
My mum had shingles last year, is she more likely to get it again on chemo?
I get a bit dizzy when I stand up too fast on letrozole, but it passes straight away. Is that a known side effect?
What are the signs of a blood clot? My sister is starting tamoxifen and wants to know what to look out for.
Will Herceptin stop the cancer coming back?
I'm on Enhertu and feel great - no cough, no breathlessness. Is it normal to feel this well?
My nan keeps getting confused about her hospital appointments, is there an app that could help?
Hello, my wife has her wig fitting next week and she is nervous. Any tips on choosing one? She's also asking whether the cold cap works with EC.
My dad had chest pain years ago and has a stent, he's fine now. Is Herceptin safe for his heart?
I'm writing on behalf of my mother, who is 82. She has had no fever, no sickness and no diarrhoea since starting capecitabine, but her hands are getting dry. What cream is best, and how long is a course?
""",
    ("ordinary", "heldout"): """
My mum is on Kadcyla and fine in herself - no fever, no bleeding. Can she go on a cruise in the summer and will travel insurance cover her?
What's the difference between a hot flush and a fever?
Does Nerlynx always cause diarrhoea, and how long does it last at the start?
I had a small allergic reaction to the contrast dye at my CT scan years ago, which went away with antihistamines. Should I tell them before my next scan?
Why do my hands tingle on paclitaxel and will it go away after treatment?
My husband is on Keytruda and has no diarrhoea or cough, but he feels very tired. Is that the thyroid?
Can you explain what a pulmonary embolism is and how it's different from a DVT?
Is it OK to use a sauna during chemo or will it give me a temperature?
My arm has felt heavy and a bit puffy since they took my lymph nodes out last year. Who do I see about lymphoedema?
What percentage of people on Enhertu get lung inflammation?
My brother is worried because our mum's ankles swell in the evenings but are fine in the morning. She's on docetaxel. Is fluid retention common?
How is a line infection treated, and can the line usually be saved?
Our support group wants a speaker on fatigue. Who could we contact?
What does 'febrile neutropenia' mean on my discharge letter? It was from my admission last month, all sorted now.
I'm scared of needles. Is Phesgo given as an injection or a drip?
How do doctors tell the difference between chemo brain and something more serious?
My dad's scan showed a small clot in his lung last year that was treated with blood thinners. Can he still fly to Canada?
Is a slightly runny nose and sneezing on chemo anything to worry about?
Are there any support groups for men with breast cancer?
When I had my first chemo last year I felt faint during the infusion, but it was fine after a drink. Will the nurses watch for that next time?
Does the yellow tinge in Kadcyla mean anything?
How do I check my own breasts after treatment, and what changes should I report?
""",
}


if __name__ == "__main__":
    sys.exit(main())
