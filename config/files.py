"""Where the data that configures behaviour is read from: a ZVH's own copy in ``VHBOT_CONFIG_DIR``, else the
one shipped with vhbot.

What differs per ZVH (its region, the criteria of its check, the referral form, the process's choices, the first
names the identifying-data check knows, lines of the texts) lives outside the installed package, so a reinstall
or an upgrade keeps it. A file there replaces the shipped one of the same name; the texts are the exception: a
``texts/nl.toml`` there holds only the lines that differ, and every other line comes from the shipped texts, so
an upgrade's new lines appear by themselves. A file that does not read stops the bot at start with one line
that names it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

SHIPPED = Path(__file__).parent


class ConfigError(Exception):
    """A ZVH's own data file that cannot be used: the message names the file and what is wrong."""


_site: Path | None = None


def use_site(directory: Path | None) -> None:
    """Read a ZVH's own files from ``directory`` from now on (the setting ``config_dir``), once at start."""
    global _site
    if directory is not None and not directory.is_dir():
        raise ConfigError(f"VHBOT_CONFIG_DIR: {directory} is not a directory")
    _site = directory


def site() -> Path | None:
    return _site


def data_file(name: str) -> Path:
    """The ZVH's own copy of ``name`` where it has one, else the shipped file."""
    return _resolved(_site, name)


@lru_cache(maxsize=64)
def _resolved(site: Path | None, name: str) -> Path:
    """Looked up once per directory and file: the first names are asked for in every free-text answer, and the
    files are read at the start anyway (one added later counts from the next start)."""
    own = site / name if site is not None else None
    return own if own is not None and own.is_file() else SHIPPED / name
