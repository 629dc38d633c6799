"""The scripts' one logging style: `log_to(snakemake.log[0])` first, then `logging.info(...)`.

stdout and stderr go to the same file, so a library's own output, warnings and the traceback of a failing job
land beside the log lines.
"""

import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(message)s"


def log_to(path):
    """Send logging (INFO and up), stdout and stderr to `path` (truncated), line-buffered."""
    handle = open(path, "w", buffering=1)
    sys.stdout = sys.stderr = handle
    logging.basicConfig(stream=handle, level=logging.INFO, format=FORMAT, force=True)
    logging.captureWarnings(True)
    return handle
