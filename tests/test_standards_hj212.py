"""HJ 212-2017 codec: the standard's own examples, its tables, and fuzzing.

Vectors come from shared/reference/standards.md §1.14: the worked example of the
standard (App. A / §6.3), three published packets, and Appendix C segments framed with
the App. A CRC.
"""

import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecogov.standards import hj212_codes
from ecogov.standards.hj212 import (
    CrcMismatch,
    FieldSyntaxError,
    Flag,
    FrameTooLarge,
    FramingError,
    HJ212Error,
    LengthMismatch,
    Packet,
    StreamDecoder,
    answer_data,
    answer_execution,
    answer_request,
    build,
    crc16,
    crc16_modbus,
    data_datetime,
    parse,
    segment_text,
)
from ecogov.standards.hj212_codes import COMMANDS, OLD_CODES, POLLUTANTS, SYSTEMS

MN = "010000A8900016F000169DC0"
# HJ 212-2017 §6.3 example; the prose beside it prints "1C08", a typo for 1C80.
STANDARD_EXAMPLE = (
    b"##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;"
    b"Flag=5;CP=&&RtdInterval=30&&1C80\r\n"
)
PUBLISHED = [
    STANDARD_EXAMPLE,
    b"##0094QN=20231008125115215;ST=22;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
    b"CP=&&QnRtn=1&&CC01\r\n",
    b"##0285QN=20190925181031464;ST=22;CN=2061;PW=BF470F88957588DE902D1A52;MN=Z13401000010301;"
    b"Flag=5;CP=&&DataTime=20190924220000;a34006-Avg=2.69700,a34006-Flag=N;a34007-Avg=7.96600,"
    b"a34007-Flag=N;a34048-Avg=3.30600,a34048-Flag=N;a34047-Avg=7.35700,a34047-Flag=N;"
    b"a34049-Avg=10.66300,a34049-Flag=N&&C181\r\n",
]
APPENDIX_C = [
    "##0107QN=20160801085857223;ST=32;CN=1000;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&OverTime=5;ReCount=3&&CAC1",
    "##0094QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&QnRtn=1&&1B00",
    "##0095QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&ExeRtn=1&&6240",
    "##0087QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&3240",
    "##0087QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&30C0",
    "##0325QN=20160801085000001;ST=32;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801084000;w00000-Cou=10.5,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;w01018-Cou=10.5,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&6180",
    "##0325QN=20160801090000001;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&B7C1",
    "##0329QN=20160802000000001;ST=32;CN=2031;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801000000;w00000-Cou=1512.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;w01018-Cou=2142.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&F781",
    "##0260QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=6;PNUM=2;PNO=1;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N&&DC41",
    "##0201QN=20160801085857535;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=6;PNUM=2;PNO=2;CP=&&DataTime=20160801080000;w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&DEC1",
    # 144 characters, 152 UTF-8 bytes: the length counts bytes, the CRC runs over bytes.
    "##0152QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&DataTime=20160801062035;PolId=w01018;i11001-Info=//清洗管路//&&1980",
]
FRAMES = PUBLISHED + [(text + "\r\n").encode("utf-8") for text in APPENDIX_C]
# HJ/T 212-2005 traffic: no QN, no Flag, old codes, 17-digit DataTime.
FRAME_2005 = (
    b"##0139ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&DataTime=20160824003817000;"
    b"B01-Rtd=36.91;011-Rtd=231.0,011-Flag=N;060-Rtd=1.803,060-Flag=N&&4980\r\n"
)


# --- CRC (Appendix A) ---


def test_crc_check_value_is_not_modbus():
    assert crc16(b"123456789") == 0x2F80
    assert crc16_modbus(b"123456789") == 0x4B37
    assert crc16(b"") == 0xFFFF


def test_crc_of_the_standard_example_is_1C80():
    segment = STANDARD_EXAMPLE[6:-6]
    assert len(segment) == 101
    assert crc16(segment) == 0x1C80


def test_crc_over_utf8_bytes_of_chinese_text():
    segment = APPENDIX_C[-1][6:-4].encode("utf-8")
    assert (len(segment), len(segment.decode())) == (152, 144)
    assert crc16(segment) == 0x1980


@given(st.binary(min_size=1, max_size=300))
@settings(max_examples=300, deadline=None)
def test_crc_matches_the_bitwise_algorithm_of_appendix_a(data):
    reg = 0xFFFF
    for byte in data:  # the standard's C example, transcribed
        reg = (reg >> 8) ^ byte
        for _ in range(8):
            check = reg & 1
            reg >>= 1
            if check:
                reg ^= 0xA001
    assert crc16(data) == reg
    assert reg & 0xFF in (0x00, 0x01, 0x40, 0x41, 0x80, 0x81, 0xC0, 0xC1)


