"""Feeds, following and unfollowing, and the one-click unsubscribe. Views parse, call one service
or selector, and render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from methodbank.core.cache import cache_public_page
from methodbank.core.errors import ApplicationError, service_error_items

from . import selectors, services
from .feeds import target_feed
from .forms import FollowForm, FrequencyForm
from .targets import kind_by_segment, search_key


@require_GET
@cache_public_page
def feed_all(request):
    return target_feed(request, kind="all", key="")


@require_GET
@cache_public_page
def feed_search(request):
    key = search_key(request.GET)
    # Without words or filters the search lists everything, and so does its feed.
    return target_feed(request, kind="search" if key else "all", key=key)


@require_GET
@cache_public_page
def feed(request, segment, key):
    kind = kind_by_segment(segment)
    # "all" and "search" have their own addresses (their keys are empty or a query string).
    return target_feed(request, kind=kind.name if kind and kind.name not in ("all", "search") else "", key=key)


def _own_page():
    return reverse("contributions:own_page") + "#follows"


def _back(request):
    """Back to the page the button was on (only a page of this site), else the own page."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return _own_page()


def _error(request, error):
    for _field, message in service_error_items(error):
        messages.error(request, message)


@login_required
@require_POST
def follow_create(request):
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The follow could not be saved. Choose a daily or a weekly digest."))
        return redirect(_back(request))
    try:
        services.follow_create(user=request.user, **form.cleaned_data)
    except (ApplicationError, ValidationError) as error:
        _error(request, error)
    else:
        messages.success(request, _("You follow this now. You get an e-mail when something is new here."))
    return redirect(_back(request))


@login_required
@require_POST
def follow_update(request, pk):
    follow = selectors.follow_get_for_user(user=request.user, pk=pk)
    form = FrequencyForm(request.POST)
    if form.is_valid():
        services.follow_set_frequency(follow=follow, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("The digest's frequency is saved."))
    else:
        messages.error(request, _("Choose a daily or a weekly digest."))
    return redirect(_back(request))


@login_required
@require_POST
def follow_delete(request, pk):
    follow = selectors.follow_get_for_user(user=request.user, pk=pk)
    services.follow_delete(follow=follow)
    messages.success(request, _("You no longer follow this."))
    return redirect(_back(request))


# Exempt from CSRF: a mail client's one-click unsubscribe (RFC 8058) POSTs without any token of
# ours; the signed token in the address is what authorises it, and it can only unsubscribe.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    follows = services.unsubscribe_follows(token)
    if follows is None:
        return render(request, "follows/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "GET":
        # Never unsubscribe on GET: mail scanners open every link of a message.
        return render(request, "follows/unsubscribe.html", {"count": follows.count(), "token": token})
    deleted = services.unsubscribe(token=token)
    return render(request, "follows/unsubscribe.html", {"done": True, "deleted": deleted})
