"""What contributions adds to catalog, registered in ContributionsConfig.ready(): the "claim this
entry" link in the invitation an imported entry shows, the "we adopted this model" link, and the importer's findings kept as the
data-quality queue."""

from django.template.loader import render_to_string

from methodbank.accounts.roles import is_team_member
from methodbank.catalog import extensions
from methodbank.catalog.signals import import_findings

from .selectors import claim_pending_for
from .services import quality_issues_record


def claim_block(request, practice) -> str:
    if practice.project_id is None:
        return ""
    user = getattr(request, "user", None)
    state = "claim"
    if user is not None and user.is_authenticated:
        if is_team_member(user, practice):
            state = "member"
        elif claim_pending_for(user=user, project=practice.project):
            state = "pending"
    return render_to_string("contributions/_claim_block.html", {"practice": practice, "state": state},
                            request=request)


def adoption_block(request, practice) -> str:
    """On a model's page: the link to record an adoption. On a good practice's page, for its team:
    the link to record that the practice adopted the model it applies."""
    if practice.is_model:
        return render_to_string("contributions/_adoption_block.html", {"practice": practice}, request=request)
    model = getattr(practice, "published_model", None)
    user = getattr(request, "user", None)
    if model is None or not is_team_member(user, practice):
        return ""
    return render_to_string("contributions/_adoption_block_practice.html", {"practice": practice, "model": model},
                            request=request)


def record_import_findings(sender, *, source_key, findings, **kwargs):
    return quality_issues_record(findings=findings, source=source_key)


def register():
    extensions.register_entry_block("claim", claim_block)
    extensions.register_entry_block("adoption", adoption_block)
    import_findings.connect(record_import_findings, dispatch_uid="contributions.record_import_findings")
