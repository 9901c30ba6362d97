"""Reads for the evaluation app, and every permission check of it (permission-checked getters).

A view never fetches an evaluation object itself: it calls one of the ``*_get_*`` functions below,
which either return the object or raise ``EvaluationAccessDenied`` with a message for the user.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, Exists, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from methodbank.accounts import roles
from methodbank.catalog.models import Practice, PracticeKind
from methodbank.core.params import parse_id

from .models import (
    CriteriaSet,
    EvaluationEvent,
    EventGroup,
    EventGuest,
    ExpertAssessment,
    ExpertRecommendation,
    GroupAssessment,
    Outcome,
    PeerAssessment,
    Phase,
)
from .stats import distribution, krippendorff_alpha


class EvaluationAccessDenied(PermissionDenied):
    """Refused access, with a message that tells the user why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _refuse_own_model(user, practice):
    if roles.is_team_member(user, practice):
        raise EvaluationAccessDenied(
            _(
                "You are a member of the project team of “%(model)s”. A project team cannot evaluate "
                "its own model."
            )
            % {"model": practice.title}
        )


def group_conflicts(group, practice, team=None) -> list:
    """The group's members who belong to the model's team (then the group cannot assess it)."""
    team = roles.team_user_ids(practice) if team is None else team
    return [m for m in group.members.all() if m.pk in team]


def _refuse_group_own_model(group, practice):
    if group_conflicts(group, practice):
        raise EvaluationAccessDenied(
            _(
                "Group %(group)s includes a member of the project team of “%(model)s”. A project team "
                "cannot evaluate its own model."
            )
            % {"group": group.name, "model": practice.title}
        )


def _require_coordinator(user):
    if not roles.is_coordinator(user):
        raise EvaluationAccessDenied(_("Only coordinators can manage evaluation events."))


# --- criteria -------------------------------------------------------------------------------


def criteria_set_active(*, phase: str) -> CriteriaSet | None:
    return CriteriaSet.objects.filter(phase=phase, is_active=True).prefetch_related("criteria").first()


def criteria_set_get(*, pk) -> CriteriaSet:
    return CriteriaSet.objects.prefetch_related("criteria").get(pk=pk)


# --- events ---------------------------------------------------------------------------------


def _event_queryset():
    return EvaluationEvent.objects.select_related("coordinator", "criteria_set").prefetch_related(
        Prefetch(
            "models_on_agenda",
            queryset=Practice.objects.select_related("project").order_by("title"),
        ),
        "criteria_set__criteria",
    )


def _event_or_denied(pk) -> EvaluationEvent:
    try:
        return _event_queryset().get(pk=pk)
    except (EvaluationEvent.DoesNotExist, ValueError, TypeError):
        raise EvaluationAccessDenied(_("This evaluation event does not exist.")) from None


def events_for_user(*, user):
    """Coordinators see every event; others the events they take part in."""
    qs = _event_queryset()
    if roles.is_coordinator(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(Q(participants=user) | Q(groups__members=user)).distinct()


def event_get_for_coordinator(*, user, pk) -> EvaluationEvent:
    _require_coordinator(user)
    return _event_or_denied(pk)


def event_get_for_participant(*, user, pk) -> EvaluationEvent:
    event = _event_or_denied(pk)
    if roles.is_coordinator(user):
        return event
    if not user.is_authenticated:
        raise EvaluationAccessDenied(_("Log in or use the event's anonymous link to take part."))
    if event.participants.filter(pk=user.pk).exists() or event.groups.filter(members=user).exists():
        return event
    raise EvaluationAccessDenied(_("You are not a participant of this evaluation event."))


_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]+")


def event_get_for_token(*, token, now=None) -> EvaluationEvent:
    """The event of an anonymous link, only while the link is valid."""
    # Tokens are URL-safe base64 (secrets.token_urlsafe) of at most 64 characters: anything else,
    # NUL included (PostgreSQL refuses it in a query), cannot be one.
    valid = bool(token) and len(token) <= 64 and _TOKEN_PATTERN.fullmatch(token) is not None
    event = _event_queryset().filter(access_token=token).first() if valid else None
    if event is None:
        raise EvaluationAccessDenied(
            _("This evaluation link is not valid. Ask the coordinator for a new one.")
        )
    if (now or timezone.now()) >= event.access_expires_at:
        raise EvaluationAccessDenied(
            _("This evaluation link expired on %(when)s.")
            % {"when": date_format(timezone.localtime(event.access_expires_at), "DATETIME_FORMAT")}
        )
    return event