# --- parse / build ---


@pytest.mark.parametrize("frame", FRAMES)
def test_every_reference_frame_parses_and_builds_back_identically(frame):
    packet = parse(frame)
    assert build(packet) == frame
    assert parse(build(packet)) == packet


@pytest.mark.parametrize("frame", FRAMES)
def test_a_parsed_packet_keeps_its_segment_as_received(frame):
    packet = parse(frame)
    assert packet.segment.encode() == frame[6:-6]
    assert packet.segment == segment_text(packet)  # what a made packet's segment is built as
    made = Packet(packet.header, packet.cp)
    assert made.segment == packet.segment and made == packet


@pytest.mark.parametrize(
    "text, expected",
    [("20160801084000", "2016-08-01T08:40:00"), ("20160824003817000", "2016-08-24T00:38:17"),
     ("20160824003817123", "2016-08-24T00:38:17.123000"), ("20161301000000", None),
     ("20160824003817abc", None), ("2016", None), ("", None), (None, None)],
)  # fmt: skip
def test_data_times_are_read_or_refused(text, expected):
    moment = data_datetime(text)
    assert (moment.isoformat() if moment else None) == expected


def test_the_standard_example_fields():
    packet = parse(STANDARD_EXAMPLE)
    assert (packet.qn, packet.st, packet.cn, packet.pw, packet.mn) == (
        "20160801085857223",
        "32",
        "1062",
        "100000",
        MN,
    )
    assert packet.flag == Flag(5)
    assert packet.flag.version == "2017" and packet.flag.need_answer and not packet.flag.split
    assert packet.fields == {"RtdInterval": "30"}
    assert packet.version == "2017"


def test_minute_data_keeps_numbers_exactly_as_sent():
    packet = parse(FRAMES[len(PUBLISHED) + 5])
    assert packet.cn == "2051" and packet.data_time == "20160801084000"
    assert packet.pollutants["w01018"] == {
        "Cou": "10.5",
        "Min": "40.1",
        "Avg": "40.1",
        "Max": "40.1",
        "Flag": "N",
    }
    assert packet.decimal("w00000", "Cou") == Decimal("10.5")
    assert packet.decimal("w01018", "Flag") is None
    trailing = parse(
        build(Packet.make(st="32", cn="2011", pw="1", mn="M", flag=4, cp=[{"w01018-Rtd": "40.10"}]))
    )
    assert trailing.decimal("w01018", "Rtd") == Decimal("40.10")
    assert str(trailing.decimal("w01018", "Rtd")) == "40.10"


def test_split_packets_expose_pnum_and_pno():
    first = parse(FRAMES[len(PUBLISHED) + 8])
    assert (first.flag.split, first.pnum, first.pno) == (True, 2, 1)


def test_a_2005_frame_is_read_and_says_so():
    packet = parse(FRAME_2005)
    assert packet.version == "2005" and packet.qn is None and packet.flag is None
    assert packet.pollutants["011"] == {"Rtd": "231.0", "Flag": "N"}
    assert OLD_CODES["water"]["011"] == "w01018"
    assert packet.data_datetime().isoformat() == "2016-08-24T00:38:17"
    assert build(packet) == FRAME_2005


# Table 3: Flag = V5..V0 D A; 2017 is version 000001; 2025 as one public implementation has it.
@pytest.mark.parametrize(
    "value, version, split, need_answer",
    [(0, "2005", False, False), (1, "2005", False, True), (3, "2005", True, True),
     (4, "2017", False, False), (5, "2017", False, True), (6, "2017", True, False),
     (7, "2017", True, True), (8, "2025", False, False), (9, "2025", False, True),
     (252, "unknown", False, False)],
)  # fmt: skip
def test_flag_bits(value, version, split, need_answer):
    flag = Flag(value)
    assert (flag.version, flag.split, flag.need_answer) == (version, split, need_answer)
    if version != "unknown":
        assert Flag.make(version=version, split=split, need_answer=need_answer) == flag


def test_lower_case_crc_is_accepted():
    frame = STANDARD_EXAMPLE.replace(b"1C80", b"1c80")
    assert parse(frame).cn == "1062"


# --- answers (§6.5, Appendix C) ---


def request(cn="2011", flag=5):
    return Packet.make(qn="20160801085857223", st="32", cn=cn, pw="123456", mn=MN, flag=flag, cp=())


