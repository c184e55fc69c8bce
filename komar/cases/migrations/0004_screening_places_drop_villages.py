# The village fields go in a migration of their own: on PostgreSQL a column cannot be
# dropped in the transaction that updated its rows (pending foreign-key triggers).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_screening_places"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="screening",
            name="exploitation_village",
        ),
        migrations.RemoveField(
            model_name="screening",
            name="recruitment_village",
        ),
        migrations.AddConstraint(
            model_name="screening",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("recruitment_place_code", ""), ("recruitment_place_level", "")),
                    models.Q(
                        ("recruitment_country", "KH"),
                        ("recruitment_place_code__regex", "^([0-9]{2}){1,4}$"),
                        (
                            "recruitment_place_level__in",
                            ["province", "district", "commune", "village"],
                        ),
                    ),
                    _connector="OR",
                ),
                name="screening_recruitment_place_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="screening",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("exploitation_place_code", ""), ("exploitation_place_level", "")),
                    models.Q(
                        ("exploitation_country", "KH"),
                        ("exploitation_place_code__regex", "^([0-9]{2}){1,4}$"),
                        (
                            "exploitation_place_level__in",
                            ["province", "district", "commune", "village"],
                        ),
                    ),
                    _connector="OR",
                ),
                name="screening_exploitation_place_valid",
            ),
        ),
    ]
