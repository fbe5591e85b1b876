import csv
import io

from rest_framework.renderers import BaseRenderer

from saas.validation import csv_cell


class CsvRenderer(BaseRenderer):
    """A list of flat dicts as CSV (`?format=csv`), columns in the first row's key order."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        buffer = io.StringIO()
        rows = data if isinstance(data, list) else [data]
        view = (renderer_context or {}).get("view")
        columns = list(rows[0]) if rows else list(getattr(view, "csv_columns", ()))
        if columns:
            writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({key: csv_cell(value) for key, value in row.items()})
        return buffer.getvalue().encode(self.charset)
