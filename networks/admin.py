from django.contrib import admin

from .models import (
    Invitation,
    JoinRequest,
    Meeting,
    MeetingSeries,
    Network,
    NetworkMembership,
    Offer,
    SeriesException,
    Task,
)


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    raw_id_fields = ["organisation", "user"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "visibility"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["handlungsfelder", "coordinators"]
    inlines = [NetworkMembershipInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "start", "status"]
    list_filter = ["status", "network"]
    list_select_related = ["network"]


class SeriesExceptionInline(admin.TabularInline):
    model = SeriesException
    extra = 0


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "rrule"]
    inlines = [SeriesExceptionInline]


admin.site.register(JoinRequest)
admin.site.register(Invitation)
admin.site.register(Offer)
admin.site.register(Task)
