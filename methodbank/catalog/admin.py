"""Admin for coordinators: correct any catalog record. Every change is written to the audit log.

The workflow is not the admin's: ``status`` and its dates are read-only here, and the actions that
change a status or approve a keyword are added by contributions/admin.py, which calls the same
services as the site (catalog may not import contributions)."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

from methodbank.core.services import audit_log

from .models import (
    Keyword,
    Organisation,
    Period,
    Placement,
    Practice,
    PracticeLink,
    PracticeTranslation,
    Project,
    ProjectTranslation,
    PublicationStatus,
    Subtheme,
    Theme,
)

# Set by the workflow's services only: the admin shows them.
WORKFLOW_FIELDS = ["status", "submitted_at", "published_at", "archived_at"]


class LockedAdminForm(forms.ModelForm):
    """Optimistic locking in the admin, as in the site's forms: the lock_version the page was opened
    with travels in a hidden field, and a save is refused when someone (a contributor, a moderator's
    publish) changed the record since. Without it, the admin silently overwrote their change."""

    seen_lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("seen_lock_version", self.instance.lock_version)

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_lock_version")
        if self.instance.pk is not None and seen is not None:
            current = type(self.instance).objects.filter(pk=self.instance.pk).values_list("lock_version", flat=True)
            if current.first() != seen:
                raise forms.ValidationError(
                    _("Someone changed this record while you were editing it. Open it again to see their "
                      "change, then make yours."),
                    code="edit_conflict",
                )
        return cleaned


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if change and hasattr(obj, "lock_version"):
                # An open contribution form of this record now gets an edit conflict instead of
                # overwriting the correction.
                obj.lock_version = F("lock_version") + 1
            super().save_model(request, obj, form, change)
            if change and hasattr(obj, "lock_version"):
                obj.refresh_from_db(fields=["lock_version"])
            audit_log(
                actor=request.user,
                verb="admin_change" if change else "admin_add",
                target=obj,
                data={"fields": sorted(form.changed_data)} if change else {},
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_log(actor=request.user, verb="admin_delete", target=obj)
            super().delete_model(request, obj)


class PlacementInline(admin.TabularInline):
    model = Placement
    extra = 0
    autocomplete_fields = ["subtheme"]
    fields = ["theme", "subtheme", "period", "position"]


class PracticeLinkInline(admin.TabularInline):
    model = PracticeLink
    extra = 0
    fields = ["url", "title", "position"]


class PracticeTranslationInline(admin.StackedInline):
    """The entry in the other interface languages; the entry's own fields hold the original."""

    model = PracticeTranslation
    extra = 0
    fields = ["language", *PracticeTranslation.TRANSLATED_FIELDS]


class PracticeAdminForm(LockedAdminForm):
    # No Meta: the admin builds the form's Meta from its fieldsets.

    def clean_project(self):
        # A published entry never links to an unpublished project (its text would reach the public
        # unmoderated, the link would be a 404): the same rule as practice_publish.
        project = self.cleaned_data.get("project")
        if (self.instance.status == PublicationStatus.PUBLISHED and project is not None
                and project.status != PublicationStatus.PUBLISHED):
            raise forms.ValidationError(_("A published entry can only belong to a published project."))
        return project


@admin.register(Practice)
class PracticeAdmin(AuditedAdmin):
    form = PracticeAdminForm
    list_display = ["title", "kind", "project", "status", "updated_at"]
    list_filter = ["kind", "status", ("placements__theme", admin.RelatedOnlyFieldListFilter), "placements__period"]
    search_fields = ["title", "slug", "summary", "project__name", "project__short_name"]
    autocomplete_fields = ["project", "keywords", "applies_model"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [*WORKFLOW_FIELDS, "created_at", "updated_at", "lock_version", "source"]
    inlines = [PlacementInline, PracticeLinkInline, PracticeTranslationInline]
    list_select_related = ["project"]
    date_hierarchy = "updated_at"
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "project", "summary", "applies_model", "keywords", "language"]}),
        (_("Template"), {"fields": [name for name, _heading in Practice.TEMPLATE_FIELDS]}),
        (
            _("Publication"),
            {"fields": ["status", "submitted_at", "published_at", "archived_at", "owner"]},
        ),
        (_("Record"), {"fields": ["source", "created_at", "updated_at", "lock_version", "seen_lock_version"],
                       "classes": ["collapse"]}),
    ]
    raw_id_fields = ["owner"]


class ProjectPracticeInline(admin.TabularInline):
    model = Practice
    fk_name = "project"
    extra = 0
    fields = ["title", "kind", "status"]
    readonly_fields = ["title", "kind", "status"]
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ProjectTranslationInline(admin.StackedInline):
    model = ProjectTranslation
    extra = 0
    fields = ["language", *ProjectTranslation.TRANSLATED_FIELDS]


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "lead", "ends_on", "scope", "status", "entry_count"]
    list_filter = ["scope", "themes", "status"]
    search_fields = ["name", "short_name", "slug", "lead__name", "description"]
    autocomplete_fields = ["lead"]
    filter_horizontal = ["themes"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [*WORKFLOW_FIELDS, "created_at", "updated_at", "lock_version"]
    form = LockedAdminForm
    raw_id_fields = ["owner", "members"]
    list_select_related = ["lead"]
    inlines = [ProjectTranslationInline, ProjectPracticeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_entry_count=Count("practices", distinct=True))

    @admin.display(description=_("entries"), ordering="_entry_count")
    def entry_count(self, obj):
        return obj._entry_count


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class SubthemeInline(admin.TabularInline):
    model = Subtheme
    extra = 0
    fields = ["name", "name_sv", "name_en", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Theme)
class ThemeAdmin(AuditedAdmin):
    list_display = ["code", "name", "name_sv", "name_en", "slug"]
    search_fields = ["name", "name_sv", "name_en", "code"]
    inlines = [SubthemeInline]


@admin.register(Subtheme)
class SubthemeAdmin(AuditedAdmin):
    list_display = ["name", "name_sv", "name_en", "theme", "position"]
    list_filter = ["theme"]
    search_fields = ["name", "name_sv", "name_en", "theme__name"]
    list_select_related = ["theme"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Period)
class PeriodAdmin(AuditedAdmin):
    list_display = ["name", "name_sv", "name_en", "code", "starts_on", "ends_on"]
    search_fields = ["name", "name_sv", "name_en", "code"]


@admin.register(Keyword)
class KeywordAdmin(AuditedAdmin):
    list_display = ["name", "slug", "approved", "entry_count"]
    list_filter = ["approved"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    # Approving is a moderation decision: the admin action (contributions/admin.py) calls its service.
    readonly_fields = ["approved"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_entry_count=Count("practices", distinct=True))

    @admin.display(description=_("entries"), ordering="_entry_count")
    def entry_count(self, obj):
        return obj._entry_count
