from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("kitz/", views.staff_home, name="staff_home"),
    path("sicherheitsprotokoll/", views.security_log, name="security_log"),
]
