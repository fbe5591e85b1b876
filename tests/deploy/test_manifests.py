"""The image, compose stack, nginx and Kubernetes files have the pieces production relies on.

No container engine runs here, so these read the files: what must hold for the platform to
answer on every store subdomain, scale out, migrate once and run one scheduler.
"""

import json
import os
import re
import shlex

import pytest
import yaml
from django.conf import settings
from django.http import HttpResponse

from tenant_apps.signups.views import widget_script_headers
from tests.support.deploy import ROOT

DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
MIGRATE_STEPS = [
    "manage.py migrate_schemas --shared",
    "manage.py ensure_platform",
    "manage.py migrate_schemas --tenant --schema=store_template",
    "manage.py migrate_schemas --tenant --executor=catalog",
]


def k8s_documents() -> list[dict]:
    documents = []
    for path in sorted(K8S.glob("*.yaml")):
        documents += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return documents


def k8s_object(kind: str, name: str) -> dict:
    matches = [d for d in k8s_documents() if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind}/{name}"
    return matches[0]


def root_domain() -> str:
    return k8s_object("ConfigMap", "seller-suite-config")["data"]["SAAS_ROOT_DOMAIN"]


def dockerfile_stages() -> dict[str, list[str]]:
    stages, current = {}, None
    for line in (DEPLOY / "Dockerfile").read_text().splitlines():
        match = re.match(r"FROM\s+\S+\s+AS\s+(\w+)", line, re.IGNORECASE)
        if match:
            current = match.group(1)
            stages[current] = []
        elif current and line.strip() and not line.startswith("#"):
            stages[current].append(line.strip())
    return stages


def migrate_steps_in(text: str) -> list[str]:
    return [step for step in MIGRATE_STEPS if step in text]


# --- Dockerfile


def test_dockerfile_is_multi_stage_and_the_app_stage_is_the_default_target():
    stages = dockerfile_stages()

    assert list(stages) == ["assets", "build", "nginx", "app"]


def test_app_image_runs_as_a_fixed_non_root_user():
    app = dockerfile_stages()["app"]
    users = [line.split()[1] for line in app if line.startswith("USER ")]

    assert users == ["10001:10001"]
    assert any("useradd --system --uid 10001" in line for line in app)


def test_app_image_starts_gunicorn_through_the_entrypoint():
    app = dockerfile_stages()["app"]
    entrypoint = (DEPLOY / "entrypoint.sh").read_text()

    assert 'ENTRYPOINT ["/app/deploy/entrypoint.sh"]' in app
    assert 'CMD ["web"]' in app
    assert "exec gunicorn --config deploy/gunicorn.conf.py saas.wsgi:application" in entrypoint
    assert os.access(DEPLOY / "entrypoint.sh", os.X_OK)


def test_static_files_are_collected_with_production_settings_at_build():
    build = " ".join(dockerfile_stages()["build"])

    assert "DJANGO_SETTINGS_MODULE=saas.settings.production" in build
    assert "collectstatic --noinput" in build
    assert (
        "COPY --from=build /app/staticfiles /usr/share/nginx/static"
        in (dockerfile_stages()["nginx"])
    )


def test_the_widget_build_step_exists_in_package_json():
    assets = dockerfile_stages()["assets"]
    scripts = json.loads((ROOT / "package.json").read_text())["scripts"]
    run = [line for line in assets if line.startswith("RUN npm run ")]

    assert run == ["RUN npm run build:widget"]
    source = shlex.split(scripts["build:widget"])[1]
    assert (ROOT / source).is_file()


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()

    for entry in (".git", ".env", ".venv", ".local", "node_modules", "deploy/*.env"):
        assert entry in ignored


# --- entrypoint and compose


def test_entrypoint_migrate_role_runs_shared_platform_template_then_stores_in_parallel():
    text = (DEPLOY / "entrypoint.sh").read_text()
    migrate_role = text[text.index("  migrate)") : text.index(";;", text.index("  migrate)"))]

    assert migrate_steps_in(migrate_role) == MIGRATE_STEPS
    assert f"--schema={settings.TENANT_BASE_SCHEMA} " in migrate_role
    positions = [migrate_role.index(step) for step in MIGRATE_STEPS]
    assert positions == sorted(positions)


