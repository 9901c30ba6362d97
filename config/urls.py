from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from methodbank.accounts.views import admin_login
from methodbank.catalog.views import home
from methodbank.core import urls as core_urls

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The API lives outside i18n_patterns: its addresses must not depend on the language.
    path("api/", include("methodbank.api.urls")),
]

urlpatterns += i18n_patterns(
    # Before the admin's own log-in: the admin is entered through the site's rate-limited log-in.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    # The front page is catalog's view under its old name "core:home": core cannot import catalog.
    path("", include(([path("", home, name="home"), *core_urls.urlpatterns], core_urls.app_name))),
    path("", include("methodbank.catalog.urls")),
    path("", include("methodbank.search.urls")),
    path("", include("methodbank.reports.urls")),
    path("tili/", include("methodbank.accounts.urls")),
    path("tili/", include("allauth.urls")),
    path("", include("methodbank.contributions.urls")),
    path("", include("methodbank.evaluation.urls")),
    path("", include("methodbank.usage.urls")),
    path("", include("methodbank.api.urls_site")),
    path("", include("methodbank.follows.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
