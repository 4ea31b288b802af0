"""A juvenile case in a real browser: sealed the moment it is registered, seen by its bench, by no one else."""

import pytest

from records.models import CaseFile, Mark
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_background_reading"),
]

PASSWORD = "quiet-harbour-93-lantern"
NUMBER = "JUV/2025/0031"


def signed_in(browser, live_server, username):
    """Another person's browser, signed in through the login form."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    return context, page


@pytest.fixture
def people():
    # Transactional tests empty every table afterwards, the marks seeded by migration with them.
    Mark.objects.get_or_create(code="JUVENILE", defaults={"name": "Juvenile"})
    court = factories.InstitutionFactory(code="PS-RAM-JUV", name="Ramallah Juvenile Court")
    factories.CaseTypeFactory(code="civil")
    juvenile = factories.CaseTypeFactory(code="juvenile", name="Juvenile")
    juvenile.default_level = "sealed"
    juvenile.save()
    juvenile.default_marks.set(Mark.objects.filter(code="JUVENILE"))
    registrar = factories.UserFactory(
        role="registrar", username="salma", password=PASSWORD, clearance="sealed", marks=("JUVENILE",)
    )
    judge = factories.UserFactory(role="judge", username="judge-omar", password=PASSWORD, clearance="sealed", marks=("JUVENILE",))
    clerk = factories.UserFactory(role="clerk", username="clerk-rami", password=PASSWORD)
    return court, registrar, judge, clerk


def test_a_juvenile_case_is_sealed_on_registration_and_seen_only_by_those_cleared_and_assigned(
    page, sign_in, expect, people, browser, live_server
):
    court, registrar, judge, clerk = people

    sign_in("salma", PASSWORD)
    assert page.goto("/admin/records/case-files/new/").ok
    page.fill("input[name=number]", NUMBER)
    page.select_option("select[name=court]", label=str(court))
    page.select_option("select[name=case_type]", label="Juvenile")
    page.fill("input[name=date_filed]", "2025-04-01")
    page.fill("input[name=title]", "In the matter of a child")
    with page.expect_navigation():
        page.locator("#w-editor-form button[type=submit]").first.click()

    case_file = CaseFile.objects.get(number=NUMBER)
    # Sealed by rule, though the form asked for the default internal level.
    assert case_file.level == "sealed"
    assert list(case_file.marks.values_list("code", flat=True)) == ["JUVENILE"]
    # The registrar, cleared for it, was assigned as its registrant and lands on its page.
    page.wait_for_selector("[data-testid=case-level]")
    # Marks are shown by their label in the reader's language (here the seeded English name).
    assert page.inner_text("[data-testid=case-marks]") == "Juvenile"

    # Assign the judge.
    assert page.goto(f"/admin/records/case-files/assignments/{case_file.pk}/").ok
    page.select_option("select[name=user]", label="judge-omar")
    with page.expect_navigation():
        page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Assigned.")).to_be_visible()

    # The judge sees it; the clerk finds nothing, and its address answers as an address of nothing.
    context, judge_page = signed_in(browser, live_server, "judge-omar")
    assert judge_page.goto(f"/admin/records/case-files/inspect/{case_file.pk}/").ok
    assert judge_page.inner_text("[data-testid=case-number]") == NUMBER
    context.close()

    context, clerk_page = signed_in(browser, live_server, "clerk-rami")
    clerk_page.goto(f"/admin/records/case-files/?q={NUMBER}")
    assert clerk_page.get_by_role("link", name=NUMBER).count() == 0
    assert "In the matter of a child" not in clerk_page.content()
    hidden = clerk_page.goto(f"/admin/records/case-files/inspect/{case_file.pk}/")
    hidden_status, hidden_text = hidden.status, hidden.text()
    missing = clerk_page.goto("/admin/records/case-files/inspect/00000000-0000-4000-8000-000000000000/")
    assert hidden_status == missing.status == 404
    assert hidden_text == missing.text()
    context.close()
