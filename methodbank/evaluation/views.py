"""Thin views: parse the request, call one permission-checked getter and one service, render."""

import functools
import hashlib
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from methodbank.core.pdf import html_to_pdf

from . import selectors, services
from .forms import AccessForm, AssessmentForm, EventForm, ExpertAssessmentForm, GroupForm, RecommendationForm
from .qr import qr_svg

ANON_SESSION_KEY = "evaluation_anonymous_id"


def evaluation_view(view):
    """Show refusals from the getters as a page with the reason (403), and send guests to log in."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except selectors.EvaluationAccessDenied as denied:
            if not request.user.is_authenticated and not kwargs.get("token"):
                return redirect_to_login(request.get_full_path())
            return render(request, "evaluation/denied.html", {"message": denied.message}, status=403)

    return wrapper


RATE_PERIODS = {"s": 1, "min": 60, "hour": 3600, "day": 86400}


def anonymous_rate_limited(view):
    """Count requests to an anonymous link per client address and link (EVALUATION_ANON_RATE,
    "number/s|min|hour|day"; empty = no limit) and answer 429 past the limit. Keyed by the link as
    well as the address, because a whole workshop often shares one address behind its Wi-Fi."""

    @functools.wraps(view)
    def wrapper(request, *args, token, **kwargs):
        rate = getattr(settings, "EVALUATION_ANON_RATE", "")
        if rate:
            number, _slash, period = rate.partition("/")
            seconds = RATE_PERIODS[period]
            window = int(timezone.now().timestamp()) // seconds
            link = hashlib.sha256(token.encode()).hexdigest()[:16]
            key = f"evaluation-anon:{request.META.get('REMOTE_ADDR', '')}:{link}:{window}"
            cache.add(key, 0, timeout=seconds)
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                count = 1
                cache.set(key, count, timeout=seconds)
            if count > int(number):
                response = render(
                    request,
                    "evaluation/denied.html",
                    {"message": _("Too many requests from your address. Wait a moment and try again.")},
                    status=429,
                )
                response["Retry-After"] = str(seconds - int(timezone.now().timestamp()) % seconds)
                return response
        return view(request, *args, token=token, **kwargs)

    return wrapper


def _apply_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = (
                name
                if name in form.fields
                else (f"criterion_{name}" if f"criterion_{name}" in form.fields else None)
            )
            for e in errors:
                form.add_error(target, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


# --- coordinator ----------------------------------------------------------------------------


@evaluation_view
def event_list(request):
    if not request.user.is_authenticated:
        raise selectors.EvaluationAccessDenied(_("Log in to see your evaluation events."))
    return render(
        request,
        "evaluation/event_list.html",
        {
            "events": selectors.events_for_user(user=request.user),
            "is_coordinator": selectors.user_is_coordinator(request.user),
            "is_expert": selectors.user_is_expert(request.user),
            "feedback": selectors.feedback_for_team_member(user=request.user),
        },
    )


@evaluation_view
def event_create(request):
    if not selectors.user_is_coordinator(request.user):
        raise selectors.EvaluationAccessDenied(_("Only coordinators can manage evaluation events."))
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(by=request.user, coordinator=request.user, **form.service_kwargs())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The evaluation event was created."))
            return redirect(event)
    return render(request, "evaluation/event_form.html", {"form": form})


@evaluation_view
def event_edit(request, pk):
    event = selectors.event_get_for_coordinator(user=request.user, pk=pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The evaluation event was saved."))
            return redirect(event)
    return render(request, "evaluation/event_form.html", {"form": form, "event": event})


@evaluation_view
def event_groups(request, pk, group_pk=None):
    event = selectors.event_get_for_coordinator(user=request.user, pk=pk)
    group = selectors.event_group_get(event=event, pk=group_pk) if group_pk else None
    if request.method == "POST" and request.POST.get("action") == "delete" and group:
        try:
            services.event_group_delete(group=group, by=request.user)
            messages.success(request, _("The group was removed."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("evaluation:event_groups", pk=event.pk)
    form = GroupForm(request.POST or None, instance=group, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_group_save(
                event=event,
                by=request.user,
                group=group,
                name=form.cleaned_data["name"],
                members=list(form.cleaned_data["members"]),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The group was saved."))
            return redirect("evaluation:event_groups", pk=event.pk)
    groups = selectors.event_groups(event=event)
    return render(
        request,
        "evaluation/event_groups.html",
        {"event": event, "form": form, "group": group, "groups": groups},
    )


@evaluation_view
def event_access(request, pk):
    event = selectors.event_get_for_coordinator(user=request.user, pk=pk)
    form = AccessForm(
        request.POST or None, initial={"access_expires_at": timezone.localtime(event.access_expires_at)}
    )
    if request.method == "POST" and form.is_valid():
        services.event_rotate_access(
            event=event, by=request.user, expires_at=form.cleaned_data["access_expires_at"]
        )
        messages.success(request, _("A new anonymous link was made. The old link no longer works."))
        return redirect("evaluation:event_access", pk=event.pk)
    link = request.build_absolute_uri(event.get_anonymous_url())
    return render(
        request,
        "evaluation/event_access.html",
        {
            "event": event,
            "form": form,
            "link": link,
            "qr": qr_svg(link),
            "expired": event.access_expires_at <= timezone.now(),
        },
    )


@evaluation_view
def event_qr(request, pk):
    event = selectors.event_get_for_coordinator(user=request.user, pk=pk)
    response = HttpResponse(
        qr_svg(request.build_absolute_uri(event.get_anonymous_url()), scale=8, standalone=True),
        content_type="image/svg+xml",
    )
    response["Content-Disposition"] = f'attachment; filename="evaluation-{event.pk}-qr.svg"'
    return response


@evaluation_view
def event_progress(request, pk):
    event = selectors.event_get_for_coordinator(user=request.user, pk=pk)
    context = {"event": event, "rows": selectors.event_progress(event=event), "now": timezone.now()}
    if request.htmx:
        return render(request, "evaluation/_progress_table.html", context)
    return render(request, "evaluation/event_progress.html", context)


# --- participants ---------------------------------------------------------------------------


@evaluation_view
def event_detail(request, pk):
    event = selectors.event_get_for_participant(user=request.user, pk=pk)
    agenda = selectors.event_agenda(event=event, user=request.user)
    return render(
        request,
        "evaluation/event_detail.html",
        {"event": event, "agenda": agenda, "is_coordinator": selectors.user_is_coordinator(request.user)},
    )


def _assessment_form(request, *, event, practice, existing, action_url, cancel_url, save):
    form = AssessmentForm(
        request.POST or None,
        criteria=(existing.criteria_set if existing else event.criteria_set).criteria.all(),
        initial=AssessmentForm.initial_from(existing),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return saved
    return render(
        request,
        "evaluation/assessment_form.html",
        {
            "event": event,
            "practice": practice,
            "form": form,
            "existing": existing,
            "action_url": action_url,
            "cancel_url": cancel_url,
        },
        status=400 if form.errors else 200,
    )


def _form_kwargs(form):
    data = form.cleaned_data
    return {
        "scores": form.scores(),
        "strengths": data["strengths"],
        "development_ideas": data["development_ideas"],
        "notes": data["notes"],
    }


@evaluation_view
def peer_assessment(request, pk, practice_pk):
    event = selectors.event_get_for_participant(user=request.user, pk=pk)
    practice = selectors.practice_get_for_peer_assessment(
        user=request.user, event=event, practice_pk=practice_pk
    )
    existing = selectors.peer_assessment_find(event=event, practice=practice, rater=request.user)

    def save(form):
        saved = services.peer_assessment_save(
            event=event, practice=practice, rater=request.user, **_form_kwargs(form)
        )
        return redirect("evaluation:answer", public_id=saved.public_id)

    return _assessment_form(
        request,
        event=event,
        practice=practice,
        existing=existing,
        action_url=request.path,
        cancel_url=event.get_absolute_url(),
        save=save,
    )


def _anonymous_id(request, create=False):
    anonymous_id = request.session.get(ANON_SESSION_KEY, "")
    if not anonymous_id and create:
        # A random id for this browser only: it lets a participant correct their own answer.
        anonymous_id = secrets.token_urlsafe(16)
        request.session[ANON_SESSION_KEY] = anonymous_id
    return anonymous_id


@anonymous_rate_limited
@evaluation_view
def anon_event(request, token):
    event = selectors.event_get_for_token(token=token)
    anonymous_id = _anonymous_id(request, create=True)
    return render(
        request,
        "evaluation/anon_event.html",
        {
            "event": event,
            "token": token,
            "answered": set(selectors.my_answers(event=event, anonymous_id=anonymous_id)),
        },
    )


@anonymous_rate_limited
@evaluation_view
def anon_assessment(request, token, practice_pk):
    event = selectors.event_get_for_token(token=token)
    practice = selectors.practice_get_for_peer_assessment(
        user=request.user, event=event, practice_pk=practice_pk
    )
    anonymous_id = _anonymous_id(request, create=True)
    existing = selectors.peer_assessment_find(event=event, practice=practice, anonymous_id=anonymous_id)

    def save(form):
        saved = services.peer_assessment_save(
            event=event, practice=practice, anonymous_id=anonymous_id, **_form_kwargs(form)
        )
        return redirect(reverse("evaluation:answer", kwargs={"public_id": saved.public_id}) + f"?t={token}")

    return _assessment_form(
        request,
        event=event,
        practice=practice,
        existing=existing,
        action_url=request.path,
        cancel_url=event.get_anonymous_url(),
        save=save,
    )


@evaluation_view
def answer(request, public_id):
    """The confirmation page: the participant's own answer, and nobody else's."""
    assessment = selectors.peer_assessment_get_own(
        user=request.user, anonymous_id=_anonymous_id(request), public_id=public_id
    )
    token = request.GET.get("t", "")
    if assessment.rater_id is None and token == assessment.event.access_token:
        back = assessment.event.get_anonymous_url()
        edit = reverse(
            "evaluation:anon_assessment", kwargs={"token": token, "practice_pk": assessment.practice_id}
        )
    else:
        back = assessment.event.get_absolute_url() if assessment.rater_id else ""
        edit = (
            reverse(
                "evaluation:peer_assessment",
                kwargs={"pk": assessment.event_id, "practice_pk": assessment.practice_id},
            )
            if assessment.rater_id
            else ""
        )
    return render(
        request, "evaluation/answer.html", {"assessment": assessment, "back_url": back, "edit_url": edit}
    )


@evaluation_view
def group_assessment(request, pk, group_pk, practice_pk):
    event = selectors.event_get_for_participant(user=request.user, pk=pk)
    group = selectors.group_get_for_member(user=request.user, event=event, group_pk=group_pk)
    practice = selectors.practice_get_for_peer_assessment(
        user=request.user, event=event, practice_pk=practice_pk
    )
    existing = selectors.group_assessment_find(group=group, practice=practice)

    def save(form):
        services.group_assessment_save(group=group, practice=practice, by=request.user, **_form_kwargs(form))
        messages.success(request, _("The assessment of group %(group)s was saved.") % {"group": group.name})
        return redirect(event)

    response = _assessment_form(
        request,
        event=event,
        practice=practice,
        existing=existing,
        action_url=request.path,
        cancel_url=event.get_absolute_url(),
        save=save,
    )
    return response


# --- results and expert phase ---------------------------------------------------------------


@evaluation_view
def model_results(request, pk, practice_pk):
    event = selectors.event_get_for_results(user=request.user, pk=pk)
    practice = selectors.event_model_get(event=event, practice_pk=practice_pk)
    return render(
        request,
        "evaluation/model_results.html",
        {
            "results": selectors.model_results(event=event, practice=practice),
            "recommendation": selectors.expert_recommendation_for(event=event, practice=practice),
        },
    )


def _feedback_context(request, pk, practice_pk):
    event, practice = selectors.practice_get_for_feedback(
        user=request.user, event_pk=pk, practice_pk=practice_pk
    )
    return {
        "results": selectors.model_results(event=event, practice=practice),
        "recommendation": selectors.expert_recommendation_for(event=event, practice=practice),
        "generated_at": timezone.now(),
        "title_html": _in_own_language(practice.title, practice.language),
    }


def _in_own_language(text: str, language: str):
    """The text, marked with its language where that differs from the page's (read aloud right)."""
    if language and language != get_language():
        return format_html('<span lang="{}">{}</span>', language, text)
    return text


