from django.contrib import admin

from .letter_models import DecisionLetter, LetterTextBlock


@admin.register(LetterTextBlock)
class LetterTextBlockAdmin(admin.ModelAdmin):
    list_display = ["key", "programme", "updated_at"]
    list_filter = ["key", "programme"]


@admin.register(DecisionLetter)
class DecisionLetterAdmin(admin.ModelAdmin):
    """Issued letters are a record: visible, never edited or deleted here."""

    list_display = ["application", "kind", "issued_at", "signer_name", "first_downloaded_at"]
    list_filter = ["kind"]
    search_fields = ["application__reference"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
