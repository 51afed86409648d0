"""Write a .pth file into this Python environment so that `mkdocs serve` starts without Material's banner.

Material for MkDocs prints a notice (its end of life, and a successor to try) when the `mkdocs` command
imports the theme, unless the environment variable NO_MKDOCS_2_WARNING is set (material/templates/__init__.py).
MkDocs imports the theme while it reads mkdocs.yml, before it loads any plugin, so the course plugin cannot
set the variable in time. Python reads .pth files in site-packages when it starts: this one sets the variable
(unless it is set already) for every process of this environment. `make site` runs this script.
"""

from __future__ import annotations

import sysconfig
from pathlib import Path

NAME = "coursekit-theme-notice.pth"
LINE = "import os; os.environ.setdefault('NO_MKDOCS_2_WARNING', '1')\n"


def main() -> None:
    path = Path(sysconfig.get_path("purelib")) / NAME
    if not path.is_file() or path.read_text(encoding="utf-8") != LINE:
        path.write_text(LINE, encoding="utf-8")


if __name__ == "__main__":
    main()
