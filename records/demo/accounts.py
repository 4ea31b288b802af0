"""Demo accounts: an administrator, a clerk, a registrar, a juvenile judge and the juvenile bench's clerk,
with passwords generated once.

The passwords are written to the data directory (readable by its owner only), never into the code,
so a demo left running on a network is not open to a published password.
"""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from records import roles
from records.classification import set_clearance_by_command

# username, full name, (group, permissions) or None for the administrator, clearance (level, marks).
ACCOUNTS = [
    ("admin", "Samir Khoury", None, ("internal", ())),
    ("clerk", "Grace Wanjiru", ("Clerks", roles.CLERK), ("internal", ())),
    ("registrar", "Ilir Berisha", ("Registrars", roles.REGISTRAR), ("confidential", ("FAMILY",))),
    ("judge", "Nadia Mansour", ("Judges", roles.JUDGE), ("sealed", ("JUVENILE", "GBV", "FAMILY"))),
    ("juvenile-clerk", "Jean-Paul Uwimana", ("Clerks", roles.CLERK), ("sealed", ("JUVENILE",))),
]
# The bench juvenile cases are routed to (records.routing), and the unit GBV cases are: who sits on each.
JUVENILE_BENCH = "Juvenile bench"
GBV_UNIT = "GBV unit"
BENCHES = {JUVENILE_BENCH: ("judge", "juvenile-clerk"), GBV_UNIT: ("judge",)}


def logins_file():
    return settings.DATA_DIR / "demo-logins.txt"


def _group(name, perms):
    group, _ = Group.objects.get_or_create(name=name)
    wanted = []
    for perm in perms:
        app_label, codename = perm.split(".")
        wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    group.permissions.set(wanted)
    return group


def ensure_accounts():
    """Create the demo accounts that do not exist yet; returns the administrator."""
    users = get_user_model()
    created = []
    for username, full_name, group, (level, marks) in ACCOUNTS:
        if users.objects.filter(username=username).exists():
            continue
        password = secrets.token_urlsafe(12)
        first, last = full_name.split(" ", 1)
        if group is None:
            user = users.objects.create_superuser(username, password=password, first_name=first, last_name=last)
        else:
            user = users.objects.create_user(username, password=password, first_name=first, last_name=last)
            user.groups.add(_group(*group))
        set_clearance_by_command(user, level=level, marks=marks)
        created.append(f"{username} {password}")
    for bench, members in BENCHES.items():
        group = Group.objects.get_or_create(name=bench)[0]
        group.user_set.add(*users.objects.filter(username__in=members))
    if created:
        # Created readable by its owner only: the passwords are never readable by others, not even briefly.
        descriptor = os.open(logins_file(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "a", encoding="utf-8") as logins:
            logins.write("".join(f"{line}\n" for line in created))
    return users.objects.get(username="admin")


def demo_logins():
    """[(username, password)] as written when the accounts were created."""
    path = logins_file()
    if not path.exists():
        return []
    return [tuple(line.split(" ", 1)) for line in path.read_text(encoding="utf-8").splitlines() if line]
