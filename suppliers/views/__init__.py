"""Pages of the supplier portal (portal.py) and the public supplier and offering pages."""
