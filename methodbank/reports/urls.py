from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("raportit/", views.published_list, name="published_list"),
    path("raportit/hallinta/", views.definition_list, name="definition_list"),
    path("raportit/hallinta/uusi/", views.definition_edit, name="definition_create"),
    path("raportit/hallinta/koostot/<int:pk>/", views.build_status, name="build_status"),
    path("raportit/hallinta/koostot/<int:pk>/lataa/", views.build_download, name="build_download"),
    path("raportit/hallinta/koostot/<int:pk>/uudelleen/", views.build_retry, name="build_retry"),
    path("raportit/hallinta/<slug:slug>/", views.definition_detail, name="definition_detail"),
    path("raportit/hallinta/<slug:slug>/muokkaa/", views.definition_edit, name="definition_edit"),
    path("raportit/hallinta/<slug:slug>/esikatselu/", views.definition_preview, name="definition_preview"),
    path("raportit/hallinta/<slug:slug>/koosta/", views.build_request, name="build_request"),
    path("raportit/hallinta/<slug:slug>/julkaise/", views.publish, name="publish"),
    path("raportit/<slug:slug>/v<int:version>/", views.published_detail, name="published_detail"),
    path("raportit/<slug:slug>/v<int:version>/vertaa/", views.published_compare, name="published_compare"),
    path("raportit/<slug:slug>/v<int:version>/uutta/", views.published_changes, name="published_changes"),
    path(
        "raportit/<slug:slug>/v<int:version>/lataa/<str:fmt>/", views.published_download, name="published_download"
    ),
]
