"""The stock admin listing of ``StockRecord``: a ModelViewSet as Wagtail's
documentation writes one, with the case list's page size, the same number
of columns and two filters."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from bench.stockpage.models import StockRecord


class StockRecordViewSet(ModelViewSet):
    model = StockRecord
    icon = "list-ul"
    menu_label = "基准记录"
    add_to_admin_menu = False
    url_prefix = "bench/records"
    list_per_page = 50
    list_display = ["number", "title", "category", "status", "filed_on", "due_on"]
    list_filter = ["category", "status"]
    search_fields = ["number", "title"]
    search_backend_name = None
    form_fields = ["number", "title", "category", "status", "filed_on", "due_on"]
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_stock_record_viewset():
    return StockRecordViewSet("bench_stockrecord")
