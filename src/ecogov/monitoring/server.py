"""The HJ 212-2017 ingestion server: data loggers connect over TCP and upload frames.

One asyncio event loop holds the connections; one writer stores what they send through
``Ingestor.store``, a batch of many uploads per transaction. The writer is a process of
its own (``writer_process=True``, as ``ecogov hj212 serve`` runs it; see ``writer``) or a
thread of this one (the default, for tests and the sample loader's in-process server).
A frame that asks for an answer (Flag A bit) gets its 9014 only after its batch is
committed, so a logger never throws away an upload the server has not kept.

Back-pressure: at most ``queue_max`` uploads wait for the writer (handed over and not
yet stored). When the database is slow they reach it, the connections stop reading,
and TCP slows the loggers down; memory stays bounded by it and by the decoder's frame
limit per connection.

What is refused is logged and recorded (``Rejection``) without answering: unreadable
frames (bad framing, length, CRC, syntax, oversize), unknown MNs and wrong passwords.
A connection that keeps sending garbage is closed; the others are not disturbed.
Split uploads (PNUM/PNO) are joined before they are stored.
"""

import asyncio
import contextlib
import dataclasses
import datetime
import gc
import logging
import multiprocessing
import pickle
import queue
import resource
import signal
import socket
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.utils import timezone

from ecogov.monitoring import writer as store_process
from ecogov.monitoring.ingest import Ingestor, Refusal, Upload
from ecogov.standards import hj212

log = logging.getLogger("ecogov.hj212")

READ_SIZE = 64 * 1024
MAX_ERRORS_IN_A_ROW = 50  # then the connection is closed
MAX_SPLIT_SETS = 32  # incomplete split uploads kept per connection
REFRESH_SECONDS = 60  # the catalogue of points is reloaded this often (and on an unknown MN)
UNKNOWN_REFRESH_SECONDS = 2  # an unknown MN reloads it at most this often


@dataclasses.dataclass
class Counters:
    connections: int = 0
    open_connections: int = 0
    frames: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    answered: int = 0
    batches: int = 0
    failed_batches: int = 0


class _Item:
    __slots__ = ("upload", "refusal", "future")

    def __init__(self, upload=None, refusal=None, future=None):
        self.upload, self.refusal, self.future = upload, refusal, future


def settle_garbage_collector() -> None:
    """For a long-running process that allocates a lot per upload: what is loaded by now
    (Django, the catalogue) is never scanned again, and young objects are collected less
    often. Full collections of the whole heap otherwise stall the event loop for tens of
    milliseconds, which the benchmark's open loop sees in its p99."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def raise_open_files_limit() -> int:
    """Thousands of connections need thousands of descriptors: take the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        return hard
    return soft