@pytest.fixture
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def test_compose_has_every_service(compose):
    assert set(compose["services"]) == {
        "postgres", "redis", "migrate", "web", "worker", "beat", "nginx",
    }  # fmt: skip
    commands = {name: compose["services"][name].get("command") for name in compose["services"]}
    assert commands["web"] == ["web"]
    assert commands["worker"] == ["worker"]
    assert commands["beat"] == ["beat"]
    assert commands["migrate"] == ["migrate"]


def test_compose_runs_one_beat_and_starts_the_app_after_migrations(compose):
    services = compose["services"]

    assert services["beat"]["deploy"]["replicas"] == 1
    for name in ("web", "worker", "beat"):
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully"
    assert "migrate" not in services["migrate"]["depends_on"]


def test_compose_keeps_uploads_on_a_volume_shared_with_nginx(compose):
    services = compose["services"]

    assert "media:/app/media" in services["web"]["volumes"]
    assert "media:/app/media" in services["worker"]["volumes"]
    assert "media:/usr/share/nginx/media:ro" in services["nginx"]["volumes"]
    assert "media" in compose["volumes"]
    assert services["nginx"]["build"]["target"] == "nginx"
    assert services["web"]["build"]["target"] == "app"


# --- nginx


def test_nginx_answers_the_root_domain_and_every_store_subdomain():
    template = (DEPLOY / "nginx/proxy/default.conf.template").read_text()
    server_names = re.findall(r"server_name ([^;]+);", template)

    assert server_names == ["${SAAS_ROOT_DOMAIN} *.${SAAS_ROOT_DOMAIN}"] * 2
    # Django trusts X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER): nginx must always set it.
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in template
    assert "proxy_set_header Host $host;" in template


def test_nginx_caches_hashed_static_names_for_a_year_and_others_briefly():
    snippet = (DEPLOY / "nginx/snippets/static.conf").read_text()
    hashed = re.search(r'location ~ "(.+)" \{', snippet).group(1)

    # Names as Django's manifest storage writes them, and the widget's fixed URL.
    assert re.search(hashed, "/static/css/app.8c4d2274e867.css")
    assert re.search(hashed, "/static/vendor/chart.umd.47b365c28e0a.js")
    assert not re.search(hashed, "/static/widgets/signup.v1.js")
    assert not re.search(hashed, "/static/vendor/chart.umd.js")
    assert not re.search(hashed, "/static/css/app.css")
    assert 'add_header Cache-Control "public, max-age=31536000, immutable";' in snippet
    assert 'add_header Cache-Control "public, max-age=300";' in snippet


def test_nginx_serves_the_widget_script_with_the_headers_of_the_apps_own_view():
    snippet = (DEPLOY / "nginx/snippets/static.conf").read_text()
    block = re.search(r"location = /static/widgets/signup\.v1\.js \{(.*?)\}", snippet, re.S)
    nginx_headers = dict(re.findall(r'add_header ([\w-]+) "([^"]*)";', block.group(1)))
    response = HttpResponse()
    widget_script_headers(response)

    expected = {name: value for name, value in response.items() if name != "Content-Type"}
    assert nginx_headers == expected
    assert set(expected) == {
        "Cache-Control", "Access-Control-Allow-Origin", "Cross-Origin-Resource-Policy",
        "X-Content-Type-Options",
    }  # fmt: skip


# --- Kubernetes


def test_every_kubernetes_file_parses_and_names_a_kind():
    documents = k8s_documents()

    kinds = sorted(d["kind"] for d in documents if d["kind"] != "Kustomization")
    assert kinds == sorted([
        "Namespace", "ConfigMap", "Secret", "PersistentVolumeClaim", "Deployment", "Service",
        "HorizontalPodAutoscaler", "PodDisruptionBudget", "Deployment", "HorizontalPodAutoscaler",
        "Deployment", "Deployment", "Service", "Ingress", "Job",
    ])  # fmt: skip


