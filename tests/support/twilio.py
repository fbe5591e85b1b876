"""A local fake of Twilio's Messages API, for the Twilio SMS backend's tests.

It answers `POST /2010-04-01/Accounts/<sid>/Messages.json` like Twilio: HTTP basic auth of
the account SID and auth token, a form body with To, Body and From (or
MessagingServiceSid), and `201` with the message resource as JSON. A wrong account, wrong
credentials or a malformed request get Twilio's error JSON; `refuse_next` makes the next send
fail with a given status and Twilio error code. Every request is recorded, well-formed or not.
"""

import base64
import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "fake-twilio-auth-token-0123456789"
FROM_NUMBER = "+15005550006"
MESSAGES_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"


@dataclass
class TwilioRequest:
    method: str
    path: str
    headers: dict
    form: dict  # field -> list of values, as sent
    auth: tuple[str, str] | None


@dataclass
class FakeTwilio:
    requests: list[TwilioRequest] = field(default_factory=list)
    refusals: list[tuple[int, int, str]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeTwilio":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                fake._answer(self)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def refuse_next(self, *, status: int, code: int, message: str) -> None:
        self.refusals.append((status, code, message))

    # --- the HTTP side -------------------------------------------------------------------

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode()
        request = TwilioRequest(
            method=handler.command,
            path=handler.path,
            headers=dict(handler.headers.items()),
            form=parse_qs(body, keep_blank_values=True),
            auth=_basic_auth(handler.headers.get("Authorization", "")),
        )
        self.requests.append(request)
        status, payload = self._outcome(request)
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _outcome(self, request: TwilioRequest) -> tuple[int, dict]:
        if request.method != "POST" or request.path != MESSAGES_PATH:
            return _error(404, 20404, "The requested resource was not found")
        if request.auth != (ACCOUNT_SID, AUTH_TOKEN):
            return _error(401, 20003, "Authenticate")
        form = {name: values[0] for name, values in request.form.items() if len(values) == 1}
        if set(request.form) - {"To", "Body", "From", "MessagingServiceSid"} or len(form) != len(
            request.form
        ):
            return _error(400, 21200, "Invalid parameters")
        if not form.get("To"):
            return _error(400, 21604, "A 'To' phone number is required.")
        if not form.get("Body"):
            return _error(400, 21602, "Message body is required.")
        if not (form.get("From") or form.get("MessagingServiceSid")):
            return _error(400, 21603, "A 'From' phone number is required.")
        if self.refusals:
            return _error(*self.refusals.pop(0))
        return 201, _message(form)


def _basic_auth(header: str) -> tuple[str, str] | None:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    username, _, password = base64.b64decode(encoded).decode().partition(":")
    return username, password


def _error(status: int, code: int, message: str) -> tuple[int, dict]:
    return status, {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def _message(form: dict) -> dict:
    sid = "SM" + uuid.uuid4().hex
    return {
        "sid": sid,
        "account_sid": ACCOUNT_SID,
        "to": form["To"],
        "from": form.get("From"),
        "messaging_service_sid": form.get("MessagingServiceSid"),
        "body": form["Body"],
        "status": "queued",
        "num_segments": "1",
        "direction": "outbound-api",
        "api_version": "2010-04-01",
        "price": None,
        "price_unit": "USD",
        "error_code": None,
        "error_message": None,
        "date_created": "Mon, 02 Dec 2024 10:00:00 +0000",
        "date_updated": "Mon, 02 Dec 2024 10:00:00 +0000",
        "date_sent": None,
        "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
        "subresource_uris": {
            "media": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}/Media.json"
        },
    }
