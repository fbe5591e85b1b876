"""Schemathesis 4 generates requests from our own OpenAPI schema and sends them to a real
gunicorn (started as `make run` starts it), on the platform host and on a store host, as the
store's owner (JWT and API token), as a buyer of the store, and with no credentials.

Every phase runs: the schema's examples, coverage (each boundary and each broken rule of every
parameter: formats, patterns, ranges, required headers), fuzzing with valid and invalid data,
and the stateful phase (chains of calls linked by the ids answers carry). The check is the
promise to clients: no 5xx on any input (see the config for the conformance checks).
"""

import dataclasses

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck
from schemathesis.config import SchemathesisConfig

from saas.api.authentication import seller_token_pair
from shared_apps.accounts.services import api_token_create
from tenant_apps.orders.authentication import customer_token_pair
from tenant_apps.orders.models import Customer
from tests.support.live import real_gunicorn
from tests.support.stores import PLATFORM_HOST, in_store, store_host

# A real server and thousands of generated requests (~3 minutes): not for `make test-fast`.
pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = 5
# One generated request may take this long (a slow answer on 2 busy cores is no failure; a
# store created while the spare-schema pool is empty runs every migration).
DEADLINE_MS = 30_000
STATEFUL_SCENARIOS = 15
STATEFUL_STEPS = 6
# Signing out everywhere ends the credential the rest of the run speaks with; the sign-out
# itself has tests of its own (tests/accounts/test_logout.py).
CREDENTIAL_ENDING = ("/api/auth/logout-all",)
# The throttles answer 429 (documented) long before the generated requests run out; the ones
# in front of cheap, schema-free work are raised so that the requests reach the code behind
# them. Store creation (a schema each) and one-time codes keep their real limits.
HIGH_RATES = {
    "SIGNUP_THROTTLE_PER_IP": "100000/min",
    "SIGNUP_THROTTLE_PER_SITE": "100000/min",
    "THROTTLE_RATE_CART_CREATE_IP": "100000/hour",
}
WHO = ("seller_jwt", "seller_api_token", "buyer_jwt", "anonymous")
# Operations whose input obeys a rule no JSON schema can state, so a request the schema admits
# may still be refused with our documented 400 (each with the rule). For them "valid data is
# accepted" cannot hold; every other check still does, and every other operation must accept
# whatever its schema admits.
RULES_NO_SCHEMA_STATES = {
    "POST /api/auth/otp/request": "a mobile number that exists (phonenumbers)",
    "POST /api/auth/otp/verify": "the code that was sent by SMS",
    "POST /api/customers/otp/request": "a mobile number that exists",
    "POST /api/customers/otp/verify": "the code that was sent by SMS",
    "POST /api/users/create": "an e-mail address and a mobile that exist, not yet taken",
    "POST /api/auth/logout": "a refresh token this server issued",
    "POST /api/store/members": "a mobile number that exists",
    "POST /api/clients": "an IANA timezone, a phone that exists",
    "PATCH /api/store": "an ISO 4217 currency, a UPI address, a timezone",
    "POST /api/repos/create": "the URL of a GitHub repository",
    "POST /api/repos/{repository_id}/delete": "a repository the seller follows",
    "GET /api/repos/{repository_id}": "start no later than end",
    "GET /api/signups": "since: a date or a date-time (either format)",
    "GET /api/analytics/agents": "start..end at most 1,098 days",
    "GET /api/analytics/channels": "start..end at most 1,098 days",
    "GET /api/analytics/summary": "start..end at most 1,098 days",
    "GET /api/analytics/timeseries": "start..end at most 1,098 days",
    "POST /chat/": "a message with text once trimmed",
    "POST /api/analytics/events": "an agent for the event types done by an agent",
    "POST /api/orders": "a PIN code and phone of the store's country, a cart with lines",
    "POST /api/cart/discount": "a code of this store that applies to the cart",
    "POST /api/discounts": "a percent up to 100, ends after starts, a code not yet used",
    "PATCH /api/discounts/{discount_id}": "a percent up to 100, ends after starts",
    "POST /api/clients/{client_id}/discount-codes": "a percent up to 100, a positive amount",
    "POST /api/widget/sites": "allowed origins that are web origins (scheme://host[:port])",
    "PATCH /api/widget/sites/{site_id}": "allowed origins that are web origins",
}
# Their rule no schema states: a sale price no higher than the MRP.
MULTIPART_OPERATIONS = ("POST /api/products", "PATCH /api/products/{product_id}")
SEMANTIC_REFUSALS = ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]
requests_sent = {"count": 0}


@dataclasses.dataclass
class Live:
    port: int
    store_host: str
    credentials: dict[str, dict[str, str]]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def live(make_store):
    store = make_store("Fuzz")
    seller = store.owner
    with in_store(store):
        customer = Customer.objects.create(mobile="+919822222222")
        buyer = customer_token_pair(customer=customer, schema_name=store.schema_name)["access"]
    # Given the way the schema's security schemes name them, so that the auth checks can
    # leave them out or spoil them.
    credentials = {
        "seller_jwt": {"sellerJwt": {"bearer": seller_token_pair(seller)["access"]}},
        "seller_api_token": {
            "apiToken": {"api_key": api_token_create(seller=seller, name="fuzz")[1]}
        },
        "buyer_jwt": {"buyerJwt": {"bearer": buyer}},
        "anonymous": {},
    }
    with real_gunicorn(**HIGH_RATES) as port:
        yield Live(port=port, store_host=store_host(store), credentials=credentials)


