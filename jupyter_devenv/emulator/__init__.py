"""A faithful ModelArts emulator (tornado) for the demo and the tests.

It serves on 127.0.0.1, on one port: the ModelArts ``demanager`` calls (list, detail,
update, delete, action) and ``notebooks`` calls (list, detail, lease, renew, start,
stop); IAM's ``POST /v3/auth/tokens`` and ``GET /v3/projects``; and the metadata
service of a server with an agency (``PUT /meta-data/latest/api/token``, ``GET
/openstack/latest/securitykey``). It verifies AK/SK signatures, security tokens and
IAM tokens, applies the API's validation rules (``jupyter_devenv.modelarts.models``), keeps
instance state on an advanceable clock, stops instances when their deadline passes,
plants recognisable secrets (every value contains ``EMUSECRET``) in instance objects
and issued credentials, and has fault switches and a control API under ``/_emulator/``.

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
- Seeds (``seed_ids``): each API has a RUNNING and a STOPPED instance
  (``demanager_running``, ``demanager_stopped``, ``notebooks_running``,
  ``notebooks_stopped``), and ``notebooks_idle`` is a RUNNING notebooks instance with an
  IDLE lease. A seed spec takes ``lease: {"type": "IDLE"}`` (TIMING by default).
- Errors: 6309 (unknown instance, both APIs, HTTP 400) uses the API document's body
  ``{"error_message", "error_code"}``; every other error uses ``{"error_code",
  "error_msg"}``. An unknown path answers 404 APIGW.0101 before authentication; a
  body that is not JSON answers 400 ModelArts.6336.
- notebooks: ``start`` (``?duration=ms&type=TIMING|IDLE``) without ``duration`` reuses
  the previous lease's duration, without ``type`` makes a TIMING lease; start and renew
  set ``lease.enable`` true; a lease duration outside 3,600,000..259,200,000 ms answers
  400 ModelArts.6349, a renewal of an instance that is not RUNNING 400 ModelArts.6327.
  Instances keep their lease when stopped. A lease ``type`` is accepted in either case
  (RenewLease's example sends ``timing``) and answered upper-case; another answers 400
  ModelArts.6336.
- Lease types: only a TIMING lease stops the instance at ``create_at + duration``. An
  IDLE lease never stops it by time: idleness is not emulated, and ``POST
  /_emulator/instances/{id}/idle-stop`` stops a RUNNING instance with an enabled IDLE
  lease as the platform would after a spell of low utilisation (409 for another).
- RenewLease, as documented: a ``duration`` query parameter overrides the body and
  makes the lease TIMING; the body's ``duration`` and ``type`` are both optional
  (3,600,000 ms and TIMING); an IDLE duration may be as short as 900,000 ms. Choices:
  with the query parameter the body is not read; no body at all is ``{}``; TIMING: the
  lease then ends ``duration`` from now (``duration`` becomes ``now - create_at +
  duration``); IDLE: ``duration`` is stored as given (the idle period) and
  ``create_at`` stays.
- ListNotebooks (``GET /v1/{project_id}/notebooks``) answers ``{"current", "data",
  "pages", "size", "total"}`` as the official SDK's ``ListNotebooksResponse``; its
  items are the detail call's objects (secrets included). ``offset`` counts instances
  (the SDK: "start position of the paged records"), ``current`` is ``offset // limit
  + 1``, ``size`` is ``limit``, ``pages`` is ceil(total / limit) (0 when nothing
  matches). ``limit`` 1..50 (default 10; the SDK lists 10, 20, 50) and ``offset`` >= 0,
  else 400 ModelArts.6336. ``feature`` NOTEBOOK (default; every instance is one) or
  DEFAULT (lists nothing); ``name`` matches a substring, ignoring case; ``status`` is
  exact; ``sort_key`` is create_at (default), update_at, name or status, comma-separated
  (another answers 400 ModelArts.6303; create_at and update_at are when the instance
  was created and last changed, which answers do not show); ``sort_dir`` DESC
  (default) or ASC; ties keep creation order. A bad feature, status or sort_dir
  answers 400 ModelArts.6336. The SDK's other filters (pool_id, owner, flavor...) are
  accepted and filter nothing.
- notebooks answer fields: the detail, list, start and stop answers carry every field
  of the official SDK's ``NotebookResp`` and nothing else, but for the planted secrets
  ``data_volumes[].credential`` and ``endpoints[].credential`` (no model has them: they
  stand for secrets ModelArts may add under new names); ``token`` is a planted secret
  too. No top-level ``create_at``/``update_at`` (the model has them in ``lease`` only).
  Values are those of a CPU instance in a dedicated pool with VPC access, so ``pool``,
  ``affinity``, ``user_vpc`` and ``custom_spec`` are filled; strings with nothing to
  say are empty (``fail_reason`` unless a *_FAILED or ERROR status). ShowLease and
  RenewLease answer the SDK's ``Lease`` fields. The SDK has no demanager models: those
  answers follow Huawei's demanager pages.
- Authentication: no credentials at all answers 401 ModelArts.0201; an
  ``X-Auth-Token`` takes precedence over a signature. ``X-Sdk-Date`` skew is measured
  against the real clock, not the emulator clock, so advancing the emulator clock
  (to pass deadlines or expire tokens) does not break signing. A security token sent
  with a permanent AK, or a temporary AK without its signed security token, answers
  401 APIGW.0301. A project id in the path or in ``X-Project-Id`` other than the
  emulator's answers 403 APIGW.0302.
- Temporary credentials: each securitykey call issues a fresh AK/SK/security token
  (``{"credential": {"access", "secret", "securitytoken", "expires_at"}}``), valid for
  ``credentials_lifetime`` (default 2 h) of emulator clock; a change of the lifetime
  applies to credentials issued after it. A correctly signed request with expired ones
  answers 401 APIGW.0307 ("The token must be updated."). The fixed temporary pair
  (``temp_access_key``) never expires.
- Metadata service: never authenticated and never faulted (the switches model the API
  gateway and ModelArts), but counted in stats; errors are plain text. The token PUT
  needs ``X-Metadata-Token-Ttl-Seconds`` of 1..21600 (else 400) and answers the token
  as text; tokens expire on the emulator clock. The securitykey GET works without
  ``X-Metadata-Token``; with one, it must be an issued, unexpired token (else 401).
- IAM: a wrong user, password, domain or scoped project id answers 401 IAM.0004, a
  malformed body 400 IAM.0001. Issued tokens last 24 h of emulator clock; the static
  token (``static_token``) does not expire by time. ``GET /v3/projects`` is
  authenticated like any call; it lists the emulator's one project (named after its
  region, in the emulator's ``domain_id``), or nothing for another ``name``; other
  filters filter nothing.
- Faults are applied before authentication and before the call is carried out, so a
  faulted request changes nothing. 503 answers APIGW.0203. ``expire_tokens`` is an
  event: every token issued so far (the static one included) answers 401
  ModelArts.0203 from then on, and every temporary credential issued so far 401
  APIGW.0307; clearing the faults does not revive them.
- Missing IAM permissions: ``{"deny": [calls]}`` in the faults body (replacing the
  previous list; cleared with the faults) makes those calls answer 403
  ``{"error_code": "ModelArts.0203", "error_msg": "Policy doesn't allow <IAM action>
  to be performed."}`` after authentication and before anything else is checked or
  changed. Calls and actions (``permissions.IAM_ACTIONS``): ``list`` (both lists,
  modelarts:notebook:list), ``detail`` (both detail GETs, modelarts:notebook:get),
  ``update`` (demanager PUT, modelarts:notebook:update), ``delete`` (demanager
  DELETE, modelarts:notebook:delete), ``action`` (demanager action, checked once its
  body is read: modelarts:notebook:start, stop or restart, as the body says),
  ``start`` / ``stop`` (notebooks, modelarts:notebook:start / stop) and
  ``renew_lease`` (modelarts:notebook:updateStopPolicy). The lease GET needs no IAM
  action and is never denied, nor are IAM and the metadata service. ModelArts.0203 is
  the code Huawei Cloud documents for a token whose user may not call the API; here the
  status (403, not 401) tells it apart from an expired token.
- Stats: ``rejected`` counts answers with status >= 400 and dropped connections;
  malformed 200 answers are not rejected. Unknown ModelArts-side paths are counted.
- Every ModelArts, IAM and metadata answer carries ``Date`` (emulator clock), ``X-Request-Id``
  and ``X-Emulator: jupyter-devenv`` (so a client can tell it talks to the emulator).
- ``serve`` (``jupyter devenv emulator``) on a port another process listens on raises
  DevEnvError ``EMULATOR.PORT_IN_USE``, "port N is in use: pass --port".
"""

from __future__ import annotations

from .app import Emulator
from .clock import Clock
from .server import DEFAULT_PORT, EmulatorServer, EmulatorThread, serve

__all__ = ["Clock", "DEFAULT_PORT", "Emulator", "EmulatorServer", "EmulatorThread", "serve"]