def event_model_get(*, event, practice_pk) -> Practice:
    for practice in event.models_on_agenda.all():
        if str(practice.pk) == str(practice_pk):
            return practice
    raise EvaluationAccessDenied(_("This model is not on the agenda of the event."))


def practice_get_for_peer_assessment(*, user, event, practice_pk) -> Practice:
    """A model on the event's agenda that this user may assess (never their own project's)."""
    practice = event_model_get(event=event, practice_pk=practice_pk)
    _refuse_own_model(user, practice)
    return practice


def group_get_for_member(*, user, event, group_pk, guest=None) -> EventGroup:
    """A group of the event that this user (or this anonymous participant) belongs to."""
    group = EventGroup.objects.filter(event=event, pk=group_pk).prefetch_related("members", "guests").first()
    if group is None:
        raise EvaluationAccessDenied(_("This small group does not exist."))
    if guest is not None:
        allowed = any(g.pk == guest.pk for g in group.guests.all())
    else:
        allowed = roles.is_coordinator(user) or any(m.pk == user.pk for m in group.members.all())
    if not allowed:
        raise EvaluationAccessDenied(_("Only the members of the group can fill its assessment."))
    return group


def practice_get_for_group_assessment(*, user, group, practice_pk) -> Practice:
    """A model the group may assess: on the agenda, not the user's own, nor any member's own."""
    practice = practice_get_for_peer_assessment(user=user, event=group.event, practice_pk=practice_pk)
    _refuse_group_own_model(group, practice)
    return practice


def guest_for_browser(*, event, anonymous_id) -> EventGuest | None:
    """The anonymous participant who joined the event in this browser, if any."""
    if not anonymous_id:
        return None
    return EventGuest.objects.filter(event=event, anonymous_id=anonymous_id).first()


def event_guests(*, event):
    return EventGuest.objects.filter(event=event).order_by("nickname")


def guest_agenda(*, event, guest):
    """[(model, my answer's public id or None, [(my group, done, blocked)])] for an anonymous participant."""
    mine = my_answers(event=event, anonymous_id=guest.anonymous_id) if guest else {}
    groups = list(guest.groups.prefetch_related("members")) if guest else []
    return _agenda_rows(event, mine, groups)


def _agenda_rows(event, mine, groups):
    done = set(
        GroupAssessment.objects.filter(group__in=groups, discarded_at__isnull=True).values_list(
            "group_id", "practice_id"
        )
    )
    rows = []
    for practice in event.models_on_agenda.all():
        team = roles.team_user_ids(practice) if groups else set()
        group_rows = [
            (g, (g.pk, practice.pk) in done, bool(group_conflicts(g, practice, team))) for g in groups
        ]
        rows.append((practice, mine.get(practice.pk), group_rows))
    return rows


def groups_of_user(*, user, event):
    if not user.is_authenticated:
        return EventGroup.objects.none()
    if roles.is_coordinator(user):
        # The coordinator reaches every group's form from the event page.
        return EventGroup.objects.filter(event=event).prefetch_related("members")
    return EventGroup.objects.filter(event=event, members=user).prefetch_related("members")


def event_group_get(*, event, pk) -> EventGroup:
    group = EventGroup.objects.filter(event=event, pk=pk).first()
    if group is None:
        raise EvaluationAccessDenied(_("This small group does not exist."))
    return group


def event_groups(*, event):
    return EventGroup.objects.filter(event=event).prefetch_related("members", "guests").order_by("name")


def my_answers(*, event, user=None, anonymous_id="") -> dict:
    """{practice pk: public id} of the caller's own individual answers at the event."""
    qs = PeerAssessment.objects.filter(event=event)
    if user is not None and user.is_authenticated:
        qs = qs.filter(rater=user)
    elif anonymous_id:
        qs = qs.filter(anonymous_id=anonymous_id, rater__isnull=True)
    else:
        return {}
    return dict(qs.values_list("practice_id", "public_id"))


