"""Tests for the gap diagram: formats, escaping, layout order, highlight, limits."""

from __future__ import annotations

import random
import re
import subprocess
import xml.etree.ElementTree as ET

import graphviz
import pytest

from journeys import render
from journeys.errors import RenderError
from journeys.findings import Analysis, Finding
from journeys.model import Credential, Journey, Stage, Touchpoint, Transition

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
HOSTILE = '"x" <script>alert(1)</script> ]; \\l \\N'

STAGES = (
    Stage("enrol", "Enrol", "discover"),
    Stage("learn", "Learn", "learn"),
    Stage("award", "Award", "issue"),
    Stage("after", "After", "use"),
)
MISSING = Finding(
    rule="missing-message",
    severity="critical",
    credential="data-lit",
    touchpoint="issued",
    message="represents",
    witness=("welcome", "module-2", "issued"),
    summary="Some learners reach 'Badge issued email' without being told what it represents",
    advice="Say what the badge represents before issuing it.",
    coverage="partial",
)
UNREACHABLE = Finding(
    "unreachable-touchpoint", "warning", None, "orphan", None, None, "No path reaches it", "Link it"
)
FACULTY = Finding("no-faculty-voice", "info", "data-lit", "module-2", None, None, "No faculty", "")


def build_journey(title: str = "Data Literacy") -> Journey:
    """Return a small journey: an entry, a skip, a loop back, an orphan and an empty stage."""
    return Journey(
        title=title,
        credentials=(Credential("data-lit", "Data Literacy Badge"),),
        stages=STAGES,
        touchpoints=(
            Touchpoint("welcome", "Welcome email", "enrol", channel="email", entry=True),
            Touchpoint("orphan", "Orphan page", "enrol"),
            Touchpoint("module-2", "Module 2", "learn", channel="lms"),
            Touchpoint("reminder", "Reminder", "learn"),
            Touchpoint("issued", "Badge issued email", "award", issues=("data-lit",)),
        ),
        transitions=(
            Transition("welcome", "module-2", 0.8),
            Transition("welcome", "reminder"),
            Transition("module-2", "issued"),
            Transition("issued", "reminder"),
        ),
    )


def make_analysis(journey: Journey | None = None, findings=(MISSING, UNREACHABLE, FACULTY)):
    """Return an analysis of ``journey`` with literal findings."""
    journey = journey or build_journey()
    reachable = frozenset(t.id for t in journey.touchpoints if t.id != "orphan")
    return Analysis(journey=journey, findings=findings, checkpoints=(), reachable=reachable)


def make_chain(size: int, stages: int = 6) -> Analysis:
    """Return an analysis of a generated journey of ``size`` touchpoints in ``stages`` stages."""
    stage_list = tuple(Stage(f"s{i}", f"Stage {i}", "learn") for i in range(stages))
    tps = tuple(
        Touchpoint(f"t{i}", f"Touchpoint {i}", f"s{i * stages // size}", entry=i == 0)
        for i in range(size)
    )
    trs = tuple(Transition(f"t{i}", f"t{i + 1}") for i in range(size - 1))
    journey = Journey("Big", (Credential("c", "C"),), stage_list, tps, trs)
    return Analysis(journey, (), (), frozenset(t.id for t in tps))


def svg(analysis: Analysis, **kwargs) -> ET.Element:
    """Return the rendered SVG, parsed (which fails on malformed XML)."""
    return ET.fromstring(render.render_bytes(analysis, "svg", **kwargs))


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    """Return the SVG groups whose class list contains ``cls``."""
    return [g for g in root.iter(f"{SVG}g") if cls in g.get("class", "").split()]


def by_id(root: ET.Element, ident: str) -> ET.Element:
    """Return the SVG group with id ``ident``."""
    (found,) = [g for g in root.iter(f"{SVG}g") if g.get("id") == ident]
    return found


