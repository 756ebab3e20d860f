"""Whether a listening address is this machine only: what may be served there without authentication (the
Playground's local mode, the operations listener) must not be reachable from elsewhere."""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