def event_agenda(*, event, user):
    """[(model, my answer's public id or None, [(group, done, blocked)])] for a participant.

    A coordinator sees every group; ``blocked`` says a member belongs to the model's team."""
    groups = list(groups_of_user(user=user, event=event))
    mine = my_answers(event=event, user=user)
    return _agenda_rows(event, mine, groups)


def peer_assessment_get_own(*, user, anonymous_id, public_id) -> PeerAssessment:
    """A participant sees only their own individual form, never anyone else's."""
    owner = Q(rater=user) if user.is_authenticated else Q(pk__in=[])
    if anonymous_id:
        owner |= Q(anonymous_id=anonymous_id, rater__isnull=True)
    assessment = (
        PeerAssessment.objects.filter(owner, public_id=public_id)
        .select_related("event", "practice", "criteria_set")
        .prefetch_related("criteria_set__criteria")
        .first()
    )
    if assessment is None:
        raise EvaluationAccessDenied(_("This answer is not yours, or it does not exist."))
    return assessment


def peer_assessment_find(*, event, practice, rater=None, anonymous_id="") -> PeerAssessment | None:
    qs = PeerAssessment.objects.filter(event=event, practice=practice)
    if rater is not None:
        return qs.filter(rater=rater).first()
    if anonymous_id:
        return qs.filter(anonymous_id=anonymous_id, rater__isnull=True).first()
    return None


def group_assessment_find(*, group, practice) -> GroupAssessment | None:
    return GroupAssessment.objects.filter(group=group, practice=practice).select_related("saved_by").first()


def event_get_for_results(*, user, pk) -> EvaluationEvent:
    if not (roles.is_coordinator(user) or roles.is_expert(user)):
        raise EvaluationAccessDenied(_("Only coordinators and experts can see the evaluation results."))
    return _event_or_denied(pk)


def practice_get_for_feedback(*, user, event_pk, practice_pk):
    """The feedback report is for the project team, the coordinators and the experts."""
    event = _event_or_denied(event_pk)
    practice = event_model_get(event=event, practice_pk=practice_pk)
    if not (roles.is_coordinator(user) or roles.is_expert(user) or roles.is_team_member(user, practice)):
        raise EvaluationAccessDenied(_("The feedback report is for the project team of the model."))
    return event, practice


def practice_get_for_expert(*, user, event_pk, practice_pk):
    """Experts (and coordinators) review a model after its peer phase, never their own project's."""
    if not (roles.is_expert(user) or roles.is_coordinator(user)):
        raise EvaluationAccessDenied(
            _("Only invited experts and coordinators take part in the expert phase.")
        )
    event = _event_or_denied(event_pk)
    practice = event_model_get(event=event, practice_pk=practice_pk)
    _refuse_own_model(user, practice)
    return event, practice


def expert_queue(*, user):
    """(event, model, recommendation or None, my assessment or None) for models with peer results."""
    if not (roles.is_expert(user) or roles.is_coordinator(user)):
        raise EvaluationAccessDenied(
            _("Only invited experts and coordinators take part in the expert phase.")
        )
    wanted = set(PeerAssessment.objects.values_list("event_id", "practice_id").distinct())
    wanted |= set(GroupAssessment.objects.values_list("event_id", "practice_id").distinct())
    events = {
        e.pk: e for e in _event_queryset().filter(pk__in={event_pk for event_pk, _practice_pk in wanted})
    }
    practices = Practice.objects.select_related("project").in_bulk(
        {practice_pk for _event_pk, practice_pk in wanted}
    )
    recommendations = {
        (r.event_id, r.practice_id): r
        for r in ExpertRecommendation.objects.filter(practice__in=practices.keys())
    }
    mine = {
        (a.event_id, a.practice_id): a
        for a in ExpertAssessment.objects.filter(expert=user, practice__in=practices.keys())
    }
    rows = [
        (events[e], practices[p], recommendations.get((e, p)), mine.get((e, p)))
        for e, p in wanted
        if e in events and p in practices
    ]
    rows.sort(key=lambda r: (r[2] is not None, -r[0].date.toordinal(), r[1].title))
    return rows


