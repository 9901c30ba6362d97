from django.urls import path

from . import views

app_name = "usage"
urlpatterns = [
    path("kaytto/", views.top_lists, name="top_lists"),
    path("oma-sivu/kaytto/<int:pk>/", views.practice_usage, name="practice"),
]
