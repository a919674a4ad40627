"""A buyer's call-off pages under /buying/: each area's views module lists its own URLs."""

from .views import awards, contracts, projects, rotation, saved_searches, shortlists

app_name = "calloffs"

urlpatterns = [
    *saved_searches.urlpatterns,
    *projects.urlpatterns,
    *shortlists.urlpatterns,
    *rotation.urlpatterns,
    *awards.urlpatterns,
    *contracts.urlpatterns,
]
