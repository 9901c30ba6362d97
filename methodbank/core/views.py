from django.shortcuts import render
from django.views.decorators.http import require_GET

from methodbank.catalog import selectors
from methodbank.core.cache import cache_public_page


@require_GET
@cache_public_page
def home(request):
    return render(
        request,
        "core/home.html",
        {
            "themes": list(selectors.theme_list_with_counts()),
            "totals": selectors.catalog_totals(),
            "cloud": selectors.keyword_cloud(),
        },
    )
