from django.core.management.base import BaseCommand

from jobs.periodic import schedule_heartbeat


class Command(BaseCommand):
    help = "Create the periodic task 'heartbeat' (every N seconds) in the database; beat picks it up."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=10, help="seconds between runs (default 10)")

    def handle(self, *args, every, **options):
        task = schedule_heartbeat(every)
        self.stdout.write(f"periodic task {task.name!r}: {task.task} every {every} s")
