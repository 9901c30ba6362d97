import datetime

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

# When the statement was prepared and when the site was last assessed. Update both whenever the
# assessment is repeated (the law asks for the statement to be reviewed at least yearly).
ACCESSIBILITY_STATEMENT_PREPARED = datetime.date(2026, 11, 29)
ACCESSIBILITY_LAST_ASSESSED = datetime.date(2026, 11, 29)


@require_GET
def accessibility_statement(request):
    """Saavutettavuusseloste, as the Act on the Provision of Digital Services (306/2019) requires."""
    return render(
        request,
        "core/accessibility_statement.html",
        {
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "prepared": ACCESSIBILITY_STATEMENT_PREPARED,
            "assessed": ACCESSIBILITY_LAST_ASSESSED,
        },
    )


@require_GET
def privacy_notice(request):
    """Tietosuojaseloste: what the bank stores about people, and what it counts without them."""
    return render(
        request,
        "core/privacy_notice.html",
        {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
         "search_log_days": settings.SEARCH_LOG_RETENTION_DAYS},
    )
