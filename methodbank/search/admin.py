from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from methodbank.accounts.roles import is_coordinator

from .models import Concept, ConceptLabel
from .services import vocabulary_import
from .thesaurus import get_thesaurus
from .vocabulary import FORMATS, VocabularyFormatError, records_from_database

IMPORT_MAX_BYTES = 5 * 1024 * 1024

class CoordinatorEditsMixin:
    """Coordinators keep the vocabulary: they may edit it without a separate model permission."""

    def has_module_permission(self, request):
        return is_coordinator(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_coordinator(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_coordinator(request.user) or super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_coordinator(request.user) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_coordinator(request.user) or super().has_delete_permission(request, obj)


class ConceptLabelInline(CoordinatorEditsMixin, admin.TabularInline):
    model = ConceptLabel
    fields = ["text", "language", "kind"]
    extra = 3


class VocabularyImportForm(forms.Form):
    file = forms.FileField(label=_("File (SKOS Turtle .ttl or CSV .csv)"))
    replace = forms.BooleanField(
        label=_("Delete the concepts the file does not name"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        format = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if format not in FORMATS:
            raise forms.ValidationError(_("The file name must end in .ttl or .csv."))
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        try:
            self.records = FORMATS[format][1](text)
        except VocabularyFormatError as exc:
            raise forms.ValidationError([str(error) for error in exc.errors[:30]]) from None
        return upload


def _download(records, format):
    to_text, _from_text, content_type = FORMATS[format]
    response = HttpResponse(to_text(records), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vocabulary.{format}"'
    return response


@admin.register(Concept)
class ConceptAdmin(CoordinatorEditsMixin, admin.ModelAdmin):
    list_display = [
        "pref_label_fi",
        "pref_label_sv",
        "pref_label_en",
        "category",
        "facet_value",
        "label_preview",
        "updated_at",
    ]
    list_filter = ["category", "facet_value", "provenance"]
    search_fields = ["pref_label_fi", "pref_label_sv", "pref_label_en", "identifier", "labels__text"]
    prepopulated_fields = {"identifier": ["pref_label_fi"]}
    fields = [
        "pref_label_fi",
        "pref_label_sv",
        "pref_label_en",
        "identifier",
        "category",
        "provenance",
        "notes",
        "related",
        "facet_value",
        "broader",
        "expansion_preview",
    ]
    # Several hundred concepts: a searchable picker, not a select box of all of them.
    autocomplete_fields = ["related", "broader"]
    readonly_fields = ["expansion_preview"]
    inlines = [ConceptLabelInline]
    actions = ["export_selected_ttl", "export_selected_csv"]
    change_list_template = "admin/search/concept/change_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="search_concept_import"),
            path("export/<str:format>/", wrap(self.export_view), name="search_concept_export"),
        ] + super().get_urls()

    def export_view(self, request, format):
        if not self.has_view_permission(request) or format not in FORMATS:
            return redirect("admin:search_concept_changelist")
        return _download(records_from_database(), format)

    def import_view(self, request):
        if not self.has_change_permission(request):
            return redirect("admin:index")
        form = VocabularyImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            counts = vocabulary_import(
                records=form.records, actor=request.user, replace=form.cleaned_data["replace"]
            )
            self.message_user(
                request,
                _(
                    "Imported %(total)s concepts: %(created)s new, %(updated)s changed, %(unchanged)s unchanged, "
                    "%(deleted)s deleted."
                )
                % {"total": len(form.records), **counts},
                messages.SUCCESS,
            )
            return redirect(reverse("admin:search_concept_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import the vocabulary"),
            "form": form,
        }
        return TemplateResponse(request, "admin/search/concept/import.html", context)

    @admin.action(description=_("Export the selected concepts as SKOS (Turtle)"))
    def export_selected_ttl(self, request, queryset):
        return self._export_selected(queryset, "ttl")

    @admin.action(description=_("Export the selected concepts as CSV"))
    def export_selected_csv(self, request, queryset):
        return self._export_selected(queryset, "csv")

    def _export_selected(self, queryset, format):
        identifiers = set(queryset.values_list("identifier", flat=True))
        return _download([r for r in records_from_database() if r.identifier in identifiers], format)

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
