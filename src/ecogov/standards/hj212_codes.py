"""The code tables of HJ 212-2017 as data: a new code is a line here, not new logic.

Sources: the standard's Table 5 (ST), Table 6 (ExeRtn), Table 7 (QnRtn), Table 8
(data flags), Table 9 (CN) and Appendix B (pollutant codes, Tables B.1 water, B.2 air,
B.3 noise), as transcribed in shared/reference/standards.md §1. The pollutant rows
are the ones transcribed there, not yet the whole annex: codes missing here are still
parsed and stored; they only lack a name and unit until a row is added.
"""

from dataclasses import dataclass

# Table 5 系统编码 (ST)
SYSTEMS = {
    "21": "地表水质量监测", "22": "空气质量监测", "23": "声环境质量监测", "24": "地下水质量监测",
    "25": "土壤质量监测", "26": "海水质量监测", "27": "挥发性有机物监测", "31": "大气环境污染源",
    "32": "地表水体环境污染源", "33": "地下水体环境污染源", "34": "海洋环境污染源",
    "35": "土壤环境污染源", "36": "声环境污染源", "37": "振动环境污染源", "38": "放射性环境污染源",
    "39": "工地扬尘污染源", "41": "电磁环境污染源", "51": "烟气排放过程监控", "52": "污水排放过程监控",
    "91": "系统交互",
}  # fmt: skip

# Table 9 命令编码 (CN)
COMMANDS = {
    "1000": "设置超时时间及重发次数", "1011": "提取/上传现场机时间", "1012": "设置现场机时间",
    "1013": "现场机时间校准请求", "1061": "提取/上传实时数据间隔", "1062": "设置实时数据间隔",
    "1063": "提取/上传分钟数据间隔", "1064": "设置分钟数据间隔", "1072": "设置现场机密码",
    "2011": "污染物实时数据", "2012": "停止察看污染物实时数据", "2021": "设备运行状态数据",
    "2022": "停止察看设备运行状态", "2031": "污染物日历史数据", "2041": "设备运行时间日历史数据",
    "2051": "污染物分钟数据", "2061": "污染物小时数据", "2081": "上传数采仪开机时间",
    "3011": "零点校准量程校准", "3012": "即时采样", "3013": "启动清洗/反吹", "3014": "比对采样",
    "3015": "超标留样", "3016": "设置采样时间周期", "3017": "提取/上传采样时间周期",
    "3018": "提取/上传出样时间", "3019": "提取/上传设备唯一标识", "3020": "提取/上传现场机信息",
    "3021": "设置现场机参数", "9011": "请求应答", "9012": "执行结果", "9013": "通知应答",
    "9014": "数据应答",
}  # fmt: skip

# Commands that upload data whose DataTime is the start of the period (Table 4 note).
PERIOD_COMMANDS = {"2031": "day", "2041": "day", "2051": "minute", "2061": "hour"}

# Table 7 请求命令返回 (QnRtn) and Table 6 执行结果 (ExeRtn)
QN_RETURNS = {
    1: "准备执行请求", 2: "请求被拒绝", 3: "PW错误", 4: "MN错误", 5: "ST错误", 6: "Flag错误",
    7: "QN错误", 8: "CN错误", 9: "CRC校验错误", 100: "未知错误",
}  # fmt: skip
EXECUTION_RESULTS = {
    1: "执行成功", 2: "执行失败，但不知道原因", 3: "命令请求条件错误", 4: "通讯超时",
    5: "系统繁忙不能执行", 6: "系统故障", 100: "没有数据",
}  # fmt: skip

# Table 8 数据标记. Only N (instrument working normally) marks a value valid for statistics.
DATA_FLAGS = {
    "N": "在线监控（监测）仪器仪表工作正常", "F": "停运", "M": "处于维护期间产生的数据",
    "S": "手工输入的设定值", "D": "故障", "C": "处于校准状态", "T": "采样数值超过测量上限",
    "B": "与数采仪通讯异常",
}  # fmt: skip
VALID_FLAGS = frozenset({"N"})


@dataclass(frozen=True)
class Pollutant:
    code: str
    name: str
    unit: str  # concentration unit as printed in the standard
    old_code: str | None  # 原编码 of HJ/T 212-2005
    medium: str  # water, air, noise


