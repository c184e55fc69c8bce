from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from komar.children.models import ConsentKind, DobPrecision, Guardian, Sex
from komar.children.services import GUARDIANS_MAX, NAME_MAX, ChildInput, GuardianInput
from komar.core.countries import LANGUAGES, country_choices
from komar.core.forms import BootstrapFormMixin, DateField, IntegerField
from komar.geo.forms import VillageField

CONSENT_FIELDS = {kind: f"consent_{kind}" for kind in ConsentKind.values}


class ChildForm(BootstrapFormMixin, forms.Form):
    """Register or change a child. The service checks the rules; this parses input."""

    name_km = forms.CharField(
        label=_("Name in Khmer script"), required=False, max_length=NAME_MAX * 2
    )
    family_name = forms.CharField(
        label=_("Family name (Latin letters)"), required=False, max_length=NAME_MAX * 2
    )
    given_name = forms.CharField(
        label=_("Given name (Latin letters)"), required=False, max_length=NAME_MAX * 2
    )
    aliases = forms.CharField(
        label=_("Aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: nicknames and other spellings."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    date_of_birth = DateField(label=_("Date of birth"), required=False)
    birth_year = IntegerField(label=_("or year of birth"), required=False)
    age_at_intake = IntegerField(label=_("or age now (estimated)"), required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), choices=country_choices, initial="KH")
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=list(LANGUAGES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=["km"],
    )
    village_code = VillageField(label=_("Current village"), required=False)
    ministry_case_number = forms.CharField(
        label=_("Ministry case number"), required=False, max_length=200
    )
    external_id = forms.CharField(
        label=_("External id (Primero, OSCaR...)"), required=False, max_length=200
    )
    consent_services = forms.BooleanField(label=_("Consents to services"), required=False)
    consent_disclosure = forms.BooleanField(
        label=_("Consents to disclosure to other organisations"), required=False
    )
    consent_data_sharing = forms.BooleanField(
        label=_("Consents to anonymised data sharing"), required=False
    )
    consent_tracing = forms.BooleanField(label=_("Consents to family tracing"), required=False)

    def to_input(self, *, guardians: list[GuardianInput] | None) -> ChildInput:
        d: dict[str, Any] = self.cleaned_data
        return ChildInput(
            name_km=d["name_km"],
            family_name=d["family_name"],
            given_name=d["given_name"],
            aliases=[a.strip() for a in d["aliases"].splitlines() if a.strip()],
            sex=d["sex"],
            date_of_birth=d["date_of_birth"],
            birth_year=d["birth_year"],
            age_at_intake=d["age_at_intake"],
            nationality=d["nationality"],
            languages=d["languages"],
            village_code=d["village_code"] or "",
            ministry_case_number=d["ministry_case_number"],
            external_id=d["external_id"],
            consents={kind: d[name] for kind, name in CONSENT_FIELDS.items()},
            guardians=guardians,
        )

    @classmethod
    def initial_from(cls, child: Any) -> dict[str, Any]:
        initial = {
            name: getattr(child, name)
            for name in (
                "name_km",
                "family_name",
                "given_name",
                "sex",
                "nationality",
                "languages",
                "ministry_case_number",
                "external_id",
            )
        }
        initial["aliases"] = "\n".join(child.aliases or [])
        initial["village_code"] = child.village_id or ""
        if child.dob_precision == DobPrecision.EXACT:
            initial["date_of_birth"] = child.date_of_birth
        elif child.birth_year:
            initial["birth_year"] = child.birth_year
        for kind, name in CONSENT_FIELDS.items():
            initial[name] = child.consent(kind)
        return initial


class GuardianForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=NAME_MAX * 2)
    relationship = forms.ChoiceField(
        label=_("Relationship"), choices=[("", "—"), *Guardian.Relationship.choices], required=False
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    is_primary_contact = forms.BooleanField(label=_("Primary contact"), required=False)


# As many people as the family has, up to the service's limit; "add another" adds rows
# (komar/core/static/komar/formsets.js), and a form with more rows than allowed is
# refused with a message rather than cut short.
class BaseGuardianFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": _("Give at most %(num)d guardians and contacts."),
    }


GuardianFormSet = forms.formset_factory(
    GuardianForm,
    formset=BaseGuardianFormSet,
    extra=2,
    max_num=GUARDIANS_MAX,
    absolute_max=GUARDIANS_MAX,
    validate_max=True,
)


def guardians_from(formset: Any) -> list[GuardianInput]:
    """Return the guardians typed into a formset; empty rows are skipped."""
    out = []
    for form in formset.forms:
        d = form.cleaned_data
        if d.get("name") or d.get("phone"):
            out.append(
                GuardianInput(
                    name=d.get("name", ""),
                    relationship=d.get("relationship") or "",
                    phone=d.get("phone", ""),
                    is_primary_contact=d.get("is_primary_contact", False),
                )
            )
    return out
