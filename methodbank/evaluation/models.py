"""Two-phase evaluation of models (seed: "Miten malleja arvioidaan?").

1. Peer phase: at a workshop (EvaluationEvent) participants fill an individual form per model
   (PeerAssessment, logged in or through the event's anonymous link) and small groups fill one
   group form per model (GroupAssessment), both against a versioned CriteriaSet.
2. Expert phase: experts give individual assessments (ExpertAssessment) and then one joint
   recommendation (ExpertRecommendation) that records which version of the description it concerns.
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from methodbank.catalog.models import PracticeKind
from methodbank.core.models import TimeStampedModel

LEVELS = (1, 2, 3, 4)


class Phase(models.TextChoices):
    PEER = "peer", _("peer evaluation")
    EXPERT = "expert", _("expert evaluation")


class Outcome(models.TextChoices):
    """The three outcomes of the expert phase (national scalability)."""

    RECOMMENDED = "recommended", _("recommended for national dissemination")
    FURTHER_DEVELOPMENT = "further_development", _("disseminable after further development")
    LOCAL = "local", _("a local good practice")


class CriteriaSet(TimeStampedModel):
    """One version of a set of criteria. ``family`` ties the versions of the same set together.

    A set is frozen when the first assessment uses it; after that its criteria never change, so a
    finished evaluation always shows the exact wording it was made with. Edits go to a new version.
    """

    family = models.SlugField(_("set identifier"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(
        _("active"), default=False, help_text=_("New evaluation events use the active version of the phase.")
    )
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True, editable=False)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("previous version"),
    )

    class Meta:
        ordering = ["phase", "family", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="criteriaset_unique_version"),
            models.UniqueConstraint(
                fields=["phase"], condition=Q(is_active=True), name="criteriaset_one_active_per_phase"
            ),
        ]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")

    def __str__(self):
        return f"{self.name} v{self.version}"

    @property
    def is_frozen(self):
        return self.frozen_at is not None


class Criterion(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("criteria set")
    )
    code = models.SlugField(_("code"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    level_1 = models.TextField(_("level 1"))
    level_2 = models.TextField(_("level 2"))
    level_3 = models.TextField(_("level 3"))
    level_4 = models.TextField(_("level 4"))
    source_note = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("Where the criterion comes from.")
    )

    class Meta:
        ordering = ["criteria_set", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_unique_code_per_set"),
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.title

    def levels(self):
        """[(1, text), ..., (4, text)] for the form and the reports."""
        return [(n, getattr(self, f"level_{n}")) for n in LEVELS]


def _new_token():
    return secrets.token_urlsafe(24)


class EvaluationEvent(TimeStampedModel):
    """A peer-evaluation workshop: models on the agenda, participants, small groups."""

    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    models_on_agenda = models.ManyToManyField(
        "catalog.Practice",
        related_name="evaluation_events",
        limit_choices_to={"kind": PracticeKind.MODEL},
        verbose_name=_("models on the agenda"),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="evaluation_events", verbose_name=_("participants")
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coordinated_evaluation_events",
        verbose_name=_("coordinator"),
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        on_delete=models.PROTECT,
        related_name="events",
        limit_choices_to={"phase": Phase.PEER},
        verbose_name=_("criteria"),
    )
    # The anonymous link carries only this random token: no personal data, valid for this event only.
    access_token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    access_expires_at = models.DateTimeField(_("anonymous link expires"))

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("evaluation event")
        verbose_name_plural = _("evaluation events")

    def __str__(self):
        return f"{self.title} ({date_format(self.date, 'SHORT_DATE_FORMAT')})"

    def clean(self):
        if not self.place and not self.online_url:
            raise ValidationError(_("Give a place or an online link."))

    def get_absolute_url(self):
        return reverse("evaluation:event", kwargs={"pk": self.pk})

    def get_anonymous_url(self):
        return reverse("evaluation:anon_event", kwargs={"token": self.access_token})


class EventGuest(TimeStampedModel):
    """A participant who joined through the anonymous link: a nickname and nothing else.

    ``anonymous_id`` is the random id kept in that browser's session; it ties the browser to this
    guest, so the guest's answers and group can be found again without any personal data.
    """

    event = models.ForeignKey(EvaluationEvent, on_delete=models.CASCADE, related_name="guests")
    nickname = models.CharField(
        _("nickname"),
        max_length=40,
        help_text=_("Any name your group will recognise. Do not give your full name or e-mail."),
    )
    anonymous_id = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["event", "nickname"]
        constraints = [
            models.UniqueConstraint(fields=["event", "nickname"], name="eventguest_unique_nickname"),
            models.UniqueConstraint(fields=["event", "anonymous_id"], name="eventguest_unique_browser"),
        ]
        verbose_name = _("anonymous participant")
        verbose_name_plural = _("anonymous participants")

    def __str__(self):
        return self.nickname


class EventGroup(models.Model):
    """A small group formed by the coordinator; it fills one group assessment per model."""

    event = models.ForeignKey(EvaluationEvent, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=100)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="evaluation_groups", verbose_name=_("members")
    )
    guests = models.ManyToManyField(
        EventGuest, blank=True, related_name="groups", verbose_name=_("anonymous members")
    )

    class Meta:
        ordering = ["event", "name"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="eventgroup_unique_name")]
        verbose_name = _("small group")
        verbose_name_plural = _("small groups")

    def __str__(self):
        return self.name


class ScoredAssessment(TimeStampedModel):
    """Scores per criterion code (1–4, or None for "cannot say") plus the free texts."""

    # Subclasses add event, practice and criteria_set with their own reverse names.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    scores = models.JSONField(_("scores"), default=dict)
    strengths = models.TextField(_("strengths"), blank=True)
    development_ideas = models.TextField(_("development ideas"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # A discarded answer stays stored (with who discarded it and why) but no longer counts.
    discarded_at = models.DateTimeField(_("discarded"), null=True, blank=True, editable=False)
    discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    discard_reason = models.TextField(_("reason for discarding"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_discarded(self):
        return self.discarded_at is not None

    def score_list(self):
        """(criterion, score or None) in the set's order."""
        return [(c, self.scores.get(c.code)) for c in self.criteria_set.criteria.all()]


