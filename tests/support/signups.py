"""The signup widget as a third-party page calls it."""

from tests.support.stores import api_client, store_host

SHOP_ORIGIN = "https://shop.alpha.example"


def widget_client(store, *, origin: str | None = SHOP_ORIGIN, **extra):
    """An anonymous browser on `origin` talking to the store's widget endpoint."""
    client = api_client(store_host(store))
    if origin:
        client.defaults["HTTP_ORIGIN"] = origin
    client.defaults.update(extra)
    return client
