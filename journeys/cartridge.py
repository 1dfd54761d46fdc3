"""Draft a journey from an IMS Common Cartridge course export (CC 1.1, 1.2, 1.3, Thin CC).

Modules become stages in course order; their items, nested ones flattened in
order, become touchpoints with their titles, a channel from the resource type
(pages, assignments, quizzes, discussions and tools in the ``lms``, web links
on the ``web``) and the readable text of their HTML as content. Transitions
follow course order and the first item is the entry. The draft is a valid
journey for the designer to refine.

A cartridge is untrusted: the archive's size, file count and compression
ratio are bounded before anything is read, no entry or link may escape the
archive, XML may not declare entities, and every problem names the file and
element it concerns.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError

from journeys.errors import JourneyInvalid, Problem
from journeys.importing import Refused
from journeys.model import Credential, Journey, Stage, Touchpoint, Transition, new_id
from journeys.report import counted
from journeys.validation import from_data

__all__ = ["LIMITS", "CourseDraft", "read_cartridge", "read_cartridge_dir"]

#: Bounds on an archive, checked before its files are read.
LIMITS = {
    "archive_bytes": 100 * 1024 * 1024,
    "files": 5000,
    "unpacked_bytes": 300 * 1024 * 1024,
    "file_bytes": 20 * 1024 * 1024,
    "ratio": 100,
}
_MANIFEST = "imsmanifest.xml"
#: Canvas's own module settings, with each module's and item's workflow_state.
_META = "course_settings/module_meta.xml"
_MAX_CONTENT = 20_000
_MAX_TITLE = 200
_LMS = "lms"


@dataclass(frozen=True)
class CourseDraft:
    """A journey drafted from a course, the cartridge's version, and what the import noticed."""

    journey: Journey
    version: str
    notes: tuple[str, ...] = ()


def read_cartridge(
    data: bytes, name: str = "course.imscc", credential: Credential | None = None
) -> CourseDraft:
    """Return the journey drafted from the ``.imscc`` archive in ``data``.

    Parameters
    ----------
    data
        The bytes of the archive (a zip with ``imsmanifest.xml`` at its root).
    name
        The archive's file name, for messages.
    credential
        The credential the course leads to (e.g. read with
        :func:`journeys.openbadges.read_credential`); without one the draft
        has a placeholder named after the course.

    Raises
    ------
    Refused
        An archive over a limit, an escaping entry, entity declarations, a
        missing or broken manifest; each problem names the file and element.
    """
    if len(data) > LIMITS["archive_bytes"]:
        raise Refused(
            name, [Problem("", f"{len(data):,} bytes, more than {LIMITS['archive_bytes']:,}")]
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        EOFError,
        OSError,
        struct.error,
    ) as exc:
        raise Refused(name, [Problem("", f"not a cartridge: not a zip archive ({exc})")]) from None
    if len(entries) > LIMITS["files"]:
        raise Refused(
            name, [Problem("", f"{len(entries):,} files, more than {LIMITS['files']:,} allowed")]
        )
    files: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in entries:
        path = _safe(info.filename) if info.filename else None
        if path is None:
            raise Refused(
                name, [Problem(f"entry {info.filename!r}", "the path escapes the archive")]
            )
        if info.is_dir():
            continue
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > LIMITS["file_bytes"] or (
            ratio > LIMITS["ratio"] and info.file_size > 1024 * 1024
        ):
            raise Refused(
                name,
                [
                    Problem(
                        f"entry {info.filename!r}",
                        f"unpacks to {info.file_size:,} bytes from {info.compress_size:,} "
                        f"(compression ratio {ratio:,.0f}): refused as a possible zip bomb",
                    )
                ],
            )
        files[path] = info
    if total > LIMITS["unpacked_bytes"]:
        raise Refused(
            name,
            [Problem("", f"unpacks to {total:,} bytes, more than {LIMITS['unpacked_bytes']:,}")],
        )

    def read(path: str) -> bytes | None:
        info = files.get(path)
        if info is None:
            return None
        try:
            with archive.open(info) as handle:
                out = handle.read(LIMITS["file_bytes"] + 1)
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            NotImplementedError,
            RuntimeError,
            ValueError,
            zlib.error,
            struct.error,
        ) as exc:  # what a corrupt zip can raise
            raise Refused(name, [Problem(path, f"cannot unpack: {exc}")]) from None
        if len(out) > LIMITS["file_bytes"]:
            raise Refused(name, [Problem(path, "larger than its zip entry says: refused")])
        return out

    return _Reader(name, read, set(files), credential).draft()


