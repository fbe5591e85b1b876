"""The one pagination of list endpoints: `{"count", "next", "previous", "results"}`.

A view that pages declares `pagination_class = StandardPagination` and documents its response as
`Serializer(many=True)`: drf-spectacular then wraps it in the envelope (via
`get_paginated_response_schema`) and adds `page`/`page_size` with their ranges.
"""

import re

from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

PAGE_SIZE_PATTERN = re.compile(r"[0-9]{1,6}")


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        # A page_size outside 1..max is bad input (400), not silently another size: the schema
        # says the range, and clients generated from it must be able to trust it.
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:  # absent, or empty as a form sends a blank field: the default
            return self.page_size
        size = int(raw) if PAGE_SIZE_PATTERN.fullmatch(raw) else 0
        if not 1 <= size <= self.max_page_size:
            raise serializers.ValidationError(
                {"page_size": [f"Give a whole number from 1 to {self.max_page_size}."]}
            )
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        ranges = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(ranges.get(parameter["name"], {}))
        return parameters
