"""Read a credential definition from an Open Badges 3.0 or 2.0 file.

Accepted: an OB 3.0 ``OpenBadgeCredential``/``AchievementCredential`` (VC 2.0
or VC 1.1), a bare OB 3.0 ``Achievement``, a compact JWS whose payload is the
credential or carries it in a ``vc`` claim (read, never verified), an SVG or
PNG with the credential baked in, and an OB 2.0 ``BadgeClass`` or ``Assertion``
with its BadgeClass embedded. Nothing is fetched: where the file only links
to a part (``badge``, ``issuer``, ``criteria`` as a URL), the import says what
is missing. Any other file is refused with the place in the file that is wrong.

>>> imported = read_credential(b'''{"@context": "https://w3id.org/openbadges/v2",
...   "type": "BadgeClass", "id": "https://example.org/robotics.json",
...   "name": "Robotics", "description": "Builds robots.",
...   "criteria": {"narrative": "Build *one* robot."},
...   "issuer": "https://example.org/issuer.json"}''', "robotics.json")
>>> imported.credential.id, imported.credential.criteria, imported.credential.url
('robotics', 'Build *one* robot.', 'https://example.org/robotics.json')
>>> imported.notes[0].split(";")[0]
'issuer: only a URL (https://example.org/issuer.json)'
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import struct
from dataclasses import dataclass
from typing import Any

from journeys.errors import Problem
from journeys.importing import Refused, check_size, credential_id, inflate, read_json, read_text
from journeys.model import Credential

__all__ = ["Imported", "read_credential"]

_PNG = b"\x89PNG\r\n\x1a\n"
_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
_OB3_SVG = "https://purl.imsglobal.org/ob/v3p0"
_OB2_SVG = "http://openbadges.org"
_MAX_JSON = 2 * 1024 * 1024
_MAX_TYPE = 100
_MAX_URL = 2000
_MAX_NAME = 200
_OB3_TYPES = ("OpenBadgeCredential", "AchievementCredential")


@dataclass(frozen=True)
class Imported:
    """A credential read from a third-party file, what it was read from, and what to know."""

    credential: Credential
    #: e.g. ``Open Badges 3.0 (VC 2.0), from a compact JWS``.
    source: str
    #: What the import could not take from the file, or did not check.
    notes: tuple[str, ...] = ()


def read_credential(data: bytes, name: str = "", taken: set[str] | None = None) -> Imported:
    """Return the credential defined in ``data``, the bytes of the file called ``name``.

    Parameters
    ----------
    data
        The file's bytes: JSON, a compact JWS, an SVG or a PNG.
    name
        The file's name, used in messages only.
    taken
        Credential ids already in use; the new id avoids them.

    Raises
    ------
    Refused
        When the file is not an Open Badge, or is broken; every problem is located.
    """
    check_size(data, name)
    notes: list[str] = []
    carriers: list[str] = []
    value = _unwrap(data, name, notes, carriers)
    if not isinstance(value, dict):
        raise Refused(name, [Problem("", f"expected a JSON object, got {_kind(value)}")])
    credential, source = _dispatch(value, name, notes, set(taken or ()))
    if carriers:
        source += ", from " + " in ".join(reversed(carriers))
    return Imported(credential, source, tuple(dict.fromkeys(notes)))


# -- carriers: PNG, SVG, JWS, JSON -------------------------------------------------


def _unwrap(data: bytes, name: str, notes: list[str], carriers: list[str], depth: int = 0) -> Any:
    """Return the JSON value inside ``data``, opening baked images and JWS on the way."""
    if depth > 3:
        raise Refused(name, [Problem("", "the credential is wrapped too many times")])
    if data.startswith(_PNG):
        carriers.append("a baked PNG")
        return _unwrap(_from_png(data, name), name, notes, carriers, depth + 1)
    text = read_text(data, name).strip()
    if text.startswith("<"):
        carriers.append("a baked SVG")
        return _unwrap(_from_svg(data, name).encode(), name, notes, carriers, depth + 1)
    if _JWS.match(text):
        carriers.append("a compact JWS")
        notes.append(
            "read from a compact JWS whose signature was not verified: check the badge on "
            "its issuer's platform before relying on it"
        )
        return _from_jws(text, name)
    if len(text) > _MAX_JSON:
        raise Refused(name, [Problem("", f"more than {_MAX_JSON:,} characters of JSON")])
    value, lenient = read_json(text, name)
    notes.extend(lenient)
    return value


def _from_png(data: bytes, name: str) -> bytes:
    """Return the text of the PNG's ``openbadgecredential`` (or OB 2.0 ``openbadges``) chunk."""
    at = len(_PNG)
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        body = data[at + 8 : at + 8 + length]
        where = f"PNG chunk at byte {at}"
        if len(body) < length:
            raise Refused(name, [Problem(where, "the chunk is cut short")])
        if kind in (b"iTXt", b"tEXt"):
            keyword, _, rest = body.partition(b"\0")
            if keyword in (b"openbadgecredential", b"openbadges"):
                if kind == b"tEXt":
                    return rest
                if len(rest) < 2:
                    raise Refused(name, [Problem(where, "the iTXt chunk is cut short")])
                compressed, text = rest[0], rest[2:]
                _, _, text = text.partition(b"\0")  # language tag
                _, _, text = text.partition(b"\0")  # translated keyword
                return inflate(text, name, where, _MAX_JSON) if compressed else text
        if kind == b"IEND":
            break
        at += 12 + length
    raise Refused(
        name,
        [Problem("", "a PNG image with no baked credential (no iTXt chunk 'openbadgecredential')")],
    )


