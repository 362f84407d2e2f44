"""The source types the seeds name (000 各镇办, 002 §三.(三), 003); administrators add more."""

DEFAULT_TYPES = (
    ("industrial_enterprise", "工业企业"),
    ("construction_site", "建筑工地"),
    ("restaurant", "餐饮单位"),
    ("medical_institution", "医疗机构"),
    ("entertainment_venue", "娱乐场所"),
    ("river_outfall", "河道排污口"),
    ("livestock_farm", "畜禽养殖场"),
    ("drinking_water_source", "饮用水水源地"),
    ("hazardous_waste_unit", "危险废物产生和经营单位"),
)


def ensure_default_types(source_type_model) -> None:
    """Create the default types that are missing (used by the migration and the sample)."""
    for order, (code, name) in enumerate(DEFAULT_TYPES, start=1):
        source_type_model.objects.get_or_create(code=code, defaults={"name": name, "order": order})
