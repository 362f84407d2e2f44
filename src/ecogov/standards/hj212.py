"""HJ 212-2017 污染物在线监控（监测）系统数据传输标准: the frame codec.

A frame is ``##`` + 4-digit length + data segment + 4 hex-digit CRC + CR LF (§6.3.1,
Table 2). The data segment is ``QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;[PNUM=…;PNO=…;]
CP=&&…&&`` (Table 3); CP holds ``;``-separated groups of ``,``-separated ``key=value``
items (§6.3.3). HJ/T 212-2005 frames (no QN, no Flag, old codes) are read too.

Values are kept exactly as sent, as text: ``Packet.decimal()`` turns one into a
Decimal when a number is wanted, never a float.

The tables (system codes, command codes, pollutant codes) live in
``ecogov.standards.hj212_codes`` as data, so that a new code is an edit there.
"""

import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property, reduce
from operator import xor

MAX_FRAME = 10 * 1024  # bytes; the standard's 1024-byte data segment is exceeded in the wild
HEADER = b"##"
TRAILER = b"\r\n"

# Flag version bits V5..V0 (Table 3 note): 000000 = HJ/T 212-2005, 000001 = HJ 212-2017.
# 000010 for HJ 212-2025 follows the one public implementation that encodes it
# (caoyiliang/HJ212, Enum.cs): UNVERIFIED, the 2025 text was not available.
VERSIONS = {0: "2005", 1: "2017", 2: "2025"}
VERSION_BITS = {name: bits for bits, name in VERSIONS.items()}


class HJ212Error(ValueError):
    """A frame that cannot be read. Every error the codec raises is one of these."""


class FramingError(HJ212Error):
    """No ``##`` header, no 4-digit length, no trailer, or bytes between frames."""


class LengthMismatch(HJ212Error):
    def __init__(self, declared: int, actual: int):
        self.declared, self.actual = declared, actual
        super().__init__(f"length field says {declared} bytes, data segment has {actual}")


class CrcMismatch(HJ212Error):
    def __init__(self, received: str, expected: int, variant: str | None = None):
        self.received, self.expected, self.variant = received, expected, variant
        hint = f" (it is a {variant} CRC)" if variant else ""
        super().__init__(f"CRC {received} does not match {expected:04X}{hint}")


class FieldSyntaxError(HJ212Error):
    """A data segment or CP area that does not follow Table 3 / §6.3.3."""


class FrameTooLarge(HJ212Error):
    def __init__(self, size: int, limit: int):
        self.size, self.limit = size, limit
        super().__init__(f"frame of {size} bytes or more exceeds the limit of {limit}")


# --- CRC (Appendix A) ---------------------------------------------------------------


def _full_table() -> tuple[int, ...]:
    table = []
    for index in range(256):
        reg = index
        for _ in range(8):
            reg = (reg >> 1) ^ 0xA001 if reg & 1 else reg >> 1
        table.append(reg)
    return tuple(table)


_T = _full_table()
_HIGH = bytes(value >> 8 for value in _T)


def _powers() -> tuple[bytes, ...]:
    """H^r for r = 0..7, where H is the high-byte map above; H^8 is the identity."""
    powers = [bytes(range(256))]
    for _ in range(7):
        powers.append(bytes(_HIGH[value] for value in powers[-1]))
    assert bytes(_HIGH[value] for value in powers[-1]) == powers[0]
    return tuple(powers)


_POWERS = _powers()


