"""Environmental quality and the plan targets' progress."""

from django.urls import path

from ecogov.disclosure import quality_views as views

urlpatterns = [
    path("quality/", views.quality, name="quality"),
    path("quality/index.json", views.quality_json, name="quality_json"),
    path("quality/air/<int:pk>/", views.air_station, name="air_station"),
    path("quality/air/<int:pk>.json", views.air_station_json, name="air_station_json"),
    path("quality/water/<int:pk>/", views.water_section, name="water_section"),
    path("quality/water/<int:pk>.json", views.water_section_json, name="water_section_json"),
    path("targets/", views.targets, name="targets"),
    path("targets/index.json", views.targets_json, name="targets_json"),
    path("targets/<int:pk>/", views.target, name="target"),
    path("targets/<int:pk>.json", views.target_json, name="target_json"),
]
