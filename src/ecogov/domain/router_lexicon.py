"""The words of complaints and the words of duty lists: what the router translates between.

A citizen says "楼下烧烤摊天天冒烟", a duty list says "负责全区露天烧烤……的监督管理". Each
concept below names a kind of problem (the sub-category of a case), its category, the
words people use for it (triggers) and the words duty lists use for it (duty terms). The
router adds the duty terms of the concepts it recognises to the complaint before
comparing it with every duty clause, so the duty list, not this table, decides the unit.

``fallback`` names the kind of unit that usually handles a problem that no duty list
mentions (noise is absent from Chengzhong's list, for example), as a unit-name fragment
matched against the jurisdiction's units. A concept without duty terms is one the duty
lists are silent on: when it is the main concept of a complaint, its fallback leads.
Trigger words name problems, never places (河边, 村里): a place says nothing about whose
duty a problem is.

A complaint often names both an activity or a place (工地, 饭店) and what it suffers
from (噪音, 扬尘, 油烟); the activity is shared between categories (a building site
makes dust and noise), the nuisance is not. ``NUISANCES`` lists, per category, the words
that name the nuisance itself: the category they point to wins over one that only the
activity suggests ("晚上工地还在施工，吵得睡不着" is noise, not dust).

Written from the duty-list vocabulary of seed 000 and common complaint wording; it is
data, and an administrator's jurisdiction may need more words.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    subcategory: str
    category: str
    triggers: tuple[str, ...]
    duty_terms: tuple[str, ...]
    fallback: str = ""


CATEGORIES = ("air", "water", "soil", "solid_waste", "noise", "ecology", "radiation", "other")


def _c(subcategory, category, triggers, duty_terms, fallback=""):
    return Concept(subcategory, category, tuple(triggers.split()), tuple(duty_terms.split()),
                   fallback)  # fmt: skip


# fmt: off
CONCEPTS: tuple[Concept, ...] = (
    # air
    _c("露天烧烤", "air", "烧烤 烤串 烤肉 撸串 烤羊肉 炭火", "露天烧烤"),
    _c("焚烧落叶枯草", "air", "烧树叶 烧落叶 烧枯草 烧荒 烧草 焚烧落叶 烧杂草", "焚烧落叶 枯草 树叶"),
    _c("焚烧垃圾", "air", "烧垃圾 焚烧垃圾 垃圾点着 烧塑料 烧轮胎 烧电线 烧纸 烧旧 点着烧", "辖区内垃圾 焚烧 处置 上报"),
    _c("秸秆焚烧", "air", "秸秆 麦秆 烧麦草 烧玉米杆 烧庄稼 秆子 烧地", "秸秆焚烧 辖区内"),
    _c("餐饮油烟", "air", "油烟 排烟 油烟机 抽油烟 炒菜味 饭店 餐馆 饭馆 火锅 小吃店", "餐饮油烟 餐饮服务经营者"),
    _c("施工扬尘", "air", "工地 施工 扬尘 灰尘 尘土 土堆 裸土 没有覆盖 没盖网 拆迁 拆房", "建筑施工工地 扬尘污染防控 10个100%"),
    _c("道路扬尘", "air", "马路上的灰 路面灰 道路扬尘 洒水车 洒水 扫马路 清扫 没人扫 路上全是土 起灰", "道路清扫 冲洗保洁 清扫保洁"),
    _c("机动车尾气", "air", "尾气 冒烟的车 货车 柴油车 大车 公交车冒 车冒黑烟 柴油味", "机动车尾气排放 超标排放机动车辆"),
    _c("渣土车遗撒", "air", "渣土车 拉土车 撒了一路 遗撒 抛洒 掉土 泥头车 没盖篷布 滴漏", "渣土运输车辆 遗撒 全密闭运输 道路沿途泄露"),
    _c("散煤", "air", "散煤 卖煤 煤摊 烧煤 蜂窝煤 煤炭", "占道兜售散煤摊点"),
    _c("锅炉", "air", "锅炉 供暖 烟囱 燃煤炉", "锅炉燃料符合性 大气污染物排放"),
    _c("油品质量", "air", "加油站 油品 油质 柴油质量 加气站 加的油", "加油站 燃油 质量"),
    _c("工业废气", "air", "工厂 厂子 厂里 化工 刺鼻 臭气 废气 异味 厂区 车间 喷漆 作坊 电镀 铸造 印刷厂 熔 沥青 搅拌站 石材厂 散乱污 排污 监测数据 超标 工业园", "大气污染防治 环境污染防治监督管理 环境行政执法 生态环境保护监管执法"),
    _c("非道路移动机械", "air", "挖掘机 挖机 铲车 装载机 叉车冒", "非道路移动机械"),
    # water
    _c("生活污水", "water", "下水道 化粪池 污水井 冒水 雨水管 井盖 冒污水 排水管", "城镇生活污水排放 雨污分流"),
    _c("黑臭水体", "water", "黑臭 臭水沟 水发黑 水沟 发臭 臭水 黑水 又黑又臭 排洪渠", "黑臭水体整治"),
    _c("工业废水", "water", "偷排 暗管 废水 排污口 排到河 往河里排 直排 污水处理厂 血水 黄水", "水环境综合治理 环境污染防治监督管理"),
    _c("河湖管理", "water", "河长 河道管理 河道清淤 河道乱占", "河湖长制"),
    _c("饮用水", "water", "自来水 水龙头 饮用水 喝的水 水质发黄 有异味的水 二次供水 水箱 红虫", "饮用水的卫生安全"),
    _c("餐饮废水", "water", "泔水 倒污水 洗碗水 地沟油", "餐厨废弃物 废水"),
    _c("地下水", "water", "地下水 井水", "地下水污染防治"),
    # solid waste
    _c("垃圾清运", "solid_waste", "垃圾没人 没人清 没人拉 没拉 溢出 满得 满了 垃圾桶 果皮箱 垃圾台 垃圾站 清运 垃圾车", "生活垃圾收集 清运系统"),
    _c("乱倒垃圾", "solid_waste", "乱倒 倾倒 偷倒 乱扔 乱丢 倒垃圾", "违法处置生活垃圾"),
    _c("建筑垃圾", "solid_waste", "建筑垃圾 装修垃圾 渣土 碎砖 废砖", "建筑垃圾"),
    _c("餐厨垃圾", "solid_waste", "餐厨 剩饭 剩菜 厨余", "餐厨垃圾 餐厨废弃物"),
    _c("医疗废物", "solid_waste", "针头 输液 医疗垃圾 诊所 医院 药瓶 棉签 口腔", "医疗废物 医疗卫生机构"),
    _c("危险废物", "solid_waste", "废机油 危废 废电池 油桶 废油 废酸 化工桶 铅酸 电瓶 蓄电池 废渣 废料", "固体废物 安全处置"),
    _c("过期药品", "solid_waste", "过期药 过期的药 失效药", "过期失效药品"),
    _c("垃圾分类", "solid_waste", "垃圾分类 分类投放", "垃圾分类"),
    _c("病死畜禽", "solid_waste", "死猪 死羊 死鸡 死牛 病死 死掉的鸡 死的羊", "病死畜禽无害化处理"),
    _c("农村人居环境", "solid_waste", "脏乱差 人居环境 柴草 沤粪 乱堆乱放 烂菜叶", "农村居民环境整治 村镇人居环境"),
    # soil and farming
    _c("畜禽养殖污染", "soil", "养猪 养鸡 养牛 养羊 养殖场 猪圈 羊圈 鸡粪 牛粪 粪便 粪水", "畜禽养殖禁（限）养区 动物养殖"),
    _c("农药化肥", "soil", "农药 化肥 农膜 地膜 打药", "农业投入品监督管理"),
    _c("污染地块", "soil", "土壤 污染地块 化工厂旧址 地里有油", "污染地块 土壤污染 建设用地"),
    # ecology
    _c("毁林占地", "ecology", "砍树 伐树 毁林 林地 树林 林子 林场 树苗 灌木 推平 铲了 占地 乱挖 挖山 采石 取土 开荒", "林业生态 国土空间规划用途管制"),
    _c("非法采砂", "ecology", "采砂 挖沙 沙场 河道挖", "河湖长制 国土空间"),
    _c("野生动物", "ecology", "野生动物 捕鸟 网鸟 野鸡 套子 猎", "林业生态环境保护"),
    _c("景区环境", "ecology", "景区 景点 游客 公园 旅游", "旅游景区 环境保护措施"),
    # hazards
    _c("危险化学品", "other", "化学品 危化品 泄漏 爆炸 易燃 储罐 液化气 煤气 散装汽油 卖汽油 烟花爆竹 几十箱烟花 液氨 氨气 氯气", "危险化学品 重大危险源 安全生产"),
    _c("公益诉讼", "other", "公益诉讼 提起诉讼 追责修复", "支持起诉 督促起诉 民事行政检察监督"),
    _c("判决执行", "other", "法院已经判了 判了 判决 不执行 强制执行", "强制执行 非诉执行案件"),
    _c("资金使用", "other", "白花了 资金 钱花 几百万 专项资金", "专项资金审计 专项资金的监督"),
    _c("失职违纪", "other", "挪作他用 挪用 贪污 不作为 失职 收了好处 充公", "失职渎职 问责 监督"),
    _c("环境犯罪", "other", "犯罪 判刑 报警", "刑事犯罪 涉生态安全案件"),
    # radiation
    _c("医用辐射", "radiation", "X光 拍片 放射科 CT 射线", "医用辐射设施设备"),
    _c("电磁辐射", "radiation", "辐射 基站 信号塔 高压线 变电站", "环境污染防治监督管理", "生态环境"),
    # noise: not in seed 000; the usual division of competence
    _c("社会生活噪声", "noise", "噪音 噪声 吵 轰鸣 分贝 广场舞 音响 装修声 吵闹 扰民 唱歌 喝酒 楼上 邻居 酒吧 重低音 狗叫", "", "公安"),
    _c("燃放烟花爆竹", "noise", "放鞭炮 放烟花 放礼花 放炮 禁放", "", "公安"),
    _c("机动车噪声", "noise", "炸街 排气管 飙车 轰油门 改装车", "", "交警"),
    _c("建筑施工噪声", "noise", "夜间施工 半夜施工 晚上施工 打桩 电钻 切割声 施工噪 工地 施工", "", "城乡建设"),
    _c("商业噪声", "noise", "店铺音响 商铺喇叭 喇叭 喊 叫卖 甩卖 促销", "", "城市管理"),
)
# fmt: on

# The words that name the nuisance itself, per category (see the module's docstring).
# Only categories whose nuisance is sensed have them; a word here must not also name a
# nuisance of another category (臭 is the smell of dirty water and of a factory alike).
# fmt: off
NUISANCES: dict[str, tuple[str, ...]] = {
    "noise": tuple("噪音 噪声 吵 轰鸣 轰隆 震耳 分贝 睡不着 扰民 施工噪 夜间施工 半夜施工 响声 声音大 太响 刺耳".split()),
    "air": tuple("扬尘 灰尘 尘土 粉尘 起灰 油烟 黑烟 浓烟 冒烟 烟雾 呛 废气 尾气".split()),
    "water": tuple("污水 废水 黑臭 臭水 水发黑 血水 黄水".split()),
}
# fmt: on
