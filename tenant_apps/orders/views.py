"""HTML pages of the orders tool: none yet. Buyers order from the storefront page
(catalog.views.StorefrontView) through the APIs in apis.py; sellers use the store admin."""
