from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "tests.benchmarks.scale_apps.baseline"
    label = "bench_scale_baseline"
    default_auto_field = "django.db.models.BigAutoField"
