"""The report's people figures and alarm times come from the one population definition (:mod:`plans.population`),
not from copies of it: the muster curve's 90 % / 100 % times and the key times' "k/n" are checked against a scan
of the log in time order that counts the people accounted for (integer arithmetic: 10·k ≥ 9·n), and the report's
first alarm against the first event the vocabulary calls an alarm (a ``warn`` or ``alarm`` reading — a
``clear`` is not one — or a raised alarm)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from commandcenter.report.figures import key_times_of, muster_of
from commandcenter.store.eventstore import Rec
from plans.population import population_of

T0 = 1_800_000_000_000_000
S = 1_000_000


def _log(rows: list[tuple[int, str, dict]]) -> list[Rec]:
    rows = sorted(rows, key=lambda r: r[0])  # stable: same-second events keep their order
    return [Rec(i + 1, T0 + t * S, typ, p) for i, (t, typ, p) in enumerate(rows)]


def test_the_report_names_the_populations_alarm_levels_and_keeps_no_copy_of_its_own() -> None:
    import plans.population as population
    from commandcenter.report import data, figures

    assert data.ALARM_LEVELS is population.ALARM_LEVELS
    assert figures.ALARM_LEVELS is population.ALARM_LEVELS
    assert not hasattr(data, "EVACUATE_KINDS")


_TIME = st.one_of(st.none(), st.integers(1, 40))  # coarse seconds: many ties
_PERSON = st.tuples(_TIME, _TIME)  # (first muster, first task answer), None: never


@settings(max_examples=200, deadline=None)
@given(st.lists(_PERSON, min_size=1, max_size=15), st.lists(st.integers(1, 40), max_size=3))
def test_muster_90_and_100_are_when_a_scan_of_the_log_first_counts_that_many_accounted_for(people, strays) -> None:
    group = [f"P{i:02d}" for i in range(len(people))]
    rows: list[tuple[int, str, dict]] = [(0, "incident.opened", {"title": "t", "exercise": True}),
                                         (0, "evacuation.ordered", {"order_id": "O1", "people": group})]
    for pid, (mustered, answered) in zip(group, people, strict=True):
        if mustered is not None:
            rows.append((mustered, "person.mustered", {"person_id": pid, "assembly_point_id": "AP1"}))
            rows.append((mustered + 5, "person.mustered", {"person_id": pid, "assembly_point_id": "AP2"}))
        if answered is not None:
            rows.append((answered, "task.acknowledged", {"task_id": "T1", "person_id": pid}))
    for i, t in enumerate(strays):  # not ordered out: never counted in the group's figures
        rows.append((t, "person.mustered", {"person_id": f"X{i}", "assembly_point_id": "AP1"}))
    records = _log(rows)

    n = len(group)
    first = {pid: min(t for t in pair if t is not None) for pid, pair in zip(group, people, strict=True)
             if pair != (None, None)}
    need90 = next(k for k in range(1, n + 1) if 10 * k >= 9 * n)
    t90 = t100 = None
    for t in range(0, 41):
        k = sum(1 for v in first.values() if v <= t)
        if t90 is None and k >= need90:
            t90 = t
        if t100 is None and k == n:
            t100 = t

    mu = muster_of(records, T0)
    assert mu.expected == n
    assert (mu.t90_s, mu.t100_s) == (t90, t100)
    keys = {k.key: k for k in key_times_of(records, T0, mu, [])}
    if t90 is None:
        assert "muster_90" not in keys
    else:
        assert (keys["muster_90"].t_us, keys["muster_90"].detail) == (T0 + t90 * S, f"{need90}/{n}")
    if t100 is None:
        assert "muster_100" not in keys
    else:
        assert (keys["muster_100"].t_us, keys["muster_100"].detail) == (T0 + t100 * S, f"{n}/{n}")


_ALARMISH = st.one_of(
    st.tuples(st.just("sensor.alarm"), st.sampled_from(["warn", "alarm", "clear"])),
    st.tuples(st.just("alarm.raised"), st.sampled_from(["warn", "alarm"])),
    st.tuples(st.just("note.added"), st.just("")),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), _ALARMISH), max_size=8), st.one_of(st.none(), st.integers(1, 30)))
def test_the_reports_first_alarm_is_the_first_warn_or_alarm_and_the_populations_alarm_time(events, launch) -> None:
    rows: list[tuple[int, str, dict]] = [(0, "incident.opened", {"title": "t", "exercise": True})]
    for i, (t, (typ, level)) in enumerate(events):
        if typ == "sensor.alarm":
            rows.append((t, typ, {"sensor_id": f"S{i}", "level": level, "value": 1.0, "unit": "ppm"}))
        elif typ == "alarm.raised":
            rows.append((t, typ, {"alarm_id": f"A{i}", "level": level}))
        else:
            rows.append((t, typ, {"text": "n"}))
    if launch is not None:
        rows.append((launch, "plan.launched", {"plan_id": "p", "level": "L2"}))
    records = _log(rows)

    alarms = [r.t_us for r in records
              if r.type == "alarm.raised" or (r.type == "sensor.alarm" and r.payload["level"] != "clear")]
    keys = {k.key: k.t_us for k in key_times_of(records, T0, muster_of(records, T0), [])}
    pop = population_of(records)
    if alarms:
        assert keys["first_alarm"] == alarms[0] == pop.alarm_us
        assert pop.alarm_basis == "alarm"
    else:
        assert "first_alarm" not in keys
        assert pop.alarm_basis == ("launch" if launch is not None else "opened")
