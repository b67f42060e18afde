"""Every statutory or policy period Assured uses, each with its source.

Nothing else in the code base holds a period. The defaults are those of the source documents;
`Policy` values can be changed through settings (see README), never by editing a command.
"""

from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from domain.calendar import Nation, add_working_days, subtract_working_days


class Unit(StrEnum):
    WORKING_DAYS = "working days"
    DAYS = "days"
    MONTHS = "months"
    YEARS = "years"


def add_months(start: date, months: int) -> date:
    """Same day of the month `months` later, clamped to the month's last day
    (31 Jan + 1 month = 28 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, _cal.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    """A length of time with the document and clause it comes from."""

    amount: int
    unit: Unit
    source: str

    def after(self, start: date, nation: Nation | str | None = None) -> date:
        """The date this period ends when it starts on `start` (working days need a nation)."""
        if self.unit is Unit.WORKING_DAYS:
            if nation is None:
                raise ValueError("a working-day period needs a nation")
            return add_working_days(start, self.amount, nation)
        if self.unit is Unit.DAYS:
            return date.fromordinal(start.toordinal() + self.amount)
        months = self.amount * (12 if self.unit is Unit.YEARS else 1)
        return add_months(start, months)

    def before(self, end: date, nation: Nation | str | None = None) -> date:
        """The date this period starts when it ends on `end` (working days need a nation)."""
        if self.unit is Unit.WORKING_DAYS:
            if nation is None:
                raise ValueError("a working-day period needs a nation")
            return subtract_working_days(end, self.amount, nation)
        if self.unit is Unit.DAYS:
            return date.fromordinal(end.toordinal() - self.amount)
        return add_months(end, -self.amount * (12 if self.unit is Unit.YEARS else 1))

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.value}"


SEED_000 = "Safeguarders Panel Team, Performance monitoring of Safeguarders (seed 000)"
SEED_001 = ("Assured Safeguarding: self-evaluation questions for Directors of Children's Services "
            "and Elected Lead Members, East Midlands 2010 (seed 001)")
SEED_002 = "School safeguarding supervision policy (seed 002)"
SEED_003 = "Multi-agency strategy for safeguarding supervision and management oversight (seed 003)"
SEED_004 = "Safeguarding Children Partnership effectiveness framework (seed 004)"
WT_2018 = "Working Together to Safeguard Children 2018"


@dataclass(frozen=True)
class Policy:
    """The periods in force. Each field's `source` names where its default comes from."""

    safeguarder_term: Period = Period(
        3, Unit.YEARS, f"{SEED_000}, 'Records and Re-appointment'; term set by Ministers "
        "(Safeguarders Panel Regulations 2012). Default 3 years, a setting."
    )
    reappointment_review_lead: Period = Period(
        6, Unit.MONTHS, f"{SEED_000}, 'Records and Re-appointment': the file is analysed in "
        "preparation for re-appointment. Lead time before the term ends: policy default 6 months."
    )
    cin_supervision_interval: Period = Period(
        3, Unit.MONTHS, f"{SEED_003}, Aims, point 4: Children in Need discussed no longer than "
        "three months apart."
    )
    panel_notification: Period = Period(
        5, Unit.WORKING_DAYS, f"{WT_2018}, chapter 4, para 17 (serious incident notification "
        f"within five working days of becoming aware); {SEED_004}, Practice Review sub-group."
    )
    rapid_review: Period = Period(
        15, Unit.WORKING_DAYS, f"{WT_2018}, chapter 4, para 20 (rapid review within 15 working "
        "days of becoming aware)."
    )
    lcspr_completion: Period = Period(
        6, Unit.MONTHS, f"{WT_2018}, chapter 4, para 40 (LCSPR published within six months of "
        "the decision)."
    )
    audit_plan_review: Period = Period(
        6, Unit.MONTHS, f"{SEED_004}, audit plan 'Reviewed six monthly'."
    )
    replacement_supervisor_lookback: Period = Period(
        6, Unit.MONTHS, f"{SEED_002}: a replacement supervisor has access to the previous six "
        "months of supervision records."
    )
    # Process periods: the seeds require the steps but set no timescale; these are local
    # defaults, named as such, and each a setting to agree with the partnership.
    allocation_reminder: Period = Period(
        10, Unit.WORKING_DAYS, f"{SEED_000}, 'Support Managers by region'; local default: remind "
        "the panel team lead when no allocation is made within 10 working days of appointment."
    )
    support_reminder_lead: Period = Period(
        1, Unit.MONTHS, f"{SEED_000}, 'Individual and Group Support'; local default: remind the "
        "support manager a month before the year's session and sampled reports fall due."
    )
    mentoring_interval: Period = Period(
        3, Unit.MONTHS, f"{SEED_000}, 'Peer Mentoring' (sessions over the first year); local "
        "default: a mentoring session each quarter of the first appointment year."
    )
    recommendation_due_before_term_end: Period = Period(
        3, Unit.MONTHS, f"{SEED_000}, 'Records and Re-appointment' (recommendation to Ministers); "
        "local default: the recommendation is due three months before the term ends."
    )
    reminder_lead: Period = Period(
        5, Unit.WORKING_DAYS, f"{SEED_003}, Aims, point 4 (scheduled discussions); local default: "
        "reminders go five working days before a due date."
    )
    escalation_stage_response: Period = Period(
        5, Unit.WORKING_DAYS, f"{SEED_003}, 'Professional disagreement' (each agency's "
        "escalation process); local default: each stage answers within five working days."
    )
    at_risk_warning: Period = Period(
        2, Unit.WORKING_DAYS, f"{SEED_004}, Practice Review sub-group; the sub-group chair is "
        "warned two working days before a statutory deadline."
    )
    audit_non_compliance: Period = Period(
        10, Unit.WORKING_DAYS, f"{SEED_004}, 'Non-compliance escalated to Safeguarding "
        "Operational sub-group'; local default: after 10 working days past the returns due date."
    )
    public_submission_triage: Period = Period(
        5, Unit.WORKING_DAYS, f"{SEED_000}, 'We always want to hear from you' and 'tell us about "
        "a worry or concern'; local default: the panel team attaches or sets aside a submission "
        "from the public within five working days."
    )
    # Retention (UK GDPR Art. 5(1)(e), storage limitation). The ICO sets no fixed periods: each
    # organisation sets its own, by the purpose; these are local defaults, each a setting.
    # domain/retention.py applies them; the retention process erases what is past them.
    safeguarder_retention: Period = Period(
        6, Unit.YEARS, "Local retention schedule (the ICO sets no fixed period: UK GDPR Art. "
        "5(1)(e)); default 6 years after the Safeguarder's record closes (left the panel, not "
        "appointed, or appointment ended), the period in which claims about the appointment "
        "may be brought. A setting."
    )
    case_retention: Period = Period(
        25, Unit.YEARS, "Local retention schedule (the ICO sets no fixed period: UK GDPR Art. "
        "5(1)(e)); default 25 years after a child's case closes. A setting. A Scottish looked-"
        "after child's case is kept to the child's 100th birthday instead: The Looked After "
        "Children (Scotland) Regulations 2009 (SSI 2009/210), reg. 11 (case records retained "
        "until the 100th anniversary of the child's date of birth, or 5 years after the death "
        "of a child who dies before 18)."
    )
    # Supervision arrangements between a supervisor and a supervisee (seeds 002 and 003).
    direct_contact_supervision: Period = Period(
        3, Unit.MONTHS, f"{SEED_003}, 'The Supervision Process': those in contact with vulnerable "
        "families receive safeguarding supervision, at a minimum, on a quarterly basis."
    )
    new_staff_period: Period = Period(
        6, Unit.MONTHS, f"{SEED_003}, 'The Supervision Process': newly appointed staff will "
        "invariably require more regular supervision; local default: their first six months."
    )
    new_staff_supervision: Period = Period(
        1, Unit.MONTHS, f"{SEED_003}, 'The Supervision Process' (newly appointed staff); local "
        "default: a session at least monthly while newly appointed."
    )
    confidentiality_report: Period = Period(
        1, Unit.WORKING_DAYS, f"{SEED_002}, 'Confidentiality', level 1: a duty as an employee to "
        "report through the appropriate channels; escalated unless recorded as reported within "
        "one working day (issue 12)."
    )
    # The quarterly assurance cycle (seed 004, the five-step diagram).
    evidence_due_before_meeting: Period = Period(
        10, Unit.DAYS, f"{SEED_004}, quarterly cycle step 1: evidence collated and sent at least "
        "10 days before the Safeguarding Effectiveness sub-group meets."
    )
    evidence_non_compliance: Period = Period(
        5, Unit.WORKING_DAYS, f"{SEED_004}, 'Non-compliance escalated to Safeguarding "
        "Operational sub-group'; local default: five working days after the evidence was due."
    )
    assurance_publication: Period = Period(
        10, Unit.WORKING_DAYS, f"{SEED_004}, quarterly cycle step 5 (final report sent to the "
        "Executive, other Boards and sub-group members); local default: within ten working days "
        "of the partnership meeting."
    )
    # The forward plan of assurance activity (seed 004, toolkit tables).
    forward_plan_lead: Period = Period(
        2, Unit.MONTHS, f"{SEED_004}, 'Safeguarding Effectiveness Forward Plan' (when key "
        "evidence is considered); local default: an activity's process starts two months "
        "before it is due."
    )
    lado_data: Period = Period(
        3, Unit.MONTHS, f"{SEED_004}, 'LADO report': annual report and quarterly data included "
        "in the quarterly performance report."
    )
    activity_frequency: dict[str, Period] = field(
        default_factory=lambda: {
            "section_11_audit": Period(2, Unit.YEARS, f"{SEED_004}, 'Section 11 Audit': bi "
                                       "annually (last done 2016/17, due 2019/20)."),
            "single_agency_audits": Period(1, Unit.YEARS, f"{SEED_004}, 'Single Agency "
                                           "Audits': annually or where available."),
            "schools_safeguarding_audit": Period(1, Unit.YEARS, f"{SEED_004}, 'Schools "
                                                 "Safeguarding audit': annually."),
            "lado_report": Period(1, Unit.YEARS, f"{SEED_004}, 'LADO report': annual report."),
            "voice_of_children_and_families": Period(6, Unit.MONTHS, f"{SEED_004}, 'Voice of "
                                                     "Children and Families': bi annually "
                                                     "(twice a year)."),
            "self_assessment_sait": Period(1, Unit.YEARS, f"{SEED_004}, 'SAIT (Self Assessment "
                                           "& Improvement Tool)': annually."),
            "peer_challenge": Period(1, Unit.YEARS, f"{SEED_004}, 'Peer Challenge': annual."),
            "multi_agency_practice_audits": Period(1, Unit.YEARS, f"{SEED_004}, 'Multi Agency "
                                                   "Practice Audits': once a year."),
            "audit_plan_review": Period(6, Unit.MONTHS, f"{SEED_004}, 'Cross reference annual "
                                        "audit Plan': reviewed six monthly."),
        }
    )
    # Self-evaluation for leaders (seed 001).
    self_evaluation_completion: Period = Period(
        2, Unit.MONTHS, f"{SEED_001}, answered once a year; local default: completed within two "
        "months of starting."
    )
    supervision_interval: dict[str, Period] = field(
        default_factory=lambda: {
            "early_help": Period(
                3, Unit.MONTHS, f"{SEED_002}: at least once a half term; local default."),
            "child_in_need": Period(
                3, Unit.MONTHS, f"{SEED_003}, Aims, point 4 (no more than 3 months)."),
            "child_protection": Period(
                1, Unit.MONTHS, f"{SEED_003}: higher risk, monthly; local default."),
            "looked_after": Period(3, Unit.MONTHS, f"{SEED_003}: local default, as child in need."),
        }
    )

    def with_overrides(self, **amounts: int) -> Policy:
        """A copy with some periods' amounts changed (unit and source stay)."""
        changes = {
            name: replace(getattr(self, name), amount=amount) for name, amount in amounts.items()
        }
        return replace(self, **changes)

    def periods(self) -> dict[str, Period]:
        """Every period by name, for documentation and the API."""
        named = {
            name: value for name, value in vars(self).items() if isinstance(value, Period)
        }
        for status, period in self.supervision_interval.items():
            named[f"supervision_interval.{status}"] = period
        for activity, period in self.activity_frequency.items():
            named[f"activity_frequency.{activity}"] = period
        return named


DEFAULT_POLICY = Policy()
