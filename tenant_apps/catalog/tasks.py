"""Background work of the catalogue: none. Product and category changes take effect in the
request that makes them."""
