"""Writes of cases: opening, changing, screening.

The web forms and the API call these same functions. Each validates everything first,
then writes the case, its screening and their audit events in one transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from komar.access.models import GrantReason
from komar.access.services import grant_give, grants_end
from komar.accounts.models import User
from komar.accounts.roles import Perm
from komar.audit import events
from komar.cases.choices import (
    Act,
    CaseStatus,
    ExploitationType,
    IloIndicator,
    IntakeSource,
    Means,
    MethodOfControl,
    RecruitmentMethod,
    RiskLevel,
    ScreeningResult,
)
from komar.cases.models import Case, CaseExploitation, Screening
from komar.cases.screening import screening_decide
from komar.cases.selectors import cases_visible_to, users_assignable_by
from komar.children.models import Child
from komar.core.countries import COUNTRIES
from komar.core.exceptions import ConfirmationRequired
from komar.geo.selectors import place_code_parse, unit_get

NOTES_MAX = 5000
REASON_MAX = 1000


@dataclass
class ScreeningInput:
    acts: Sequence[str] = ()
    means: Sequence[str] = ()
    exploitation_types: Sequence[str] = ()
    methods_of_control: Sequence[str] = ()
    indicators: Sequence[str] = ()
    recruitment_method: str = ""
    # A place is a gazetteer code of any level, or a country and a region of it.
    recruitment_place_code: str = ""
    recruitment_country: str = ""
    recruitment_region: str = ""
    exploitation_place_code: str = ""
    exploitation_country: str = ""
    exploitation_region: str = ""
    age_at_act: int | None = None
    notes: str = ""


@dataclass
class CaseInput:
    """What a person may say about a case; ``None`` means "not given" on update."""

    intake_source: str | None = None
    intake_date: date | None = None
    assigned_to_id: int | None = None
    status: str | None = None
    risk_level: str | None = None
    formal_identification_date: date | None = None
    formal_identification_by: str | None = None
    screening: ScreeningInput | None = None
    clear_formal_identification: bool = False
    # A new screening whose result differs from the last one must be confirmed, and a
    # second open case for a child needs a reason: ``reason`` says why, in either case.
    confirm_result_change: bool = False
    reason: str = ""


def _choice_list(
    values: Sequence[str], allowed: Sequence[str], name: str, errors: dict[str, list[str]]
) -> list[str]:
    values = list(dict.fromkeys(values))
    if any(v not in allowed for v in values):
        errors.setdefault(name, []).append(_("Choose values from the list."))
    return values


REGION_MAX = 100


def _clean_place(data: ScreeningInput, place: str, errors: dict[str, list[str]]) -> dict[str, str]:
    """Return a place's stored fields: a unit of the gazetteer at the level it is known,
    or a country and a region of it. Nothing typed is dropped: a code no unit has, or a
    code with another country, is an error."""
    typed = str(getattr(data, f"{place}_place_code") or "").strip()
    country = str(getattr(data, f"{place}_country") or "").strip().upper()
    region = " ".join(str(getattr(data, f"{place}_region") or "").split())
    out = {
        f"{place}_place_code": "",
        f"{place}_place_level": "",
        f"{place}_country": country,
        f"{place}_region": region,
    }
    if country and country not in COUNTRIES:
        errors.setdefault(f"{place}_country", []).append(_("Choose one of the listed countries."))
    if len(region) > REGION_MAX:
        errors.setdefault(f"{place}_region", []).append(
            _("Use at most %(max)d characters (it has %(n)d).")
            % {"max": REGION_MAX, "n": len(region)}
        )
    if typed:
        code = place_code_parse(typed)
        unit = unit_get(code=code) if code else None
        if code is None:
            errors.setdefault(f"{place}_place_code", []).append(
                _("Enter a place code of 2, 4, 6 or 8 digits.")
            )
        elif unit is None:
            errors.setdefault(f"{place}_place_code", []).append(_("No place has this code."))
        else:
            out[f"{place}_place_code"] = unit.code
            out[f"{place}_place_level"] = str(unit.level)
        if country and country != "KH":
            errors.setdefault(f"{place}_country", []).append(
                _("A place in Cambodia and another country cannot both be the place.")
            )
        if region:
            errors.setdefault(f"{place}_region", []).append(
                _("A region is for a place abroad: leave it empty for a place in Cambodia.")
            )
        out[f"{place}_country"] = "KH"
    elif region and not country:
        errors.setdefault(f"{place}_country", []).append(_("Choose the country the region is in."))
    return out


def _clean_screening(
    data: ScreeningInput, *, child: Child, errors: dict[str, list[str]]
) -> dict[str, Any]:
    """Return the screening's values; errors are keyed ``screening.<field>``."""
    local: dict[str, list[str]] = {}
    out: dict[str, Any] = {
        "acts": _choice_list(data.acts, Act.values, "acts", local),
        "means": _choice_list(data.means, Means.values, "means", local),
        "exploitation_types": _choice_list(
            data.exploitation_types, ExploitationType.values, "exploitation_types", local
        ),
        "methods_of_control": _choice_list(
            data.methods_of_control, MethodOfControl.values, "methods_of_control", local
        ),
        "indicators": _choice_list(data.indicators, IloIndicator.values, "indicators", local),
    }
    if data.recruitment_method and data.recruitment_method not in RecruitmentMethod.values:
        local.setdefault("recruitment_method", []).append(_("Choose one of the listed values."))
    out["recruitment_method"] = data.recruitment_method or ""
    for place in ("recruitment", "exploitation"):
        out.update(_clean_place(data, place, local))
    if data.age_at_act is not None and not 0 <= data.age_at_act <= 120:
        local.setdefault("age_at_act", []).append(
            _("Give an age between 0 and %(max)d.") % {"max": 120}
        )
    # Age at the act: as given, else from the child's birth; unknown means presumed a child.
    age = data.age_at_act
    if age is None:
        age = child.age_on(timezone.localdate())
    out["age_at_act"] = age
    if len(data.notes or "") > NOTES_MAX:
        local.setdefault("notes", []).append(
            _("Use at most %(max)d characters (it has %(n)d).")
            % {"max": NOTES_MAX, "n": len(data.notes)}
        )
    out["notes"] = data.notes or ""
    if not any(
        out[k] for k in ("acts", "means", "exploitation_types", "methods_of_control", "indicators")
    ):
        # An empty screening would record "not indicated" and could downgrade a case.
        local.setdefault("__all__", []).append(
            _(
                "Tick what the screening found: at least one act, means, type of "
                "exploitation, method of control or indicator."
            )
        )
    for name, messages in local.items():
        key = "screening" if name == "__all__" else f"screening.{name}"
        errors.setdefault(key, []).extend(messages)
    return out


