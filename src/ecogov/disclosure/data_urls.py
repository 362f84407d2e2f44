"""Open data, its dictionary, the feed, penalties and complaint statistics."""

urlpatterns = []
