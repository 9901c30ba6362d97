"""The contribution side's admin, and the workflow's actions on the catalog's admin pages.

catalog/admin.py shows ``status`` read-only and cannot import this app, so the actions that change a
status or approve a keyword are added here. Each calls the same service as the site, so the admin
writes the same audit verbs, decisions, versions and e-mails, and obeys the same transition table.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from methodbank.catalog.admin import KeywordAdmin, PracticeAdmin, ProjectAdmin
from methodbank.catalog.models import Keyword, Practice, Project
from methodbank.core.errors import ApplicationError

from . import permissions as perms
from . import services
from .models import ModerationDecision, PracticeVersion


@admin.register(PracticeVersion)
class PracticeVersionAdmin(admin.ModelAdmin):
    list_display = ["practice", "number", "status", "author", "created_at"]
    list_filter = ["status"]
    search_fields = ["practice__title"]
    readonly_fields = ["practice", "number", "data", "author", "created_at"]


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(admin.ModelAdmin):
    list_display = ["practice", "project", "decision", "decided_by", "created_at"]
    list_filter = ["decision"]


def _run_service(model_admin, request, queryset, call, success):
    """Call the service for each selected object; report what it refused, object by object."""
    done = 0
    for obj in queryset:
        try:
            call(obj)
        except (ApplicationError, ValidationError) as error:
            text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            model_admin.message_user(request, f"{obj}: {text}", messages.ERROR)
        else:
            done += 1
    if done:
        model_admin.message_user(request, success(done) % {"count": done}, messages.SUCCESS)


class WorkflowPracticeAdmin(PracticeAdmin):
    actions = ["publish", "archive"]

    def save_related(self, request, form, formsets, change):
        # After the inlines (placements, links, translations): the version holds the whole entry.
        super().save_related(request, form, formsets, change)
        if change:
            services.practice_admin_correction_record(practice=form.instance, by=request.user)

    @admin.action(description=_("Publish selected entries"), permissions=["moderate"])
    def publish(self, request, queryset):
        _run_service(self, request, queryset, lambda p: services.practice_publish(practice=p, by=request.user),
                     lambda n: ngettext("%(count)d entry published.", "%(count)d entries published.", n))

    @admin.action(description=_("Archive selected entries"), permissions=["moderate"])
    def archive(self, request, queryset):
        _run_service(self, request, queryset, lambda p: services.practice_archive(practice=p, by=request.user),
                     lambda n: ngettext("%(count)d entry archived.", "%(count)d entries archived.", n))

    def has_moderate_permission(self, request):
        return perms.can_moderate(request.user)


class WorkflowProjectAdmin(ProjectAdmin):
    actions = ["publish"]

    @admin.action(description=_("Publish selected projects"), permissions=["moderate"])
    def publish(self, request, queryset):
        _run_service(self, request, queryset, lambda p: services.project_publish(project=p, by=request.user),
                     lambda n: ngettext("%(count)d project published.", "%(count)d projects published.", n))

    def has_moderate_permission(self, request):
        return perms.can_moderate(request.user)


class WorkflowKeywordAdmin(KeywordAdmin):
    actions = ["approve"]

    @admin.action(description=_("Approve selected keywords"), permissions=["moderate"])
    def approve(self, request, queryset):
        _run_service(self, request, queryset.filter(approved=False),
                     lambda k: services.keyword_approve(keyword=k, by=request.user),
                     lambda n: ngettext("%(count)d keyword approved.", "%(count)d keywords approved.", n))

    def has_moderate_permission(self, request):
        return perms.can_moderate(request.user)


for model, model_admin in [(Practice, WorkflowPracticeAdmin), (Project, WorkflowProjectAdmin),
                           (Keyword, WorkflowKeywordAdmin)]:
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
