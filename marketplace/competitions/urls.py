"""The buyer's further-competition pages, under /buying/projects/<pk>/competition/."""

from .views import buyer, evaluation

app_name = "buyer_competition"

urlpatterns = buyer.urlpatterns + evaluation.urlpatterns