# (code, name, unit, old code). Appendix B, Table B.1 (water), selection.
_WATER = (
    ("w00000", "污水", "L/s", "B01"), ("w01001", "pH值", "无量纲", "001"),
    ("w01009", "溶解氧", "mg/L", None), ("w01010", "水温", "℃", None),
    ("w01012", "悬浮物", "mg/L", "003"), ("w01014", "电导率", "μS/cm", None),
    ("w01017", "五日生化需氧量", "mg/L", "010"), ("w01018", "化学需氧量", "mg/L", "011"),
    ("w01019", "高锰酸盐指数", "mg/L", None), ("w01020", "总有机碳", "mg/L", "015"),
    ("w02003", "粪大肠菌群", "个/L", "550"), ("w19002", "阴离子表面活性剂", "mg/L", "520"),
    ("w20111", "总汞", "μg/L", "020"), ("w20115", "总镉", "μg/L", "022"),
    ("w20116", "总铬", "mg/L", "023"), ("w20117", "六价铬", "μg/L", "024"),
    ("w20119", "总砷", "μg/L", "026"), ("w20120", "总铅", "μg/L", "027"),
    ("w20122", "总铜", "mg/L", "029"), ("w20123", "总锌", "mg/L", "030"),
    ("w20128", "总硒", "μg/L", "035"), ("w20138", "铜", "mg/L", None),
    ("w20139", "锌", "mg/L", None), ("w20140", "硒", "mg/L", None),
    ("w20141", "砷", "mg/L", None), ("w20142", "汞", "μg/L", None),
    ("w20143", "镉", "μg/L", None), ("w20144", "铅", "mg/L", None),
    ("w21001", "总氮", "mg/L", "065"), ("w21003", "氨氮", "mg/L", "060"),
    ("w21011", "总磷", "mg/L", "101"), ("w21016", "氰化物", "mg/L", "070"),
    ("w21017", "氟化物", "mg/L", "072"), ("w21019", "硫化物", "mg/L", "071"),
    ("w22001", "石油类", "mg/L", "080"), ("w23002", "挥发酚", "mg/L", "110"),
)  # fmt: skip

# Table B.2 (air), selection. The standard prints ng/m³ for the particulate rows; field
# data and GB 3095 use μg/m³, so μg/m³ is recorded here (reference note §1.10).
# a05024 (O3) comes from HJ 524-2009, not from Table B.2: UNVERIFIED, used in practice.
_AIR = (
    ("a00000", "废气", "m³/s", "B02"), ("a01001", "温度", "℃", None), ("a01002", "湿度", "%", None),
    ("a01006", "气压", "kPa", None), ("a01007", "风速", "m/s", None), ("a01008", "风向", "°", None),
    ("a01011", "烟气流速", "m/s", "S02"), ("a01012", "烟气温度", "℃", "S03"),
    ("a01013", "烟气压力", "kPa", "S08"), ("a01014", "烟气湿度", "%", "S05"),
    ("a19001", "氧气含量", "%", "S01"), ("a21002", "氮氧化物", "mg/m³", "03"),
    ("a21003", "一氧化氮", "mg/m³", None), ("a21004", "二氧化氮", "mg/m³", None),
    ("a21005", "一氧化碳", "mg/m³", "04"), ("a21024", "氯化氢", "mg/m³", "08"),
    ("a21026", "二氧化硫", "mg/m³", "02"), ("a21028", "硫化氢", "mg/m³", "05"),
    ("a24088", "非甲烷总烃", "mg/m³", None), ("a34001", "总悬浮颗粒物", "μg/m³", None),
    ("a34002", "可吸入颗粒物PM10", "μg/m³", None), ("a34004", "细微颗粒物PM2.5", "μg/m³", None),
    ("a34005", "亚微米颗粒物PM1.0", "μg/m³", None), ("a34013", "烟尘", "mg/m³", "01"),
    ("a01901", "垃圾焚烧炉膛平均温度", "℃", None), ("a01902", "垃圾焚烧炉膛DCS温度", "℃", None),
    ("a05024", "臭氧", "μg/m³", None),
)  # fmt: skip

# Table B.3 (noise), all in dB.
_NOISE = tuple(
    (code, name, "dB", None)
    for code, name in (
        ("LA", "A声级"), ("L5", "累积百分声级L5"), ("L10", "累积百分声级L10"),
        ("L50", "累积百分声级L50"), ("L90", "累积百分声级L90"), ("L95", "累积百分声级L95"),
        ("Leq", "等效声级"), ("Ldn", "昼夜等效声级"), ("Ld", "昼间等效声级"),
        ("Ln", "夜间等效声级"), ("LMx", "最大声级"), ("LMn", "最小声级"),
    )
)  # fmt: skip

POLLUTANTS: dict[str, Pollutant] = {
    row[0]: Pollutant(*row, medium=medium)
    for medium, rows in (("water", _WATER), ("air", _AIR), ("noise", _NOISE))
    for row in rows
}

# HJ/T 212-2005 codes of the same factors, for reading old frames. Water and air old
# codes overlap ("01" vs "001"), so each medium has its own map.
OLD_CODES: dict[str, dict[str, str]] = {}
for _pollutant in POLLUTANTS.values():
    if _pollutant.old_code:
        OLD_CODES.setdefault(_pollutant.medium, {})[_pollutant.old_code] = _pollutant.code


def pollutant(code: str) -> Pollutant | None:
    return POLLUTANTS.get(code)


# Appendix B codes: water factors are "w" and five digits (Table B.1), air factors "a"
# and five digits (Table B.2); the noise factors of Table B.3 are all in POLLUTANTS.
_MEDIUM_PREFIXES = {"w": "water", "a": "air"}


def medium(code: str) -> str:
    """The medium of a pollutant code ("water", "air", "noise"), also for the codes of
    Appendix B not transcribed here; "" for a code of no medium (a private code)."""
    known = POLLUTANTS.get(code)
    if known is not None:
        return known.medium
    if len(code) == 6 and code[1:].isdigit():
        return _MEDIUM_PREFIXES.get(code[0], "")
    return ""
