"""Open311 GeoReport v2 at /open311/v2/ (https://wiki.open311.org/GeoReport_v2).

Every resource ends in its format, ``.json`` or ``.xml`` (another extension answers
404 in XML). Service codes contain a dot (``air.open_barbecue``): the format is what
follows the last one."""

from django.urls import path, register_converter

from ecogov.open311 import views


class FormatConverter:
    """The extension: any short word, so that an unknown one gets the spec's error."""

    regex = "[A-Za-z0-9]{1,10}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311_format")

app_name = "open311"

urlpatterns = [
    path("discovery.<open311_format:format>", views.discovery, name="discovery"),
    path("services.<open311_format:format>", views.services, name="services"),
    path(
        "services/<str:code>.<open311_format:format>",
        views.service_definition,
        name="service_definition",
    ),
    path("requests.<open311_format:format>", views.requests, name="requests"),
    path("requests/<str:number>.<open311_format:format>", views.request_detail, name="request"),
    path("tokens/<str:token>.<open311_format:format>", views.token, name="token"),
]
