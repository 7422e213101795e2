"""No secret of the instance reaches an answer, an error message or the server log."""

from __future__ import annotations

import json

from jupyter_devenv.emulator.fake_secrets import secret_values


async def test_no_secret_in_answers_errors_or_log(
    api, upstream, instance_id, emulator, server_log, jp_serverapp
):
    secrets = secret_values(upstream.instance(instance_id))
    secrets += [emulator.emulator.secret_key, emulator.emulator.access_key]
    assert len(secrets) >= 5  # OBS AK/SK, SSH key, access token, our AK/SK
    bodies = []
    for method, path, body in [
        ("GET", "instances/current", None),
        ("GET", "config", None),
        ("PUT", "instances/current", {"spec": {"auto_stop": {"prompt": False}}}),
        ("PUT", "instances/current", {"description": "bad/char"}),
        ("POST", "instances/current/extend", {"seconds": 7200}),
        ("GET", "instances/DE-00000000-0000-0000-0000-000000000000", None),
    ]:
        bodies.append(json.dumps(await api(method, path, body)))
    upstream.faults(unavailable=5)
    bodies.append(json.dumps(await api("GET", f"instances/{instance_id}")))
    text = "\n".join(bodies + server_log)
    assert server_log, "the log capture saw nothing"
    leaked = [s[:12] for s in secrets if s in text]
    assert not leaked
