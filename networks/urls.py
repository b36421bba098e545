from django.urls import path

from . import views

app_name = "networks"

urlpatterns = [
    path("", views.network_list, name="list"),
    path("neu/", views.network_create, name="create"),
    path("mein-kalender/", views.my_calendar, name="my_calendar"),
    path("kalender/<str:token>.ics", views.person_feed, name="person_feed"),
    path("einladung/<int:pk>/<str:token>/", views.rsvp_by_token, name="rsvp_by_token"),
    path("<slug:slug>/", views.network_detail, name="detail"),
    path("<slug:slug>/bearbeiten/", views.network_edit, name="edit"),
    path("<slug:slug>/kalender.ics", views.network_feed, name="network_feed"),
    path("<slug:slug>/beitreten/", views.join_request, name="join_request"),
    path("<slug:slug>/anfragen/<int:pk>/", views.join_request_decide, name="join_request_decide"),
    path("<slug:slug>/mitglieder/", views.members, name="members"),
    path("<slug:slug>/mitglieder/<int:pk>/entfernen/", views.member_remove, name="member_remove"),
    path("<slug:slug>/treffen/neu/", views.meeting_create, name="meeting_create"),
    path("<slug:slug>/treffen/<int:pk>/", views.meeting_detail, name="meeting"),
    path("<slug:slug>/treffen/<int:pk>/bearbeiten/", views.meeting_edit, name="meeting_edit"),
    path("<slug:slug>/treffen/<int:pk>/einladen/", views.meeting_invite, name="meeting_invite"),
    path("<slug:slug>/treffen/<int:pk>/absagen/", views.meeting_cancel, name="meeting_cancel"),
    path("<slug:slug>/treffen/<int:pk>/antwort/", views.meeting_respond, name="meeting_respond"),
    path(
        "<slug:slug>/treffen/<int:pk>/teilnahme/",
        views.meeting_attendance,
        name="meeting_attendance",
    ),
    path("<slug:slug>/treffen/<int:pk>/protokoll/", views.meeting_minutes, name="meeting_minutes"),
    path(
        "<slug:slug>/treffen/<int:pk>/protokoll/datei/",
        views.meeting_minutes_file,
        name="meeting_minutes_file",
    ),
    path("<slug:slug>/reihen/neu/", views.series_create, name="series_create"),
    path("<slug:slug>/reihen/<int:pk>/", views.series_detail, name="series"),
    path("<slug:slug>/angebote/neu/", views.offer_form, name="offer_create"),
    path("<slug:slug>/angebote/<int:pk>/bearbeiten/", views.offer_form, name="offer_edit"),
    path("<slug:slug>/aufgaben/neu/", views.task_create, name="task_create"),
    path("<slug:slug>/aufgaben/<int:pk>/erledigt/", views.task_done, name="task_done"),
]