def read_cartridge_dir(folder: str | Path, credential: Credential | None = None) -> CourseDraft:
    """Return the journey drafted from an unpacked cartridge in ``folder`` (same limits)."""
    root = Path(folder).resolve()
    files: dict[str, Path] = {}
    for path in root.rglob("*"):
        if path.is_file():
            if len(files) >= LIMITS["files"]:
                raise Refused(str(folder), [Problem("", f"more than {LIMITS['files']:,} files")])
            files[path.relative_to(root).as_posix()] = path

    def read(rel: str) -> bytes | None:
        path = files.get(rel)
        if path is None or path.stat().st_size > LIMITS["file_bytes"]:
            return None
        return path.read_bytes()

    return _Reader(str(folder), read, set(files), credential).draft()


def _safe(path: str) -> str | None:
    """Return ``path`` normalised inside the archive, or None when it would escape it."""
    if "\\" in path or path.startswith("/") or re.match(r"^[A-Za-z]:", path) or "\0" in path:
        return None
    normal = posixpath.normpath(path)
    if normal == ".." or normal.startswith("../"):
        return None
    return normal


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: Element, name: str) -> Element | None:
    return next((child for child in element if _local(child.tag) == name), None)


def _find(element: Element, *names: str) -> Element | None:
    """Return the first descendant along the local-name path ``names``, any namespace."""
    current: Element | None = element
    for name in names:
        if current is None:
            return None
        current = next(
            (e for e in current.iter() if e is not current and _local(e.tag) == name), None
        )
    return current


