from django.urls import path

from . import views

app_name = "follows"
urlpatterns = [
    path("syotteet/", views.feed_all, name="feed_all"),
    path("syotteet/haku/", views.feed_search, name="feed_search"),
    path("syotteet/<slug:segment>/<path:key>/", views.feed, name="feed"),
    path("seuranta/seuraa/", views.follow_create, name="follow_create"),
    path("seuranta/<int:pk>/", views.follow_update, name="follow_update"),
    path("seuranta/<int:pk>/poista/", views.follow_delete, name="follow_delete"),
    path("seuranta/peru/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
