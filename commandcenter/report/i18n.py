"""The report's words in Chinese and English, time formatting in the plant's zone, and finding sentences."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from vocabulary.events import LEVEL_NAMES, from_us

LANGS = ("zh", "en")

_L: dict[str, tuple[str, str]] = {
    "report_title": ("应急响应事后评估报告", "After-action report"),
    "exercise_banner": ("演练 EXERCISE — 非真实事件", "EXERCISE 演练 — not a real incident"),
    "exercise_short": ("演练 EXERCISE", "EXERCISE 演练"),
    "real_incident": ("真实事件", "Real incident"),
    "page": ("第 {n} 页 / 共 {total} 页", "Page {n} of {total}"),
    "incident": ("事件编号", "Incident"),
    "title": ("标题", "Title"),
    "plant": ("工厂", "Plant"),
    "timezone": ("时区", "Time zone"),
    "times_note": ("本报告所有时间均为工厂当地时间（{tz}，UTC{offset}）；T+ 为自事件开始起算的时间。",
                   "All times are plant local time ({tz}, UTC{offset}); T+ is the time since the incident opened."),
    "period": ("起止时间", "Period"),
    "duration": ("持续时间", "Duration"),
    "scenario": ("演练情景", "Scenario"),
    "sc_id": ("情景 {v}", "scenario {v}"),
    "sc_source": ("泄漏源 {v}", "source {v}"),
    "sc_release": ("{substance} {rate} kg/s", "{substance} at {rate} kg/s"),
    "sc_plan": ("预案 {v}", "plan {v}"),
    "sc_start": ("开始 {v}", "start {v}"),
    "sc_wind": ("风速 {speed} m/s，风向 {deg}°（来向），稳定度 {stability}",
                "wind {speed} m/s from {deg}°, stability {stability}"),
    "sc_seed": ("随机种子 {v}", "seed {v}"),
    "no_scenario": ("日志中无演练情景记录（drill.scenario）", "No scenario recorded in the log (drill.scenario)"),
    "plans": ("启动的预案", "Plans launched"),
    "levels": ("响应级别", "Response levels"),
    "level_opened": ("开始", "at opening"),
    "level_launch": ("启动", "launch"),
    "key_times": ("关键时间节点", "Key times"),
    "summary": ("主要指标", "Headline figures"),
    "steps": ("预案步骤：时限、实际完成与偏差", "Plan steps: deadline, actual time and deviation"),
    "step": ("步骤", "Step"),
    "assignee": ("执行人", "Assignee"),
    "deadline": ("时限", "Deadline"),
    "actual": ("实际完成", "Actual"),
    "deviation": ("偏差", "Deviation"),
    "status": ("状态", "Status"),
    "critical_path": ("关键路径", "Critical path"),
    "overrun": ("整体超时", "Overrun of the end"),
    "muster": ("人员清点曲线", "Muster curve"),
    "muster_axis": ("已清点人数", "People accounted for"),
    "muster_basis_evacuation_ordered": ("撤离人员：撤离令（evacuation.ordered）所列人员",
                                        "Ordered to evacuate: the people the evacuation order named"),
    "muster_basis_evacuation_plan": ("撤离人员：疏散方案（evacuation.planned）所列人员（日志无撤离令，演练按方案撤离）",
                                     "Ordered to evacuate: the people the evacuation plan routed (no evacuation "
                                     "order in the log; a drill orders out whoever its plan routes)"),
    "muster_basis_evacuate_command": ("撤离人员：收到撤离/集合指令的人员",
                                      "Ordered to evacuate: everyone sent an evacuate or muster command"),
    "muster_basis_on_site": ("撤离人员：日志中无撤离令，按全厂撤离计（在场全部人员）",
                             "Ordered to evacuate: no order in the log, so everyone on site"),
    "muster_basis_none": ("日志中无人员信息", "The log holds no people"),
    "muster_group_note": ("曲线与表格均以“应清点人员”（撤离人员 + 现场登记人员）为分母；"
                          "已集合、任务中、未清点三者之和等于应清点人数。"
                          "每人自首次集合或首次接受任务起计为已清点。",
                          "The curve and the table count the people to account for (ordered to evacuate + "
                          "walk-ups): mustered + at their task + not accounted for = to account for. A person "
                          "counts as accounted for from their first muster or task answer."),
    "people_h": ("人员口径（本报告所有人数均据此统计）", "People (every count in this report is of these groups)"),
    "pop_on_site": ("警报时在场人员", "On site at the alarm"),
    "pop_on_site_gate": ("门禁刷卡进入且未刷出，以及日志中出现的其他人员",
                         "gate badges in at the alarm, and everyone else the log names"),
    "pop_on_site_seen": ("日志中出现的人员（日志无门禁/花名册记录，从未上报的人员无法计入）",
                         "people the log names (the log holds no gate badges or roster: people who never "
                         "reported cannot be counted)"),
    "pop_ordered": ("撤离人员", "Ordered to evacuate"),
    "pop_walk_ups": ("现场登记人员（访客、承包商，不在花名册）", "Walk-ups checked in (visitors, contractors)"),
    "pop_group": ("应清点人员（撤离人员 + 现场登记人员）", "To account for (ordered + walk-ups)"),
    "pop_mustered": ("已集合", "Mustered"),
    "pop_on_task": ("任务中（已接受任务的应急人员，未集合）", "At their task (responders who did not muster)"),
    "pop_unaccounted": ("未清点", "Not accounted for"),
    "pop_sum": ("核对", "Check"),
    "pop_not_ordered": ("未列入撤离但已集合（不计入上述人数）", "Mustered without an order (not in the counts above)"),
    "at_alarm": ("警报时刻", "alarm at"),
    "expected": ("应清点", "To account for"),
    "mustered": ("已集合", "Mustered"),
    "accounted": ("已清点（已集合或任务中）", "Accounted for (mustered or at task)"),
    "on_task": ("任务中", "At their task"),
    "missing": ("未清点", "Not accounted for"),
    "others": ("未列入撤离但已集合", "Mustered without an order"),
    "t90": ("90% 清点", "90 % accounted for"),
    "t100": ("100% 清点", "All accounted for"),
    "never": ("未达到", "not reached"),
    "acks": ("确认时延", "Acknowledgement latency"),
    "acks_axis": ("确认时延（秒）", "Latency (s)"),
    "acks_count": ("次数", "Count"),
    "cmd_acks": ("指令确认", "Command acknowledgements"),
    "task_acks": ("任务确认", "Task acknowledgements"),
    "unanswered": ("未确认", "Never answered"),
    "median": ("中位数", "Median"),
    "p90": ("90 分位", "90th percentile"),
    "max": ("最大", "Max"),
    "zones": ("各危害区内人数随时间变化", "People inside each hazard zone over time"),
    "zones_axis": ("区内人数", "People inside"),
    "zones_none": ("日志中无危害评估（hazard.assessed）或无人员位置，无法统计。",
                   "No hazard assessment (hazard.assessed) or no positions in the log: nothing to count."),
    "zones_note": ("区域按严重程度嵌套：橙区人数包含红区内人员，黄区同理。已清点人员计于其集合点。",
                   "Zones nest by severity: the orange count includes people in the red zone, and so on. "
                   "People who have mustered count at their assembly point."),
    "peak": ("峰值", "peak"),
    "zone_red": ("红区", "red zone"),
    "zone_orange": ("橙区", "orange zone"),
    "zone_yellow": ("黄区", "yellow zone"),
    "snapshots": ("关键时刻态势图", "Map at key moments"),
    "snap_first_alarm": ("首次报警", "First alarm"),
    "snap_launched": ("预案启动", "Plan launched"),
    "snap_first_assessment": ("首次危害评估", "First hazard assessment"),
    "snap_muster_90": ("90% 人员清点", "90 % accounted for"),
    "snap_middle": ("事件中段", "Midway"),
    "snap_opened": ("事件开始", "Incident opened"),
    "snap_end": ("结束", "End"),
    "legend_on_site": ("未集合（最后位置）", "not mustered (last position)"),
    "legend_mustered": ("已集合", "mustered"),
    "legend_counts": ("应清点 {group}：已集合 {mustered}，任务中 {on_task}，未清点 {unaccounted}",
                      "To account for {group}: mustered {mustered}, at task {on_task}, not accounted for "
                      "{unaccounted}"),
    "legend_not_ordered": ("未列入撤离但已集合 {n}", "mustered without an order {n}"),
    "legend_sos": ("求救", "SOS"),
    "legend_ap": ("集合点", "assembly point"),
    "legend_route": ("疏散路线", "evacuation route"),
    "legend_alarm": ("报警探头", "detector in alarm"),
    "audit": ("响应过程合规性审计", "Response compliance audit"),
    "audit_note": ("逐项核对关键动作的时限与现场证据；证据照片按日志记录的 SHA-256 校验。",
                   "Each key action against its deadline, with its field evidence; photos are checked against "
                   "the SHA-256 recorded in the log."),
    "action": ("关键动作", "Key action"),
    "evidence": ("证据", "Evidence"),
    "in_time": ("是否及时", "In time"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "na": ("—", "—"),
    "st_compliant": ("合规", "compliant"),
    "st_late": ("超时", "late"),
    "st_not_done": ("未完成", "not done"),
    "st_evidence_missing": ("缺少证据", "evidence missing"),
    "st_evidence_mismatch": ("证据校验失败", "evidence does not verify"),
    "st_no_deadline": ("无时限", "no deadline"),
    "ev_verified": ("已校验", "verified"),
    "ev_mismatch": ("哈希不符", "hash mismatch"),
    "ev_missing": ("文件缺失", "file missing"),
    "ev_unreadable": ("无法读取", "unreadable"),
    "ev_required": ("要求证据", "evidence required"),
    "ev_none": ("无", "none"),
    "ev_required_none": ("要求提交，未收到", "required, none received"),
    "outcome_done": ("完成", "done"),
    "outcome_skipped": ("跳过", "skipped"),
    "outcome_open": ("未完成", "not done"),
    "linkage": ("设备联动成功率", "Equipment linkage success rate"),
    "linkage_def": ("按时完成的联动（actuate）指令数 / 已发送数", "actuate commands done within their deadline / sent"),
    "linkage_none": ("本次事件未发送设备联动指令。", "No equipment linkage (actuate) command was sent."),
    "equipment": ("设备", "Equipment"),
    "sent": ("发送", "Sent"),
    "result": ("结果", "Result"),
    "res_done": ("按时完成", "done in time"),
    "res_late": ("超时完成", "done late"),
    "res_failed": ("失败", "failed"),
    "res_no_answer": ("无回执", "no answer"),
    "accuracy": ("疏散准确率", "Evacuation accuracy"),
    "accuracy_def": ("到达指定集合点的人数 / 按疏散方案清点的人数",
                     "people who mustered at the point they were sent to / people to account for who mustered "
                     "under a plan"),
    "acc_not_mustered": ("方案指定集合点但未集合（任务中或未清点，见人员口径）",
                         "sent to a point who did not muster (at their task or not accounted for: see People)"),
    "accuracy_none": ("日志中无疏散方案（evacuation.planned），无法评估。",
                      "No evacuation plan (evacuation.planned) in the log: accuracy cannot be assessed."),
    "sent_to": ("指定集合点", "Sent to"),
    "reached": ("实际到达", "Reached"),
    "findings": ("问题清单（按对整体完成时间的延误排序）", "Findings (ranked by how much each delayed the end)"),
    "findings_none": ("未发现问题。", "No findings."),
    "trend": ("同一预案历次演练趋势", "Trend over earlier drills of the same plan"),
    "trend_none": ("日志中没有同一预案的其他演练。", "The log holds no other drill of the same plan."),
    "trend_launch": ("启动用时（秒）", "Time to launch (s)"),
    "trend_muster": ("100% 清点用时（秒）", "Time to all accounted for (s)"),
    "trend_on_time": ("按时步骤比例", "Steps on time"),
    "this_drill": ("本次", "this drill"),
    "integrity": ("日志完整性", "Log integrity"),
    "chain_ok": ("哈希链校验通过：{n} 个事件，末事件哈希 {h}", "Hash chain verified: {n} events, head hash {h}"),
    "chain_bad": ("哈希链校验失败：{brk}", "Hash chain does NOT verify: {brk}"),
    "events": ("事件统计", "Events"),
    "generated": ("生成时间", "Generated"),
    "key_opened": ("事件开始", "Incident opened"),
    "key_first_alarm": ("首次报警", "First alarm"),
    "key_alarm_confirmed": ("报警确认", "Alarm confirmed"),
    "key_launched": ("预案启动", "Plan launched"),
    "key_level": ("级别调整为 {level}", "Level raised to {level}"),
    "key_first_command": ("首条指令下达", "First command sent"),
    "key_first_assessment": ("首次危害评估", "First hazard assessment"),
    "key_evacuation_planned": ("疏散方案生成", "Evacuation planned"),
    "key_muster_90": ("90% 人员清点", "90 % accounted for"),
    "key_muster_100": ("100% 人员清点", "All accounted for"),
    "key_steps_done": ("全部步骤完成", "All steps finished"),
    "key_closed": ("事件关闭", "Incident closed"),
    "moment": ("节点", "Moment"),
    "time": ("时间", "Time"),
    "elapsed": ("T+", "T+"),
    "detail": ("说明", "Detail"),
    "minutes_after": ("自 {t} 起的分钟数", "Minutes after {t}"),
    "steps_on_time": ("按时完成步骤", "Steps on time"),
    "ack_median": ("确认时延中位数", "Median acknowledgement latency"),
    "evidence_verified": ("证据校验通过", "Evidence verified"),
    "f_late_step": ("步骤「{title}」超时 {late}，使整体完成推迟 {delay}{critical}",
                    "Step '{title}' finished {late} late and delayed the end by {delay}{critical}"),
    "f_late_step_no_delay": ("步骤「{title}」超时 {late}，未推迟整体完成{critical}",
                             "Step '{title}' finished {late} late but did not delay the end{critical}"),
    "f_critical": ("（关键路径）", " (critical path)"),
    "f_silent_assignees": ("任务 {task}：{n} 名被指派人未响应（{people}），最长 {silent} 无回应",
                           "Task {task}: assignees who never answered: {n} ({people}); the longest silence {silent}"),
    "f_step_not_done": ("步骤「{title}」（{task}）至事件结束仍未完成，已超过时限 {over}",
                        "Step '{title}' ({task}) was never finished; {over} past its deadline at the end"),
    "f_step_not_done_early": ("步骤「{title}」（{task}）至事件结束仍未完成（距时限尚余 {left}）",
                              "Step '{title}' ({task}) was not finished by the end ({left} before its deadline)"),
    "overrun_late": ("比计划晚 {d}", "{d} later than planned"),
    "overrun_early": ("比计划提前 {d}", "{d} ahead of plan"),
    "overrun_none": ("按计划", "on plan"),
    "person": ("人员", "Person"),
    "deviation_axis": ("偏差（秒，正值为超时）", "Deviation (s; positive = late)"),
    "no_data": ("无数据", "no data"),
    "steps_on_time_v": ("{ok}/{done} 按时（共 {total} 步，已完成 {done}）",
                        "{ok} of {done} finished steps on time ({total} steps in all)"),
    "f_not_accounted": ("{count}/{expected} 名应清点人员未清点（未集合也未接受任务）：{people}",
                        "{count} of the {expected} people to account for were never accounted for (neither "
                        "mustered nor at a task): {people}"),
    "f_wrong_assembly_point": ("{count} 人未到达指定集合点：{people}",
                               "{count} people mustered at another point than the one they were sent to: {people}"),
    "f_linkage_failed": ("{count} 条设备联动指令未按时完成：{commands}",
                         "{count} equipment linkage commands were not done in time: {commands}"),
    "f_evidence_not_verified": ("{count} 份现场证据未通过校验：{items}",
                                "{count} evidence files do not verify: {items}"),
    "f_sos": ("{person} 于 T+{t} 求救：{text}", "{person} called SOS at T+{t}: {text}"),
    "delay": ("延误", "Delay"),
    "finding": ("问题", "Finding"),
    "html_title": ("事件态势图", "Incident map"),
    "layer_site": ("厂区与建筑", "Site and buildings"),
    "layer_walkways": ("道路与通道", "Walkways"),
    "layer_zones": ("危害区 {t}", "Hazard zones {t}"),
    "layer_routes": ("疏散路线", "Evacuation routes"),
    "layer_aps": ("集合点", "Assembly points"),
    "layer_tracks": ("人员轨迹", "People's tracks"),
    "layer_last": ("最后位置", "Last positions"),
    "layer_sensors": ("报警过的探头", "Detectors that alarmed"),
    "no_tiles": ("离线地图：不含底图瓦片", "Offline map: no background tiles"),
    "capacity": ("容量", "capacity"),
    "people": ("人", "people"),
}


class Words:
    """The report's words in one language."""

    def __init__(self, lang: str):
        if lang not in LANGS:
            raise ValueError(f"language must be one of {', '.join(LANGS)}, got {lang!r}")
        self.lang = lang
        self._i = LANGS.index(lang)

    def __call__(self, key: str, **kw: Any) -> str:
        """The text of ``key`` with ``kw`` filled in."""
        text = _L[key][self._i]
        return text.format(**kw) if kw else text

    def text(self, value: Any) -> str:
        """A bilingual value (``{"zh": …, "en": …}``) in this language; other values as text."""
        if isinstance(value, dict):
            return str(value.get(self.lang) or value.get("en") or value.get("zh") or "")
        return "" if value is None else str(value)

    def level(self, level: str | None) -> str:
        """``L3 厂级`` / ``L3 (plant)``."""
        if not level:
            return "—"
        names = LEVEL_NAMES.get(level)
        if names is None:
            return level
        return f"{level} {names[0]}" if self.lang == "zh" else f"{level} ({names[1]})"

    def zone(self, level: str) -> str:
        """The name of a hazard zone level."""
        key = f"zone_{level}"
        return self(key) if key in _L else level


