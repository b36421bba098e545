from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Handlungsfeld(models.Model):
    """One of the KITZ's fields of action. Never hard-deleted while anything refers to it."""

    name_de = models.CharField(_("Name (deutsch)"), max_length=100, unique=True)
    name_en = models.CharField(_("Name (englisch)"), max_length=100)
    slug = models.SlugField(_("Kurzname für Adressen"), max_length=100, unique=True)
    description_de = models.TextField(_("Beschreibung (deutsch)"), blank=True)
    description_en = models.TextField(_("Beschreibung (englisch)"), blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    is_active = models.BooleanField(
        _("aktiv"),
        default=True,
        help_text=_("Nur aktive Handlungsfelder können in neuen Anträgen gewählt werden."),
    )

    class Meta:
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        ordering = ["order", "name_de"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("handlungsfelder:detail", kwargs={"slug": self.slug})

    @property
    def name(self):
        return self.name_en if translation.get_language() == "en" and self.name_en else self.name_de

    @property
    def description(self):
        if translation.get_language() == "en" and self.description_en:
            return self.description_en
        return self.description_de
