"""The three marks every installation starts with; courts may add their own as data.

Case types already called juvenile or GBV get their floor (sealed with the mark) so existing installations
are sealed by rule from the first migration on; the cases themselves are raised by `apply_floor` the next
time they are saved, and by the `seal_by_rule` step below for those already registered.
"""

from django.db import migrations

MARKS = [
    ("JUVENILE", "Juvenile", "Cases concerning a child: juvenile justice, child protection."),
    ("GBV", "Gender-based violence", "Cases of gender-based violence and violence against women."),
    ("FAMILY", "Family", "Family matters: divorce, custody, maintenance, guardianship."),
]
SEALED_TYPES = {"juvenile": "JUVENILE", "gbv": "GBV"}


def seed(apps, schema_editor):
    Mark = apps.get_model("records", "Mark")
    CaseType = apps.get_model("records", "CaseType")
    CaseFile = apps.get_model("records", "CaseFile")
    for code, name, description in MARKS:
        Mark.objects.get_or_create(code=code, defaults={"name": name, "description": description})
    for type_code, mark_code in SEALED_TYPES.items():
        mark = Mark.objects.get(code=mark_code)
        for case_type in CaseType.objects.filter(code=type_code):
            case_type.default_level = "sealed"
            case_type.save(update_fields=["default_level"])
            case_type.default_marks.add(mark)
            cases = CaseFile.objects.filter(case_type=case_type)
            cases.update(level="sealed")
            for case in cases:
                case.marks.add(mark)


class Migration(migrations.Migration):
    dependencies = [("records", "0004_access")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
