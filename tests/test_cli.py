"""``jupyter devenv`` against the emulator, configured by the environment, Jupyter config files and flags."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import certifi
import httpx
import pytest


@pytest.fixture
def config_dir(tmp_path):
    """JUPYTER_CONFIG_DIR of the CLI runs: empty until a test writes to it."""
    folder = tmp_path / "jupyter-config"
    folder.mkdir()
    return folder


@pytest.fixture
def cli(emulator, config_dir):
    emu = emulator.emulator
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER_DEVENV", "HUAWEICLOUD_SDK", "JUPYTER_CONFIG"))}
    env.update({"HUAWEICLOUD_SDK_AK": emu.access_key, "HUAWEICLOUD_SDK_SK": emu.secret_key,
                "HUAWEICLOUD_SDK_PROJECT_ID": emu.project_id, "JUPYTER_DEVENV_ENDPOINT": emulator.url,
                "JUPYTER_DEVENV_INSTANCE_ID": emu.seed_ids["demanager_running"],
                "JUPYTER_CONFIG_DIR": str(config_dir)})

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "jupyter_devenv", *args], capture_output=True, text=True,
                              env={**env, **extra}, timeout=60)

    return run


def _raw(emulator, instance_id):
    return httpx.get(f"{emulator.url}/_emulator/instances/{instance_id}").json()


def test_status_json_is_the_rest_state(cli, emulator):
    run = cli("status", "--json")
    assert run.returncode == 0, run.stderr
    state = json.loads(run.stdout)
    raw = _raw(emulator, state["instance"]["id"])
    assert set(state) == {"instance", "auto_stop", "backend", "server_time"}
    assert state["auto_stop"]["stop_timestamp"] == raw["spec"]["auto_stop"]["stop_timestamp"]
    assert "credential" not in json.dumps(state)


def test_status_is_human_readable(cli):
    run = cli("status")
    assert run.returncode == 0, run.stderr
    assert "RUNNING" in run.stdout and "stops in 0:5" in run.stdout


def test_update_and_disable(cli, emulator):
    instance_id = emulator.emulator.seed_ids["demanager_running"]
    run = cli("update", "--description", "training run", "--no-prompt", "--json")
    assert run.returncode == 0, run.stderr
    assert _raw(emulator, instance_id)["description"] == "training run"
    assert _raw(emulator, instance_id)["spec"]["auto_stop"]["prompt"] is False
    run = cli("disable")
    assert run.returncode == 0, run.stderr
    assert "Auto-stop  off" in run.stdout
    assert _raw(emulator, instance_id)["spec"]["auto_stop"]["enable"] is False


def test_bad_input_exits_non_zero_and_sends_nothing(cli, emulator):
    before = httpx.get(f"{emulator.url}/_emulator/stats").json()["total"]
    run = cli("update", "--enable", "--duration", "30m")
    assert run.returncode == 1
    assert "ModelArts.6349" in run.stderr and "spec.auto_stop.duration" in run.stderr
    run = cli("update", "--description", "a<b")
    assert run.returncode == 1 and "ModelArts.6334" in run.stderr
    assert httpx.get(f"{emulator.url}/_emulator/stats").json()["total"] == before


def test_extend_on_the_old_api_explains_why_not(cli):
    run = cli("extend", "2h")
    assert run.returncode == 1
    assert "DEVENV.EXTEND_UNSUPPORTED" in run.stderr and "next start" in run.stderr


def test_extend_on_the_current_api(cli, emulator):
    emu = emulator.emulator
    run = cli("extend", "2h", "--json", JUPYTER_DEVENV_INSTANCE_ID=emu.seed_ids["notebooks_running"])
    assert run.returncode == 0, run.stderr
    state = json.loads(run.stdout)
    assert state["backend"] == "notebooks"
    assert abs(state["auto_stop"]["stop_timestamp"] - (state["server_time"] + 7200_000)) < 3000


def test_missing_configuration_is_named(cli):
    run = cli("status", HUAWEICLOUD_SDK_PROJECT_ID="", JUPYTER_DEVENV_INSTANCE_ID="")
    assert run.returncode == 1
    assert "DEVENV.NOT_CONFIGURED" in run.stderr
    assert "project_id" in run.stderr and "instance_id" in run.stderr


# -- Jupyter config files and --DevEnv.* flags -------------------------------------------------

def _shown_id(run: subprocess.CompletedProcess) -> str:
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)["instance"]["id"]


def _config_error(run: subprocess.CompletedProcess, *fragments: str) -> None:
    assert run.returncode == 1, (run.stdout, run.stderr)
    assert run.stderr.startswith("error DEVENV.BAD_CONFIG") and run.stderr.count("\n") == 1, run.stderr
    assert "Traceback" not in run.stderr
    for fragment in fragments:
        assert fragment in run.stderr, run.stderr


def test_a_jupyter_server_config_py_wins_over_the_environment(cli, emulator, config_dir):
    wanted = emulator.emulator.seed_ids["notebooks_running"]
    (config_dir / "jupyter_server_config.py").write_text(f"c.DevEnv.instance_id = {wanted!r}\n")
    assert _shown_id(cli("status", "--json")) == wanted


def test_a_jupyter_server_config_json_is_read_too(cli, emulator, config_dir):
    wanted = emulator.emulator.seed_ids["notebooks_running"]
    (config_dir / "jupyter_server_config.json").write_text(json.dumps({"DevEnv": {"instance_id": wanted}}))
    assert _shown_id(cli("status", "--json")) == wanted


def test_a_flag_wins_over_the_config_file(cli, emulator, config_dir):
    in_file, in_flag = (emulator.emulator.seed_ids[k] for k in ("notebooks_running", "demanager_running"))
    (config_dir / "jupyter_server_config.py").write_text(f"c.DevEnv.instance_id = {in_file!r}\n")
    assert _shown_id(cli("status", "--json", f"--DevEnv.instance_id={in_flag}")) == in_flag


def test_a_config_file_with_a_syntax_error_is_named_without_its_contents(cli, config_dir):
    path = config_dir / "jupyter_server_config.py"
    path.write_text('c.DevEnv.token = "s3cr3t-token"\nc.DevEnv.instance_id = (\n')
    run = cli("status")
    _config_error(run, str(path), "line 2", "Fix it")
    assert "s3cr3t" not in run.stderr


def test_a_config_file_that_fails_is_named_without_the_value(cli, config_dir):
    path = config_dir / "jupyter_server_config.py"
    path.write_text('c.DevEnv.region = "cn-north-4"\nc.DevEnv.password = int("s3cr3t-password")\n')
    run = cli("status")
    _config_error(run, str(path), "ValueError at line 2")
    assert "s3cr3t" not in run.stderr


def test_a_broken_json_config_file_is_named(cli, config_dir):
    path = config_dir / "jupyter_server_config.json"
    path.write_text('{"DevEnv": {"instance_id": }}')
    _config_error(cli("status"), str(path), "line 1 column")


def test_a_bad_flag_value_names_the_setting_and_the_rule(cli):
    _config_error(cli("status", "--DevEnv.retries=abc"), "--DevEnv.retries=abc is not a valid retries",
                  "JUPYTER_DEVENV_RETRIES")


def test_a_bad_value_in_a_config_file_names_the_setting_and_the_file(cli, config_dir):
    path = config_dir / "jupyter_server_config.py"
    path.write_text('c.DevEnv.backend = "newest"\n')
    _config_error(cli("status"), "'backend'", "'auto', 'demanager', 'notebooks'", str(path))


def test_an_unknown_flag_setting_lists_the_settings(cli):
    run = cli("status", "--DevEnv.instance=DE-1")
    _config_error(run, "--DevEnv.instance is not a setting", "instance_id")


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_a_control_character_is_refused_without_the_value(cli, how):
    value = "s3cr3t-token\n"
    if how == "flag":
        run = cli("status", "--DevEnv.token=" + value)
    else:
        run = cli("status", JUPYTER_DEVENV_IAM_TOKEN=value)
    _config_error(run, "c.DevEnv.token", "JUPYTER_DEVENV_IAM_TOKEN", "one line with no control characters")
    assert "s3cr3t" not in run.stderr


@pytest.mark.parametrize("how", ["flag", "environment", "file"])
def test_a_missing_ca_file_is_a_configuration_error(cli, config_dir, tmp_path, how):
    missing = str(tmp_path / "no-such-ca.pem")
    if how == "flag":
        run = cli("status", f"--DevEnv.ca_file={missing}")
    elif how == "environment":
        run = cli("status", JUPYTER_DEVENV_CA_FILE=missing)
    else:
        (config_dir / "jupyter_server_config.py").write_text(f"c.DevEnv.ca_file = {missing!r}\n")
        run = cli("status")
    _config_error(run, "c.DevEnv.ca_file", "JUPYTER_DEVENV_CA_FILE", missing, "No such file or directory")


def test_a_usable_ca_file_is_accepted(cli):
    assert cli("status", f"--DevEnv.ca_file={certifi.where()}").returncode == 0


def test_flags_are_refused_where_they_do_not_apply(cli):
    run = cli("emulator", "--DevEnv.instance_id=DE-1")
    assert run.returncode == 2 and "not emulator" in run.stderr


def test_an_unknown_name_in_a_config_file_is_one_warning_line(cli, config_dir):
    (config_dir / "jupyter_server_config.py").write_text('c.DevEnv.instance_idd = "DE-1"\n')
    run = cli("status")
    assert run.returncode == 0, run.stderr
    assert run.stderr.startswith("warning: Config option `instance_idd`") and run.stderr.count("\n") == 1
    assert "Did you mean `instance_id`?" in run.stderr


def test_flags_unused_through_a_jupyter_server_are_said_so(cli):
    run = cli("status", "--DevEnv.instance_id=DE-1", JUPYTER_DEVENV_URL="http://127.0.0.1:9/devenv/api/",
              JUPYTER_DEVENV_TOKEN="kernel-token")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith("note: the --DevEnv.* flags are not used")
    assert "DEVENV.SERVER_UNREACHABLE" in run.stderr