def all_words() -> str:
    """Every character of both catalogues (the font subset must cover them)."""
    return "".join(zh + en for zh, en in _L.values()) + "".join(a + b for a, b in LEVEL_NAMES.values())


def offset_text(t: dt.datetime) -> str:
    """``+08:00``: the UTC offset of an aware time."""
    off = t.utcoffset() or dt.timedelta(0)
    sign = "-" if off < dt.timedelta(0) else "+"
    minutes = abs(int(off.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def clock(t_us: int | None, tz: dt.tzinfo, *, date: bool = False) -> str:
    """``09:01:30 +08:00`` (``date``: ``2026-11-22 09:01:30 +08:00``) in the plant's zone; ``—`` for None."""
    if t_us is None:
        return "—"
    t = from_us(t_us, tz)
    return f"{t:%Y-%m-%d %H:%M:%S} {offset_text(t)}" if date else f"{t:%H:%M:%S} {offset_text(t)}"


def duration(s: float | None, signed: bool = False) -> str:
    """``1:05:30`` / ``4:05`` / ``+0:42`` for seconds; ``—`` for None."""
    if s is None or not math.isfinite(s):
        return "—"
    sign = ("+" if s > 0 else "−" if s < 0 else "±") if signed else ("−" if s < 0 else "")
    v = round(abs(s))
    h, rest = divmod(v, 3600)
    m, sec = divmod(rest, 60)
    return f"{sign}{h}:{m:02d}:{sec:02d}" if h else f"{sign}{m}:{sec:02d}"


def percent(v: float | None) -> str:
    """``87.5 %`` or ``—``."""
    return "—" if v is None else f"{100 * v:.1f} %"
