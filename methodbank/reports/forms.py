from django import forms
from django.utils.translation import gettext_lazy as _

from methodbank.catalog.models import PracticeKind, Theme
from methodbank.evaluation.selectors import EvaluationStatus

from .models import ReportDefinition, ReportFormat


class ReportDefinitionForm(forms.ModelForm):
    """The definition and, as extra fields ``intro_<code>``, one introduction per theme."""

    kinds = forms.MultipleChoiceField(
        label=_("Kinds"),
        choices=PracticeKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to include both models and good practices."),
    )

    evaluation_statuses = forms.MultipleChoiceField(
        label=_("Evaluation statuses"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to include entries whatever their evaluation status."),
    )

    class Meta:
        model = ReportDefinition
        fields = [
            "slug",
            "title",
            "subtitle",
            "issued_by",
            "language",
            "preface",
            "introduction",
            "themes",
            "subthemes",
            "periods",
            "kinds",
            "evaluation_statuses",
            "keywords",
            "projects",
            "date_from",
            "date_to",
        ]
        widgets = {
            "preface": forms.Textarea(attrs={"rows": 12}),
            "introduction": forms.Textarea(attrs={"rows": 12}),
            "themes": forms.CheckboxSelectMultiple,
            "periods": forms.CheckboxSelectMultiple,
            "subthemes": forms.SelectMultiple(attrs={"size": 10}),
            "keywords": forms.SelectMultiple(attrs={"size": 10}),
            "projects": forms.SelectMultiple(attrs={"size": 10}),
            "date_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "date_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "themes": _("Leave a selection empty to include everything in that dimension."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["evaluation_statuses"].choices = EvaluationStatus.CHOICES
        self.fields["subthemes"].queryset = self.fields["subthemes"].queryset.select_related("theme")
        self.fields["projects"].queryset = self.fields["projects"].queryset.order_by("name")
        self.themes = list(Theme.objects.order_by("code"))
        existing = {}
        if self.instance.pk:
            existing = {ti.theme_id: ti.text for ti in self.instance.theme_introductions.all()}
        for theme in self.themes:
            self.fields[f"intro_{theme.code}"] = forms.CharField(
                label=_("Introduction for theme %(theme)s") % {"theme": theme},
                required=False,
                initial=existing.get(theme.pk, ""),
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_("Rich text. {models}, {good_practices}, {entries}, {new} and {earlier} are computed."),
            )

    def theme_intro_fields(self):
        return [self[f"intro_{theme.code}"] for theme in self.themes]

    def selection(self):
        return {name: self.cleaned_data[name] for name in ("themes", "subthemes", "periods", "keywords", "projects")}

    def theme_intros(self):
        return {theme: self.cleaned_data.get(f"intro_{theme.code}", "") for theme in self.themes}

    def clean(self):
        cleaned = super().clean()
        from .placeholders import validate_placeholders

        for theme in self.themes:
            name = f"intro_{theme.code}"
            try:
                validate_placeholders(cleaned.get(name, ""), scope="theme")
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        return cleaned


class BuildForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices, widget=forms.RadioSelect, initial="pdf")


class CompareForm(forms.Form):
    earlier = forms.TypedChoiceField(label=_("Compare with version"), coerce=int)

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["earlier"].choices = [(v, _("version %(version)s") % {"version": v}) for v in versions]
