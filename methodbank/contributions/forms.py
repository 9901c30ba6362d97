"""Contribution forms. They follow the bank's template; help texts say what a good answer holds
(the seed report's guidance). Only the form layer knows about HTML; services get plain data."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from methodbank.catalog import extensions, places
from methodbank.catalog.limits import SECTION_MAX_CHARS
from methodbank.catalog.models import (
    TEMPLATE_FIELDS,
    Period,
    Practice,
    PracticeKind,
    Project,
    ProjectScope,
    Subtheme,
    Theme,
)
from methodbank.catalog.services import keywords_normalise
from methodbank.core.params import IdField, QueryForm

from . import selectors

HELP_TEXTS = {
    "title": _("A name that describes the practice, is concise and awakens interest (the seed report's advice)."),
    "summary": _(
        "Two or three sentences: what it is, for whom and what it achieves. Shown in lists and search results."
    ),
    "goal_and_target_group": _(
        "What it aims at and for whom. A good answer names the target group concretely (learners, staff, "
        "partners) and the change you are after."
    ),
    "content_and_actions": _(
        "What is done, step by step: by whom, when and with what. A good answer lets a reader picture it in use."
    ),
    "deployment_staff": _("How staff were motivated and onboarded: training, time, support, who led it."),
    "deployment_marketing": _("How the practice was made known to its users and partners."),
    "deployment_materials": _(
        "Guides, templates and other material that let others adopt it. Attach or link them below."
    ),
    "resources": _("What running it takes: people, working time, money, premises, tools."),
    "results_and_indicators": _(
        "What changed and how you know it: indicators, feedback, numbers, evaluations."
    ),
    "contacts": _("Who can tell more: name, organisation and e-mail or phone. This is shown publicly."),
}

KIND_HELP = _(
    "A model is a project result that has been piloted and documented so well that others can adopt it "
    "from its description and materials, and that can be disseminated nationally as such; local good "
    "practices attach to it. A very good local practice that cannot yet be adopted outside your "
    "organisation is a good practice."
)


class SectionLimitMixin:
    """Every free-text area holds at most SECTION_MAX_CHARS characters, the same limit as the API's
    (methodbank/catalog/limits.py): a longer text is a form error, not a revision that stalls the
    version diff."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea) \
                    and field.max_length is None:
                field.max_length = SECTION_MAX_CHARS
                field.validators.append(MaxLengthValidator(SECTION_MAX_CHARS))
                field.widget.attrs["maxlength"] = str(SECTION_MAX_CHARS)


# Rows of each template section's text area: the longer the usual text, the taller the box.
SECTION_ROWS = {
    "goal_and_target_group": 5,
    "content_and_actions": 8,
    "results_and_indicators": 5,
    "contacts": 3,
}


def template_section_fields(*, help_texts=None, rows=None) -> dict:
    """A form field for each template section (declared once, on catalog's TemplateSections), labelled
    with its heading, in template order."""
    return {
        name: forms.CharField(
            label=heading,
            required=False,
            widget=forms.Textarea(attrs={"rows": rows or SECTION_ROWS.get(name, 4)}),
            help_text=(help_texts or {}).get(name, ""),
        )
        for name, heading in TEMPLATE_FIELDS
    }