@pytest.mark.parametrize("name", ["web", "worker"])
def test_web_and_worker_scale_horizontally(name):
    hpa = k8s_object("HorizontalPodAutoscaler", name)

    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1", "kind": "Deployment", "name": name,
    }  # fmt: skip
    assert hpa["spec"]["minReplicas"] >= 2
    assert hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]


def test_exactly_one_beat_that_never_overlaps_during_a_rollout():
    beat = k8s_object("Deployment", "beat")
    autoscaled = [
        d["spec"]["scaleTargetRef"]["name"]
        for d in k8s_documents()
        if d["kind"] == "HorizontalPodAutoscaler"
    ]

    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert "beat" not in autoscaled
    assert beat["spec"]["template"]["spec"]["containers"][0]["args"] == ["beat"]


def test_migration_job_runs_the_steps_with_the_catalog_executor():
    job = k8s_object("Job", "migrate")
    container = job["spec"]["template"]["spec"]["containers"][0]
    command = " ".join(container["command"])

    assert migrate_steps_in(command) == MIGRATE_STEPS
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    config = k8s_object("ConfigMap", "seller-suite-config")["data"]
    assert int(config["TENANT_MULTIPROCESSING_MAX_PROCESSES"]) > 1


def test_web_readiness_probe_is_healthz_on_the_platform_host():
    web = k8s_object("Deployment", "web")
    container = web["spec"]["template"]["spec"]["containers"][0]
    readiness = container["readinessProbe"]["httpGet"]

    assert readiness["path"] == "/healthz?probe=ready"
    assert readiness["port"] == "http"
    # Pod IPs are not known hosts: the probe names the platform host.
    assert readiness["httpHeaders"] == [{"name": "Host", "value": root_domain()}]
    # A database outage must not restart the pods: liveness needs no HTTP answer.
    assert container["livenessProbe"]["tcpSocket"] == {"port": "http"}


def test_static_server_probes_its_healthz():
    static = k8s_object("Deployment", "static")
    container = static["spec"]["template"]["spec"]["containers"][0]
    template = (DEPLOY / "nginx/static/default.conf.template").read_text()

    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert "location = /healthz" in template


def test_every_pod_runs_as_non_root():
    pods = [
        d["spec"]["template"]["spec"] for d in k8s_documents() if d["kind"] in {"Deployment", "Job"}
    ]

    assert len(pods) == 5
    for pod in pods:
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] != 0


def test_ingress_routes_the_root_domain_and_the_wildcard_with_tls():
    ingress = k8s_object("Ingress", "seller-suite")
    root = root_domain()
    hosts = [rule["host"] for rule in ingress["spec"]["rules"]]

    assert hosts == [root, f"*.{root}"]
    assert ingress["spec"]["tls"][0]["hosts"] == [root, f"*.{root}"]
    for rule in ingress["spec"]["rules"]:
        routes = {p["path"]: p["backend"]["service"]["name"] for p in rule["http"]["paths"]}
        assert routes == {"/static/": "static", "/media/": "static", "/": "web"}


def test_app_containers_read_config_and_secret():
    for kind, name in [("Deployment", "web"), ("Deployment", "worker"), ("Deployment", "beat"),
                       ("Job", "migrate")]:  # fmt: skip
        container = k8s_object(kind, name)["spec"]["template"]["spec"]["containers"][0]
        assert container["envFrom"] == [
            {"configMapRef": {"name": "seller-suite-config"}},
            {"secretRef": {"name": "seller-suite-secrets"}},
        ]


def test_secret_template_carries_no_usable_secret_key():
    secret = k8s_object("Secret", "seller-suite-secrets")

    assert secret["stringData"]["DJANGO_SECRET_KEY"] == ""


def test_kustomization_applies_the_long_running_set_only():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    resources = kustomization["resources"]

    for resource in resources:
        assert (K8S / resource).is_file()
    # The Secret template must never overwrite the real one; the Job runs before a rollout.
    assert "secret.example.yaml" not in resources
    assert "migrate-job.yaml" not in resources
    listed = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed - set(resources) == {"secret.example.yaml", "migrate-job.yaml"}
