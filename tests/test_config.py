"""``DevEnv``: configuration first, then the environment, then ModelArts' Session()."""
from __future__ import annotations

import sys
import types

import pytest
from traitlets.config import Config

from jupyter_devenv.config import ENV_NAMES, DevEnv


@pytest.fixture
def clean_env(monkeypatch):
    for variable in ENV_NAMES.values():
        monkeypatch.delenv(variable, raising=False)
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
    clean_env.setenv("JUPYTER_DEVENV_EMULATED", "1")
    settings = DevEnv(config=Config({"DevEnv": {"project_id": "from-config"}}))
    assert settings.project_id == "from-config"
    assert settings.endpoint == "https://modelarts.cn-east-3.myhuaweicloud.com"
    assert settings.iam_endpoint == "https://iam.cn-east-3.myhuaweicloud.com"
    assert settings.reminder_thresholds == [600, 120]
    assert settings.poll_interval == 12.5 and settings.emulated is True


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
    session = types.SimpleNamespace(access_key="SESSIONAK", secret_key="SESSIONSK", security_token="STS",
                                    project_id="sess-proj", region_name="cn-north-4")
    module = types.ModuleType("modelarts.session")
    module.Session = lambda: session
    clean_env.setitem(sys.modules, "modelarts", types.ModuleType("modelarts"))
    clean_env.setitem(sys.modules, "modelarts.session", module)
    clean_env.setenv("JUPYTER_DEVENV_INSTANCE_ID", "DE-1")
    settings = DevEnv()
    assert (settings.access_key, settings.project_id, settings.region) == ("SESSIONAK", "sess-proj", "cn-north-4")
    assert settings.auth_scheme() == "aksk+security-token" and settings.missing() == []
    assert "SESSIONSK" not in settings.describe() and "STS" not in settings.describe()


def test_explicit_keys_win_over_the_session(clean_env):
    module = types.ModuleType("modelarts.session")
    module.Session = lambda: types.SimpleNamespace(access_key="SESSIONAK", secret_key="SESSIONSK")
    clean_env.setitem(sys.modules, "modelarts.session", module)
    clean_env.setenv("HUAWEICLOUD_SDK_AK", "ENVAK")
    clean_env.setenv("HUAWEICLOUD_SDK_SK", "ENVSK")
    settings = DevEnv()
    assert (settings.access_key, settings.secret_key) == ("ENVAK", "ENVSK")
