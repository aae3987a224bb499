"""The files under deploy/ agree with the app and with each other: settings the app reads, commands
that exist, the same gunicorn and backup commands under systemd and in compose, nginx's body limit,
and units systemd accepts. (tests/deploy/two_hosts.py runs them.)"""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from elearn import create_app

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
#: read by libraries or by gunicorn.conf.py rather than by elearn/config.py
LIBRARY_SETTINGS = {"PROMETHEUS_MULTIPROC_DIR"}


def settings_the_app_reads() -> set[str]:
    source = (ROOT / "elearn" / "config.py").read_text()
    return set(re.findall(r'(?:os\.environ\.get|_bool)\("([A-Z_]+)"', source))


def env_file_keys(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#"))
    return {key: value for key, value in pairs}


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def unit(name: str) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    text = (DEPLOY / "systemd" / name).read_text().replace("\\\n", " ")
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def test_the_env_file_names_only_settings_the_app_reads():
    keys = env_file_keys(DEPLOY / "binapustaka.env.example")
    assert {"APP_ENV", "SECRET_KEY", "DATABASE_URL", "RATELIMIT_STORAGE_URI", "TRUSTED_PROXIES"} <= set(keys)
    assert set(keys) <= settings_the_app_reads()
    assert keys["TRUSTED_PROXIES"] == "1" and keys["APP_ENV"] == "production"


def test_compose_is_yaml_with_the_same_pieces_as_the_systemd_set_up():
    services = compose()["services"]
    assert {"db", "redis", "migrate", "app", "backup", "privacy-run", "privacy-prune", "nginx"} <= set(services)
    known = settings_the_app_reads() | LIBRARY_SETTINGS
    for name in ("migrate", "app", "backup", "privacy-run", "privacy-prune"):
        assert set(services[name]["environment"]) <= known, name
        assert services[name]["env_file"] == "binapustaka.env"
    shared = {k: v for k, v in services["migrate"]["environment"].items()}
    assert shared.items() <= services["app"]["environment"].items()

    gunicorn = shlex.split(unit("binapustaka.service")["ExecStart"][0])
    in_compose = services["app"]["command"]
    assert Path(gunicorn[0]).name == in_compose[0] == "gunicorn"
    assert _without_bind(gunicorn[1:]) == _without_bind(in_compose[1:])
    for job in ("backup", "privacy-run", "privacy-prune"):  # the scheduled jobs run the same commands
        command = shlex.split(unit(f"binapustaka-{job}.service")["ExecStart"][0])
        assert Path(command[0]).name == services[job]["command"][0] == "flask", job
        assert command[1:] == services[job]["command"][1:], job
    assert services["app"]["environment"]["PROMETHEUS_MULTIPROC_DIR"] == \
        unit("binapustaka.service")["Environment"][0].split("=", 1)[1]


def _without_bind(args: list[str]) -> list[str]:
    index = args.index("--bind")
    return args[:index] + args[index + 2:]


def test_files_compose_builds_and_mounts_exist():
    document = compose()
    for service in document["services"].values():
        build = service.get("build")
        if build:
            assert (DEPLOY / build["context"] / build["dockerfile"]).is_file()
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (DEPLOY / source).exists(), source
    mounted = [v.split(":")[1] for v in document["services"]["nginx"]["volumes"]]
    assert "/etc/nginx/snippets/binapustaka-app.conf" in mounted


def test_the_host_and_container_sites_share_their_rules():
    host = (DEPLOY / "nginx" / "binapustaka.conf").read_text()
    container = (DEPLOY / "containers" / "nginx-site.conf").read_text()

    def rules(text: str) -> list[str]:
        lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
        return [line for line in lines if not line.startswith(("listen", "server ", "server_name"))]

    assert "include snippets/binapustaka-app.conf;" in host and "include snippets/binapustaka-app.conf;" in container
    assert rules(host) == rules(container)


def test_nginx_body_limit_matches_the_app():
    snippet = (DEPLOY / "nginx" / "binapustaka-app.conf").read_text()
    size, unit_ = re.search(r"^client_max_body_size (\d+)([kmg]?);", snippet, re.M).groups()
    limit = int(size) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit_]
    app_limit = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}).config.get("MAX_CONTENT_LENGTH")
    if app_limit is not None:
        assert limit == app_limit, "client_max_body_size and MAX_CONTENT_LENGTH must be equal"
    assert 0 < limit <= 64 * 1024**2


def test_every_timer_starts_a_shipped_service_and_the_privacy_jobs_are_scheduled():
    timers = sorted(p.name for p in (DEPLOY / "systemd").glob("*.timer"))
    assert {"binapustaka-backup.timer", "binapustaka-privacy-run.timer",
            "binapustaka-privacy-prune.timer"} <= set(timers)
    for name in timers:
        assert (DEPLOY / "systemd" / name.replace(".timer", ".service")).is_file(), name
        assert unit(name)["WantedBy"] == ["timers.target"], name
    assert unit("binapustaka-privacy-run.timer")["OnCalendar"] == ["*:0/5"]  # archives within minutes
    prune = unit("binapustaka-privacy-prune.timer")
    assert prune["OnCalendar"][0].startswith("*-*-* ") and prune["Persistent"] == ["true"]  # nightly, made up
    # the archive builder is stopped before its claim goes stale (build_pending's claim_minutes=30)
    assert unit("binapustaka-privacy-run.service")["TimeoutStartSec"] == ["25min"]


def test_every_flask_command_in_deploy_files_exists():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    commands = []
    for path in [*DEPLOY.glob("systemd/*.service")]:
        commands += [shlex.split(line) for line in unit(path.name).get("ExecStart", [])]
    commands += [s["command"] for s in compose()["services"].values() if s.get("command", [""])[0] == "flask"]
    flask_commands = [c[c.index("wsgi") + 1:] for c in commands if any(Path(a).name == "flask" for a in c[:1])]
    assert flask_commands, "the backup job runs a flask command"
    for args in flask_commands:
        group = app.cli.get_command(None, args[0])
        assert group is not None, args
        command = group.get_command(None, args[1]) if hasattr(group, "get_command") else group
        assert command is not None, args
        options = {opt for param in command.params for opt in param.opts}
        assert {a for a in args[2:] if a.startswith("--")} <= options, args


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("name", ["binapustaka.service", "binapustaka-backup.service", "binapustaka-backup.timer",
                                  "binapustaka-privacy-run.service", "binapustaka-privacy-run.timer",
                                  "binapustaka-privacy-prune.service", "binapustaka-privacy-prune.timer",
                                  "binapustaka-notify.service", "binapustaka-notify.timer",
                                  "binapustaka-completion.service"])
def test_systemd_accepts_the_units(name):
    checked = subprocess.run(["systemd-analyze", "verify", str(DEPLOY / "systemd" / name)],
                             capture_output=True, text=True)
    complaints = [line for line in checked.stderr.splitlines()
                  if line and not re.search(r"Command /srv/binapustaka/app/\.venv/bin/\w+ is not executable", line)]
    assert complaints == []


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("name", ["binapustaka.service", "binapustaka-backup.service", "binapustaka-notify.service",
                                  "binapustaka-privacy-run.service", "binapustaka-privacy-prune.service",
                                  "binapustaka-completion.service"])
def test_the_services_are_sandboxed(name):
    rated = subprocess.run(["systemd-analyze", "security", "--offline=true", str(DEPLOY / "systemd" / name)],
                           capture_output=True, text=True)
    exposure = float(re.search(r"Overall exposure level for \S+: ([\d.]+)", rated.stdout).group(1))
    assert exposure <= 2.0, rated.stdout[-2000:]
