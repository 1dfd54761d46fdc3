"""What-if fixes in the engine: which are offered, applied to a copy, compared before and after."""

from __future__ import annotations

import pytest

from journeys import fixes as whatif
from journeys.analysis import analyse
from journeys.fileformat import from_data
from journeys.graph import exits
from journeys.score import score

FIX = "say:issued:data-lit:represents"


@pytest.fixture
def analysis(tiny):
    """Return the engine's analysis of the tiny journey."""
    return analyse(from_data(tiny()))


class TestSuggestions:
    def test_a_missing_message_can_be_told_at_the_checkpoint_or_just_before(self, analysis):
        keys = [f.key for f in whatif.suggestions(analysis)]
        assert keys[:2] == [FIX, "say:module:data-lit:represents"]

    def test_each_fix_is_offered_once_and_names_its_findings(self, analysis):
        fixes = whatif.suggestions(analysis)
        assert len({f.key for f in fixes}) == len(fixes)
        assert all(f.findings for f in fixes)
        label = next(f.label for f in fixes if f.key == FIX)
        assert label == (
            "Tell learners at 'Badge issued email' what the Data Literacy Badge represents"
        )

    def test_a_missing_employer_adds_a_touchpoint_after_an_exit(self, analysis):
        fix = next(f for f in whatif.suggestions(analysis) if f.key.startswith("add:employer"))
        assert fix.key == "add:employer:issued"
        assert "in stage 'Award', right after 'Badge issued email'" in fix.label

    def test_a_surprise_is_announced_earlier(self, tiny):
        document = tiny()
        document["touchpoints"][0].update(content="Welcome.", messages={})
        keys = [f.key for f in whatif.suggestions(analyse(from_data(document)))]
        assert "say:module:data-lit:earned+represents" in keys
        assert "say:welcome:data-lit:earned+represents" in keys


class TestApplyingToACopy:
    def test_adds_the_message_and_leaves_the_original_alone(self, tiny):
        source = from_data(tiny())
        changed = whatif.apply(source, [FIX, "say:issued:data-lit:why"])
        assert changed.touchpoint_by_id["issued"].messages["data-lit"] == (
            "represents",
            "why",
            "claim",
        )
        assert source.touchpoint_by_id["issued"].messages["data-lit"] == ("claim",)

    def test_a_new_touchpoint_takes_over_the_next_steps(self, tiny):
        source = from_data(tiny())
        changed = whatif.apply(source, ["add:employer:module"])
        pairs = [(t.from_, t.to, t.share) for t in changed.transitions]
        assert ("module", "employer-event", None) in pairs
        assert ("employer-event", "issued", 0.8) in pairs
        added = changed.touchpoint_by_id["employer-event"]
        assert (added.stage, added.owner) == ("learn", "employer")
        assert exits(changed) == exits(source)

    def test_the_fixes_resolve_their_findings(self, analysis, tiny):
        tried = analyse(whatif.apply(from_data(tiny()), [FIX, "add:employer:issued"]))
        change = whatif.compare(analysis, tried)
        assert {f.rule for f in change.resolved} >= {"no-employer-touchpoint"}
        assert score(tried).value > score(analysis).value

    @pytest.mark.parametrize(
        "key",
        ["say:issued:nope:represents", "say:nope:data-lit:claim", "say:issued:data-lit:shout",
         "add:party:issued", "add:employer:nope", "drop:issued", "say:issued"],
    )  # fmt: skip
    def test_refuses_a_key_that_names_no_change(self, tiny, key):
        with pytest.raises(ValueError):
            whatif.apply(from_data(tiny()), [key])
