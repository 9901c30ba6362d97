from django.contrib import admin

from .models import PublishedReport, ReportBuild, ReportDefinition, ThemeIntroduction


class ThemeIntroductionInline(admin.StackedInline):
    model = ThemeIntroduction
    extra = 0


@admin.register(ReportDefinition)
class ReportDefinitionAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "language", "updated_at"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["themes", "subthemes", "periods", "keywords", "projects"]
    inlines = [ThemeIntroductionInline]


@admin.register(ReportBuild)
class ReportBuildAdmin(admin.ModelAdmin):
    list_display = ["definition", "format", "status", "progress", "created_at", "created_by"]
    list_filter = ["status", "format"]
    readonly_fields = [f.name for f in ReportBuild._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(PublishedReport)
class PublishedReportAdmin(admin.ModelAdmin):
    """Read-only: a published version is an immutable snapshot."""

    list_display = ["title", "version", "published_at", "published_by"]
    readonly_fields = [f.name for f in PublishedReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
