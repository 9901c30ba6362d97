"""Writes for the evaluation app. Every function is atomic and validates before it saves."""

import random
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from methodbank.accounts import roles
from methodbank.catalog.models import Practice
from methodbank.core.services import audit_log

from .models import (
    LEVELS,
    CriteriaSet,
    Criterion,
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
from .selectors import group_conflicts, practice_evaluated_text

CRITERION_FIELDS = [
    "code",
    "title",
    "description",
    "position",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
    "source_note",
]


# --- criteria sets --------------------------------------------------------------------------


def criteria_set_freeze(*, criteria_set: CriteriaSet) -> None:
    """Freeze a set when it is first used; a frozen set is never edited again."""
    if criteria_set.frozen_at is None:
        now = timezone.now()
        CriteriaSet.objects.filter(pk=criteria_set.pk, frozen_at__isnull=True).update(frozen_at=now)
        criteria_set.frozen_at = now


@transaction.atomic
def criteria_set_new_version(*, criteria_set: CriteriaSet, by) -> CriteriaSet:
    """Copy a set and its criteria to the next version, for editing. The copy starts inactive."""
    latest = CriteriaSet.objects.filter(family=criteria_set.family).order_by("-version").first()
    copy = CriteriaSet(
        family=criteria_set.family,
        name=criteria_set.name,
        phase=criteria_set.phase,
        version=latest.version + 1,
        description=criteria_set.description,
        previous=criteria_set,
    )
    copy.full_clean()
    copy.save()
    Criterion.objects.bulk_create(
        Criterion(criteria_set=copy, **{f: getattr(c, f) for f in CRITERION_FIELDS})
        for c in criteria_set.criteria.all()
    )
    audit_log(actor=by, verb="criteria_set.new_version", target=copy, data={"from": criteria_set.pk})
    return copy


@transaction.atomic
def criteria_set_activate(*, criteria_set: CriteriaSet, by) -> CriteriaSet:
    """Make this version the one new events use; the other versions of the phase step aside."""
    if not criteria_set.criteria.exists():
        raise ValidationError(_("A criteria set without criteria cannot be activated."))
    CriteriaSet.objects.filter(phase=criteria_set.phase, is_active=True).exclude(pk=criteria_set.pk).update(
        is_active=False
    )
    criteria_set.is_active = True
    criteria_set.save(update_fields=["is_active", "updated_at"])
    audit_log(actor=by, verb="criteria_set.activate", target=criteria_set)
    return criteria_set


def criteria_set_check_editable(*, criteria_set: CriteriaSet) -> None:
    if criteria_set.is_frozen:
        raise ValidationError(
            _("“%(set)s” has been used in evaluations and cannot change. Make a new version to edit it.")
            % {"set": criteria_set}
        )


# --- events ---------------------------------------------------------------------------------


def _check_models(models):
    wrong = [p for p in models if not p.is_model or not p.is_published]
    if wrong:
        raise ValidationError(
            {
                "models_on_agenda": _("Only published models can be evaluated: %(titles)s")
                % {"titles": ", ".join(p.title for p in wrong)}
            }
        )


@transaction.atomic
def event_create(*, by, models, participants=(), **fields) -> EvaluationEvent:
    _check_models(models)
    event = EvaluationEvent(**fields)
    if not event.coordinator_id:
        event.coordinator = by
    event.full_clean()
    event.save()
    event.models_on_agenda.set(models)
    event.participants.set(participants)
    audit_log(actor=by, verb="evaluation_event.create", target=event)
    return event


@transaction.atomic
def event_update(*, event: EvaluationEvent, by, models, participants, **fields) -> EvaluationEvent:
    _check_models(models)
    if (
        "criteria_set" in fields
        and fields["criteria_set"] != event.criteria_set
        and _event_has_answers(event)
    ):
        raise ValidationError({"criteria_set": _("The criteria cannot change after the first answers.")})
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    event.save()
    event.models_on_agenda.set(models)
    # Group members stay participants: they need the event to reach their group's form.
    members = set(
        EventGroup.members.through.objects.filter(eventgroup__event=event).values_list("user_id", flat=True)
    )
    event.participants.set({p.pk for p in participants} | members)
    audit_log(actor=by, verb="evaluation_event.update", target=event)
    return event


def _event_has_answers(event):
    return (
        PeerAssessment.objects.filter(event=event).exists()
        or GroupAssessment.objects.filter(event=event).exists()
    )


@transaction.atomic
def event_rotate_access(*, event: EvaluationEvent, by, expires_at=None) -> EvaluationEvent:
    """Replace the anonymous link (the old one stops working at once) and optionally its expiry."""
    event.access_token = secrets.token_urlsafe(24)
    if expires_at is not None:
        event.access_expires_at = expires_at
    event.full_clean()
    event.save(update_fields=["access_token", "access_expires_at", "updated_at"])
    audit_log(actor=by, verb="evaluation_event.rotate_link", target=event)
    return event


@transaction.atomic
def guest_join(*, event: EvaluationEvent, anonymous_id: str, nickname: str) -> EventGuest:
    """An anonymous participant joins with a nickname; a browser joins an event once."""
    if not anonymous_id:
        raise ValidationError(_("An answer needs either a participant or an anonymous id."))
    existing = EventGuest.objects.filter(event=event, anonymous_id=anonymous_id).first()
    if existing is not None:
        return existing
    guest = EventGuest(event=event, anonymous_id=anonymous_id, nickname=" ".join(nickname.split()))
    guest.full_clean(validate_constraints=False)
    if EventGuest.objects.filter(event=event, nickname__iexact=guest.nickname).exists():
        raise ValidationError({"nickname": _("Someone at the event already uses this nickname. Choose another.")})
    try:
        with transaction.atomic():
            guest.save()
    except IntegrityError:
        raise ValidationError(
            {"nickname": _("Someone at the event already uses this nickname. Choose another.")}
        ) from None
    return guest


def _check_guests(event, guests):
    if any(g.event_id != event.pk for g in guests):
        raise ValidationError(_("The group belongs to another event."))


@transaction.atomic
def event_group_save(
    *, event: EvaluationEvent, by, name: str, members, guests=(), group: EventGroup | None = None
) -> EventGroup:
    group = group or EventGroup(event=event)
    if group.event_id != event.pk:
        raise ValidationError(_("The group belongs to another event."))
    guests = list(guests)
    _check_guests(event, guests)
    group.name = name.strip()
    group.full_clean()
    group.save()
    group.members.set(members)
    group.guests.set(guests)
    event.participants.add(*members)
    audit_log(
        actor=by,
        verb="evaluation_group.save",
        target=group,
        data={"members": [m.pk for m in members], "guests": [g.pk for g in guests]},
    )
    return group


@transaction.atomic
def event_groups_split(*, event: EvaluationEvent, by, size: int, seed=None) -> list[EventGroup]:
    """Split everyone present (participants with an account and anonymous participants) at random
    into groups of ``size``; the groups without answers are replaced, the rest are kept as they are."""
    if size < 2:
        raise ValidationError({"size": _("A group needs at least two people.")})
    kept = list(EventGroup.objects.filter(event=event, assessments__isnull=False).distinct())
    busy_users = {u for g in kept for u in g.members.values_list("pk", flat=True)}
    busy_guests = {u for g in kept for u in g.guests.values_list("pk", flat=True)}
    EventGroup.objects.filter(event=event).exclude(pk__in=[g.pk for g in kept]).delete()
    people = [("user", u) for u in event.participants.exclude(pk__in=busy_users).order_by("pk")]
    people += [("guest", g) for g in EventGuest.objects.filter(event=event).exclude(pk__in=busy_guests).order_by("pk")]
    if not people:
        raise ValidationError(_("Nobody is present yet: no participants and nobody has joined through the link."))
    random.Random(seed).shuffle(people)
    count = max(1, round(len(people) / size))
    taken = {g.name for g in kept}
    groups = []
    number = 0
    for index in range(count):
        number += 1
        while _("Group %(number)d") % {"number": number} in taken:
            number += 1
        chunk = people[index::count]
        group = EventGroup(event=event, name=_("Group %(number)d") % {"number": number})
        group.full_clean()
        group.save()
        group.members.set([p for kind, p in chunk if kind == "user"])
        group.guests.set([p for kind, p in chunk if kind == "guest"])
        groups.append(group)
    audit_log(
        actor=by,
        verb="evaluation_group.split",
        target=event,
        data={"size": size, "groups": [g.pk for g in groups], "kept": [g.pk for g in kept]},
    )
    return groups


@transaction.atomic
def event_group_delete(*, group: EventGroup, by) -> None:
    if group.assessments.exists():
        raise ValidationError(_("The group has already assessed a model and cannot be removed."))
    audit_log(actor=by, verb="evaluation_group.delete", target=group)
    group.delete()


@transaction.atomic
def assessment_discard(*, assessment, by, reason: str):
    """Take an answer out of the results, keeping it and the reason (who, when, why) for the record."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for discarding the answer.")})
    if assessment.discarded_at is not None:
        raise ValidationError(_("This answer has already been discarded."))
    assessment.discarded_at = timezone.now()
    assessment.discarded_by = by
    assessment.discard_reason = reason
    assessment.save(update_fields=["discarded_at", "discarded_by", "discard_reason", "updated_at"])
    audit_log(
        actor=by,
        verb=f"{assessment._meta.model_name}.discard",
        target=assessment,
        data={"reason": reason, "event": assessment.event_id, "practice": assessment.practice_id},
    )
    return assessment


# --- assessments ----------------------------------------------------------------------------


def _clean_scores(criteria_set: CriteriaSet, scores: dict) -> dict:
    """Every criterion answered with a level 1–4 or None ("cannot say"); nothing else."""
    codes = [c.code for c in criteria_set.criteria.all()]
    errors = {}
    clean = {}
    for code in codes:
        if code not in scores:
            errors[code] = _("Choose a level or “cannot say”.")
            continue
        value = scores[code]
        if value is not None and value not in LEVELS:
            errors[code] = _("Choose a level from 1 to 4 or “cannot say”.")
            continue
        clean[code] = value
    unknown = set(scores) - set(codes)
    if unknown:
        errors["__all__"] = _("Unknown criteria: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
    if errors:
        raise ValidationError(errors)
    return clean


def _check_on_agenda(event, practice):
    if not event.models_on_agenda.filter(pk=practice.pk).exists():
        raise ValidationError(_("This model is not on the agenda of the event."))


def _refuse_team(user, practice):
    if user is not None and user.pk in roles.team_user_ids(practice):
        raise ValidationError(_("A project team cannot evaluate its own model."))


def _refuse_discarded(assessment):
    if assessment is not None and assessment.discarded_at is not None:
        raise ValidationError(_("The coordinator has discarded this answer; it can no longer be changed."))


@transaction.atomic
def peer_assessment_save(
    *,
    event,
    practice,
    scores,
    rater=None,
    anonymous_id="",
    guest=None,
    strengths="",
    development_ideas="",
    notes="",
) -> PeerAssessment:
    """Create or update one participant's individual form (logged in or anonymous, never both).

    An anonymous participant who joined with a nickname (``guest``) answers under that guest's id,
    so there is one answer per participant and model."""
    if guest is not None:
        if guest.event_id != event.pk:
            raise ValidationError(_("The group belongs to another event."))
        anonymous_id = guest.anonymous_id
    if (rater is None) == (not anonymous_id):
        raise ValidationError(_("An answer needs either a participant or an anonymous id."))
    _check_on_agenda(event, practice)
    _refuse_team(rater, practice)
    owner = {"rater": rater} if rater is not None else {"anonymous_id": anonymous_id, "rater__isnull": True}
    assessment = (
        PeerAssessment.objects.select_for_update().filter(event=event, practice=practice, **owner).first()
    )
    _refuse_discarded(assessment)
    if assessment is None:
        assessment = PeerAssessment(
            event=event,
            practice=practice,
            rater=rater,
            anonymous_id=anonymous_id,
            guest=guest,
            criteria_set=event.criteria_set,
        )
    # An answer keeps the criteria version it was first given with.
    assessment.scores = _clean_scores(assessment.criteria_set, scores)
    assessment.strengths = strengths.strip()
    assessment.development_ideas = development_ideas.strip()
    assessment.notes = notes.strip()
    assessment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:
        raise ValidationError(_("You have already answered for this model.")) from None
    criteria_set_freeze(criteria_set=assessment.criteria_set)
    return assessment


@transaction.atomic
def group_assessment_save(
    *,
    group: EventGroup,
    practice: Practice,
    by=None,
    guest=None,
    scores,
    strengths="",
    development_ideas="",
    notes="",
) -> GroupAssessment:
    """The group's one assessment of a model; any member (with an account or not) may save it again."""
    event = group.event
    _check_on_agenda(event, practice)
    if guest is not None and not group.guests.filter(pk=guest.pk).exists():
        raise ValidationError(_("Only the members of the group can fill its assessment."))
    _refuse_team(by, practice)
    if group_conflicts(group, practice):
        raise ValidationError(_("A project team cannot evaluate its own model."))
    assessment = GroupAssessment.objects.select_for_update().filter(group=group, practice=practice).first()
    _refuse_discarded(assessment)
    if assessment is None:
        assessment = GroupAssessment(
            event=event, group=group, practice=practice, criteria_set=event.criteria_set
        )
    assessment.scores = _clean_scores(assessment.criteria_set, scores)
    assessment.strengths = strengths.strip()
    assessment.development_ideas = development_ideas.strip()
    assessment.notes = notes.strip()
    assessment.saved_by = by
    assessment.saved_by_guest = guest
    assessment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:
        raise ValidationError(_("The group has already assessed this model.")) from None
    criteria_set_freeze(criteria_set=assessment.criteria_set)
    audit_log(
        actor=by,
        verb="group_assessment.save",
        target=assessment,
        data={"guest": guest.nickname} if guest is not None else {},
    )
    return assessment


def _active_expert_set():
    criteria_set = CriteriaSet.objects.filter(phase=Phase.EXPERT, is_active=True).first()
    if criteria_set is not None:
        criteria_set_freeze(criteria_set=criteria_set)
    return criteria_set


def _require_peer_results(event, practice):
    if not (
        PeerAssessment.objects.filter(event=event, practice=practice, discarded_at__isnull=True).exists()
        or GroupAssessment.objects.filter(event=event, practice=practice, discarded_at__isnull=True).exists()
    ):
        raise ValidationError(_("The expert phase starts after the model has peer results."))


@transaction.atomic
def expert_assessment_save(*, event, practice, expert, outcome, rationale, notes="") -> ExpertAssessment:
    _check_on_agenda(event, practice)
    _require_peer_results(event, practice)
    assessment = ExpertAssessment.objects.filter(event=event, practice=practice, expert=expert).first()
    assessment = assessment or ExpertAssessment(
        event=event, practice=practice, expert=expert, criteria_set=_active_expert_set()
    )
    assessment.outcome = outcome
    assessment.rationale = rationale.strip()
    assessment.notes = notes.strip()
    assessment.full_clean()
    assessment.save()
    audit_log(actor=expert, verb="expert_assessment.save", target=assessment, data={"outcome": outcome})
    return assessment


@transaction.atomic
def expert_recommendation_decide(
    *, event, practice, by, outcome, rationale, decided_on=None
) -> ExpertRecommendation:
    """The joint recommendation; it records exactly which description version it concerns."""
    _check_on_agenda(event, practice)
    _require_peer_results(event, practice)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose one of the three outcomes.")})
    if not (rationale or "").strip():
        raise ValidationError({"rationale": _("Every outcome needs a written rationale.")})
    current = Practice.objects.select_for_update().get(pk=practice.pk)
    recommendation = ExpertRecommendation.objects.filter(event=event, practice=practice).first()
    recommendation = recommendation or ExpertRecommendation(event=event, practice=current)
    recommendation.criteria_set = _active_expert_set()
    recommendation.outcome = outcome
    recommendation.rationale = rationale.strip()
    recommendation.decided_by = by
    recommendation.decided_on = decided_on or timezone.localdate()
    recommendation.evaluated_lock_version = current.lock_version
    recommendation.evaluated_updated_at = current.updated_at
    recommendation.evaluated_snapshot = practice_evaluated_text(current)
    recommendation.full_clean()
    recommendation.save()
    audit_log(
        actor=by,
        verb="expert_recommendation.decide",
        target=recommendation,
        data={"outcome": outcome, "practice": practice.pk, "lock_version": current.lock_version},
    )
    return recommendation
