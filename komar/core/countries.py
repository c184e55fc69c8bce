"""Countries and languages offered in forms: those seen in Cambodia's trafficking routes.

Codes are ISO 3166-1 alpha-2 and ISO 639-1 (639-3 where there is no 639-1 code).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

COUNTRIES = {
    "KH": _("Cambodia"),
    "TH": _("Thailand"),
    "VN": _("Vietnam"),
    "LA": _("Laos"),
    "MY": _("Malaysia"),
    "CN": _("China"),
    "MM": _("Myanmar"),
    "ID": _("Indonesia"),
    "SG": _("Singapore"),
    "PH": _("Philippines"),
    "KR": _("South Korea"),
    "JP": _("Japan"),
    "TW": _("Taiwan"),
    "SA": _("Saudi Arabia"),
    "AE": _("United Arab Emirates"),
    "US": _("United States"),
    "AU": _("Australia"),
    "GB": _("United Kingdom"),
    "FR": _("France"),
    "XX": _("Unknown or stateless"),
}

LANGUAGES = {
    "km": _("Khmer"),
    "en": pgettext_lazy("language spoken", "English"),
    "vi": _("Vietnamese"),
    "th": _("Thai"),
    "zh": _("Chinese"),
    "lo": _("Lao"),
    "cjm": _("Cham"),
    "fr": _("French"),
    "other": _("Other language"),
}
