"""The public side of consultations, under /public/consultations/."""

app_name = "public_consultations"

urlpatterns = []
