"""Entry point of a query worker process: ``python -m graphkg.worker FD STORE SHAPES_GRAPH``.

Kept outside :mod:`graphkg.server` so that starting a worker does not import
the web application.
"""

import sys
from multiprocessing.connection import Connection

from graphkg.server.workers import worker_main

if __name__ == "__main__":
    worker_main(Connection(int(sys.argv[1])), sys.argv[2], sys.argv[3])
