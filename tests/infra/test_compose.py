"""docker-compose.yml and the Dockerfile describe a deployable shape.

No Docker engine runs here, so these read the files and check that what they name exists:
the WSGI application, the Celery app, the beat scheduler, the management command and the
settings module. `command_problems` is itself tested against wrong commands, so a typo in
the compose file cannot pass unnoticed.
"""

import importlib
import json
import re
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent.parent
COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
DOCKERFILE = BASE_DIR / "Dockerfile"
DOCKERIGNORE = BASE_DIR / ".dockerignore"
DJANGO_SERVICES = {"web", "worker", "beat"}
BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# ${NAME:?message}: compose refuses to start unless NAME is set.
REQUIRED_VARIABLE = re.compile(r"\$\{(?P<name>[A-Z_][A-Z0-9_]*):\?[^}]*\}")


def load_compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def environment_of(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):  # the KEY=value form
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def django_services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in compose["services"].items()
        if "DJANGO_SETTINGS_MODULE" in environment_of(service)
    }


def as_argv(command: str | list[str]) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else [str(arg) for arg in command]


def option(argv: list[str], *names: str) -> str | None:
    """The value of --name value, --name=value or -n value."""
    for index, arg in enumerate(argv):
        for name in names:
            if arg == name and index + 1 < len(argv):
                return argv[index + 1]
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def _gunicorn_problems(argv: list[str]) -> list[str]:
    targets = [arg for arg in argv[1:] if ":" in arg and not arg.startswith("-")]
    if not targets:
        return [f"no module:application in {argv}"]
    module_name, _, attribute = targets[0].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        return [f"gunicorn names {module_name}, which does not import: {exc}"]
    if not callable(getattr(module, attribute, None)):
        return [f"{module_name} has no WSGI application called {attribute}"]
    return []


def _celery_problems(argv: list[str]) -> list[str]:
    from celery import Celery
    from celery.app.utils import find_app
    from celery.beat import Scheduler
    from celery.utils.imports import symbol_by_name

    app_name = option(argv, "-A", "--app")
    if not app_name:
        return [f"celery without -A: {argv}"]
    try:
        app = find_app(app_name)
    except Exception as exc:
        return [f"-A {app_name} does not resolve to a Celery app: {exc!r}"]
    if not isinstance(app, Celery):
        return [f"-A {app_name} resolves to {app!r}, not a Celery app"]
    subcommands = [arg for arg in argv[1:] if arg in {"worker", "beat"}]
    if not subcommands:
        return [f"celery runs neither worker nor beat: {argv}"]
    if subcommands[0] == "beat":
        scheduler = option(argv, "-S", "--scheduler")
        if not scheduler:
            return ["beat without --scheduler would keep its schedule in a local file"]
        try:
            scheduler_class = symbol_by_name(scheduler)
        except Exception as exc:
            return [f"beat scheduler {scheduler} does not import: {exc!r}"]
        if not (isinstance(scheduler_class, type) and issubclass(scheduler_class, Scheduler)):
            return [f"{scheduler} is not a Celery beat scheduler"]
    return []


def _manage_problems(argv: list[str]) -> list[str]:
    from django.core.management import get_commands

    if len(argv) < 3 or not (BASE_DIR / argv[1]).exists():
        return [f"{argv} does not run manage.py"]
    if argv[2] not in get_commands():
        return [f"manage.py has no command {argv[2]}"]
    return []


def command_problems(command: str | list[str]) -> list[str]:
    """What is wrong with a Django service's command; empty when all it names exists."""
    argv = as_argv(command)
    if not argv:
        return ["empty command"]
    if argv[0] == "gunicorn":
        return _gunicorn_problems(argv)
    if argv[0] == "celery":
        return _celery_problems(argv)
    if argv[0] == "python" and len(argv) > 1 and argv[1].endswith("manage.py"):
        return _manage_problems(argv)
    return [f"unrecognised command {argv[0]}"]


