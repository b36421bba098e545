from django.urls import path

from . import views

app_name = "handlungsfelder"

urlpatterns = [
    path("verwaltung/", views.manage_list, name="manage_list"),
    path("verwaltung/neu/", views.create, name="create"),
    path("verwaltung/<int:pk>/bearbeiten/", views.edit, name="edit"),
    path("verwaltung/<int:pk>/verschieben/<str:direction>/", views.move, name="move"),
    path("verwaltung/<int:pk>/aktiv/", views.set_active, name="set_active"),
    path("verwaltung/<int:pk>/loeschen/", views.delete, name="delete"),
    path("<slug:slug>/", views.detail, name="detail"),
]
