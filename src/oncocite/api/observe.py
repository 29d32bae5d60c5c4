"""What the service tells its operators: Prometheus metrics and JSON logs.

Metrics: requests by route and status, a latency histogram, abstentions by reason
and triage by category. Logs: one JSON object per line.

A question is never logged as its words by default: what is logged is what it was
read as (`asked`), for each question of the message its kind, the vocabulary terms
it and its quoted sections name, and how it was met. Patients write their names and
circumstances into questions, and a name a pattern misses ("Hi, Jane Smithson here")
would otherwise reach the log. Only with ONCOCITE_LOG_QUESTIONS=1 is the text logged
too, and then only after `redact` has taken out the personal details it can find.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram

from oncocite.api.privacy import redact

__all__ = ["JsonFormatter", "Metrics", "log_event"]

logger = logging.getLogger("oncocite.api")


class Metrics:
    """The service's counters, in a registry of their own (one per app)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "oncocite_requests",
            "HTTP requests by route, method and status",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "oncocite_request_seconds",
            "HTTP request latency by route",
            ["route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
            registry=self.registry,
        )
        self.abstentions = Counter(
            "oncocite_abstentions",
            "answers abstained, by reason",
            ["reason"],
            registry=self.registry,
        )
        self.triage = Counter(
            "oncocite_triage",
            "questions redirected by safety triage, by category",
            ["category"],
            registry=self.registry,
        )


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        body.update(getattr(record, "fields", {}))
        if record.exc_info:
            body["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(body, ensure_ascii=False, default=str)


def log_event(event: str, **fields: Any) -> None:
    """Log an event; a `question` field is redacted first."""
    if "question" in fields and isinstance(fields["question"], str):
        fields["question"] = redact(fields["question"])
    logger.info(event, extra={"fields": fields})