@pytest.mark.parametrize(
    "answer, expected",
    [
        (lambda: answer_request(request(cn="1000")), APPENDIX_C[1]),
        (lambda: answer_execution(request(cn="1000")), APPENDIX_C[2]),
        (lambda: answer_data(request()), APPENDIX_C[3]),
    ],
)
def test_answers_echo_the_qn_as_appendix_c_shows(answer, expected):
    assert build(answer()) == (expected + "\r\n").encode()


def test_an_answer_to_a_2005_upload_keeps_its_version():
    answer = answer_data(parse(FRAME_2005))
    assert answer.flag is None and answer.qn is None and answer.cn == "9014"


# --- errors ---


@pytest.mark.parametrize(
    "frame, error",
    [
        (b"", FramingError),
        (b"0101QN=1;CP=&&&&1C80\r\n", FramingError),
        (STANDARD_EXAMPLE[:-2], FramingError),
        (b"##01a1" + STANDARD_EXAMPLE[6:], FramingError),
        (STANDARD_EXAMPLE.replace(b"1C80", b"1C8G"), FramingError),
        (STANDARD_EXAMPLE.replace(b"##0101", b"##0102"), LengthMismatch),
        (STANDARD_EXAMPLE.replace(b"1C80", b"1C08"), CrcMismatch),
        (
            build(Packet.make(st="32", cn="2011", pw="1", mn="M", cp=())).replace(
                b"CP=&&&&", b"CP=&&&X"
            ),
            HJ212Error,
        ),
        (b"##" + b"0" * 20000, FrameTooLarge),
    ],
)
def test_each_fault_has_its_own_error(frame, error):
    with pytest.raises(error):
        parse(frame)


def frame_of(segment: bytes) -> bytes:
    return b"##%04d%s%04X\r\n" % (len(segment), segment, crc16(segment))


@pytest.mark.parametrize(
    "segment",
    [
        b"QN=1;ST=32;CN=2011",  # no CP
        b"QN=1;ST=32;CP=&&DataTime&&",  # CP item without =
        b"QN=1;ST32;CP=&&&&",  # header item without =
        b"QN=1;Flag=X;CP=&&&&",
        b"QN=1;Flag=999;CP=&&&&",
        b"QN=1;QN=2;CP=&&&&",
        b"QN=1;CP=&&a=1;;b=2&&",
        "QN=1;CP=&&汉=1&&".encode(),
        b"QN=\xff;CP=&&&&",
    ],
)
def test_bad_field_syntax_is_refused(segment):
    with pytest.raises(FieldSyntaxError):
        parse(frame_of(segment))


def test_a_modbus_crc_is_refused_strictly_and_flagged_when_tolerated():
    segment = STANDARD_EXAMPLE[6:-6]
    modbus = crc16_modbus(segment)
    for crc in (modbus, (modbus & 0xFF) << 8 | modbus >> 8):
        frame = b"##0101" + segment + b"%04X\r\n" % crc
        with pytest.raises(CrcMismatch) as error:
            parse(frame)
        assert error.value.variant in ("modbus", "modbus-swapped")
        packet = parse(frame, crc="tolerant")
        assert packet.cn == "1062" and "CRC accepted" in packet.notes[0]


def test_the_size_limit_is_configurable():
    with pytest.raises(FrameTooLarge):
        parse(STANDARD_EXAMPLE, max_size=100)
    assert parse(STANDARD_EXAMPLE, max_size=len(STANDARD_EXAMPLE)).cn == "1062"


@given(st.binary(max_size=400))
@settings(max_examples=1500, deadline=None)
def test_no_byte_string_raises_anything_but_hj212_errors(data):
    for frame in (data, b"##" + data, b"##%04d" % len(data) + data + b"%04X\r\n" % crc16(data)):
        try:
            parse(frame)
        except HJ212Error:
            pass


segments = st.builds(
    lambda fields, groups: b"".join(b"%s=%s;" % pair for pair in fields)
    + b"CP=&&" + b";".join(b",".join(b"%s=%s" % pair for pair in group) for group in groups) + b"&&",
    st.lists(st.tuples(st.sampled_from([b"QN", b"ST", b"CN", b"PW", b"MN", b"Flag", b"X"]),
                       st.binary(max_size=6)), max_size=5),
    st.lists(st.lists(st.tuples(st.sampled_from([b"w01018-Rtd", b"DataTime", b"a", b"="]),
                                st.binary(max_size=6)), max_size=3), max_size=3),
)  # fmt: skip


@given(segments)
@settings(max_examples=800, deadline=None)
def test_near_valid_segments_raise_only_hj212_errors(segment):
    try:
        packet = parse(frame_of(segment))
    except HJ212Error:
        return
    assert parse(build(packet)) == packet


# --- tables ---


