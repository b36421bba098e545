from django.urls import path

from . import admin_views

app_name = "user_admin"

urlpatterns = [
    path("personen/", admin_views.people, name="people"),
    path("personen/einladen/", admin_views.invite_staff, name="invite_staff"),
    path("personen/<int:pk>/", admin_views.person, name="person"),
    path("personen/<int:pk>/rolle-erteilen/", admin_views.grant_role, name="grant_role"),
    path("personen/<int:pk>/rolle-entziehen/", admin_views.revoke_role, name="revoke_role"),
    path("personen/<int:pk>/aktiv/", admin_views.set_active, name="set_active"),
    path("organisationen/", admin_views.organisations, name="organisations"),
    path(
        "organisationen/<int:pk>/zusammenfuehren/",
        admin_views.organisation_merge,
        name="organisation_merge",
    ),
]
