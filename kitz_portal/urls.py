from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from . import health, views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("kitz/", views.about, name="about"),
    path("impressum/", views.imprint, name="imprint"),
    path("datenschutz/", views.privacy, name="privacy"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path(
        "barrierefreiheit/rueckmeldungen/",
        views.accessibility_feedback_list,
        name="accessibility_feedback_list",
    ),
    path("leichte-sprache/", views.easy_language, name="easy_language"),
    path("foerderung/", views.funding_info, name="funding_info"),
    path("konto/", include("allauth.urls")),
    path("mein-bereich/", include("accounts.urls")),
    path("handlungsfelder/", include("handlungsfelder.urls")),
    path("netzwerke/", include("networks.urls")),
    path("antraege/", include("applications.urls")),
    path("verwaltung/", include("applications.admin_urls")),
    path("verwaltung/", include("accounts.admin_urls")),
    path("meine-daten/", include("privacy.urls")),
    path("django-admin/", admin.site.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    prefix_default_language=False,
)

handler403 = "kitz_portal.views.permission_denied"
handler404 = "kitz_portal.views.page_not_found"
handler500 = "kitz_portal.views.server_error"
