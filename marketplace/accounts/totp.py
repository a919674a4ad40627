"""Presenting a TOTP secret to a person: grouped text, an inline SVG QR code, the live code."""

import time
import xml.etree.ElementTree as ET
from base64 import b32encode

from django.utils.safestring import SafeString, mark_safe

import qrcode
import qrcode.image.svg
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def secret_for_display(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, as authenticator apps accept it typed in."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice, *, label: str) -> SafeString:
    """The device's otpauth:// URL as an inline SVG with an accessible name; no requests."""
    image = qrcode.make(
        device.config_url,
        image_factory=qrcode.image.svg.SvgPathImage,
        border=4,
    )
    root = image.get_image()
    root.set("width", "200")
    root.set("height", "200")
    root.set("role", "img")
    root.set("aria-labelledby", "qr-code-title")
    root.set("focusable", "false")
    title = ET.Element("title", id="qr-code-title")
    title.text = label
    root.insert(0, title)
    markup = image.to_string(encoding="unicode")
    if markup.startswith("<?xml"):
        markup = markup.split("?>", 1)[1].lstrip()
    # Built by qrcode from our own data and a translated label that ElementTree escaped.
    return mark_safe(markup)  # noqa: S308


def current_code(device: TOTPDevice, *, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"
