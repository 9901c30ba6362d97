"""Response headers of the public read endpoints.

Conditional GET is Django's ConditionalGetMiddleware applied per view: it sets a strong ETag from
the response body (so any change a client could see changes the tag) and answers If-None-Match /
If-Modified-Since (against the view's Last-Modified) with 304 Not Modified.

The data is public and read without credentials, so other sites' JavaScript may read it (CORS),
including the validators it needs for conditional requests.
"""

from functools import wraps

from django.middleware.http import ConditionalGetMiddleware
from django.utils.decorators import decorator_from_middleware

_conditional = decorator_from_middleware(ConditionalGetMiddleware)


def conditional_get(view):
    conditional_view = _conditional(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = conditional_view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After, Link"
        return response

    return wrapper
