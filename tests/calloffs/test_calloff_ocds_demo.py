"""The demo's call-offs as OCDS: every contract seed_demo makes publishes a release package
that validates offline and whose framework link resolves to its framework's release."""

import json
from io import StringIO
from urllib.parse import urlparse

from django.core.management import call_command
from django.urls import reverse

import pytest

from marketplace.calloffs.models import Contract
from tests.ocds_schema import check_ocds_extras, validate_release_package

pytestmark = pytest.mark.django_db


def test_every_demo_call_off_validates_and_links_its_framework(client):
    call_command(
        "seed_demo", "--buyers", "2", "--suppliers", "6", "--offerings", "40", stdout=StringIO()
    )
    references = list(Contract.objects.values_list("reference", flat=True))
    assert references, "seed_demo made no contracts"

    for reference in references:
        package = json.loads(client.get(reverse("contracts:ocds", args=(reference,))).content)
        assert validate_release_package(package) == [], reference
        assert check_ocds_extras(package) == [], reference
        related = package["releases"][0]["relatedProcesses"][0]
        framework_package = json.loads(client.get(urlparse(related["uri"]).path).content)
        assert framework_package["releases"][0]["ocid"] == related["identifier"], reference

    everything = json.loads(client.get(reverse("contracts:ocds-all")).content)
    assert validate_release_package(everything) == []
    assert check_ocds_extras(everything) == []
    assert len(everything["releases"]) == len(references)
