"""factory_boy factories for the records core; text comes from the real corpus where text is needed."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from records import access, services
from records.models import CaseFile, CaseType, Clearance, Document, Institution, LegacyNumber, Mark, Party
from records.roles import ROLES


def role_group(role):
    group, created = Group.objects.get_or_create(name=f"test-{role}")
    if created:
        for perm in ROLES[role]:
            app_label, codename = perm.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password("correct horse battery staple")

    @classmethod
    def _create(cls, model_class, *args, role=None, clearance=None, marks=(), **kwargs):
        """`role="clerk"` (registrar, judge, auditor) puts the user in that role's group; a user with a role
        is cleared for internal items unless `clearance` says otherwise, with `marks` (codes)."""
        user = super()._create(model_class, *args, **kwargs)
        if role:
            # Straight into the table, as `clear` sets clearances: the world is set up, not acted in, so no
            # membership event (records.memberships audits the acts, and is tested on its own).
            model_class.groups.through.objects.create(user=user, group=role_group(role))
        level = clearance or ("internal" if role else None)
        if level:
            clear(user, level, marks)
        return user


def clear(user, level, marks=()):
    """Give `user` a clearance directly (tests set up the world; the service is tested on its own)."""
    clearance, _ = Clearance.objects.update_or_create(user=user, defaults={"level": level})
    clearance.marks.set(Mark.objects.filter(code__in=marks))
    access.forget(user)
    return clearance


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    code = factory.Sequence(lambda n: f"CRT-{n:04d}")
    name = factory.Sequence(lambda n: f"Court of First Instance No. {n}")
    kind = "court"


class CaseTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseType
        django_get_or_create = ("code",)

    code = "civil"
    name = factory.LazyAttribute(lambda o: o.code.capitalize())


class CaseFileFactory(factory.django.DjangoModelFactory):
    """A case file registered through the service, as every path registers one."""

    class Meta:
        model = CaseFile

    number = factory.Sequence(lambda n: f"{n + 1}/2024")
    court = factory.SubFactory(InstitutionFactory)
    case_type = factory.SubFactory(CaseTypeFactory)
    title = "Tarrant Regional Water District v. Herrmann"
    date_filed = datetime.date(2024, 2, 1)

    @classmethod
    def _create(cls, model_class, *args, parties=(), legacy_numbers=(), actor=None, **kwargs):
        case_file = model_class(*args, **kwargs)
        case_file.parties = [Party(**party) for party in parties]
        case_file.legacy_numbers = [LegacyNumber(number=number) for number in legacy_numbers]
        return services.register_case_file(case_file, actor=actor or UserFactory(role="clerk"))


class DocumentFactory(factory.django.DjangoModelFactory):
    """A document without a file yet; add versions with services.add_version."""

    class Meta:
        model = Document

    case = factory.SubFactory(CaseFileFactory)
    kind = "judgment"
    title = "Tarrant Regional Water District v. Herrmann, slip opinion"
    languages = factory.LazyFunction(lambda: ["eng"])
    document_date = datetime.date(2013, 6, 13)

    @classmethod
    def _create(cls, model_class, *args, actor=None, **kwargs):
        return services.add_document(model_class(*args, **kwargs), actor=actor or UserFactory(role="clerk"))
