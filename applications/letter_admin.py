from django.contrib import admin

from .letter_models import DecisionLetter, LetterTextBlock, LetterTextChange


@admin.register(LetterTextBlock)
class LetterTextBlockAdmin(admin.ModelAdmin):
    """For superusers; the administration words text blocks under /verwaltung/textbausteine/.

    Changes made here are kept in the same history as those of the staff pages.
    """

    list_display = ["key", "programme", "updated_at"]
    list_filter = ["key", "programme"]

    def save_model(self, request, obj, form, change):
        from .letter_texts import default_text

        stored = LetterTextBlock.objects.filter(pk=obj.pk).first() if obj.pk else None
        before = stored.text if stored else default_text(obj.key, programme=obj.programme)
        super().save_model(request, obj, form, change)
        LetterTextChange.objects.create(
            programme=obj.programme,
            key=obj.key,
            action=LetterTextChange.Action.SAVED,
            text_before=before,
            text_after=obj.text,
            changed_by=request.user,
        )

    def delete_model(self, request, obj):
        from .letter_texts import default_text

        super().delete_model(request, obj)
        LetterTextChange.objects.create(
            programme=obj.programme,
            key=obj.key,
            action=LetterTextChange.Action.RESET,
            text_before=obj.text,
            text_after=default_text(obj.key, programme=obj.programme),
            changed_by=request.user,
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(LetterTextChange)
class LetterTextChangeAdmin(admin.ModelAdmin):
    """The history of the text blocks: read only."""

    list_display = ["changed_at", "key", "programme", "action", "changed_by"]
    list_filter = ["key", "action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