def _clean_reason(data: CaseInput, errors: dict[str, list[str]]) -> str:
    reason = (data.reason or "").strip()
    if len(reason) > REASON_MAX:
        errors.setdefault("reason", []).append(
            _("Use at most %(max)d characters (it has %(n)d).")
            % {"max": REASON_MAX, "n": len(reason)}
        )
    return reason


def _screening_result_of(values: dict[str, Any]) -> str:
    return screening_decide(
        acts=values["acts"],
        means=values["means"],
        exploitation_types=values["exploitation_types"],
        age_at_act=values["age_at_act"],
    ).result


def _confirm_result_change(
    *, case: Case, values: dict[str, Any], data: CaseInput, reason: str
) -> str:
    """Return the reason for a changed screening result, or refuse an unconfirmed change.

    A new screening that turns "possible victim" into "not indicated" (or back) changes
    what the organisation believes about the child: the person must say so and why.
    """
    before = case.screening_result
    after = _screening_result_of(values)
    if before in (ScreeningResult.NOT_SCREENED, after):
        return ""
    if data.confirm_result_change and reason:
        return reason
    raise ConfirmationRequired(
        code="result_change_unconfirmed",
        message=_(
            "This screening changes the result from “%(before)s” to “%(after)s”. "
            "Confirm the change and give the reason."
        )
        % {
            "before": ScreeningResult(before).label,
            "after": ScreeningResult(after).label,
        },
        previous_result=before,
        new_result=after,
    )


