"""Offline OCDS 1.1 validation for tests, against the schema copies in ../shared/ocds.

The release schema is patched with the lots, techniques and submissionTerms extensions (each
extension's release-schema.json applied as a JSON Merge Patch, RFC 7386), then release and
record packages are validated with Draft 4 and format checks. check_ocds_extras() adds what the
schema cannot check: the ocid prefix, unique ids inside arrays and empty values.
"""

import json
from functools import cache
from pathlib import Path

from django.conf import settings

import json_merge_patch
from jsonschema import Draft4Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

OCDS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "ocds"
SCHEMA_DIR = OCDS_DIR / "schema-1__1__5"
EXTENSIONS_DIR = OCDS_DIR / "extensions" / "open-contracting-extensions"
EXTENSIONS = ("ocds_lots_extension", "ocds_techniques_extension", "ocds_submissionTerms_extension")
# The id release-package-schema.json referred to before 1.1.5 (and the README mentions).
RELEASE_SCHEMA_ALIAS = "https://standard.open-contracting.org/1.1/en/release-schema.json"


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def patched_release_schema() -> dict:
    schema = _load(SCHEMA_DIR / "release-schema.json")
    for extension in EXTENSIONS:
        patch = _load(EXTENSIONS_DIR / extension / "master" / "release-schema.json")
        schema = json_merge_patch.merge(schema, patch)
    return schema


@cache
def _registry() -> Registry:
    release = patched_release_schema()
    versioned = _load(SCHEMA_DIR / "versioned-release-validation-schema.json")
    resources = [
        (release["id"], DRAFT4.create_resource(release)),
        (RELEASE_SCHEMA_ALIAS, DRAFT4.create_resource(release)),
        (versioned["id"], DRAFT4.create_resource(versioned)),
    ]
    return Registry().with_resources(resources)


@cache
def _validator(package_schema_name: str) -> Draft4Validator:
    schema = _load(SCHEMA_DIR / package_schema_name)
    return Draft4Validator(
        schema, registry=_registry(), format_checker=Draft4Validator.FORMAT_CHECKER
    )


def _messages(validator: Draft4Validator, data: dict) -> list[str]:
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}"
        for error in errors
    ]


def validate_release_package(data: dict) -> list[str]:
    """Schema errors in a release package ("path: message"); empty when it is valid."""
    return _messages(_validator("release-package-schema.json"), data)


def validate_record_package(data: dict) -> list[str]:
    """Schema errors in a record package, including its releases and compiled release."""
    errors = _messages(_validator("record-package-schema.json"), data)
    # The record package schema checks embedded releases with oneOf, whose errors say little:
    # validate each release and compiled release directly too, for readable messages.
    release_validator = Draft4Validator(
        patched_release_schema(),
        registry=_registry(),
        format_checker=Draft4Validator.FORMAT_CHECKER,
    )
    for index, record in enumerate(data.get("records", [])):
        releases = [r for r in record.get("releases", []) if "tag" in r and "ocid" in r]
        if "compiledRelease" in record:
            releases.append(record["compiledRelease"])
        for release in releases:
            errors += [
                f"records/{index}/{message}" for message in _messages(release_validator, release)
            ]
    return errors


def _releases(package: dict) -> list[dict]:
    if "releases" in package:
        return list(package["releases"])
    releases = []
    for record in package.get("records", []):
        releases += [release for release in record.get("releases", []) if "ocid" in release]
        if "compiledRelease" in record:
            releases.append(record["compiledRelease"])
    return releases


def _walk(value, path: str, problems: list[str]) -> None:
    if value in ("", [], {}):
        problems.append(f"{path}: empty value")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _walk(item, f"{path}/{key}", problems)
    elif isinstance(value, list):
        ids = [item["id"] for item in value if isinstance(item, dict) and "id" in item]
        duplicates = sorted({str(id_) for id_ in ids if ids.count(id_) > 1})
        if duplicates:
            problems.append(f"{path}: duplicate ids {', '.join(duplicates)}")
        for index, item in enumerate(value):
            _walk(item, f"{path}/{index}", problems)


def check_ocds_extras(package: dict) -> list[str]:
    """What schema validation cannot find: ocid prefix, duplicate ids in arrays, empty values."""
    problems = []
    prefix = f"{settings.OCDS_OCID_PREFIX}-"
    for release in _releases(package):
        if not str(release.get("ocid", "")).startswith(prefix):
            problems.append(f"ocid {release.get('ocid')!r} does not start with {prefix!r}")
    for record in package.get("records", []):
        for release in _releases({"records": [record]}):
            if release.get("ocid") != record.get("ocid"):
                problems.append(f"record {record.get('ocid')!r} holds {release.get('ocid')!r}")
    _walk(package, "", problems)
    return problems
