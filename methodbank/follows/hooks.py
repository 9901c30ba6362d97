"""What follows adds to the pages below it, registered in FollowsConfig.ready(): the Atom feed link
in the <head> and the follow button of every page someone can follow (catalog.extensions), the
list of follows on the own page, and the erasure of a user's follows (accounts.erasure)."""

from django.conf import settings
from django.template.loader import render_to_string

from methodbank.accounts.erasure import register_erasure_step
from methodbank.catalog import extensions

from . import selectors, services
from .forms import FollowForm
from .targets import kind_get, search_key, target_resolve


def _target(request, kind: str, key: str, obj=None):
    if kind == "search":
        key = search_key(key)
        # The search page without words or filters lists everything: its feed is the bank's.
        if not key:
            kind = "all"
    # The head and the follow box of one page name the same target: look it up once per request.
    resolved = request.__dict__.setdefault("_follow_targets", {})
    if (kind, key) not in resolved:
        registered = kind_get(kind)
        if obj is not None and registered is not None and registered.of_object is not None:
            resolved[kind, key] = registered.of_object(obj)
        else:
            resolved[kind, key] = target_resolve(kind, key)
    return resolved[kind, key]


def head_block(request, *, kind: str, key: str, obj=None) -> str:
    target = _target(request, kind, key, obj)
    if target is None:
        return ""
    # What the template needs is given to it: with request= the context processors would run again
    # for this one link, on every page someone can follow (the search page among them).
    return render_to_string("follows/_head.html", {"target": target, "SITE_URL": settings.SITE_URL})


def follow_block(request, *, kind: str, key: str, obj=None) -> str:
    target = _target(request, kind, key, obj)
    if target is None:
        return ""
    registered = kind_get(target.kind)
    user = getattr(request, "user", None)
    context = {"target": target, "followable": registered.followable, "label": registered.follow_label}
    if user is None or not user.is_authenticated:
        # A visitor's box is links only: it needs the request and the user, but neither the form nor
        # the context processors, which a RequestContext would run again (this is on every page
        # someone can follow, the search page among them).
        return render_to_string("follows/_follow.html", {**context, "request": request, "user": user})
    context["follow"] = selectors.follow_for_page(user=user, kind=target.kind, key=target.key)
    context["form"] = FollowForm(initial={"kind": target.kind, "key": target.key}, auto_id="follow_%s")
    return render_to_string("follows/_follow.html", context, request=request)


def own_page_section(request) -> str:
    rows = selectors.follows_for_user(user=request.user)
    return render_to_string("follows/_own_page.html", {"rows": rows}, request=request)


def register():
    extensions.register_followable_block("head", head_block)
    extensions.register_followable_block("follow", follow_block)
    extensions.register_own_page_section(own_page_section)
    register_erasure_step(services.follows_erase)