def feedback_for_team_member(*, user):
    """(event, model) pairs with peer results for the models of the user's own projects."""
    if not user.is_authenticated:
        return []
    own = Practice.objects.filter(
        roles.team_practices_q(user), kind=PracticeKind.MODEL
    ).distinct()
    pairs = set(PeerAssessment.objects.filter(practice__in=own).values_list("event_id", "practice_id"))
    pairs |= set(GroupAssessment.objects.filter(practice__in=own).values_list("event_id", "practice_id"))
    if not pairs:
        return []
    events = EvaluationEvent.objects.in_bulk({event_pk for event_pk, _practice_pk in pairs})
    practices = Practice.objects.in_bulk({practice_pk for _event_pk, practice_pk in pairs})
    rows = [(events[e], practices[p]) for e, p in pairs]
    rows.sort(key=lambda row: (-row[0].date.toordinal(), row[1].title))
    return rows


def expert_assessments_for(*, event, practice):
    return ExpertAssessment.objects.filter(event=event, practice=practice).select_related("expert")


def expert_recommendation_for(*, event, practice) -> ExpertRecommendation | None:
    return (
        ExpertRecommendation.objects.filter(event=event, practice=practice)
        .select_related("decided_by")
        .first()
    )


PEOPLE_SEARCH_LIMIT = 20


def people_search(*, user, query, exclude=()):
    """Active accounts whose name, username or e-mail contains the query: the participant picker
    searches instead of listing every user of the bank. Coordinators only (it shows e-mails)."""
    _require_coordinator(user)
    # NUL cannot reach PostgreSQL in a string literal; 200 characters is longer than any name or address.
    query = " ".join((query or "").replace("\x00", "").split())[:200]
    if len(query) < 2:
        return []
    from django.contrib.auth import get_user_model

    people = get_user_model().objects.filter(is_active=True).exclude(pk__in=list(exclude))
    for word in query.split()[:4]:
        people = people.filter(
            Q(full_name__icontains=word) | Q(username__icontains=word) | Q(email__icontains=word)
        )
    return list(people.order_by("full_name", "username")[:PEOPLE_SEARCH_LIMIT])


def people_by_ids(ids):
    from django.contrib.auth import get_user_model

    # parse_id, not isdigit: "²" is a digit to Python but no id, and a 30-digit number overflows.
    clean = [pk for pk in map(parse_id, ids) if pk is not None]
    return list(get_user_model().objects.filter(pk__in=clean).order_by("full_name", "username"))


def published_models():
    return Practice.objects.published().filter(kind=PracticeKind.MODEL).select_related("project")


def peer_criteria_sets():
    return CriteriaSet.objects.filter(phase=Phase.PEER).order_by("family", "-version")


# --- progress -------------------------------------------------------------------------------


@dataclass
class ModelProgress:
    practice: Practice
    individual: int = 0
    anonymous: int = 0
    groups_done: list = field(default_factory=list)
    groups_missing: list = field(default_factory=list)
    groups_blocked: list = field(default_factory=list)  # a member is on the model's team
    answered: list = field(default_factory=list)  # participants with an account who answered
    missing: list = field(default_factory=list)  # participants with an account who have not
    guests_answered: list = field(default_factory=list)  # anonymous participants, by nickname
    guests_missing: list = field(default_factory=list)
    discarded: int = 0

    @property
    def total(self):
        return self.individual + self.anonymous

    @property
    def groups_total(self):
        return len(self.groups_done) + len(self.groups_missing)


def event_progress(*, event) -> list[ModelProgress]:
    """Who has answered and what is missing, per model on the agenda (a constant number of queries
    plus one per model for its team)."""
    participants = list(event.participants.order_by("full_name", "username"))
    guests = list(event.guests.order_by("nickname"))
    groups = list(event.groups.prefetch_related("members").order_by("name"))
    answers = defaultdict(set)
    guest_answers = defaultdict(set)
    anonymous = defaultdict(int)
    discarded = defaultdict(int)
    for practice_id, rater_id, anonymous_id, discarded_at in PeerAssessment.objects.filter(
        event=event
    ).values_list("practice_id", "rater_id", "anonymous_id", "discarded_at"):
        if discarded_at is not None:
            discarded[practice_id] += 1
        elif rater_id is None:
            anonymous[practice_id] += 1
            guest_answers[practice_id].add(anonymous_id)
        else:
            answers[practice_id].add(rater_id)
    group_done = defaultdict(set)
    for practice_id, group_id in GroupAssessment.objects.filter(
        event=event, discarded_at__isnull=True
    ).values_list("practice_id", "group_id"):
        group_done[practice_id].add(group_id)
    rows = []
    for practice in event.models_on_agenda.all():
        own_team = roles.team_user_ids(practice)
        row = ModelProgress(practice=practice, anonymous=anonymous[practice.pk], discarded=discarded[practice.pk])
        row.individual = len(answers[practice.pk])
        for person in participants:
            if person.pk in own_team:
                continue  # a team member is not expected to evaluate their own model
            (row.answered if person.pk in answers[practice.pk] else row.missing).append(person)
        for guest in guests:
            answered = guest.anonymous_id in guest_answers[practice.pk]
            (row.guests_answered if answered else row.guests_missing).append(guest)
        for group in groups:
            if group.pk in group_done[practice.pk]:
                row.groups_done.append(group)
            elif group_conflicts(group, practice, own_team):
                row.groups_blocked.append(group)
            else:
                row.groups_missing.append(group)
        rows.append(row)
    return rows


