"""Cambodia's administrative units (NCDD gazetteer) and the everyday names for them.

Four levels: province (khaet, or the capital) → district (srok, krong, khan) → commune
(khum, sangkat) → village (phum). Codes are zero-padded strings and the primary keys;
every child's code starts with its parent's code. Names are not unique, so records in
other apps point at a code, never at a name.
"""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The four levels of the gazetteer, highest first."""

    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    VILLAGE = "village", _("Village")


# Code length of each level: 01 → 0102 → 010201 → 01020101.
CODE_LENGTHS: dict[str, int] = {
    Level.PROVINCE: 2,
    Level.DISTRICT: 4,
    Level.COMMUNE: 6,
    Level.VILLAGE: 8,
}
LEVEL_BY_CODE_LENGTH: dict[int, str] = {length: level for level, length in CODE_LENGTHS.items()}


class ProvinceType(models.TextChoices):
    """Kinds of first-level unit."""

    KHAET = "khaet", _("Khaet (province)")
    REACH_THEANI = "reach_theani", _("Reach Theani (capital)")


class DistrictType(models.TextChoices):
    """Kinds of second-level unit."""

    SROK = "srok", _("Srok (district)")
    KRONG = "krong", _("Krong (municipality)")
    KHAN = "khan", _("Khan (section of the capital)")


class CommuneType(models.TextChoices):
    """Kinds of third-level unit."""

    KHUM = "khum", _("Khum (commune)")
    SANGKAT = "sangkat", _("Sangkat (urban commune)")


class UnitQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> "UnitQuerySet":
        """Return the units valid on the given day (today by default)."""
        day = on or timezone.localdate()
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )


class AdministrativeUnit(models.Model):
    """Fields shared by the four levels: names, search keys and validity.

    ``search_key_km`` and ``search_key_latin`` are computed by the loader from the names
    with the shared Khmer helpers, so a search compares keys without recomputing them.
    ``valid_from``/``valid_to`` bound the days the unit existed (both inclusive, empty
    when unknown): units are created and merged over time, and a record keeps the code
    that was valid when its event happened.
    """

    level: str = ""

    name_km = models.CharField(_("name in Khmer"), max_length=100)
    name_latin = models.CharField(_("name in Latin script"), max_length=100, blank=True)
    search_key_km = models.CharField(max_length=100, db_index=True, editable=False)
    search_key_latin = models.CharField(max_length=100, db_index=True, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    if TYPE_CHECKING:
        # For the type checker only: every concrete level declares its own ``code``
        # (the primary key) and a ``parent`` property.
        code: str

        @property
        def parent(self) -> "AdministrativeUnit | None": ...

    class Meta:
        abstract = True
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="geo_%(class)s_valid_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """Return the name in both scripts, as pickers show it."""
        return f"{self.name_km} / {self.name_latin}" if self.name_latin else self.name_km

    def is_current(self, on: datetime.date | None = None) -> bool:
        """Return True when the unit is valid on the given day (today by default)."""
        day = on or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )


def _code_constraints(model: str, length: int, parent_field: str | None) -> list:
    constraints = [
        models.CheckConstraint(
            condition=Exact(Length("code"), length), name=f"geo_{model}_code_length"
        ),
        models.CheckConstraint(
            condition=models.Q(code__regex=r"^[0-9]+$"), name=f"geo_{model}_code_digits"
        ),
    ]
    if parent_field:
        constraints.append(
            models.CheckConstraint(
                condition=models.Q(code__startswith=models.F(parent_field)),
                name=f"geo_{model}_code_starts_with_parent",
            )
        )
    return constraints


class Province(AdministrativeUnit):
    """A province (khaet) or the capital, Phnom Penh (reach theani)."""

    level = Level.PROVINCE

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    unit_type = models.CharField(
        _("type"), max_length=16, choices=ProvinceType.choices, default=ProvinceType.KHAET
    )
    iso3166_2 = models.CharField(_("ISO 3166-2 code"), max_length=6, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=10, decimal_places=7, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=10, decimal_places=7, null=True, blank=True
    )

    class Meta(AdministrativeUnit.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            *AdministrativeUnit.Meta.constraints,
            *_code_constraints("province", 2, None),
        ]

    @property
    def parent(self) -> None:
        return None


class District(AdministrativeUnit):
    """A district: a rural srok, a municipality (krong) or a section of the capital (khan)."""

    level = Level.DISTRICT

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("province")
    )
    unit_type = models.CharField(_("type"), max_length=16, choices=DistrictType.choices)
    latitude = models.DecimalField(
        _("latitude"), max_digits=10, decimal_places=7, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=10, decimal_places=7, null=True, blank=True
    )

    class Meta(AdministrativeUnit.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            *AdministrativeUnit.Meta.constraints,
            *_code_constraints("district", 4, "province"),
        ]

    @property
    def parent(self) -> Province:
        return self.province


class Commune(AdministrativeUnit):
    """A commune: rural (khum) or urban (sangkat)."""

    level = Level.COMMUNE

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="communes", verbose_name=_("district")
    )
    unit_type = models.CharField(_("type"), max_length=16, choices=CommuneType.choices)
    latitude = models.DecimalField(
        _("latitude"), max_digits=10, decimal_places=7, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=10, decimal_places=7, null=True, blank=True
    )

    class Meta(AdministrativeUnit.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [
            *AdministrativeUnit.Meta.constraints,
            *_code_constraints("commune", 6, "district"),
        ]

    @property
    def parent(self) -> District:
        return self.district


class Village(AdministrativeUnit):
    """A village (phum), the unit a child's or an event's place is recorded at."""

    level = Level.VILLAGE

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="villages", verbose_name=_("commune")
    )

    class Meta(AdministrativeUnit.Meta):
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [
            *AdministrativeUnit.Meta.constraints,
            *_code_constraints("village", 8, "commune"),
        ]

    @property
    def parent(self) -> Commune:
        return self.commune


UNIT_MODELS: dict[str, type[AdministrativeUnit]] = {
    Level.PROVINCE: Province,
    Level.DISTRICT: District,
    Level.COMMUNE: Commune,
    Level.VILLAGE: Village,
}


class PlaceAlias(models.Model):
    """An everyday or former name for an administrative unit.

    The official romanisation differs from what people write (Paoy Paet / Poipet,
    Kaoh Kong / Koh Kong), and places have older names (Kampong Som); search matches an
    alias as it matches the unit's own name. Maintained in the admin; the loader seeds
    the common ones into an empty table.
    """

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("unit code"),
        max_length=8,
        db_index=True,
        help_text=_("Code of the province (2 digits), district (4), commune (6) or village (8)."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    search_key_km = models.CharField(max_length=100, db_index=True, editable=False)
    search_key_latin = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        ordering = ["name", "code"]
        verbose_name = _("place alias")
        verbose_name_plural = _("place aliases")
        constraints = [
            models.UniqueConstraint(fields=["name", "code"], name="geo_placealias_unique"),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^([0-9]{2}){1,4}$"),
                name="geo_placealias_code_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.code}"

    @property
    def level(self) -> str | None:
        """Return the level of the unit the alias names, from its code's length."""
        return LEVEL_BY_CODE_LENGTH.get(len(self.code))

    def clean(self) -> None:
        level = self.level
        if level is None or not self.code.isascii() or not self.code.isdigit():
            raise ValidationError(
                {"code": _("Enter a code of 2, 4, 6 or 8 digits.")}, code="invalid_code"
            )
        if not UNIT_MODELS[level].objects.filter(code=self.code).exists():  # type: ignore[misc]  # code is declared on each concrete level
            raise ValidationError({"code": _("No unit has this code.")}, code="unknown_code")