class PracticeForm(SectionLimitMixin, forms.Form):
    field_order = ["kind", "title", "summary", *(name for name, _heading in TEMPLATE_FIELDS)]

    kind = forms.ChoiceField(
        label=_("Is this a model or a good practice?"),
        choices=PracticeKind.choices,
        widget=forms.RadioSelect,
        help_text=KIND_HELP,
    )
    title = forms.CharField(label=_("Name"), max_length=300, help_text=HELP_TEXTS["title"])
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=HELP_TEXTS["summary"]
    )
    model_criteria = forms.MultipleChoiceField(
        label=_("What makes this a model"),
        choices=Practice.MODEL_CRITERIA,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A model must meet all three. Only asked for models."),
    )
    applies_model = forms.ModelChoiceField(
        label=_("Model it applies"),
        queryset=Practice.objects.none(),
        required=False,
        help_text=_("If this good practice is a local application of a model, choose the model."),
    )
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.none(),
        required=False,
        help_text=_("The project that made it. Only projects whose team you belong to are listed."),
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=1000,
        help_text=_(
            "Separate keywords with commas. Existing keywords are suggested as you type; a new keyword "
            "is shown publicly after a coordinator has accepted it."
        ),
        widget=forms.TextInput(attrs={"list": "keyword-options", "autocomplete": "off", "data-keywords": ""}),
    )
    reason = forms.CharField(
        label=_("What did you change and why?"),
        required=False,
        max_length=1000,
        help_text=_("Saved with this version so the team and the coordinators can follow the changes."),
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Asked only when the entry is submitted while similar entries exist (views.practice_form).
    not_duplicate = forms.BooleanField(
        label=_("My entry is different from the similar entries shown"),
        required=False,
        help_text=_("If it is a local application of one of those models, choose the model under “Model it applies” instead."),
    )

    def __init__(self, *args, user, practice=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.practice = practice
        self.fields["project"].queryset = selectors.projects_for_choice(user=user)
        models = selectors.practice_models_for_choice()
        if practice is not None:
            models = models.exclude(pk=practice.pk)
        self.fields["applies_model"].queryset = models
        # Fields other apps add (catalog.extensions' entry form parts: search's browse values).
        self.extra_field_names = []
        for part in extensions.entry_form_parts():
            initial = part.initial(practice) if not self.is_bound else {}
            for name, field in part.fields(practice).items():
                self.fields[name] = field
                self.extra_field_names.append(name)
                self.initial.setdefault(name, initial.get(name))

    @property
    def extra_fields(self):
        return [self[name] for name in self.extra_field_names]

    def clean_keywords(self):
        return keywords_normalise(self.cleaned_data["keywords"].split(","))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == PracticeKind.MODEL and cleaned.get("applies_model"):
            self.add_error("applies_model", _("Only a good practice can apply a model; a model stands on its own."))
        return cleaned



# The sections join the declared fields here, so that SectionLimitMixin limits them like the others.
PracticeForm.base_fields.update(template_section_fields(help_texts=HELP_TEXTS))

class PlacementForm(forms.Form):
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all())
    subtheme = forms.ModelChoiceField(
        label=_("Subtheme"), queryset=Subtheme.objects.select_related("theme"), required=False
    )
    period = forms.ModelChoiceField(label=_("Period"), queryset=Period.objects.all(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Group subthemes by theme so the list is readable without JavaScript.
        self.fields["subtheme"].label_from_instance = lambda s: f"{s.theme.code}: {s.name}"

    def clean(self):
        cleaned = super().clean()
        theme, subtheme = cleaned.get("theme"), cleaned.get("subtheme")
        if theme and subtheme and subtheme.theme_id != theme.pk:
            self.add_error("subtheme", _("This subtheme belongs to another theme."))
        return cleaned


class LinkForm(forms.Form):
    url = forms.URLField(label=_("Address"), max_length=500, assume_scheme="https")
    title = forms.CharField(label=_("Link text"), max_length=300, required=False)


PlacementFormSet = forms.formset_factory(PlacementForm, extra=1, can_delete=True, max_num=20)
LinkFormSet = forms.formset_factory(LinkForm, extra=2, can_delete=True, max_num=30)


def formset_rows(formset) -> list[dict]:
    """Cleaned rows of a formset without the empty and deleted ones."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument or an image (PNG, JPEG)."),
        allow_empty_file=True,  # the content check gives a clearer message for empty files
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)


class DecisionForm(SectionLimitMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comments to the team"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Required when returning: say what to change. The team receives it by e-mail."),
    )
    # Only the publish decision reads it; the review page offers it when the entry's project is unpublished.
    publish_project = forms.BooleanField(label=_("Publish the project too"), required=False)


class TransferForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the new owner"))

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user has this e-mail address."))
        self.cleaned_data["user"] = user
        return email


class MemberAddForm(TransferForm):
    email = forms.EmailField(label=_("E-mail address of the team member"))


class ProjectForm(SectionLimitMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    lead = forms.CharField(
        label=_("Lead implementer"), max_length=300, required=False,
        help_text=_("The organisation that leads the project (päätoteuttaja)."),
    )
    ends_on = forms.CharField(
        label=_("End date"), max_length=7, required=False, help_text=_("Month and year, e.g. 12/2021.")
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=[("", "—"), *ProjectScope.choices], required=False)
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the project does, for whom, where and when."),
    )
    funding_programme = forms.CharField(label=_("Funding programme"), max_length=300, required=False)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_ends_on(self):
        value = self.cleaned_data["ends_on"].strip()
        if not value:
            return None
        try:
            return Project.parse_month(value)
        except ValueError:
            raise forms.ValidationError(_("Write the month and year as MM/YYYY, e.g. 12/2021.")) from None


class PracticeTranslationForm(SectionLimitMixin, forms.Form):
    """An entry's name, summary and template sections in another language. A section left empty
    shows the original text (with a note that it is not translated)."""

    title = forms.CharField(label=_("Name"), max_length=300)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("What did you change and why?"), max_length=1000, required=False)

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        _text_in_language(self, language, exclude={"reason"})


# The template sections after the summary, the hidden fields last (the order of the entry page).
PracticeTranslationForm.base_fields.update(template_section_fields(rows=4))
PracticeTranslationForm.field_order = [
    "title", "summary", *(name for name, _heading in TEMPLATE_FIELDS), "reason", "lock_version",
]


def _text_in_language(form, language: str, exclude=()) -> None:
    # The text typed is in the translation's language (spell-checking, screen readers); the labels
    # stay in the interface language.
    for name, field in form.fields.items():
        if name not in exclude and not field.widget.is_hidden:
            field.widget.attrs["lang"] = language


class ProjectTranslationForm(SectionLimitMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=300, required=False,
        help_text=_("Leave empty if the project has no name in this language."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        _text_in_language(self, language)


# --- query parameters (see methodbank/core/params.py) -----------------------------------------------


class ModerationFilterForm(QueryForm):
    kind = forms.ChoiceField(required=False, choices=[("", ""), ("model", "model"),
                                                      ("good_practice", "good_practice"), ("project", "project")])
    theme = forms.CharField(required=False, max_length=10)
    project = IdField()
    # Days since submission; a century is more than any queue will hold.
    age = forms.IntegerField(required=False, min_value=0, max_value=36_500)


class ProjectPickForm(QueryForm):
    project = IdField(required=True)


class VersionPairForm(QueryForm):
    """The two versions to compare (?a=&b=, version numbers)."""

    a = IdField(required=True)
    b = IdField(required=True)


class ClaimForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you belong to the team?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what you did in the project and how a coordinator can check it (e.g. your organisation)."),
    )


class ClaimDecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments to the user"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when declining. The user receives it by e-mail."),
    )


class AdoptionForm(forms.Form):
    """"We adopted this model": the organisation, its municipality, the year and what it learnt."""

    organisation = forms.CharField(
        label=_("Organisation"), max_length=200,
        help_text=_("The school, municipality or other organisation that took the model into use."),
    )
    municipality = forms.ChoiceField(
        label=_("Municipality"), help_text=_("Where the organisation uses the model. The list is grouped by region.")
    )
    year = forms.IntegerField(label=_("Year of adoption"), min_value=1990)
    experience = forms.CharField(
        label=_("Experiences (optional)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few sentences on how the adoption went, as plain text. Shown on the model's page."),
    )
    practice = forms.ModelChoiceField(
        label=_("On behalf of the good practice"), required=False, queryset=Practice.objects.none(),
        empty_label=_("None: I record it myself"),
        help_text=_("A good practice of your team that applies this model."),
    )

    def __init__(self, *args, team_practices=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request: the region and municipality names follow the page's language.
        self.fields["municipality"].choices = [("", _("Choose a municipality"))] + places.municipality_choices()
        this_year = timezone.localdate().year
        self.fields["year"].max_value = this_year
        self.fields["year"].validators.append(MaxValueValidator(this_year))
        self.fields["year"].widget.attrs.update({"max": this_year, "min": 1990})
        if team_practices is not None and team_practices.exists():
            self.fields["practice"].queryset = team_practices
        else:
            del self.fields["practice"]


class AdoptionDecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments to the user"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting. The user sees it on their list of adoption records."),
    )
