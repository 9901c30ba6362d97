from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from methodbank.catalog.models import PracticeKind, Project

from .. import permissions as perms
from .. import selectors


@login_required
def own_page(request):
    practices = list(selectors.own_practices(user=request.user))
    for practice in practices:
        practice.pending = practice.pending_revisions[0] if practice.pending_revisions else None
        practice.latest_decision = practice.decision_list[0] if practice.decision_list else None
    projects = list(selectors.own_projects(user=request.user))
    for project in projects:
        project.latest_decision = project.decision_list[0] if project.decision_list else None
    return render(
        request,
        "contributions/own_page.html",
        {
            "models": [p for p in practices if p.kind == PracticeKind.MODEL],
            "good_practices": [p for p in practices if p.kind == PracticeKind.GOOD_PRACTICE],
            "projects": projects,
            "claims": selectors.own_claims(user=request.user),
            "can_moderate": perms.can_moderate(request.user),
            "all_projects": Project.objects.order_by("name").only("pk", "name") if perms.can_moderate(request.user)
            else None,
        },
    )