def _from_svg(data: bytes, name: str) -> str:
    """Return the credential baked into an SVG: its ``verify`` JWS or its CDATA JSON."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except ParseError as exc:
        line, column = exc.position
        raise Refused(
            name, [Problem(f"line {line}, column {column + 1}", f"not valid SVG: {exc.msg}")]
        ) from None
    except DefusedXmlException as exc:
        raise Refused(name, [Problem("", f"refused: the SVG declares {exc}")]) from None
    except LookupError as exc:  # <?xml encoding="..."?> names an encoding Python lacks
        raise Refused(name, [Problem("", f"not valid SVG: {exc}")]) from None
    for tag, attribute in (
        (f"{{{_OB3_SVG}}}credential", "verify"),
        (f"{{{_OB2_SVG}}}assertion", "verify"),
    ):
        for element in root.iter(tag):
            signed = element.get(attribute, "").strip()
            if signed:
                return signed
            if (element.text or "").strip():
                return element.text.strip()
            raise Refused(name, [Problem(f"<{tag.split('}')[1]}>", "empty: no JWS and no JSON")])
    raise Refused(
        name, [Problem("", "an SVG image with no baked credential (no <openbadges:credential>)")]
    )


def _from_jws(text: str, name: str) -> Any:
    """Return the JWS payload's credential: the ``vc`` claim, else the payload itself."""
    header_b64, payload_b64, _ = text.split(".")
    parts = {}
    for label, part in (("header", header_b64), ("payload", payload_b64)):
        try:
            raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
            parts[label], _ = read_json(raw, name)
        except (binascii.Error, ValueError) as exc:
            message = str(exc).split(": ", 1)[-1] if isinstance(exc, Refused) else str(exc)
            raise Refused(
                name, [Problem(f"JWS {label}", f"not base64url JSON: {message}")]
            ) from None
    payload = parts["payload"]
    if not isinstance(payload, dict):
        raise Refused(name, [Problem("JWS payload", f"expected an object, got {_kind(payload)}")])
    if "vc" in payload:
        if not isinstance(payload["vc"], dict):
            raise Refused(name, [Problem("vc", f"expected an object, got {_kind(payload['vc'])}")])
        return {**payload["vc"], "_claim": "vc"}
    return payload


# -- what the JSON is ---------------------------------------------------------------


