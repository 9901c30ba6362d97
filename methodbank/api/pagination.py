"""Limit/offset pagination envelope shared by every list endpoint."""

MAX_ID = 2**63 - 1  # the largest id the databases store; a larger number is a 400, not a 500


def page_envelope(request, *, count, items, limit, offset):
    def link(new_offset):
        params = request.GET.copy()
        params["offset"] = str(new_offset)
        params["limit"] = str(limit)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return {
        "count": count,
        "next": link(offset + limit) if offset + limit < count else None,
        "previous": link(max(offset - limit, 0)) if offset > 0 and count else None,
        "results": items,
    }
