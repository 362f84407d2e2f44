"""A data-logger simulator: many HJ 212 loggers on TCP, for tests, benchmarks and the sample site.

Each simulated logger has an MN, a password and the pollutants of its kind (a
wastewater outlet, a flue, an air station, a river section) with a daily rhythm and
noise. It can inject what real traffic has: exceedances that last a few hours, hours
it never sends, and corrupted frames.

Modes:
- closed loop (the default): a logger sends an hourly upload, waits for the server's
  9014, then sends the next; data time advances one hour per frame from ``start``.
- open loop (``rate`` frames per second per logger, phases spread): a logger sends on
  its schedule whatever the answers do; latency is measured per answer by its QN, from
  the time the frame was due (a client that falls behind shows up as latency too).
  Real-time uploads (``cn="2011"``) every 30 s: ``rate=1/30, step=30 s``.
- live: data time is the clock; a real-time upload (2011) every ``interval`` seconds and
  the hourly upload (2061) of each hour that ends.

The client keeps, per logger, the data times of every upload answered: the kill test
checks each of them against the database. With ``failover`` addresses a closed-loop
logger whose server goes away connects to the next one and sends the unanswered upload
again, as a logger configured with a standby platform does.
"""

import asyncio
import datetime
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ecogov.standards import hj212

# (code, typical value, relative spread, decimals) per kind of point.
PROFILES: dict[str, tuple[tuple[str, float, float, int], ...]] = {
    "water": (
        ("w00000", 12.0, 0.3, 2), ("w01001", 7.4, 0.03, 2), ("w01018", 38.0, 0.25, 1),
        ("w21003", 2.6, 0.3, 2), ("w21011", 0.25, 0.3, 3),
    ),
    "air": (
        ("a00000", 18.0, 0.2, 2), ("a21026", 28.0, 0.3, 1), ("a21002", 70.0, 0.25, 1),
        ("a34013", 6.0, 0.35, 2), ("a19001", 9.5, 0.08, 2), ("a01012", 65.0, 0.1, 1),
    ),
    "air_station": (
        ("a34004", 32.0, 0.45, 0), ("a34002", 62.0, 0.4, 0), ("a21026", 12.0, 0.4, 0),
        ("a21004", 28.0, 0.4, 0), ("a21005", 0.7, 0.35, 2), ("a05024", 75.0, 0.45, 0),
    ),
    "water_section": (
        ("w01001", 7.9, 0.03, 2), ("w01009", 7.2, 0.12, 2), ("w01019", 3.6, 0.25, 2),
        ("w01018", 15.0, 0.25, 1), ("w21003", 0.55, 0.35, 3), ("w21011", 0.11, 0.3, 3),
    ),
}  # fmt: skip
SYSTEM_CODES = {"water": "32", "air": "31", "air_station": "22", "water_section": "21"}
# The pollutant an injected exceedance raises, per profile.
MAIN = {
    "water": "w01018",
    "air": "a21026",
    "air_station": "a34004",
    "water_section": "w21003",
}


@dataclass
class Logger:
    mn: str
    pw: str
    profile: str = "water"
    limits: dict[str, Decimal] = field(default_factory=dict)
    # data times (naive local) of the uploads the server answered
    answered: list[datetime.datetime] = field(default_factory=list)
    excess_left: int = 0


@dataclass
class Faults:
    exceed: float = 0.0  # chance per hour that an exceedance starts
    missing: float = 0.0  # chance per hour that the hour is never sent
    garbage: float = 0.0  # chance per frame that a corrupted frame is sent before it


@dataclass
class Report:
    sent: int = 0
    answered: int = 0
    garbage: int = 0
    skipped: int = 0
    errors: int = 0
    resent: int = 0  # uploads sent again to a failover address
    latencies: list[float] = field(default_factory=list)
    # open loop: how late each frame left the client (behind its schedule)
    lags: list[float] = field(default_factory=list)
    connected: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def value_for(
    profile: str, code: str, when: datetime.datetime, rng: random.Random, excess: float = 1.0
) -> float:
    base, spread, decimals = next((b, s, d) for c, b, s, d in PROFILES[profile] if c == code)
    daily = 1 + 0.25 * spread / 0.3 * math.sin((when.hour - 9) / 24 * 2 * math.pi)
    value = base * daily * (1 + rng.gauss(0, spread / 2))
    if code == "w01001":
        value = base + rng.gauss(0, 0.15)
    return round(max(value, 0.0) * excess, decimals)


