from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from .forms import AccountDeleteForm, ProfileForm
from .services import user_delete_account, user_profile_update


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_profile_update(user=request.user, **{k: form.cleaned_data[k] for k in form.Meta.fields})
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user_delete_account(user=user)
        messages.success(request, _("Your account and personal data were removed."))
        return redirect("core:home")
    return render(request, "accounts/account_delete.html", {"form": form}, status=400 if form.errors else 200)


def admin_login(request):
    """The admin's own log-in form had no rate limit and took a username or an e-mail address,
    which sidestepped the per-account lock. The admin has no log-in of its own: this address sends
    the visitor to the site's rate-limited log-in, which brings them back to the admin page they
    asked for. It takes no password, whatever is posted to it."""
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect("admin:index")
        # Logged in without admin rights: the admin would send them back here, so answer instead.
        raise PermissionDenied
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = reverse("admin:index")
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
