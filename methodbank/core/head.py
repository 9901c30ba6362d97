"""HEAD works wherever GET does, on the site and in the API.

Django's ``require_GET`` and django-ninja's GET operations answer HEAD with 405, so a link checker
or a harvester that asks HEAD first gets an error for a page that exists. This middleware runs
the request as a GET and sends the GET's status and headers without the body (RFC 9110 9.3.2).
"""


class HeadAsGetMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if response.streaming:
            # Never produce a streamed body (a whole export) only to throw it away.
            close = getattr(response.streaming_content, "close", None)
            if callable(close):
                close()
            response.streaming_content = []
        else:
            if not response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response
