import csv
import io

from rest_framework.renderers import BaseRenderer

# A spreadsheet runs a cell that starts with one of these as a formula.
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_PREFIXES):
        return "'" + value
    return value


class CsvRenderer(BaseRenderer):
    """A list of flat dicts as CSV (`?format=csv`), columns in the first row's key order."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        buffer = io.StringIO()
        rows = data if isinstance(data, list) else [data]
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({key: csv_safe(value) for key, value in row.items()})
        return buffer.getvalue().encode(self.charset)