def texts(element: ET.Element) -> list[str]:
    """Return the text lines drawn inside ``element``."""
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def x_range(element: ET.Element) -> tuple[float, float]:
    """Return the leftmost and rightmost x of the outlines drawn inside ``element``."""
    xs: list[float] = []
    for shape in element.iter():
        coords = shape.get("points") or shape.get("d")
        if coords and shape.tag in (f"{SVG}polygon", f"{SVG}path"):
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", coords)]
            xs += numbers[0::2]
    return min(xs), max(xs)


@pytest.fixture
def analysis() -> Analysis:
    return make_analysis()


@pytest.mark.parametrize(
    ("ext", "check"),
    [
        ("svg", lambda data: ET.fromstring(data) is not None),
        ("png", lambda data: data.startswith(b"\x89PNG\r\n\x1a\n")),
        ("pdf", lambda data: data.startswith(b"%PDF")),
        ("dot", lambda data: b"digraph" in data),
    ],
)
def test_every_format_writes_a_real_file(analysis, tmp_path, ext, check):
    path = tmp_path / f"journey.{ext.upper() if ext == 'png' else ext}"
    render.render_file(analysis, path, highlight=MISSING)
    assert check(path.read_bytes())
    assert ext in render.FORMATS


def test_svg_nodes_carry_touchpoint_ids_and_classes(analysis):
    root = svg(analysis)
    ids = {g.get("id") for g in groups(root, "touchpoint")}
    assert ids == {f"tp-{t.id}" for t in analysis.journey.touchpoints}
    assert {"node", "sev-critical", "issues"} <= set(by_id(root, "tp-issued").get("class").split())
    assert "unreachable" in by_id(root, "tp-orphan").get("class").split()
    assert "sev-none" in by_id(root, "tp-reminder").get("class").split()


def test_unknown_extension_names_the_allowed_ones(analysis, tmp_path):
    with pytest.raises(RenderError, match=r"\.svg, \.png, \.pdf, \.dot"):
        render.render_file(analysis, tmp_path / "journey.jpg")
    assert not (tmp_path / "journey.jpg").exists()
    with pytest.raises(RenderError, match="unknown diagram format 'gif'"):
        render.render_bytes(analysis, "gif")


def test_build_graph_returns_an_unrendered_digraph(analysis):
    graph = render.build_graph(analysis)
    assert isinstance(graph, graphviz.Digraph)
    assert render.to_dot(analysis) == graph.source


@pytest.mark.parametrize("where", ["title", "stage", "journey"])
def test_hostile_text_renders_as_text(where):
    journey = build_journey(title=HOSTILE if where == "journey" else "Plain")
    if where == "title":
        tps = (Touchpoint("welcome", HOSTILE, "enrol", entry=True), *journey.touchpoints[1:])
        journey = Journey(journey.title, journey.credentials, STAGES, tps, journey.transitions)
    if where == "stage":
        stages = (Stage("enrol", HOSTILE, "discover"), *STAGES[1:])
        journey = Journey(journey.title, journey.credentials, stages, journey.touchpoints)
    root = svg(make_analysis(journey))  # parses: the SVG is well-formed
    assert not [e for e in root.iter() if e.tag.lower().endswith("script")]
    element = {"title": "tp-welcome", "stage": "stage-enrol", "journey": "graph0"}[where]
    lines = texts(by_id(root, element))
    if where == "journey":
        assert HOSTILE in lines
    else:  # long text wraps over lines; only the break spaces go missing
        assert HOSTILE.replace(" ", "") in "".join(lines).replace(" ", "")
    if where == "title":
        tooltip = by_id(root, "a_tp-welcome").find(f"{SVG}a").get(f"{XLINK}title")
        assert tooltip.startswith(HOSTILE + "\n")


def test_backslashes_and_entities_survive_in_labels_and_tooltips():
    title = "a\\N b\\\\ c\\ &amp; &#92; \\"
    tps = (Touchpoint("welcome", title, "enrol", entry=True),)
    root = svg(make_analysis(Journey("J", (Credential("c", "C"),), STAGES[:1], tps), ()))
    node = by_id(root, "tp-welcome")
    assert title in texts(node)
    assert node.find(f".//{SVG}a").get(f"{XLINK}title").split("\n")[0] == title


