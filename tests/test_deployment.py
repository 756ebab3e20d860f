"""The deployment guide's systemd unit (in the README) is a valid, hardened unit: ``systemd-analyze verify`` finds
nothing to say about it, with the installed ``vhbot`` as its command."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def unit_from_readme() -> str:
    readme = (ROOT / "README.md").read_text()
    found = re.search(r"`/etc/systemd/system/vhbot@\.service`.*?```ini\n(.*?)```", readme, re.DOTALL)
    assert found, "the README's deployment guide has no vhbot@.service unit"
    return found.group(1)


def test_the_readme_unit_is_hardened() -> None:
    unit = unit_from_readme()
    for setting in (
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ReadWritePaths=",
        "User=vhbot",
        "UMask=0077",
        "RestartPreventExitStatus=2",  # a configuration error does not restart for ever
    ):
        assert setting in unit
    stop = int(unit.split("TimeoutStopSec=")[1].split()[0])
    assert (
        stop > Settings().shutdown_seconds
    )  # systemd does not kill a process that is still finishing its batch


def test_the_readme_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    verify = shutil.which("systemd-analyze")
    if verify is None:
        pytest.skip("systemd-analyze (Debian's systemd package) is not installed")
    vhbot = Path(sys.executable).parent / "vhbot"
    unit = unit_from_readme().replace("/opt/vhbot/.venv/bin/vhbot", str(vhbot))
    path = tmp_path / "vhbot@zvh.service"
    path.write_text(unit)
    result = subprocess.run([verify, "verify", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
