"""``jupyter devenv`` against the emulator, configured by the environment, Jupyter config files and flags."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import certifi
import httpx
import pytest

from jupyter_devenv.emulator.control import environment


@pytest.fixture
def config_dir(tmp_path):
    """JUPYTER_CONFIG_DIR of the CLI runs: empty until a test writes to it."""
    folder = tmp_path / "jupyter-config"
    folder.mkdir()
    return folder


@pytest.fixture
def data_dir(tmp_path):
    """JUPYTER_DATA_DIR of the CLI runs, where ``use`` keeps the chosen instance."""
    return tmp_path / "jupyter-data"


@pytest.fixture
def cli(emulator, config_dir, data_dir):
    emu = emulator.emulator
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JUPYTER_DEVENV", "HUAWEICLOUD_SDK", "JUPYTER_CONFIG", "JUPYTER_DATA"))
    }
    env.update(
        {
            **environment(emulator.url, emu.seed_ids["demanager_running"]),
            "JUPYTER_CONFIG_DIR": str(config_dir),
            "JUPYTER_DATA_DIR": str(data_dir),
        }
    )

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "jupyter_devenv", *args],
            capture_output=True,
            text=True,
            env={**env, **extra},
            timeout=60,
        )

    return run


def _raw(emulator, instance_id):
    return httpx.get(f"{emulator.url}/_emulator/instances/{instance_id}").json()


def test_status_json_is_the_rest_state(cli, emulator):
    run = cli("status", "--json")
    assert run.returncode == 0, run.stderr
    state = json.loads(run.stdout)
    raw = _raw(emulator, state["instance"]["id"])
    assert set(state) == {"instance", "auto_stop", "backend", "phase", "free", "server_time", "emulated"}
    assert state["auto_stop"]["stop_timestamp"] == raw["spec"]["auto_stop"]["stop_timestamp"]
    assert "credential" not in json.dumps(state)


def test_status_is_human_readable(cli):
    run = cli("status")
    assert run.returncode == 0, run.stderr
    assert "Kind         ModelArts notebook (older API)\nStatus       running\n" in run.stdout
    # the seeded instance stops an hour after the emulator starts: 1:00:00 when the CLI is
    # quick, 0:59:xx after
    assert re.search(r"\nAuto-stop    stops in (1:00:00|0:59:[0-5]\d) \(at ", run.stdout), run.stdout


def test_update_and_disable(cli, emulator):
    instance_id = emulator.emulator.seed_ids["demanager_running"]
    run = cli("update", "--description", "training run", "--no-prompt", "--json")
    assert run.returncode == 0, run.stderr
    assert _raw(emulator, instance_id)["description"] == "training run"
    assert _raw(emulator, instance_id)["spec"]["auto_stop"]["prompt"] is False
    run = cli("disable")
    assert run.returncode == 0, run.stderr
    assert "Auto-stop    off: the instance keeps running, and billing, until you stop it" in run.stdout
    assert run.stdout.endswith(
        "Auto-stop is off: the instance keeps running, and billing, until you stop it.\n"
    )
    assert _raw(emulator, instance_id)["spec"]["auto_stop"]["enable"] is False


def test_bad_input_exits_non_zero_and_sends_nothing(cli, emulator):
    before = httpx.get(f"{emulator.url}/_emulator/stats").json()["total"]
    run = cli("update", "--enable", "--duration", "30m")
    too_short = "error: 30m is too short: the duration must be between 1 h and 24 h.\n"
    assert (run.returncode, run.stderr) == (1, too_short)
    run = cli("update", "--duration", "25h")
    assert run.stderr == "error: 25h is too long: the duration must be between 1 h and 24 h.\n"
    run = cli("update", "--duration", "soon")
    assert run.stderr == (
        "error: 'soon' is not a duration: write it like 2h, 90m, 1h30m or 7200 (seconds).\n"
    )
    run = cli("update")
    assert run.stderr == (
        "error: Nothing to change: give --description, --enable or --disable, --duration, "
        "or --prompt or --no-prompt.\n"
    )
    run = cli("extend", "30m")
    assert run.stderr == "error: 30m is too short: the duration must be between 1 h and 72 h.\n"
    run = cli("update", "--description", "a<b")
    assert run.returncode == 1 and run.stderr.startswith("error: description contains <")
    assert "ModelArts." not in run.stderr  # local checks carry no ModelArts code
    run = cli("update", "--enable", "--duration", "30m", "--json")
    assert json.loads(run.stderr) == {
        "error_code": "ModelArts.6349",
        "field": "duration",
        "error_msg": too_short[len("error: ") : -1],
    }
    assert httpx.get(f"{emulator.url}/_emulator/stats").json()["total"] == before


def test_extend_on_the_old_api_explains_why_not(cli):
    run = cli("extend", "2h")
    assert run.returncode == 1
    assert run.stderr.startswith("error: This instance uses the older ModelArts API")
    assert "next start" in run.stderr


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
    assert run.stderr.startswith("error: jupyter-devenv is not configured")
    assert "project_id" in run.stderr and "instance_id" in run.stderr


# -- Jupyter config files and --DevEnv.* flags -------------------------------------------------


def _shown_id(run: subprocess.CompletedProcess) -> str:
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)["instance"]["id"]


def _config_error(run: subprocess.CompletedProcess, *fragments: str) -> None:
    assert run.returncode == 1, (run.stdout, run.stderr)
    assert run.stderr.startswith("error: ") and run.stderr.count("\n") == 1, run.stderr
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
    _config_error(
        cli("status", "--DevEnv.retries=abc"),
        "--DevEnv.retries=abc is not a valid retries",
        "JUPYTER_DEVENV_RETRIES",
    )


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
    run = cli(
        "status",
        "--DevEnv.instance_id=DE-1",
        JUPYTER_DEVENV_URL="http://127.0.0.1:9/devenv/api/",
        JUPYTER_DEVENV_TOKEN="kernel-token",
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith("note: the --DevEnv.* flags are not used")
    assert "error: The Jupyter server could not be reached" in run.stderr


# -- list and use, straight to ModelArts ------------------------------------------------------


def _chosen_file(data_dir):
    return data_dir / "jupyter_devenv" / "chosen_instance.json"


def test_list_is_a_table_of_both_generations(cli, emulator):
    run = cli("list")
    assert run.returncode == 0, run.stderr
    header, *rows = run.stdout.splitlines()
    assert header.split() == ["NAME", "ID", "STATUS", "FLAVOR", "TIME", "LEFT", "API"]
    emulated = httpx.get(f"{emulator.url}/_emulator/instances").json()["instances"]
    assert len(rows) == sum(map(len, emulated.values()))
    for backend, instances in emulated.items():
        for inst in instances:
            [row] = [r for r in rows if inst["id"] in r]
            assert inst["name"] in row and inst["status"] in row and row.rstrip().endswith(backend)
    [mark] = [r for r in rows if r.startswith("*")]  # the configured instance
    assert emulator.emulator.seed_ids["demanager_running"] in mark
    assert re.search(r"  (0:59:\d\d|1:00:00)  ", mark), mark  # a one-hour stop, seen a moment later
    statuses = [r.split()[-4] for r in rows]
    assert statuses == sorted(statuses, key=lambda s: s != "RUNNING")
    assert "EMUSECRET" not in run.stdout + run.stderr


def test_list_json_is_the_rest_answer(cli, emulator):
    from test_openapi import _response_schema, _validate

    run = cli("list", "--json")
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout)
    _validate(answer, _response_schema("/instances", "get", 200))
    assert answer["partial"] is None and "EMUSECRET" not in run.stdout


def test_use_by_exact_name_is_kept_for_the_next_commands(cli, emulator, data_dir):
    wanted = emulator.emulator.seed_ids["notebooks_running"]
    name = _raw(emulator, wanted)["name"]
    run = cli("use", name, JUPYTER_DEVENV_INSTANCE_ID="")
    assert run.returncode == 0, run.stderr
    assert str(_chosen_file(data_dir)) in run.stdout and "started from now on" in run.stdout
    assert json.loads(_chosen_file(data_dir).read_text()) == {"instance_id": wanted}
    assert _shown_id(cli("status", "--json", JUPYTER_DEVENV_INSTANCE_ID="")) == wanted
    listed = cli("list", JUPYTER_DEVENV_INSTANCE_ID="").stdout.splitlines()
    assert [r for r in listed if r.startswith("*")][0].split()[2] == wanted


def test_an_ambiguous_name_is_an_error_listing_them(cli, emulator, data_dir):
    seeds = emulator.emulator.seed_ids
    run = cli("use", "notebook-stopped")
    assert run.returncode == 1 and run.stderr.startswith("error: ")
    assert seeds["demanager_stopped"] in run.stderr and seeds["notebooks_stopped"] in run.stderr
    assert not _chosen_file(data_dir).exists()


@pytest.mark.parametrize(
    "wanted,words",
    [
        ("no-such-notebook", "No instance no-such-notebook in this project"),
        ("two words", "No instance has the id or the exact name"),
    ],
)
def test_an_unknown_instance_is_named(cli, data_dir, wanted, words):
    run = cli("use", wanted)
    assert run.returncode == 1 and run.stderr.startswith("error: "), run.stderr
    assert words in run.stderr and "jupyter devenv list" in run.stderr
    assert not _chosen_file(data_dir).exists()


def test_use_says_when_the_configuration_wins(cli, emulator, data_dir):
    wanted = emulator.emulator.seed_ids["notebooks_running"]
    run = cli("use", wanted)  # JUPYTER_DEVENV_INSTANCE_ID is set
    assert run.returncode == 0, run.stderr
    assert run.stderr.startswith("note: c.DevEnv.instance_id") and "wins over the choice" in run.stderr
    assert json.loads(_chosen_file(data_dir).read_text()) == {"instance_id": wanted}


def test_use_follows_the_state_file_of_the_jupyter_config(cli, emulator, config_dir, tmp_path):
    state_file = tmp_path / "elsewhere" / "state.json"
    config = {"DevEnvApp": {"state_file": str(state_file)}}
    (config_dir / "jupyter_server_config.json").write_text(json.dumps(config))
    wanted = emulator.emulator.seed_ids["demanager_stopped"]
    assert cli("use", wanted).returncode == 0
    assert json.loads((state_file.parent / "chosen_instance.json").read_text()) == {"instance_id": wanted}


def test_no_prompt_on_the_current_api_is_kept_where_the_server_reads_it(cli, emulator, tmp_path):
    """The current API has no prompt field: the CLI keeps it in the state file a Jupyter server reads."""
    nb = emulator.emulator.seed_ids["notebooks_running"]
    data = {"JUPYTER_DATA_DIR": str(tmp_path / "data"), "JUPYTER_DEVENV_INSTANCE_ID": nb}
    run = cli("update", "--no-prompt", "--json", **data)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["auto_stop"]["prompt"] is False
    kept = json.loads((tmp_path / "data" / "jupyter_devenv" / "state.json").read_text())
    assert kept == {nb: False}
    run = cli("status", "--json", **data)
    assert json.loads(run.stdout)["auto_stop"]["prompt"] is False
