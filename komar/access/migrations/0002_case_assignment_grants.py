"""Give every existing case's worker the case-assignment grant that ``case_open`` now
writes, so that children stay visible to their case workers and teams."""

from django.db import migrations

BACKFILL = """
INSERT INTO access_grant
  (child_id, case_id, holder_user_id, holder_organisation_id, reason, source,
   needs_disclosure_consent, granted_at, granted_by_id, ended_at, ended_by_id, end_reason)
SELECT c.child_id, c.id, c.assigned_to_id, NULL, 'case_assignment', %s, %s,
       c.opened_at, NULL, NULL, NULL, ''
FROM cases_case c
WHERE NOT EXISTS (
  SELECT 1 FROM access_grant g
  WHERE g.case_id = c.id AND g.reason = 'case_assignment' AND g.ended_at IS NULL
)
"""


def backfill(apps, schema_editor):
    schema_editor.execute(BACKFILL, ["", False])


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0001_grants"),
        ("cases", "0001_initial"),
    ]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
