from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from methodbank.accounts import roles

from . import services
from .models import (
    CriteriaSet,
    Criterion,
    EvaluationEvent,
    EventGroup,
    ExpertAssessment,
    ExpertRecommendation,
    GroupAssessment,
    PeerAssessment,
)


class CoordinatorOnly:
    """Coordinators (accounts.roles) manage evaluation in the admin."""

    def has_module_permission(self, request):
        return roles.is_coordinator(request.user)

    def has_view_permission(self, request, obj=None):
        return roles.is_coordinator(request.user)

    def has_add_permission(self, request, *args):
        return roles.is_coordinator(request.user)

    def has_change_permission(self, request, obj=None):
        return roles.is_coordinator(request.user)

    def has_delete_permission(self, request, obj=None):
        return roles.is_coordinator(request.user)


class CriterionInline(CoordinatorOnly, admin.StackedInline):
    model = Criterion
    extra = 0
    fields = [
        "position",
        "code",
        "title",
        "description",
        "level_1",
        "level_2",
        "level_3",
        "level_4",
        "source_note",
    ]

    # A frozen (used) set is shown read-only: its wording must stay what the evaluators saw.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request) and not (obj and obj.is_frozen)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request) and not (obj and obj.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request) and not (obj and obj.is_frozen)


@admin.register(CriteriaSet)
class CriteriaSetAdmin(CoordinatorOnly, admin.ModelAdmin):
    list_display = ["name", "phase", "version", "is_active", "frozen_at"]
    list_filter = ["phase", "is_active"]
    readonly_fields = ["is_active", "frozen_at", "previous"]
    fields = ["family", "name", "phase", "version", "description", "is_active", "frozen_at", "previous"]
    inlines = [CriterionInline]
    actions = ["make_new_version", "activate"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_frozen)

    @admin.action(description=_("Make a new editable version"))
    def make_new_version(self, request, queryset):
        for criteria_set in queryset:
            copy = services.criteria_set_new_version(criteria_set=criteria_set, by=request.user)
            self.message_user(request, _("Made %(set)s. Edit it, then activate it.") % {"set": copy})

    @admin.action(description=_("Activate for new evaluation events"))
    def activate(self, request, queryset):
        if queryset.values("phase").distinct().count() != queryset.count():
            self.message_user(request, _("Activate one version per phase."), messages.ERROR)
            return
        for criteria_set in queryset:
            try:
                services.criteria_set_activate(criteria_set=criteria_set, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return
        count = queryset.count()
        self.message_user(
            request, ngettext("%(n)d set activated.", "%(n)d sets activated.", count) % {"n": count}
        )


class EventGroupInline(CoordinatorOnly, admin.TabularInline):
    model = EventGroup
    extra = 0
    filter_horizontal = ["members"]


@admin.register(EvaluationEvent)
class EvaluationEventAdmin(CoordinatorOnly, admin.ModelAdmin):
    list_display = ["title", "date", "place", "coordinator", "access_expires_at"]
    date_hierarchy = "date"
    search_fields = ["title", "place"]
    filter_horizontal = ["models_on_agenda", "participants"]
    raw_id_fields = ["coordinator"]
    inlines = [EventGroupInline]


class ReadOnlyAnswers(CoordinatorOnly):
    """Answers are the participants' own words: coordinators may read them, not rewrite them."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PeerAssessment)
class PeerAssessmentAdmin(ReadOnlyAnswers, admin.ModelAdmin):
    list_display = ["practice", "event", "is_anonymous", "created_at"]
    list_filter = ["event"]


@admin.register(GroupAssessment)
class GroupAssessmentAdmin(ReadOnlyAnswers, admin.ModelAdmin):
    list_display = ["practice", "group", "event", "updated_at"]
    list_filter = ["event"]


@admin.register(ExpertAssessment)
class ExpertAssessmentAdmin(ReadOnlyAnswers, admin.ModelAdmin):
    list_display = ["practice", "expert", "outcome", "updated_at"]
    list_filter = ["outcome"]


@admin.register(ExpertRecommendation)
class ExpertRecommendationAdmin(ReadOnlyAnswers, admin.ModelAdmin):
    list_display = ["practice", "outcome", "decided_on", "decided_by", "evaluated_lock_version"]
    list_filter = ["outcome"]
