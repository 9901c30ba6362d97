from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import SynonymGroup
from .thesaurus import get_thesaurus

COORDINATOR_GROUP = "coordinator"


def _is_coordinator(user) -> bool:
    return user.is_active and user.is_staff and user.groups.filter(name=COORDINATOR_GROUP).exists()


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    """Coordinators keep the thesaurus: they may edit it without a separate model permission."""

    list_display = ["label", "kind", "term_preview", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["label", "terms"]
    fields = ["label", "kind", "terms", "notes", "expansion_preview"]
    readonly_fields = ["expansion_preview"]

    @admin.display(description=_("terms"))
    def term_preview(self, obj):
        terms = obj.term_list()[1:]
        return ", ".join(terms[:6]) + (" …" if len(terms) > 6 else "")

    @admin.display(description=_("a search for the name also finds"))
    def expansion_preview(self, obj):
        if not obj.pk:
            return "-"
        return ", ".join(get_thesaurus().expansions(obj.label.lower().split())) or "-"

    def has_module_permission(self, request):
        return _is_coordinator(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return _is_coordinator(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return _is_coordinator(request.user) or super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return _is_coordinator(request.user) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _is_coordinator(request.user) or super().has_delete_permission(request, obj)
