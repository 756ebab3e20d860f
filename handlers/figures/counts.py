"""How a count may be shown in the network's figures without singling anyone out.

A count from 1 to 4 is shown as "<5": in a small gemeente a handful of referrals can point to a family. Every
other count is rounded to a multiple of five ("afgerond op vijftallen", as statistics offices publish small
areas): with exact totals, a hidden cell would be the total minus the cells shown, so no count is exact, the
totals neither. Zero stays zero (it singles out nobody). A duration (median, 90th percentile) is only given over
at least five cases: over fewer it is close to one case's own story.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

SMALL = 5


def shown(count: int) -> str:
    if count == 0:
        return "0"
    if count < SMALL:
        return f"<{SMALL}"
    return str(SMALL * ((count + SMALL // 2) // SMALL))


def spread(days: Sequence[float]) -> tuple[float, float] | None:
    """Median and 90th percentile in days, over at least five cases; None for fewer."""
    if len(days) < SMALL:
        return None
    return statistics.median(days), statistics.quantiles(days, n=10, method="inclusive")[8]
