"""Review schedule: when each source must be checked again.

Patient information ages: a drug approval or a side-effect list that was right at
the last review may not be now. A document is due on `last_reviewed +
review_frequency`; documents with no review date are listed too, because an unknown
review state is itself something a curator must fix.
"""

from __future__ import annotations

import calendar
import datetime as dt

from oncocite.models import DocumentMetadata, ReviewFrequency, ReviewItem, Status

# A date more than this after today cannot be a review date (ingest refuses them; a
# library stored before that check may still hold one).
FUTURE_LIMIT = dt.timedelta(days=1)

__all__ = ["add_months", "due_date", "review_schedule"]


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb).

    Raises OverflowError past year 9999, as `date + timedelta` does.
    """
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError(f"{day.isoformat()} + {months} months is past the last date")
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(last_reviewed: dt.date, frequency: ReviewFrequency) -> dt.date | None:
    """When a document falls due, or None when its date cannot be right (one stored
    before dates were checked at the door, such as 9999-12-31): such a document is
    reported as invalid, and never breaks a question or report about the others."""
    try:
        return add_months(last_reviewed, frequency.months)
    except OverflowError:
        return None


def review_schedule(
    documents: list[tuple[str, DocumentMetadata]],
    today: dt.date,
    within_days: int = 0,
    include_unknown: bool = True,
) -> list[ReviewItem]:
    """Documents due by `today + within_days`: dates that cannot be right first, then
    the most overdue, unknown dates and drafts waiting for a reviewer last.

    Retired documents are never listed: nobody reads them, so nobody need review them.
    """
    horizon = today + dt.timedelta(days=within_days)  # the caller checks it fits
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
        if meta.status == Status.DRAFT:
            why = meta.provenance.draft_reason if meta.provenance else None
            reason = f"a draft ({why})" if why else "a draft"
            items.append(
                item.model_copy(
                    update={
                        "state": "draft",
                        "reason": f"{reason}: never quoted in answers; check it against the "
                        f"source, then `oncocite activate {doc_id}`",
                    }
                )
            )
            continue
        if meta.last_reviewed is None or meta.review_frequency is None:
            missing = "lastReviewed" if meta.last_reviewed is None else "reviewFrequency"
            if include_unknown:
                items.append(
                    item.model_copy(
                        update={"reason": f"no {missing}: review it and record the date"}
                    )
                )
            continue
        due = due_date(meta.last_reviewed, meta.review_frequency)
        if due is None or meta.last_reviewed > dt.date.today() + FUTURE_LIMIT:
            items.append(
                item.model_copy(
                    update={
                        "state": "invalid",
                        "reason": f"lastReviewed {meta.last_reviewed.isoformat()} is in the "
                        "future: record the date it was really reviewed and ingest it again",
                    }
                )
            )
            continue
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
    rank = {"invalid": 0, "overdue": 1, "due": 2, "unknown": 3, "draft": 4}
    items.sort(key=lambda i: (rank[i.state], i.due or dt.date.max, i.doc_id))
    return items
