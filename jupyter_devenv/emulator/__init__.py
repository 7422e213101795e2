"""A faithful ModelArts emulator (tornado) for the demo and the tests.

It serves the ``demanager`` and ``notebooks`` calls of ``docs/modelarts-api.md`` and
``POST /v3/auth/tokens`` on 127.0.0.1, verifies AK/SK signatures, security tokens and
IAM tokens, applies the seed's validation (``jupyter_devenv.modelarts.models``), keeps
instance state on an advanceable clock, stops instances when their deadline passes,
plants recognisable secrets (every value contains ``EMUSECRET``) in instance objects,
and has fault switches and a control API under ``/_emulator/``.

Behaviours the API documents leave open, and the choice made here (the product must
not depend on them):

- Deadlines: an instance stops when the emulator clock passes its deadline; this is
  checked on every access, after every clock advance and once a second. The stop is
  dated at the deadline. Start, stop and restart take effect at once (no STARTING or
  STOPPING phase); those statuses exist only when seeded.
- demanager PUT: a new ``duration`` is stored for the next start and the running
  ``stop_timestamp`` stays; ``enable: false`` clears ``stop_timestamp`` (null);
  ``enable: true`` on a RUNNING instance that had auto-stop off sets the deadline to
  now + duration; on an instance that already had it on, the deadline stays. A PUT
  is accepted in any status. ``stop_timestamp`` and ``remain_time`` are null when
  there is no deadline (not RUNNING, or auto-stop off).
- demanager actions: ``restart`` needs RUNNING and sets a new deadline from now;
  ``start`` from a status other than STOPPED/START_FAILED answers 6305/6306 (already
  running/starting), 6357 (an operation in progress), 6326 (FROZEN) or 6347; ``stop``
  answers 6307/6308, 6357 or 6327. The list call without ``limit`` lists everything;
  a ``de_type`` other than Notebook lists nothing. DELETE removes the instance.
- Errors: 6309 (unknown instance, both APIs, HTTP 400) uses the seed's body
  ``{"error_message", "error_code"}``; every other error uses ``{"error_code",
  "error_msg"}``. An unknown path answers 404 APIGW.0101 before authentication; a
  body that is not JSON answers 400 ModelArts.6336.
- notebooks: ``start`` without ``duration`` reuses the previous lease's duration;
  start and renew set ``lease.enable`` true; a lease duration outside
  3,600,000..259,200,000 ms answers 400 ModelArts.6349, a renewal of an instance
  that is not RUNNING 400 ModelArts.6327. Instances keep their lease when stopped.
- Authentication: no credentials at all answers 401 ModelArts.0201; an
  ``X-Auth-Token`` takes precedence over a signature. ``X-Sdk-Date`` skew is measured
  against the real clock, not the emulator clock, so advancing the emulator clock
  (to pass deadlines or expire tokens) does not break signing. A security token sent
  with a permanent AK, or a temporary AK without its signed security token, answers
  401 APIGW.0301. A project id in the path or in ``X-Project-Id`` other than the
  emulator's answers 403 APIGW.0302.
- IAM: a wrong user, password, domain or scoped project id answers 401 IAM.0004, a
  malformed body 400 IAM.0001. Issued tokens last 24 h of emulator clock; the static
  token (``static_token``) does not expire by time.
- Faults are applied before authentication and before the call is carried out, so a
  faulted request changes nothing. 503 answers APIGW.0203. ``expire_tokens`` is an
  event: every token issued so far (the static one included) answers 401
  ModelArts.0203 from then on; clearing the faults does not revive them.
- Stats: ``rejected`` counts answers with status >= 400 and dropped connections;
  malformed 200 answers are not rejected. Unknown ModelArts-side paths are counted.
- Every ModelArts and IAM answer carries ``Date`` (emulator clock), ``X-Request-Id``
  and ``X-Emulator: jupyter-devenv`` (so a client can tell it talks to the emulator).
"""
from __future__ import annotations

from .app import Emulator
from .clock import Clock
from .server import DEFAULT_PORT, EmulatorServer, EmulatorThread, serve

__all__ = ["Clock", "DEFAULT_PORT", "Emulator", "EmulatorServer", "EmulatorThread", "serve"]
