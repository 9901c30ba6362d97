from django.urls import path

from . import views

app_name = "core"
# The front page ("core:home") is catalog's: config/urls.py adds it to this namespace (core cannot
# import catalog), so the name every template and e-mail uses stays the same.
urlpatterns = [
    path("saavutettavuusseloste/", views.accessibility_statement, name="accessibility"),
    path("tietosuoja/", views.privacy_notice, name="privacy"),
]