def fuzz_config(live: Live, host: str, who: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": 20240601,
            "base-url": live.base_url,
            "headers": {"Host": host},
            "request-timeout": DEADLINE_MS / 1000,
            # No `openapi` entry for no credentials (an empty one is a config error).
            "auth": {
                "auto-signup": False,
                **({"openapi": live.credentials[who]} if live.credentials[who] else {}),
            },
            "generation": {
                "mode": "all",  # valid and invalid data
                "max-examples": EXAMPLES_PER_OPERATION,
                # Our credentials are sent as given; schemathesis must not swap in its own.
                "with-security-parameters": who == "anonymous",
            },
            "phases": {"stateful": {"max-steps": STATEFUL_STEPS}},
            # Every check: no 5xx, documented status codes, content types, headers and bodies,
            # invalid data refused, valid data accepted (but see RULES_NO_SCHEMA_STATES).
            "checks": {"enabled": True},
            "operations": [
                # A product may come as a multipart form (with its picture), where an optional
                # field sent empty cannot be told from one not sent: DRF reads it as not sent,
                # so "invalid data is refused" cannot hold for those forms.
                {
                    "include-name": list(MULTIPART_OPERATIONS),
                    "checks": {
                        "negative_data_rejection": {"enabled": False},
                        "positive_data_acceptance": {"expected-statuses": SEMANTIC_REFUSALS},
                    },
                },
                {
                    "include-name": list(RULES_NO_SCHEMA_STATES),
                    "checks": {
                        "positive_data_acceptance": {"expected-statuses": SEMANTIC_REFUSALS}
                    },
                },
            ],
        }
    )


# Generating the schema takes seconds on a busy machine: fetched from the server once per host
# kind (its text names no port, store or credential), then given to each run's config.
fetched_schemas: dict[str, dict] = {}


def live_schema(live: Live, host: str, who: str):
    kind = "platform" if host == PLATFORM_HOST else "store"
    config = fuzz_config(live, host, who)
    if kind not in fetched_schemas:
        url = f"{live.base_url}/api/schema/?format=json"
        schema = schemathesis.openapi.from_url(
            url, headers={"Host": host}, timeout=120, config=config
        )
        fetched_schemas[kind] = schema.raw_schema
    else:
        schema = schemathesis.openapi.from_dict(fetched_schemas[kind], config=config)
    return schema.exclude(path=list(CREDENTIAL_ENDING))


@pytest.fixture(params=WHO)
def who(request) -> str:
    return request.param


@pytest.fixture
def platform_schema(live, who):
    return live_schema(live, PLATFORM_HOST, who)


@pytest.fixture
def store_schema(live, who):
    return live_schema(live, live.store_host, who)


platform = schemathesis.pytest.from_fixture("platform_schema").exclude(path=list(CREDENTIAL_ENDING))
store = schemathesis.pytest.from_fixture("store_schema").exclude(path=list(CREDENTIAL_ENDING))

hypothesis_options = hypothesis.settings(
    deadline=DEADLINE_MS, suppress_health_check=list(HealthCheck), database=None
)


def call_and_validate(case):
    requests_sent["count"] += 1
    case.call_and_validate()


@platform.parametrize()
@hypothesis_options
def test_platform_api_holds_to_its_schema(case):
    call_and_validate(case)


@store.parametrize()
@hypothesis_options
def test_store_api_holds_to_its_schema(case):
    call_and_validate(case)


def run_stateful(schema) -> int:
    """Runs the chains; fails with every step the server got wrong, each as a curl command."""
    machine = schema.as_state_machine()
    steps = {"count": 0}
    failures: list[str] = []

    class Recording(machine):
        # A chain's data comes from the live server's answers (the ids it lists), which no
        # replay reproduces: a failure raised inside the run would make Hypothesis replay the
        # chain and call the run flaky instead of reporting what the server did. So each
        # failure is kept here and the chain ends (rejected, not "interesting", so nothing is
        # replayed); the test fails on them afterwards.
        def step(self, input):
            steps["count"] += 1
            try:
                return super().step(input)
            except (Exception, BaseExceptionGroup) as failure:  # a check's or the transport's
                failures.append(f"{input.case.as_curl_command()}\n  -> {failure!r}")
            hypothesis.reject()

    # One scenario per Hypothesis run: within a run Hypothesis replays the start of earlier
    # chains to explore new ones, and a live server answers a replay differently (new ids),
    # which it calls flaky data generation. Separate runs share no such tree.
    for _scenario in range(STATEFUL_SCENARIOS):
        try:
            Recording.run(
                settings=hypothesis.settings(
                    max_examples=1,
                    stateful_step_count=STATEFUL_STEPS,
                    phases=[hypothesis.Phase.generate],
                    deadline=None,
                    suppress_health_check=list(HealthCheck),
                    database=None,
                )
            )
        except hypothesis.errors.Unsatisfiable:
            assert failures  # every chain of this run ended on a failure, reported below
    assert not failures, "\n".join(failures)
    return steps["count"]


@pytest.mark.parametrize("who", ["seller_jwt", "anonymous"], indirect=True)
def test_platform_api_holds_over_chains_of_calls(platform_schema):
    steps = run_stateful(platform_schema)
    requests_sent["count"] += steps
    assert steps >= STATEFUL_SCENARIOS, steps


@pytest.mark.parametrize("who", ["seller_jwt", "buyer_jwt"], indirect=True)
def test_store_api_holds_over_chains_of_calls(store_schema):
    steps = run_stateful(store_schema)
    requests_sent["count"] += steps
    assert steps >= STATEFUL_SCENARIOS, steps


def test_thousands_of_generated_requests_were_sent():
    # Runs after the generated tests in this module (same file, declared last).
    assert requests_sent["count"] >= 1500, requests_sent