def event_answers(*, event) -> dict:
    """Every individual and group answer of the event, for the coordinator (who may discard one)."""
    peers = list(
        PeerAssessment.objects.filter(event=event)
        .select_related("practice", "rater", "guest", "discarded_by")
        .order_by("practice__title", "created_at", "id")
    )
    groups = list(
        GroupAssessment.objects.filter(event=event)
        .select_related("practice", "group", "saved_by", "saved_by_guest", "discarded_by")
        .order_by("practice__title", "group__name")
    )
    return {"peer_answers": peers, "group_answers": groups}


def assessment_get_for_discard(*, event, kind, public_id):
    model = {"yksilo": PeerAssessment, "ryhma": GroupAssessment}.get(kind)
    assessment = (
        model.objects.filter(event=event, public_id=public_id).select_related("practice").first()
        if model is not None
        else None
    )
    if assessment is None:
        raise EvaluationAccessDenied(_("This answer does not exist at this event."))
    return assessment


# --- results --------------------------------------------------------------------------------


@dataclass
class CriterionResult:
    criterion: object
    individual: object  # stats.Distribution
    groups: object  # stats.Distribution
    alpha_across_models: object  # stats.AlphaResult over the models of the event


@dataclass
class ModelResults:
    event: EvaluationEvent
    practice: Practice
    criteria_set: CriteriaSet
    criteria: list
    individual_count: int
    anonymous_count: int
    group_count: int
    alpha_individual: object  # raters x criteria for this model
    alpha_groups: object
    strengths: list
    development_ideas: list
    group_texts: list  # (group name, strengths, development ideas, notes)
    history: list = field(default_factory=list)  # [CriterionHistory] when evaluated more than once


@dataclass
class CriterionHistory:
    code: str
    title: str
    labels: list  # one per evaluation event, oldest first
    individual: list  # mean per event (None: no numeric answer)
    groups: list


def _score(value):
    return value if isinstance(value, int) else None


def model_results(*, event, practice) -> ModelResults:
    """Distribution, mean and agreement per criterion, and the collected texts, for one model."""
    criteria_set = event.criteria_set
    criteria = list(criteria_set.criteria.all())
    codes = [c.code for c in criteria]
    event_peers = list(
        PeerAssessment.objects.filter(event=event, discarded_at__isnull=True).order_by("created_at", "id")
    )
    peers = [a for a in event_peers if a.practice_id == practice.pk]
    groups = list(
        GroupAssessment.objects.filter(event=event, practice=practice, discarded_at__isnull=True)
        .select_related("group")
        .order_by("group__name")
    )

    rows = []
    for criterion in criteria:
        # Across the models of the event: one row per rater, one column per model.
        by_rater = defaultdict(dict)
        for a in event_peers:
            key = ("u", a.rater_id) if a.rater_id else ("a", a.anonymous_id)
            by_rater[key][a.practice_id] = _score(a.scores.get(criterion.code))
        model_ids = sorted({a.practice_id for a in event_peers})
        matrix = [[scores.get(m) for m in model_ids] for scores in by_rater.values()]
        rows.append(
            CriterionResult(
                criterion=criterion,
                individual=distribution([_score(a.scores.get(criterion.code)) for a in peers]),
                groups=distribution([_score(g.scores.get(criterion.code)) for g in groups]),
                alpha_across_models=krippendorff_alpha(matrix, "ordinal"),
            )
        )
    return ModelResults(
        event=event,
        practice=practice,
        criteria_set=criteria_set,
        criteria=rows,
        individual_count=sum(1 for a in peers if a.rater_id),
        anonymous_count=sum(1 for a in peers if not a.rater_id),
        group_count=len(groups),
        alpha_individual=krippendorff_alpha(
            [[_score(a.scores.get(c)) for c in codes] for a in peers], "ordinal"
        ),
        alpha_groups=krippendorff_alpha(
            [[_score(g.scores.get(c)) for c in codes] for g in groups], "ordinal"
        ),
        strengths=[a.strengths for a in peers if a.strengths.strip()],
        development_ideas=[a.development_ideas for a in peers if a.development_ideas.strip()],
        group_texts=[
            (g.group.name, g.strengths, g.development_ideas, g.notes)
            for g in groups
            if (g.strengths + g.development_ideas + g.notes).strip()
        ],
        history=model_history(practice=practice, criteria=criteria, until=event),
    )