def settings_problems(module_name: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Import a settings module afresh, with a secret as a deployment would supply one."""
    monkeypatch.setenv("SECRET_KEY", "k" + "0123456789abcdef" * 4)
    monkeypatch.setenv("DEBUG", "false")
    monkeypatch.delitem(sys.modules, module_name, raising=False)
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        return [f"{module_name} does not import: {exc!r}"]
    finally:
        sys.modules.pop(module_name, None)
    if not getattr(module, "SCRUTINY_PRODUCTION", False):
        return [f"{module_name} does not switch on production mode"]
    return []


# The compose file.


def test_the_production_services_are_all_there() -> None:
    services = load_compose()["services"]

    assert set(services) >= DJANGO_SERVICES
    database = services.get("db") or services.get("postgres")
    assert database, "no db/postgres service"
    assert str(database["image"]).startswith("postgres:15")
    assert str(services["redis"]["image"]).startswith("redis:7")


def test_web_worker_and_beat_are_django_services_defined_once() -> None:
    compose = load_compose()
    django = django_services(compose)
    assert set(django) >= DJANGO_SERVICES

    # The YAML itself: each Django service merges the same anchored mapping.
    root = yaml.compose(COMPOSE_FILE.read_text())
    services_node = next(value for key, value in root.value if key.value == "services")
    anchors = set()
    for key, node in services_node.value:
        if key.value in django:
            merged = [value for k, value in node.value if k.tag.endswith(":merge")]
            assert merged, f"{key.value} does not reuse the Django service with <<: *anchor"
            anchors.add(id(merged[0]))
    assert len(anchors) == 1, "the Django services do not all reuse one definition"

    shared = ("build", "image", "environment", "volumes")
    for name, service in django.items():
        assert {key: service.get(key) for key in shared} == {
            key: django["web"].get(key) for key in shared
        }, f"{name} differs from web in more than its command"
    commands = [tuple(as_argv(service["command"])) for service in django.values()]
    assert len(set(commands)) == len(commands), "two Django services run the same command"


@pytest.mark.parametrize("name", sorted(DJANGO_SERVICES | {"migrate"}))
def test_each_django_command_names_things_that_exist(name: str) -> None:
    services = django_services(load_compose())
    if name not in services:
        pytest.fail(f"{name} is not a Django service in docker-compose.yml")

    assert command_problems(services[name]["command"]) == []


def test_web_serves_the_wsgi_application_with_gunicorn() -> None:
    argv = as_argv(load_compose()["services"]["web"]["command"])

    assert argv[:2] == ["gunicorn", "scrutiny.wsgi:application"]
    assert option(argv, "--bind", "-b") == "0.0.0.0:8000"


def test_worker_runs_a_worker_and_beat_uses_the_database_scheduler() -> None:
    services = load_compose()["services"]
    worker = as_argv(services["worker"]["command"])
    beat = as_argv(services["beat"]["command"])

    assert worker[:4] == ["celery", "-A", "scrutiny", "worker"]
    assert beat[:4] == ["celery", "-A", "scrutiny", "beat"]
    assert option(beat, "-S", "--scheduler") == BEAT_SCHEDULER


def test_django_services_use_production_settings_that_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, service in django_services(load_compose()).items():
        module_name = environment_of(service)["DJANGO_SETTINGS_MODULE"]
        assert module_name == "scrutiny.settings.production", name
        assert settings_problems(module_name, monkeypatch) == []


def test_environment_carries_the_services_and_no_literal_secrets() -> None:
    compose = load_compose()
    for name, service in django_services(compose).items():
        environment = environment_of(service)
        for variable in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"):
            assert variable in environment, f"{name} lacks {variable}"
        secret = REQUIRED_VARIABLE.fullmatch(environment["SECRET_KEY"])
        assert secret and secret["name"] == "SECRET_KEY", environment["SECRET_KEY"]
        assert REQUIRED_VARIABLE.fullmatch(environment["ALLOWED_HOSTS"])
        # The URLs point at the compose services; the database password is never literal.
        assert "@db:5432/" in environment["DATABASE_URL"]
        assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:6379/")

    for name, service in compose["services"].items():
        for variable, value in environment_of(service).items():
            if re.search(r"SECRET|PASSWORD|TOKEN", variable):
                assert REQUIRED_VARIABLE.fullmatch(value), f"{name}.{variable} is a literal"


def test_nothing_starts_before_the_release_step() -> None:
    services = load_compose()["services"]

    assert as_argv(services["migrate"]["command"])[-2:] == ["migrate", "--noinput"]
    for name in DJANGO_SERVICES:
        depends_on = services[name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name
        assert depends_on["db"]["condition"] == "service_healthy", name
        assert depends_on["redis"]["condition"] == "service_healthy", name


# The checks above can fail.


@pytest.mark.parametrize(
    "command",
    [
        "gunicorn scrutiny.wsgy:application --bind 0.0.0.0:8000",
        "gunicorn scrutiny.wsgi:app --bind 0.0.0.0:8000",
        "gunicorn --bind 0.0.0.0:8000",
        "celery -A scrutinyy worker",
        "celery -A scrutiny.settings worker",
        "celery -A scrutiny wroker",
        "celery worker",
        "celery -A scrutiny beat",
        "celery -A scrutiny beat --scheduler django_celery_beat.schedulers:NoSuchScheduler",
        "celery -A scrutiny beat --scheduler scrutiny.wsgi:application",
        "python manage.py migrat --noinput",
        "python manage.py",
        "uwsgi --module scrutiny.wsgi",
        "",
    ],
)
def test_a_wrong_command_is_caught(command: str) -> None:
    assert command_problems(command) != []


def test_a_wrong_settings_module_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings_problems("scrutiny.settings.prod", monkeypatch) != []
    assert settings_problems("scrutiny.settings.local", monkeypatch) != []  # not production


def test_commands_are_accepted_as_lists_too() -> None:
    assert command_problems(["gunicorn", "scrutiny.wsgi:application"]) == []
    assert command_problems(["celery", "--app=scrutiny", "worker"]) == []


# The image.


def test_dockerfile_builds_from_python_311_and_installs_the_lock() -> None:
    assert DOCKERFILE.exists()
    text = DOCKERFILE.read_text()
    bases = re.findall(r"^FROM\s+(\S+)", text, flags=re.MULTILINE)

    assert bases[-1].startswith("python:3.11-slim"), "the runtime stage is not python:3.11-slim"
    assert re.search(r"^COPY .*requirements\.lock", text, flags=re.MULTILINE)
    assert re.search(r"pip install .*requirements\.lock", text)
    assert "npm ci" in text
    assert "collectstatic" in text
    for path in ("requirements.lock", "package.json", "package-lock.json", "manage.py"):
        assert (BASE_DIR / path).exists(), f"the Dockerfile copies {path}, which is missing"


def test_dockerfile_default_command_is_the_web_service() -> None:
    text = DOCKERFILE.read_text()
    commands = re.findall(r"^CMD\s+(\[.*\])\s*$", text, flags=re.MULTILINE)

    assert commands, "no CMD in exec form"
    assert command_problems(json.loads(commands[-1])) == []


def test_compose_builds_from_this_dockerfile() -> None:
    for name, service in django_services(load_compose()).items():
        build = service["build"]
        context = build if isinstance(build, str) else build.get("context", ".")
        dockerfile = (
            "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        )
        assert (COMPOSE_FILE.parent / context / dockerfile).resolve() == DOCKERFILE, name


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image() -> None:
    assert DOCKERIGNORE.exists()
    patterns = {
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }

    assert {".git", ".venv", "node_modules", ".env", "db.sqlite3", "staticfiles"} <= patterns
    for needed in ("requirements.lock", "package.json", "package-lock.json", "manage.py"):
        assert needed not in patterns, f".dockerignore leaves {needed} out of the build"
