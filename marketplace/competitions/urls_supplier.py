"""A supplier's further-competition pages, under /supplier/competitions/."""

from .views import supplier

app_name = "supplier_competitions"

urlpatterns = supplier.urlpatterns
