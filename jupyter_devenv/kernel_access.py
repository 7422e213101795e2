"""Names shared by the server extension and its kernels for kernel-side access."""

URL_ENV = "JUPYTER_DEVENV_URL"  # base URL of /devenv/api/ as a kernel reaches it
TOKEN_ENV = "JUPYTER_DEVENV_TOKEN"  # random per server; opens /devenv/api/* only
SERVER_CERT_ENV = "JUPYTER_DEVENV_SERVER_CERT"  # the server's own certificate (PEM) when it serves HTTPS
TOKEN_HEADER = "X-DevEnv-Token"
