"""A supplier's call-off pages under /supplier/: offers to answer and contracts won."""

from .views import supplier_contracts, supplier_offers

app_name = "supplier_calloffs"

urlpatterns = [*supplier_offers.urlpatterns, *supplier_contracts.urlpatterns]
