import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from komar.core.countries import COUNTRIES
from komar.core.crypto import (
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
    random_row_id,
)


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class DobPrecision(models.TextChoices):
    EXACT = "exact", _("Exact date")
    YEAR = "year", _("Year only")
    AGE = "age", _("Estimated from age at intake")
    UNKNOWN = "unknown", _("Unknown")


class ConsentKind(models.TextChoices):
    SERVICES = "services", _("Consent to services")
    DISCLOSURE = "disclosure", _("Consent to disclosure to other organisations")
    DATA_SHARING = "data_sharing", _("Consent to anonymised data sharing")
    TRACING = "tracing", _("Consent to family tracing")


class Child(models.Model):
    """A child the organisation serves: identity, birth, home village, consents.

    Names, aliases, the exact date of birth and other systems' identifiers are
    encrypted at rest. The birth year, sex, nationality and village stay in clear for
    counting, narrowing searches and need-to-know checks.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="children"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    name_km = EncryptedTextField(_("name in Khmer script"), blank=True, default="")
    family_name = EncryptedTextField(_("family name (Latin)"), blank=True, default="")
    given_name = EncryptedTextField(_("given name (Latin)"), blank=True, default="")
    aliases = EncryptedJSONField(_("aliases"), blank=True, default=list)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    dob_precision = models.CharField(
        _("date of birth is"),
        max_length=8,
        choices=DobPrecision.choices,
        default=DobPrecision.UNKNOWN,
    )
    nationality = models.CharField(
        _("nationality"), max_length=2, default="KH", help_text=_("ISO 3166-1 alpha-2 country code")
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    village = models.ForeignKey(
        "geo.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current village"),
    )
    ministry_case_number = EncryptedTextField(_("ministry case number"), blank=True, default="")
    external_id = EncryptedTextField(_("external id"), blank=True, default="")

    consent_services = models.BooleanField(_("consent to services"), default=False)
    consent_disclosure = models.BooleanField(_("consent to disclosure"), default=False)
    consent_data_sharing = models.BooleanField(_("consent to data sharing"), default=False)
    consent_tracing = models.BooleanField(_("consent to family tracing"), default=False)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        indexes = [
            models.Index(fields=["organisation", "registered_at"], name="child_org_reg_idx"),
            models.Index(fields=["birth_year", "sex"], name="child_year_sex_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(sex__in=Sex.values), name="child_sex_valid"),
            models.CheckConstraint(
                condition=models.Q(dob_precision__in=DobPrecision.values),
                name="child_dob_precision_valid",
            ),
        ]

    def __str__(self) -> str:
        # Never a name: this string can reach logs and error pages.
        return f"child {self.pk}"

    @property
    def display_name(self) -> str:
        latin = " ".join(p for p in (self.family_name, self.given_name) if p)
        if self.name_km and latin:
            return f"{self.name_km} ({latin})"
        return self.name_km or latin

    def age_on(self, day: datetime.date) -> int | None:
        """Return the child's age in whole years on a day, if the birth is known."""
        if self.date_of_birth:
            dob = self.date_of_birth
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        if self.birth_year:
            return day.year - self.birth_year
        return None

    @property
    def age_is_estimated(self) -> bool:
        """Return True when the age comes from a year or an estimate, not a date."""
        return self.dob_precision != DobPrecision.EXACT

    def age_label_on(self, day: datetime.date) -> str:
        """Return the child's age as a page shows it: "14 years", "about 14 years".

        From the exact date it is exact; from the year of birth, or a year estimated
        from the age at intake, it may be a year off, so it says "about".
        """
        age = self.age_on(day)
        if age is None:
            return ""
        label: str
        if age < 1:
            label = str(_("under 1 year"))
        else:
            label = ngettext("%(age)d year", "%(age)d years", age) % {"age": age}
        if self.age_is_estimated:
            return _("about %(age)s") % {"age": label}
        return str(label)

    @property
    def age_label(self) -> str:
        """Return the child's age today, in the page's language ("" when unknown)."""
        return self.age_label_on(timezone.localdate())

    @property
    def nationality_label(self) -> str:
        return str(COUNTRIES.get(self.nationality, self.nationality))

    def consent(self, kind: str) -> bool:
        return bool(getattr(self, f"consent_{kind}"))


