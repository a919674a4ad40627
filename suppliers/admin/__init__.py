"""The authority's review of supplier offerings, inside the Wagtail admin.

Registered in suppliers/wagtail_hooks.py. Every view works for the authority the user is acting
for (frameworks.admin.access) and reads through suppliers.selectors scoped to it, so another
authority's offering answers 404. Decisions are taken by suppliers.services.
"""