def crc16(data: bytes) -> int:
    """The CRC of HJ 212-2017 Appendix A over ``data`` (the data segment's bytes).

    Per byte: reg = (reg >> 8) ^ byte, then eight shifts with 0xA001; start 0xFFFF, no
    final XOR. This is NOT CRC-16/MODBUS, which XORs the byte into the low half
    (reg ^= byte). Check value: crc16(b"123456789") == 0x2F80.

    The standard's loop equals reg = T[(reg >> 8) ^ byte] with the reflected 0xA001
    table T, so only the high byte h carries over: h' = H[h ^ byte], H being the high
    bytes of T. H is linear over GF(2) and H^8 is the identity, so the high byte
    before the last byte is H^m(0xFF) XOR the XOR over residue classes r of
    H^r(XOR of the bytes whose distance to the last byte is ≡ r mod 8). The XOR of
    each residue class comes from XOR-ing the data as 64-bit words: the per-byte loop
    runs in C. The tests check it against the standard's bitwise loop.
    """
    if not data:
        return 0xFFFF
    head = len(data) - 1
    padded = bytes(-head % 8) + data[:head]
    words = memoryview(padded).cast("Q") if padded else ()
    folded = reduce(xor, words, 0).to_bytes(8, sys.byteorder)  # native words back to bytes
    high = _POWERS[head % 8][0xFF]
    for k in range(8):
        if folded[k]:
            high ^= _POWERS[-k % 8][folded[k]]
    return _T[high ^ data[head]]


def crc16_modbus(data: bytes) -> int:
    """CRC-16/MODBUS, which many field loggers send instead (tolerated on request)."""
    reg = 0xFFFF
    for byte in data:
        reg ^= byte
        for _ in range(8):
            reg = (reg >> 1) ^ 0xA001 if reg & 1 else reg >> 1
    return reg


def _crc_variant(segment: bytes, received: str) -> str | None:
    """Which known non-conforming CRC the sender used, if any."""
    modbus = crc16_modbus(segment)
    if received == f"{modbus:04X}":
        return "modbus"
    if received == f"{(modbus & 0xFF) << 8 | modbus >> 8:04X}":
        return "modbus-swapped"
    return None


# --- Packet --------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """Flag = V5 V4 V3 V2 V1 V0 D A (Table 3): version bits, split (D), answer wanted (A)."""

    value: int

    @property
    def need_answer(self) -> bool:
        return bool(self.value & 1)

    @property
    def split(self) -> bool:
        return bool(self.value & 2)

    @property
    def version_bits(self) -> int:
        return self.value >> 2

    @property
    def version(self) -> str:
        return VERSIONS.get(self.version_bits, "unknown")

    @classmethod
    def make(
        cls, *, version: str = "2017", need_answer: bool = False, split: bool = False
    ) -> "Flag":
        return cls(VERSION_BITS[version] << 2 | int(split) << 1 | int(need_answer))