def latest_model_results(*, practice_ids) -> dict:
    """{practice pk: ModelResults of the latest event with counted answers for it}, for the models
    among ``practice_ids`` that have been peer evaluated (others are left out). Discarded answers
    do not count, so an event whose every answer was discarded is not an evaluation of the model."""
    latest = {}
    for model in (PeerAssessment, GroupAssessment):
        rows = (
            model.objects.filter(practice_id__in=practice_ids, discarded_at__isnull=True)
            .values_list("practice_id", "event_id", "event__date")
            .distinct()
        )
        for practice_id, event_id, event_date in rows:
            key = (event_date, event_id)
            if practice_id not in latest or key > latest[practice_id]:
                latest[practice_id] = key
    if not latest:
        return {}
    events = EvaluationEvent.objects.select_related("criteria_set").in_bulk({e for _d, e in latest.values()})
    practices = Practice.objects.in_bulk(list(latest))
    return {
        pk: model_results(event=events[event_id], practice=practices[pk])
        for pk, (_date, event_id) in sorted(latest.items())
    }


def model_history(*, practice, criteria, until=None) -> list[CriterionHistory]:
    """Each criterion's means at every event that evaluated the model (up to ``until``), matched by
    criterion code across criteria versions. Empty unless the model was evaluated more than once."""
    events = EvaluationEvent.objects.filter(
        Q(peer_assessments__practice=practice, peer_assessments__discarded_at__isnull=True)
        | Q(group_assessments__practice=practice, group_assessments__discarded_at__isnull=True)
    ).distinct()
    if until is not None:
        events = events.filter(Q(date__lt=until.date) | Q(date=until.date, pk__lte=until.pk))
    events = list(events.order_by("date", "pk"))
    if len(events) < 2:
        return []
    peers = defaultdict(list)
    for a in PeerAssessment.objects.filter(practice=practice, event__in=events, discarded_at__isnull=True):
        peers[a.event_id].append(a.scores)
    groups = defaultdict(list)
    for g in GroupAssessment.objects.filter(practice=practice, event__in=events, discarded_at__isnull=True):
        groups[g.event_id].append(g.scores)
    labels = [date_format(e.date, "SHORT_DATE_FORMAT") for e in events]
    history = []
    for criterion in criteria:
        history.append(
            CriterionHistory(
                code=criterion.code,
                title=criterion.title,
                labels=labels,
                individual=[
                    distribution([_score(s.get(criterion.code)) for s in peers[e.pk]]).mean for e in events
                ],
                groups=[distribution([_score(s.get(criterion.code)) for s in groups[e.pk]]).mean for e in events],
            )
        )
    return history


# --- public status --------------------------------------------------------------------------


class EvaluationStatus:
    NOT_EVALUATED = "not_evaluated"
    PEER_EVALUATED = "peer_evaluated"
    RECOMMENDED = Outcome.RECOMMENDED.value
    FURTHER_DEVELOPMENT = Outcome.FURTHER_DEVELOPMENT.value
    LOCAL = Outcome.LOCAL.value

    LABELS = {
        NOT_EVALUATED: gettext_lazy("not evaluated"),
        PEER_EVALUATED: gettext_lazy("peer evaluated"),
        RECOMMENDED: gettext_lazy("recommended for national dissemination"),
        FURTHER_DEVELOPMENT: gettext_lazy("disseminable after further development"),
        LOCAL: gettext_lazy("a local good practice"),
    }
    CHOICES = list(LABELS.items())


