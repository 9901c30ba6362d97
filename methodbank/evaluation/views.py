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

from methodbank.accounts import roles
from methodbank.catalog import selectors as catalog_selectors
from methodbank.core.errors import form_add_service_error
from methodbank.core.pdf import html_to_pdf

from . import selectors, services
from .forms import (
    AccessForm,
    AssessmentForm,
    DiscardForm,
    EventForm,
    ExpertAssessmentForm,
    GroupForm,
    GuestJoinForm,
    RecommendationForm,
    SplitForm,
)
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
                # None: Redis is down (the cache ignores the error), and the limit fails open.
                count = cache.incr(key) or 1
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
    # A criterion's error is named by its code; the form's field is criterion_<code>.
    form_add_service_error(form, error, field_for=lambda name: f"criterion_{name}")


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
            "is_coordinator": roles.is_coordinator(request.user),
            "is_expert": roles.is_expert(request.user),
            "feedback": selectors.feedback_for_team_member(user=request.user),
        },
    )


def _picker_context(request, form, event=None):
    """The participant picker: the people chosen so far, and those matching the search."""
    if form.is_bound:
        chosen = selectors.people_by_ids(form.data.getlist("participants"))
    elif "participants" in form.initial:
        chosen = selectors.people_by_ids(form.initial["participants"])
    else:
        chosen = list(event.participants.order_by("full_name", "username")) if event else []
    query = request.POST.get("participant_q", "") if request.method == "POST" else ""
    return {
        "chosen": chosen,
        "participant_q": query,
        "matches": selectors.people_search(user=request.user, query=query, exclude=[p.pk for p in chosen]),
    }


def _searched_form(request, event=None):
    """The form as typed, unsaved and without errors, after the no-JavaScript "Search" button."""
    multi = {"models_on_agenda", "participants"}
    initial = {
        name: request.POST.getlist(name) if name in multi else request.POST.get(name, "")
        for name in EventForm.Meta.fields
    }
    return EventForm(initial=initial, instance=event)


def _event_form_page(request, *, event=None, save, success):
    searching = request.method == "POST" and request.POST.get("action") == "search"
    form = _searched_form(request, event) if searching else EventForm(request.POST or None, instance=event)
    if request.method == "POST" and not searching and form.is_valid():
        try:
            saved = save(form)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(saved)
    return render(
        request,
        "evaluation/event_form.html",
        {"form": form, "event": event, **_picker_context(request, form, event)},
        status=400 if form.is_bound and form.errors else 200,
    )


@evaluation_view
def event_create(request):
    if not roles.is_coordinator(request.user):
        raise selectors.EvaluationAccessDenied(_("Only coordinators can manage evaluation events."))
    return _event_form_page(
        request,
        save=lambda form: services.event_create(by=request.user, coordinator=request.user, **form.service_kwargs()),
        success=_("The evaluation event was created."),
    )


@evaluation_view
def event_edit(request, pk):
    event = selectors.event_get_for_coordinator(user=request.user, pk=pk)
    return _event_form_page(
        request,
        event=event,
        save=lambda form: services.event_update(event=event, by=request.user, **form.service_kwargs()),
        success=_("The evaluation event was saved."),
    )


@evaluation_view
def people_search(request):
    """The picker's search results (HTMX): the chosen people stay, the matches follow."""
    chosen = selectors.people_by_ids(request.GET.getlist("participants"))
    return render(
        request,
        "evaluation/_participant_choices.html",
        {
            "chosen": chosen,
            "participant_q": request.GET.get("participant_q", ""),
            "matches": selectors.people_search(
                user=request.user, query=request.GET.get("participant_q", ""), exclude=[p.pk for p in chosen]
            ),
        },
    )


