"""The Jupyter server extension: an authenticated, validating, caching proxy to ModelArts."""
