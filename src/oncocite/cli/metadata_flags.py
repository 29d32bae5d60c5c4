"""The ingest command's metadata flags, generated from `MetadataOverrides`.

One flag per field of the model (its description is the help, its `flags` extra the
spelling), so a field added to the model is a flag at once, and the command itself
stays a thin shell that receives one typed `metadata` value.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError

from oncocite.cli.output import fail
from oncocite.models import MetadataOverrides

__all__ = ["metadata_flags", "overrides_error"]

F = TypeVar("F", bound=Callable[..., Any])


def _is_list(field: str) -> bool:
    annotation = MetadataOverrides.model_fields[field].annotation
    return any(typing.get_origin(arg) is list for arg in typing.get_args(annotation))


def overrides_error(exc: ValidationError) -> str:
    """One line naming the flag, the value and what is wrong with it."""
    problems = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "metadata"
        flag = (
            MetadataOverrides.flags(field)[0] if field in MetadataOverrides.model_fields else field
        )
        reason = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] != "value_error":
            reason = f"{error['input']!r} is not allowed: {reason[0].lower()}{reason[1:]}"
        problems.append(f"{flag} {reason}")
    return "; ".join(problems)


def metadata_flags(command: F) -> F:
    """Give `command(…, metadata: MetadataOverrides | None)` one option per field."""
    signature = inspect.signature(command, eval_str=True)
    kept = [p for p in signature.parameters.values() if p.name != "metadata"]
    added = []
    for name, field in MetadataOverrides.model_fields.items():
        kind: Any = list[str] | None if _is_list(name) else str | None
        option = typer.Option(*MetadataOverrides.flags(name), help=field.description)
        added.append(
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[kind, option],
            )
        )

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {name: kwargs.pop(name, None) for name in MetadataOverrides.model_fields}
        try:
            overrides = MetadataOverrides(**{k: v for k, v in given.items() if v is not None})
        except ValidationError as exc:
            fail(overrides_error(exc))
        return command(*args, metadata=overrides, **kwargs)

    # typer passes every value by keyword; the metadata flags follow the first argument
    first, *rest = kept
    ordered = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in (first, *added, *rest)]
    wrapper.__signature__ = signature.replace(parameters=ordered)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in ordered}
    return typing.cast(F, wrapper)
