"""coursekit: author, check and publish training courses written as YAML modules with Markdown inside."""

__version__ = "0.1.0"