def hourly_packet(
    logger: Logger,
    when: datetime.datetime,
    rng: random.Random,
    *,
    cn: str = "2061",
    need_answer: bool = True,
) -> hj212.Packet:
    """The upload of one hour (or one real-time sample with cn="2011")."""
    excess = 1.0
    main = MAIN[logger.profile]
    if logger.excess_left > 0:
        limit = logger.limits.get(main)
        base = next(b for c, b, _s, _d in PROFILES[logger.profile] if c == main)
        excess = max(2.0, float(limit) / base * 1.8) if limit else 2.5
    suffix = "Rtd" if cn == "2011" else "Avg"
    groups: list[dict[str, str]] = [{"DataTime": when.strftime("%Y%m%d%H%M%S")}]
    for code, _base, _spread, decimals in PROFILES[logger.profile]:
        value = value_for(logger.profile, code, when, rng, excess if code == main else 1.0)
        group = {f"{code}-{suffix}": f"{value:.{decimals}f}"}
        if cn != "2011":
            group[f"{code}-Min"] = f"{value * 0.9:.{decimals}f}"
            group[f"{code}-Max"] = f"{value * 1.1:.{decimals}f}"
        group[f"{code}-Flag"] = "N"
        groups.append(group)
    qn = datetime.datetime.now().strftime("%Y%m%d%H%M%S%f")[:17]
    return hj212.Packet.make(
        qn=qn, st=SYSTEM_CODES[logger.profile], cn=cn, pw=logger.pw, mn=logger.mn,
        flag=hj212.Flag.make(need_answer=need_answer), cp=groups,
    )  # fmt: skip


