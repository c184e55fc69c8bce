"""Indexes that let the case list sort by each column and stop at the first page.

At 1,000,000 cases every order of the list (``komar.cases.selectors.case_order``) is the
forward or backward scan of one of these, filtered by the scope, instead of a sort of
every case the user may see (docs/PERFORMANCE.md). The stage, risk and screening orders
sort by the position of the code in its choices; their indexes are built from the very
expression the list sorts by (``case_ordinal``), so that PostgreSQL matches them: a
change of those choices needs a new migration that rebuilds them.

Built with the schema editor, not ``AddIndex``: they belong to ``cases_case`` but to no
model's ``Meta`` (the access app owns the scope and these list paths), so the migration
state is left alone.
"""

from django.db import migrations, models
from django.db.models import F


def _indexes() -> list[models.Index]:
    from komar.cases.selectors import CASE_ORDINALS, case_ordinal

    return [
        models.Index(F("opened_at"), F("id"), name="case_opened_id_idx"),
        models.Index(F("updated_at"), F("id"), name="case_updated_id_idx"),
        models.Index(F("number"), F("id"), name="case_number_id_idx"),
        *(
            models.Index(
                case_ordinal(*CASE_ORDINALS[key]),
                F("opened_at"),
                F("id"),
                name=f"case_{key}_ord_idx",
            )
            for key in ("status", "risk", "screening")
        ),
    ]


def create(apps, schema_editor):
    case = apps.get_model("cases", "Case")
    for index in _indexes():
        schema_editor.add_index(case, index)


def drop(apps, schema_editor):
    case = apps.get_model("cases", "Case")
    for index in _indexes():
        schema_editor.remove_index(case, index)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_case_assignment_grants"),
        ("cases", "0002_confirmed_changes"),
    ]
    operations = [migrations.RunPython(create, drop)]
