"""The one table every benchmark prints: the figure, the baseline measured in the same run,
their ratio, the target, and whether it is met.

    rows = [Row("catch-up, every read model", 17_900, 23_800, "events/s", at_least(0.75))]
    print_table("Projection catch-up", rows)

A target is a check on the row plus the words that say it (`at_least`, `at_most`, `under`);
a row without one is printed for information (its `met` column is blank).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    words: str
    check: Callable[[Row], bool]


@dataclass(frozen=True)
class Row:
    figure: str
    value: float
    baseline: float | None = None
    unit: str = ""
    target: Target | None = None
    baseline_name: str = ""
    """What the baseline is, when it differs from the table's title line."""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.target.check(self)


def at_least(ratio: float) -> Target:
    """The figure is at least `ratio` times the baseline (a rate)."""
    return Target(f">= {ratio:g} x baseline",
                  lambda row: row.ratio is not None and row.ratio >= ratio)


def at_most(limit: float, unit: str) -> Target:
    """The figure itself is at most `limit` (a time, a size)."""
    return Target(f"<= {limit:g} {unit}", lambda row: row.value <= limit)


def under(limit: float, unit: str) -> Target:
    return Target(f"< {limit:g} {unit}", lambda row: row.value < limit)


def ratio_between(low: float, high: float) -> Target:
    """The figure stays within [low, high] times the baseline (stability: end / start)."""
    return Target(f"{low:g}-{high:g} x start",
                  lambda row: row.ratio is not None and low <= row.ratio <= high)


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def print_table(title: str, rows: Sequence[Row]) -> bool:
    """Print the rows under `title`; whether every target was met."""
    headers = ("figure", "value", "baseline", "ratio", "target", "met")
    lines = [(row.figure + (f" ({row.unit})" if row.unit else ""),
              _number(row.value), _number(row.baseline),
              "-" if row.ratio is None else f"{row.ratio:.2f}",
              row.target.words if row.target else "",
              "" if row.met is None else ("met" if row.met else "NOT met"))
             for row in rows]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) if i in (0, 4, 5) else h.rjust(w)
                    for i, (h, w) in enumerate(zip(headers, widths, strict=True))))
    for line in lines:
        print("  ".join(c.ljust(w) if i in (0, 4, 5) else c.rjust(w)
                        for i, (c, w) in enumerate(zip(line, widths, strict=True))))
    for row in rows:
        if row.baseline_name:
            print(f"  baseline of {row.figure!r}: {row.baseline_name}")
    return all(row.met is not False for row in rows)