def _text(element: Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


class _Reader:
    """One pass over a cartridge: the manifest, its resources, and the journey they make."""

    def __init__(
        self,
        source: str,
        read: Callable[[str], bytes | None],
        paths: set[str],
        credential: Credential | None,
    ) -> None:
        self.source = source
        self.read = read
        self.paths = paths
        self.credential = credential
        self.notes: list[str] = []

    # -- XML ----------------------------------------------------------------------

    def xml(self, path: str, data: bytes) -> Element:
        from defusedxml import DefusedXmlException
        from defusedxml.ElementTree import fromstring

        try:
            return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
        except ParseError as exc:
            line, column = exc.position
            raise Refused(
                self.source,
                [
                    Problem(
                        f"{path}: line {line}, column {column + 1}",
                        f"not well-formed XML: {exc.msg}",
                    )
                ],
            ) from None
        except DefusedXmlException as exc:
            raise Refused(
                self.source, [Problem(path, f"refused: the XML declares {exc} (not allowed)")]
            ) from None
        except LookupError as exc:  # <?xml encoding="..."?> names an encoding Python lacks
            raise Refused(self.source, [Problem(path, f"not readable XML: {exc}")]) from None

    def optional_xml(self, path: str) -> Element | None:
        data = self.read(path)
        if data is None:
            return None
        try:
            return self.xml(path, data)
        except Refused as exc:
            if "refused:" in str(exc):
                raise
            self.notes.append(str(exc.problems[0]) + "; its text is left out")
            return None

    # -- the course -----------------------------------------------------------------

    def draft(self) -> CourseDraft:
        data = self.read(_MANIFEST)
        if data is None:
            raise Refused(
                self.source,
                [Problem(_MANIFEST, "missing: a cartridge has imsmanifest.xml at its root")],
            )
        manifest = self.xml(_MANIFEST, data)
        if _local(manifest.tag) != "manifest":
            raise Refused(
                self.source,
                [
                    Problem(
                        f"{_MANIFEST} <{_local(manifest.tag)}>",
                        "expected a <manifest> root element",
                    )
                ],
            )
        version = self.version(manifest)
        title = " ".join(
            _text(_find(manifest, "metadata", "lom", "general", "title", "string")).split()
        )
        if not title:
            settings = self.optional_xml("course_settings/course_settings.xml")
            title = (
                " ".join(_text(_find(settings, "title")).split()) if settings is not None else ""
            )
        if not title:
            title = Path(self.source).stem or "Imported course"
            self.notes.append(
                f"{_MANIFEST} <lom><general><title>: missing, the file name is the title"
            )
        title = title[:_MAX_TITLE]

        self.resources: dict[str, Element] = {}
        resources = _child(manifest, "resources")
        for resource in _children(resources, "resource") if resources is not None else []:
            ident = resource.get("identifier", "")
            if ident in self.resources:
                self.notes.append(
                    f'{_MANIFEST} <resource identifier="{ident}">: used twice, the first is kept'
                )
                continue
            self.resources[ident] = resource
        self.meta = self.module_meta()

        modules = self.modules(manifest)
        published, skipped = self.published(modules)
        stages, touchpoints = self.stages(published)
        if skipped and not touchpoints:
            self.notes.append(
                f"{_META}: everything in the course is unpublished in Canvas (workflow_state); "
                "all of it is kept so that the draft is not empty"
            )
            stages, touchpoints = self.stages(modules)
        elif skipped:
            self.notes.append(skipped)
        if not touchpoints:
            raise Refused(
                self.source,
                [
                    Problem(
                        f"{_MANIFEST} <organizations>",
                        "no module item and no learner-facing resource",
                    )
                ],
            )
        touchpoints[0] = _replace(touchpoints[0], entry=True)
        credential = self.credential or Credential(
            id=new_id(title + " credential", set()),
            name=f"{title} credential"[:_MAX_TITLE],
        )
        if self.credential is None:
            self.notes.append(
                "no badge file given: the draft has a placeholder credential named after the "
                "course; import your badge definition to replace it"
            )
        journey = Journey(
            title=title,
            description=(
                f"Drafted from the Common Cartridge {version} export {Path(self.source).name}."
            ),
            credentials=(credential,),
            stages=tuple(stages),
            touchpoints=tuple(touchpoints),
            transitions=tuple(
                Transition(a.id, b.id) for a, b in zip(touchpoints, touchpoints[1:], strict=False)
            ),
        )
        from journeys.fileformat import to_data

        try:  # the draft must load like any journey file
            journey = from_data(to_data(journey))
        except JourneyInvalid as exc:  # pragma: no cover - a bug, reported as such
            raise Refused(self.source, exc.problems) from None
        return CourseDraft(journey, version, tuple(dict.fromkeys(self.notes)))

    def version(self, manifest: Element) -> str:
        namespace = manifest.tag[1:].split("}", 1)[0] if manifest.tag.startswith("{") else ""
        found = re.search(r"imsccv(\d)p(\d)", namespace)
        schema = " ".join(_text(_find(manifest, "metadata", "schema")).split())
        if found:
            version = f"{found.group(1)}.{found.group(2)}"
        elif "imscc/imscp_v1p1" in namespace:
            version = "1.0"
        else:
            declared = _text(_find(manifest, "metadata", "schemaversion")).strip()
            if not declared:
                raise Refused(
                    self.source,
                    [
                        Problem(
                            f"{_MANIFEST} <manifest>",
                            f"not a Common Cartridge manifest (namespace {namespace or 'none'!r})",
                        )
                    ],
                )
            version = declared.removesuffix(".0")
        return f"{version} (Thin)" if "thin" in schema.lower() else version

    def stages(
        self, modules: list[tuple[str, list[Element]]]
    ) -> tuple[list[Stage], list[Touchpoint]]:
        """Return a stage per module and a touchpoint per item that makes one, in order."""
        stages: list[Stage] = []
        touchpoints: list[Touchpoint] = []
        stage_ids: set[str] = set()
        touchpoint_ids: set[str] = set()
        for module_title, items in modules:
            stage = Stage(new_id(module_title, stage_ids), module_title[:_MAX_TITLE], "learn")
            stage_ids.add(stage.id)
            stages.append(stage)
            for item in items:
                touchpoint = self.touchpoint(item, stage.id, touchpoint_ids)
                if touchpoint is not None:
                    touchpoint_ids.add(touchpoint.id)
                    touchpoints.append(touchpoint)
        return stages, touchpoints

    def published(
        self, modules: list[tuple[str, list[Element]]]
    ) -> tuple[list[tuple[str, list[Element]]], str]:
        """Return the modules and items Canvas has published, and a note on those left out.

        Canvas marks a module or a module item it has not published with
        ``<workflow_state>unpublished</workflow_state>`` in module_meta.xml;
        learners do not see it, so it is no touchpoint. The note is "" when
        nothing was left out.
        """
        kept: list[tuple[str, list[Element]]] = []
        modules_out = items_in_them = items_out = 0
        for (title, items), element in zip(modules, self.module_elements, strict=True):
            if element is not None and element.get("identifier", "") in self.unpublished:
                modules_out += 1
                items_in_them += len(items)
                continue
            shown = [i for i in items if i.get("identifier", "") not in self.unpublished]
            items_out += len(items) - len(shown)
            kept.append((title, shown))
        if not modules_out and not items_out:
            return kept, ""
        parts = []
        if modules_out:
            parts.append(
                f"{counted(modules_out, 'unpublished module')} "
                f"(with {counted(items_in_them, 'item')})"
            )
        if items_out:
            parts.append(counted(items_out, "unpublished item"))
        note = f"{_META}: left out {' and '.join(parts)}, which learners do not see"
        return kept, note

    def module_meta(self) -> dict[str, dict[str, str]]:
        """Return Canvas's module_meta.xml items by identifierref and identifier.

        Also sets ``unpublished``: the identifiers of the modules and module
        items whose ``workflow_state`` is ``unpublished``.
        """
        root = self.optional_xml(_META)
        out: dict[str, dict[str, str]] = {}
        self.unpublished: set[str] = set()
        if root is None:
            return out
        for element in root.iter():
            if _local(element.tag) not in ("module", "item"):
                continue
            state = _text(_child(element, "workflow_state")).strip()
            if state == "unpublished" and element.get("identifier"):
                self.unpublished.add(element.get("identifier", ""))
        for item in root.iter():
            if _local(item.tag) != "item":
                continue
            fields = {_local(c.tag): (c.text or "").strip() for c in item}
            for key in (fields.get("identifierref"), item.get("identifier")):
                if key:
                    out.setdefault(key, fields)
        return out

    def modules(self, manifest: Element) -> list[tuple[str, list[Element]]]:
        organization = _find(manifest, "organizations", "organization")
        top: list[Element] = []
        if organization is not None:
            items = _children(organization, "item")
            if len(items) == 1 and _child(items[0], "title") is None:
                top = _children(items[0], "item")
            else:
                top = items
        modules: list[tuple[str, list[Element]]] = []
        #: The manifest <item> of each module, in step with ``modules`` (None: made up here).
        self.module_elements: list[Element | None] = []
        loose: list[Element] = []
        for item in top:
            if item.get("identifierref"):
                loose.append(item)
                continue
            title = _title(item) or "Module"
            modules.append((title, list(_leaves(item))))
            self.module_elements.append(item)
            if not modules[-1][1]:
                self.notes.append(
                    f'{_MANIFEST} <item identifier="{item.get("identifier")}">: module '
                    f"'{title}' has no items"
                )
        if loose:
            modules.insert(0, ("Course", loose))
            self.module_elements.insert(0, None)
        if not modules:
            self.notes.append(
                f"{_MANIFEST} <organizations>: no modules; the course's resources become one stage"
            )
            fake = []
            for ident, resource in self.resources.items():
                if self.channel(resource.get("type", "")) and not _helper(resource):
                    element = Element("item", {"identifierref": ident})
                    fake.append(element)
            modules = [("Course", fake)]
            self.module_elements = [None]
        return modules

    # -- items ---------------------------------------------------------------------

    def touchpoint(self, item: Element, stage: str, taken: set[str]) -> Touchpoint | None:
        ref = item.get("identifierref", "")
        resource = self.resources.get(ref)
        where = f'{_MANIFEST} <item identifier="{item.get("identifier", "")}">'
        title = _title(item)
        if resource is None:
            meta = self.meta.get(ref) or self.meta.get(item.get("identifier", ""), {})
            kind = meta.get("content_type", "")
            title = title or meta.get("title", "").strip()
            if not title:
                self.notes.append(f"{where}: no title and no resource, left out")
                return None
            self.notes.append(
                f"{where}: refers to no resource ({ref!r})"
                + (f"; Canvas says it is a {kind}" if kind else "")
                + ", kept with its title only"
            )
            url = meta.get("url", "")
            content = f"Link: {url}" if url else ""
            channel = "web" if kind == "ExternalUrl" else _LMS
            return self.make(title, stage, channel, content, taken)
        kind = resource.get("type", "")
        if _instructor_only(resource):
            self.notes.append(f"{where}: for instructors only (LOM intendedEndUserRole), left out")
            return None
        content, found_title = self.content(resource, kind)
        title = title or found_title or ref
        known = self.channel(kind)
        if known is None:
            self.notes.append(f'{where}: resource type {kind!r} is not known, kept as "other"')
        return self.make(title, stage, "other" if known is None else known, content, taken)

    def make(
        self, title: str, stage: str, channel: str, content: str, taken: set[str]
    ) -> Touchpoint:
        title = " ".join(html.unescape(title).split())[:_MAX_TITLE] or "Untitled item"
        if len(content) > _MAX_CONTENT:
            content = content[: _MAX_CONTENT - 1].rstrip() + "…"
        return Touchpoint(
            id=new_id(title, taken),
            title=title,
            stage=stage,
            channel=channel,
            owner="faculty",
            audience="learner",
            content=content,
        )

    @staticmethod
    def channel(kind: str) -> str | None:
        if kind.startswith("imswl_"):
            return "web"
        families = (
            "webcontent",
            "imsdt_",
            "imsqti_",
            "assignment_",
            "associatedcontent",
            "imsbasiclti_",
        )
        if kind.startswith(families) or "assessment" in kind:
            return _LMS
        return None

    def resolve(self, href: str, where: str) -> str | None:
        """Return the archive path ``href`` names, or None (noted) when it escapes or is missing."""
        path = _safe(unquote(href.split("#", 1)[0].split("?", 1)[0]))
        if path is None:
            self.notes.append(f"{where}: href {href!r} escapes the archive, not followed")
            return None
        if path in self.paths:
            return path
        cleaned = re.sub(r'[?*|:><"]', "_", path)
        return cleaned if cleaned in self.paths else None

    def files(self, resource: Element) -> list[str]:
        hrefs = [resource.get("href", "")] + [
            f.get("href", "") for f in _children(resource, "file")
        ]
        return [h for h in dict.fromkeys(hrefs) if h]

    def content(self, resource: Element, kind: str) -> tuple[str, str]:
        """Return the learner-facing text of a resource and the title it carries, if any."""
        where = f'{_MANIFEST} <resource identifier="{resource.get("identifier", "")}">'
        paths = [p for h in self.files(resource) if (p := self.resolve(h, where))]
        if (
            kind.startswith(("imswl_", "imsdt_", "assignment_", "imsbasiclti_"))
            or "assessment" in kind
        ):
            for path in paths:
                if path.endswith(".xml"):
                    root = self.optional_xml(path)
                    if root is not None:
                        return self.structured(root, resource)
            if not paths:
                self.notes.append(f"{where}: its file is not in the cartridge, kept with no text")
            return "", ""
        for path in paths:
            if path.lower().endswith((".html", ".htm")) or "." not in posixpath.basename(path):
                data = self.read(path)
                if data is not None:
                    return html_text(data.decode("utf-8", "replace")), ""
        if paths:
            return "", ""
        if self.files(resource):
            self.notes.append(f"{where}: its file is not in the cartridge, kept with no text")
        return "", ""

    def structured(self, root: Element, resource: Element) -> tuple[str, str]:
        """Return the text and title of a web link, topic, assignment, quiz or LTI link."""
        name = _local(root.tag)
        title = _text(_child(root, "title")).strip()
        if name == "webLink":
            url = _child(root, "url")
            link = url.get("href", "") if url is not None else ""
            return (f"Link: {link}" if link else ""), title
        if name in ("topic", "assignment"):
            return html_text(_text(_child(root, "text"))), title
        if name == "cartridge_basiclti_link":
            description = _text(_child(root, "description")).strip()
            launch = _text(_child(root, "secure_launch_url")) or _text(_child(root, "launch_url"))
            parts = [description] + ([f"Tool: {launch.strip()}"] if launch.strip() else [])
            return "\n".join(p for p in parts if p), title
        if name == "questestinterop":
            assessment = _child(root, "assessment")
            title = assessment.get("title", "") if assessment is not None else ""
            for dependency in _children(resource, "dependency"):
                helper = self.resources.get(dependency.get("identifierref", ""))
                for href in self.files(helper) if helper is not None else []:
                    path = self.resolve(href, "dependency")
                    if path and path.endswith("assessment_meta.xml"):
                        meta = self.optional_xml(path)
                        if meta is not None:
                            return html_text(_text(_find(meta, "description"))), title
            ident = resource.get("identifier", "")
            meta = self.optional_xml(f"{ident}/assessment_meta.xml")
            if meta is not None:
                return html_text(_text(_find(meta, "description"))), title
            return "", title
        return "", title


def _replace(t: Touchpoint, **changes: Any) -> Touchpoint:
    import dataclasses

    return dataclasses.replace(t, **changes)


def _title(item: Element) -> str:
    return _text(_child(item, "title")).strip()


def _leaves(item: Element) -> list[Element]:
    """Return the items under a module that point at resources, nested ones flattened in order."""
    out = []
    for child in _children(item, "item"):
        if child.get("identifierref"):
            out.append(child)
        else:
            out.extend(_leaves(child))  # a sub-folder; a text header has no children
    return out


def _helper(resource: Element) -> bool:
    href = resource.get("href", "")
    return href.startswith("course_settings/") or resource.get("intendeduse") == "syllabus"


def _instructor_only(resource: Element) -> bool:
    for element in resource.iter():
        if _local(element.tag) == "intendedEndUserRole":
            value = " ".join(_text(element).split()).lower()
            if "instructor" in value or "mentor" in value:
                return True
    return False


class _Text(HTMLParser):
    """Collect the readable text of an HTML page: no scripts, styles or head."""

    _SKIP = {"script", "style", "head", "title", "noscript", "template"}
    _BLOCK = {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "ul",
        "ol",
        "section",
        "article",
        "blockquote",
        "pre",
        "caption",
        "hr",
        "dd",
        "dt",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BLOCK:
            self.out.append("\n")
        if tag == "li":
            self.out.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BLOCK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)


def html_text(markup: str) -> str:
    """Return the readable text of an HTML fragment or page, one paragraph per line.

    >>> html_text("<p>Earn the <b>ALLY Badge</b>&nbsp;now.</p><script>x()</script><p>Then</p>")
    'Earn the ALLY Badge now.\\nThen'
    """
    parser = _Text()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError):  # very broken markup: keep what was read
        pass
    lines = (" ".join(line.split()) for line in "".join(parser.out).splitlines())
    return "\n".join(line for line in lines if line)
