from django.urls import path

from . import log_views, views

app_name = "search"
urlpatterns = [
    path("haku/", views.search, name="search"),
    path("haku/tulos/<int:pk>/", log_views.result_click, name="result_click"),
    path("haku/kyselyt/", log_views.query_log, name="query_log"),
    path("haku/kyselyt/lisaa-termi/", log_views.query_log_add, name="query_log_add"),
]