class HJ212Server:
    def __init__(
        self,
        ingestor: Ingestor | None = None,
        *,
        batch_max: int = 1000,
        queue_max: int = 5000,
        idle_seconds: float | None = None,
        close_on_auth_failure: bool | None = None,
        crc: str | None = None,
        max_frame: int = hj212.MAX_FRAME,
        writer_process: bool = False,
    ):
        self.ingestor = ingestor or Ingestor()
        self.batch_max = batch_max
        self.queue_max = queue_max
        self.idle = idle_seconds if idle_seconds is not None else settings.ECOGOV_HJ212_IDLE_SECONDS
        self.close_on_auth_failure = (
            settings.ECOGOV_HJ212_CLOSE_ON_AUTH_FAILURE
            if close_on_auth_failure is None
            else close_on_auth_failure
        )
        self.crc = crc or settings.ECOGOV_HJ212_CRC
        self.max_frame = max_frame
        self.counters = Counters()
        self.writer_process = writer_process
        # Uploads and refusals not stored yet: in the outbox (handed to the writer at the
        # end of this turn of the event loop) or with the writer. Never above queue_max.
        self.waiting = 0
        self._outbox: list[_Item] = []
        self._flushing = False
        self._writer: _Writer | None = None
        self._replacing: asyncio.Task | None = None
        self._settled: asyncio.Event | None = None  # set whenever the writer settles items
        self._generation = 0  # of the catalogue: the writer process reloads when it changes
        # The catalogue is read on its own thread (and database connection): the writer
        # and the answers it releases never wait for it.
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hj212-catalogue")
        self._reloading: asyncio.Future | None = None
        self._tasks: list[asyncio.Task] = []
        self._server: asyncio.AbstractServer | None = None
        self._refreshed = 0.0

    # --- life cycle -------------------------------------------------------------------

    async def start(self, host: str, port: int) -> asyncio.AbstractServer:
        loop = asyncio.get_running_loop()
        self._settled = asyncio.Event()
        await loop.run_in_executor(self._reader, self._refresh)
        self._writer = await self._open_writer()
        self._tasks.append(asyncio.create_task(self._refresh_loop(), name="hj212-catalogue"))
        self._server = await asyncio.start_server(
            self._handle, host, port, limit=READ_SIZE, backlog=4096, reuse_address=True
        )
        return self._server

    @property
    def port(self) -> int:
        return self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop accepting, store what is waiting, then stop the writer."""
        if self._server is not None:
            self._server.close()
        if self._settled is not None:  # started
            self._flush()
            await self._fewer_waiting_than(1)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._replacing is not None:
            await self._replacing
        if self._writer is not None:
            await self._writer.close()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._reader, store_process.close_connection)
        self._reader.shutdown(wait=True)

    def _refresh(self) -> None:
        try:
            # The writer process reloads its own copy when the generation moves: only
            # when something changed (at 50,000 points a reload holds the writer up for
            # a second or two, and the catalogue is read every minute).
            if self.ingestor.refresh():
                self._generation += 1
        except Exception:
            store_process.close_connection()
            raise
        finally:
            self._refreshed = time.monotonic()

    async def reload(self) -> None:
        """Reload the catalogue, or wait for the reload already under way."""
        if self._reloading is None or self._reloading.done():
            loop = asyncio.get_running_loop()
            self._reloading = loop.run_in_executor(self._reader, self._refresh)
        try:
            await asyncio.shield(self._reloading)
        except Exception:
            log.exception("reloading the monitoring points failed")

    async def _refresh_loop(self) -> None:
        while True:
            await asyncio.sleep(REFRESH_SECONDS)
            await self.reload()

    # --- the writer -------------------------------------------------------------------
    # What a turn of the event loop accepted goes to the writer at the end of the turn.
    # The writer takes as its next batch everything that reached it while it stored the
    # one before: batches are as large as the load makes them, and the writer never
    # waits for the event loop to hand it one.

    async def _open_writer(self) -> "_Writer":
        if not self.writer_process:
            return _WriterThread(self._settle, self.ingestor, self.batch_max)
        ingestor = self.ingestor
        options = {
            "flat_hours": ingestor.flat_hours,
            "missing_hours": ingestor.missing_hours,
            "merge_hours": ingestor.merge_window / datetime.timedelta(hours=1),
        }
        return await _WriterProcess.open(
            self._settle, self._replace, options, self.batch_max, self._generation
        )

    def _put(self, item: _Item) -> None:
        """Hand an item to the writer (once fewer than ``queue_max`` are waiting)."""
        self.waiting += 1
        self._outbox.append(item)
        if not self._flushing:
            self._flushing = True
            asyncio.get_running_loop().call_soon(self._flush)

    async def _fewer_waiting_than(self, most: int) -> None:
        """Until the writer has settled enough: room for more (``queue_max``), or all (1)."""
        while self.waiting >= most:
            self._settled.clear()
            await self._settled.wait()

    def _flush(self) -> None:
        self._flushing = False
        if not self._outbox:
            return
        if self._writer is not None and self._writer.alive:
            items, self._outbox = self._outbox, []
            self._writer.send(self._generation, items)
        else:
            self._replace()  # the outbox waits for the new writer

    def _replace(self) -> None:
        """A new writer process for the one that died, once however often it is asked."""
        if self._replacing is None or self._replacing.done():
            self._replacing = asyncio.create_task(self._replace_writer())

    async def _replace_writer(self) -> None:
        dead = self._writer
        try:
            self._writer = await self._open_writer()
        except Exception:  # tried again with the next upload
            log.exception("starting a new writer process failed")
            items, self._outbox = self._outbox, []
            self._settle(items, None)
            return
        self._flush()
        if dead is not None:
            await dead.close()  # reaped

    def _settle(self, items: list[_Item], result: "Stored | None") -> None:
        """The writer is done with ``items`` (in the order they were put): answer or fail
        each. ``result`` None: none of them was stored."""
        self.counters.batches += 1
        if result is not None:
            self.counters.stored += result.stored
            self.counters.duplicates += result.duplicates
        for index, item in enumerate(items):
            future = item.future
            if future is not None and not future.done():
                if result is None or index in result.failed:
                    why = result.failed[index] if result is not None else "the writer failed"
                    future.set_exception(RuntimeError(f"not stored: {why}"))
                else:
                    future.set_result(True)
        self.waiting -= len(items)
        self._settled.set()

    # --- connections ------------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        peer = _peer(writer)
        sock = writer.get_extra_info("socket")
        if sock is not None:
            _keepalive(sock)
        self.counters.connections += 1
        self.counters.open_connections += 1
        connection_state = _Connection(peer, self.max_frame, self.crc)
        loop = asyncio.get_running_loop()
        # Idle connections are closed by a timer per connection that is re-armed, not by
        # a timeout around every read (which costs a task per read).
        watch = _IdleWatch(loop, self.idle, peer, writer)
        try:
            while True:
                watch.reading = loop.time()
                chunk = await reader.read(READ_SIZE)
                watch.reading = None
                if watch.expired:
                    break  # what was half sent is dropped with the connection
                items = connection_state.decoder.feed(chunk) if chunk else []
                if not chunk:
                    items += connection_state.decoder.flush()
                keep = await self._process(connection_state, items, writer)
                if not chunk or not keep:
                    break
        except (ConnectionError, OSError) as error:
            log.info("%s: %s", peer, error)
        except Exception:
            log.exception("%s: connection failed", peer)
        finally:
            watch.cancel()
            self.counters.open_connections -= 1
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _process(self, state: "_Connection", items, writer) -> bool:
        """Queue what was decoded; answer once it is stored. False: close the connection."""
        waiting: list[tuple[asyncio.Future, list[bytes]]] = []
        keep = True
        loop = asyncio.get_running_loop()
        now = timezone.now()  # what one read brought arrived together
        for item in items:
            if isinstance(item, hj212.HJ212Error):
                state.errors += 1
                await self._refuse(Refusal(now, f"{type(item).__name__}: {item}", state.peer))
                if state.errors >= MAX_ERRORS_IN_A_ROW:
                    log.warning("%s: %d bad frames in a row, closed", state.peer, state.errors)
                    keep = False
                    break
                continue
            self.counters.frames += 1
            packet = item
            info, why = self.ingestor.authenticate(packet.mn, packet.pw)
            if info is None and (
                time.monotonic() - self._refreshed > UNKNOWN_REFRESH_SECONDS
                or (self._reloading is not None and not self._reloading.done())
            ):  # a logger registered a moment ago
                await self.reload()
                info, why = self.ingestor.authenticate(packet.mn, packet.pw)
            if info is None:
                state.errors += 1
                await self._refuse(
                    Refusal(now, why, state.peer, packet.mn or "", packet.segment[:200])
                )
                if self.close_on_auth_failure or state.errors >= MAX_ERRORS_IN_A_ROW:
                    keep = False
                    break
                continue
            state.errors = 0
            joined = state.join(packet) if packet.flag and packet.flag.split else [packet]
            if joined is None:
                continue  # more parts to come
            raw = "\n".join(part.segment for part in joined)
            future = loop.create_future()
            if self.waiting >= self.queue_max:  # the writer is behind
                await self._fewer_waiting_than(self.queue_max)
            self._put(_Item(upload=Upload.of(info.id, _merge(joined), now, raw), future=future))
            answers = [
                hj212.build(hj212.answer_data(part))
                for part in joined
                if part.flag is not None and part.flag.need_answer
            ]
            waiting.append((future, answers))
        for future, answers in waiting:
            try:
                await future
            except Exception:
                return False  # not stored: no answer, the logger sends it again
            if answers:
                writer.write(b"".join(answers))
                self.counters.answered += len(answers)
        if waiting:
            await writer.drain()
        return keep

    async def _refuse(self, refusal: Refusal) -> None:
        self.counters.rejected += 1
        log.info("refused from %s: %s", refusal.peer, refusal.reason)
        await self._fewer_waiting_than(self.queue_max)
        self._put(_Item(refusal=refusal))


class _Connection:
    def __init__(self, peer: str, max_frame: int, crc: str):
        self.peer = peer
        self.decoder = hj212.StreamDecoder(max_size=max_frame, crc=crc)
        self.errors = 0
        self.parts: dict[tuple, dict[int, hj212.Packet]] = {}

    def join(self, packet: hj212.Packet) -> list[hj212.Packet] | None:
        """Collect a part of a split upload; all parts in order once complete."""
        total, number = packet.pnum or 0, packet.pno or 0
        if total < 1 or not 1 <= number <= total:
            return [packet]  # split bit without usable numbers: take it as it is
        key = (packet.mn, packet.cn, packet.data_time, total)
        parts = self.parts.setdefault(key, {})
        parts[number] = packet
        if len(parts) < total:
            while len(self.parts) > MAX_SPLIT_SETS:
                self.parts.pop(next(iter(self.parts)))
            return None
        del self.parts[key]
        return [parts[n] for n in range(1, total + 1)]


class _IdleWatch:
    """Closes a connection that has waited for data ``idle`` seconds: while it is being
    served (its uploads stored and answered) it is not idle."""

    def __init__(self, loop, idle: float, peer: str, writer: asyncio.StreamWriter):
        self.loop, self.idle, self.peer, self.writer = loop, idle, peer, writer
        self.reading: float | None = None  # since when it waits for data
        self.expired = False
        self._timer = loop.call_later(idle, self._check)

    def _check(self) -> None:
        quiet = self.loop.time() - self.reading if self.reading is not None else 0.0
        if quiet >= self.idle:
            log.info("%s idle for %ss: closed", self.peer, self.idle)
            self.expired = True
            self.writer.close()  # the read in progress ends
        else:
            self._timer = self.loop.call_later(self.idle - quiet, self._check)

    def cancel(self) -> None:
        self._timer.cancel()


class _Writer:
    """What the writer thread and the writer process share: the items sent and not yet
    settled, in order; each result settles the next ``count`` of them."""

    def __init__(self, settle):
        self.alive = True
        self._settle = settle
        self._pending: deque[_Item] = deque()

    def send(self, generation: int, items: list[_Item]) -> None:
        self._pending.extend(items)
        self._deliver(generation, items)

    def _deliver(self, generation: int, items: list[_Item]) -> None:
        raise NotImplementedError

    def _done(self, count: int, result: "Stored | None") -> None:
        self._settle([self._pending.popleft() for _ in range(count)], result)


class _WriterThread(_Writer):
    """The writer as a thread of this process (tests, the sample loader): items in over
    a queue, results back on the event loop."""

    def __init__(self, settle, ingestor: Ingestor, batch_max: int):
        super().__init__(settle)
        self._ingestor, self._batch_max = ingestor, batch_max
        self._loop = asyncio.get_running_loop()
        self._inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="hj212-writer", daemon=True)
        self._thread.start()

    def _deliver(self, generation: int, items: list[_Item]) -> None:
        self._inbox.put([(item.upload, item.refusal) for item in items])

    def _run(self) -> None:
        try:
            while batch := self._take():
                try:
                    result = store_batch(self._ingestor, batch)
                except Exception:  # the writer must outlive any one batch
                    log.exception("storing a batch of %d failed", len(batch))
                    result = None
                self._loop.call_soon_threadsafe(self._done, len(batch), result)
        finally:
            store_process.close_connection()

    def _take(self) -> list:
        """Wait for items, then take all that are there, up to a batch; empty: closed."""
        batch = self._inbox.get()
        if batch is None:
            return []
        batch = list(batch)
        while len(batch) < self._batch_max:
            try:
                more = self._inbox.get_nowait()
            except queue.Empty:
                break
            if more is None:
                self._inbox.put(None)  # closed: once this batch is stored
                break
            batch += more
        return batch

    async def close(self) -> None:
        self._inbox.put(None)
        await asyncio.get_running_loop().run_in_executor(None, self._thread.join)
        self.alive = False


class _WriterProcess(_Writer):
    """The writer process and the socket pair to it (see ``writer``): items out, results
    back, all on the event loop. When the process dies, what it held is not answered
    (the loggers send it again) and ``gone`` is called."""

    def __init__(self, process, reader, stream, settle, gone):
        super().__init__(settle)
        self.process, self.reader, self.stream = process, reader, stream
        self._gone = gone
        self._closing = False
        self._reading = asyncio.create_task(self._read(), name="hj212-writer-channel")

    @classmethod
    async def open(
        cls, settle, gone, options: dict, batch_max: int, generation: int
    ) -> "_WriterProcess":
        ours, theirs = socket.socketpair()
        # Spawned, not forked: this process has threads and open database connections.
        process = multiprocessing.get_context("spawn").Process(
            target=store_process.main,
            args=(theirs, options, batch_max, generation),
            name="hj212-writer",
            daemon=True,
        )
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, process.start)
        theirs.close()
        reader, stream = await asyncio.open_connection(sock=ours, limit=1 << 20)
        return cls(process, reader, stream, settle, gone)

    def _deliver(self, generation: int, items: list[_Item]) -> None:
        # Not drained: what is with the writer is bounded by the server's queue_max.
        message = (generation, [(item.upload and item.upload.wire(), item.refusal)
                                for item in items])  # fmt: skip
        self.stream.write(store_process.frame(pickle.dumps(message, pickle.HIGHEST_PROTOCOL)))

    async def _read(self) -> None:
        try:
            while True:
                head = await self.reader.readexactly(store_process.HEAD.size)
                body = await self.reader.readexactly(store_process.HEAD.unpack(head)[0])
                self._done(*pickle.loads(body))
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            self.alive = False
            lost, self._pending = list(self._pending), deque()
            if lost:
                self._settle(lost, None)
            if self._closing:  # the server is stopping: no new writer
                if lost:
                    log.error("the writer process died as the server stopped (%r); "
                              "%d uploads unanswered", error, len(lost))  # fmt: skip
                return
            log.error("the writer process is gone (%r); a new writer process takes over "
                      "(%d uploads unanswered)", error, len(lost))  # fmt: skip
            self._gone()

    async def close(self) -> None:
        """EOF to the worker: it finishes what it has, closes its connection, and leaves."""
        self._closing = True
        self.stream.close()
        with contextlib.suppress(Exception):
            await self.stream.wait_closed()
        # the worker's answers to what it had, then its EOF
        await asyncio.wait({self._reading}, timeout=30)
        self._reading.cancel()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self.process.join, 30)
        if self.process.is_alive():
            self.process.kill()


@dataclasses.dataclass
class Stored:
    """What the writer did with a batch; ``failed``: index in the batch → why."""

    stored: int = 0
    duplicates: int = 0
    failed: dict[int, str] = dataclasses.field(default_factory=dict)


def store_batch(ingestor: Ingestor, items: list[tuple[Upload | None, Refusal | None]]) -> Stored:
    """In the writer (thread or process): one transaction for the batch, or, if it fails,
    one per item, so that one upload the database refuses does not cost the others.
    Alarms that became case candidates open their cases after the commit."""
    uploads = [upload for upload, _ in items if upload is not None]
    refusals = [refusal for _, refusal in items if refusal is not None]
    result = Stored()
    try:
        reports = [_store_retrying(ingestor, uploads, refusals)]
    except Exception as error:
        log.warning("batch of %d refused (%s); storing one by one", len(items), error)
        store_process.close_connection()
        reports = []
        for index, (upload, refusal) in enumerate(items):
            try:
                reports.append(
                    ingestor.store([upload] if upload else [], [refusal] if refusal else [])
                )
            except Exception as single:
                store_process.close_connection()
                log.error("upload not stored: %s", single)
                result.failed[index] = str(single)
    for report in reports:
        result.stored += report.stored
        result.duplicates += report.duplicates
        if report.case_candidates:
            from ecogov.monitoring.alarms import alarm_cases

            try:
                alarm_cases(report.case_candidates)
            except Exception:
                log.exception("opening cases for alarms %s failed", report.case_candidates)
    return result


# PostgreSQL's codes for what another writer's concurrent transaction causes, and what
# the same batch gets past when tried again: a serialization failure, a deadlock, a
# unique key taken meanwhile.
RETRY_SQLSTATES = {"40001", "40P01", "23505"}
BATCH_ATTEMPTS = 3


def _store_retrying(ingestor: Ingestor, uploads: list, refusals: list):
    """``ingestor.store``, again when another server's transaction got in the way."""
    for attempt in range(1, BATCH_ATTEMPTS + 1):
        try:
            return ingestor.store(uploads, refusals)
        except Exception as error:
            if attempt == BATCH_ATTEMPTS or not _concurrent(error):
                raise
            log.info("batch of %d: %s; tried again", len(uploads), error)


