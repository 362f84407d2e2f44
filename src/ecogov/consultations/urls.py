"""Public consultation on major decisions (seed 003 §(五).1): the staff pages under
/consultations/; the public pages are in ecogov.consultations.public_urls."""

app_name = "consultations"

urlpatterns = []
