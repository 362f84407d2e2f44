"""The HJ 212 server's writer in a process of its own.

At thousands of uploads a second the event loop (reading, decoding, authenticating,
answering) and the writer (storing, checking) each need most of a core; in one process
they take turns on one GIL. ``HJ212Server(writer_process=True)``, which ``ecogov hj212
serve`` runs, hands what it accepts to one worker process that holds the only
``Ingestor`` (and with it the memory of the flat-line and missing-data checks), exactly
as the writer thread does otherwise. An upload is answered only once this process has
committed it and told the server so.

The server and the worker talk over a socket pair, length-prefixed pickles in order,
read and written by the server's event loop itself: no helper threads in the server,
whose turns on the GIL would wait behind the busy event loop. The worker reloads the
catalogue of points when the server has reloaded its own (a generation number travels
with each message). It leaves when the server closes the channel or is gone, even after
a SIGKILL: it holds nothing that was answered.

Nothing here imports Django's models at import time: a spawned worker sets Django up
first (``start``).
"""

import pickle
import socket
import struct

_ingestor = None
_generation = None
HEAD = struct.Struct("!I")  # the length of the pickle that follows


def main(channel: socket.socket, options: dict, batch_max: int, generation=None) -> None:
    """The worker: items in, what was stored out, in order, until the server closes the
    channel or is gone (even after a SIGKILL the channel reads as closed).

    Each batch is everything the server has sent by the time the batch before is
    stored (at most ``batch_max`` items, in whole messages): the busier the server, the
    larger the batch and the cheaper each upload in it.

    The catalogue of the server's ``generation`` is loaded before the first batch
    arrives: with tens of thousands of points that takes seconds, which the first
    uploads would otherwise wait for."""
    start(options)
    global _generation
    try:
        _ingestor.refresh()
        _generation = generation
    except Exception:  # the database is away: loaded with the first batch
        close_connection()
    inbox = _Inbox(channel)
    with channel:
        while taken := inbox.take(batch_max):
            generation, items = taken
            result = store(generation, items)
            try:
                _send(channel, pickle.dumps((len(items), result), pickle.HIGHEST_PROTOCOL))
            except OSError:
                return  # the server is gone; what it never heard of, it never answered
    close_connection()


class _Inbox:
    """The messages the server sent, read as they are there."""

    def __init__(self, channel: socket.socket):
        self.channel = channel
        self.buffer = bytearray()
        self.start = 0  # of the first message not taken (the buffer is cut once per read)
        self.closed = False

    def take(self, most: int) -> tuple[int, list] | None:
        """Wait for a message, then add those already sent, up to ``most`` items: the
        newest catalogue generation among them and their items. None: the server closed
        the channel and everything it sent is taken."""
        generation, items = 0, []
        while len(items) < most:
            message = self._message()
            if message is None:
                if self.closed or not self._fill(wait=not items):
                    break
                continue
            sent_with, more = pickle.loads(message)
            generation = max(generation, sent_with)
            items += more
        return (generation, items) if items else None

    def _message(self) -> bytearray | None:
        """The next whole message in the buffer."""
        start, buffer = self.start, self.buffer
        if len(buffer) - start < HEAD.size:
            return None
        end = start + HEAD.size + HEAD.unpack_from(buffer, start)[0]
        if len(buffer) < end:
            return None
        self.start = end
        return buffer[start + HEAD.size : end]

    def _fill(self, wait: bool) -> bool:
        """Read what has arrived (``wait``: wait for it); False when nothing came."""
        try:
            chunk = self.channel.recv(1 << 20, 0 if wait else socket.MSG_DONTWAIT)
        except BlockingIOError:
            return False
        if not chunk:
            self.closed = True
            return False
        del self.buffer[: self.start]
        self.start = 0
        self.buffer += chunk
        return True


def _send(channel: socket.socket, data: bytes) -> None:
    channel.sendall(frame(data))


def frame(data: bytes) -> bytes:
    """A message on the channel, either way: its length, then the pickle."""
    return HEAD.pack(len(data)) + data


def start(options: dict) -> None:
    """Django and the Ingestor, in a freshly spawned worker."""
    import django

    django.setup()
    from ecogov.monitoring.ingest import Ingestor
    from ecogov.monitoring.server import settle_garbage_collector

    global _ingestor
    _ingestor = Ingestor(**options)
    settle_garbage_collector()


def store(generation: int, items: list):
    """Store one batch (see ``server.store_batch``), with the catalogue of ``generation``;
    its uploads as they were sent (``Upload.wire``)."""
    global _generation
    from ecogov.monitoring.ingest import Upload
    from ecogov.monitoring.server import Stored, log, store_batch

    items = [(upload and Upload.from_wire(upload), refusal) for upload, refusal in items]
    if generation != _generation:
        try:
            _ingestor.refresh()
        except Exception as error:  # the database is away: nothing stored, nothing answered
            log.exception("reloading the monitoring points failed")
            close_connection()
            return Stored(failed=dict.fromkeys(range(len(items)), f"catalogue: {error}"))
        _generation = generation
    return store_batch(_ingestor, items)


def close_connection() -> None:
    """This thread's database connection, closed: as the server stops, or after an error
    (the next query opens a fresh one)."""
    import contextlib

    from django.db import connection

    with contextlib.suppress(Exception):
        connection.close()
