"""The Menetelmäpankki REST API (django-ninja): /api/schema (OpenAPI 3), /api/docs (Swagger UI
from local static files), /api/v1/... endpoints."""

from ninja import NinjaAPI, Swagger

from . import problems
from .read import router as read_router
from .renderers import RENDERER
from .throttling import AnonThrottle, TokenThrottle
from .write import router as write_router

DESCRIPTION = """
Open data of Menetelmäpankki, the method bank of models (malli) and good practices (hyvä käytäntö)
from Finnish ESF education projects.

* **Read** (`/api/v1/entries`, `projects`, `organisations`, `themes`, `subthemes`, `periods`,
  `keywords`): public, published content only. Lists are ordered by id (or by relevance for `q`);
  the answer gives `count` and `next`/`previous` links, `limit` sets the page size (max 100).
* **Paging**: lists in id order page by cursor: follow `next`, or send `after=<id>` (the results
  with a larger id; to resume a sync, the largest id you have) or `before=<id>`. Every page costs the
  same, the last of the bank included, and a walk with `next` sees each entry once while entries are
  published or withdrawn meanwhile. `offset` still works up to 10000 (further on it is a 400 that
  names `after`). With `q` (relevance order) page with `offset`: the search ranks a bounded number of
  entries.
* **Entries' views**: `/api/v1/entries` gives whole entries (about 2.5 KB each); `view=summary` gives
  what a list shows (title, kind, summary, project, theme codes, dates) with `detail`, the address of
  the whole entry (about 0.5 KB each, fewer queries). To copy the whole bank, walk the full view with
  `next`, or take the bulk downloads below.
  Responses carry `ETag` and `Last-Modified`; send `If-None-Match` or `If-Modified-Since` to get
  `304 Not Modified` when nothing changed.
* **Write** (`/api/v1/me/...`): contributors and coordinators, with a personal API token created on
  the user's own page (Oma sivu → API-avaimet): `Authorization: Bearer <token>`. The same permissions
  and workflow as on the site apply.
* **Root**: `/api/v1/` lists these resources with links. HEAD works wherever GET does.
* **Bulk downloads**: `/api/dumps/entries.json`, `entries.csv`, `entries.xlsx`, `projects.json`,
  `projects.csv`, `projects.xlsx` and `datapackage.json`, rebuilt whenever content is published. In the
  CSV and XLSX files a text starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
  `'` (formula-injection neutralisation, documented in `datapackage.json`).
* **Errors** are RFC 9457 problem details (`application/problem+json`). A bad parameter is a 400 whose
  `errors` list names each parameter. Anonymous clients are rate-limited: 429 with `Retry-After`.

Licence of the data: see the `licence` member of the dumps and the `Link: rel="license"` header.
"""


class MethodBankAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation):
        return operation.operation_id or operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        # Errors are application/problem+json (RFC 9457), not plain JSON.
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                for status, response in operation.get("responses", {}).items():
                    if str(status).isdigit() and int(status) >= 400 and "content" in response:
                        content = response["content"]
                        if "application/json" in content:
                            content["application/problem+json"] = content.pop("application/json")
                        response["description"] = ERROR_DESCRIPTIONS.get(int(status), response["description"])
                    if int(status) == 304:
                        response["description"] = (
                            "Not modified: the ETag or Last-Modified you sent still matches."
                        )
        return schema


ERROR_DESCRIPTIONS = {
    400: "A parameter or the body is not valid; `errors` names each bad parameter.",
    401: "No token, or the token is unknown or revoked.",
    403: "The token's user may not do this to this object.",
    404: "No such object (or not visible to you).",
    409: "The object changed meanwhile (send the current lock_version) or the workflow does not allow this.",
    429: "Too many requests; wait the number of seconds in Retry-After.",
}


api = MethodBankAPI(
    title="Menetelmäpankki API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/schema",
    docs_url="/docs",
    # Swagger UI's deep links put a link (<a href="#/...">) inside each operation's toggle button, a
    # link nested in a button that keyboard and screen-reader users cannot reach as either (axe
    # "nested-interactive"). Without deep linking the path is plain text and the page is clean;
    # the operations stay reachable with the keyboard through their buttons.
    docs=Swagger(settings={"deepLinking": False}),
    throttle=[AnonThrottle(), TokenThrottle()],
    renderer=RENDERER,
)
problems.install(api)
api.add_router("/v1/", read_router)
api.add_router("/v1/", write_router)
