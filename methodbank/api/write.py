"""Write endpoints (v1): a contributor's own entries, with a personal API token.

Nothing here decides who may do what or which status may follow which: input is validated by the
contribution forms (the same project and model choices as on the site) and every change goes
through the workflow services in ``methodbank.contributions.services`` with the permission-checked
getters of ``methodbank.contributions.permissions``. This module only translates HTTP to those
calls and their errors to problem details.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Path, Query, Router, Status
from ninja.decorators import decorate_view

from methodbank.catalog.models import (
    Period,
    Practice,
    PracticeTranslation,
    PublicationStatus,
    Subtheme,
    Theme,
)
from methodbank.catalog.services import keywords_normalise
from methodbank.catalog.workflow import EditConflict, WorkflowError
from methodbank.contributions import permissions as perms
from methodbank.contributions import selectors as contribution_selectors
from methodbank.contributions import services as contribution_services
from methodbank.contributions.content import TEXT_FIELDS, PracticeContent
from methodbank.contributions.forms import LinkForm, PlacementForm, PracticeForm
from methodbank.core.errors import service_error_items

from .auth import ApiTokenAuth
from .idempotency import OPENAPI_EXTRA as IDEMPOTENT
from .idempotency import atomic_write
from .pagination import MAX_ID, page_envelope
from .problems import ApiProblem
from .schemas import (
    EntryCreate,
    EntryUpdate,
    OffsetPageParams,
    OwnEntryOut,
    OwnEntryPage,
    Problem,
    TokenUserOut,
)
from .selectors import entry_ref, site_url

router = Router(tags=["Own entries (write)"], auth=ApiTokenAuth())

TOKEN = (
    "\n\n**Permission:** a personal API token (`Authorization: Bearer <token>`, created on Oma sivu → "
    "API-avaimet). "
)
OWN = TOKEN + (
    "Only entries you may edit on the site: your own, your project teams', or any entry for a coordinator. "
    "Other entries answer 404, so their existence does not leak."
)
AUTH_ERRORS = {401: Problem, 429: Problem}
# Every write may carry an Idempotency-Key (see idempotency.py); reusing one for another request is 422.
KEY_ERRORS = {422: Problem}
RETRY = (
    "\n\n**Retries:** send an `Idempotency-Key` header and repeat it when you resend after a timeout or a "
    "503: a retry returns the first answer (`Idempotent-Replayed: true`) instead of writing twice."
)


# --------------------------------------------------------------------------------------------
# Translation between the API and the contribution services
# --------------------------------------------------------------------------------------------


def _form_errors(form, prefix="") -> list:
    errors = []
    for field, messages in form.errors.get_json_data().items():
        name = "body" if field == "__all__" else f"{prefix}{field}"
        errors.extend({"name": name, "location": "body", "detail": m["message"]} for m in messages)
    return errors


def _bad_body(errors: list) -> ApiProblem:
    names = ", ".join(dict.fromkeys(f"'{e['name']}'" for e in errors))
    return ApiProblem(
        400,
        f"Not valid: {names}. " + " ".join(f"{e['name']}: {e['detail']}" for e in errors),
        errors=errors,
    )


def _content_to_data(*, user, practice, content) -> PracticeContent:
    """Validate the body with the site's contribution forms and turn it into the services' content."""
    form = PracticeForm(
        data={
            **{name: getattr(content, name) for name in TEXT_FIELDS},
            "kind": content.kind,
            "model_criteria": list(content.model_criteria),
            "applies_model": content.applies_model or "",
            "project": content.project or "",
            "keywords": "",
            "reason": getattr(content, "reason", ""),
        },
        user=user,
        practice=practice,
    )
    errors = [] if form.is_valid() else _form_errors(form)

    themes = {t.code.upper(): t.pk for t in Theme.objects.all()}
    periods = {p.code: p.pk for p in Period.objects.all()}
    placements = []
    for index, placement in enumerate(content.placements):
        prefix = f"placements[{index}]."
        theme_pk = themes.get(placement.theme.upper())
        if theme_pk is None:
            errors.append(
                {
                    "name": prefix + "theme",
                    "location": "body",
                    "detail": f"no theme with code '{placement.theme}'.",
                }
            )
            continue
        if placement.period and placement.period not in periods:
            errors.append(
                {
                    "name": prefix + "period",
                    "location": "body",
                    "detail": f"no period with code '{placement.period}'.",
                }
            )
            continue
        if placement.subtheme and not Subtheme.objects.filter(pk=placement.subtheme).exists():
            errors.append(
                {
                    "name": prefix + "subtheme",
                    "location": "body",
                    "detail": f"no subtheme with id {placement.subtheme}.",
                }
            )
            continue
        placement_form = PlacementForm(
            data={
                "theme": theme_pk,
                "subtheme": placement.subtheme or "",
                "period": periods.get(placement.period, "") if placement.period else "",
            }
        )
        if placement_form.is_valid():
            placements.append(placement_form.cleaned_data)
        else:
            errors.extend(_form_errors(placement_form, prefix))
    links = []
    for index, link in enumerate(content.links):
        link_form = LinkForm(data={"url": link.url, "title": link.title})
        if link_form.is_valid():
            links.append(link_form.cleaned_data)
        else:
            errors.extend(_form_errors(link_form, f"links[{index}]."))
    translations = _translations_to_data(practice, content.translations, errors)
    if errors:
        raise _bad_body(errors)
    cleaned = {
        **form.cleaned_data,
        "placements": placements,
        "links": links,
        "keywords": keywords_normalise(content.keywords),
    }
    # Translations left out (None): the services keep the translations as they are.
    return PracticeContent.from_form(cleaned).model_copy(update={"translations": translations})


def _translations_to_data(practice, translations, errors: list) -> dict | None:
    if translations is None:
        return None
    original = practice.language if practice is not None else Practice._meta.get_field("language").default
    result = {}
    for index, translation in enumerate(translations):
        name = f"translations[{index}].language"
        if translation.language == original:
            errors.append(
                {
                    "name": name,
                    "location": "body",
                    "detail": f"the entry is written in '{original}'; edit its own fields instead.",
                }
            )
        elif translation.language in result:
            errors.append(
                {
                    "name": name,
                    "location": "body",
                    "detail": f"two translations into '{translation.language}'.",
                }
            )
        else:
            result[translation.language] = {
                field: getattr(translation, field).strip() for field in PracticeTranslation.TRANSLATED_FIELDS
            }
    return result


def _run(service, **kwargs):
    """Call a workflow service; its domain errors become problem details."""
    try:
        return service(**kwargs)
    except EditConflict as conflict:
        raise ApiProblem(
            409,
            f"{conflict} Nothing was saved. The entry's lock_version is now {conflict.current_lock_version}: "
            "read it again (GET), merge your changes and send them with that lock_version.",
            problem_type="edit-conflict",
        ) from conflict
    except WorkflowError as error:
        raise ApiProblem(409, str(error), problem_type="workflow") from error
    except ValidationError as error:
        errors = [
            {"name": field or "body", "location": "body", "detail": message}
            for field, message in service_error_items(error)
        ]
        raise _bad_body(errors) from error
    except PermissionDenied as error:
        raise ApiProblem(403, str(error) or "You may not do this to this entry.") from error


def _own_entry_dict(practice, *, similar: bool = True) -> dict:
    current = contribution_services.practice_current_content(practice)
    themes = dict(Theme.objects.values_list("pk", "code"))
    periods = dict(Period.objects.values_list("pk", "code"))
    gaps = current.submission_errors()
    content = {name: getattr(current, name) for name in TEXT_FIELDS}
    content.update(
        {
            "kind": current.kind,
            "model_criteria": list(current.model_criteria),
            "applies_model": current.applies_model,
            "project": current.project,
            "placements": [
                {
                    "theme": themes.get(p.theme, ""),
                    "subtheme": p.subtheme,
                    "period": periods.get(p.period) if p.period else None,
                }
                for p in current.placements
                if p.theme in themes
            ],
            "keywords": list(current.keywords),
            "links": [{"url": link.url, "title": link.title} for link in current.links],
            "translations": [
                {
                    "language": code,
                    **{name: fields.get(name, "") for name in PracticeTranslation.TRANSLATED_FIELDS},
                }
                for code, fields in sorted((current.translations or {}).items())
            ],
        }
    )
    return {
        "id": practice.pk,
        "slug": practice.slug,
        "status": practice.status,
        "workflow_status": contribution_services.practice_workflow_status(practice),
        "lock_version": practice.lock_version,
        "content": content,
        "missing_for_submission": [
            {"name": name, "detail": str(message)} for name, messages in gaps.items() for message in messages
        ],
        "url": site_url("catalog:practice", slug=practice.slug)
        if practice.status == PublicationStatus.PUBLISHED
        else None,
        "updated_at": practice.updated_at,
        # The list leaves it out: one similarity search per listed entry would make it slow.
        "similar_entries": [
            entry_ref(item["entry"])
            for item in contribution_selectors.similar_for_contributor(
                title=current.title, summary=current.summary, exclude_pk=practice.pk,
                applies_model=current.applies_model,
            )
        ] if similar else None,
    }


def _fresh(pk):
    return Practice.objects.select_related("project", "applies_model").get(pk=pk)


def _entry_for_edit(request, pk):
    try:
        return perms.practice_get_for_edit(user=request.auth, pk=pk)
    except Http404:
        raise Http404(f"You have no entry with id {pk} that you may edit.") from None


# --------------------------------------------------------------------------------------------
# Endpoints
# --------------------------------------------------------------------------------------------


@router.get(
    "/me",
    response={200: TokenUserOut, **AUTH_ERRORS},
    operation_id="me",
    summary="Who the token belongs to",
    description="The user of the token and their roles." + TOKEN + "Any active user.",
)
def me(request):
    user = request.auth
    return {"id": user.pk, "name": str(user), "roles": sorted(user.groups.values_list("name", flat=True))}


@router.get(
    "/me/entries",
    response={200: OwnEntryPage, **AUTH_ERRORS, 400: Problem},
    operation_id="own_entry_list",
    summary="List your entries",
    description="Entries you may edit, in any status, most recently changed first (id breaks ties)." + OWN,
)
def own_entry_list(request, page: Query[OffsetPageParams]):
    queryset = contribution_selectors.own_practices(user=request.auth)
    count = queryset.count()
    entries = list(queryset[page.offset : page.offset + page.limit])
    items = [_own_entry_dict(entry, similar=False) for entry in entries]
    return page_envelope(request, count=count, items=items, limit=page.limit, offset=page.offset)


@router.post(
    "/me/entries",
    response={201: OwnEntryOut, **AUTH_ERRORS, 400: Problem, 403: Problem, 409: Problem, **KEY_ERRORS},
    operation_id="own_entry_create",
    summary="Create a draft",
    description="Create a model or good practice as a draft owned by you. It is not public until you "
    "submit it and a coordinator publishes it."
    + TOKEN
    + "Any active user (contributor or coordinator)."
    + RETRY,
    openapi_extra=IDEMPOTENT,
)
@decorate_view(atomic_write)
def own_entry_create(request, payload: EntryCreate):
    data = _content_to_data(user=request.auth, practice=None, content=payload)
    practice = _run(contribution_services.practice_create, by=request.auth, data=data, reason=payload.reason)
    return Status(201, _own_entry_dict(_fresh(practice.pk)))


@router.get(
    "/me/entries/{id}",
    response={200: OwnEntryOut, **AUTH_ERRORS, 400: Problem, 404: Problem},
    operation_id="own_entry_detail",
    summary="One of your entries",
    description="The entry with the work in progress (a published entry's pending revision) and what it "
    "still lacks before it can be submitted." + OWN,
)
def own_entry_detail(request, id: int = Path(..., ge=1, le=MAX_ID, description="Entry id.")):
    return _own_entry_dict(_entry_for_edit(request, id))


@router.put(
    "/me/entries/{id}",
    response={
        200: OwnEntryOut,
        **AUTH_ERRORS,
        400: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        **KEY_ERRORS,
    },
    operation_id="own_entry_update",
    summary="Update your entry",
    description="Replace the entry's content. A draft or returned entry is edited in place. A published entry "
    "is not changed: the update becomes a revision that goes through moderation while the published "
    "content stays visible (submit it with the submit operation). An archived entry cannot be edited (409). "
    "Send the lock_version you read; if someone saved meanwhile the answer is 409 and nothing is "
    "overwritten." + OWN + RETRY,
    openapi_extra=IDEMPOTENT,
)
@decorate_view(atomic_write)
def own_entry_update(
    request, payload: EntryUpdate, id: int = Path(..., ge=1, le=MAX_ID, description="Entry id.")
):
    practice = _entry_for_edit(request, id)
    data = _content_to_data(user=request.auth, practice=practice, content=payload)
    _run(
        contribution_services.practice_update,
        practice=practice,
        by=request.auth,
        data=data,
        lock_version=payload.lock_version,
        reason=payload.reason,
    )
    return _own_entry_dict(_fresh(practice.pk))


@router.post(
    "/me/entries/{id}/submit",
    response={
        200: OwnEntryOut,
        **AUTH_ERRORS,
        400: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        **KEY_ERRORS,
    },
    operation_id="own_entry_submit",
    summary="Submit your entry for moderation",
    description="Send a draft, a returned entry or a published entry's revision to the coordinators. 400 names "
    "the sections that must be filled in first; 409 if the workflow does not allow it (e.g. already "
    "submitted)." + OWN + RETRY,
    openapi_extra=IDEMPOTENT,
)
@decorate_view(atomic_write)
def own_entry_submit(request, id: int = Path(..., ge=1, le=MAX_ID, description="Entry id.")):
    practice = _entry_for_edit(request, id)
    _run(contribution_services.practice_submit, practice=practice, by=request.auth)
    return _own_entry_dict(_fresh(practice.pk))
