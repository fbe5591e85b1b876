"""Constants shared by the traffic tests and the fake GitHub they talk to."""

from datetime import UTC, date, datetime

GITHUB_TOKEN = "ghp_store_token_with_push_access"
# The store's daily job runs at 03:15 UTC; the fake's clock starts on such a run.
START = datetime(2024, 3, 1, 3, 15, tzinfo=UTC)
REPO_CREATED = date(2024, 2, 10)
