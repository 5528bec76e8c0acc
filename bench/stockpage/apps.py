from django.apps import AppConfig


class StockPageConfig(AppConfig):
    name = "bench.stockpage"
    label = "bench_stockpage"
    verbose_name = "Benchmark stock page"
    default_auto_field = "django.db.models.BigAutoField"
