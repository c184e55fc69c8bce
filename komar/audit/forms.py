from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from komar.audit.models import AuditAction
from komar.audit.selectors import AuditFilters
from komar.core.forms import BootstrapFormMixin, DateField

BLANK: list[tuple[str, str]] = [("", "—")]


class AuditFilterForm(BootstrapFormMixin, forms.Form):
    """The filters of the access log; every field optional."""

    action = forms.ChoiceField(
        label=_("Action"), choices=[*BLANK, *AuditAction.choices], required=False
    )
    actor = forms.CharField(label=_("Who (username)"), required=False, max_length=150)
    date_from = DateField(label=pgettext_lazy("first day of a period", "From"), required=False)
    date_to = DateField(label=pgettext_lazy("last day of a period", "To"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The last day is before the first day."))
        return data

    def to_filters(self) -> AuditFilters:
        if not self.is_valid():
            return AuditFilters()
        return AuditFilters(**self.cleaned_data)
