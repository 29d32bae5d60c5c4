"""Review dates: last reviewed + frequency, overdue first, retired never listed."""

from __future__ import annotations

import datetime as dt

from oncocite.governance.review import add_months, review_schedule
from oncocite.models import DocumentMetadata


def meta(**fields: object) -> DocumentMetadata:
    return DocumentMetadata.model_validate({"title": "T", **fields})


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(dt.date(2025, 12, 30), 3) == dt.date(2026, 3, 30)
    assert add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2023, 11, 30), 3) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2025, 6, 15), 24) == dt.date(2027, 6, 15)


def test_schedule_orders_overdue_first_and_skips_future_and_retired() -> None:
    docs = [
        ("fresh", meta(lastReviewed="2026-11-01", reviewFrequency="quarterly")),
        ("due-today", meta(lastReviewed="2026-08-23", reviewFrequency="quarterly")),
        ("late", meta(lastReviewed="2025-12-30", reviewFrequency="quarterly")),
        ("later", meta(lastReviewed="2024-01-01", reviewFrequency="annual")),
        ("no-date", meta()),
        ("gone", meta(lastReviewed="2020-01-01", reviewFrequency="monthly", status="retired")),
    ]
    items = review_schedule(docs, today=dt.date(2026, 11, 23))
    assert [i.doc_id for i in items] == ["later", "late", "due-today", "no-date"]
    late = items[1]
    assert late.due == dt.date(2026, 3, 30)
    assert late.days_overdue == (dt.date(2026, 11, 23) - dt.date(2026, 3, 30)).days
    assert late.state == "overdue"
    assert items[2].state == "due" and items[2].days_overdue == 0
    assert items[3].state == "unknown" and "lastReviewed" in items[3].reason


def test_within_days_looks_ahead_and_known_only_drops_unknown() -> None:
    docs = [
        ("soon", meta(lastReviewed="2026-09-01", reviewFrequency="quarterly")),
        ("no-date", meta()),
    ]
    today = dt.date(2026, 11, 23)
    assert review_schedule(docs, today, include_unknown=False) == []
    ahead = review_schedule(docs, today, within_days=14, include_unknown=False)
    assert [(i.doc_id, i.state, i.due) for i in ahead] == [("soon", "due", dt.date(2026, 12, 1))]
