"""Sealed by rule on every path, classification within one's clearance, and changes that take effect at once.

Expected levels and marks are read off the rule, not off the code: a case type's default level and marks
are its floor; a party in the role of child, or under 18 on the filing date, makes the case JUVENILE.
Lowering needs a reason and a court order; lowering to public is a declassification; nobody gives more
than they are cleared for; a document may be more restricted than its case, never less.
"""

import datetime
import re
import uuid

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from rest_framework.test import APIClient

from records import access, classification, services
from records.classification import ClassificationRefused
from records.models import Assignment, CaseFile, ClassificationChange, Document, Mark, Party
from tests.factories import CaseTypeFactory, DocumentFactory, InstitutionFactory, UserFactory
from tests.html_forms import form_data, post_form, submitted

pytestmark = pytest.mark.django_db

CASE_FILES = "/api/v1/case-files/"
FILED = datetime.date(2024, 2, 1)


def case_type(code, level, marks=()):
    made = CaseTypeFactory(code=code)
    made.default_level = level
    made.save()
    made.default_marks.set(Mark.objects.filter(code__in=marks))
    return made


@pytest.fixture
def court():
    return InstitutionFactory(code="JUV-RML", name="Juvenile Court of Ramallah")


@pytest.fixture
def juvenile():
    return case_type("juvenile", "sealed", ["JUVENILE"])


@pytest.fixture
def civil():
    """Registered internal unless asked otherwise; its floor is public, so it may be declassified."""
    return case_type("civil", "public")


@pytest.fixture
def cleared_registrar(db):
    """A registrar cleared for sealed juvenile cases."""
    return UserFactory(role="registrar", clearance="sealed", marks=("JUVENILE",), username="cleared-registrar")


def api_for(user):
    client = APIClient()
    client.force_login(user)
    return client


def state(case_file):
    stored = CaseFile.objects.get(pk=case_file.pk)
    return stored.level, set(stored.marks.values_list("code", flat=True))


def changes_of(item):
    field = "case" if isinstance(item, CaseFile) else "document"
    return [
        (c.from_level, c.from_marks, c.to_level, c.to_marks, c.reason, c.court_order, c.by_rule, c.changed_by_id)
        for c in ClassificationChange.objects.filter(**{field: item}).order_by("pk")
    ]


def register(actor, court, case_type, *, number="17/2024", parties=(), date_filed=FILED, **kwargs):
    case_file = CaseFile(number=number, court=court, case_type=case_type, title="In re A.B.", date_filed=date_filed)
    case_file.parties = [Party(**party) for party in parties]
    return services.register_case_file(case_file, actor=actor, **kwargs)


def visible_ids(user):
    # A fresh copy of the user, as the next request would have: nothing cached from before.
    fresh = type(user).objects.get(pk=user.pk)
    return set(access.visible_cases(fresh).values_list("pk", flat=True))


# Sealed by rule, on every path ----------------------------------------------------------------------


