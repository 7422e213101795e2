"""``DevEnv``: configuration first, then the environment, then ModelArts' Session()."""

from __future__ import annotations

import asyncio
import sys
import types

import certifi
import pytest
from traitlets import TraitError
from traitlets.config import Config

from jupyter_devenv.config import ENV_NAMES, DevEnv
from jupyter_devenv.modelarts.errors import DevEnvError


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No setting from the environment, no credentials file; the metadata service a closed port."""
    for variable in ENV_NAMES.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("JUPYTER_DEVENV_METADATA_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    return monkeypatch


def test_every_setting_has_help_naming_its_environment_variable():
    for name, trait in DevEnv.class_traits(config=True).items():
        assert trait.help, name
        assert ENV_NAMES[name] in trait.help, name


def test_environment_fills_what_configuration_leaves(clean_env):
    clean_env.setenv("HUAWEICLOUD_SDK_REGION", "cn-east-3")
    clean_env.setenv("HUAWEICLOUD_SDK_PROJECT_ID", "from-env")
    clean_env.setenv("JUPYTER_DEVENV_REMINDER_THRESHOLDS", "600, 120")
    clean_env.setenv("JUPYTER_DEVENV_POLL_INTERVAL", "12.5")
    settings = DevEnv(config=Config({"DevEnv": {"project_id": "from-config"}}))
    assert settings.project_id == "from-config"
    assert settings.endpoint == "https://modelarts.cn-east-3.myhuaweicloud.com"
    assert settings.iam_endpoint == "https://iam.cn-east-3.myhuaweicloud.com"
    assert settings.reminder_thresholds == [600, 120]
    assert settings.poll_interval == 12.5


def test_ap_southeast_1_uses_its_own_suffix(clean_env):
    clean_env.setenv("HUAWEICLOUD_SDK_REGION", "ap-southeast-1")
    assert DevEnv().endpoint == "https://modelarts.ap-southeast-1.myhuaweicloud.cn"


def test_a_bad_environment_value_names_the_variable(clean_env):
    clean_env.setenv("JUPYTER_DEVENV_RETRIES", "many")
    with pytest.raises(ValueError, match="JUPYTER_DEVENV_RETRIES"):
        DevEnv()


def test_missing_settings_are_named_in_order(clean_env):
    settings = DevEnv()
    assert settings.missing()[:3] == ["endpoint", "project_id", "instance_id"]
    error = settings.not_configured()
    assert error.error_code == "DEVENV.NOT_CONFIGURED" and error.status == 503
    assert "instance_id" in error.error_msg


def test_session_fills_credentials_inside_modelarts(clean_env):
    session = types.SimpleNamespace(
        access_key="SESSIONAK",
        secret_key="SESSIONSK",
        security_token="STS",
        project_id="sess-proj",
        region_name="cn-north-4",
    )
    module = types.ModuleType("modelarts.session")
    module.Session = lambda: session
    clean_env.setitem(sys.modules, "modelarts", types.ModuleType("modelarts"))
    clean_env.setitem(sys.modules, "modelarts.session", module)
    clean_env.setenv("JUPYTER_DEVENV_INSTANCE_ID", "DE-1")
    settings = DevEnv()
    assert (settings.project_id, settings.region) == ("sess-proj", "cn-north-4")
    assert settings.missing() == []
    creds = asyncio.run(settings.keyring().get())  # the chain: no file, then the session
    assert (creds.access_key, creds.temporary) == ("SESSIONAK", True)
    assert settings.credential_source() == "modelarts.session"
    assert "SESSIONSK" not in settings.describe() and "STS" not in settings.describe()


def test_explicit_keys_win_over_the_session(clean_env):
    module = types.ModuleType("modelarts.session")
    module.Session = lambda: types.SimpleNamespace(access_key="SESSIONAK", secret_key="SESSIONSK")
    clean_env.setitem(sys.modules, "modelarts.session", module)
    clean_env.setenv("HUAWEICLOUD_SDK_AK", "ENVAK")
    clean_env.setenv("HUAWEICLOUD_SDK_SK", "ENVSK")
    settings = DevEnv()
    assert (settings.access_key, settings.secret_key) == ("ENVAK", "ENVSK")


# Settings that end up in an HTTP header or URL, with a value that would split it.
ONE_LINE_SETTINGS = [
    "access_key",
    "secret_key",
    "security_token",
    "token",
    "user",
    "password",
    "domain",
    "project_id",
    "instance_id",
    "endpoint",
    "iam_endpoint",
    "region",
]
SNEAKY = "s3cr3t-VALUE-42\r\nX-Injected: 1"


def _leaks(message: str) -> bool:
    return any(fragment in message for fragment in ("s3cr3t", "VALUE-42", "X-Injected"))


@pytest.mark.parametrize("name", ONE_LINE_SETTINGS)
def test_a_control_character_in_the_environment_is_refused_without_the_value(clean_env, name):
    clean_env.setenv(ENV_NAMES[name], SNEAKY)
    with pytest.raises(ValueError) as caught:
        DevEnv()
    message = str(caught.value)
    assert ENV_NAMES[name] in message and f"c.DevEnv.{name}" in message
    assert "one line with no control characters" in message and "strip it" in message
    assert not _leaks(message), message


@pytest.mark.parametrize("name", ONE_LINE_SETTINGS)
def test_a_control_character_in_configuration_is_refused_without_the_value(clean_env, name):
    with pytest.raises(TraitError) as caught:
        DevEnv(config=Config({"DevEnv": {name: SNEAKY}}))
    message = str(caught.value)
    assert f"c.DevEnv.{name}" in message and ENV_NAMES[name] in message
    assert "one line with no control characters" in message and not _leaks(message), message


@pytest.mark.parametrize("value", ["tok\n", "tok\x00en", "tok\ten", "tok\x7f", "\rtok"])
def test_every_control_character_is_refused_in_keyword_arguments_and_assignments(clean_env, value):
    with pytest.raises(TraitError, match="c.DevEnv.token"):
        DevEnv(token=value)
    settings = DevEnv(token="tok-ok")
    with pytest.raises(TraitError):
        settings.token = value
    assert settings.token == "tok-ok"


def test_a_secret_of_the_wrong_type_is_refused_without_the_value(clean_env):
    with pytest.raises(TraitError) as caught:
        DevEnv(config=Config({"DevEnv": {"password": 31415926}}))
    assert "c.DevEnv.password" in str(caught.value) and "31415926" not in str(caught.value)


def test_one_line_values_with_spaces_and_unicode_are_kept(clean_env):
    clean_env.setenv("JUPYTER_DEVENV_IAM_USER", "zhang wei 张伟")
    assert DevEnv().user == "zhang wei 张伟"


def test_the_ca_file_is_passed_on_only_when_set(clean_env):
    assert "verify" not in DevEnv().client_kwargs()
    clean_env.setenv("JUPYTER_DEVENV_CA_FILE", certifi.where())
    assert DevEnv().client_kwargs()["verify"] == certifi.where()


@pytest.mark.parametrize(
    "kind, reason",
    [
        ("missing", "No such file or directory"),
        ("folder", "Is a directory"),
        ("not-pem", "holds no PEM certificate"),
    ],
)
def test_an_unusable_ca_file_is_a_configuration_error_naming_the_path(clean_env, tmp_path, kind, reason):
    path = {"missing": tmp_path / "nope.pem", "folder": tmp_path, "not-pem": tmp_path / "ca.pem"}[kind]
    (tmp_path / "ca.pem").write_text("not a certificate\n")
    settings = DevEnv(ca_file=str(path))
    with pytest.raises(DevEnvError) as caught:
        settings.client_kwargs()
    error = caught.value
    assert error.error_code == "DEVENV.BAD_CONFIG" and error.field == "ca_file"
    assert "c.DevEnv.ca_file" in error.error_msg and "JUPYTER_DEVENV_CA_FILE" in error.error_msg
    assert str(path) in error.error_msg and reason in error.error_msg
