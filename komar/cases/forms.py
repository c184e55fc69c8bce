from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from komar.accounts.models import User
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
from komar.cases.selectors import WHOSE_MINE, WHOSE_TEAM, CaseFilters
from komar.cases.services import CaseInput, ScreeningInput
from komar.core.countries import COUNTRIES
from komar.core.forms import BootstrapFormMixin, DateField, IntegerField
from komar.geo.forms import PlaceField

BLANK: list[tuple[str, Any]] = [("", "—")]
COUNTRY_CHOICES = BLANK + list(COUNTRIES.items())


class ScreeningForm(BootstrapFormMixin, forms.Form):
    """The elements of the trafficking definition found in the child's story."""

    acts = forms.MultipleChoiceField(
        label=_("Act: what was done to the child"),
        choices=Act.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    means = forms.MultipleChoiceField(
        label=_("Means (not needed for a child)"),
        choices=Means.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    exploitation_types = forms.MultipleChoiceField(
        label=_("Purpose: type of exploitation"),
        choices=ExploitationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    methods_of_control = forms.MultipleChoiceField(
        label=_("Methods of control"),
        choices=MethodOfControl.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = forms.MultipleChoiceField(
        label=_("Forced-labour indicators (ILO)"),
        choices=IloIndicator.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recruitment_method = forms.ChoiceField(
        label=_("Method of recruitment"), choices=BLANK + RecruitmentMethod.choices, required=False
    )
    recruitment_place_code = PlaceField(label=_("Place of recruitment in Cambodia"), required=False)
    recruitment_country = forms.ChoiceField(
        label=_("or country of recruitment"), choices=COUNTRY_CHOICES, required=False
    )
    recruitment_region = forms.CharField(
        label=_("Province or region abroad (in Latin letters)"),
        required=False,
        max_length=100,
        help_text=_("For example Sa Kaeo, for a place in Thailand."),
    )
    exploitation_place_code = PlaceField(
        label=_("Place of exploitation in Cambodia"), required=False
    )
    exploitation_country = forms.ChoiceField(
        label=_("or country of exploitation"), choices=COUNTRY_CHOICES, required=False
    )
    exploitation_region = forms.CharField(
        label=_("Province or region abroad (in Latin letters)"),
        required=False,
        max_length=100,
        help_text=_("For example Sa Kaeo, for a place in Thailand."),
    )
    age_at_act = IntegerField(
        label=_("Age at the time of the act"),
        required=False,
        help_text=_("Leave empty if unknown: the person is then presumed a child."),
    )
    notes = forms.CharField(
        label=_("Screening notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    FOUND = ("acts", "means", "exploitation_types", "methods_of_control", "indicators")

    @classmethod
    def initial_from(cls, screening: Any) -> dict[str, Any]:
        """Return a new screening's starting values: what the last one found."""
        if screening is None:
            return {}
        return {
            **{name: getattr(screening, name) for name in cls.FOUND},
            "recruitment_method": screening.recruitment_method,
            **{
                f"{place}_{name}": getattr(screening, f"{place}_{name}")
                for place in ("recruitment", "exploitation")
                for name in ("place_code", "country", "region")
            },
            "age_at_act": screening.age_at_act,
        }

    def places(self) -> list[dict[str, Any]]:
        """Return the place of recruitment and of exploitation, each with its fields."""
        return [
            {
                "kind": kind,
                "legend": legend,
                "code": self[f"{kind}_place_code"],
                "country": self[f"{kind}_country"],
                "region": self[f"{kind}_region"],
            }
            for kind, legend in (
                ("recruitment", _("Place of recruitment")),
                ("exploitation", _("Place of exploitation")),
            )
        ]

    def found_nothing(self) -> bool:
        """Return True when no element of the definition was ticked."""
        return not any(self.cleaned_data.get(name) for name in self.FOUND)

    def to_input(self) -> ScreeningInput:
        d: dict[str, Any] = self.cleaned_data
        return ScreeningInput(
            acts=d["acts"],
            means=d["means"],
            exploitation_types=d["exploitation_types"],
            methods_of_control=d["methods_of_control"],
            indicators=d["indicators"],
            recruitment_method=d["recruitment_method"],
            recruitment_place_code=d["recruitment_place_code"] or "",
            recruitment_country=d["recruitment_country"],
            recruitment_region=d["recruitment_region"],
            exploitation_place_code=d["exploitation_place_code"] or "",
            exploitation_country=d["exploitation_country"],
            exploitation_region=d["exploitation_region"],
            age_at_act=d["age_at_act"],
            notes=d["notes"],
        )


class ConfirmForm(BootstrapFormMixin, forms.Form):
    """A change that needs the person's confirmation and reason (a changed screening
    result, a second open case)."""

    confirm = forms.BooleanField(label=_("I confirm this change"), required=False)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssigneeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} ({obj.get_role_display()})"


class CaseForm(BootstrapFormMixin, forms.Form):
    """Open a case, or change its status, risk, worker and formal identification."""

    intake_source = forms.ChoiceField(label=_("Intake source"), choices=IntakeSource.choices)
    intake_date = DateField(label=_("Intake date"), required=False)
    assigned_to = AssigneeChoiceField(
        label=_("Case worker"), queryset=User.objects.none(), required=False, empty_label="—"
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=RiskLevel.choices, initial=RiskLevel.NOT_ASSESSED
    )
    status = forms.ChoiceField(label=_("Stage"), choices=CaseStatus.choices, required=False)
    formal_identification_date = DateField(label=_("Formally identified on"), required=False)
    formal_identification_by = forms.CharField(
        label=_("Formally identified by (Ministry of Interior)"), required=False, max_length=400
    )

    def __init__(self, *args: Any, assignable: Any, opening: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = assignable  # type: ignore[attr-defined]  # a ModelChoiceField
        if opening:
            del self.fields["status"]
            del self.fields["formal_identification_date"]
            del self.fields["formal_identification_by"]

    def to_input(self, *, screening: ScreeningInput | None = None) -> CaseInput:
        d: dict[str, Any] = self.cleaned_data
        assignee = d.get("assigned_to")
        data = CaseInput(
            intake_source=d["intake_source"],
            intake_date=d.get("intake_date"),
            assigned_to_id=assignee.pk if assignee else None,
            risk_level=d["risk_level"],
            screening=screening,
        )
        if "status" in self.fields:
            data.status = d["status"] or None
            data.formal_identification_date = d["formal_identification_date"]
            data.formal_identification_by = d["formal_identification_by"]
            data.clear_formal_identification = (
                not d["formal_identification_date"] and not d["formal_identification_by"]
            )
        return data


# The orders of the case list, as the "Sort by" menu offers them (phones have no headers).
CASE_SORT_CHOICES = [
    ("", _("Newest opened first")),
    ("opened", _("Oldest opened first")),
    ("-updated", _("Recently updated first")),
    ("updated", _("Least recently updated first")),
    ("number", _("Case number")),
    ("-number", _("Case number, descending")),
    ("status", _("Stage")),
    ("-status", _("Stage, descending")),
    ("-risk", _("Risk, highest first")),
    ("risk", _("Risk, lowest first")),
    ("screening", _("Screening")),
    ("-screening", _("Screening, descending")),
    ("worker", _("Case worker")),
    ("-worker", _("Case worker, descending")),
]


class _FastSelect(forms.Select):
    """A select rendered in Python: the case list draws seven of them with about 80
    options on every load, and the template per option took a third of the page's time
    at 1,000,000 children (docs/PERFORMANCE.md). The same markup as Django's."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        options = []
        for _group, choices, _index in context["optgroups"]:
            for option in choices:
                options.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        option["value"] if option["value"] is not None else "",
                        mark_safe(" selected") if option["selected"] else "",  # noqa: S308 (a constant)
                        option["label"],
                    )
                )
        return format_html(
            '<select name="{}"{}>{}</select>',
            context["name"],
            flatatt(context["attrs"]),
            mark_safe("".join(options)),  # noqa: S308 (each option escaped by format_html)
        )


class CaseFilterForm(BootstrapFormMixin, forms.Form):
    """The filters of the case list; every field optional."""

    q = forms.CharField(label=_("Child's name (Khmer or Latin)"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Stage"), choices=BLANK + CaseStatus.choices, required=False)
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=BLANK + RiskLevel.choices, required=False
    )
    screening_result = forms.ChoiceField(
        label=_("Screening"), choices=BLANK + ScreeningResult.choices, required=False
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    exploitation_type = forms.ChoiceField(
        label=_("Type of exploitation"), choices=BLANK + ExploitationType.choices, required=False
    )
    assigned_to = AssigneeChoiceField(
        label=_("Case worker"), queryset=User.objects.none(), required=False, empty_label="—"
    )
    whose = forms.ChoiceField(
        label=_("Whose cases"),
        choices=[
            ("", _("All I may see")),
            (WHOSE_MINE, _("Mine")),
            (WHOSE_TEAM, _("My team's")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    opened_from = DateField(label=_("Opened from"), required=False, help_text="")
    opened_to = DateField(label=_("Opened until"), required=False, help_text="")
    updated_from = DateField(label=_("Updated from"), required=False, help_text="")
    updated_to = DateField(label=_("Updated until"), required=False, help_text="")
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=CASE_SORT_CHOICES)

    def __init__(
        self, *args: Any, provinces: list[tuple[str, str]], workers: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                old = field.widget
                field.widget = _FastSelect(attrs=old.attrs, choices=old.choices)
                field.widget.is_required = old.is_required
        self.fields["province"].choices = BLANK + provinces  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["assigned_to"].queryset = workers  # type: ignore[attr-defined]  # a ModelChoiceField

    def to_filters(self) -> CaseFilters:
        """Return the filters the user gave; a field in error (shown) is left out."""
        if not self.is_bound:
            return CaseFilters()
        self.is_valid()
        d = self.cleaned_data
        worker = d.get("assigned_to")
        return CaseFilters(
            q=d.get("q") or "",
            status=d.get("status") or "",
            risk_level=d.get("risk_level") or "",
            province=d.get("province") or "",
            exploitation_type=d.get("exploitation_type") or "",
            screening_result=d.get("screening_result") or "",
            assigned_to=worker.pk if worker else None,
            opened_from=d.get("opened_from"),
            opened_to=d.get("opened_to"),
            updated_from=d.get("updated_from"),
            updated_to=d.get("updated_to"),
            whose=d.get("whose") or "",
            sort=d.get("sort") or "",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for start, end in (("opened_from", "opened_to"), ("updated_from", "updated_to")):
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, _("The end of the range is before its start."))
        return data
