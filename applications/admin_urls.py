from django.urls import path

from . import admin_views

app_name = "administration"

urlpatterns = [
    path("", admin_views.overview, name="overview"),
    path("auswertung/", admin_views.statistics, name="statistics"),
]
