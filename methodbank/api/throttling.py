"""Rate limits for API clients, read from settings on every request (so a deployment, or a test,
can change them without restarting).

``API_THROTTLE_ANON_RATE`` limits anonymous clients per IP address; ``API_THROTTLE_TOKEN_RATE``
limits each personal token. A rate is "number/period" (s, min, hour, day); empty disables it.
"""

from django.conf import settings
from ninja.throttling import AnonRateThrottle, AuthRateThrottle


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


class TokenThrottle(_SettingsRateMixin, AuthRateThrottle):
    setting_name = "API_THROTTLE_TOKEN_RATE"
    scope = "token"

    def get_cache_key(self, request):
        if getattr(request, "auth", None) is None:
            return None  # anonymous clients are counted by AnonThrottle
        return self.cache_format % {"scope": self.scope, "ident": f"user-{request.auth.pk}"}
