"""The staff interface runs on an offline network: nothing may point at an outside host."""

from wagtail.users.utils import get_gravatar_url


def test_avatar_never_points_at_gravatar():
    # A broken image on an offline network; Wagtail falls back to its own default avatar.
    assert get_gravatar_url("clerk@court.example") is None
