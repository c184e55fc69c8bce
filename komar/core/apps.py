from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "komar.core"
    label = "core"
    verbose_name = "Komar core"

    def ready(self) -> None:
        from komar.core import checks  # noqa: F401  (registers the system checks)
