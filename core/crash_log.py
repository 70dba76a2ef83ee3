"""Where unexpected failures go: a log file for a developer, never a traceback for a volunteer."""

from __future__ import annotations

import sys
import traceback
from datetime import datetime
from pathlib import Path

from platformdirs import user_log_path


def log_unexpected(error: BaseException | None = None) -> Path | None:
    """Append the current (or given) exception's traceback to the error log; return its path."""
    try:
        folder = user_log_path("community-till", appauthor=False)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "errors.log"
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now().isoformat()} {' '.join(sys.argv)}\n")
            if error is None:
                log.write(traceback.format_exc())
            else:
                log.write("".join(traceback.format_exception(error)))
        return path
    except OSError:
        return None
