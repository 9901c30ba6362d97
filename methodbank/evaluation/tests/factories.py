"""Factories for the evaluation tests. Events use the default peer criteria from the data migration."""

import datetime
import importlib

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from methodbank.accounts.roles import Role
from methodbank.accounts.services import user_add_role
from methodbank.evaluation.models import CriteriaSet, EvaluationEvent, EventGroup, Phase


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    full_name = factory.LazyAttribute(lambda o: o.username.capitalize())


class CoordinatorFactory(UserFactory):
    """Staff (for the admin) in the coordinator group, which grants the role (accounts.roles)."""

    is_staff = True

    @factory.post_generation
    def coordinator_group(self, create, extracted, **kwargs):
        if create:
            user_add_role(user=self, role=Role.COORDINATOR)


def ensure_default_criteria():
    """The data migration's default sets. A transactional test elsewhere (a browser test) may have
    flushed the tables, so the tests put them back rather than depend on the order they run in."""
    from django.apps import apps

    migration = importlib.import_module("methodbank.evaluation.migrations.0002_default_criteria")
    migration.create_default_sets(apps, None)


def active_peer_set():
    ensure_default_criteria()
    return CriteriaSet.objects.get(phase=Phase.PEER, is_active=True)


class EvaluationEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationEvent
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Vertaisarvioinnin työpaja {n}")
    date = datetime.date(2026, 11, 30)
    place = "Helsinki"
    coordinator = factory.SubFactory(CoordinatorFactory)
    criteria_set = factory.LazyFunction(active_peer_set)
    access_expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=6))

    @factory.post_generation
    def models_on_agenda(self, create, extracted, **kwargs):
        if create and extracted:
            self.models_on_agenda.set(extracted)

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create and extracted:
            self.participants.set(extracted)


class EventGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventGroup
        skip_postgeneration_save = True

    event = factory.SubFactory(EvaluationEventFactory)
    name = factory.Sequence(lambda n: f"Ryhmä {n}")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted)


def answers(criteria_set, value=3, **overrides):
    """POST data for the assessment form: every criterion at ``value`` unless overridden."""
    data = {f"criterion_{c.code}": str(value) for c in criteria_set.criteria.all()}
    data.update({f"criterion_{k}": str(v) for k, v in overrides.items()})
    return data


def scores(criteria_set, value=3, **overrides):
    """Service-level scores: {code: level or None}."""
    result = {c.code: value for c in criteria_set.criteria.all()}
    result.update(overrides)
    return result


def join(client, event, nickname):
    """A browser opens the event's link and joins with a nickname (the first step of an anonymous
    participant); returns the client for chaining."""
    from django.urls import reverse

    response = client.post(reverse("evaluation:anon_event", args=[event.access_token]), {"nickname": nickname})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client
