from django.contrib import admin

from .models import Handlungsfeld


@admin.register(Handlungsfeld)
class HandlungsfeldAdmin(admin.ModelAdmin):
    list_display = ["name_de", "name_en", "order", "is_active"]
    prepopulated_fields = {"slug": ["name_de"]}
