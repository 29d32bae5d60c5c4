"""Fuzzing the metadata path: the bounded YAML loader and the schema.

Whatever the YAML, parsing gives JSON-ready values or an InvalidDocument of one line
naming the file; whatever the values, validation gives metadata that survives the
store's JSON round trip, or an InvalidDocument of one line naming file and field.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncocite.errors import InvalidDocument
from oncocite.ingest.metadata import parse_metadata, validate_metadata
from oncocite.models import DocumentMetadata
from tests.fuzz.inputs import KEYS, NASTY_TEXT, VALUES, Chooser, metadata_yaml

PATH = Path("odd\nname.md")
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _one_line_naming_the_file(error: InvalidDocument) -> None:
    message = str(error)
    assert "\n" not in message and "\r" not in message
    assert message.startswith("odd\\nname.md: ")


@FUZZ
@given(data=st.data())
def test_generated_yaml_parses_to_plain_values_or_a_clear_error(data: st.DataObject) -> None:
    text = metadata_yaml(Chooser(lambda low, high: data.draw(st.integers(low, high))))
    _parse_or_refuse(text)


@FUZZ
@given(st.lists(st.sampled_from([*NASTY_TEXT, *VALUES, *KEYS, ": ", "\n", " "]), max_size=30))
def test_token_soup_parses_to_plain_values_or_a_clear_error(tokens: list[str]) -> None:
    _parse_or_refuse("".join(tokens))


@FUZZ
@given(st.text(max_size=200))
def test_any_text_parses_to_plain_values_or_a_clear_error(text: str) -> None:
    _parse_or_refuse(text)


def _parse_or_refuse(text: str) -> None:
    try:
        data = parse_metadata(PATH, text, what="frontmatter", line_offset=1)
    except InvalidDocument as error:
        _one_line_naming_the_file(error)
        return
    assert all(isinstance(key, str) for key in data)
    json.dumps(data, default=str)  # nothing cyclic, nothing unbounded


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(VALUES),
    st.dates().map(str),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)


@FUZZ
@given(st.dictionaries(st.sampled_from(KEYS), _values, max_size=8), st.booleans())
def test_schema_accepts_storable_metadata_or_names_the_field(
    layer: dict[str, Any], with_title: bool
) -> None:
    if with_title:
        layer = {"title": "Radiotherapy", **layer}
    try:
        meta = validate_metadata(PATH, layer)
    except InvalidDocument as error:
        _one_line_naming_the_file(error)
        assert error.field, "a schema error names its field"
        return
    record = json.loads(json.dumps(meta.to_record(), ensure_ascii=False))
    again = DocumentMetadata.from_record(record)
    assert again.to_record() == record
    if meta.source_tier is not None:
        assert not math.isnan(meta.source_tier)
