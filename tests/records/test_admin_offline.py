"""The staff interface runs on an offline network: nothing may point at an outside host."""

from wagtail.users.utils import get_gravatar_url


def test_avatar_never_points_at_gravatar():
    # A broken image on an offline network; Wagtail falls back to its own default avatar.
    assert get_gravatar_url("clerk@court.example") is None


def test_help_menu_has_no_wagtail_release_notes(rf, django_user_model, db):
    from wagtail.admin.menu import help_menu

    request = rf.get("/admin/")
    request.user = django_user_model.objects.create_superuser("lead", password="x")
    names = [item.name for item in help_menu.menu_items_for_request(request)]
    assert names, "the help menu should still offer something"
    assert not [name for name in names if name.startswith("whats-new")]
