"""The figure plan: which figures a set has (`FIGURE_PLAN`, one place, by question id and
chart kind), the output formats per preset and the scopes a set is made for. Data only:
takes nothing, gives the plan. Imports nothing of kartoitus.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class PlanItem(NamedTuple):
    """One figure of a set: a question id (or "kuntatutka" for the municipality survey's
    indicators), the chart kind, and for comparisons and maps the option code whose share is
    drawn (None: the question's first option, e.g. "Kyllä")."""

    question: str
    kind: str
    option: Any = None


#: The figures of a slide set, in slide order. Kinds:
#: "bars" (single/multi, the area's own organisations), "likert" (diverging bars), "numeric"
#: (median and quartiles per municipality/workshop region and the region), "by_size_class" and
#: "by_field" (region-wide, per group), "compare" (the area beside its wider areas on a fixed
#: 0–100 % axis), "map" (share by municipality, the whole region), "indicator_map" and
#: "indicator_matrix" (kuntatutka, needs the municipality survey's indicators).
FIGURE_PLAN: tuple[PlanItem, ...] = (
    PlanItem("field", "bars"),
    PlanItem("size_class", "bars"),
    PlanItem("members", "numeric"),
    PlanItem("volunteers", "numeric"),
    PlanItem("paid_staff", "numeric"),
    PlanItem("budget_class", "bars"),
    PlanItem("grant_received", "bars"),
    PlanItem("grant_types", "bars"),
    PlanItem("activities", "bars"),
    PlanItem("target_groups", "bars"),
    PlanItem("premises", "bars"),
    PlanItem("premises_adequate", "likert"),
    PlanItem("impact", "likert"),
    PlanItem("outlook", "bars"),
    PlanItem("dev_needs", "bars"),
    PlanItem("coop_municipality", "likert"),
    PlanItem("partners", "bars"),
    PlanItem("service_partner", "bars"),
    PlanItem("grant_received", "by_size_class"),
    PlanItem("dev_needs", "by_size_class"),
    PlanItem("grant_received", "by_field"),
    PlanItem("grant_received", "compare"),
    PlanItem("service_partner", "compare"),
    PlanItem("outlook", "compare"),
    PlanItem("premises_adequate", "compare"),
    PlanItem("coop_municipality", "compare"),
    PlanItem("grant_received", "map"),
    PlanItem("service_partner", "map"),
    PlanItem("kuntatutka", "indicator_map"),
    PlanItem("kuntatutka", "indicator_matrix"),
)


#: Output formats per preset: slides are 1920×1080 PNG (plus SVG to edit), reports take SVG.
PRESETS: dict[str, tuple[str, ...]] = {"slides": ("png", "svg"), "report": ("svg",)}


SCOPES = ("workshop", "municipality", "region")
