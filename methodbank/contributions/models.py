"""Versions of entries, moderation decisions and autosaved form drafts."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from methodbank.catalog.models import Practice, Project


class VersionStatus(models.TextChoices):
    # The snapshot was the entry's content when it was saved (an unpublished entry is edited in place).
    SAVED = "saved", _("saved")
    # A revision of a published entry, waiting: the published content stays visible meanwhile.
    DRAFT = "draft", _("revision draft")
    SUBMITTED = "submitted", _("revision submitted")
    RETURNED = "returned", _("revision returned for changes")
    # The snapshot became the published content.
    PUBLISHED = "published", _("published")
    # A later revision replaced this pending one before it was moderated.
    SUPERSEDED = "superseded", _("superseded")


PENDING_VERSION_STATUSES = (VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.RETURNED)

# A version's own workflow (the entry's is PublishableModel.TRANSITIONS): a revision of a published
# entry is submitted, then published or returned; a returned one is submitted again. Any pending
# revision is superseded by the next save; a saved snapshot becomes the published one when the
# entry is published. Published and superseded versions are history and never change.
VERSION_TRANSITIONS = {
    VersionStatus.SAVED: {VersionStatus.PUBLISHED},
    VersionStatus.DRAFT: {VersionStatus.SUBMITTED, VersionStatus.SUPERSEDED},
    VersionStatus.SUBMITTED: {VersionStatus.PUBLISHED, VersionStatus.RETURNED, VersionStatus.SUPERSEDED},
    VersionStatus.RETURNED: {VersionStatus.SUBMITTED, VersionStatus.SUPERSEDED},
    VersionStatus.PUBLISHED: set(),
    VersionStatus.SUPERSEDED: set(),
}


class PracticeVersion(models.Model):
    """A full snapshot of an entry (fields, placements, keywords, links). Every save keeps one."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("content"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_versions",
        verbose_name=_("author"),
    )
    reason = models.TextField(_("reason for the change"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=VersionStatus.choices, db_index=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["practice", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "number"], name="practiceversion_unique_number"),
        ]
        verbose_name = _("version")
        verbose_name_plural = _("versions")

    def __str__(self):
        return f"{self.practice} v{self.number}"

    @property
    def is_pending(self):
        return self.status in PENDING_VERSION_STATUSES


class Decision(models.TextChoices):
    PUBLISHED = "published", _("published")
    RETURNED = "returned", _("returned for changes")
    ARCHIVED = "archived", _("archived")
    RESTORED = "restored", _("earlier version restored")


class ModerationDecision(models.Model):
    """A coordinator's decision with comments: the feedback the team sees on its own page."""

    practice = models.ForeignKey(
        Practice, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions"
    )
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions")
    version = models.ForeignKey(
        PracticeVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    comment = models.TextField(_("comments"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(practice__isnull=False) | models.Q(project__isnull=False),
                name="moderationdecision_has_target",
            ),
        ]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")

    def __str__(self):
        return f"{self.get_decision_display()}: {self.practice or self.project}"


class FormDraft(models.Model):
    """What a user has typed in a form but not saved yet (autosave). Keyed by form, e.g.
    "practice-new" or "practice-12"; restored when the form is opened again, even after re-login."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="form_drafts")
    key = models.CharField(max_length=64)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="formdraft_unique_key")]

    def __str__(self):
        return f"{self.user_id}:{self.key}"

    def get_absolute_url(self):
        return reverse("contributions:autosave", kwargs={"key": self.key})


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a decision")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")


class ProjectClaim(models.Model):
    """A user's request to join a project's team (and so the team of its entries), e.g. to complete
    an imported entry. A coordinator approves (the user becomes a member) or declines it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="claims", verbose_name=_("project"))
    # The entry whose page the request was made from, to show the coordinator what it is about.
    practice = models.ForeignKey(
        Practice, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("entry")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_claims", verbose_name=_("user")
    )
    reason = models.TextField(_("why you belong to the team"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.PENDING, db_index=True
    )
    comment = models.TextField(_("coordinator's comment"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One open request per user and project: a second click does not queue a duplicate.
            models.UniqueConstraint(
                fields=["project", "user"], condition=models.Q(status="pending"), name="projectclaim_one_pending",
            ),
        ]
        verbose_name = _("request to join a team")
        verbose_name_plural = _("requests to join a team")

    def __str__(self):
        return f"{self.user} → {self.project}"


class QualityIssueKind(models.TextChoices):
    # The values are the importer's finding kinds (catalog.importers.findings).
    GARBLED = "garbled", _("garbled characters")
    LOOSE_MATCH = "loose_match", _("loose project-name match")
    REPEATED_PARAGRAPH = "repeated_paragraph", _("repeated paragraph")
    POSSIBLE_DUPLICATE = "possible_duplicate", _("possible duplicate")
    MISSING_SECTIONS = "missing_sections", _("missing sections")


class QualityIssueStatus(models.TextChoices):
    OPEN = "open", _("open")
    FIXED = "fixed", _("fixed")
    DISMISSED = "dismissed", _("dismissed")


class QualityIssue(models.Model):
    """An importer's finding in the coordinators' data-quality queue, tied to its entry or project.

    Only the queue's own rows change when an item is fixed or dismissed: the catalog, its counts and
    the reports never read this table."""

    kind = models.CharField(_("kind"), max_length=32, choices=QualityIssueKind.choices, db_index=True)
    # kind, entry, project and the finding's key: the same finding in a re-import has the same one,
    # so a dismissed item is found, not made again.
    fingerprint = models.CharField(max_length=64, unique=True, editable=False)
    practice = models.ForeignKey(
        Practice, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("entry")
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("project")
    )
    detail = models.TextField(_("details"), blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=QualityIssueStatus.choices, default=QualityIssueStatus.OPEN, db_index=True
    )
    reason = models.TextField(_("reason for dismissing"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(practice__isnull=False) | models.Q(project__isnull=False),
                name="qualityissue_has_target",
            ),
        ]
        verbose_name = _("data-quality item")
        verbose_name_plural = _("data-quality items")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.practice or self.project}"
