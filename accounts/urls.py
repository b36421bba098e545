from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("kitz/", views.staff_home, name="staff_home"),
    path("sicherheitsprotokoll/", views.security_log, name="security_log"),
    path("organisation/neu/", views.organisation_create, name="organisation_create"),
    path("organisation/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisation/<int:pk>/bearbeiten/", views.organisation_edit, name="organisation_edit"),
    path("organisation/<int:pk>/nachweis/", views.organisation_proof, name="organisation_proof"),
    path("organisation/<int:pk>/einladen/", views.organisation_invite, name="organisation_invite"),
    path("einladung/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
