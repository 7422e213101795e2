"""Every error code the product raises or acts on, each with its meaning: the one place to look.

``DEVENV.*`` codes are the product's own; ``ModelArts.*`` and ``APIGW.*`` are the API's
(docs/modelarts-api.md, "Errors"). The emulator answers with further ModelArts codes of its
own, kept with it as data. ``docs/error-codes.md`` is generated from this file: one constant
a line, its meaning in the comment after it.
"""

from __future__ import annotations

# -- the product's own ------------------------------------------------------------------------
NOT_CONFIGURED = "DEVENV.NOT_CONFIGURED"  # a setting the call needs is not set (503)
BAD_CONFIG = "DEVENV.BAD_CONFIG"  # a setting is set to a value that cannot be used, e.g. ca_file (503)
UPSTREAM_UNREACHABLE = "DEVENV.UPSTREAM_UNREACHABLE"  # ModelArts unreachable, or the connection broke (502)
UPSTREAM_TIMEOUT = "DEVENV.UPSTREAM_TIMEOUT"  # ModelArts did not answer within request_timeout (504)
UPSTREAM_MALFORMED = "DEVENV.UPSTREAM_MALFORMED"  # ModelArts or IAM answered with something unusable (502)
SERVER_UNREACHABLE = "DEVENV.SERVER_UNREACHABLE"  # a kernel could not reach or trust its Jupyter server (502)
INSTANCE_NOT_ALLOWED = "DEVENV.INSTANCE_NOT_ALLOWED"  # not the chosen instance, nor allowed (403)
INSTANCE_CONFIGURED = "DEVENV.INSTANCE_CONFIGURED"  # c.DevEnv.instance_id is set, so none can be chosen (409)
NO_SUCH_INSTANCE = "DEVENV.INSTANCE_NOT_FOUND"  # no instance of the project has that id or name
AMBIGUOUS_NAME = "DEVENV.AMBIGUOUS_NAME"  # several instances of the project have that name
LIST_FAILED = "DEVENV.LIST_FAILED"  # neither API generation could list the project's instances
EXTEND_EARLIER = "DEVENV.EXTEND_EARLIER"  # the renewal would stop it earlier: allow_earlier (409)
EXTEND_UNSUPPORTED = "DEVENV.EXTEND_UNSUPPORTED"  # the older API cannot extend a running instance (409)
UNSUPPORTED = "DEVENV.UNSUPPORTED"  # the current API has no such setting: auto-stop is a lease (409)
STATE_NOT_SAVED = "DEVENV.STATE_NOT_SAVED"  # a choice or hold could not be written to the Jupyter data dir
HOLD_NOT_FOUND = "DEVENV.HOLD_NOT_FOUND"  # no hold has that id (it ended, or never was) (404)
KERNEL_NOT_FOUND = "DEVENV.KERNEL_NOT_FOUND"  # a hold names a kernel the server does not run (400)
HOLDS_NEED_SERVER = "DEVENV.HOLDS_NEED_SERVER"  # keep_alive outside a kernel of a Jupyter server
BAD_MAGIC = "DEVENV.BAD_MAGIC"  # a %devenv line that is not understood
BAD_CONTENT_TYPE = "DEVENV.BAD_CONTENT_TYPE"  # a REST body not sent as application/json
BODY_TOO_LARGE = "DEVENV.BODY_TOO_LARGE"  # a REST body over 64 KiB (413)
BAD_JSON = "DEVENV.BAD_JSON"  # a REST body that is not valid JSON
LOCALE_NOT_FOUND = "DEVENV.LOCALE_NOT_FOUND"  # no translations for the asked UI language (404)
HTTP_PREFIX = "DEVENV.HTTP_"  # + status: the server extension's own HTTP error (e.g. DEVENV.HTTP_404)

# -- ModelArts' -------------------------------------------------------------------------------
INSTANCE_NOT_FOUND = "ModelArts.6309"  # the instance does not exist (on this API generation) (400)
INVALID_CHARACTER = "ModelArts.6334"  # a field holds a character the API forbids
MISSING_PROPERTY = "ModelArts.6335"  # a required field is missing
INCORRECT_PROPERTY = "ModelArts.6336"  # a field has the wrong type or value
DURATION_MANDATORY = "ModelArts.6348"  # turning auto-stop on needs a duration
DURATION_OUT_OF_RANGE = "ModelArts.6349"  # a duration or lease outside the API's bounds
BUSY = "ModelArts.6101"  # the service is busy: retried
OPERATION_IN_PROGRESS = "ModelArts.6357"  # another operation on the instance is in progress: retried
NO_CREDENTIALS = "ModelArts.0201"  # the request carries no token nor signature (401)
TOKEN_INVALID = "ModelArts.0202"  # the token is not valid (401)
TOKEN_EXPIRED = "ModelArts.0203"  # the token expired (401); with 403, an IAM policy denies the action
TOKEN_EXPIRED_0204 = "ModelArts.0204"  # another of the API's token-expiry codes (401)
TOKEN_EXPIRED_0212 = "ModelArts.0212"  # another of the API's token-expiry codes (401)

# -- the API gateway's ------------------------------------------------------------------------
API_NOT_FOUND = "APIGW.0101"  # no such API (404); after a 401, taken as an expired token
WRONG_PROJECT = "APIGW.0302"  # the project id does not belong to the credentials (403)
CLOCK_SKEW = "APIGW.0303"  # X-Sdk-Date is more than 15 minutes away from the gateway's clock (401)
CREDENTIALS_EXPIRED = "APIGW.0307"  # the token or temporary credentials must be renewed (401)
THROTTLED = "APIGW.0308"  # the throttling threshold was reached (429): retried after Retry-After
UPSTREAM_HTTP_PREFIX = "HTTP."  # + status: an upstream error answer that named no code (e.g. HTTP.502)

# Codes that a retry may cure (with the statuses 429, 502, 503, 504).
RETRY_CODES = frozenset({BUSY, OPERATION_IN_PROGRESS, THROTTLED})
# 401 codes that mean "this token is no longer good": credentials are fetched again once.
TOKEN_EXPIRED_CODES = frozenset(
    {
        NO_CREDENTIALS,
        TOKEN_INVALID,
        TOKEN_EXPIRED,
        TOKEN_EXPIRED_0204,
        TOKEN_EXPIRED_0212,
        API_NOT_FOUND,
        CREDENTIALS_EXPIRED,
    }
)
