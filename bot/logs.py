"""How ``vhbot serve`` logs: plain lines for people, or ``VHBOT_LOG_FORMAT=json`` (one JSON object per line: time,
level, logger, message, and the exception's type) for a log collector. What is logged is the same either way, and
never what people typed (see the canary tests)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from config.settings import Settings

PLAIN = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__  # the type only: a message may quote content
        entry.update(getattr(record, FIELDS, {}))
        return json.dumps(entry, ensure_ascii=False)


# Where a record carries fields of its own for the JSON line (a fatal error's exit code).
FIELDS = "json_fields"


def line(level: str, logger: str, message: str, **more: object) -> str:
    """One JSON log line for what is said before or outside logging (a fatal error at the start, the line that
    says serving began), made by the same formatter as every other."""
    record = logging.LogRecord(logger, logging.getLevelName(level), __file__, 0, message, None, None)
    setattr(record, FIELDS, more)
    return JsonLines().format(record)


def announce(settings: Settings, message: str) -> None:
    """A line for whoever started the process (stdout): plain, or a JSON log line where logs are JSON."""
    print(line("INFO", "vhbot", message) if settings.log_format == "json" else message, flush=True)


def handler_for(settings: Settings) -> logging.Handler:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines() if settings.log_format == "json" else logging.Formatter(PLAIN))
    return handler


def configure(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level, handlers=[handler_for(settings)], force=True)
