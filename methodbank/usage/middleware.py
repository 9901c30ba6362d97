"""Counts uses of an entry: its page, its attachments and its API record.

Outermost in MIDDLEWARE: it sees every answer Django gives, those from the page cache
(core/cache.py answers inside the view's decorator) included, and HEAD before it becomes a GET
(a link checker's HEAD is not a read). It looks only at the URL pattern that answered (no
database, no session) and counts answers 200 and 304, so only existing entries are counted.

What it cannot count: a page nginx serves from its own cache (EDGE_CACHE_SECONDS, deploy/nginx/)
never reaches Django. With the few seconds that cache keeps a page, views of a popular entry
within those seconds are counted once; downloads and API reads are not edge-cached.
"""

from django.conf import settings

from . import counters
from .bots import is_bot
from .models import UsageKind

# URL name -> (kind, URL argument, reference scheme: s = entry slug, a = attachment id, p = entry id).
COUNTED_VIEWS = {
    "catalog:practice": (UsageKind.VIEW, "slug", "s"),
    "contributions:attachment_download": (UsageKind.DOWNLOAD, "pk", "a"),
    "api:entry_detail": (UsageKind.API_READ, "id", "p"),
}


class UsageCountingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "GET" and response.status_code in (200, 304) and settings.USAGE_COUNTING:
            match = getattr(request, "resolver_match", None)
            rule = COUNTED_VIEWS.get(match.view_name) if match is not None else None
            if rule is not None and not is_bot(request.headers.get("User-Agent", "")):
                kind, argument, scheme = rule
                value = str(match.kwargs.get(argument, ""))
                if value and (scheme == "s" or value.isdigit()):
                    counters.record(kind, f"{scheme}:{value}")
        return response