@evaluation_view
def event_groups(request, pk, group_pk=None):
    event = selectors.event_get_for_coordinator(user=request.user, pk=pk)
    group = selectors.event_group_get(event=event, pk=group_pk) if group_pk else None
    action = request.POST.get("action") if request.method == "POST" else None
    form = GroupForm(request.POST if action == "save" else None, instance=group, event=event)
    split_form = SplitForm(request.POST if action == "split" else None)
    if action == "save" and form.is_valid():
        try:
            services.event_group_save(
                event=event,
                by=request.user,
                group=group,
                name=form.cleaned_data["name"],
                members=list(form.cleaned_data["members"]),
                guests=list(form.cleaned_data["guests"]),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The group was saved."))
            return redirect("evaluation:event_groups", pk=event.pk)
    if action == "split" and split_form.is_valid():
        try:
            made = services.event_groups_split(event=event, by=request.user, size=split_form.cleaned_data["size"])
        except ValidationError as error:
            _apply_errors(split_form, error)
        else:
            messages.success(request, _("Everyone present was split into %(count)d groups.") % {"count": len(made)})
            return redirect("evaluation:event_groups", pk=event.pk)
    groups = selectors.event_groups(event=event)
    return render(
        request,
        "evaluation/event_groups.html",
        {
            "event": event,
            "form": form,
            "split_form": split_form,
            "group": group,
            "groups": groups,
            "guests": selectors.event_guests(event=event),
        },
        status=400 if (form.errors or split_form.errors) else 200,
    )


@evaluation_view
def event_group_delete(request, pk, group_pk):
    """Removing a group asks first: a page that works without JavaScript."""
    event = selectors.event_get_for_coordinator(user=request.user, pk=pk)
    group = selectors.event_group_get(event=event, pk=group_pk)
    if request.method == "POST":
        try:
            services.event_group_delete(group=group, by=request.user)
            messages.success(request, _("The group was removed."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("evaluation:event_groups", pk=event.pk)
    return render(
        request,
        "evaluation/confirm_delete.html",
        {
            "event": event,
            "title": _("Remove group %(group)s?") % {"group": group.name},
            "explanation": _("The group and its membership are removed. People stay at the event."),
            "button": _("Remove the group"),
            "cancel_url": reverse("evaluation:event_groups", kwargs={"pk": event.pk}),
        },
    )


@evaluation_view
def event_answers(request, pk):
    """Every answer of the event for the coordinator, with a way to discard one."""
    event = selectors.event_get_for_coordinator(user=request.user, pk=pk)
    return render(
        request,
        "evaluation/event_answers.html",
        {"event": event, **selectors.event_answers(event=event)},
    )


@evaluation_view
def assessment_discard(request, pk, kind, public_id):
    event = selectors.event_get_for_coordinator(user=request.user, pk=pk)
    assessment = selectors.assessment_get_for_discard(event=event, kind=kind, public_id=public_id)
    form = DiscardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_discard(assessment=assessment, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The answer was discarded. It no longer counts in the results."))
            return redirect("evaluation:event_answers", pk=event.pk)
    return render(
        request,
        "evaluation/discard.html",
        {"event": event, "assessment": assessment, "kind": kind, "form": form},
        status=400 if form.errors else 200,
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
        {"event": event, "agenda": agenda, "is_coordinator": roles.is_coordinator(request.user)},
    )


def _assessment_form(request, *, event, practice, existing, action_url, cancel_url, save, group=None):
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
            "group": group,
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
    """The phone view of a participant who came through the link: join with a nickname, then the
    individual forms and the forms of the participant's own groups."""
    event = selectors.event_get_for_token(token=token)
    anonymous_id = _anonymous_id(request, create=True)
    guest = selectors.guest_for_browser(event=event, anonymous_id=anonymous_id)
    form = GuestJoinForm(request.POST or None) if guest is None else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.guest_join(event=event, anonymous_id=anonymous_id, nickname=form.cleaned_data["nickname"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect("evaluation:anon_event", token=token)
    return render(
        request,
        "evaluation/anon_event.html",
        {
            "event": event,
            "token": token,
            "guest": guest,
            "form": form,
            "agenda": selectors.guest_agenda(event=event, guest=guest) if guest else [],
        },
        status=400 if form is not None and form.errors else 200,
    )


def _browser_guest(request, event):
    """The browser's anonymous participant, or None when it has not joined with a nickname yet."""
    return selectors.guest_for_browser(event=event, anonymous_id=_anonymous_id(request))


@anonymous_rate_limited
@evaluation_view
def anon_assessment(request, token, practice_pk):
    event = selectors.event_get_for_token(token=token)
    practice = selectors.practice_get_for_peer_assessment(
        user=request.user, event=event, practice_pk=practice_pk
    )
    guest = _browser_guest(request, event)
    if guest is None:
        # One answer per participant: answering starts with joining under a nickname.
        messages.info(request, _("First give a nickname to take part."))
        return redirect("evaluation:anon_event", token=token)
    existing = selectors.peer_assessment_find(event=event, practice=practice, anonymous_id=guest.anonymous_id)

    def save(form):
        saved = services.peer_assessment_save(event=event, practice=practice, guest=guest, **_form_kwargs(form))
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


@anonymous_rate_limited
@evaluation_view
def anon_group_assessment(request, token, group_pk, practice_pk):
    """A group's form, filled on the phone of a member who joined through the link."""
    event = selectors.event_get_for_token(token=token)
    guest = _browser_guest(request, event)
    if guest is None:
        messages.info(request, _("First give a nickname to take part."))
        return redirect("evaluation:anon_event", token=token)
    group = selectors.group_get_for_member(user=request.user, event=event, group_pk=group_pk, guest=guest)
    practice = selectors.practice_get_for_group_assessment(user=request.user, group=group, practice_pk=practice_pk)
    existing = selectors.group_assessment_find(group=group, practice=practice)

    def save(form):
        services.group_assessment_save(group=group, practice=practice, guest=guest, **_form_kwargs(form))
        messages.success(request, _("The assessment of group %(group)s was saved.") % {"group": group.name})
        return redirect("evaluation:anon_event", token=token)

    return _assessment_form(
        request,
        event=event,
        practice=practice,
        existing=existing,
        action_url=request.path,
        cancel_url=event.get_anonymous_url(),
        save=save,
        group=group,
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
    practice = selectors.practice_get_for_group_assessment(user=request.user, group=group, practice_pk=practice_pk)
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
        group=group,
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
    rows = selectors.expert_queue(user=request.user)
    # How far each model has spread already: experts judge its national scalability.
    counts = catalog_selectors.adoption_counts({practice.pk for _event, practice, _r, _m in rows})
    for _event, practice, _recommendation, _mine in rows:
        practice.adoption_count = counts.get(practice.pk, 0)
    return render(request, "evaluation/expert_queue.html", {"rows": rows})


@evaluation_view
def expert_review(request, pk, practice_pk):
    event, practice = selectors.practice_get_for_expert(
        user=request.user, event_pk=pk, practice_pk=practice_pk
    )
    assessments = list(selectors.expert_assessments_for(event=event, practice=practice))
    mine = next((a for a in assessments if a.expert_id == request.user.pk), None)
    recommendation = selectors.expert_recommendation_for(event=event, practice=practice)
    action = request.POST.get("action") if request.method == "POST" else None
    # Two forms on one page: the prefixes keep their element ids (and field names) apart.
    assessment_form = ExpertAssessmentForm(
        request.POST if action == "assessment" else None,
        prefix="own",
        initial={"outcome": mine.outcome, "rationale": mine.rationale, "notes": mine.notes} if mine else None,
    )
    recommendation_form = RecommendationForm(
        request.POST if action == "recommendation" else None,
        prefix="joint",
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
            "adoptions": catalog_selectors.model_adoptions(model=practice),
        },
        status=400 if has_errors else 200,
    )