def corrupt(frame: bytes, rng: random.Random) -> bytes:
    """A frame broken the ways the field breaks them: a wrong CRC, a cut, noise."""
    choice = rng.randrange(3)
    if choice == 0:
        return frame[:-6] + b"0000\r\n"
    if choice == 1:
        return frame[: len(frame) // 2] + b"\r\n"
    return bytes(rng.randrange(32, 127) for _ in range(40)) + b"\r\n"


class _Client:
    """One logger's connection."""

    def __init__(
        self, logger: Logger, host: str, port: int, report: Report, faults: Faults, rng,
        failover: Sequence[tuple[str, int]] = (), local_host: str | None = None,
    ):  # fmt: skip
        self.logger, self.host, self.port = logger, host, port
        # the source address: one address has some 28,000 ephemeral ports to one server
        self.local = (local_host, 0) if local_host else None
        self.report, self.faults, self.rng = report, faults, rng
        self.failover = list(failover)
        self.decoder = hj212.StreamDecoder()
        self.reader = self.writer = None

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(
            self.host, self.port, local_addr=self.local
        )

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except (ConnectionError, OSError):
                pass

    def _prepare(self, when: datetime.datetime, cn: str = "2061") -> tuple[bytes, bytes] | None:
        """(garbage to send first, the frame), or None when this hour goes missing."""
        if cn == "2061":
            if self.rng.random() < self.faults.missing:
                self.report.skipped += 1
                return None
            if not self.logger.excess_left and self.rng.random() < self.faults.exceed:
                self.logger.excess_left = self.rng.randint(2, 4)
        frame = hj212.build(hourly_packet(self.logger, when, self.rng, cn=cn))
        if cn == "2061" and self.logger.excess_left:
            self.logger.excess_left -= 1  # hours of the exceedance still to come
        junk = b""
        if self.rng.random() < self.faults.garbage:
            junk = corrupt(frame, self.rng)
            self.report.garbage += 1
        return junk, frame

    async def _answer(self) -> hj212.Packet:
        while True:
            for item in self.decoder.feed(b""):
                if isinstance(item, hj212.Packet):
                    return item
            chunk = await self.reader.read(4096)
            if not chunk:
                raise ConnectionError("server closed the connection")
            for item in self.decoder.feed(chunk):
                if isinstance(item, hj212.Packet) and item.cn == "9014":
                    return item

    async def closed_loop(
        self, times: Sequence[datetime.datetime], deadline: float, cn: str = "2061"
    ) -> None:
        for when in times:
            if time.monotonic() > deadline:
                return
            prepared = self._prepare(when, cn)
            if prepared is None:
                continue
            junk, frame = prepared
            sent = time.perf_counter()
            self.report.sent += 1
            await self._exchange(junk + frame, frame)
            self.report.latencies.append(time.perf_counter() - sent)
            self.report.answered += 1
            self.logger.answered.append(when)

    async def _exchange(self, data: bytes, frame: bytes) -> None:
        """Send and wait for the answer; when the server goes away, to the next failover
        address, sending the frame again (its answer never came)."""
        while True:
            try:
                self.writer.write(data)
                await self.writer.drain()
                await self._answer()
                return
            except (ConnectionError, OSError):
                if not self.failover:
                    raise
            await self.close()
            self.host, self.port = self.failover.pop(0)
            self.decoder = hj212.StreamDecoder()
            await self.connect()
            self.report.resent += 1
            data = frame

    async def open_loop(
        self,
        times: Sequence[datetime.datetime],
        rate: float,
        start: float,
        deadline: float,
        cn: str = "2061",
    ) -> None:
        """Send ``times`` at ``start`` + i / ``rate`` (monotonic clock) whatever the answers."""
        pending: dict[str, tuple[float, datetime.datetime]] = {}
        done = asyncio.Event()

        async def read_answers():
            while True:
                chunk = await self.reader.read(4096)
                if not chunk:
                    break
                for item in self.decoder.feed(chunk):
                    if isinstance(item, hj212.Packet) and item.qn in pending:
                        due, when = pending.pop(item.qn)
                        self.report.latencies.append(time.monotonic() - due)
                        self.report.answered += 1
                        self.logger.answered.append(when)
                if done.is_set() and not pending:
                    break

        reading = asyncio.create_task(read_answers())
        for index, when in enumerate(times):
            due = start + index / rate
            if due > deadline:
                break
            now = time.monotonic()
            if due > now:
                await asyncio.sleep(due - now)
            prepared = self._prepare(when, cn)
            if prepared is None:
                continue
            junk, frame = prepared
            packet_qn = frame.split(b"QN=", 1)[1][:17].decode()
            pending[packet_qn] = (due, when)
            self.report.lags.append(time.monotonic() - due)
            self.writer.write(junk + frame)
            self.report.sent += 1
            await self.writer.drain()
        # the connection is held to the end, as a logger holds it between uploads
        await asyncio.sleep(max(0.0, deadline - time.monotonic()))
        done.set()
        if not pending:
            reading.cancel()
            return
        try:
            await asyncio.wait_for(reading, timeout=10)
        except TimeoutError:
            reading.cancel()


async def run(
    host: str,
    port: int,
    loggers: Sequence[Logger],
    *,
    frames: int = 24,
    start: datetime.datetime | None = None,
    rate: float = 0.0,
    duration: float = 3600.0,
    faults: Faults | None = None,
    seed: int = 212,
    failover: Sequence[tuple[str, int]] = (),
    cn: str = "2061",
    step: datetime.timedelta = datetime.timedelta(hours=1),
    local_hosts: Sequence[str] = (),
    phase_offset: float = 0.0,
    begin=None,
) -> Report:
    """Play ``frames`` uploads per logger, data time ``step`` apart (closed loop when
    ``rate`` is 0, else open loop at ``rate`` frames/s per logger), stopping after
    ``duration`` seconds; closed-loop loggers move to the ``failover`` addresses in turn
    when the server goes. Open loop: the loggers' phases are spread evenly over a period
    (1 / ``rate``), shifted by ``phase_offset`` seconds.

    The connections go out from ``local_hosts`` in turn (default: the system's choice).
    ``begin``, when given, is awaited once every connection is up and returns when to
    begin on the monotonic clock: several client processes begin together."""
    report = Report()
    faults = faults or Faults()
    start = start or (
        datetime.datetime.now().replace(minute=0, second=0, microsecond=0) - step * frames
    )
    times = [start + step * h for h in range(frames)]
    hosts = list(local_hosts) or [None]
    clients = [
        _Client(
            logger,
            host,
            port,
            report,
            faults,
            random.Random(f"{seed}-{logger.mn}"),
            failover,
            hosts[index % len(hosts)],
        )  # fmt: skip
        for index, logger in enumerate(loggers)
    ]
    for index in range(0, len(clients), 100):  # connect in waves, as loggers do after an outage
        await asyncio.gather(*(client.connect() for client in clients[index : index + 100]))
    report.connected = len(clients)
    began = await begin() if begin is not None else time.monotonic()
    await asyncio.sleep(max(0.0, began - time.monotonic()))
    deadline = began + duration
    if rate:
        jobs = [
            client.open_loop(
                times,
                rate,
                start=began + phase_offset + index / len(clients) / rate,
                deadline=deadline,
                cn=cn,
            )  # fmt: skip
            for index, client in enumerate(clients)
        ]
    else:
        jobs = [client.closed_loop(times, deadline, cn) for client in clients]
    results = await asyncio.gather(*jobs, return_exceptions=True)
    report.seconds = time.monotonic() - began
    report.errors = sum(1 for result in results if isinstance(result, BaseException))
    await asyncio.gather(*(client.close() for client in clients))
    return report


async def live(
    host: str,
    port: int,
    loggers: Sequence[Logger],
    *,
    interval: float = 30.0,
    duration: float | None = None,
    faults: Faults | None = None,
    seed: int = 212,
) -> Report:
    """Loggers on the wall clock: real-time data every ``interval`` seconds, and the hourly
    upload of each hour as it ends. Reconnects when the server goes away."""
    report = Report()
    faults = faults or Faults()
    began = time.monotonic()

    async def one(logger: Logger, rng: random.Random) -> None:
        client = _Client(logger, host, port, report, faults, rng)
        last_hour = None
        await asyncio.sleep(rng.random() * interval)
        while duration is None or time.monotonic() - began < duration:
            try:
                if client.writer is None:
                    await client.connect()
                now = datetime.datetime.now().replace(microsecond=0)
                hour = now.replace(minute=0, second=0)
                due = [("2011", now)]
                if last_hour is not None and hour > last_hour:
                    due.append(("2061", hour - datetime.timedelta(hours=1)))
                last_hour = hour
                for cn, when in due:
                    prepared = client._prepare(when, cn)
                    if prepared is None:
                        continue
                    junk, frame = prepared
                    client.writer.write(junk + frame)
                    report.sent += 1
                    await client.writer.drain()
                    await asyncio.wait_for(client._answer(), timeout=30)
                    report.answered += 1
            except (ConnectionError, OSError, TimeoutError):
                report.errors += 1
                await client.close()
                client.writer = None
                client.decoder = hj212.StreamDecoder()
            await asyncio.sleep(interval)
        await client.close()

    await asyncio.gather(*(one(logger, random.Random(f"{seed}-{logger.mn}")) for logger in loggers))
    report.seconds = time.monotonic() - began
    return report


def logger_for(point) -> Logger:
    """The simulated logger of a registered point (its factors prefetched or not)."""
    limits = {f.code: f.limit for f in point.factors.all() if f.limit is not None}
    return Logger(point.mn, point.password, profile_of(point), limits)


def profile_of(point) -> str:
    """The simulator profile of a registered point."""
    if point.kind == "air_station":
        return "air_station"
    if point.kind == "water_section":
        return "water_section"
    codes = {factor.code for factor in point.factors.all()}
    return "air" if codes and all(code.startswith("a") for code in codes) else "water"
