"""Wagtail's account settings: a clerk without an email address (the demo accounts have none) can still
choose the interface language, and the interface then speaks it."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.users.models import UserProfile

from tests.html_forms import form_data, post_form

pytestmark = pytest.mark.django_db


def test_a_clerk_without_an_email_switches_the_interface_to_french(clerk, clerk_client):
    assert clerk.email == ""
    url = reverse("wagtailadmin_account")
    data = {**form_data(post_form(clerk_client.get(url))), "locale-preferred_language": "fr"}

    response = clerk_client.post(url, data)

    assert response.status_code == 302, BeautifulSoup(response.content, "html.parser").select(".error-message")
    assert UserProfile.get_for_user(clerk).preferred_language == "fr"
    dashboard = BeautifulSoup(clerk_client.get(reverse("wagtailadmin_home")).content, "html.parser")
    assert dashboard.html["lang"] == "fr"
    assert "Tableau de bord" in dashboard.get_text()
