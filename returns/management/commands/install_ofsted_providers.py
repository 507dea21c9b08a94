"""Install Ofsted's lists of social care providers for the SSDA903 rules on the placement's Ofsted
URN (1008, 219, 221, 224, 227, 228, 229, 241; decision 0059).

manage.py install_ofsted_providers PATH [PATH ...] [--user USERNAME]

Each PATH is one of Ofsted's spreadsheets: the children's homes list and the social care providers
list, or the two in one workbook. Only the URN, placement and provider codes, closing date and
postcode of each provider are kept; the sheets are read as a stream. The install replaces the
providers installed before and is audited.
"""

from django.core.management.base import BaseCommand, CommandError

from returns.ssda903.ofsted import RegisterError, install
from returns.ssda903.reference import command_user


class Command(BaseCommand):
    help = "Install Ofsted's children's homes and social care providers lists for the SSDA903 URN rules."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Ofsted's spreadsheets (.xlsx)")
        parser.add_argument("--user", default=None, help="the administrator installing them (audited)")

    def handle(self, paths, user=None, **options):
        who = command_user(user)
        try:
            register = install(paths, who)
        except (RegisterError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Installed {register.file_names}: {register.providers} providers.")
