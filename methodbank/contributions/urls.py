from django.urls import path

from . import views

app_name = "contributions"
urlpatterns = [
    path("oma-sivu/", views.own_page, name="own_page"),
    path("oma-sivu/menetelmat/uusi/", views.practice_create, name="practice_create"),
    path("oma-sivu/menetelmat/<int:pk>/", views.practice_detail, name="practice_detail"),
    path("oma-sivu/menetelmat/<int:pk>/muokkaa/", views.practice_edit, name="practice_edit"),
    path("oma-sivu/menetelmat/<int:pk>/laheta/", views.practice_submit, name="practice_submit"),
    path("oma-sivu/menetelmat/<int:pk>/versiot/", views.practice_versions, name="practice_versions"),
    path("oma-sivu/menetelmat/<int:pk>/versiot/<int:number>/palauta/", views.version_restore,
         name="version_restore"),
    path("oma-sivu/menetelmat/<int:pk>/omistaja/", views.practice_transfer, name="practice_transfer"),
    path("oma-sivu/menetelmat/<int:pk>/liitteet/", views.attachment_upload, name="attachment_upload"),
    path("oma-sivu/liitteet/<int:pk>/poista/", views.attachment_delete, name="attachment_delete"),
    path("liitteet/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("oma-sivu/luonnos/<str:key>/", views.autosave, name="autosave"),
    path("oma-sivu/luonnos/<str:key>/hylkaa/", views.autosave_discard, name="autosave_discard"),
    path("oma-sivu/hankkeet/uusi/", views.project_create, name="project_create"),
    path("oma-sivu/hankkeet/", views.project_pick, name="project_pick"),
    path("oma-sivu/hankkeet/<int:pk>/", views.project_edit, name="project_edit"),
    path("oma-sivu/hankkeet/<int:pk>/jasenet/", views.project_member_add, name="project_member_add"),
    path("oma-sivu/hankkeet/<int:pk>/jasenet/<int:user_pk>/poista/", views.project_member_remove,
         name="project_member_remove"),
    path("oma-sivu/hankkeet/<int:pk>/omistaja/", views.project_transfer, name="project_transfer"),
    path("moderointi/", views.moderation_queue, name="moderation_queue"),
    path("moderointi/menetelmat/<int:pk>/", views.moderation_practice, name="moderation_practice"),
    path("moderointi/hankkeet/<int:pk>/", views.moderation_project, name="moderation_project"),
    path("moderointi/avainsanat/", views.moderation_keywords, name="moderation_keywords"),
]