@dataclass
class StatusInfo:
    status: str
    date: object = None  # date of the recommendation or of the latest peer assessment
    recommendation: ExpertRecommendation | None = None
    is_outdated: bool = False  # the description was edited after the evaluation

    @property
    def label(self):
        return EvaluationStatus.LABELS[self.status]

    @property
    def evaluated_version(self):
        return self.recommendation.evaluated_lock_version if self.recommendation else None


def practice_evaluated_text(practice: Practice) -> dict:
    """The description as evaluated: title, summary and every template section (not a version's
    content: only the text a recommendation is about)."""
    return {"title": practice.title, "summary": practice.summary, **practice.template_texts()}


def recommendation_is_outdated(recommendation, practice) -> bool:
    """Has the description changed since the experts evaluated it?

    A newer lock_version or updated_at only says the row was saved again (a status change saves it
    too), so when the evaluated text was kept the decision is made on the text itself.
    """
    newer = (
        practice.lock_version > recommendation.evaluated_lock_version
        or practice.updated_at > recommendation.evaluated_updated_at
    )
    if not newer:
        return False
    snapshot = recommendation.evaluated_snapshot
    if not snapshot:
        return True
    return practice_evaluated_text(practice) != snapshot


def evaluation_status_for(practices) -> dict:
    """{practice pk: StatusInfo} for the given practices (or pks), in three queries at most."""
    by_pk = {}
    pks = []
    for p in practices:
        if isinstance(p, Practice):
            by_pk[p.pk] = p
            pks.append(p.pk)
        else:
            pks.append(p)
    missing = [pk for pk in pks if pk not in by_pk]
    if missing:
        fields = ["pk", "lock_version", "updated_at", "title", "summary"]
        fields += [name for name, _heading in Practice.TEMPLATE_FIELDS]
        by_pk.update(Practice.objects.only(*fields).in_bulk(missing))
    result = {pk: StatusInfo(status=EvaluationStatus.NOT_EVALUATED) for pk in pks}
    latest = {}
    for rec in ExpertRecommendation.objects.filter(practice_id__in=pks).order_by(
        "practice_id", "-decided_on", "-id"
    ):
        latest.setdefault(rec.practice_id, rec)
    for pk, rec in latest.items():
        practice = by_pk.get(pk)
        outdated = practice is not None and recommendation_is_outdated(rec, practice)
        result[pk] = StatusInfo(
            status=rec.outcome, date=rec.decided_on, recommendation=rec, is_outdated=outdated
        )
    waiting = [pk for pk in pks if pk not in latest]
    if waiting:
        # The date shown is the workshop's, not the moment of the latest answer.
        peer_dates = {}
        for model in (PeerAssessment, GroupAssessment):
            rows = (
                model.objects.filter(practice_id__in=waiting, discarded_at__isnull=True)
                .values_list("practice_id", "event__date")
                .distinct()
            )
            for practice_id, event_date in rows:
                if practice_id not in peer_dates or event_date > peer_dates[practice_id]:
                    peer_dates[practice_id] = event_date
        for pk, when in peer_dates.items():
            result[pk] = StatusInfo(status=EvaluationStatus.PEER_EVALUATED, date=when)
    return result


def practices_with_evaluation_status(queryset):
    """Annotate ``evaluation_status`` (an EvaluationStatus value) for facets and filters in SQL."""
    latest_outcome = ExpertRecommendation.objects.filter(practice=OuterRef("pk")).order_by(
        "-decided_on", "-id"
    )
    peer = PeerAssessment.objects.filter(practice=OuterRef("pk"), discarded_at__isnull=True)
    group = GroupAssessment.objects.filter(practice=OuterRef("pk"), discarded_at__isnull=True)
    return queryset.annotate(
        evaluation_status=Coalesce(
            Subquery(latest_outcome.values("outcome")[:1]),
            Case(
                When(Exists(peer) | Exists(group), then=Value(EvaluationStatus.PEER_EVALUATED)),
                default=Value(EvaluationStatus.NOT_EVALUATED),
                output_field=CharField(),
            ),
            output_field=CharField(),
        )
    )
