from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "tests.benchmarks.scale_apps.ours"
    label = "bench_scale_ours"
    default_auto_field = "django.db.models.BigAutoField"
