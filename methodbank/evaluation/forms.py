import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LEVELS, EvaluationEvent, EventGroup, EventGuest, Outcome
from .selectors import peer_criteria_sets, published_models

CANNOT_SAY = "cannot_say"


class AssessmentForm(forms.Form):
    """The individual and the group form: one radio group per criterion, then the free texts."""

    strengths = forms.CharField(
        label=_("Strengths"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What works well in the model? What would you take into use?"),
    )
    development_ideas = forms.CharField(
        label=_("Development ideas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What would make the model easier to adopt elsewhere?"),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your own notes from the presentation."),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        choices = [(str(n), str(n)) for n in LEVELS] + [(CANNOT_SAY, _("Cannot say"))]
        for criterion in self.criteria:
            self.fields[self.field_name(criterion)] = forms.ChoiceField(
                label=criterion.title,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a level or “cannot say”.")},
            )
        # Criteria first, free texts last, as on the paper form.
        order = [self.field_name(c) for c in self.criteria] + ["strengths", "development_ideas", "notes"]
        self.order_fields(order)

    @staticmethod
    def field_name(criterion):
        return f"criterion_{criterion.code}"

    @classmethod
    def initial_from(cls, assessment):
        if assessment is None:
            return {}
        initial = {
            "strengths": assessment.strengths,
            "development_ideas": assessment.development_ideas,
            "notes": assessment.notes,
        }
        for code, value in assessment.scores.items():
            initial[f"criterion_{code}"] = CANNOT_SAY if value is None else str(value)
        return initial

    def scores(self):
        result = {}
        for criterion in self.criteria:
            value = self.cleaned_data[self.field_name(criterion)]
            result[criterion.code] = None if value == CANNOT_SAY else int(value)
        return result

    def criterion_rows(self):
        """(criterion, bound field, [(value, label, level text)]) for the template."""
        rows = []
        for criterion in self.criteria:
            bound = self[self.field_name(criterion)]
            options = [(str(n), str(n), text) for n, text in criterion.levels()]
            options.append((CANNOT_SAY, _("Cannot say"), ""))
            rows.append((criterion, bound, options))
        return rows

    def text_fields(self):
        return [self["strengths"], self["development_ideas"], self["notes"]]


class EventForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("online link"),
        required=False,
        assume_scheme="https",
        help_text=_("Give a place, an online link or both."),
    )

    class Meta:
        model = EvaluationEvent
        fields = [
            "title",
            "date",
            "place",
            "online_url",
            "criteria_set",
            "models_on_agenda",
            "participants",
            "access_expires_at",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "access_expires_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "models_on_agenda": forms.CheckboxSelectMultiple,
            # Rendered by the picker (evaluation/_participant_picker.html): search, not a list of everyone.
            "participants": forms.MultipleHiddenInput,
        }
        help_texts = {
            "access_expires_at": _("After this moment the anonymous link and its QR code no longer work."),
            "participants": _(
                "Participants with an account: search by name or e-mail and tick them. Others take part "
                "through the anonymous link."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["models_on_agenda"].queryset = published_models().order_by("title")
        self.fields["participants"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("full_name", "username")
        )
        self.fields["criteria_set"].queryset = peer_criteria_sets()
        self.fields["access_expires_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if not self.instance.pk:
            active = peer_criteria_sets().filter(is_active=True).first()
            self.initial.setdefault("criteria_set", active.pk if active else None)
            tomorrow = timezone.localtime() + datetime.timedelta(days=1)
            self.initial.setdefault(
                "access_expires_at", tomorrow.replace(hour=18, minute=0, second=0, microsecond=0)
            )

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        return {
            "models": list(data.pop("models_on_agenda")),
            "participants": list(data.pop("participants")),
            **data,
        }


class GroupForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        label=_("Members with an account"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    guests = forms.ModelMultipleChoiceField(
        label=_("Members who joined through the link"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Anonymous participants, by the nickname they gave."),
    )

    class Meta:
        model = EventGroup
        fields = ["name"]

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.event = event
        self.fields["members"].queryset = event.participants.order_by("full_name", "username")
        self.fields["guests"].queryset = EventGuest.objects.filter(event=event).order_by("nickname")
        if self.instance.pk:
            self.initial["members"] = list(self.instance.members.values_list("pk", flat=True))
            self.initial["guests"] = list(self.instance.guests.values_list("pk", flat=True))


class SplitForm(forms.Form):
    size = forms.IntegerField(
        label=_("People per group"),
        min_value=2,
        max_value=50,
        initial=4,
        help_text=_(
            "Everyone present (participants with an account and those who joined through the link) is "
            "split at random. Groups that have not answered yet are replaced."
        ),
    )


class GuestJoinForm(forms.ModelForm):
    class Meta:
        model = EventGuest
        fields = ["nickname"]
        widgets = {"nickname": forms.TextInput(attrs={"autocomplete": "off", "maxlength": 40})}


class DiscardForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for discarding"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the answer. The answer no longer counts in the results."),
        error_messages={"required": _("Give the reason for discarding the answer.")},
    )


class AccessForm(forms.Form):
    access_expires_at = forms.DateTimeField(
        label=_("The new link expires"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_access_expires_at(self):
        value = self.cleaned_data["access_expires_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("Choose a moment in the future."))
        return value


class ExpertAssessmentForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Your assessment"), choices=Outcome.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why this outcome? Refer to the peer results and the description."),
        error_messages={"required": _("Every outcome needs a written rationale.")},
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RecommendationForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Joint recommendation"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Shown to the project team and on the model's page."),
        error_messages={"required": _("Every outcome needs a written rationale.")},
    )
    decided_on = forms.DateField(
        label=_("Date of decision"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
