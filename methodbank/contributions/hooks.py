"""What contributions adds to catalog's pages, registered in ContributionsConfig.ready(): the
"claim this entry" link in the invitation an imported entry shows."""

from django.template.loader import render_to_string

from methodbank.accounts.roles import is_team_member
from methodbank.catalog import extensions

from .selectors import claim_pending_for


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


def register():
    extensions.register_entry_block("claim", claim_block)