class PeerAssessment(ScoredAssessment):
    """One participant's individual form for one model at one event."""

    event = models.ForeignKey(EvaluationEvent, on_delete=models.CASCADE, related_name="peer_assessments")
    practice = models.ForeignKey(
        "catalog.Practice", on_delete=models.CASCADE, related_name="peer_assessments"
    )
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="peer_assessments")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="peer_assessments",
    )
    # A random per-browser id kept in the session of an anonymous participant: no personal data.
    anonymous_id = models.CharField(max_length=64, blank=True)
    guest = models.ForeignKey(
        EventGuest, null=True, blank=True, on_delete=models.SET_NULL, related_name="peer_assessments"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "practice", "rater"],
                condition=Q(rater__isnull=False),
                name="peer_one_per_rater",
            ),
            models.UniqueConstraint(
                fields=["event", "practice", "anonymous_id"],
                condition=~Q(anonymous_id=""),
                name="peer_one_per_anonymous",
            ),
        ]
        verbose_name = _("individual assessment")
        verbose_name_plural = _("individual assessments")

    def __str__(self):
        return f"{self.practice} / {self.event}"

    @property
    def is_anonymous(self):
        return self.rater_id is None


class GroupAssessment(ScoredAssessment):
    """The one assessment a small group gives a model."""

    event = models.ForeignKey(EvaluationEvent, on_delete=models.CASCADE, related_name="group_assessments")
    practice = models.ForeignKey(
        "catalog.Practice", on_delete=models.CASCADE, related_name="group_assessments"
    )
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="group_assessments")
    group = models.ForeignKey(EventGroup, on_delete=models.CASCADE, related_name="assessments")
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_by_guest = models.ForeignKey(
        EventGuest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["group__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "practice"], name="group_one_per_model"),
        ]
        verbose_name = _("group assessment")
        verbose_name_plural = _("group assessments")

    def __str__(self):
        return f"{self.group} / {self.practice}"


class ExpertAssessment(TimeStampedModel):
    """One expert's view of a model's national scalability after the peer phase."""

    event = models.ForeignKey(EvaluationEvent, on_delete=models.CASCADE, related_name="expert_assessments")
    practice = models.ForeignKey(
        "catalog.Practice", on_delete=models.CASCADE, related_name="expert_assessments"
    )
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The expert-phase guidance (criteria) version the assessment was made with.
    criteria_set = models.ForeignKey(
        CriteriaSet, null=True, blank=True, on_delete=models.PROTECT, related_name="expert_assessments"
    )
    outcome = models.CharField(_("outcome"), max_length=32, choices=Outcome.choices)
    rationale = models.TextField(_("rationale"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "practice", "expert"], name="expert_one_per_model"),
        ]
        verbose_name = _("expert assessment")
        verbose_name_plural = _("expert assessments")

    def __str__(self):
        return f"{self.practice}: {self.get_outcome_display()}"


class ExpertRecommendation(TimeStampedModel):
    """The joint result of the expert phase, tied to the exact description that was evaluated."""

    event = models.ForeignKey(EvaluationEvent, on_delete=models.PROTECT, related_name="recommendations")
    practice = models.ForeignKey(
        "catalog.Practice", on_delete=models.CASCADE, related_name="expert_recommendations"
    )
    outcome = models.CharField(_("outcome"), max_length=32, choices=Outcome.choices)
    rationale = models.TextField(_("rationale"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_on = models.DateField(_("date of decision"))
    criteria_set = models.ForeignKey(
        CriteriaSet, null=True, blank=True, on_delete=models.PROTECT, related_name="recommendations"
    )
    evaluated_lock_version = models.PositiveIntegerField(_("evaluated version"))
    evaluated_updated_at = models.DateTimeField(_("evaluated description saved"))
    # The description as the experts saw it, so a later edit cannot change what was evaluated.
    evaluated_snapshot = models.JSONField(_("evaluated description"), default=dict)

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "practice"], name="recommendation_one_per_event_model"),
        ]
        verbose_name = _("expert recommendation")
        verbose_name_plural = _("expert recommendations")

    def __str__(self):
        return f"{self.practice}: {self.get_outcome_display()} ({date_format(self.decided_on, 'SHORT_DATE_FORMAT')})"
