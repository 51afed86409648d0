"""MkDocs plugin `course`: a thin adapter; it validates the course when MkDocs loads its config."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from .check import check_course


class CoursePlugin(BasePlugin):
    """Checks the course at build time; a course with errors fails the build with located messages."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        result = check_course(root)
        if result.errors:
            lines = "\n".join(d.format() for d in result.diagnostics)
            raise PluginError(f"the course has errors:\n{lines}")
        return config
