"""The electronic file's lists as tables: each section of the read model, its columns in words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from api.web.wording import long_date, phrase


@dataclass(frozen=True)
class Section:
    title: str
    anchor: str
    headings: tuple[str, ...]
    rows: list[tuple[str, ...]]


Row = Callable[[dict[str, Any]], tuple[str, ...]]

COLUMNS: tuple[tuple[str, str, str, tuple[str, ...], Row], ...] = (
    ("terms", "Terms", "terms", ("Starts", "Ends", "Re-appointment review opens"),
     lambda r: (long_date(r["starts_on"]), long_date(r["ends_on"]),
                long_date(r["review_opens_on"]))),
    ("allocations", "Allocations", "allocations", ("Support manager", "When", "Reason"),
     lambda r: (r["manager"], long_date(r["allocated_on"]), r["reason"] or "First allocation")),
    ("support_sessions", "Support sessions", "support-sessions",
     ("Session", "Year", "Held", "By"),
     lambda r: (r["session_id"], str(r["year"]), long_date(r["held_on"]), r["held_by"])),
    ("sampled_reports", "Sampled reports", "sampled-reports",
     ("Report", "Session", "Year", "Discussed"),
     lambda r: (r["report_ref"], r["session_id"], str(r["year"]), long_date(r["discussed_on"]))),
    ("group_sessions", "Group sessions", "group-sessions",
     ("Session", "Held", "Facilitator", "Year"),
     lambda r: (r["session_ref"] or "", long_date(r["held_on"]), r["facilitator"] or "",
                str(r["year"]))),
    ("mentoring", "Peer mentoring", "mentoring", ("What", "Year", "When"),
     lambda r: (r["kind"].capitalize(), str(r["year"] or ""), long_date(r["occurred_on"]))),
    ("feedback", "Feedback", "feedback", ("Received", "From", "Tone", "Summary"),
     lambda r: (long_date(r["received_on"]), phrase(r["source"]).capitalize(),
                phrase(r["tone"]).capitalize(), r["summary"] or "")),
    ("concerns", "Concerns", "concerns", ("Concern", "About", "Raised", "Summary", "Resolution"),
     lambda r: (r["concern_id"], f"Their {r['about']}", long_date(r["raised_on"]),
                r["summary"] or "", (f"{r['resolution']} ({long_date(r['resolved_on'])})"
                                     if r["resolved_on"] else "Not resolved yet"))),
    ("evidence", "Evidence against the Practice Standards", "evidence",
     ("Standard", "Recorded", "Evidence"),
     lambda r: (r["standard"], long_date(r["recorded_on"]), r["evidence"] or "")),
    ("shortfalls", "Shortfalls recorded", "shortfalls",
     ("Year", "Support sessions", "Sampled reports", "Recorded"),
     lambda r: (str(r["year"]), str(r["sessions"]), str(r["sampled_reports"]),
                long_date(r["recorded_on"]))),
    ("shortfall_withdrawals", "Shortfalls withdrawn", "withdrawals",
     ("Year", "Withdrawn", "Entered late"),
     lambda r: (str(r["year"]), long_date(r["withdrawn_on"]), r["entered_late"] or "")),
)


def sections(found: dict[str, list[dict[str, Any]]]) -> list[Section]:
    """Every section of the file, in the file's order, each row in words."""
    return [Section(title, anchor, headings, [row(r) for r in found.get(key, [])])
            for key, title, anchor, headings, row in COLUMNS]