def looping_journey() -> Journey:
    """Return a journey with a loop inside a stage, a loop back and a stage with no edges."""
    tps = (
        Touchpoint("welcome", "Welcome", "enrol", entry=True),
        Touchpoint("a", "A", "learn"),
        Touchpoint("b", "B", "learn"),
        Touchpoint("c", "C", "learn"),
        Touchpoint("issued", "Issued", "award", issues=("data-lit",)),
        Touchpoint("alone", "Alone", "after"),
        Touchpoint("late", "Late", "after"),
    )
    trs = [("welcome", "a"), ("a", "b"), ("b", "c"), ("c", "a"), ("b", "issued")]
    trs += [("issued", "welcome"), ("welcome", "late")]
    transitions = tuple(Transition(x, y) for x, y in trs)
    return Journey("Loops", (Credential("data-lit", "Badge"),), STAGES, tps, transitions)


@pytest.mark.parametrize("journey", [build_journey(), looping_journey()], ids=["plain", "loops"])
def test_stages_run_left_to_right_in_order(journey):
    analysis = make_analysis(journey, ())
    root = svg(analysis)
    clusters = [x_range(by_id(root, f"stage-{s.id}")) for s in STAGES]
    for left, right in zip(clusters, clusters[1:], strict=False):
        assert left[1] < right[0]
    for tp in analysis.journey.touchpoints:
        low, high = x_range(by_id(root, f"tp-{tp.id}"))
        stage = clusters[[s.id for s in STAGES].index(tp.stage)]
        assert stage[0] <= low and high <= stage[1]
    assert ("no touchpoints" in texts(root)) == (journey.title == "Data Literacy")


def edge_titles(root: ET.Element, cls: str) -> set[str]:
    """Return the ``from->to`` titles of the SVG edges with class ``cls``."""
    return {g.find(f"{SVG}title").text for g in groups(root, cls) if g in groups(root, "edge")}


def test_highlight_draws_the_witness_path_thick_and_numbered(analysis):
    plain = svg(analysis)
    assert edge_titles(plain, "witness") == set()
    root = svg(analysis, highlight=MISSING)
    assert edge_titles(root, "witness") == {"welcome->module-2", "module-2->issued"}
    for edge in groups(root, "witness"):
        if "edge" in edge.get("class"):
            assert edge.find(f"{SVG}path").get("stroke-width") == "4"
    other = [g for g in groups(root, "transition") if g not in groups(root, "witness")]
    assert other and all(g.find(f"{SVG}path").get("stroke-width") is None for g in other)
    assert "step 1" in texts(root) and "step 2" in texts(root)
    on_path = {g.get("id") for g in groups(root, "witness") if "node" in g.get("class")}
    assert on_path == {"tp-welcome", "tp-module-2", "tp-issued"}
    assert "checkpoint" in by_id(root, "tp-issued").get("class").split()


def test_highlight_without_witness_marks_only_its_touchpoint(analysis):
    root = svg(analysis, highlight=UNREACHABLE)
    assert edge_titles(root, "witness") == set()
    assert [g.get("id") for g in groups(root, "witness")] == ["tp-orphan"]


def test_marks_entries_awards_and_legend(analysis):
    root = svg(analysis, highlight=MISSING)
    assert "▶ START" in texts(by_id(root, "tp-welcome"))
    assert "★ awards Data Literacy Badge" in texts(by_id(root, "tp-issued"))
    assert "80%" in texts(root)
    legend = " ".join(texts(by_id(root, "legend")))
    legend += " ".join(
        t for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("legend-") for t in texts(g)
    )
    for word in ("Legend", "Critical", "octagon", "Warning", "Info", "No finding", "START"):
        assert word in legend
    assert "Highlighted" in legend


