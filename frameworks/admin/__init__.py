"""The authority side of the Wagtail admin: appointments, CSV imports, the debarment list and
framework suspension. Registered in frameworks/wagtail_hooks.py."""
