from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("profiili/", views.profile, name="profile"),
    path("poista/", views.account_delete, name="delete"),
]
