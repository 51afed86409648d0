"""The SCORM 1.2 manifest schemas that ship with coursekit, and validation of a manifest against them.

The schemas (scorm12_xsd/, with their README and notices) import each other by relative name. Every
one of them is read from this package through a resolver that knows only those files: nothing is
fetched from the network or read from elsewhere on disk, so validation works offline and always
against the same copy. Kept apart from render.scorm so that only `course scorm` loads lxml.
"""

from __future__ import annotations

import functools
import posixpath
from importlib import resources

import lxml.etree as ET

SCHEMA_FOLDER = "scorm12_xsd"
ENTRY = "scorm12.xsd"  # imports the content-packaging and ADL namespaces


class ManifestInvalid(ValueError):
    """A manifest does not conform to the SCORM 1.2 schemas; the message lists where and why."""


class SchemaOutsideThePackage(ValueError):
    """A schema asked for a file that is not one of the shipped schemas (refused, never fetched)."""


def _schema_files() -> dict[str, bytes]:
    folder = resources.files("coursekit.render").joinpath(SCHEMA_FOLDER)
    return {item.name: item.read_bytes() for item in folder.iterdir() if item.name.endswith(".xsd")}


class _PackageOnly(ET.Resolver):
    """Resolve every schema location to a shipped file of the same name; refuse anything else."""

    def __init__(self, files: dict[str, bytes]):
        super().__init__()
        self.files = files
        self.asked: list[str] = []

    def resolve(self, system_url, public_id, context):  # noqa: ANN001 - lxml's signature
        self.asked.append(system_url)
        name = posixpath.basename(system_url or "")
        if "://" in (system_url or "") or name not in self.files:
            raise SchemaOutsideThePackage(f"the SCORM schemas asked for {system_url!r}, which is not shipped")
        return self.resolve_string(self.files[name], context, base_url=name)


def load_schema() -> tuple[ET.XMLSchema, list[str]]:
    """Compile the schemas from this package; return the schema and every location it asked for."""
    files = _schema_files()
    parser = ET.XMLParser(no_network=True, resolve_entities=False)
    resolver = _PackageOnly(files)
    parser.resolvers.add(resolver)
    document = ET.fromstring(files[ENTRY], parser, base_url=ENTRY).getroottree()
    return ET.XMLSchema(document), resolver.asked


@functools.lru_cache(maxsize=1)
def schema() -> ET.XMLSchema:
    """The compiled SCORM 1.2 manifest schema (compiled once per process)."""
    return load_schema()[0]


def validate_manifest(xml: bytes) -> None:
    """Raise ManifestInvalid, naming each line and problem, unless the manifest conforms to SCORM 1.2."""
    parser = ET.XMLParser(no_network=True, resolve_entities=False)
    try:
        document = ET.fromstring(xml, parser).getroottree()
    except ET.XMLSyntaxError as exc:
        raise ManifestInvalid(f"imsmanifest.xml is not well-formed XML: {exc}") from None
    checker = schema()
    if not checker.validate(document):
        problems = "; ".join(f"line {e.line}: {e.message}" for e in checker.error_log)
        raise ManifestInvalid(f"imsmanifest.xml does not conform to the SCORM 1.2 schemas: {problems}")
