from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo accounts and synthetic children for trying and benchmarking Komar.

    Never loaded with data in production: every entry point refuses unless
    ``KOMAR_ALLOW_DEMO_DATA`` is on.
    """

    name = "komar.demo"
    label = "demo"
    verbose_name = _("Demo and synthetic data")
