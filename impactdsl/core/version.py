"""impactdsl's version: read by the build (pyproject.toml), printed on every report's foot."""

__version__ = "0.1.0"
