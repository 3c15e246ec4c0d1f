"""Rebuild the stored figures the cohort dashboard reads, from the records themselves: every
course progress snapshot (courses.snapshots, with the completion rule of courses.progress) and
every attendance counter (cohorts.tallies, from the marks).

For recovery (a counter changed outside the services, a task lost): safe to run at any time,
while people work (rows are locked while they are recomputed), and twice (the second run finds
nothing to fix). The nightly task `cohorts.tasks.refresh_progress_snapshots` runs the same."""

from django.core.management.base import BaseCommand

from cohorts import tallies
from courses import snapshots


class Command(BaseCommand):
    help = "Recompute course progress snapshots and attendance counters from the records."

    def handle(self, *args, **options):
        fixed_snapshots = snapshots.rebuild()
        fixed_tallies = tallies.rebuild()
        self.stdout.write(
            f"Progress snapshots fixed: {fixed_snapshots}; attendance counters fixed: "
            f"{fixed_tallies}."
        )
