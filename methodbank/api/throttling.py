"""Rate limits for API clients, read from settings on every request (so a deployment, or a test,
can change them without restarting).

``API_THROTTLE_ANON_RATE`` limits anonymous clients per IP address; ``API_THROTTLE_TOKEN_RATE``
limits each personal token. A rate is "number/period" (s, min, hour, day); empty disables it.

The public read endpoints need no token, so ninja does not authenticate them; a client that sends a
valid token there is still a token holder, counted by its token and not by its address (the 429
text tells anonymous clients to get one). An unknown or revoked token counts as anonymous.
"""

from django.conf import settings
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from .services import api_token_authenticate

_UNSET = object()


def token_user(request):
    """The user of the request's token: ninja's ``request.auth`` on token endpoints, otherwise the
    ``Authorization: Bearer`` header checked once per request; None for anonymous clients."""
    if getattr(request, "auth", None) is not None:
        return request.auth
    cached = getattr(request, "_methodbank_token_user", _UNSET)
    if cached is _UNSET:
        scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
        cached = None
        if scheme.lower() == "bearer" and credential.strip():
            cached = api_token_authenticate(raw=credential.strip())
        request._methodbank_token_user = cached
    return cached


class _SettingsRateMixin:
    setting_name = ""

    def __init__(self):
        # ninja parses the rate once at start-up; we parse it per request instead.
        self.rate = None
        self.num_requests = self.duration = None

    def allow_request(self, request):
        self.rate = getattr(settings, self.setting_name, "") or None
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class AnonThrottle(_SettingsRateMixin, AnonRateThrottle):
    setting_name = "API_THROTTLE_ANON_RATE"

    def get_cache_key(self, request):
        if token_user(request) is not None:
            return None  # token holders are counted by TokenThrottle
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenThrottle(_SettingsRateMixin, AuthRateThrottle):
    setting_name = "API_THROTTLE_TOKEN_RATE"
    scope = "token"

    def get_cache_key(self, request):
        user = token_user(request)
        if user is None:
            return None  # anonymous clients are counted by AnonThrottle
        return self.cache_format % {"scope": self.scope, "ident": f"user-{user.pk}"}
