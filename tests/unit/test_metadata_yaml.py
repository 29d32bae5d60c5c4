"""The bounded metadata YAML loader: plain metadata loads, every excess is refused."""

from __future__ import annotations

import pytest

from oncocite.ingest.metadata_yaml import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_INT_CHARS,
    MetadataYAMLError,
    load_metadata_yaml,
)


def test_plain_metadata_loads_as_plain_values() -> None:
    text = (
        "title: T\nlastReviewed: 2025-12-30\ntags: [a, b]\ncount: 3\nscore: 1.5\n"
        "flag: yes\nnothing:\nversion: !!str 1.0\nanchored: &x [1, 2]\nagain: *x\n"
    )
    assert load_metadata_yaml(text) == {
        "title": "T",
        "lastReviewed": "2025-12-30",  # dates stay text: the schema validates them
        "tags": ["a", "b"],
        "count": 3,
        "score": 1.5,
        "flag": True,
        "nothing": None,
        "version": "1.0",
        "anchored": [1, 2],
        "again": [1, 2],
    }


def _refusal(text: str, line_offset: int = 0) -> MetadataYAMLError:
    with pytest.raises(MetadataYAMLError) as info:
        load_metadata_yaml(text, line_offset)
    return info.value


def test_aliases_up_to_the_budget_and_not_one_more() -> None:
    within = "base: &x 1\n" + "".join(f"k{i}: *x\n" for i in range(MAX_ALIASES))
    assert len(load_metadata_yaml(within)) == MAX_ALIASES + 1
    error = _refusal(within + "extra: *x\n")
    assert (error.field, error.line) == ("extra", MAX_ALIASES + 2)
    assert "aliases" in error.reason


def test_expansion_is_counted_through_aliases() -> None:
    levels = ["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    levels += [
        f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]" for p, n in zip("abc", "bcd", strict=True)
    ]
    error = _refusal("\n".join(levels) + "\n")
    assert error.field == "d" and "10,000 values" in error.reason


def test_depth_up_to_the_limit() -> None:
    assert load_metadata_yaml("k: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1))
    error = _refusal("k: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH, line_offset=1)
    assert error.line == 2 and f"more than {MAX_DEPTH} levels" in error.reason


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("k: !!bool maybe", "!!bool"),
        ("k: !!float x", "!!float"),
        ("k: !!int 1", "!!int"),
        ("k: !!binary aGk=", "!!binary"),
        ("k: !!set {a}", "!!set"),
        ("k: !!omap [a: 1]", "!!omap"),
        ("k: !!python/name:os.system x", "!!python/name:os.system"),
        ("k: !local x", "!local"),
        ("k: !<tag:example.org,2000:x> y", "tag:example.org,2000:x"),
    ],
)
def test_explicit_tags_are_refused(text: str, tag: str) -> None:
    error = _refusal(text + "\n")
    assert error.field == "k" and tag in error.reason


def test_integers_are_bounded() -> None:
    assert load_metadata_yaml("n: " + "9" * MAX_INT_CHARS) == {"n": int("9" * MAX_INT_CHARS)}
    error = _refusal("n: " + "9" * 5000)
    assert error.field == "n" and "5,000 characters" in error.reason
    assert load_metadata_yaml("n: '" + "9" * 5000 + "'")["n"] == "9" * 5000


@pytest.mark.parametrize("text", ['"\\ud800": 1', 'k: "a\\udfffb"', 'k: ["\\ud83d"]'])
def test_lone_surrogates_are_refused(text: str) -> None:
    assert "surrogate" in _refusal(text + "\n").reason


@pytest.mark.parametrize("text", ["a: &x [1, *x]", "a: &x {k: *x}", "a: &x [[[*x]]]"])
def test_recursive_aliases_are_refused(text: str) -> None:
    error = _refusal(text + "\n")
    assert error.field is not None and error.field.startswith("a")
    assert "contains itself" in error.reason


def test_long_field_paths_are_shortened() -> None:
    error = _refusal("k" * 100 + ": " + "[" * 30 + "]" * 30 + "\n")
    assert error.field is not None and len(error.field) < 80
