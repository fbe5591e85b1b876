"""PostgreSQL restarted under load: while it is down requests fail with 503 (never 500), and
they succeed again as soon as it is back, without restarting the app."""

import http.client
import threading
import time

import pytest
from django.conf import settings

from tests.reliability.tcp_proxy import TcpProxy
from tests.support.live import database_url, real_gunicorn
from tests.support.stores import store_host

pytestmark = pytest.mark.slow  # a real gunicorn


def test_requests_fail_with_503_while_the_database_is_down_and_recover(make_store):
    store = make_store("Restart")
    database = settings.DATABASES["default"]
    proxy = TcpProxy(int(database["PORT"] or 5432), database["HOST"] or "127.0.0.1")
    # Only the proxy listens on loopback, whatever host the database is on.
    proxied_url = database_url({**database, "HOST": "127.0.0.1", "PORT": proxy.port})
    answers: list[tuple[float, int]] = []
    stop = threading.Event()

    def keep_asking(port: int):
        while not stop.is_set():
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("GET", "/api/storefront", headers={"Host": store_host(store)})
                status = connection.getresponse().status
            except OSError:
                status = 0
            finally:
                connection.close()
            answers.append((time.monotonic(), status))

    try:
        # Persistent connections, as in production: they must notice the restart by themselves.
        with real_gunicorn(DATABASE_URL=proxied_url, TEST_DATABASE_CONN_MAX_AGE=60) as port:
            clients = [threading.Thread(target=keep_asking, args=(port,)) for _ in range(4)]
            for client in clients:
                client.start()
            # A cold machine can take seconds over the first requests: go down only once every
            # client has been answered, so "before" always holds answers.
            deadline = time.monotonic() + 60
            while len(answers) < 8 and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1)
            went_down = time.monotonic()
            proxy.down()
            time.sleep(3)
            proxy.up()
            came_back = time.monotonic()
            time.sleep(3)
            stop.set()
            for client in clients:
                client.join()
    finally:
        proxy.close()

    before = [status for at, status in answers if at < went_down]
    during = [status for at, status in answers if went_down + 0.5 < at < came_back]
    settled = [status for at, status in answers if at > came_back + 1.5]
    assert set(status for _, status in answers) <= {200, 503}
    assert before and set(before) == {200}
    assert during and set(during) == {503}
    assert settled and set(settled) == {200}
