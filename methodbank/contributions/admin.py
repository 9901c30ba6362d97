from django.contrib import admin

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
