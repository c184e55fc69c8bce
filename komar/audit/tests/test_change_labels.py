"""The change history shows what the forms show: labels, not stored codes."""

import pytest
from django.utils import translation

from komar.audit.models import AuditAction, AuditEvent


def _event(object_type: str, changes: dict[str, object]) -> AuditEvent:
    return AuditEvent(action=AuditAction.UPDATE, object_type=object_type, changes=changes)


def _rows(event: AuditEvent) -> dict[object, tuple[object, object]]:
    return {row["label"]: (row.get("old"), row.get("new")) for row in event.change_rows()}


@pytest.mark.django_db
def test_case_codes_dates_and_booleans_are_shown_as_labels_in_khmer() -> None:
    event = _event(
        "cases.case",
        {
            "screening_result": {"old": "possible_victim", "new": "not_indicated"},
            "status": {"old": "intake", "new": "pre_reintegration"},
            "risk_level": {"old": "high", "new": "medium"},
            "intake_date": {"old": None, "new": "2026-10-26"},
        },
    )
    with translation.override("km"):
        rows = event.change_rows()
        text = repr(rows)
    assert "possible_victim" not in text
    assert "pre_reintegration" not in text
    assert "2026-10-26" not in text
    by_name = {str(row["label"]): (row["old"], row["new"]) for row in rows}
    with translation.override("km"):
        from komar.cases.models import Case

        def label(name: str) -> str:
            return str(Case._meta.get_field(name).verbose_name)

        assert by_name[label("screening_result")] == (
            "អាចជាជនរងគ្រោះនៃការជួញដូរមនុស្ស",
            "មិនមានសញ្ញានៃការជួញដូរមនុស្ស",
        )
        assert by_name["ដំណាក់កាល"][1] == "មុនសមាហរណកម្ម"  # "Stage", as on the form
        assert by_name[label("intake_date")] == ("–", "26 តុលា 2026")


@pytest.mark.django_db
def test_the_same_event_reads_in_english_for_an_english_user() -> None:
    event = _event(
        "cases.case", {"screening_result": {"old": "possible_victim", "new": "not_indicated"}}
    )
    with translation.override("en"):
        rows = event.change_rows()
    assert (rows[0]["old"], rows[0]["new"]) == (
        "Possible victim of trafficking",
        "Trafficking not indicated",
    )


@pytest.mark.django_db
def test_booleans_are_yes_and_no_in_the_users_language() -> None:
    event = _event("children.child", {"consent_disclosure": {"old": False, "new": True}})
    with translation.override("km"):
        row = event.change_rows()[0]
    assert (row["old"], row["new"]) == ("មិនមែន", "មែន")
    with translation.override("en"):
        row = event.change_rows()[0]
    assert (row["old"], row["new"]) == ("no", "yes")


@pytest.mark.django_db
def test_list_filters_show_labels_too() -> None:
    event = AuditEvent(
        action=AuditAction.LISTED,
        object_type="cases.case",
        changes={"filters": {"status": "intake"}, "count": 3},
    )
    from komar.cases.models import CaseStatus

    with translation.override("km"):
        texts = [row["text"] for row in event.change_rows()]
        expected = f"ដំណាក់កាល = {CaseStatus.INTAKE.label}"
    assert texts[0] == expected
    assert "intake" not in str(texts[0])


@pytest.mark.django_db
def test_unknown_codes_and_free_values_are_shown_as_stored() -> None:
    event = _event("cases.case", {"screening_result": {"old": "retired_code", "new": "7"}})
    with translation.override("en"):
        row = event.change_rows()[0]
    assert (row["old"], row["new"]) == ("retired_code", "7")


@pytest.mark.django_db
def test_consent_kinds_and_grant_reasons_are_labels() -> None:
    consent = AuditEvent(
        action=AuditAction.CONSENT_GIVEN,
        object_type="children.child",
        changes={"consent": "disclosure"},
    )
    given = AuditEvent(
        action=AuditAction.GRANT_GIVEN,
        object_type="access.grant",
        changes={"reason": "case_assignment"},
    )
    ended = AuditEvent(
        action=AuditAction.GRANT_ENDED, object_type="access.grant", changes={"reason": "reassigned"}
    )
    with translation.override("en"):
        assert consent.change_rows()[0]["text"] == "Consent to disclosure to other organisations"
        assert given.change_rows()[0]["text"] == "Case worker of a case of the child"
        assert ended.change_rows()[0]["text"] == "case reassigned"
    with translation.override("km"):
        assert ended.change_rows()[0]["text"] == "ករណីត្រូវបានប្រគល់ឱ្យបុគ្គលិកម្នាក់ទៀត"
