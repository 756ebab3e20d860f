"""Installation settings, read from ``VHBOT_*`` environment variables and an optional TOML file.

One installation serves one Zorg- en Veiligheidshuis, so everything that differs between regions
(case number prefix, time zone, retention) is a setting rather than code.
"""

from __future__ import annotations

import os
from datetime import time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AnyHttpUrl, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def default_data_dir() -> Path:
    """Where the embedded SQLite database lives unless told otherwise (XDG convention)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "vhbot"


class Settings(BaseSettings):
    """Everything an operator may change without touching code."""

    model_config = SettingsConfigDict(env_prefix="VHBOT_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None
    database_schema: str | None = None
    config_file: Path | None = None
    # A ZVH's own data files (region, criteria, referral form, process, first names, lines of the texts), read in
    # place of the shipped ones of the same name (``config.files``).
    config_dir: Path | None = None
    case_number_prefix: str = "VH"
    timezone: str = "Europe/Amsterdam"
    default_language: str = "nl"
    # For tests and drills only: the clock runs this far from the system clock (seconds, or an ISO 8601 duration
    # such as "-P14D"). ``vhbot serve`` and ``vhbot doctor`` warn when it is set.
    clock_offset: timedelta = timedelta(0)
    # How much ``vhbot serve`` logs (stderr). No level carries case content or what people type; the Matrix
    # canary test runs a real process at DEBUG to prove it.
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"
    # 'json': one JSON object per line, for a log collector; 'plain': lines for people.
    log_format: Literal["plain", "json"] = "plain"
    # On SIGTERM, how long ``vhbot serve`` may take to finish the turns and sends in hand before it exits anyway.
    shutdown_seconds: float = Field(default=30.0, gt=0)
    dialogue_timeout_minutes: int = 12 * 60
    max_message_length: int = 2000
    # Abuse: messages per person per minute, and case-number lookups per person per hour that find nothing the
    # person may see (trying numbers one after another is how case numbers would be enumerated).
    rate_messages_per_minute: int = Field(default=30, ge=1)
    rate_lookup_misses_per_hour: int = Field(default=20, ge=1)

    # Encryption at rest: keys as '<key id>:<base64 of 32 bytes>' entries, the last one current. From this
    # variable, or else from the key file (default: vhbot.keys in the data directory, made at the first start).
    encryption_keys: SecretStr | None = None
    key_file: Path | None = None

    # Retention (run daily by ``vhbot serve``, or by ``vhbot purge``): the bewaartermijn per kind of case, in
    # months after the ZVH's work on it ended: a case it closed, and a referral it answered with advice (default:
    # the same). The WGS (Stb. 2024, 198) and its Besluit (BGS, Stb. 2024, 380, BWBR0050665) govern the terms; the
    # figure is the regional convenant's (domain.md §3.4 found none published): set it from yours. A term can be
    # extended per case by decision (``vhbot betrokkene verleng``). Records of handled channel messages go after
    # these days; audit entries after these months (none: kept until the privacy officer decides otherwise).
    retention_months: int = Field(default=24, ge=1)
    retention_advice_months: int | None = Field(default=None, ge=1)
    inbound_retention_days: int = Field(default=7, ge=1)
    audit_retention_months: int | None = Field(default=None, ge=1)
    default_deadline_time: str = "17:00"
    default_meeting_time: str = "10:00"

    # Reminder policy. Working days skip weekends and the public holidays of ``holiday_country``.
    holiday_country: str = "NL"
    reminder_working_days_before: int = 2
    reminder_time: time = time(9, 0)
    meeting_reminder_working_days_before: int = 1
    overview_weekday: int = 0
    overview_time: time = time(8, 30)
    # Messages go out only between these times (equal times: all day); outside them, and on days that are not
    # working days unless the message is urgent or ``send_on_non_working_days``, they wait for the next allowed
    # moment.
    send_window_start: time = time(8, 0)
    send_window_end: time = time(18, 0)
    send_on_non_working_days: bool = False

    # The delivery engine.
    outbox_batch_size: int = 200
    # Restore mode: a copy restored from a backup answers people but sends nothing queued (it may be stale, or
    # sent already by the system it was copied from) until it is started without this.
    outbox_held: bool = False
    outbox_concurrency: int = 50
    outbox_lease_seconds: int = 60
    outbox_poll_seconds: float = 1.0
    outbox_max_attempts: int = 8
    outbox_late_after_minutes: int = 15
    # The recording channel: deliveries appended to this file (for operators' dry runs and for tests).
    recording_file: Path | None = None
    recording_delay_ms: int = 0

    # The Matrix channel: runs in ``vhbot serve`` when a homeserver and user id are set. A password is used once,
    # for the first login; the device (id and access token) is kept in the store directory from then on.
    matrix_homeserver: str | None = None
    matrix_user_id: str | None = None
    matrix_password: SecretStr | None = None
    matrix_access_token: SecretStr | None = None
    matrix_store_dir: Path | None = None
    # Encryption trust: "tofu" trusts each device of a registered person the first time it is seen; "list"
    # sends keys only to the devices in ``matrix_trusted_devices`` ("@user:server DEVICEID" entries).
    matrix_device_trust: Literal["tofu", "list"] = "tofu"
    matrix_trusted_devices: list[str] = Field(default_factory=list)
    # Invites are accepted from registered professionals only, and if this is set, only on these homeservers.
    matrix_allowed_homeservers: list[str] = Field(default_factory=list)
    matrix_sync_timeout_ms: int = 30_000
    matrix_timeline_limit: int = 100
    # How long an undecryptable message waits for its keys before the person is told how to fix it.
    matrix_key_wait_seconds: float = 30.0

    # The Teams channel: ``vhbot serve`` hosts the Bot Framework endpoint ``POST /api/messages`` when an app id is
    # set (production: every request must carry a valid Bot Framework token) or when local mode is switched on
    # (for the Microsoft 365 Agents Playground: no tokens, loopback only).
    teams_app_id: str | None = None
    teams_auth_type: Literal[
        "client_secret", "certificate", "user_managed_identity", "system_managed_identity"
    ] = "client_secret"
    teams_client_secret: SecretStr | None = None
    teams_certificate_file: Path | None = None
    teams_tenant_id: str | None = None
    teams_local: bool = False
    # Who may call the endpoint in production: tokens issued by the Bot Framework (this issuer, signed with its
    # keys) for this app, naming the service URL the activity answers on. US Government: https://api.botframework.us
    teams_token_issuer: str = "https://api.botframework.com"
    # Only people of these Microsoft 365 tenants are served (empty: only ``teams_tenant_id``'s, if set).
    teams_allowed_tenants: list[str] = Field(default_factory=list)
    # Teams waits about 15 s for a turn; answers that take longer than this are acknowledged first and sent after.
    teams_reply_window_seconds: float = 8.0
    http_host: str | None = None
    http_port: int = 3978
    # The operations listener (/healthz, /readyz, /metrics): loopback by default, apart from the public port.
    # Port 0 turns it off.
    ops_host: str = "127.0.0.1"
    ops_port: int = Field(default=9464, ge=0, le=65535)
    # Where people's browsers reach ``vhbot serve``'s web pages (https, behind the proxy that terminates TLS).
    # With it set, Matrix referrals hand out a link to the form for the betrokkene's identifying details;
    # without it they go on without those details (Teams shows the form as a card either way).
    public_url: AnyHttpUrl | None = None
    # How long a form for identifying details (link or card) can be used, once.
    form_link_minutes: int = Field(default=15, ge=1, le=24 * 60)
    # How long the procesregisseur's link or card to read a case's identifying details can be used, once.
    subject_view_minutes: int = Field(default=5, ge=1, le=60)
    # An invite code the ketenmanager makes in chat ('uitnodiging'): for how many people, for how many days.
    invite_uses: int = Field(default=20, ge=1, le=1000)
    invite_days: int = Field(default=14, ge=1, le=90)
    # The ketenmanager's review ('accounts', 'vhbot users review') lists accounts unused for this many months.
    inactive_months: int = Field(default=6, ge=1, le=36)

    @field_validator("clock_offset", mode="before")
    @classmethod
    def _seconds_as_written(cls, value: object) -> object:
        """Seconds arrive from the environment as text, which pydantic reads only as a duration."""
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                return value
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Environment wins over the TOML file named by ``VHBOT_CONFIG_FILE``."""
        toml_file = os.environ.get("VHBOT_CONFIG_FILE")
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(toml_file)))
        return tuple(sources)

    @property
    def matrix_configured(self) -> bool:
        return bool(self.matrix_homeserver and self.matrix_user_id)

    @property
    def teams_configured(self) -> bool:
        return bool(self.teams_app_id) or self.teams_local

    @property
    def resolved_http_host(self) -> str:
        """Loopback in local mode (nothing from outside may reach an endpoint without authentication)."""
        if self.http_host:
            return self.http_host
        return "127.0.0.1" if self.teams_local else "0.0.0.0"

    @property
    def allowed_tenants(self) -> set[str]:
        tenants = set(self.teams_allowed_tenants)
        if not tenants and self.teams_tenant_id:
            tenants.add(self.teams_tenant_id)
        return tenants

    @property
    def resolved_key_file(self) -> Path:
        return self.key_file or self.data_dir / "vhbot.keys"

    @property
    def resolved_matrix_store_dir(self) -> Path:
        return self.matrix_store_dir or self.data_dir / "matrix"

    @property
    def resolved_database_url(self) -> str:
        """The configured URL, or an SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'vhbot.sqlite3'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
