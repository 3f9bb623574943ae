"""`equitable …` runs any Django management command with Equitable's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equitable.config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["equitable", *argv])
    args[0] = "equitable"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
