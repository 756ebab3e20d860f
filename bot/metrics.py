"""What ``/metrics`` shows (Prometheus text format, prometheus-client): counts and timings only. No label ever
carries a case number, a person, an address or typed text; labels are channels, conversation kinds and fixed
outcome words, so every label has a handful of values."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

MESSAGES = Counter(
    "vhbot_messages_handled",
    "Messages handled, by channel, conversation kind and outcome",
    ["channel", "kind", "outcome"],
)
HANDLING = Histogram(
    "vhbot_handling_seconds",
    "Time to answer one message, store included",
    ["channel"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
DELIVERIES = Counter(
    "vhbot_deliveries",
    "Outbox deliveries by channel and outcome (sent, retried, rate_limited, fallback, failed, dropped)",
    ["channel", "outcome"],
)
REMINDER_LATENESS = Histogram(
    "vhbot_reminder_lateness_seconds",
    "How long after its planned moment a reminder went out",
    buckets=(1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600),
)
OUTBOX_ROWS = Gauge("vhbot_outbox_rows", "Outbox rows by status, when scraped", ["status"])
OUTBOX_BEHIND = Gauge(
    "vhbot_outbox_oldest_due_seconds",
    "How long the longest-waiting due message has been due, when scraped (0: nothing waits); what to alert on "
    "when reminders are not going out",
)
RATE_LIMITED = Counter(
    "vhbot_rate_limit_refusals", "Refused for too many messages or case lookups", ["limit"]
)
UNSENDABLE = Counter(
    "vhbot_outbox_unsendable",
    "Outbox rows this process could not make a message of, by reason (unknown_kind: left for a newer version; "
    "unreadable: a value the keys cannot decrypt; render: a text that does not format)",
    ["reason"],
)
ENGINE_FAULTS = Counter(
    "vhbot_engine_faults",
    "Unexpected errors in a step of the delivery engine (deliver, overviews, purge); the engine went on",
    ["step"],
)
PURGE_RUNS = Counter("vhbot_purge_runs", "Retention purges run by this process")
PURGED_CASES = Counter("vhbot_purged_cases", "Closed cases purged after their retention period")
LAST_PURGE = Gauge("vhbot_last_purge_timestamp_seconds", "When this process last purged successfully")
PURGE_FAILING = Gauge("vhbot_purge_failing", "1 while this process's last retention purge failed")
EXPIRED_DIALOGUES = Counter(
    "vhbot_expired_dialogues", "Dialogues found expired when their person wrote again"
)
MATRIX_KEY_WAITS = Counter(
    "vhbot_matrix_key_waits", "Encrypted messages whose key was asked for, by how it ended", ["outcome"]
)
MATRIX_SERVING = Gauge("vhbot_matrix_serving", "1 while this process holds the Matrix account and syncs")
MATRIX_ROOMS_LOADED = Gauge(
    "vhbot_matrix_rooms_loaded",
    "Rooms whose members this process knows in full: every room after a full sync, else those used since the start",
)
MATRIX_ROOMS_LEFT = Counter(
    "vhbot_matrix_rooms_left",
    "Direct chats the bot left: a disabled person's, or a stranger's past retention",
)
TEAMS_ERRORS = Counter(
    "vhbot_teams_http_errors", "Bot Connector answers that were not a success, by status", ["status"]
)