Items = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Packet:
    """One data segment, its fields in the order sent.

    ``header`` holds QN, ST, CN, PW, MN, Flag, PNUM, PNO (and any other field) before
    CP; ``cp`` holds the groups of the CP area. ``notes`` records what a tolerant read
    accepted (a MODBUS CRC, a missing trailer); it is not part of the frame.
    """

    header: Items
    cp: tuple[Items, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def make(
        cls,
        *,
        qn: str | None = None,
        st: str,
        cn: str,
        pw: str,
        mn: str,
        flag: Flag | int | None = None,
        pnum: int | None = None,
        pno: int | None = None,
        cp: list[dict[str, str]] | tuple[Items, ...] = (),
    ) -> "Packet":
        header = []
        if qn is not None:
            header.append(("QN", qn))
        header += [("ST", st), ("CN", cn), ("PW", pw), ("MN", mn)]
        if flag is not None:
            header.append(("Flag", str(flag.value if isinstance(flag, Flag) else flag)))
        if pnum is not None:
            header += [("PNUM", str(pnum)), ("PNO", str(pno))]
        groups = tuple(
            tuple(group.items()) if isinstance(group, dict) else tuple(group) for group in cp
        )
        return cls(tuple(header), groups)

    def _get(self, name: str) -> str | None:
        for key, value in self.header:
            if key == name:
                return value
        return None

    @property
    def qn(self) -> str | None:
        return self._get("QN")

    @property
    def st(self) -> str | None:
        return self._get("ST")

    @property
    def cn(self) -> str | None:
        return self._get("CN")

    @property
    def pw(self) -> str | None:
        return self._get("PW")

    @property
    def mn(self) -> str | None:
        return self._get("MN")

    @cached_property
    def flag(self) -> Flag | None:
        value = self._get("Flag")
        return Flag(int(value)) if value is not None else None

    @property
    def pnum(self) -> int | None:
        value = self._get("PNUM")
        return int(value) if value is not None else None

    @property
    def pno(self) -> int | None:
        value = self._get("PNO")
        return int(value) if value is not None else None

    @property
    def version(self) -> str:
        """ "2017", "2005", "2025" or "unknown"; a frame without Flag is 2005."""
        flag = self.flag
        return flag.version if flag is not None else "2005"

    # The views below are computed once per packet (a server reads them several times
    # per upload); a packet is immutable, so they cannot go stale. Do not mutate.
    @cached_property
    def segment(self) -> str:
        """The data segment's text: as received for a parsed packet (which is what
        ``segment_text`` rebuilds from its fields), built for a made one."""
        return segment_text(self)

    @cached_property
    def fields(self) -> dict[str, str]:
        """The CP items as one mapping, e.g. {"DataTime": …, "w01018-Rtd": "40.1"}."""
        return {key: value for group in self.cp for key, value in group}

    @property
    def data_time(self) -> str | None:
        return self.fields.get("DataTime")

    def data_datetime(self) -> datetime | None:
        """DataTime as a naive local datetime (see ``data_datetime``)."""
        return data_datetime(self.data_time)

    @cached_property
    def pollutants(self) -> dict[str, dict[str, str]]:
        """{"w01018": {"Rtd": "40.1", "Flag": "N"}, …} from the ``code-Field`` items."""
        found: dict[str, dict[str, str]] = {}
        for key, value in self.fields.items():
            code, dash, suffix = key.partition("-")
            if dash:
                entry = found.get(code)
                if entry is None:
                    found[code] = {suffix: value}
                else:
                    entry[suffix] = value
        return found

    def decimal(self, code: str, suffix: str) -> Decimal | None:
        """One value as a Decimal, exactly as sent (None when absent or not a number)."""
        text = self.fields.get(f"{code}-{suffix}")
        if text is None:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            return None
        return value if value.is_finite() else None


def data_datetime(text: str | None) -> datetime | None:
    """A DataTime as a naive local datetime (14 digits; 2005 senders add 3 ms digits);
    None when absent or not a time."""
    if text is None:
        return None
    try:
        moment = datetime.strptime(text[:14], "%Y%m%d%H%M%S")
        return moment.replace(microsecond=int(text[14:17]) * 1000) if len(text) == 17 else moment
    except ValueError:  # not a time, or milliseconds that are not digits
        return None


# --- parse / build -------------------------------------------------------------------

_LENGTH = re.compile(rb"\d{4}")
_CRC = re.compile(rb"[0-9A-Fa-f]{4}")
# Table 3 field names and §6.3.3 CP items, checked in one pass each before splitting.
_HEAD = re.compile(r"(?:[A-Za-z][A-Za-z0-9]*=[^;]*;)*")
_CP_ITEM = r"[A-Za-z0-9][A-Za-z0-9_.\-]*=[^;,]*"
_CP_BODY = re.compile(rf"(?:{_CP_ITEM}(?:[;,]{_CP_ITEM})*)?")
_NUMERIC = ("Flag", "PNUM", "PNO")


def parse_segment(segment: str) -> Packet:
    """Read a data segment (the text between the length and the CRC)."""
    start = segment.find("CP=&&")
    if start == -1 or not segment.endswith("&&") or len(segment) < start + 7:
        raise FieldSyntaxError("the data segment does not end with CP=&&…&&")
    head, body = segment[:start], segment[start + 5 : -2]
    if not _HEAD.fullmatch(head):
        raise FieldSyntaxError(f"the fields before CP are not key=value; pairs: {head[:60]!r}")
    if not _CP_BODY.fullmatch(body):
        raise FieldSyntaxError(f"the CP area is not key=value items: {body[:60]!r}")
    header = tuple(tuple(item.split("=", 1)) for item in head[:-1].split(";")) if head else ()
    known = dict(header)
    if len(known) != len(header):
        raise FieldSyntaxError("a field appears twice in the data segment")
    for name in _NUMERIC:
        value = known.get(name)
        if value is not None and not (value.isascii() and value.isdigit() and len(value) <= 4):
            raise FieldSyntaxError(f"{name}={value[:10]!r} is not a number")
    if int(known.get("Flag", 0)) > 255:
        raise FieldSyntaxError("Flag is above 255")
    groups = (
        tuple(
            tuple(tuple(item.split("=", 1)) for item in group.split(","))
            for group in body.split(";")
        )
        if body
        else ()
    )
    packet = Packet(header, groups)
    packet.__dict__["segment"] = segment  # the cached view, known already
    return packet


def parse(frame: bytes, *, max_size: int = MAX_FRAME, crc: str = "strict") -> Packet:
    """Read one whole frame.

    ``crc="tolerant"`` accepts the MODBUS CRC (plain or byte-swapped) that many field
    loggers send, and says so in ``packet.notes``; strict by default.
    """
    return _parse(frame, max_size=max_size, crc=crc, trailer=True)


def _parse(frame: bytes, *, max_size: int, crc: str, trailer: bool) -> Packet:
    if len(frame) > max_size:
        raise FrameTooLarge(len(frame), max_size)
    if not frame.startswith(HEADER):
        raise FramingError("a frame starts with ##")
    notes = []
    if frame.endswith(TRAILER):
        body = frame[2:-2]
    elif trailer:
        raise FramingError("a frame ends with CR LF")
    else:
        body = frame[2:]
        notes.append("no CR LF after the CRC")
    if len(body) < 8 or not _LENGTH.fullmatch(body[:4]):
        raise FramingError("## is not followed by a 4-digit length")
    declared = int(body[:4])
    segment, received = body[4:-4], body[-4:]
    if not _CRC.fullmatch(received):
        raise FramingError(f"{received[:4]!r} is not a 4-digit hexadecimal CRC")
    if declared != len(segment):
        raise LengthMismatch(declared, len(segment))
    received_text = received.decode("ascii").upper()  # lower-case hex is seen in the wild
    expected = crc16(segment)
    if received_text != f"{expected:04X}":
        variant = _crc_variant(segment, received_text)
        if crc != "tolerant" or variant is None:
            raise CrcMismatch(received_text, expected, variant)
        notes.append(f"{variant} CRC accepted")
    try:
        text = segment.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FieldSyntaxError(f"the data segment is not UTF-8 (byte {error.start})") from None
    packet = parse_segment(text)
    return Packet(packet.header, packet.cp, tuple(notes)) if notes else packet


def segment_text(packet: Packet) -> str:
    head = "".join(f"{key}={value};" for key, value in packet.header)
    cp = ";".join(",".join(f"{key}={value}" for key, value in group) for group in packet.cp)
    return f"{head}CP=&&{cp}&&"


def build(packet: Packet) -> bytes:
    """The frame of a packet: length in bytes of the UTF-8 data segment, CRC upper-case."""
    segment = segment_text(packet).encode("utf-8")
    if len(segment) > 9999:
        raise FrameTooLarge(len(segment) + 12, 9999 + 12)
    return b"##%04d%s%04X\r\n" % (len(segment), segment, crc16(segment))


# --- answers (§6.5, Appendix C) --------------------------------------------------------


def _answer(request: Packet, cn: str, cp: tuple[Items, ...]) -> Packet:
    # Appendix C answers: ST=91 (system interaction), the request's QN echoed, Flag with
    # the request's version and neither answer nor split bit (Flag=4 for 2017).
    flag = request.flag
    header = []
    if request.qn is not None:
        header.append(("QN", request.qn))
    header += [("ST", "91"), ("CN", cn), ("PW", request.pw or ""), ("MN", request.mn or "")]
    if flag is not None:
        header.append(("Flag", str(flag.version_bits << 2)))
    return Packet(tuple(header), cp)


def answer_request(request: Packet, qn_rtn: int = 1) -> Packet:
    """9011 请求应答, QnRtn per Table 7 (1 准备执行请求, 2 请求被拒绝, 3 PW 错误 …)."""
    return _answer(request, "9011", ((("QnRtn", str(qn_rtn)),),))


def answer_execution(request: Packet, exe_rtn: int = 1) -> Packet:
    """9012 执行结果, ExeRtn per Table 6 (1 执行成功, 2 执行失败 …, 100 没有数据)."""
    return _answer(request, "9012", ((("ExeRtn", str(exe_rtn)),),))


def answer_data(upload: Packet) -> Packet:
    """9014 数据应答 to an upload whose Flag asked for an answer: empty CP."""
    return _answer(upload, "9014", ())


# --- stream --------------------------------------------------------------------------


class StreamDecoder:
    """Frames from a TCP byte stream, however the stream is cut into chunks.

    ``feed`` returns packets and errors (HJ212Error instances, not raised) in stream
    order. Bytes before a ``##`` are reported as one FramingError per run of garbage.
    A frame ends at CR LF; a frame whose CR LF is missing ends where the next ``##``
    begins and is read if its length and CRC hold. Nothing waits in the buffer longer
    than ``max_size`` bytes: a longer would-be frame is reported as FrameTooLarge and
    skipped up to the next ``##``. The result does not depend on how the bytes were
    split into chunks.
    """

    def __init__(self, *, max_size: int = MAX_FRAME, crc: str = "strict"):
        self.max_size = max_size
        self.crc = crc
        self._buffer = bytearray()
        self._garbage = 0
        self._skipping = False  # inside an oversized frame: its bytes are not garbage

    def feed(self, chunk: bytes) -> list[Packet | HJ212Error]:
        self._buffer += chunk
        out: list[Packet | HJ212Error] = []
        buffer = self._buffer
        while buffer:
            start = buffer.find(HEADER)
            if start == -1:
                keep = 1 if buffer.endswith(b"#") else 0
                self._discard(len(buffer) - keep)
                break
            if start:
                self._discard(start)
            if len(buffer) < 6:
                break
            if not buffer[2:6].isdigit():
                # "###0101…" or "##" inside garbage: the real header may start one byte on.
                self._discard(1)
                continue
            self._skipping = False
            self._report_garbage(out)
            end, next_start = self._frame_end()
            if end is None:
                if len(buffer) >= self.max_size:
                    out.append(FrameTooLarge(self.max_size, self.max_size))
                    del buffer[:2]
                    self._skipping = True
                    continue
                break
            frame = bytes(buffer[:end])
            del buffer[: next_start if next_start is not None else end]
            out.append(self._read(frame, trailer=next_start is None))
        return out

    def flush(self) -> list[Packet | HJ212Error]:
        """At the end of the stream: what is left is a frame without its CR LF, or garbage."""
        out: list[Packet | HJ212Error] = []
        if self._buffer.startswith(HEADER):
            self._report_garbage(out)
            out.append(self._read(bytes(self._buffer), trailer=False))
        elif self._buffer and not self._skipping:
            self._garbage += len(self._buffer)
        self._buffer.clear()
        self._skipping = False
        self._report_garbage(out)
        return out

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    def _frame_end(self) -> tuple[int | None, int | None]:
        """(end of the frame, start of the next one when the trailer is missing)."""
        limit = self.max_size
        trailer = self._buffer.find(TRAILER, 2, limit)
        following = self._buffer.find(HEADER, 2, limit)
        if trailer != -1 and (following == -1 or trailer < following):
            return trailer + 2, None
        if following != -1:
            return following, following
        return None, None

    def _read(self, frame: bytes, *, trailer: bool) -> Packet | HJ212Error:
        try:
            return _parse(frame, max_size=self.max_size, crc=self.crc, trailer=trailer)
        except HJ212Error as error:
            return error

    def _discard(self, count: int) -> None:
        if not self._skipping:
            self._garbage += count
        del self._buffer[:count]

    def _report_garbage(self, out: list) -> None:
        if self._garbage:
            out.append(FramingError(f"{self._garbage} bytes outside any frame skipped"))
            self._garbage = 0
