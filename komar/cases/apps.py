from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "komar.cases"
    label = "cases"
    verbose_name = "Cases"
