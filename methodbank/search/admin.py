from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Concept, ConceptLabel
from .thesaurus import get_thesaurus

COORDINATOR_GROUP = "coordinator"


def _is_coordinator(user) -> bool:
    return user.is_active and user.is_staff and user.groups.filter(name=COORDINATOR_GROUP).exists()


class CoordinatorEditsMixin:
    """Coordinators keep the vocabulary: they may edit it without a separate model permission."""

    def has_module_permission(self, request):
        return _is_coordinator(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return _is_coordinator(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return _is_coordinator(request.user) or super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return _is_coordinator(request.user) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _is_coordinator(request.user) or super().has_delete_permission(request, obj)


class ConceptLabelInline(CoordinatorEditsMixin, admin.TabularInline):
    model = ConceptLabel
    fields = ["text", "language", "kind"]
    extra = 3


@admin.register(Concept)
class ConceptAdmin(CoordinatorEditsMixin, admin.ModelAdmin):
    list_display = ["pref_label_fi", "pref_label_sv", "pref_label_en", "category", "label_preview", "updated_at"]
    list_filter = ["category", "provenance"]
    search_fields = ["pref_label_fi", "pref_label_sv", "pref_label_en", "identifier", "labels__text"]
    prepopulated_fields = {"identifier": ["pref_label_fi"]}
    fields = [
        "pref_label_fi", "pref_label_sv", "pref_label_en", "identifier", "category", "provenance", "notes",
        "expansion_preview",
    ]
    readonly_fields = ["expansion_preview"]
    inlines = [ConceptLabelInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("labels")

    @admin.display(description=_("labels"))
    def label_preview(self, obj):
        terms = [label.text for label in obj.labels.all()]
        return ", ".join(terms[:6]) + (" …" if len(terms) > 6 else "")

    @admin.display(description=_("a search for the Finnish label also finds"))
    def expansion_preview(self, obj):
        if not obj.pk:
            return "-"
        return ", ".join(get_thesaurus().expansions(obj.pref_label_fi.lower().split())) or "-"