def test_the_code_tables_hold_the_standard_entries():
    assert SYSTEMS["32"] == "地表水体环境污染源" and SYSTEMS["91"] == "系统交互"
    assert COMMANDS["2051"] == "污染物分钟数据" and COMMANDS["9014"] == "数据应答"
    cod = POLLUTANTS["w01018"]
    assert (cod.name, cod.unit, cod.old_code, cod.medium) == ("化学需氧量", "mg/L", "011", "water")
    assert POLLUTANTS["w20111"].unit == "μg/L"  # the unit trap against GB 3838's mg/L
    assert POLLUTANTS["a21026"].old_code == "02" and POLLUTANTS["Leq"].unit == "dB"
    assert {p.medium for p in POLLUTANTS.values()} == {"water", "air", "noise"}


@pytest.mark.parametrize(
    "code, medium",
    [
        ("w01018", "water"),  # COD, Table B.1
        ("w21003", "water"),  # 氨氮
        ("w21011", "water"),  # 总磷
        ("w01001", "water"),  # pH
        ("w99999", "water"),  # a Table B.1 code not transcribed here
        ("a21026", "air"),  # SO2, Table B.2
        ("a21002", "air"),  # NOx
        ("a34013", "air"),  # 烟尘
        ("a24088", "air"),  # 非甲烷总烃 (VOCs)
        ("Leq", "noise"),  # Table B.3
        ("x12345", ""),
        ("", ""),
    ],
)
def test_a_pollutant_codes_medium_comes_from_appendix_b(code, medium):
    assert hj212_codes.medium(code) == medium


# --- StreamDecoder ---


def describe(results):
    return [(type(r).__name__, r if isinstance(r, Packet) else str(r)) for r in results]


def decode(stream: bytes, cuts: list[int], **options):
    decoder = StreamDecoder(**options)
    results, previous = [], 0
    for cut in [*sorted(cuts), len(stream)]:
        results += decoder.feed(stream[previous:cut])
        previous = cut
        assert decoder.buffered <= decoder.max_size
    return describe(results + decoder.flush())


def test_frames_split_anywhere_and_joined_come_out_whole():
    stream = b"".join(FRAMES)
    expected = [("Packet", parse(frame)) for frame in FRAMES]
    assert decode(stream, []) == expected
    assert decode(stream, list(range(1, len(stream)))) == expected  # one byte at a time


def test_garbage_between_frames_is_reported_and_skipped():
    stream = b"junk" + FRAMES[0] + b"\x00\xff#" + FRAMES[1] + b"###" + FRAMES[2]
    kinds = [kind for kind, _ in decode(stream, [])]
    assert kinds == ["FramingError", "Packet", "FramingError", "Packet", "FramingError", "Packet"]


def test_a_frame_without_its_trailer_is_read_up_to_the_next_header():
    stream = FRAMES[0][:-2] + FRAMES[1] + FRAMES[2][:-2]
    results = decode(stream, [7, 200])
    assert [kind for kind, _ in results] == ["Packet", "Packet", "Packet"]
    assert results[0][1].notes == ("no CR LF after the CRC",)


def test_a_bad_frame_does_not_stop_the_next():
    bad = FRAMES[0].replace(b"1C80", b"0000")
    results = decode(bad + FRAMES[1], [])
    assert [kind for kind, _ in results] == ["CrcMismatch", "Packet"]


def test_an_endless_frame_is_cut_at_the_limit():
    stream = b"##0101" + b"A" * 5000 + FRAMES[1]
    results = decode(stream, [100, 1000, 3000], max_size=1024)
    assert [kind for kind, _ in results] == ["FrameTooLarge", "Packet"]


@given(
    st.lists(
        st.sampled_from(FRAMES + [b"garbage", b"#", b"##", b"##12", FRAMES[0][:-2], b"\r\n"]),
        max_size=8,
    ),
    st.data(),
)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_result_does_not_depend_on_how_the_stream_is_cut(pieces, data):
    stream = b"".join(pieces)
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=12))
    assert decode(stream, cuts, max_size=2048) == decode(stream, [], max_size=2048)


def test_a_random_soak_keeps_every_valid_frame_in_order():
    rng = random.Random(212)
    no_hash = [b for b in range(256) if b != ord("#")]
    pieces = [
        rng.choice(FRAMES)
        if rng.random() < 0.8
        else bytes(rng.choice(no_hash) for _ in range(rng.randrange(1, 40)))
        for _ in range(300)
    ]
    stream = b"".join(pieces)
    cuts = rng.sample(range(len(stream)), 500)
    packets = [item for kind, item in decode(stream, cuts) if kind == "Packet"]
    assert packets == [parse(piece) for piece in pieces if piece in FRAMES]
