"""The public contracts register under /contracts/."""

from .views import register

app_name = "contracts"

urlpatterns = register.urlpatterns
