"""Install the ONS Postcode Directory for the SSDA903 rules on the placement's local authority,
location and distance (392a, 392c, 169, 179, 503G-J, ...; decision 0057).

manage.py install_postcodes PATH --council CODE [--user USERNAME]

PATH is the ONSPD CSV, or the ONSPD zip as the ONS publishes it (its main CSV is found). Only the
postcode, district, county and grid reference of each row are kept; the file is read as a stream.
CODE is the council's own local authority code (e.g. E09000027): a placement whose local authority
is the council's is IN its area. The install replaces the postcodes installed before and is audited.
"""

from django.core.management.base import BaseCommand, CommandError

from returns.ssda903.postcodes import DirectoryError, install
from returns.ssda903.reference import command_user


class Command(BaseCommand):
    help = "Install the ONS Postcode Directory (CSV or zip) for the SSDA903 postcode rules."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the ONSPD CSV file or zip")
        parser.add_argument("--council", required=True, help="the council's own local authority code, e.g. E09000027")
        parser.add_argument("--user", default=None, help="the administrator installing it (recorded in the audit log)")

    def handle(self, path, council, user=None, **options):
        who = command_user(user)
        try:
            directory = install(path, council, who)
        except (DirectoryError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Installed {directory.file_name}: {directory.postcodes} postcodes, council {directory.council}."
        )
