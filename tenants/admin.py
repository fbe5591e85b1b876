from django import forms
from django.contrib import admin
from django_celery_beat import validators

from .admin_site import StoreOwnerModelAdmin, store_admin_site
from .models import Domain, Store, StoreSchedule
from .services import store_delete, store_schedule_update


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "schema_name", "timezone", "owner", "created_at"]
    search_fields = ["name", "slug"]
    readonly_fields = ["schema_name", "created_at"]
    inlines = [DomainInline]

    def delete_model(self, request, obj):
        store_delete(store=obj)

    def delete_queryset(self, request, queryset):
        for store in queryset:
            store_delete(store=store)


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "tenant", "is_primary"]
    search_fields = ["domain"]


@admin.register(StoreSchedule)
class PlatformStoreScheduleAdmin(admin.ModelAdmin):
    list_display = ["store", "key", "periodic_task"]
    list_filter = ["key"]


class StoreScheduleForm(forms.ModelForm):
    enabled = forms.BooleanField(required=False)
    minute = forms.CharField(max_length=240, validators=[validators.minute_validator])
    hour = forms.CharField(max_length=96, validators=[validators.hour_validator])
    day_of_week = forms.CharField(max_length=64, validators=[validators.day_of_week_validator])
    day_of_month = forms.CharField(max_length=124, validators=[validators.day_of_month_validator])
    month_of_year = forms.CharField(max_length=64, validators=[validators.month_of_year_validator])

    class Meta:
        model = StoreSchedule
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        task = self.instance.periodic_task
        self.initial["enabled"] = task.enabled
        for field in ("minute", "hour", "day_of_week", "day_of_month", "month_of_year"):
            self.initial[field] = getattr(task.crontab, field)

    def save(self, commit=True):
        store_schedule_update(schedule=self.instance, **self.cleaned_data)
        return self.instance

    def save_m2m(self):
        pass


class StoreScheduleAdmin(StoreOwnerModelAdmin):
    """The store's own periodic jobs (UTC); the schema header is not editable."""

    form = StoreScheduleForm
    list_display = ["key", "task_name", "schedule", "enabled", "last_run_at"]
    readonly_fields = ["key", "task_name"]
    fields = ["key", "task_name", "enabled", "minute", "hour", "day_of_week", "day_of_month",
              "month_of_year"]  # fmt: skip

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(store_id=request.tenant.pk)
            .select_related("periodic_task__crontab")
        )

    @admin.display(description="job")
    def task_name(self, obj):
        return obj.periodic_task.name

    @admin.display(description="schedule (UTC)")
    def schedule(self, obj):
        crontab = obj.periodic_task.crontab
        return (
            f"{crontab.minute} {crontab.hour} {crontab.day_of_month} "
            f"{crontab.month_of_year} {crontab.day_of_week}"
        )

    @admin.display(boolean=True)
    def enabled(self, obj):
        return obj.periodic_task.enabled

    def last_run_at(self, obj):
        return obj.periodic_task.last_run_at

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        form.save()


store_admin_site.register(StoreSchedule, StoreScheduleAdmin)
