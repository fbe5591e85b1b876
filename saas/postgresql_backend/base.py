"""django-tenants' PostgreSQL backend with a health check that costs no round trip.

With CONN_HEALTH_CHECKS Django sends `SELECT 1` before the first query of every request on a
persistent connection: on the widget's signup, whose only statement is one INSERT, that is
half the database round trips. An idle connection the server has closed (a restart, an idle
timeout, an administrator's terminate) has something to read on its socket: the server's
termination notice or the end of the stream. So the socket is polled first, and only a
connection that has heard from the server while idle pays the `SELECT 1` that decides; the
others are taken as usable, as they would be without health checks. After an error Django
still checks with `is_usable()` (the real round trip) before keeping the connection.
"""

import select

from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper


class DatabaseWrapper(TenantDatabaseWrapper):
    def close_if_health_check_failed(self):
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        if self._heard_from_server_while_idle():
            super().close_if_health_check_failed()  # SELECT 1 decides, and closes if it fails
        self.health_check_done = True

    def _heard_from_server_while_idle(self) -> bool:
        if self.connection.closed:
            return True
        try:
            readable, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return True
        return bool(readable)
