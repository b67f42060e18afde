"""Logging for every entry point, configured once (`assured ...`'s callback calls `configure`).

Two formats:

- **text**, for a person at a terminal: `WARNING assured.auth: ...`, tracebacks in full;
- **json**, for production's log collector: one JSON object a line (`timestamp`, `level`,
  `logger`, `event`), for our own loggers, structlog's and every library's (uvicorn, Temporal,
  psycopg), since the standard library's records go through structlog's `ProcessorFormatter`.

`ASSURED_LOG_FORMAT=auto` (the default) is json in production mode and text otherwise.

No personal data: our messages carry record ids, route templates, codes and hashes, never what
a person typed (README, "The HTTP API"). What a log line cannot vouch for is an exception's
message, which may quote the input that caused it (a database error quoting a row, a validation
error quoting a value), so in json an exception is logged as its type and where it was raised,
file, line and function of each frame, without the message or local values.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType
from typing import Any

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from infra.settings import LogFormat, Mode, Settings

TEXT = "%(levelname)s %(name)s: %(message)s"
"""The human format the command line has always printed."""


def chosen_format(settings: Settings | None) -> LogFormat:
    if settings is None or settings.log_format is LogFormat.AUTO:
        production = settings is not None and settings.mode is Mode.PRODUCTION
        return LogFormat.JSON if production else LogFormat.TEXT
    return settings.log_format


def chosen_level(settings: Settings | None, verbose: bool) -> int:
    """`ASSURED_LOG_LEVEL` if set; else INFO for json (the refusals and access denials are
    INFO lines operators count) or with --verbose, WARNING at a terminal."""
    if settings is not None and settings.log_level:
        return logging.getLevelNamesMapping()[settings.log_level.upper()]
    if verbose or chosen_format(settings) is LogFormat.JSON:
        return logging.INFO
    return logging.WARNING


def configure(settings: Settings | None, *, verbose: bool = False,
              stream: Any = None) -> LogFormat:
    """Route every logger of this process to one handler on standard error (or `stream`), in
    the chosen format; returns it. Safe to call again (the handler is replaced)."""
    chosen = chosen_format(settings)
    handler = logging.StreamHandler(stream) if stream is not None else _Stderr()
    if chosen is LogFormat.JSON:
        handler.setFormatter(structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=_shared(), processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                exception_without_values,
                structlog.processors.JSONRenderer(sort_keys=False)]))
    else:
        handler.setFormatter(logging.Formatter(TEXT))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_assured", False)]:
        root.removeHandler(old)
    handler._assured = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(chosen_level(settings, verbose))
    if chosen is LogFormat.JSON:  # a library's warning is a JSON line too
        logging.captureWarnings(True)
    structlog.configure(
        processors=[structlog.stdlib.filter_by_level, *_shared(),
                    structlog.stdlib.PositionalArgumentsFormatter(),
                    structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True)
    return chosen


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is at the time (as the standard library's last resort
    does), so a command run inside another program (a test's CliRunner) never writes to a
    stream that program has since closed."""

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


def _shared() -> list[Processor]:
    return [structlog.stdlib.add_log_level, structlog.stdlib.add_logger_name,
            structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp")]


def exception_without_values(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    """Replace `exc_info` by `exception`: the type and the frames (file, line, function),
    never the message, which may quote what a person typed."""
    info = event.pop("exc_info", None)
    if info is True:
        info = sys.exc_info()
    elif isinstance(info, BaseException):
        info = (type(info), info, info.__traceback__)
    if info and info[0] is not None:
        event["exception"] = _described(info[0], info[2])
    event.pop("stack_info", None)
    return event


def _described(kind: type[BaseException], tb: TracebackType | None) -> dict[str, object]:
    frames = [f"{frame.filename}:{frame.lineno} in {frame.name}"
              for frame in traceback.extract_tb(tb)]
    return {"type": f"{kind.__module__}.{kind.__qualname__}", "frames": frames}
