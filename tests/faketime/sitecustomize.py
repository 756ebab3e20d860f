"""Put on PYTHONPATH by ``scripts/test-dates`` only, so every Python process of a run under libfaketime loads it.

The run keeps the monotonic clock real (a shifted one makes libfaketime's condition-variable waits hang), and then
libfaketime 0.9.10 still shifts the absolute monotonic deadline glibc's ``clock_nanosleep`` gets from
``time.sleep``, which fails with EINVAL. Here ``time.sleep`` waits in ``select`` instead, which takes a relative
timeout.
"""

import os
import select
import time
from typing import SupportsIndex

if os.environ.get("FAKETIME"):

    def _sleep(seconds: float | SupportsIndex) -> None:
        select.select([], [], [], max(0.0, float(seconds)))

    time.sleep = _sleep
