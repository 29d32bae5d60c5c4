"""Settings, read in one place: flags > ONCOCITE_* environment > defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["DEFAULT_DB", "ENV_PREFIX", "SETTINGS_DOC", "Settings", "settings_from_env"]

ENV_PREFIX = "ONCOCITE_"
DEFAULT_DB = "oncocite.db"

# Every setting, its environment variable and meaning: the README table is checked
# against this by a test, so a new setting cannot go undocumented.
SETTINGS_DOC: dict[str, str] = {
    "ONCOCITE_DB": f"database: a SQLite file path or sqlite:///path (default {DEFAULT_DB})",
    "ONCOCITE_EMBED": "compute embeddings at ingest: auto (if the dense extra is installed), "
    "1 or 0 (default auto)",
    "ONCOCITE_MODEL": "embedding model id (default minilm)",
    "ONCOCITE_MAX_BYTES": "largest file ingest accepts, in bytes (default 10485760)",
}


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one Library."""

    db: str = DEFAULT_DB
    embed: str = "auto"
    model: str = "minilm"
    max_bytes: int = 10 * 1024 * 1024


def settings_from_env(db: str | None = None, **flags: object) -> Settings:
    """Settings from flags (when not None), then the environment, then defaults."""
    env = os.environ
    values: dict[str, object] = {
        "db": env.get("ONCOCITE_DB") or DEFAULT_DB,
        "embed": env.get("ONCOCITE_EMBED", "auto").lower(),
        "model": env.get("ONCOCITE_MODEL", "minilm"),
        "max_bytes": int(env.get("ONCOCITE_MAX_BYTES", str(10 * 1024 * 1024))),
    }
    if db is not None:
        values["db"] = db
    values.update({k: v for k, v in flags.items() if v is not None})
    return Settings(**values)  # type: ignore[arg-type]