@evaluation_view
def feedback_report(request, pk, practice_pk):
    context = _feedback_context(request, pk, practice_pk)
    return render(request, "evaluation/feedback_report.html", context)


@evaluation_view
def feedback_report_pdf(request, pk, practice_pk):
    context = _feedback_context(request, pk, practice_pk)
    html = render_to_string("evaluation/feedback_report_print.html", context, request=request)
    pdf = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="feedback-{context["results"].practice.slug}.pdf"'
    return response


@evaluation_view
def expert_queue(request):
    if not request.user.is_authenticated:
        raise selectors.EvaluationAccessDenied(_("Log in to take part in the expert phase."))
    return render(
        request, "evaluation/expert_queue.html", {"rows": selectors.expert_queue(user=request.user)}
    )


@evaluation_view
def expert_review(request, pk, practice_pk):
    event, practice = selectors.practice_get_for_expert(
        user=request.user, event_pk=pk, practice_pk=practice_pk
    )
    assessments = list(selectors.expert_assessments_for(event=event, practice=practice))
    mine = next((a for a in assessments if a.expert_id == request.user.pk), None)
    recommendation = selectors.expert_recommendation_for(event=event, practice=practice)
    action = request.POST.get("action") if request.method == "POST" else None
    assessment_form = ExpertAssessmentForm(
        request.POST if action == "assessment" else None,
        initial={"outcome": mine.outcome, "rationale": mine.rationale, "notes": mine.notes} if mine else None,
    )
    recommendation_form = RecommendationForm(
        request.POST if action == "recommendation" else None,
        initial={
            "outcome": recommendation.outcome,
            "rationale": recommendation.rationale,
            "decided_on": recommendation.decided_on,
        }
        if recommendation
        else {"decided_on": timezone.localdate()},
    )
    if action == "assessment" and assessment_form.is_valid():
        try:
            services.expert_assessment_save(
                event=event, practice=practice, expert=request.user, **assessment_form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(assessment_form, error)
        else:
            messages.success(request, _("Your assessment was saved."))
            return redirect("evaluation:expert_review", pk=event.pk, practice_pk=practice.pk)
    if action == "recommendation" and recommendation_form.is_valid():
        try:
            services.expert_recommendation_decide(
                event=event, practice=practice, by=request.user, **recommendation_form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(recommendation_form, error)
        else:
            messages.success(request, _("The joint recommendation was saved."))
            return redirect("evaluation:expert_review", pk=event.pk, practice_pk=practice.pk)
    has_errors = bool(assessment_form.errors or recommendation_form.errors)
    return render(
        request,
        "evaluation/expert_review.html",
        {
            "event": event,
            "practice": practice,
            "assessments": assessments,
            "mine": mine,
            "recommendation": recommendation,
            "assessment_form": assessment_form,
            "recommendation_form": recommendation_form,
            "results": selectors.model_results(event=event, practice=practice),
        },
        status=400 if has_errors else 200,
    )
