from django.urls import path

from . import admin_views

app_name = "administration"

urlpatterns = [
    path("", admin_views.overview, name="overview"),
    path("auswertung/", admin_views.statistics, name="statistics"),
    path("auswertung/jahresbericht.pdf", admin_views.statistics_report, name="statistics_report"),
    path("auswertung/export.<str:fmt>", admin_views.statistics_export, name="statistics_export"),
    path("eingang/export.<str:fmt>", admin_views.queue_export, name="queue_export"),
    path("programme/", admin_views.programmes, name="programmes"),
    path("programme/<int:pk>/kopieren/", admin_views.programme_copy, name="programme_copy"),
    path("programme/<int:pk>/bearbeiten/", admin_views.programme_edit, name="programme_edit"),
    path("programme/<int:pk>/budget/", admin_views.programme_budget, name="programme_budget"),
    path("leitfaden/", admin_views.guidelines, name="guidelines"),
    path("leitfaden/<int:pk>/", admin_views.guideline, name="guideline"),
    path(
        "leitfaden/<int:pk>/neue-version/",
        admin_views.guideline_new_version,
        name="guideline_new_version",
    ),
    path(
        "leitfaden/<int:pk>/veroeffentlichen/",
        admin_views.guideline_publish,
        name="guideline_publish",
    ),
    path("leitfaden/<int:pk>/kriterium-neu/", admin_views.criterion_add, name="criterion_add"),
    path("leitfaden/kriterium/<int:pk>/", admin_views.criterion_edit, name="criterion_edit"),
    path(
        "leitfaden/kriterium/<int:pk>/entfernen/",
        admin_views.criterion_delete,
        name="criterion_delete",
    ),
    path("textbausteine/", admin_views.letter_texts, name="letter_texts"),
    path("textbausteine/<str:scope>/", admin_views.letter_text_blocks, name="letter_text_blocks"),
    path(
        "textbausteine/<str:scope>/vorschau.pdf",
        admin_views.letter_text_saved_preview,
        name="letter_text_saved_preview",
    ),
    path(
        "textbausteine/<str:scope>/<str:key>/",
        admin_views.letter_text_edit,
        name="letter_text_edit",
    ),
    path(
        "textbausteine/<str:scope>/<str:key>/vorschau.pdf",
        admin_views.letter_text_preview,
        name="letter_text_preview",
    ),
    path(
        "textbausteine/<str:scope>/<str:key>/zuruecksetzen/",
        admin_views.letter_text_reset,
        name="letter_text_reset",
    ),
]