def test_size_limit_suggests_the_stage_level_diagram():
    big = make_chain(30)
    with pytest.raises(RenderError, match=r"30 touchpoints.*20.*stage_level=True"):
        render.render_bytes(big, "svg", max_touchpoints=20)
    assert b"digraph" in render.render_bytes(big, "dot", max_touchpoints=20)
    root = svg(big, max_touchpoints=20, stage_level=True)
    stages = [x_range(by_id(root, f"stage-s{i}")) for i in range(6)]
    assert all(a[1] < b[0] for a, b in zip(stages, stages[1:], strict=False))
    assert "5 touchpoints" in texts(by_id(root, "stage-s0"))
    assert not groups(root, "touchpoint")


def test_stage_level_shows_the_worst_finding(analysis):
    root = svg(analysis, stage_level=True, highlight=MISSING)
    award = by_id(root, "stage-award")
    assert "sev-critical" in award.get("class").split()
    assert "worst: critical (1 finding)" in texts(award)
    assert edge_titles(root, "witness") == {"_b0->_b1", "_b1->_b2"}


def test_href_puts_a_link_on_each_touchpoint(analysis):
    root = svg(analysis, href=lambda tp: f'/journeys/7/touchpoints/{tp}?tab=copy&x="1"')
    link = by_id(root, "a_tp-module-2").find(f"{SVG}a")
    assert link.get(f"{XLINK}href") == "/journeys/7/touchpoints/module-2?tab=copy&x=%221%22"


def test_timeout_gives_a_render_error():
    with pytest.raises(RenderError, match=r"longer than 0\.001 s.*stage_level"):
        render.render_bytes(make_chain(300), "svg", timeout=0.001)


def test_missing_graphviz_gives_a_render_error(analysis, monkeypatch):
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    with pytest.raises(RenderError, match="Graphviz is not installed"):
        render.render_bytes(analysis, "png")


def test_failing_graphviz_gives_a_render_error(analysis, monkeypatch):
    def fail(cmd, **kwargs):
        return subprocess.CompletedProcess(cmd, 1, b"", b"Error: syntax error in line 3")

    monkeypatch.setattr(render.subprocess, "run", fail)
    with pytest.raises(RenderError, match="exit status 1: Error: syntax error in line 3"):
        render.render_bytes(analysis, "svg")


def test_random_hostile_titles_show_literally():
    rnd = random.Random(7)
    pieces = [*'\\ \\N \\l \\G " & &amp; &#92; < > ] ; { x'.split(), " "]
    titles = ["".join(rnd.choice(pieces) for _ in range(8)).strip() or "x" for _ in range(60)]
    tps = tuple(Touchpoint(f"t{i}", t, "enrol", entry=i == 0) for i, t in enumerate(titles))
    journey = Journey("Fuzz", (Credential("c", "C"),), STAGES[:1], tps)
    root = svg(make_analysis(journey, ()))
    for i, title in enumerate(titles):
        shown = " ".join(title.split())
        node = by_id(root, f"tp-t{i}")
        lines = [line for line in texts(node) if line not in ("▶ START", "other")]
        assert "".join(lines).replace(" ", "") == shown.replace(" ", "")
        assert node.find(f".//{SVG}a").get(f"{XLINK}title").split("\n")[0] == shown


def test_stage_level_diagram_of_a_long_journey_wraps_into_rows():
    root = svg(make_chain(40, stages=20), stage_level=True)
    first, ninth, tenth = (by_id(root, f"stage-s{i}") for i in (0, 8, 9))

    def y_top(element: ET.Element) -> float:
        ys: list[float] = []
        for shape in element.iter():
            coords = shape.get("points") or shape.get("d")
            if coords and shape.tag in (f"{SVG}polygon", f"{SVG}path"):
                ys += [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", coords)][1::2]
        return min(ys)

    # The ninth stage starts a second row under the first, and the row reads on to the right.
    assert x_range(ninth)[0] == pytest.approx(x_range(first)[0], abs=40)
    assert y_top(ninth) > y_top(first)
    assert x_range(tenth)[0] > x_range(ninth)[1]
