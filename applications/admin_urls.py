from django.urls import path

from . import admin_views

app_name = "administration"

urlpatterns = [
    path("", admin_views.overview, name="overview"),
    path("auswertung/", admin_views.statistics, name="statistics"),
    path("auswertung/export.<str:fmt>", admin_views.statistics_export, name="statistics_export"),
    path("eingang/export.<str:fmt>", admin_views.queue_export, name="queue_export"),
]
