"""What an operator installs: the built wheel, in a virtual environment of its own, away from the checkout. The
package must carry every file it reads at run time (a missing word list once made every free-text answer fail
while the editable checkout worked), so a referral with free text, an action and an update go through it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.conftest import RUNNING_CLOCK_ENV
from tests.test_scenario import CHECK_THAT_FITS, PLAN_ONE_ACTION, REFERRAL_REST

ROOT = Path(__file__).resolve().parents[1]

UNAVAILABLE = "Het lukt nu even niet"


def run(bin_dir: Path, data: Path, *arguments: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VHBOT_")} | RUNNING_CLOCK_ENV
    env |= {"VHBOT_DATA_DIR": str(data)}
    return subprocess.run(
        [str(bin_dir / "vhbot"), *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=data,
        check=False,
        timeout=120,
    )


def lines(*messages: str) -> str:
    return "\n".join(messages) + "\n"


def test_the_installed_package_is_used_and_not_the_checkout(installed: Path) -> None:
    where = subprocess.run(
        [str(installed / "python"), "-c", "import config, bot; print(config.__file__, bot.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=installed,
    ).stdout
    assert str(ROOT) not in where and str(installed.parent) in where
    version = run(installed, installed.parent, "--version")
    assert version.returncode == 0 and version.stdout.startswith("vhbot 0.")


def test_a_referral_an_action_and_an_update_go_through_the_installed_package(
    installed: Path, tmp_path: Path
) -> None:
    assert run(installed, tmp_path, "demo").returncode == 0
    referred = run(
        installed, tmp_path, "chat", "--as", "agent", stdin=lines(*CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    )
    assert "VH-2026-0001" in referred.stdout and UNAVAILABLE not in referred.stdout, referred.stdout
    planned = run(
        installed,
        tmp_path,
        "chat",
        "--as",
        "regisseur",
        stdin=lines(
            "beoordeel VH-2026-0001", "accepteren", "Petra Regisseur", "plan VH-2026-0001", *PLAN_ONE_ACTION
        ),
    )
    assert "Huisbezoek afleggen" in planned.stdout and UNAVAILABLE not in planned.stdout, planned.stdout
    update = "Huisbezoek gedaan, het gesprek met Jan ging goed"  # a first name: the word list is read
    told = run(
        installed,
        tmp_path,
        "chat",
        "--as",
        "agent",
        stdin=lines("terugkoppeling VH-2026-0001", "1", update, "nee"),
    )
    assert UNAVAILABLE not in told.stdout and "Traceback" not in told.stderr, told.stdout + told.stderr
    assert "feedback\tto regisseur\tVH-2026-0001" in run(installed, tmp_path, "outbox").stdout
    doctor = run(installed, tmp_path, "doctor")
    assert "ok       the store answers, its schema is current" in doctor.stdout, doctor.stdout
    assert "Traceback" not in doctor.stderr


def test_the_installed_package_reads_an_env_file_and_a_zvhs_own_data(installed: Path, tmp_path: Path) -> None:
    """As the deployment guide runs it: settings from an env file, the ZVH's own lines outside the package."""
    own = tmp_path / "zvh"
    (own / "texts").mkdir(parents=True)
    (own / "texts" / "nl.toml").write_text('[help]\ntitle = "Wat de chatbot van ZVH Eemland kan:"\n', "utf-8")
    settings = tmp_path / "zvh.env"
    settings.write_text(f'VHBOT_CONFIG_DIR="{own}"\n', encoding="utf-8")
    assert run(installed, tmp_path, "--env-file", str(settings), "demo").returncode == 0
    answered = run(installed, tmp_path, "--env-file", str(settings), "chat", "--as", "agent", stdin="help\n")
    assert "Wat de chatbot van ZVH Eemland kan:" in answered.stdout, answered.stdout + answered.stderr
    assert "• check" in answered.stdout  # every other line from the package's own texts
