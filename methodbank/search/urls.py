from django.urls import path

from . import browse_views, log_views, views

app_name = "search"
urlpatterns = [
    path("haku/", views.search, name="search"),
    path("haku/tulos/<int:pk>/", log_views.result_click, name="result_click"),
    path("haku/kyselyt/", log_views.query_log, name="query_log"),
    path("haku/kyselyt/lisaa-termi/", log_views.query_log_add, name="query_log_add"),
    path("selaa/", browse_views.browse_index, name="browse"),
    path("selaa/<slug:identifier>/", browse_views.browse_facet, name="browse_facet"),
    # In the moderation area with the coordinator's other queues (contributions' URLs).
    path("moderointi/selausarvot/", browse_views.facet_review_index, name="facet_review_index"),
    path("moderointi/selausarvot/<slug:identifier>/", browse_views.facet_review, name="facet_review"),
]
