"""Review schedule: when each source must be checked again.

Patient information ages: a drug approval or a side-effect list that was right at
the last review may not be now. A document is due on `last_reviewed +
review_frequency`; documents with no review date are listed too, because an unknown
review state is itself something a curator must fix.
"""

from __future__ import annotations

import calendar
import datetime as dt

from oncocite.models import DocumentMetadata, ReviewItem, Status

__all__ = ["add_months", "review_schedule"]


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_schedule(
    documents: list[tuple[str, DocumentMetadata]],
    today: dt.date,
    within_days: int = 0,
    include_unknown: bool = True,
) -> list[ReviewItem]:
    """Documents due by `today + within_days`, most overdue first, unknown last.

    Retired documents are never listed: nobody reads them, so nobody need review them.
    """
    horizon = today + dt.timedelta(days=within_days)
    items: list[ReviewItem] = []
    for doc_id, meta in documents:
        if meta.status == Status.RETIRED:
            continue
        item = ReviewItem(
            doc_id=doc_id,
            title=meta.title,
            source=meta.source,
            last_reviewed=meta.last_reviewed,
            review_frequency=meta.review_frequency,
            due=None,
            days_overdue=None,
            state="unknown",
            reason="",
        )
        if meta.last_reviewed is None or meta.review_frequency is None:
            missing = "lastReviewed" if meta.last_reviewed is None else "reviewFrequency"
            if include_unknown:
                items.append(
                    item.model_copy(
                        update={"reason": f"no {missing}: review it and record the date"}
                    )
                )
            continue
        due = add_months(meta.last_reviewed, meta.review_frequency.months)
        if due > horizon:
            continue
        overdue = (today - due).days
        every = meta.review_frequency.value
        items.append(
            item.model_copy(
                update={
                    "due": due,
                    "days_overdue": max(overdue, 0),
                    "state": "overdue" if overdue > 0 else "due",
                    "reason": (
                        f"{overdue} days overdue ({every} review)"
                        if overdue > 0
                        else f"due on {due.isoformat()} ({every} review)"
                    ),
                }
            )
        )
    rank = {"overdue": 0, "due": 1, "unknown": 2}
    items.sort(key=lambda i: (rank[i.state], i.due or dt.date.max, i.doc_id))
    return items