def _types(value: Any) -> list[str]:
    """Return a ``type`` value as a list: types are array-compacted (SOURCES fact 6)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for t in value if isinstance(t, str)]
    return []


def _short(t: str) -> str:
    return t.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _contexts(doc: dict[str, Any]) -> list[str]:
    context = doc.get("@context")
    items = context if isinstance(context, list) else [context]
    return [c for c in items if isinstance(c, str)]


def _dispatch(
    doc: dict[str, Any], name: str, notes: list[str], taken: set[str]
) -> tuple[Credential, str]:
    prefix = "vc." if doc.pop("_claim", None) == "vc" else ""
    types = [_short(t) for t in _types(doc.get("type"))]
    contexts = _contexts(doc)
    if "VerifiableCredential" in types or any("/credentials/" in c for c in contexts):
        return _ob3_credential(doc, name, notes, taken, prefix, types, contexts)
    if "Achievement" in types:
        return _achievement(
            doc, name, notes, taken, prefix, issuer=None
        ), "Open Badges 3.0 Achievement"
    if "Assertion" in types:
        return _assertion(doc, name, notes, taken, prefix)
    if "BadgeClass" in types:
        return _badgeclass(doc, name, notes, taken, prefix), "Open Badges 2.0 BadgeClass"
    if types and set(types) & {"Issuer", "Profile"}:
        raise Refused(
            name,
            [
                Problem(
                    prefix + "type",
                    f"{_show(doc.get('type'))} is an issuer profile, not a badge: import the "
                    "badge's own file (a BadgeClass or an Open Badges credential)",
                )
            ],
        )
    if "type" not in doc:
        raise Refused(name, [Problem(prefix + "type", "missing: this is not an Open Badge")])
    raise Refused(
        name,
        [
            Problem(
                prefix + "type",
                f"{_show(doc.get('type'))} is not an Open Badge (expected OpenBadgeCredential, "
                "AchievementCredential, Achievement, BadgeClass or Assertion)",
            )
        ],
    )


def _ob3_credential(
    doc: dict[str, Any],
    name: str,
    notes: list[str],
    taken: set[str],
    prefix: str,
    types: list[str],
    contexts: list[str],
) -> tuple[Credential, str]:
    problems = []
    if not set(types) & set(_OB3_TYPES):
        problems.append(
            Problem(
                prefix + "type",
                f"{_show(doc.get('type'))} is a Verifiable Credential but not an Open Badge "
                "(no OpenBadgeCredential or AchievementCredential type)",
            )
        )
    if "issuer" not in doc:
        problems.append(
            Problem(prefix + "issuer", "missing (an Open Badges credential requires it)")
        )
    subject = doc.get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else None
    where = prefix + "credentialSubject"
    if not isinstance(subject, dict):
        problems.append(
            Problem(
                where, "missing" if subject is None else f"expected an object, got {_kind(subject)}"
            )
        )
        achievement = None
    else:
        achievement = subject.get("achievement")
        if achievement is None:
            problems.append(Problem(where + ".achievement", "missing"))
        elif not isinstance(achievement, dict):
            problems.append(
                Problem(where + ".achievement", f"expected an object, got {_kind(achievement)}")
            )
    if problems:
        raise Refused(name, problems)
    assert isinstance(achievement, dict)  # noqa: S101 (refused above otherwise, for mypy)
    vc = (
        "VC 2.0"
        if "https://www.w3.org/ns/credentials/v2" in contexts
        else ("VC 1.1" if "https://www.w3.org/2018/credentials/v1" in contexts else "VC")
    )
    credential = _achievement(
        achievement,
        name,
        notes,
        taken,
        where + ".achievement.",
        issuer=(doc["issuer"], prefix + "issuer"),
    )
    return credential, f"Open Badges 3.0 ({vc})"


def _achievement(
    a: dict[str, Any],
    name: str,
    notes: list[str],
    taken: set[str],
    where: str,
    issuer: tuple[Any, str] | None,
) -> Credential:
    """Return the credential an OB 3.0 Achievement defines (mapping of issue 13)."""
    title = _required_text(a, "name", where, name)
    criteria = a.get("criteria")
    narrative = ""
    if isinstance(criteria, dict):
        narrative = _text(criteria.get("narrative"))
        if not narrative and isinstance(criteria.get("id"), str):
            notes.append(
                f"{where}criteria: only a URL ({criteria['id']}); nothing is fetched, so the "
                "credential has no criteria text"
            )
    elif isinstance(criteria, str):
        notes.append(
            f"{where}criteria: only a URL ({criteria}); nothing is fetched, so the credential "
            "has no criteria text"
        )
    issuer_name = ""
    if issuer is not None:
        issuer_name = _profile_name(issuer[0], issuer[1], notes)
    creator = a.get("creator")
    creator_name = _text(creator.get("name")) if isinstance(creator, dict) else ""
    if issuer is None and creator is not None:
        issuer_name = _profile_name(creator, where + "creator", notes)
    elif creator_name and issuer_name and creator_name != issuer_name:
        issuer_name = f"{issuer_name} (achievement created by {creator_name})"
    return _credential(
        title,
        description=_text(a.get("description")),
        criteria=narrative,
        skills=_alignment_names(a.get("alignment")),
        issuer=issuer_name,
        achievement_type=_text(a.get("achievementType")),
        url=_text(a.get("id")),
        where=where,
        notes=notes,
        taken=taken,
    )


def _assertion(
    doc: dict[str, Any], name: str, notes: list[str], taken: set[str], prefix: str
) -> tuple[Credential, str]:
    badge = doc.get("badge")
    where = prefix + "badge"
    if isinstance(badge, str):
        raise Refused(
            name,
            [
                Problem(
                    where,
                    f"only a URL ({badge}); nothing is fetched, so the badge's name, description "
                    "and criteria are missing: import the BadgeClass file itself",
                )
            ],
        )
    if not isinstance(badge, dict):
        raise Refused(
            name,
            [
                Problem(
                    where, "missing" if badge is None else f"expected an object, got {_kind(badge)}"
                )
            ],
        )
    return _badgeclass(badge, name, notes, taken, where + "."), "Open Badges 2.0 Assertion"


def _badgeclass(
    b: dict[str, Any], name: str, notes: list[str], taken: set[str], where: str
) -> Credential:
    """Return the credential an OB 2.0 BadgeClass defines."""
    title = _required_text(b, "name", where, name)
    criteria = b.get("criteria")
    narrative = ""
    if isinstance(criteria, dict):
        narrative = _text(criteria.get("narrative"))
        link = criteria.get("id") or criteria.get("url")
        if not narrative and isinstance(link, str):
            criteria = link
    if isinstance(criteria, str):
        notes.append(
            f"{where}criteria: only a URL ({criteria}); nothing is fetched, so the credential "
            "has no criteria text"
        )
    elif criteria is None:
        notes.append(f"{where}criteria: missing, so the credential has no criteria text")
    issuer = b.get("issuer")
    issuer_name = ""
    if isinstance(issuer, str):
        notes.append(
            f"{where}issuer: only a URL ({issuer}); nothing is fetched, so the credential has no "
            "issuer name"
        )
    else:
        issuer_name = _profile_name(issuer, where + "issuer", notes)
    return _credential(
        title,
        description=_text(b.get("description")),
        criteria=narrative,
        skills=_alignment_names(b.get("alignment")),
        issuer=issuer_name,
        achievement_type="",
        url=_text(b.get("id")),
        where=where,
        notes=notes,
        taken=taken,
    )


# -- fields -------------------------------------------------------------------------


def _credential(
    title: str,
    *,
    description: str,
    criteria: str,
    skills: tuple[str, ...],
    issuer: str,
    achievement_type: str,
    url: str,
    where: str,
    notes: list[str],
    taken: set[str],
) -> Credential:
    if len(achievement_type) > _MAX_TYPE:
        notes.append(f"{where}achievementType: longer than {_MAX_TYPE} characters, left out")
        achievement_type = ""
    if len(url) > _MAX_URL:
        notes.append(f"{where}id: longer than {_MAX_URL} characters, not kept as the URL")
        url = ""
    if not url:
        notes.append(f"{where}id: missing, so the credential has no URL")
    return Credential(
        id=credential_id(title, taken),
        name=title,
        description=description,
        criteria=criteria,
        skills=skills,
        issuer=issuer,
        achievement_type=achievement_type,
        url=url,
    )


def _profile_name(profile: Any, where: str, notes: list[str]) -> str:
    """Return the name of an issuer or creator profile; an id alone is not a name."""
    if isinstance(profile, dict):
        found = _text(profile.get("name"))
        if found:
            return found[:_MAX_NAME]
        ident = profile.get("id")
        shown = f" ({ident})" if isinstance(ident, str) else ""
        notes.append(f"{where}: no name, only an id{shown}; the credential has no issuer name")
    elif isinstance(profile, str):
        notes.append(
            f"{where}: only an id ({profile}), which is not a name; "
            "the credential has no issuer name"
        )
    elif profile is not None:
        notes.append(
            f"{where}: expected a profile, got {_kind(profile)}; the credential has no issuer name"
        )
    return ""


def _alignment_names(alignment: Any) -> tuple[str, ...]:
    items = alignment if isinstance(alignment, list) else [alignment] if alignment else []
    names = [_text(a.get("targetName")) for a in items if isinstance(a, dict)]
    return tuple(dict.fromkeys(n for n in names if n))


def _required_text(doc: dict[str, Any], key: str, where: str, source: str) -> str:
    value = doc.get(key)
    if isinstance(value, dict):  # a language map
        value = next((v for v in value.values() if isinstance(v, str) and v.strip()), None)
    if not isinstance(value, str) or not value.strip():
        what = (
            "missing"
            if value is None
            else "blank"
            if isinstance(value, str)
            else (f"expected text, got {_kind(value)}")
        )
        raise Refused(source, [Problem(where + key, what)])
    text = " ".join(value.split())
    if len(text) > _MAX_NAME:
        raise Refused(
            source, [Problem(where + key, f"{len(text)} characters, at most {_MAX_NAME}")]
        )
    return text


def _text(value: Any) -> str:
    """Return text kept readable: line ends normalised, Markdown left as written."""
    if isinstance(value, dict):  # a language map such as {"en": "..."}
        value = next((v for v in value.values() if isinstance(v, str)), "")
    if not isinstance(value, str):
        return ""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true or false"}.get(
        type(value), "a number" if isinstance(value, int | float) else "nothing"
    )


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)[:120]
