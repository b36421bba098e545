from django.contrib import admin

from .models import (
    Application,
    ApplicationEvent,
    CostCategory,
    Decision,
    FundingProgramme,
    Guideline,
    GuidelineCriterion,
    InformationRequest,
    ReferenceCounter,
    Review,
)


class GuidelineCriterionInline(admin.StackedInline):
    model = GuidelineCriterion
    extra = 0


@admin.register(Guideline)
class GuidelineAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "published_at"]
    inlines = [GuidelineCriterionInline]


@admin.register(CostCategory)
class CostCategoryAdmin(admin.ModelAdmin):
    list_display = ["name_de", "code", "order", "is_investment"]


@admin.register(FundingProgramme)
class FundingProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "budget_year", "opens_on", "closes_on", "budget"]
    filter_horizontal = ["eligible_cost_categories"]


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["actor", "created_at", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "organisation", "status", "submitted_at"]
    list_filter = ["status", "programme"]
    search_fields = ["reference", "title", "organisation__name"]
    list_select_related = ["organisation"]
    list_per_page = 50
    readonly_fields = ["reference", "status", "submitted_at", "guideline"]
    inlines = [ApplicationEventInline]


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(admin.ModelAdmin):
    list_display = ["year", "last_number"]

    def has_change_permission(self, request, obj=None):
        return False


# Review and decision: read-only records for the administration ---------------------------


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Case records change only through the services; the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(_ReadOnlyAdmin):
    list_display = ["application", "reviewed_by", "proposal", "proposed_amount", "proposed_at"]


@admin.register(Decision)
class DecisionAdmin(_ReadOnlyAdmin):
    list_display = ["application", "outcome", "amount", "reviewed_by", "decided_by", "decided_at"]


@admin.register(InformationRequest)
class InformationRequestAdmin(_ReadOnlyAdmin):
    list_display = ["application", "due_on", "created_at", "answered_at"]


from . import letter_admin  # noqa: E402, F401
