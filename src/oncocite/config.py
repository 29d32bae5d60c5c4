"""Settings, validated in one place: flags > ONCOCITE_* environment > defaults.

Every setting is a field of `Settings`, a pydantic-settings object: its environment
variable is `ONCOCITE_` + the field name in capitals, and its command-line flag is
`--` + the field name with dashes; flags are the object's init values, which
pydantic-settings ranks above the environment. Nothing else is read (no .env file,
no secrets folder). A bad value, wherever it came from, is one `SettingsError` line
that names the flag or variable, the value and what is allowed, so nobody meets a
traceback for `ONCOCITE_MAX_BYTES=10MB` (which is accepted: sizes may carry a unit).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, ByteSize, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from oncocite.errors import SettingsError

__all__ = [
    "DEFAULT_DB",
    "EMBEDDING_MODELS",
    "ENV_PREFIX",
    "DatabaseUrl",
    "Settings",
    "load_settings",
    "parse_database_url",
]

ENV_PREFIX = "ONCOCITE_"
DEFAULT_DB = "oncocite.db"
EmbeddingModel = Literal["minilm-int8", "minilm"]
EMBEDDING_MODELS: tuple[str, ...] = get_args(EmbeddingModel)
EmbedChoice = Literal["auto", "1", "0"]
# An admin token is a shared secret: shorter ones can be guessed over the network.
MIN_ADMIN_TOKEN_CHARS = 16

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def _embed_word(value: Any) -> Any:
    if isinstance(value, bool):
        return "1" if value else "0"
    word = str(value).strip().lower()
    return "1" if word in _TRUE else "0" if word in _FALSE else word


@dataclass(frozen=True)
class DatabaseUrl:
    """Where a library lives: the kind of store and its address."""

    kind: Literal["sqlite", "postgresql"]
    target: str


def parse_database_url(text: str) -> DatabaseUrl:
    """A `--db` value as a store kind and address; never a temporary database.

    An empty value or `sqlite:///` with no path would make SQLite open a private
    temporary database that vanishes on close, and an ingest would report success
    and lose everything: both are errors.
    """
    value = text.strip()
    if not value:
        raise ValueError("is empty: give a file path, sqlite:///path or postgresql://…")
    if value.startswith(("postgresql://", "postgres://")):
        return DatabaseUrl("postgresql", value)
    if value.startswith("sqlite:"):
        # SQLAlchemy's convention: sqlite:///relative.db, sqlite:////absolute/path.db
        if not value.startswith("sqlite:///"):
            raise ValueError("is not sqlite:///path (three slashes, then the file)")
        path = value[len("sqlite:///") :]
        if not path.strip() or path.endswith("/"):
            raise ValueError("names no database file (write sqlite:///path/to/library.db)")
        return DatabaseUrl("sqlite", path)
    if "://" in value:
        scheme = value.split("://", 1)[0]
        raise ValueError(
            f"has the unknown scheme {scheme!r} (use a file path, sqlite:///path or postgresql://…)"
        )
    if value.endswith("/") or value in (".", ".."):
        raise ValueError("is a folder, not a database file")
    return DatabaseUrl("sqlite", value)


def _check_db(value: Any) -> Any:
    parse_database_url(str(value))
    return str(value).strip()


def _proxy_list(value: Any) -> Any:
    """Trusted proxies as one normalised comma-separated string of addresses and CIDR
    blocks. Only addresses: a host name or `*` would let whoever controls that name
    (or anybody) choose the address the rate limit keys on. Normalised because uvicorn
    silently treats what it cannot parse strictly (10.0.0.1/8) as a name that never
    matches."""
    normalised: list[str] = []
    for entry in (part.strip() for part in str(value).split(",")):
        if not entry:
            continue
        try:
            if "/" in entry:
                normalised.append(str(ipaddress.ip_network(entry, strict=False)))
            else:
                normalised.append(str(ipaddress.ip_address(entry)))
        except ValueError:
            raise ValueError(f"has {entry!r}, which is not an IP address or CIDR block") from None
    return ",".join(normalised)


# The environment `Settings` reads: os.environ, unless `load_settings` was given one.
_ENVIRON: ContextVar[Mapping[str, str] | None] = ContextVar("oncocite_environ", default=None)


@contextmanager
def _reading(environ: Mapping[str, str]) -> Iterator[None]:
    token = _ENVIRON.set(environ)
    try:
        yield
    finally:
        _ENVIRON.reset(token)


class _Environment(EnvSettingsSource):
    """The ONCOCITE_* variables of the environment `load_settings` was given (by
    default the process's): a test or a caller can pass its own without touching
    os.environ. Names are matched regardless of case, as pydantic-settings does."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        environ = _ENVIRON.get()
        given = os.environ if environ is None else environ
        return {name.lower(): value for name, value in given.items()}


class Settings(BaseSettings):
    """Resolved settings for one Library; immutable once made."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="forbid")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Flags (the init values) over the environment; no .env file, no secrets dir."""
        return init_settings, _Environment(settings_cls)

    db: Annotated[str, BeforeValidator(_check_db)] = Field(
        default=DEFAULT_DB,
        description="database: a SQLite file path or sqlite:///path (default oncocite.db)",
    )
    embed: Annotated[EmbedChoice, BeforeValidator(_embed_word)] = Field(
        default="auto",
        description="compute embeddings at ingest: auto (when the dense extra is installed), "
        "1 or 0 (also true/false, yes/no, on/off)",
    )
    model: EmbeddingModel = Field(
        default="minilm-int8",
        description="embedding model: minilm-int8 (default) or minilm",
    )
    quantised_queries: bool = Field(
        default=True,
        description="embed questions with the int8 query model of minilm-int8 (about twice "
        "as fast, built once per machine); 0: with the float model",
    )
    query_batching: bool = Field(
        default=False,
        description="1: embed the questions of concurrent requests (and of one message) "
        "together, in one model call (more new questions per second under load, but a "
        "question's vector then depends on what else is in its batch); 0 (default): "
        "each on its own, so the same question always gets the same answer",
    )
    ann_min_passages: int = Field(
        default=100_000,
        ge=0,
        description="on PostgreSQL, search the dense side through the HNSW index once the "
        "library holds this many searchable passages (default 100000; smaller libraries "
        "are searched exactly in memory, which is faster and exact at that size)",
    )
    prescan_min_rows: int = Field(
        default=4096,
        ge=0,
        description="from this many vectors, exact in-memory search first bounds each "
        "passage's score from an int8 copy of the vectors and scores exactly only those "
        "that can make a top list (the same results; default 4096; 0: always scan the "
        "float vectors in full)",
    )
    cache_dir: str | None = Field(
        default=None,
        description="folder of derived model files (default $XDG_CACHE_HOME/oncocite, "
        "else ~/.cache/oncocite)",
    )
    max_bytes: ByteSize = Field(
        default=ByteSize(10 * 1024 * 1024),
        gt=0,
        description="largest file ingest accepts: bytes, or a size such as 10MB or 20MiB "
        "(default 10 MiB)",
    )

    time_budget: float = Field(
        default=20.0,
        gt=0,
        description="seconds one file may take to be read, cleaned and chunked (default 20)",
    )

    llm_url: str | None = Field(
        default=None,
        description="base URL of an OpenAI-compatible API that may reword answers "
        "(e.g. http://127.0.0.1:8080/v1); unset: answers are the quoted sentences",
    )
    llm_model: str = Field(default="gpt-4o-mini", description="model name for ONCOCITE_LLM_URL")
    llm_key: SecretStr | None = Field(
        default=None, description="API key for ONCOCITE_LLM_URL (environment only)"
    )
    llm_timeout: float = Field(
        default=10.0, gt=0, description="seconds to wait for the wording model (default 10)"
    )

    api_max_body: ByteSize = Field(
        default=ByteSize(1024 * 1024),
        gt=0,
        description="largest request body the REST API accepts (default 1 MiB)",
    )
    api_max_question: int = Field(
        default=2000, gt=0, le=100_000, description="longest question, in characters"
    )
    api_rate: int = Field(
        default=1200,
        ge=0,
        description="requests a client may make per minute (0: no limit; default 1200)",
    )
    api_timeout: float = Field(
        default=10.0, gt=0, description="seconds a request may take before a 504 (default 10)"
    )
    api_max_header: ByteSize = Field(
        default=ByteSize(16 * 1024),
        ge=1024,
        description="largest request line + headers the REST API reads before it answers "
        "431 and closes the connection: bytes or a size such as 16KiB (default 16 KiB, "
        "at least 1 KiB)",
    )
    api_client_timeout: float = Field(
        default=10.0,
        gt=0,
        le=3600,
        description="seconds a client has to send a whole request, headers and body, from its "
        "first byte; slower is a 408 and the connection closes (default 10)",
    )
    api_trusted_proxies: Annotated[str, BeforeValidator(_proxy_list)] = Field(
        default="",
        description="comma-separated addresses or CIDR blocks of reverse proxies whose "
        "X-Forwarded-For names the client (for the rate limit and logs); default empty: "
        "no proxy is trusted and X-Forwarded-For is ignored",
    )
    admin_token: SecretStr | None = Field(
        default=None,
        description="token for the REST API's admin endpoints (ingest, retire); "
        "unset: they are off",
    )
    log_questions: bool = Field(
        default=False,
        description="also log each question's text, with names, emails, phone, NHS and "
        "hospital numbers, dates and postcodes taken out (default 0: the log holds what "
        "each question asked about, never its words)",
    )

    @field_validator("admin_token")
    @classmethod
    def _real_token(cls, value: SecretStr | None) -> SecretStr | None:
        """An empty or short token is refused rather than taken: `compare_digest` finds
        an empty header equal to an empty token, so "" would open the admin API to
        anybody (a blank line in a deployment file is an easy mistake)."""
        if value is None:
            return None
        token = value.get_secret_value()
        if not token.strip():
            raise ValueError("is empty")
        if token != token.strip() or any(ch.isspace() for ch in token):
            raise ValueError("contains spaces or line breaks")
        if len(token) < MIN_ADMIN_TOKEN_CHARS:
            raise ValueError(f"is shorter than {MIN_ADMIN_TOKEN_CHARS} characters")
        return value

    @field_validator("llm_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("is not an http(s) URL")
        return value or None

    @property
    def database(self) -> DatabaseUrl:
        return parse_database_url(self.db)


# What each setting allows, in the words an error message needs.
_ALLOWED: dict[str, str] = {
    "db": "a file path, sqlite:///path or postgresql://…",
    "embed": "auto, 1 or 0 (also true/false, yes/no, on/off)",
    "model": " or ".join(EMBEDDING_MODELS),
    "quantised_queries": "1 or 0 (also true/false, yes/no, on/off)",
    "query_batching": "1 or 0 (also true/false, yes/no, on/off)",
    "ann_min_passages": "a number of passages, 0 or more (e.g. 100000)",
    "prescan_min_rows": "a number of vectors, 0 or more (e.g. 4096)",
    "cache_dir": "a folder path",
    "max_bytes": "a positive number of bytes, or a size such as 10MB or 20MiB",
    "time_budget": "a positive number of seconds, e.g. 20 or 60",
    "llm_url": "an http(s) URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1",
    "llm_model": "a model name",
    "llm_key": "an API key",
    "llm_timeout": "a positive number of seconds",
    "api_max_body": "a positive number of bytes, or a size such as 1MB",
    "api_max_question": "a positive number of characters, at most 100000",
    "api_rate": "a number of requests per minute, 0 for no limit",
    "api_timeout": "a positive number of seconds",
    "api_max_header": "a number of bytes of at least 1024, or a size such as 16KiB",
    "api_client_timeout": "a positive number of seconds, at most 3600",
    "api_trusted_proxies": "comma-separated IP addresses or CIDR blocks of your reverse "
    "proxies (e.g. 10.0.0.5,192.168.0.0/24), or empty to trust none",
    "admin_token": f"a token of at least {MIN_ADMIN_TOKEN_CHARS} characters without spaces "
    "(e.g. from `openssl rand -hex 32`), or leave it unset to keep admin off",
    "log_questions": "1 or 0 (also true/false, yes/no, on/off)",
}


def env_name(field: str) -> str:
    """The environment variable of a setting: `max_bytes` -> `ONCOCITE_MAX_BYTES`."""
    return ENV_PREFIX + field.upper()


def flag_name(field: str) -> str:
    """The command-line flag of a setting: `max_bytes` -> `--max-bytes`."""
    return "--" + field.replace("_", "-")


def _env_value(field: str, environ: Mapping[str, str]) -> str | None:
    """The value a variable gave `field`, matched regardless of case as it was read."""
    wanted = env_name(field).lower()
    return next((v for k, v in environ.items() if k.lower() == wanted), None)


def load_settings(
    flags: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Settings from flags (those not None), then ONCOCITE_* variables, then defaults."""
    environ = os.environ if environ is None else environ
    given = {name: value for name, value in (flags or {}).items() if value is not None}
    unknown = sorted(set(flags or {}) - set(Settings.model_fields))
    if unknown:
        raise SettingsError(f"unknown setting {unknown[0]!r} (known: {', '.join(_ALLOWED)})")
    try:
        with _reading(environ):
            return Settings(**given)
    except ValidationError as exc:
        raise SettingsError(_one_line(exc, given, environ)) from None


def _one_line(exc: ValidationError, given: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    """The first problem as `--flag 'value' reason: use …` or `ONCOCITE_X='value' …`."""
    first = exc.errors()[0]
    field = str(first["loc"][0])
    if field in given:
        shown = f"{flag_name(field)} {given[field]!r}"
        where = flag_name(field)
    else:
        shown = f"{env_name(field)}={_env_value(field, environ)!r}"
        where = env_name(field)
    if field in ("llm_key", "admin_token"):  # a secret is never repeated, even in an error
        shown = where
    reason = str(first.get("ctx", {}).get("error", "")) or "is not allowed"
    if first["type"] != "value_error":
        reason = "is not allowed"
    return f"{shown} {reason}: use {_ALLOWED.get(field, 'an allowed value')}"