class Guardian(models.Model):
    """A parent, guardian or other contact of a child. Every detail is identifying."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        GRANDPARENT = "grandparent", _("Grandparent")
        SIBLING = "sibling", _("Sibling")
        AUNT_UNCLE = "aunt_uncle", _("Aunt or uncle")
        FOSTER = "foster", _("Foster carer")
        LEGAL_GUARDIAN = "legal_guardian", _("Legal guardian")
        OTHER = "other", _("Other contact")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardians")
    name = EncryptedTextField(_("name"))
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    phone = EncryptedTextField(_("phone"), blank=True, default="")
    is_primary_contact = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("guardian or contact")
        verbose_name_plural = _("guardians and contacts")

    def __str__(self) -> str:
        return f"guardian {self.pk}"


class ConsentRecord(models.Model):
    """One consent given or withdrawn, with when and who recorded it; history is kept."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="consent_records")
    kind = models.CharField(_("consent"), max_length=16, choices=ConsentKind.choices)
    granted = models.BooleanField(_("granted"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent record")
        indexes = [
            models.Index(fields=["child", "kind", "recorded_at"], name="consent_child_kind_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {'granted' if self.granted else 'withdrawn'}"


class NameSpelling(models.Model):
    """A distinct search key of a name word ("l:sok", "k:សុខ"): the search vocabulary.

    It holds spellings, not people: no row says whose name it is, and rows are not
    added when a child is registered. The vocabulary starts from a public list of
    common names and grows in shuffled batches that mix the new spellings of several
    registrations with decoys (``komar.children.name_index``), under random ids, so
    neither the order nor the ids of its rows tell which child brought a spelling.
    Children are found from it through :class:`ChildNameKey`, whose keyed digests cannot
    be computed from a spelling without the index key.
    """

    id = models.BigIntegerField(primary_key=True, default=random_row_id, editable=False)
    key = models.CharField(max_length=100, unique=True)
    script = models.CharField(max_length=1)  # "k" Khmer, "l" Latin
    body = models.CharField(max_length=100, db_index=True)  # the key without its prefix
    folded = models.CharField(max_length=100, db_index=True, default="")  # vowel-blind body

    class Meta:
        verbose_name = _("name spelling")

    def __str__(self) -> str:
        return self.key


class ChildNameKey(models.Model):
    """The keyed digest of one name word of one child (see :class:`NameSpelling`).

    ``key_id`` names the index key that made the digest, so the index can be rebuilt
    under a new key while rows under the previous one still answer searches. Ids are
    random and a child's rows are written in random order.
    """

    id = models.BigIntegerField(primary_key=True, default=random_row_id, editable=False)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=32)
    key_id = models.CharField(max_length=8, default="")

    class Meta:
        indexes = [models.Index(fields=["digest", "child"], name="childnamekey_digest_idx")]
        constraints = [
            models.UniqueConstraint(fields=["child", "digest"], name="childnamekey_unique")
        ]

    def __str__(self) -> str:
        return self.digest


class PendingNameSpelling(models.Model):
    """A spelling waiting to join the vocabulary, encrypted.

    Registering a child never adds to the vocabulary: its new spellings wait here,
    encrypted and tagged only with a random ``group`` per registration (never the
    child), until enough registrations have gathered to add them in one shuffled batch
    with decoys.
    """

    id = models.BigIntegerField(primary_key=True, default=random_row_id, editable=False)
    key = EncryptedTextField()
    group = models.CharField(max_length=16)

    class Meta:
        verbose_name = _("pending name spelling")

    def __str__(self) -> str:
        return f"pending spelling {self.pk}"
