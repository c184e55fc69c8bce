import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
from komar.core.crypto import EncryptedTextField
from komar.geo.selectors import place_name_of


class Case(models.Model):
    """A case opened by an organisation for a child: from intake to closure.

    The owning organisation keeps the case (a referral does not move it); the assigned
    worker's team and organisation decide who else may see it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("case number"), max_length=20)
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="cases")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="cases"
    )
    intake_source = models.CharField(
        _("intake source"), max_length=20, choices=IntakeSource.choices
    )
    intake_date = models.DateField(_("intake date"), default=timezone.localdate)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        verbose_name=_("case worker"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.INTAKE
    )
    risk_level = models.CharField(
        _("risk level"), max_length=16, choices=RiskLevel.choices, default=RiskLevel.NOT_ASSESSED
    )
    screening_result = models.CharField(
        _("screening result"),
        max_length=20,
        choices=ScreeningResult.choices,
        default=ScreeningResult.NOT_SCREENED,
    )
    formal_identification_date = models.DateField(
        _("formally identified on"), null=True, blank=True
    )
    formal_identification_by = models.CharField(
        _("formally identified by"),
        max_length=200,
        blank=True,
        help_text=_("The Ministry of Interior official or office that identified the victim."),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Why a second case was opened while the child had an open one (encrypted: free text).
    opening_reason = EncryptedTextField(_("why another case was opened"), blank=True, default="")
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="case_number_unique_in_org"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CaseStatus.values), name="case_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(risk_level__in=RiskLevel.values), name="case_risk_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(intake_source__in=IntakeSource.values),
                name="case_intake_source_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "status", "opened_at"], name="case_org_status_idx"
            ),
            models.Index(fields=["assigned_to", "status"], name="case_assigned_status_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"case_id": self.pk})


class CaseExploitation(models.Model):
    """A type of exploitation found by the case's latest screening (for filtering)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exploitations")
    type = models.CharField(max_length=40, choices=ExploitationType.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "type"], name="case_exploitation_unique")
        ]
        indexes = [models.Index(fields=["type", "case"], name="case_exploitation_type_idx")]

    def __str__(self) -> str:
        return self.type


class Screening(models.Model):
    """One screening of a case against the trafficking definition; history is kept."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="screenings")
    acts = models.JSONField(_("acts"), default=list, blank=True)
    means = models.JSONField(_("means"), default=list, blank=True)
    exploitation_types = models.JSONField(_("types of exploitation"), default=list, blank=True)
    methods_of_control = models.JSONField(_("methods of control"), default=list, blank=True)
    indicators = models.JSONField(_("ILO indicators"), default=list, blank=True)
    recruitment_method = models.CharField(
        _("method of recruitment"), max_length=40, choices=RecruitmentMethod.choices, blank=True
    )
    # A place is known at any level of the gazetteer (a province, district, commune or
    # village code) or abroad (a country, and a region of it as people name it).
    recruitment_place_code = models.CharField(
        _("place of recruitment (code)"), max_length=8, blank=True, default=""
    )
    recruitment_place_level = models.CharField(
        _("place of recruitment (level)"), max_length=10, blank=True, default=""
    )
    recruitment_country = models.CharField(_("country of recruitment"), max_length=2, blank=True)
    recruitment_region = models.CharField(
        _("region of recruitment"), max_length=100, blank=True, default=""
    )
    exploitation_place_code = models.CharField(
        _("place of exploitation (code)"), max_length=8, blank=True, default=""
    )
    exploitation_place_level = models.CharField(
        _("place of exploitation (level)"), max_length=10, blank=True, default=""
    )
    exploitation_country = models.CharField(_("country of exploitation"), max_length=2, blank=True)
    exploitation_region = models.CharField(
        _("region of exploitation"), max_length=100, blank=True, default=""
    )
    age_at_act = models.PositiveSmallIntegerField(
        _("age at the time of the act"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(120)],
    )
    treated_as_child = models.BooleanField(default=True)
    result = models.CharField(_("result"), max_length=20, choices=ScreeningResult.choices)
    notes = EncryptedTextField(_("notes"), blank=True, default="")
    # Why the result differs from the screening before (encrypted: free text).
    change_reason = EncryptedTextField(_("why the result changed"), blank=True, default="")
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    screened_at = models.DateTimeField(_("screened"), default=timezone.now)

    class Meta:
        ordering = ["-screened_at", "-id"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    result__in=[ScreeningResult.POSSIBLE_VICTIM, ScreeningResult.NOT_INDICATED]
                ),
                name="screening_result_valid",
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{place}_place_code": "", f"{place}_place_level": ""})
                    | models.Q(
                        **{
                            f"{place}_place_code__regex": r"^([0-9]{2}){1,4}$",
                            f"{place}_place_level__in": [
                                "province",
                                "district",
                                "commune",
                                "village",
                            ],
                            f"{place}_country": "KH",
                        }
                    ),
                    name=f"screening_{place}_place_valid",
                )
                for place in ("recruitment", "exploitation")
            ),
        ]

    def __str__(self) -> str:
        return f"screening {self.pk}: {self.result}"

    def place(self, kind: str) -> "Any":
        """Return the place of recruitment or exploitation (``kind``) as a
        :class:`komar.geo.selectors.PlaceName`, a country with its region, or None."""
        return place_name_of(
            code=getattr(self, f"{kind}_place_code"),
            country=getattr(self, f"{kind}_country"),
            region=getattr(self, f"{kind}_region"),
        )

    @property
    def recruitment_place(self) -> "Any":
        """Return the place of recruitment, for display."""
        return self.place("recruitment")

    @property
    def exploitation_place(self) -> "Any":
        """Return the place of exploitation, for display."""
        return self.place("exploitation")

    def labelled_elements(self) -> list[tuple[str | Promise, list[str]]]:
        """Return each list of elements with its label and its values' labels, for display."""
        sets = [
            (_("Acts"), self.acts, Act),
            (_("Means"), self.means, Means),
            (_("Types of exploitation"), self.exploitation_types, ExploitationType),
            (_("Methods of control"), self.methods_of_control, MethodOfControl),
            (_("ILO indicators"), self.indicators, IloIndicator),
        ]
        return [
            (label, [str(choices(v).label) for v in values if v in choices.values])
            for label, values, choices in sets
        ]
