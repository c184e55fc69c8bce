from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "komar.children"
    label = "children"
    verbose_name = "Children"
