from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "komar.access"
    verbose_name = _("Record access")
    default_auto_field = "django.db.models.BigAutoField"