def _clean_case(
    data: CaseInput, *, actor: User, creating: bool, errors: dict[str, list[str]]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if data.intake_source is not None or creating:
        if data.intake_source not in IntakeSource.values:
            errors.setdefault("intake_source", []).append(_("Choose one of the listed values."))
        out["intake_source"] = data.intake_source
    if data.intake_date is not None:
        if data.intake_date > timezone.localdate():
            errors.setdefault("intake_date", []).append(
                _("The intake date cannot be in the future.")
            )
        out["intake_date"] = data.intake_date
    if data.status is not None:
        if data.status not in CaseStatus.values:
            errors.setdefault("status", []).append(_("Choose one of the listed values."))
        out["status"] = data.status
    if data.risk_level is not None:
        if data.risk_level not in RiskLevel.values:
            errors.setdefault("risk_level", []).append(_("Choose one of the listed values."))
        out["risk_level"] = data.risk_level
    if data.assigned_to_id is not None:
        assignee = users_assignable_by(actor).filter(pk=data.assigned_to_id).first()
        if assignee is None:
            errors.setdefault("assigned_to", []).append(_("Choose a case worker you may assign."))
        out["assigned_to"] = assignee
    elif creating:
        out["assigned_to"] = actor
    if data.formal_identification_by is not None:
        if len(data.formal_identification_by) > 200:
            errors.setdefault("formal_identification_by", []).append(
                _("Use at most %(max)d characters (it has %(n)d).")
                % {"max": 200, "n": len(data.formal_identification_by)}
            )
        out["formal_identification_by"] = data.formal_identification_by.strip()
    if data.formal_identification_date is not None:
        if data.formal_identification_date > timezone.localdate():
            errors.setdefault("formal_identification_date", []).append(
                _("This date cannot be in the future.")
            )
        out["formal_identification_date"] = data.formal_identification_date
    if data.clear_formal_identification:
        out.update(formal_identification_date=None, formal_identification_by="")
    return out


def _next_number(organisation_id: int, year: int) -> str:
    prefix = f"{year}-"
    # Longest first, then highest: "2026-100000" comes after "2026-99999".
    last = (
        Case.objects.filter(organisation_id=organisation_id, number__startswith=prefix)
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def _write_screening(
    *, actor: User, case: Case, values: dict[str, Any], now: Any, change_reason: str = ""
) -> Screening:
    outcome = screening_decide(
        acts=values["acts"],
        means=values["means"],
        exploitation_types=values["exploitation_types"],
        age_at_act=values["age_at_act"],
    )
    screening = Screening(
        case=case,
        result=outcome.result,
        treated_as_child=outcome.treated_as_child,
        screened_by=actor,
        screened_at=now,
        change_reason=change_reason,
        **values,
    )
    screening.full_clean(exclude=["case", "screened_by"])
    screening.save()
    case.screening_result = outcome.result
    CaseExploitation.objects.filter(case=case).delete()
    CaseExploitation.objects.bulk_create(
        [CaseExploitation(case=case, type=t) for t in values["exploitation_types"]]
    )
    given = [k for k, v in values.items() if v not in (None, "", [])]
    events.record_created(
        actor=actor, obj=screening, fields=given + (["change_reason"] if change_reason else [])
    )
    return screening


def case_open(*, actor: User, child: Child, data: CaseInput) -> Case:
    """Open a case for a child the actor holds (from the child chokepoint), with an
    optional first screening; write nothing when any value is wrong."""
    if not actor.has_role_perm(Perm.CASE_ADD):
        raise PermissionDenied
    for attempt in range(3):
        try:
            return _case_open(actor=actor, child=child, data=data)
        except IntegrityError:
            # Two cases took the same number at once: take the next one.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _case_open(*, actor: User, child: Child, data: CaseInput) -> Case:
    errors: dict[str, list[str]] = {}
    values = _clean_case(data, actor=actor, creating=True, errors=errors)
    screening_values = (
        _clean_screening(data.screening, child=child, errors=errors) if data.screening else None
    )
    reason = _clean_reason(data, errors)
    if errors:
        raise ValidationError(errors)
    if not reason:
        _refuse_second_open_case(actor=actor, child=child)
    now = timezone.now()
    # Roles that may open a case belong to an organisation.
    organisation_id = cast(int, actor.organisation_id)
    case = Case(
        child=child,
        organisation_id=organisation_id,
        opened_by=actor,
        opened_at=now,
        number=_next_number(organisation_id, timezone.localdate().year),
        opening_reason=reason,
        **values,
    )
    case.full_clean(exclude=["child", "organisation", "opened_by", "assigned_to"])
    with transaction.atomic():  # a savepoint, so a number collision can be retried
        case.save()
    given = [k for k, v in values.items() if v not in (None, "")]
    events.record_created(
        actor=actor, obj=case, fields=given + (["opening_reason"] if reason else [])
    )
    _assignment_grant_give(actor=actor, case=case)
    if screening_values is not None:
        _write_screening(actor=actor, case=case, values=screening_values, now=now)
        case.save(update_fields=["screening_result", "updated_at"])
    return case


def _refuse_second_open_case(*, actor: User, child: Child) -> None:
    """Refuse to open a second case for a child who has an open one, unless a reason is given.

    The open case is named only when the actor may see it; otherwise the actor learns
    only that one exists (they already see the child).
    """
    open_cases = Case.objects.filter(child=child).exclude(status=CaseStatus.CLOSED)
    if not open_cases.exists():
        return
    visible = cases_visible_to(actor).filter(pk__in=open_cases.values("pk")).first()
    details: dict[str, Any] = {}
    if visible is not None:
        details = {"open_case": str(visible.pk), "open_case_number": visible.number}
        message = _(
            "This child already has an open case (%(number)s). Open another one only with a reason."
        ) % {"number": visible.number}
    else:
        message = _(
            "This child already has an open case in another team or organisation. Open "
            "another one only with a reason, or ask your supervisor."
        )
    raise ConfirmationRequired(code="open_case_exists", message=message, **details)


def _assignment_grant_give(*, actor: User, case: Case) -> None:
    """Let the case worker (and so their team) see the child of their case."""
    grant_give(
        actor=actor,
        child_id=case.child_id,
        case_id=case.pk,
        holder_user=case.assigned_to,
        reason=GrantReason.CASE_ASSIGNMENT,
    )


def _case_snapshot(case: Case) -> dict[str, Any]:
    return {
        "intake_source": case.intake_source,
        "intake_date": case.intake_date,
        "assigned_to": case.assigned_to_id,
        "status": case.status,
        "risk_level": case.risk_level,
        "formal_identification_date": case.formal_identification_date,
        "formal_identification_by": case.formal_identification_by,
        "screening_result": case.screening_result,
    }


@transaction.atomic
def case_update(*, actor: User, case: Case, data: CaseInput) -> Case:
    """Change a case the actor holds (from the case chokepoint), and optionally record
    a new screening."""
    if not actor.has_role_perm(Perm.CASE_CHANGE):
        raise PermissionDenied
    case = Case.objects.select_for_update().select_related("child").get(pk=case.pk)
    before = _case_snapshot(case)
    errors: dict[str, list[str]] = {}
    values = _clean_case(data, actor=actor, creating=False, errors=errors)
    screening_values = (
        _clean_screening(data.screening, child=case.child, errors=errors)
        if data.screening
        else None
    )
    reason = _clean_reason(data, errors)
    if errors:
        raise ValidationError(errors)
    change_reason = (
        _confirm_result_change(case=case, values=screening_values, data=data, reason=reason)
        if screening_values is not None
        else ""
    )
    for name, value in values.items():
        setattr(case, name, value)
    if "status" in values:
        case.closed_at = timezone.now() if case.status == CaseStatus.CLOSED else None
    if screening_values is not None:
        _write_screening(
            actor=actor,
            case=case,
            values=screening_values,
            now=timezone.now(),
            change_reason=change_reason,
        )
    case.full_clean(exclude=["child", "organisation", "opened_by", "assigned_to"])
    case.save()
    events.record_updated(
        actor=actor, obj=case, changes=events.field_changes(Case, before, _case_snapshot(case))
    )
    if case.assigned_to_id != before["assigned_to"]:
        grants_end(
            actor=actor,
            case_id=case.pk,
            grant_reason=GrantReason.CASE_ASSIGNMENT,
            reason="reassigned",
        )
        _assignment_grant_give(actor=actor, case=case)
    return case


def screening_record(
    *,
    actor: User,
    case: Case,
    data: ScreeningInput,
    confirm_result_change: bool = False,
    reason: str = "",
) -> Case:
    """Record a new screening of a case the actor holds.

    A screening that finds nothing is refused; one that changes the case's result needs
    ``confirm_result_change`` and a ``reason`` (else :class:`ConfirmationRequired`).
    """
    return case_update(
        actor=actor,
        case=case,
        data=CaseInput(screening=data, confirm_result_change=confirm_result_change, reason=reason),
    )
