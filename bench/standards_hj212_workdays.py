"""Benchmarks of the HJ 212 codec and the working-day calendar.

    .venv/bin/python bench/standards_hj212_workdays.py

Targets from issue 3: parse of a typical 2051 minute frame with 8 pollutants
≥ 30,000 frames/s on one core; StreamDecoder ≥ 20 MB/s; add_workdays(…, 20)
≥ 100,000 calls/s. Baselines run in the same process so that ratios compare across
machines.
"""

import datetime
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import machine, median_time, write_section  # noqa: E402

from ecogov.standards import hj212, workdays  # noqa: E402

CODES = ["w00000", "w01001", "w01009", "w01010", "w01018", "w21001", "w21003", "w21011"]


def minute_frame() -> bytes:
    groups = [
        {
            f"{code}-Cou": "10.5",
            f"{code}-Min": "16.4",
            f"{code}-Avg": "17.5",
            f"{code}-Max": "20.1",
            f"{code}-Flag": "N",
        }
        for code in CODES
    ]
    packet = hj212.Packet.make(
        qn="20160801085000001", st="32", cn="2051", pw="123456", mn="010000A8900016F000169DC0",
        flag=5, cp=[{"DataTime": "20160801084000"}, *groups],
    )  # fmt: skip
    return hj212.build(packet)


def main() -> None:
    frame = minute_frame()
    segment = frame[6:-6]
    parse = median_time(lambda: hj212.parse(frame), number=3000)
    crc = median_time(lambda: hj212.crc16(segment), number=3000)
    split = median_time(lambda: frame.decode().split(";"), number=30000)

    stream = frame * 2000
    chunks = [stream[i : i + 4096] for i in range(0, len(stream), 4096)]

    def decode_all():
        decoder = hj212.StreamDecoder()
        for chunk in chunks:
            decoder.feed(chunk)

    decode = median_time(decode_all, number=1, repeat=5)
    frames = [frame] * 2000
    one_by_one = median_time(lambda: [hj212.parse(f) for f in frames], number=1, repeat=5)

    start = datetime.date(2026, 3, 2)
    workdays.add_workdays(start, 20)  # load the year before timing
    add = median_time(lambda: workdays.add_workdays(start, 20), number=30000)
    plain = median_time(lambda: datetime.date.fromordinal(start.toordinal() + 28), number=30000)

    megabytes = len(stream) / 1e6
    rows = [
        (f"hj212.parse, 2051 frame with 8 pollutants ({len(frame)} bytes)", f"{1 / parse:,.0f} frames/s",
         "decode + split on ';'", split, parse),
        ("hj212.crc16 of that data segment", f"{1 / crc:,.0f} /s", "decode + split on ';'", split, crc),
        (f"StreamDecoder, {megabytes:.1f} MB in 4 KiB chunks", f"{megabytes / decode:.1f} MB/s",
         "parse() of the same frames, already cut", one_by_one, decode),
        ("workdays.add_workdays(date, 20)", f"{1 / add:,.0f} calls/s",
         "date.fromordinal(ordinal + 28)", plain, add),
    ]  # fmt: skip
    lines = [
        "Reproduce with `.venv/bin/python bench/standards_hj212_workdays.py`.",
        f"Machine: {machine()}. One core; medians of 7 runs (5 for the stream).",
        "",
        "| what | throughput | baseline | ratio to baseline |",
        "|---|---|---|---|",
    ]
    for name, throughput, base_name, base, value in rows:
        lines.append(f"| {name} | {throughput} | {base_name} | {value / base:.1f}× |")
    sys.stdout.write(
        write_section("Standards (issue 3): HJ 212 codec and working days", "\n".join(lines))
    )


if __name__ == "__main__":
    main()
