"""The services of the Open311 endpoint: the case categories and the sub-categories the
router knows, with stable codes.

A case's sub-category is the Chinese name of a concept of ``ecogov.domain.router_lexicon``
(露天烧烤, 餐饮油烟 …), stored as text. Open311 clients need codes that stay the same when
the lexicon is reordered or a name is reworded in a translation, so this table gives each
concept an ASCII slug, kept here by hand: the code of a sub-category service is
``<category>.<slug>`` (``air.open_barbecue``), the code of a category's general service the
category's own value (``air``). A test checks that every concept of the lexicon has a
slug and that no slug is used twice, so a new concept cannot go unnoticed. Sub-categories
that only other channels produce (a monitoring alarm's 超标) are no services; their cases
show the category's code.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ecogov.cases.models import Category
from ecogov.domain.router_lexicon import CONCEPTS

# The router's sub-category → (slug, English name). Slugs never change once published.
# fmt: off
SLUGS: dict[str, tuple[str, Promise]] = {
    # air
    "露天烧烤": ("open_barbecue", _("open-air barbecue")),
    "焚烧落叶枯草": ("burning_leaves", _("burning of leaves and grass")),
    "焚烧垃圾": ("burning_waste", _("burning of rubbish")),
    "秸秆焚烧": ("burning_straw", _("burning of crop straw")),
    "餐饮油烟": ("cooking_fumes", _("cooking fumes from restaurants")),
    "施工扬尘": ("construction_dust", _("dust from building sites")),
    "道路扬尘": ("road_dust", _("dust from roads")),
    "机动车尾气": ("vehicle_exhaust", _("vehicle exhaust")),
    "渣土车遗撒": ("spilling_trucks", _("spills from muck trucks")),
    "散煤": ("loose_coal", _("loose coal sold or burnt")),
    "锅炉": ("boilers", _("boilers")),
    "油品质量": ("fuel_quality", _("quality of fuel")),
    "工业废气": ("industrial_emissions", _("industrial emissions and odours")),
    "非道路移动机械": ("offroad_machinery", _("off-road machinery")),
    # water
    "生活污水": ("sewage", _("sewage")),
    "黑臭水体": ("black_smelly_water", _("black and smelly water")),
    "工业废水": ("industrial_wastewater", _("industrial waste water")),
    "河湖管理": ("rivers_lakes", _("management of rivers and lakes")),
    "饮用水": ("drinking_water", _("drinking water")),
    "餐饮废水": ("kitchen_wastewater", _("waste water from kitchens")),
    "地下水": ("groundwater", _("groundwater")),
    # solid waste
    "垃圾清运": ("waste_collection", _("rubbish not collected")),
    "乱倒垃圾": ("dumping", _("dumping of rubbish")),
    "建筑垃圾": ("construction_waste", _("construction waste")),
    "餐厨垃圾": ("kitchen_waste", _("kitchen waste")),
    "医疗废物": ("medical_waste", _("medical waste")),
    "危险废物": ("hazardous_waste", _("hazardous waste")),
    "过期药品": ("expired_medicines", _("expired medicines")),
    "垃圾分类": ("waste_sorting", _("waste sorting")),
    "病死畜禽": ("dead_livestock", _("dead livestock")),
    "农村人居环境": ("village_environment", _("village living environment")),
    # soil
    "畜禽养殖污染": ("livestock_farming", _("pollution from livestock farming")),
    "农药化肥": ("pesticides_fertilisers", _("pesticides and fertilisers")),
    "污染地块": ("contaminated_land", _("contaminated land")),
    # ecology
    "毁林占地": ("forest_destruction", _("destruction of forest and land")),
    "非法采砂": ("illegal_sand_mining", _("illegal sand mining")),
    "野生动物": ("wildlife", _("wildlife")),
    "景区环境": ("scenic_areas", _("environment of scenic areas")),
    # other
    "危险化学品": ("hazardous_chemicals", _("hazardous chemicals")),
    "公益诉讼": ("public_interest_litigation", _("public-interest litigation")),
    "判决执行": ("judgement_enforcement", _("enforcement of judgements")),
    "资金使用": ("use_of_funds", _("use of public funds")),
    "失职违纪": ("misconduct", _("misconduct of officials")),
    "环境犯罪": ("environmental_crime", _("environmental crime")),
    # radiation
    "医用辐射": ("medical_radiation", _("medical radiation")),
    "电磁辐射": ("electromagnetic_radiation", _("electromagnetic radiation")),
    # noise
    "社会生活噪声": ("neighbourhood_noise", _("neighbourhood noise")),
    "燃放烟花爆竹": ("fireworks", _("fireworks and firecrackers")),
    "机动车噪声": ("vehicle_noise", _("vehicle noise")),
    "建筑施工噪声": ("construction_noise", _("construction noise")),
    "商业噪声": ("commercial_noise", _("commercial noise")),
}
# fmt: on


@dataclass(frozen=True)
class Service:
    code: str
    category: str
    subcategory: str  # the router's name, "" for a category's general service
    name: Promise | str
    keywords: tuple[str, ...] = ()

    @property
    def group(self) -> str:
        return str(Category(self.category).label)

    @property
    def description(self) -> str:
        if not self.subcategory:
            return _("%(category)s: any other problem, or when you are not sure which") % {
                "category": self.group
            }
        return f"{self.group}: {self.name}"


def _services() -> tuple[Service, ...]:
    services = []
    for category in Category:
        services.append(Service(category.value, category.value, "", category.label))
        for concept in CONCEPTS:
            if concept.category == category.value and concept.subcategory in SLUGS:
                slug, name = SLUGS[concept.subcategory]
                services.append(
                    Service(
                        f"{category.value}.{slug}",
                        category.value,
                        concept.subcategory,
                        name,
                        concept.triggers[:6],
                    )  # fmt: skip
                )
    return tuple(services)


SERVICES: tuple[Service, ...] = _services()
BY_CODE: dict[str, Service] = {service.code: service for service in SERVICES}
# (category, sub-category) → service, for the code of a stored case.
_BY_KIND = {(s.category, s.subcategory): s for s in SERVICES if s.subcategory}


def service_of(category: str, subcategory: str) -> Service:
    """The service of a case: its sub-category's when the router knows it, else its
    category's general service."""
    return _BY_KIND.get((category, subcategory)) or BY_CODE.get(category) or BY_CODE["other"]


def known_subcategories(category: str) -> list[str]:
    """The sub-categories that have their own service within ``category``: a case of the
    category's general service has none of them."""
    return [s.subcategory for s in SERVICES if s.category == category and s.subcategory]
