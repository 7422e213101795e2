"""``AutoStopPanel`` in a kernel started by the server: attributes, methods, errors, no secrets."""

from __future__ import annotations

import json

import pytest

from jupyter_devenv.emulator.fake_secrets import secret_values

PANEL = "from jupyter_devenv import AutoStopPanel\np = AutoStopPanel()\n"


async def test_panel_mirrors_the_state_and_disables(run_in_kernel, upstream, instance_id, backend):
    raw = upstream.instance(instance_id)
    out = await run_in_kernel(
        PANEL + "import json\nprint(json.dumps([p.instance_id, p.status, p.enable, "
        "p.stop_timestamp, p.can_extend, p.backend]))"
    )
    assert json.loads(out) == [
        instance_id,
        "RUNNING",
        True,
        raw["spec"]["auto_stop"]["stop_timestamp"]
        if backend == "demanager"
        else raw["lease"]["create_at"] + raw["lease"]["duration"],
        backend == "notebooks",
        backend,
    ]


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_disable_and_enable_change_the_emulator(run_in_kernel, upstream, instance_id):
    out = await run_in_kernel(PANEL + "p.disable()\nprint(p.enable, p.stop_timestamp)")
    assert out.split() == ["False", "None"]
    assert upstream.instance(instance_id)["spec"]["auto_stop"]["enable"] is False
    await run_in_kernel("p.enable_auto_stop(duration=7200)\nprint(p.enable)")
    assert upstream.instance(instance_id)["spec"]["auto_stop"] == {
        **upstream.instance(instance_id)["spec"]["auto_stop"],
        "enable": True,
        "duration": 7200,
    }
    await run_in_kernel("p.set_description('nightly run')\np.set_prompt(False)")
    raw = upstream.instance(instance_id)
    assert raw["description"] == "nightly run" and raw["spec"]["auto_stop"]["prompt"] is False


@pytest.mark.parametrize("backend", ["notebooks"], indirect=True)
async def test_extend_from_the_kernel(run_in_kernel, upstream, instance_id):
    out = await run_in_kernel(PANEL + "p.extend(hours=2)\nprint(p.stop_timestamp)")
    lease = upstream.instance(instance_id)["lease"]
    assert int(out) == lease["create_at"] + lease["duration"]
    now = upstream.http.get("/clock").json()["now"]
    assert abs(int(out) - (now + 7200_000)) < 3000


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
@pytest.mark.parametrize(
    "call,code",
    [
        ("p.enable_auto_stop(duration=10)", "ModelArts.6349"),
        ("p.enable_auto_stop(duration='3600')", "ModelArts.6336"),
        ("p.set_description('a/b')", "ModelArts.6334"),
        ("p.set_description('x' * 513)", "ModelArts.6336"),
        ("p.extend(hours=100)", "ModelArts.6349"),
        ("p.extend(hours=True)", "ModelArts.6336"),
    ],
)
async def test_bad_arguments_raise_the_clients_error(run_in_kernel, upstream, call, code):
    await run_in_kernel(PANEL)
    before = upstream.total()
    out = await run_in_kernel(
        "from jupyter_devenv.modelarts.errors import DevEnvError\n"
        f"try:\n    {call}\nexcept DevEnvError as e:\n    print(e.error_code)\n"
    )
    assert out.strip() == code
    assert upstream.total() == before


async def test_widget_state_holds_no_secret(run_in_kernel, upstream, instance_id):
    secrets = secret_values(upstream.instance(instance_id))
    out = await run_in_kernel(
        PANEL + "import json\nprint(json.dumps(p.get_state(), default=str))\n"
        "print(p._repr_mimebundle_()['text/plain'])"
    )
    assert not [s for s in secrets if s in out]
    assert "needs the jupyter-devenv JupyterLab extension" in out


async def test_magic_shows_the_panel(run_in_kernel):
    out = await run_in_kernel("%load_ext jupyter_devenv\np = %devenv\nprint(type(p).__name__, p.status)")
    assert out.split() == ["AutoStopPanel", "RUNNING"]
