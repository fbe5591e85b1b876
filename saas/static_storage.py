"""Static files with content hashes in their names, so the web server may cache them for a year.

Vendored bundles point at source maps we do not ship (chart.umd.js names chart.umd.js.map);
Django's default patterns would fail collectstatic on them, so `sourceMappingURL` references
are left as they are (a missing map only costs a 404 in the browser's developer tools).
"""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage


class HashedStaticFilesStorage(ManifestStaticFilesStorage):
    patterns = (
        (
            "*.css",
            (
                r"""(?P<matched>url\(['"]{0,1}\s*(?P<url>.*?)["']{0,1}\))""",
                (
                    r"""(?P<matched>@import\s*["']\s*(?P<url>.*?)["'])""",
                    """@import url("%(url)s")""",
                ),
            ),
        ),
    )
