"""Logging as every entry point configures it (infra/logs.py): JSON lines in production, the
human format at a terminal; an exception in JSON is its type and frames, never its message."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from infra import logs
from infra.settings import LogFormat, Mode, Settings

SECRET = "Jayden O'Connor-Ahmed, 14 Acacia Avenue"


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    out = io.StringIO()
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield out
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()


def test_production_logs_json_from_the_standard_library_and_structlog(stream: io.StringIO) -> None:
    settings = Settings.model_construct(mode=Mode.PRODUCTION, log_format=LogFormat.AUTO,
                                        log_level=None)
    assert logs.configure(settings, stream=stream) is LogFormat.JSON
    logging.getLogger("a.library").warning("pool %s is full", "assured")
    structlog.get_logger("assured.test").info("projection stopped", position=42)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["event"] == "pool assured is full" and first["level"] == "warning"
    assert first["logger"] == "a.library" and first["timestamp"].endswith("Z")
    assert second["event"] == "projection stopped" and second["position"] == 42


def test_an_exception_is_logged_as_its_type_and_frames_without_its_message(
        stream: io.StringIO) -> None:
    logs.configure(Settings.model_construct(mode=Mode.EMBEDDED, log_format=LogFormat.JSON,
                                            log_level=None), stream=stream)
    try:
        raise ValueError(f"cannot store {SECRET}")
    except ValueError:
        logging.getLogger("assured.test").exception("Unexpected error on %s", "POST /cases")
    (line,) = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["event"] == "Unexpected error on POST /cases"
    assert entry["exception"]["type"] == "builtins.ValueError"
    assert "test_logs.py" in entry["exception"]["frames"][-1]
    assert "Jayden" not in line and "Acacia" not in line


def test_a_terminal_keeps_the_human_format(stream: io.StringIO) -> None:
    settings = Settings.model_construct(mode=Mode.EMBEDDED, log_format=LogFormat.AUTO,
                                        log_level=None)
    assert logs.configure(settings, stream=stream) is LogFormat.TEXT
    logging.getLogger("assured.auth").warning("Fetching the provider's keys failed")
    logging.getLogger("assured.auth").info("not shown at a terminal without --verbose")
    assert stream.getvalue() == "WARNING assured.auth: Fetching the provider's keys failed\n"
