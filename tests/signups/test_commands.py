import io

from django.core.management import call_command

from tenant_apps.signups.models import WidgetSite
from tests.support.stores import in_store


def test_widget_sites_ensure_fills_only_stores_without_a_site(store_a, store_b):
    with in_store(store_b):
        WidgetSite.objects.all().delete()
    out = io.StringIO()

    call_command("widget_sites_ensure", stdout=out)
    call_command("widget_sites_ensure", stdout=io.StringIO())  # a second run changes nothing

    assert out.getvalue() == (
        "beta: Beta website (http://beta.localhost:8000)\n1 widget site(s) made.\n"
    )
    with in_store(store_a):
        assert WidgetSite.objects.count() == 1
    with in_store(store_b):
        assert list(WidgetSite.objects.values_list("allowed_origins", flat=True)) == [
            ["http://beta.localhost:8000"]
        ]
