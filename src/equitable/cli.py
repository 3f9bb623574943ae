"""`equitable …` runs any Django management command with Equitable's settings."""

from __future__ import annotations

import os
import sys

# Command names with a dash (`equitable need-index`) run the module with an underscore: Python module
# names cannot hold a dash. Add other dashed names here.
COMMAND_ALIASES = {"need-index": "need_index"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equitable.config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["equitable", *argv])
    args[0] = "equitable"
    if len(args) > 1:
        args[1] = COMMAND_ALIASES.get(args[1], args[1])
    if len(args) > 2 and args[1] == "help":
        args[2] = COMMAND_ALIASES.get(args[2], args[2])
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
