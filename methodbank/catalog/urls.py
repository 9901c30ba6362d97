from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("teemat/<slug:slug>/", views.theme_detail, name="theme"),
    path("teemat/<slug:theme>/<slug:slug>/", views.subtheme_detail, name="subtheme"),
    path("menetelmat/<slug:slug>/", views.practice_detail, name="practice"),
    path("menetelmat/<slug:slug>/pdf/", views.practice_pdf, name="practice_pdf"),
    path("hankkeet/", views.project_list, name="project_list"),
    path("hankkeet/<slug:slug>/", views.project_detail, name="project"),
    path("avainsanat/<slug:slug>/", views.keyword_detail, name="keyword"),
    path("avoin-data/", views.open_data, name="open_data"),
    path("avoin-data/<slug:what>.<slug:fmt>", views.open_data_download, name="open_data_download"),
]
