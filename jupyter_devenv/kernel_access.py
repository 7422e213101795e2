"""Names shared by the server extension and its kernels for kernel-side access."""

URL_ENV = "JUPYTER_DEVENV_URL"  # base URL of /devenv/api/ as a kernel reaches it
TOKEN_ENV = "JUPYTER_DEVENV_TOKEN"  # random per server; opens /devenv/api/* only
TOKEN_HEADER = "X-DevEnv-Token"
