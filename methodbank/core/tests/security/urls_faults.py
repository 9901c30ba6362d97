"""The site's addresses plus views that fail, for the error-page tests."""

from django.db import OperationalError
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def crash(request):
    raise RuntimeError("a bug in a view")


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [
    path("test-faults/crash/", crash),
    path("test-faults/database-gone/", database_gone),
    path("api/test-faults/database-gone/", database_gone),
    *site_urlpatterns,
]
