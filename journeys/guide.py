"""Learner guides: how and where to share a credential, built from what it says about itself.

The seed article's answer to "no incentive to share": step-by-step LinkedIn
instructions, an e-portfolio entry, a CV line, a job-application paragraph
and interview talking points, all grounded in the credential's own
description, criteria and skills.

>>> from journeys.model import Credential
>>> badge = Credential("data-lit", "Data Literacy Badge", issuer="Uni X")
>>> linkedin_url(badge, issued=(2027, 3), cert_id="A-17")
'https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=Data%20Literacy%20Badge&organizationName=Uni%20X&issueYear=2027&issueMonth=3&certId=A-17'
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from journeys.model import Credential

__all__ = [
    "Guide",
    "Section",
    "guide",
    "linkedin_url",
    "parse_month",
    "to_data",
    "to_html",
    "to_markdown",
]

LINKEDIN_ADD = "https://www.linkedin.com/profile/add"
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


@dataclass(frozen=True)
class Section:
    """One part of a guide: ``id`` (``linkedin``, ``portfolio``, ``cv``, ...), title and text."""

    id: str
    title: str
    text: str


@dataclass(frozen=True)
class Guide:
    """A learner guide for one credential: the LinkedIn link and the copy-paste sections."""

    credential: Credential
    linkedin_url: str
    #: The LinkedIn form's fields and what to type in each, for when prefill does not work.
    fields: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]


def parse_month(text: str) -> tuple[int, int]:
    """Return ``(year, month)`` from ``YYYY-MM``, month 1-based, or raise ValueError.

    >>> parse_month("2027-03")
    (2027, 3)
    """
    found = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1900:
        raise ValueError(f"{text!r} is not a month: use YYYY-MM, e.g. 2027-03")
    return int(found.group(1)), int(found.group(2))


def linkedin_url(
    credential: Credential,
    *,
    issued: tuple[int, int] | None = None,
    cert_url: str = "",
    cert_id: str = "",
    organization_id: int | None = None,
) -> str:
    """Return LinkedIn's "Add to profile" link for Licenses & Certifications, fields filled in.

    Parameters in LinkedIn's order: ``startTask=CERTIFICATION_NAME``, ``name``,
    ``organizationId`` where known else ``organizationName``, ``issueYear``,
    ``issueMonth`` (1-based: March is 3), ``certUrl``, ``certId``; values
    percent-encoded, empty ones left out.
    """
    params: list[tuple[str, str]] = [("startTask", "CERTIFICATION_NAME"), ("name", credential.name)]
    if organization_id is not None:
        params.append(("organizationId", str(organization_id)))
    elif credential.issuer:
        params.append(("organizationName", _issuer(credential)))
    if issued is not None:
        params += [("issueYear", str(issued[0])), ("issueMonth", str(issued[1]))]
    if cert_url:
        params.append(("certUrl", cert_url))
    if cert_id:
        params.append(("certId", cert_id))
    return f"{LINKEDIN_ADD}?{urlencode(params, quote_via=quote, safe='')}"


def _issuer(credential: Credential) -> str:
    """Return the issuing organisation's name without the achievement creator's."""
    return credential.issuer.split(" (achievement created by ", 1)[0]


def plain(markdown: str) -> str:
    """Return Markdown as plain running text: headings and list marks dropped, lines joined.

    >>> plain("# Requirements\\n- Pass the quiz\\n- Write a *short* essay")
    'Requirements. Pass the quiz; write a short essay'
    """
    parts: list[str] = []
    for raw in markdown.splitlines():
        line = raw.strip()
        if not line:
            continue
        heading = line.startswith("#")
        line = re.sub(r"^(#+|[-*+]|\d+[.)])\s+", "", line)
        line = re.sub(r"[*_`]{1,3}([^*_`]+)[*_`]{1,3}", r"\1", line)
        line = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line)
        if parts and not heading and not parts[-1].endswith((".", ":", "!", "?")):
            parts[-1] += ";"
            line = line[:1].lower() + line[1:]
        parts.append(line + ("." if heading and not line.endswith(".") else ""))
    return " ".join(parts)


def _sentence(text: str) -> str:
    text = plain(text).strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def _listed(items: tuple[str, ...]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def guide(
    credential: Credential,
    *,
    issued: tuple[int, int] | None = None,
    cert_url: str = "",
    cert_id: str = "",
    organization_id: int | None = None,
) -> Guide:
    """Return the learner guide for ``credential``; the keyword fields fill the LinkedIn link."""
    c = credential
    link = linkedin_url(
        c, issued=issued, cert_url=cert_url, cert_id=cert_id, organization_id=organization_id
    )
    issuer = _issuer(c) or "the issuing organisation"
    when = f"{_MONTHS[issued[1] - 1]} {issued[0]}" if issued else ""
    address = cert_url or "the link to your own badge (from the badge email or your backpack)"
    fields = (
        ("Name", c.name),
        ("Issuing organization", _issuer(c) or "(the issuer's name, as on your badge)"),
        ("Issue date", when or "(the month you received it)"),
        ("Credential ID", cert_id or "(the ID on your badge, if it has one)"),
        ("Credential URL", cert_url or "(the link to your badge)"),
    )
    skills = tuple(s for s in c.skills if s.strip())
    represents = _sentence(c.description)
    earned_by = _sentence(c.criteria)

    steps = [
        "Sign in to LinkedIn, then open this link: " + link,
        "LinkedIn opens the Add license or certification form with the fields filled in. "
        "Check each one against the list below; LinkedIn does not always fill them in, so "
        "type any that are empty.",
    ]
    if not organization_id:
        steps.append(
            f"In Issuing organization, pick {issuer} from the list if it appears, so that the "
            "entry shows its logo and links to its page."
        )
    steps += [
        "Add the skills it certifies under Skills" + (f": {_listed(skills)}." if skills else "."),
        "Select Save. To tell your network, share a post about it from your profile.",
    ]
    linkedin = "\n".join(f"{i}. {s}" for i, s in enumerate(steps, start=1))
    linkedin += "\n\nFields to check or type:\n" + "\n".join(f"- {k}: {v}" for k, v in fields)

    portfolio_lines = [
        f"{c.name}",
        f"Issued by {issuer}" + (f", {when}" if when else ""),
    ]
    if c.achievement_type:
        portfolio_lines.append(f"Type: {_spaced(c.achievement_type)}")
    if represents:
        portfolio_lines.append(f"What it represents: {represents}")
    if earned_by:
        portfolio_lines.append(f"How I earned it: {earned_by}")
    if skills:
        portfolio_lines.append("Skills: " + "; ".join(skills))
    portfolio_lines.append(f"Evidence: {address}")
    portfolio_lines.append(
        "Reflection: (two or three sentences on what you did, what you learned and where "
        "you have used it since)"
    )

    cv = f"{c.name}, {issuer}" + (f" ({when})" if when else "")
    if skills:
        cv += ": " + _listed(skills)
    cv += "."

    application = f"I hold the {c.name}, awarded by {issuer}" + (f" in {when}" if when else "")
    application += "."
    if represents:
        application += f" It recognises the following: {represents}"
    if earned_by:
        application += f" To earn it, I met these criteria: {earned_by}"
    if skills:
        application += f" It shows that I can apply {_listed(skills)}, which this role calls for."
    application += f" You can check it at {address}."

    points = [
        f"Name it plainly: the {c.name} from {issuer}"
        + (f", {_spaced(c.achievement_type).lower()}" if c.achievement_type else "")
        + "."
    ]
    if represents:
        points.append(f"Say what it means in one sentence: {represents}")
    if earned_by:
        points.append(
            f"Describe what you did to earn it, as a short story (situation, task, action, "
            f"result): {earned_by}"
        )
    points += [
        f"Give one example of a time you used {skill}, and what came of it." for skill in skills
    ]
    points.append(
        "Offer the link so the interviewer can see the criteria and evidence for themselves."
    )
    interview = "\n".join(f"- {p}" for p in points)

    sections = (
        Section("linkedin", "Add it to LinkedIn", linkedin),
        Section("portfolio", "E-portfolio entry", "\n".join(portfolio_lines)),
        Section("cv", "CV line", cv),
        Section("application", "Job application paragraph", application),
        Section("interview", "Interview talking points", interview),
    )
    return Guide(c, link, fields, sections)


def _spaced(camel: str) -> str:
    """Return an achievement type such as ``CertificateOfCompletion`` as words."""
    name = camel.removeprefix("ext:")
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


def to_data(g: Guide) -> dict[str, Any]:
    """Return the guide as plain data (``--format json``): ``linkedin_url`` and every section."""
    return {
        "format": "claimpath-guide/1",
        "credential": g.credential.id,
        "name": g.credential.name,
        "linkedin_url": g.linkedin_url,
        "linkedin_fields": [{"field": k, "value": v} for k, v in g.fields],
        "sections": [{"id": s.id, "title": s.title, "text": s.text} for s in g.sections],
    }


def to_markdown(g: Guide) -> str:
    """Return the guide as a Markdown document for learners."""
    out = [f"# Share your {g.credential.name}", ""]
    for s in g.sections:
        out += [f"## {s.title}", "", s.text, ""]
    return "\n".join(out)


def to_html(g: Guide) -> str:
    """Return the guide as a standalone, printable HTML page."""
    title = html.escape(f"Share your {g.credential.name}")
    body = []
    for s in g.sections:
        text = html.escape(s.text).replace(
            html.escape(g.linkedin_url),
            f'<a href="{html.escape(g.linkedin_url)}">Add to LinkedIn profile</a>',
        )
        body.append(
            f'<section id="{s.id}"><h2>{html.escape(s.title)}</h2>'
            f'<pre style="white-space: pre-wrap; font: inherit">{text}</pre></section>'
        )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body><main><h1>{title}</h1>\n"
        + "\n".join(body)
        + "\n</main></body></html>\n"
    )