def inline_rows(form, prefix, rows):
    template = form.find_all(attrs={"name": re.compile(f"^{prefix}-__prefix__-")})
    data = {}
    for index, row in enumerate(rows):
        blank = submitted(template, rename=lambda name, index=index: name.replace("__prefix__", str(index)))
        data.update(blank, **{f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return {**data, f"{prefix}-TOTAL_FORMS": str(len(rows))}


def register_by_staff_form(client, court, case_type, number, parties=()):
    form = post_form(client.get(reverse("records_casefile:add")))
    data = {
        **form_data(form),
        "number": number,
        "court": str(court.pk),
        "case_type": str(case_type.pk),
        "date_filed": FILED.isoformat(),
        "title": "In re A.B.",
        **inline_rows(form, "parties", list(parties)),
    }
    return client.post(reverse("records_casefile:add"), data)


def register_by_api(client, court, case_type, number, parties=()):
    body = {
        "number": number,
        "court": court.code,
        "case_type": case_type.code,
        "title": "In re A.B.",
        "date_filed": FILED.isoformat(),
        "parties": list(parties),
    }
    return client.post(CASE_FILES, body, format="json")


@pytest.mark.parametrize("path", ["service", "staff form", "api"])
def test_a_juvenile_case_is_sealed_juvenile_on_registration_and_the_uncleared_clerk_loses_it(
    path, client, clerk, court, juvenile
):
    number = f"J-{path.replace(' ', '-')}/2024"
    if path == "service":
        register(clerk, court, juvenile, number=number)
    elif path == "staff form":
        client.force_login(clerk)
        response = register_by_staff_form(client, court, juvenile, number)
        assert response.status_code == 302
        assert response["Location"] == reverse("records_casefile:index")
        [message] = [str(m) for m in get_messages(response.wsgi_request)]
        # It says what happened and where the case went, with no link the clerk could not follow.
        assert number in message and "Sealed" in message and f"Registry, {court.code}" in message
    else:
        response = register_by_api(api_for(clerk), court, juvenile, number)
        assert response.status_code == 201, response.content

    case_file = CaseFile.objects.get(number=number)
    assert state(case_file) == ("sealed", {"JUVENILE"})
    # Raised by rule in the registration itself: from the asked internal to the floor, by the clerk.
    assert changes_of(case_file) == [("internal", [], "sealed", ["JUVENILE"], "", "", True, clerk.pk)]
    # No route names juvenile cases in this court: the case goes to the court's registry, never to nobody.
    assert [(a.user_id, a.group.name) for a in Assignment.objects.filter(case=case_file)] == [
        (None, f"Registry, {court.code}")
    ]
    assert case_file.pk not in visible_ids(clerk)
    client.force_login(clerk)
    assert client.get(reverse("records_casefile:inspect", args=[case_file.pk])).status_code == 404
    assert api_for(clerk).get(f"{CASE_FILES}{case_file.pk}/").status_code == 404


@pytest.mark.parametrize("path", ["service", "staff form", "api"])
def test_a_registrant_cleared_for_the_sealed_case_is_assigned_and_keeps_it_in_view(
    path, client, cleared_registrar, court, juvenile
):
    number = f"K-{path.replace(' ', '-')}/2024"
    if path == "service":
        register(cleared_registrar, court, juvenile, number=number)
    elif path == "staff form":
        client.force_login(cleared_registrar)
        response = register_by_staff_form(client, court, juvenile, number)
        case_file = CaseFile.objects.get(number=number)
        assert response.status_code == 302
        assert response["Location"] == reverse("records_casefile:inspect", args=[case_file.pk])
    else:
        response = register_by_api(api_for(cleared_registrar), court, juvenile, number)
        assert response.status_code == 201, response.content

    case_file = CaseFile.objects.get(number=number)
    assert state(case_file) == ("sealed", {"JUVENILE"})
    assert [(a.user_id, a.group_id) for a in Assignment.objects.filter(case=case_file)] == [
        (cleared_registrar.pk, None)
    ]
    assert case_file.pk in visible_ids(cleared_registrar)
    assert api_for(cleared_registrar).get(f"{CASE_FILES}{case_file.pk}/").json()["level"] == "sealed"


@pytest.mark.parametrize("path", ["service", "staff form", "api"])
def test_a_child_party_makes_a_civil_case_juvenile_on_every_path(path, client, cleared_registrar, court, civil):
    number = f"C-{path.replace(' ', '-')}/2024"
    parties = [{"role": "applicant", "name": "Adult Applicant"}, {"role": "child", "name": "Child Party"}]
    if path == "service":
        register(cleared_registrar, court, civil, number=number, parties=parties)
    elif path == "staff form":
        client.force_login(cleared_registrar)
        assert register_by_staff_form(client, court, civil, number, parties).status_code == 302
    else:
        assert register_by_api(api_for(cleared_registrar), court, civil, number, parties).status_code == 201

    case_file = CaseFile.objects.get(number=number)
    assert state(case_file) == ("sealed", {"JUVENILE"})  # the mark's floor seals it


@pytest.mark.parametrize(
    ("born", "juvenile_by_age"),
    [
        (datetime.date(2007, 2, 1), True),  # 17 on the day of filing
        (datetime.date(2006, 2, 2), True),  # 18 the day after filing
        (datetime.date(2006, 2, 1), False),  # 18 exactly on the day of filing
        (datetime.date(1990, 5, 5), False),
    ],
)
def test_a_party_under_18_on_the_filing_date_makes_the_case_juvenile(born, juvenile_by_age, clerk, court, civil):
    case_file = register(
        clerk, court, civil, parties=[{"role": "respondent", "name": "R. Respondent", "date_of_birth": born}]
    )
    assert state(case_file) == (("sealed", {"JUVENILE"}) if juvenile_by_age else ("internal", set()))
    assert (case_file.pk in visible_ids(clerk)) is not juvenile_by_age


def test_a_child_party_added_by_a_service_update_makes_the_case_juvenile(clerk, cleared_registrar, court, civil):
    case_file = register(clerk, court, civil, parties=[{"role": "applicant", "name": "Adult Applicant"}])
    assert state(case_file) == ("internal", set())

    case_file.parties = [Party(role="applicant", name="Adult Applicant"), Party(role="child", name="Child Party")]
    services.update_case_file(case_file, actor=cleared_registrar)

    assert state(case_file) == ("sealed", {"JUVENILE"})  # the mark's floor seals it
    assert changes_of(case_file) == [("internal", [], "sealed", ["JUVENILE"], "", "", True, cleared_registrar.pk)]
    assert case_file.pk not in visible_ids(clerk)


def test_a_party_born_17_years_before_filing_added_by_api_patch_makes_the_case_juvenile(clerk, court, civil):
    case_file = register(clerk, court, civil, parties=[{"role": "applicant", "name": "Adult Applicant"}])
    api = api_for(clerk)

    response = api.patch(
        f"{CASE_FILES}{case_file.pk}/",
        {
            "parties": [
                {"role": "applicant", "name": "Adult Applicant"},
                {"role": "respondent", "name": "Young Respondent", "date_of_birth": "2007-02-01"},
            ]
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert state(case_file) == ("sealed", {"JUVENILE"})  # the mark's floor seals it
    assert [c[6] for c in changes_of(case_file)] == [True]
    # The clerk holds no JUVENILE mark: the very next request answers as for a missing case.
    assert api.get(f"{CASE_FILES}{case_file.pk}/").status_code == 404


# Within one's clearance; lowering and the floor --------------------------------------------------------


@pytest.fixture
def internal_case(civil, court, clerk):
    return register(clerk, court, civil, number="100/2024")


def assigned(case_file, user, by):
    """Set up an assignment; nobody assigns themselves, so a colleague does it where `by` is `user`."""
    if by.pk == user.pk:
        by = UserFactory(role="registrar", username=f"colleague-of-{user.username}")
    return classification.assign(case_file, actor=by, user=user)


def test_nobody_classifies_above_their_own_level(internal_case):
    confidential_registrar = UserFactory(role="registrar", clearance="confidential")

    with pytest.raises(ClassificationRefused) as refused:
        classification.classify_case(internal_case, actor=confidential_registrar, level="sealed")

    assert (refused.value.field, "Confidential" in refused.value.message, "Sealed" in refused.value.message) == (
        "level",
        True,
        True,
    )
    assert state(internal_case) == ("internal", set())
    assert changes_of(internal_case) == []


def test_nobody_gives_a_mark_they_do_not_hold(internal_case, cleared_registrar):
    with pytest.raises(ClassificationRefused) as refused:
        classification.classify_case(internal_case, actor=cleared_registrar, level="sealed", marks=["JUVENILE", "GBV"])

    assert refused.value.field == "marks"
    assert "GBV" in refused.value.message and "JUVENILE" not in refused.value.message
    assert state(internal_case) == ("internal", set())


def test_a_clerk_cannot_ask_for_a_level_above_their_clearance_on_registration(clerk, court, civil):
    with pytest.raises(ClassificationRefused) as refused:
        register(clerk, court, civil, number="200/2024", level="confidential")
    assert "Confidential" in refused.value.message
    assert not CaseFile.objects.filter(number="200/2024").exists()


def test_lowering_needs_a_reason_and_a_court_order_each_refused_on_its_own(internal_case, cleared_registrar):
    assigned(internal_case, cleared_registrar, cleared_registrar)
    classification.classify_case(internal_case, actor=cleared_registrar, level="sealed", marks=["JUVENILE"])

    for reason, court_order, field in [
        ("", "", "reason"),
        ("   ", "Order 5/2024", "reason"),
        ("Appeal granted", "", "court_order"),
    ]:
        with pytest.raises(ClassificationRefused) as refused:
            classification.classify_case(
                internal_case,
                actor=cleared_registrar,
                level="sealed",
                marks=[],  # JUVENILE keeps a case sealed, so the lowering here is the mark's removal
                reason=reason,
                court_order=court_order,
            )
        assert refused.value.field == field
    # Dropping a mark at the same level is a lowering too.
    with pytest.raises(ClassificationRefused) as refused:
        classification.classify_case(internal_case, actor=cleared_registrar, level="sealed", marks=[])
    assert refused.value.field == "reason"
    assert state(internal_case) == ("sealed", {"JUVENILE"})

    classification.classify_case(
        internal_case,
        actor=cleared_registrar,
        level="confidential",
        marks=[],
        reason="Appeal granted",
        court_order="Order 5/2024",
    )

    assert state(internal_case) == ("confidential", set())
    who = cleared_registrar.pk
    assert changes_of(internal_case) == [
        ("internal", [], "sealed", ["JUVENILE"], "", "", False, who),
        ("sealed", ["JUVENILE"], "confidential", [], "Appeal granted", "Order 5/2024", False, who),
    ]


def test_making_a_case_public_is_a_declassification(internal_case, cleared_registrar):
    with pytest.raises(ClassificationRefused) as refused:
        classification.classify_case(
            internal_case, actor=cleared_registrar, level="public", reason="Judgment published", court_order="O-1"
        )
    assert "Declassify" in refused.value.message
    assert state(internal_case) == ("internal", set())

    with pytest.raises(ClassificationRefused):
        classification.declassify_case(
            internal_case, actor=cleared_registrar, reason="Judgment published", court_order=""
        )

    classification.declassify_case(
        internal_case, actor=cleared_registrar, reason="Judgment published", court_order="O-1"
    )
    assert state(internal_case) == ("public", set())
    assert changes_of(internal_case) == [
        ("internal", [], "public", [], "Judgment published", "O-1", False, cleared_registrar.pk)
    ]


def test_classifying_below_the_rule_floor_is_refused(cleared_registrar, court, juvenile, civil):
    sealed = register(cleared_registrar, court, juvenile, number="300/2024")
    with_child = register(cleared_registrar, court, civil, number="301/2024", parties=[{"role": "child", "name": "C"}])
    order = {"reason": "Order of the court", "court_order": "Order 9/2024"}

    attempts = [
        (sealed, {"level": "confidential", "marks": ["JUVENILE"], **order}),
        (sealed, {"level": "sealed", "marks": [], **order}),
        (with_child, {"level": "internal", "marks": [], **order}),
    ]
    for case_file, wanted in attempts:
        with pytest.raises(ClassificationRefused) as refused:
            classification.classify_case(case_file, actor=cleared_registrar, **wanted)
        assert "JUVENILE" in refused.value.message
    with pytest.raises(ClassificationRefused):
        classification.declassify_case(sealed, actor=cleared_registrar, **order)

    assert (state(sealed), state(with_child)) == (("sealed", {"JUVENILE"}), ("sealed", {"JUVENILE"}))
    assert [len(changes_of(sealed)), len(changes_of(with_child))] == [1, 1]  # the rule's own, on registration


def test_a_document_may_be_more_restricted_than_its_case_never_less(cleared_registrar, court, civil):
    case_file = register(cleared_registrar, court, civil, number="400/2024")
    classification.classify_case(case_file, actor=cleared_registrar, level="confidential")
    document = DocumentFactory(case=case_file, actor=cleared_registrar)

    with pytest.raises(ClassificationRefused) as refused:
        classification.classify_document(document, actor=cleared_registrar, level="internal")
    assert "never less" in refused.value.message and "Confidential" in refused.value.message

    classification.classify_document(document, actor=cleared_registrar, level="sealed", marks=["JUVENILE"])
    stored = Document.objects.get(pk=document.pk)
    assert (stored.level, access.effective_level(stored), access.effective_marks(stored)) == (
        "sealed",
        "sealed",
        ["JUVENILE"],
    )
    # Back to "as its case" lowers what one must hold to see it: a reason and a court order again.
    with pytest.raises(ClassificationRefused) as refused:
        classification.classify_document(document, actor=cleared_registrar, level="")
    assert refused.value.field == "reason"
    classification.classify_document(document, actor=cleared_registrar, level="", reason="Unsealed", court_order="O-7")

    assert changes_of(document) == [
        ("", [], "sealed", ["JUVENILE"], "", "", False, cleared_registrar.pk),
        ("sealed", ["JUVENILE"], "", [], "Unsealed", "O-7", False, cleared_registrar.pk),
    ]


@pytest.mark.parametrize("level", ["confidential", "sealed"])
def test_a_document_outside_any_case_cannot_be_confidential_or_sealed(level, cleared_registrar):
    law = DocumentFactory(case=None, kind="legislation", title="Juvenile Justice Law", actor=cleared_registrar)

    with pytest.raises(ClassificationRefused) as refused:
        classification.classify_document(law, actor=cleared_registrar, level=level)

    assert "outside any case" in refused.value.message
    assert Document.objects.get(pk=law.pk).level == ""
    assert changes_of(law) == []
    classification.classify_document(law, actor=cleared_registrar, level="internal")
    assert Document.objects.get(pk=law.pk).level == "internal"


# The staff form and the API --------------------------------------------------------------------------


def test_classifying_through_the_staff_form(client, internal_case, cleared_registrar):
    assigned(internal_case, cleared_registrar, cleared_registrar)
    client.force_login(cleared_registrar)
    url = reverse("records_casefile:classify", args=[internal_case.pk])
    juvenile_mark = str(Mark.objects.get(code="JUVENILE").pk)

    response = client.post(url, {"level": "sealed", "marks": [juvenile_mark], "reason": "", "court_order": ""})

    assert response.status_code == 302
    assert response["Location"] == reverse("records_casefile:inspect", args=[internal_case.pk])
    assert state(internal_case) == ("sealed", {"JUVENILE"})
    refused = client.post(
        url, {"level": "confidential", "marks": [juvenile_mark], "reason": "Why not", "court_order": ""}
    )
    assert refused.status_code == 200
    assert state(internal_case) == ("sealed", {"JUVENILE"})
    assert changes_of(internal_case) == [("internal", [], "sealed", ["JUVENILE"], "", "", False, cleared_registrar.pk)]


@pytest.mark.parametrize(
    ("name", "refusal"),
    [
        ("records_casefile:classify", "needs the reference of the court order"),
        ("records_casefile:declassify", "This field is required."),
    ],
)
def test_the_staff_classify_pages_offer_the_form_and_show_a_refusal(
    name, refusal, client, internal_case, cleared_registrar
):
    assigned(internal_case, cleared_registrar, cleared_registrar)
    client.force_login(cleared_registrar)
    url = reverse(name, args=[internal_case.pk])

    fields = set(form_data(post_form(client.get(url))))

    assert {"reason", "court_order"} <= fields
    refused = client.post(url, {"level": "public", "reason": "Why not", "court_order": "", "confirm": "on"})
    assert refused.status_code == 200
    assert refusal in refused.content.decode()
    assert state(internal_case) == ("internal", set())


def test_declassifying_through_the_staff_form(client, internal_case, cleared_registrar):
    client.force_login(cleared_registrar)
    url = reverse("records_casefile:declassify", args=[internal_case.pk])

    response = client.post(url, {"reason": "Ruling published", "court_order": "O-11", "confirm": "on"})

    assert response.status_code == 302
    assert state(internal_case) == ("public", set())
    assert changes_of(internal_case) == [
        ("internal", [], "public", [], "Ruling published", "O-11", False, cleared_registrar.pk)
    ]


def test_the_case_page_offers_declassify_only_where_the_rules_allow_public(
    client, cleared_registrar, court, civil, internal_case
):
    with_child = register(cleared_registrar, court, civil, number="302/2024", parties=[{"role": "child", "name": "C"}])
    assigned(internal_case, cleared_registrar, cleared_registrar)
    client.force_login(cleared_registrar)
    declassify = {
        case_file.number: reverse("records_casefile:declassify", args=[case_file.pk])
        for case_file in (internal_case, with_child)
    }

    pages = {
        number: client.get(reverse("records_casefile:inspect", args=[CaseFile.objects.get(number=number).pk]))
        for number in declassify
    }

    assert {number: page.status_code for number, page in pages.items()} == {number: 200 for number in declassify}
    assert declassify[internal_case.number] in pages[internal_case.number].content.decode()
    assert declassify[with_child.number] not in pages[with_child.number].content.decode()


def test_the_api_refuses_classification_to_a_clerk(clerk, internal_case):
    response = api_for(clerk).post(
        f"{CASE_FILES}{internal_case.pk}/classify/", {"level": "confidential"}, format="json"
    )
    assert response.status_code == 403
    assert state(internal_case) == ("internal", set())


@pytest.fixture
def judge(db):
    return UserFactory(role="judge", clearance="sealed", marks=("JUVENILE",), username="judge-haddad")


def test_a_judge_with_the_classify_permission_seals_a_case_through_the_api(judge, internal_case, cleared_registrar):
    assigned(internal_case, judge, cleared_registrar)
    api = api_for(judge)

    response = api.post(
        f"{CASE_FILES}{internal_case.pk}/classify/", {"level": "sealed", "marks": ["JUVENILE"]}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"id": str(internal_case.pk), "level": "sealed", "marks": ["JUVENILE"]}
    assert changes_of(internal_case) == [("internal", [], "sealed", ["JUVENILE"], "", "", False, judge.pk)]


def test_a_document_is_sealed_through_the_api_and_never_below_its_case(cleared_registrar, internal_case):
    assigned(internal_case, cleared_registrar, cleared_registrar)
    classification.classify_case(internal_case, actor=cleared_registrar, level="confidential")
    document = DocumentFactory(case=internal_case, actor=cleared_registrar)
    api = api_for(cleared_registrar)
    url = f"/api/v1/documents/{document.pk}/classify/"

    below = api.post(url, {"level": "internal"}, format="json")
    sealed = api.post(url, {"level": "sealed", "marks": ["JUVENILE"]}, format="json")

    assert below.status_code == 400 and "never less" in below.json()["detail"]
    assert sealed.status_code == 200, sealed.content
    assert sealed.json() == {"id": str(document.pk), "level": "sealed", "marks": ["JUVENILE"]}
    assert changes_of(document) == [("", [], "sealed", ["JUVENILE"], "", "", False, cleared_registrar.pk)]


def test_the_api_answers_a_refused_classification_with_the_problem(cleared_registrar, internal_case):
    assigned(internal_case, cleared_registrar, cleared_registrar)
    api = api_for(cleared_registrar)
    url = f"{CASE_FILES}{internal_case.pk}/classify/"

    above = api.post(url, {"level": "sealed", "marks": ["GBV"]}, format="json")
    lowered = api.post(url, {"level": "public", "reason": "Published"}, format="json")

    assert above.status_code == 400 and above.json()["field"] == "marks" and "GBV" in above.json()["detail"]
    assert lowered.status_code == 400 and lowered.json()["field"] == "court_order"
    assert state(internal_case) == ("internal", set())


# Changes take effect at once ---------------------------------------------------------------------------


def test_after_unassigning_a_judge_their_very_next_request_is_answered_not_found(
    client, judge, cleared_registrar, court, juvenile
):
    sealed = register(cleared_registrar, court, juvenile, number="500/2024")
    assignment = assigned(sealed, judge, cleared_registrar)
    judge_api = api_for(judge)
    judge_pages = APIClient()
    judge_pages.force_login(judge)
    detail = f"{CASE_FILES}{sealed.pk}/"
    page = reverse("records_casefile:inspect", args=[sealed.pk])
    assert judge_api.get(detail).status_code == 200
    assert judge_pages.get(page).status_code == 200

    client.force_login(cleared_registrar)
    response = client.post(reverse("records_casefile:unassign", args=[sealed.pk, assignment.pk]))

    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert judge_api.get(detail).status_code == 404
    assert judge_pages.get(page).status_code == 404
    assert judge_api.get(f"{CASE_FILES}{uuid.uuid4()}/").status_code == 404


def test_a_lowered_clearance_takes_effect_on_the_next_request(judge, cleared_registrar, court, juvenile):
    sealed = register(cleared_registrar, court, juvenile, number="501/2024")
    assigned(sealed, judge, cleared_registrar)
    judge_api = api_for(judge)
    assert judge_api.get(f"{CASE_FILES}{sealed.pk}/").status_code == 200

    classification.set_clearance(judge, actor=cleared_registrar, level="sealed", marks=[])

    assert judge_api.get(f"{CASE_FILES}{sealed.pk}/").status_code == 404