def _concurrent(error: Exception) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in RETRY_SQLSTATES


def _merge(parts: list[hj212.Packet]) -> hj212.Packet:
    """One packet of the parts of a split upload: the first header, every CP group once."""
    if len(parts) == 1:
        return parts[0]
    groups, seen = [], set()
    for part in parts:
        for group in part.cp:
            if group not in seen:
                seen.add(group)
                groups.append(group)
    header = tuple((k, v) for k, v in parts[0].header if k not in ("PNUM", "PNO"))
    return hj212.Packet(header, tuple(groups))


def _peer(writer: asyncio.StreamWriter) -> str:
    peer = writer.get_extra_info("peername")
    return f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer or "")


def _keepalive(sock: socket.socket) -> None:
    """Half-open connections (a logger whose power went off) are found by the kernel."""
    with contextlib.suppress(OSError, AttributeError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 60)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 20)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)


async def serve_until_stopped(host: str, port: int, **options) -> None:
    """``serve`` until SIGINT or SIGTERM, which store what is queued before leaving."""
    task = asyncio.create_task(serve(host, port, **options))
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, task.cancel)
    try:
        await task
    except asyncio.CancelledError:
        pass


async def serve(host: str, port: int, *, ready=None, **options) -> None:
    """Run until cancelled (the command line's SIGTERM/SIGINT)."""
    limit = raise_open_files_limit()
    server = HJ212Server(**options)
    await server.start(host, port)
    settle_garbage_collector()
    log.info("HJ 212 server on %s:%d (open files limit %d)", host, server.port, limit)
    if ready is not None:
        ready(server)
    try:
        while True:
            await asyncio.sleep(60)
            c = server.counters
            log.info(
                "connections %d open, frames %d, stored %d, duplicates %d, rejected %d",
                c.open_connections, c.frames, c.stored, c.duplicates, c.rejected,
            )  # fmt: skip
    finally:
        await server.stop()
