"""Own-page addresses of the API app (inside i18n_patterns)."""

from django.urls import path

from . import views

app_name = "apitokens"
urlpatterns = [
    path("oma-sivu/api-avaimet/", views.token_list, name="list"),
    path("oma-sivu/api-avaimet/<int:pk>/peru/", views.token_revoke, name="revoke"),
]
