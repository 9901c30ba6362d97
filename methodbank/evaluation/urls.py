from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("arviointi/", views.event_list, name="event_list"),
    path("arviointi/tapahtumat/uusi/", views.event_create, name="event_create"),
    path("arviointi/henkilohaku/", views.people_search, name="people_search"),
    path("arviointi/tapahtumat/<int:pk>/", views.event_detail, name="event"),
    path("arviointi/tapahtumat/<int:pk>/muokkaa/", views.event_edit, name="event_edit"),
    path("arviointi/tapahtumat/<int:pk>/ryhmat/", views.event_groups, name="event_groups"),
    path("arviointi/tapahtumat/<int:pk>/ryhmat/<int:group_pk>/", views.event_groups, name="event_group_edit"),
    path(
        "arviointi/tapahtumat/<int:pk>/ryhmat/<int:group_pk>/poista/",
        views.event_group_delete,
        name="event_group_delete",
    ),
    path("arviointi/tapahtumat/<int:pk>/vastaukset/", views.event_answers, name="event_answers"),
    path(
        "arviointi/tapahtumat/<int:pk>/vastaukset/<str:kind>/<uuid:public_id>/hylkaa/",
        views.assessment_discard,
        name="assessment_discard",
    ),
    path("arviointi/tapahtumat/<int:pk>/linkki/", views.event_access, name="event_access"),
    path("arviointi/tapahtumat/<int:pk>/linkki/qr.svg", views.event_qr, name="event_qr"),
    path("arviointi/tapahtumat/<int:pk>/edistyminen/", views.event_progress, name="event_progress"),
    path(
        "arviointi/tapahtumat/<int:pk>/mallit/<int:practice_pk>/",
        views.peer_assessment,
        name="peer_assessment",
    ),
    path(
        "arviointi/tapahtumat/<int:pk>/ryhmat/<int:group_pk>/mallit/<int:practice_pk>/",
        views.group_assessment,
        name="group_assessment",
    ),
    path(
        "arviointi/tapahtumat/<int:pk>/mallit/<int:practice_pk>/tulokset/",
        views.model_results,
        name="results",
    ),
    path(
        "arviointi/tapahtumat/<int:pk>/mallit/<int:practice_pk>/palaute/",
        views.feedback_report,
        name="feedback",
    ),
    path(
        "arviointi/tapahtumat/<int:pk>/mallit/<int:practice_pk>/palaute.pdf",
        views.feedback_report_pdf,
        name="feedback_pdf",
    ),
    path(
        "arviointi/tapahtumat/<int:pk>/mallit/<int:practice_pk>/asiantuntija/",
        views.expert_review,
        name="expert_review",
    ),
    path("arviointi/asiantuntija/", views.expert_queue, name="expert_queue"),
    path("arviointi/vastaus/<uuid:public_id>/", views.answer, name="answer"),
    # The anonymous link: the token is the only key, valid for one event until it expires.
    path("arviointi/t/<str:token>/", views.anon_event, name="anon_event"),
    path("arviointi/t/<str:token>/<int:practice_pk>/", views.anon_assessment, name="anon_assessment"),
    path(
        "arviointi/t/<str:token>/ryhmat/<int:group_pk>/<int:practice_pk>/",
        views.anon_group_assessment,
        name="anon_group_assessment",
    ),
]
