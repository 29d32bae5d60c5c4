"""`key=value` filter strings (CLI `--filter`, REST query) to `SearchFilters`.

Repeated keys and comma lists OR together (`source=NCI,CRUK` == `source=NCI
source=CRUK`); different keys AND together. Retired documents are excluded by the
store whatever the filters say.
"""

from __future__ import annotations

from collections.abc import Sequence

from oncocite.errors import InvalidQuery
from oncocite.licences import normalise_licence
from oncocite.models import AudienceLevel, Status
from oncocite.store.base import SearchFilters

__all__ = ["FILTER_KEYS", "parse_filters"]

FILTER_KEYS: dict[str, str] = {
    "cancer_type": "cancer_types",
    "audience": "audience_levels",
    "source": "sources",
    "source_type": "source_types",
    "tier": "max_source_tier",
    "language": "languages",
    "license": "licenses",
    "status": "statuses",
    "doc_id": "doc_ids",
}
_ALIASES = {"licence": "license", "cancer_types": "cancer_type", "audience_level": "audience"}


def _accepted() -> str:
    return ", ".join(FILTER_KEYS)


def _normalise(key: str, value: str, item: str) -> str:
    if key == "cancer_type":
        return value.lower().replace(" ", "_")
    if key == "audience":
        allowed = [a.value for a in AudienceLevel]
        if value.lower() not in allowed:
            raise InvalidQuery(
                f"filter {item!r}: audience {value!r} is not one of {', '.join(allowed)}"
            )
        return value.lower()
    if key == "status":
        allowed = [s.value for s in Status]
        if value.lower() not in allowed:
            raise InvalidQuery(
                f"filter {item!r}: status {value!r} is not one of {', '.join(allowed)}"
            )
        return value.lower()
    if key == "license":
        try:
            return normalise_licence(value)
        except ValueError as exc:
            raise InvalidQuery(f"filter {item!r}: {exc}") from None
    return value


def parse_filters(items: Sequence[str]) -> SearchFilters:
    """Filters from `key=value` strings; an unknown key or bad value names the fix."""
    values: dict[str, set[str]] = {}
    tier: int | None = None
    for item in items:
        try:
            item.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidQuery(
                f"filter {item.encode('utf-8', 'backslashreplace').decode()!r} is not valid "
                "text (an undecodable byte): type it again as UTF-8"
            ) from None
        key, sep, raw = item.partition("=")
        key = _ALIASES.get(key.strip().lower(), key.strip().lower())
        if not sep or not raw.strip():
            raise InvalidQuery(f"filter {item!r} is not key=value (keys: {_accepted()})")
        if key not in FILTER_KEYS:
            raise InvalidQuery(f"unknown filter key {key!r} in {item!r} (keys: {_accepted()})")
        for part in (p.strip() for p in raw.split(",")):
            if not part:
                continue
            if key == "tier":
                try:
                    level = int(part)
                except ValueError:
                    level = -1
                if not 0 <= level <= 99:
                    raise InvalidQuery(
                        f"filter {item!r}: tier {part!r} is not a tier from 0 to 99 "
                        "(the least trusted tier to allow, e.g. tier=2)"
                    ) from None
                tier = level if tier is None else max(tier, level)
                continue
            values.setdefault(key, set()).add(_normalise(key, part, item))
    fields: dict[str, object] = {FILTER_KEYS[k]: frozenset(v) for k, v in values.items()}
    return SearchFilters(max_source_tier=tier, **fields)  # type: ignore[arg-type]
