"""Entry point of a query worker: ``python -m graphkg.worker FD``.

``FD`` is the pool's listening socket, inherited from the server; the
settings come from the ``GRAPHKG_*`` variables the pool sets.

Kept outside :mod:`graphkg.server` so that starting a worker does not import
the web application.
"""

import ctypes
import os
import signal
import socket
import sys

from graphkg.query_pool import worker_main
from graphkg.settings import load_settings

PR_SET_PDEATHSIG = 1


def _die_with_the_server() -> None:
    """Leave stopping to the server, and go when it goes.

    Ctrl-C reaches every process of the terminal's group: a worker ignores it,
    and the server stops its workers. If the server is killed instead, Linux
    kills the worker too (a query may be running, so waiting for the pipe to
    close is not enough).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # a job's deadline ends the worker
    if sys.platform.startswith("linux"):
        server = os.getppid()
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != server:  # the server died before the request took effect
            sys.exit(0)


if __name__ == "__main__":
    _die_with_the_server()
    worker_main(socket.socket(fileno=int(sys.argv[1])), load_settings())
