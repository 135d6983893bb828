"""Turn-by-turn instructions, re-routing on a hazard change, and bad input reported person by person."""

from __future__ import annotations

import numpy as np
import shapely

from gis.routing.hazard_graph import Hazard
from gis.routing.people import make_people, people_of_plant
from gis.routing.plan import plan_evacuation
from gis.routing.reroute import reroute
from gis.routing.site import Landmark, Site
from tests.gis.routing import tiny

NAMES = {"r3": ("3号路", "Road 3"), "r4": ("4号路", "Road 4")}


def test_instructions_in_chinese_and_english():
    lines = [("r3", "road", 6.0, [(0, 0), (0, 60), (0, 120)]), ("r4", "road", 6.0, [(0, 120), (-80, 120)])]
    s = tiny.site(lines, [("AP", (-80, 120), 100)], NAMES)
    s.aps.names[0], s.aps.names_en[0] = "西广场集合点", "West square assembly point"
    node_b = int(s.graph.nearest_nodes(np.array([[0.0, 120.0]]))[0][0])
    s.landmarks.append(Landmark(node_b, "B门", "gate B"))
    plan = plan_evacuation(s, tiny.people(s, [(0, 0)]), method="shortest")
    zh, en = plan.instructions(0)
    assert zh == ["沿3号路向北走120米，在B门左转进入4号路", "沿4号路向西走80米", "到达西广场集合点"]
    assert en == ["Walk north along Road 3 for 120 m, turn left at gate B onto Road 4",
                  "Walk west along Road 4 for 80 m", "Arrive at West square assembly point"]


def test_unnamed_walkways_and_doors_are_named_by_kind_and_id(mini_plant):
    plan = plan_evacuation(Site.of_plant(mini_plant), people_of_plant(mini_plant), method="shortest")
    texts = [plan.instructions(i) for i in np.flatnonzero(plan.routed)]
    zh_all = " ".join(" ".join(z) for z, _ in texts)
    en_all = " ".join(" ".join(e) for _, e in texts)
    assert "穿过门D1" in zh_all
    assert "through door D1" in en_all
    assert all(z[-1].startswith("到达") and e[-1].startswith("Arrive at") for z, e in texts)


def test_reroute_changes_only_the_affected_people(demo_plant):
    site = Site.of_plant(demo_plant)
    people = people_of_plant(demo_plant)
    for method in ("shortest", "capacity"):
        old = plan_evacuation(site, people, method=method)
        # A red zone on the route of person 0 (a point in the middle of it).
        route_xy = old.path_xy(0)
        mid = route_xy[len(route_xy) // 2]
        new_hazard = Hazard([shapely.Point(*mid).buffer(25)], ["red"])
        new, changes = reroute(old, new_hazard)
        changed = {c.id for c in changes}
        assert str(people.ids[0]) in changed
        red = new.net.edge_hazard.red
        for i in range(len(people)):
            pid = str(people.ids[i])
            old_route, new_route = old.assignment.routes[i], new.assignment.routes[i]
            touches = red[new.net.arc_edge[old_route]].any() if old_route else False
            if pid not in changed:
                assert old_route == new_route, pid
                assert old.assignment.ap[i] == new.assignment.ap[i]
            if touches and not new.assignment.escape[i]:
                assert pid in changed
            if new_route and not new.assignment.escape[i]:
                assert not red[new.net.arc_edge[new_route]].any()
        assert 0 < len(changes) < len(people)
        assert all(c.reason for c in changes)


def test_lifting_the_hazard_reroutes_only_who_gains():
    lines = [("direct", "road", 6.0, [(0, 0), (100, 0)]), ("up", "road", 6.0, [(0, 0), (0, 40)]),
             ("top", "road", 6.0, [(0, 40), (100, 40)]), ("down", "road", 6.0, [(100, 40), (100, 0)]),
             ("side", "road", 6.0, [(100, 40), (140, 40)])]
    s = tiny.site(lines, [("AP", (100, 0), 100)])
    people = tiny.people(s, [(0, 0), (140, 40)])
    old = plan_evacuation(s, people, Hazard([shapely.box(40, -5, 60, 5)], ["red"]), method="shortest")
    new, changes = reroute(old, None)
    assert [c.id for c in changes] == ["p0"]
    assert changes[0].reason == "a faster route opened"
    assert new.assignment.length_m[0] == 100.0


def test_bad_input_is_reported_per_person_and_component():
    lines = [("main", "road", 6.0, [(0, 0), (100, 0)]), ("island", "road", 6.0, [(0, 300), (100, 300)])]
    fence = shapely.box(-10, -10, 400, 400)
    s = tiny.site(lines, [("AP", (100, 0), 100)], polygon=fence)
    xy = [(10, 0), (1000, 1000), (300, 100), (10, 300), (np.nan, 5)]
    people = make_people(s.graph, ["ok", "outside", "far", "island", "nowhere"], [p[0] for p in xy],
                         [p[1] for p in xy], site=fence)
    plan = plan_evacuation(s, people, method="capacity")
    codes = {u["id"]: u["code"] for u in plan.unroutable()}
    assert codes == {"outside": "outside-site", "far": "too-far-from-walkway", "island": "unreachable-component",
                     "nowhere": "bad-position"}
    assert all(u["reason"] for u in plan.unroutable())
    [comp] = plan.unroutable_components()
    assert comp["code"] == "unreachable-component"
    assert comp["people"] == 1
    assert "island" in comp["walkways"]
    assert plan.routed.tolist() == [True, False, False, False, False]


def test_a_hazard_over_every_assembly_point_is_reported_not_raised(demo_plant):
    site = Site.of_plant(demo_plant)
    everything = shapely.box(*site.graph.node_xy.min(axis=0) - 100, *site.graph.node_xy.max(axis=0) + 100)
    ring = everything.difference(shapely.Point(*site.graph.node_xy.mean(axis=0)).buffer(50))
    plan = plan_evacuation(site, people_of_plant(demo_plant), Hazard([ring], ["yellow"]), method="capacity")
    assert not plan.routed.any()
    assert {u["code"] for u in plan.unroutable()} == {"no-safe-assembly-point"}
    assert plan.evacuation_time_s == 0.0
    assert plan.lower_bound_s == 0.0
    assert plan.to_json()["people"] == []
