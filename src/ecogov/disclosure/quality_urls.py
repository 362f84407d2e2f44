"""Environmental quality and the plan targets' progress."""

urlpatterns = []
