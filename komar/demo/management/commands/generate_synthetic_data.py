import os
import time

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from komar.accounts.models import Organisation, User
from komar.accounts.roles import Role
from komar.demo.generator import generate
from komar.demo.services import demo_data_allowed


class Command(BaseCommand):
    help = (
        "Add synthetic children, each with a case and a screening, to an organisation "
        "(for demos and benchmarks). Refused in production. Writes no audit events."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--children", type=int, required=True, help="How many children to create."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--organisation", help="Name of the organisation (default: the host organisation)."
        )
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="Children per transaction."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes generating batches in parallel on PostgreSQL (default: CPU count).",
        )

    def handle(self, *args, **options):
        try:
            demo_data_allowed()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if min(options["children"], options["batch_size"], options["workers"]) < 1:
            raise CommandError("--children, --batch-size and --workers must be at least 1.")
        orgs = Organisation.objects.all()
        org = (
            orgs.filter(name=options["organisation"]).first()
            if options["organisation"]
            else orgs.filter(is_host=True).first()
        )
        if org is None:
            raise CommandError("No such organisation (create it, or run komar_setup_demo first).")
        users = list(
            User.objects.filter(
                organisation=org, is_active=True, role__in=[Role.CASE_WORKER, Role.SUPERVISOR]
            ).order_by("username")
        )
        if not users:
            raise CommandError(
                "The organisation has no active case worker or supervisor to hold the cases."
            )

        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            self.stdout.write(f"  {done:,}/{total:,} children ({rate:,.0f}/s)")

        self.stdout.write(
            f"Generating {options['children']:,} children for organisation {org.pk} "
            f"across {len(users)} case holders..."
        )
        result = generate(
            children=options["children"],
            seed=options["seed"],
            organisation=org,
            users=users,
            batch_size=options["batch_size"],
            progress=progress,
            workers=options["workers"],
        )
        if connection.vendor == "postgresql":
            # Bulk loads leave the planner without statistics and the visibility map
            # unset: searches would plan blind and skip index-only scans.
            self.stdout.write("Vacuuming and analysing...")
            # VACUUM cannot run inside a transaction (as under a test): ANALYZE can.
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                cursor.execute(
                    f"{verb} children_child, children_childnamekey, children_namespelling, "  # noqa: S608  (fixed names)
                    "cases_case, cases_caseexploitation, cases_screening"
                )
        for table in (
            "children",
            "cases",
            "screenings",
            "case_exploitations",
            "guardians",
            "consent_records",
            "name_keys",
        ):
            self.stdout.write(f"{table}: {result[table]:,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {result['seconds']:.1f} s with {result['workers']} worker(s): "
                f"{result['rate']:,.0f} children/second."
            )
        )
