"""Dates and times written by Python code (not by templates) follow the visitor's language too."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from methodbank.contributions.tests.factories import UserFactory
from methodbank.evaluation.tests.factories import EvaluationEventFactory

pytestmark = pytest.mark.django_db


def test_an_evaluation_event_names_its_date_in_the_active_language():
    event = EvaluationEventFactory(title="Työpaja")
    with translation.override("fi"):
        assert str(event) == "Työpaja (30.11.2026)"
    with translation.override("sv"):
        assert str(event) == "Työpaja (30.11.2026)"
    with translation.override("en"):
        assert str(event) == "Työpaja (30 Nov 2026)"


@pytest.mark.parametrize("language, pattern", [("fi", r"\d{1,2}\.\d{2}\."), ("sv", r"\d{2}\.\d{2}\."),
                                               ("en", r"\d{2}:\d{2}\.")])
def test_the_autosave_message_writes_the_time_the_languages_way(language, pattern):
    client = Client()
    client.force_login(UserFactory())
    with translation.override(language):
        url = reverse("contributions:autosave", kwargs={"key": "practice-new"})
    response = client.post(url, {"title": "Kesken"})
    assert response.status_code == 200
    assert re.search(pattern, response.content.decode()), response.content.decode()
