"""Writes for the evaluation app. Every function is atomic and validates before it saves."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from methodbank.catalog.models import Practice
from methodbank.core.services import audit_log

from .models import (
    LEVELS,
    CriteriaSet,
    Criterion,
    EvaluationEvent,
    EventGroup,
    ExpertAssessment,
    ExpertRecommendation,
    GroupAssessment,
    Outcome,
    PeerAssessment,
    Phase,
)
from .selectors import practice_snapshot

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
def event_group_save(
    *, event: EvaluationEvent, by, name: str, members, group: EventGroup | None = None
) -> EventGroup:
    group = group or EventGroup(event=event)
    if group.event_id != event.pk:
        raise ValidationError(_("The group belongs to another event."))
    group.name = name.strip()
    group.full_clean()
    group.save()
    group.members.set(members)
    event.participants.add(*members)
    audit_log(actor=by, verb="evaluation_group.save", target=group, data={"members": [m.pk for m in members]})
    return group


@transaction.atomic
def event_group_delete(*, group: EventGroup, by) -> None:
    if group.assessments.exists():
        raise ValidationError(_("The group has already assessed a model and cannot be removed."))
    audit_log(actor=by, verb="evaluation_group.delete", target=group)
    group.delete()


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


@transaction.atomic
def peer_assessment_save(
    *, event, practice, scores, rater=None, anonymous_id="", strengths="", development_ideas="", notes=""
) -> PeerAssessment:
    """Create or update one participant's individual form (logged in or anonymous, never both)."""
    if (rater is None) == (not anonymous_id):
        raise ValidationError(_("An answer needs either a participant or an anonymous id."))
    _check_on_agenda(event, practice)
    owner = {"rater": rater} if rater is not None else {"anonymous_id": anonymous_id, "rater__isnull": True}
    assessment = (
        PeerAssessment.objects.select_for_update().filter(event=event, practice=practice, **owner).first()
    )
    if assessment is None:
        assessment = PeerAssessment(
            event=event,
            practice=practice,
            rater=rater,
            anonymous_id=anonymous_id,
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
    *, group: EventGroup, practice: Practice, by, scores, strengths="", development_ideas="", notes=""
) -> GroupAssessment:
    """The group's one assessment of a model; any member may save it again."""
    event = group.event
    _check_on_agenda(event, practice)
    assessment = GroupAssessment.objects.select_for_update().filter(group=group, practice=practice).first()
    if assessment is None:
        assessment = GroupAssessment(
            event=event, group=group, practice=practice, criteria_set=event.criteria_set
        )
    assessment.scores = _clean_scores(assessment.criteria_set, scores)
    assessment.strengths = strengths.strip()
    assessment.development_ideas = development_ideas.strip()
    assessment.notes = notes.strip()
    assessment.saved_by = by
    assessment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:
        raise ValidationError(_("The group has already assessed this model.")) from None
    criteria_set_freeze(criteria_set=assessment.criteria_set)
    audit_log(actor=by, verb="group_assessment.save", target=assessment)
    return assessment


def _active_expert_set():
    criteria_set = CriteriaSet.objects.filter(phase=Phase.EXPERT, is_active=True).first()
    if criteria_set is not None:
        criteria_set_freeze(criteria_set=criteria_set)
    return criteria_set


def _require_peer_results(event, practice):
    if not (
        PeerAssessment.objects.filter(event=event, practice=practice).exists()
        or GroupAssessment.objects.filter(event=event, practice=practice).exists()
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
    recommendation.evaluated_snapshot = practice_snapshot(current)
    recommendation.full_clean()
    recommendation.save()
    audit_log(
        actor=by,
        verb="expert_recommendation.decide",
        target=recommendation,
        data={"outcome": outcome, "practice": practice.pk, "lock_version": current.lock_version},
    )
    return recommendation
