"""Open311 GeoReport v2 at /open311/v2/ (https://wiki.open311.org/GeoReport_v2).

Every resource ends in its format, ``.json`` or ``.xml`` (another extension answers
404 in XML). Service codes contain a dot (``air.open_barbecue``): the format is what
follows the last one."""

from django.urls import re_path

from ecogov.open311 import views

app_name = "open311"

FORMAT = r"\.(?P<format>[A-Za-z0-9]{1,10})$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, views.services, name="services"),
    re_path(
        r"^services/(?P<code>[^/]{1,80})" + FORMAT,
        views.service_definition,
        name="service_definition",
    ),  # fmt: skip
    re_path(r"^requests" + FORMAT, views.requests, name="requests"),
    re_path(
        r"^requests/(?P<number>[^/]{1,40})" + FORMAT, views.request_detail, name="request"
    ),  # fmt: skip
    re_path(r"^tokens/(?P<token>[^/]{1,80})" + FORMAT, views.token, name="token"),
]
