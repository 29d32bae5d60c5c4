"""One drug vocabulary: search (and answers, through it) and the knowledge base read
the same file and agree on every drug name; the knowledge base keeps no alias list
of its own; a treatment history resolves through it, and unknown names fail with the
nearest known names."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from oncocite.errors import InvalidQuery
from oncocite.knowledge.drugs import VOCABULARY_FILE, DrugVocabulary, UnknownDrug, shipped_drugs
from oncocite.knowledge.history import ClassIndex, read_history
from oncocite.knowledge.load import DATA, InvalidKnowledge, load_knowledge, shipped_knowledge
from oncocite.models import Profile
from oncocite.search.vocabulary import Vocabulary


def test_both_read_the_same_file() -> None:
    import oncocite.search

    shipped = Path(oncocite.search.__file__).with_name("vocabulary.yaml")
    assert VOCABULARY_FILE.resolve() == shipped.resolve()


def test_search_and_knowledge_agree_on_every_drug_name() -> None:
    search = Vocabulary.load()
    drugs = shipped_drugs()
    checked = 0
    for entry in search.entries:
        if entry.kind != "generic":
            continue
        for surface in [entry.canonical, *entry.aliases]:
            assert search.canonical(surface) == entry.canonical, surface
            generics = drugs.generic_of(surface)
            assert generics, surface
            if drugs.is_generic(entry.canonical):
                assert generics == (entry.canonical,), surface
            else:  # a combination brand: the drugs search expands it to
                assert set(generics) == set(entry.expand), surface
            checked += 1
    assert checked >= 100


def test_the_knowledge_base_has_no_alias_list_of_its_own() -> None:
    for path in sorted(DATA.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for option in raw.get("options", []):
            assert "brands" not in option, (path.name, option["id"])
    drugs = shipped_drugs()
    search = Vocabulary.load()
    for option in shipped_knowledge().options:
        for drug in option.drugs:
            assert drugs.is_generic(drug), (option.id, drug)
            assert search.canonical(drug) == drug
        for brand in drugs.brands(option.drugs[0]):  # what the explorer shows
            assert option.drugs[0] in drugs.generic_of(brand), (option.id, brand)
    # the aliases that once differed between the two lists are one list now
    assert "Hercessi" in drugs.brands("trastuzumab")
    assert "Phesgo" in drugs.brands("pertuzumab")


def test_a_knowledge_file_naming_a_drug_outside_the_vocabulary_is_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "extra.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "version": 1,
                "sources": {
                    "s": {
                        "title": "t",
                        "publisher": "p",
                        "url": "https://x.org",
                        "date": "2026-01-01",
                    }
                },
                "options": [
                    {
                        "id": "newdrug",
                        "name": "Newdrug",
                        "drugs": ["newdrugumab"],
                        "drug_class": "antibody",
                        "about": [{"text": "A new drug.", "cite": [{"source": "s"}]}],
                        "not_an_option": {"text": "In trials only.", "cite": [{"source": "s"}]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(InvalidKnowledge, match="newdrugumab"):
        load_knowledge([path])


def history(*entries: dict[str, object]) -> list[tuple[str, ...]]:
    classes = ClassIndex(shipped_knowledge().drug_classes)
    profile = Profile(prior_treatments=list(entries))
    read = read_history(profile, shipped_drugs(), classes)
    assert read.treatments is not None
    return [t.drugs + t.unnamed for t in read.treatments]


def test_history_names_resolve_through_the_vocabulary() -> None:
    assert history({"drug": "Herceptin"}) == [("trastuzumab",)]
    assert history({"drug": "Phesgo"}) == [("pertuzumab", "trastuzumab")]
    assert history({"drug": "letrozole + Ibrance"}) == [("letrozole", "palbociclib")]
    assert history({"drug": "T-DXd"}, {"drug": "chemo"}) == [
        ("trastuzumab deruxtecan",),
        ("chemotherapy",),
    ]
    assert history({"drug": "paclitaxel with trastuzumab and pertuzumab"}) == [
        ("paclitaxel", "trastuzumab", "pertuzumab")
    ]


@pytest.mark.parametrize(
    ("name", "suggested"),
    [("trastuzamab", "trastuzumab"), ("herceptn", "trastuzumab"), ("palbo", "palbociclib")],
)
def test_unknown_names_suggest_the_nearest(name: str, suggested: str) -> None:
    with pytest.raises(UnknownDrug) as caught:
        history({"drug": "letrozole"}, {"drug": name})
    message = str(caught.value)
    assert "prior_treatments[1].drug" in message and name in message
    assert suggested in message.split("did you mean")[1]


def test_not_a_drug_and_no_near_name() -> None:
    with pytest.raises(UnknownDrug, match="not a drug treatment"):
        history({"drug": "radiotherapy"})
    with pytest.raises(UnknownDrug, match="generic or brand name"):
        history({"drug": "qqqqqq"})


def test_a_vocabulary_file_that_cannot_be_read_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "vocabulary.yaml"
    bad.write_text("terms: [", encoding="utf-8")
    with pytest.raises(InvalidQuery, match=r"vocabulary\.yaml"):
        DrugVocabulary.read(bad)
