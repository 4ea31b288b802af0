"""The case chooser registers nothing: its `create/` address, which Wagtail routes although the chooser has
no create tab, answers as one that does not exist, to a GET and to a POST, and no case file is made."""

import pytest
from django.test import Client
from django.urls import reverse

from records.models import CaseFile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["clerk", "superuser"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_case_chooser_create_address_is_not_found(request, who, method):
    client = Client(raise_request_exception=False)
    client.force_login(request.getfixturevalue(who))
    url = reverse("records_casefile_chooser:create")

    response = getattr(client, method)(url, {"number": "2024/0001", "title": "Chosen into being"})

    assert response.status_code == 404
    assert not CaseFile.objects.exists()
