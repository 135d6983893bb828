<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AlarmPanel</name>
    <message>
        <location filename="../alarm_panel.py" line="45"/>
        <source>detector fault</source>
        <extracomment>background of the level badge: the wider the response, the darker the red causes offered for a false alarm (the duty officer may type another)</extracomment>
        <translation>探测器故障</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="46"/>
        <source>calibration or maintenance</source>
        <translation>标定或检修</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="47"/>
        <source>interference (another gas, steam, humidity)</source>
        <translation>干扰（其他气体、蒸汽、湿度）</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="48"/>
        <source>permitted release (purging, sampling)</source>
        <translation>许可的排放（吹扫、采样）</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="49"/>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="183"/>
        <source>False alarm</source>
        <extracomment>the alarm selected (its id; &apos;&apos; for none) &quot;New alarm here&quot; was asked for: the window lets the user pick the place on the map show the alarm&apos;s place on the map (plant coordinates, m)</extracomment>
        <translation>误报</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="184"/>
        <source>Cause of the false alarm {id}:</source>
        <translation>误报 {id} 的原因：</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="251"/>
        <source>ALARM</source>
        <translation>报警</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="251"/>
        <source>warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="253"/>
        <source>false alarm</source>
        <translation>误报</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="253"/>
        <source>cleared</source>
        <translation>已解除</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="268"/>
        <source>SOS from {person}</source>
        <translation>{person} 发出 SOS</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="272"/>
        <source> (+{n} agreeing)</source>
        <translation>（另有 {n} 个探测器一致）</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="275"/>
        <source>Entered by hand: {text}</source>
        <translation>人工录入：{text}</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="290"/>
        <source>alarm level reached</source>
        <translation>达到报警值</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="291"/>
        <source>2nd detector agrees</source>
        <translation>第二个探测器确认</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="292"/>
        <source>check overdue</source>
        <translation>现场确认超时</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="293"/>
        <source>confirmed on site</source>
        <translation>现场确认</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="294"/>
        <source>entered as alarm</source>
        <translation>按正式报警录入</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="294"/>
        <source>more detectors</source>
        <translation>更多探测器报警</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="297"/>
        <source>false alarm: {cause}</source>
        <translation>误报：{cause}</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="298"/>
        <source>cleared at {t}</source>
        <translation>{t} 解除</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="302"/>
        <source>NEW · {why}</source>
        <translation>新 · {why}</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="304"/>
        <source>acknowledged, not confirmed</source>
        <translation>已知悉，未确认</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="305"/>
        <source>NEW</source>
        <translation>新</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="315"/>
        <source>nobody on shift</source>
        <translation>无当班人员</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="317"/>
        <source>✓ {who}</source>
        <translation>✓ {who}</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="322"/>
        <source>{who} · OVERDUE {late}</source>
        <translation>{who} · 已超时 {late}</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="323"/>
        <source>{who} · {left} left</source>
        <translation>{who} · 剩余 {left}</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="342"/>
        <source>No incident open</source>
        <translation>未打开事件</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="344"/>
        <source>File → New incident, or an alarm from the field opens one.</source>
        <translation>文件 → 新建事件，或现场报警时自动打开。</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="356"/>
        <source>{open} open alarm(s), {formal} formal, {new} not acknowledged</source>
        <translation>{open} 条未解除报警，{formal} 条正式报警，{new} 条未知悉</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="359"/>
        <source>read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="366"/>
        <source>CLOSED</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="368"/>
        <source>no plan
launched</source>
        <translation>未启动
预案</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="387"/>
        <source>Elapsed {t}</source>
        <translation>已用时 {t}</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="410"/>
        <source>Time ({offset})</source>
        <translation>时间（{offset}）</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="410"/>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="410"/>
        <source>Alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="411"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="411"/>
        <source>Check on site</source>
        <translation>现场确认</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="412"/>
        <source>Acknowledge</source>
        <translation>知悉</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="413"/>
        <source>Acknowledge the selected alarm, else the oldest new one (Ctrl+K)</source>
        <translation>知悉所选报警，未选则知悉最早的新报警（Ctrl+K）</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="414"/>
        <source>Confirm (real)</source>
        <translation>确认（真实）</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="415"/>
        <source>The alarm is real: make it a formal alarm</source>
        <translation>报警属实：转为正式报警</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="416"/>
        <source>False alarm…</source>
        <translation>误报…</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="417"/>
        <source>Record the alarm as false, with its cause</source>
        <translation>记录为误报并注明原因</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="418"/>
        <source>Clear</source>
        <translation>解除</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="419"/>
        <source>The alarm has been dealt with</source>
        <translation>报警已处置完毕</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="420"/>
        <source>New alarm here…</source>
        <translation>在此新建报警…</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="421"/>
        <source>Click the place on the map, then say what was seen</source>
        <translation>在地图上点击位置，再说明所见情况</translation>
    </message>
    <message>
        <location filename="../alarm_panel.py" line="422"/>
        <source>Show cleared</source>
        <translation>显示已解除</translation>
    </message>
</context>
<context>
    <name>BusyIndicator</name>
    <message>
        <location filename="../busy_indicator.py" line="79"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>CommsPanel</name>
    <message>
        <location filename="../comms_panel.py" line="99"/>
        <source>No incident open</source>
        <translation>未打开事件</translation>
    </message>
    <message>
        <location filename="../comms_panel.py" line="105"/>
        <source>{n} orders sent · {w} acknowledgements outstanding · {on} of {d} devices online · {k} notices</source>
        <translation>已发指令 {n} 条 · 待回执 {w} 个 · 在线终端 {on}/{d} · 通知 {k} 条</translation>
    </message>
    <message>
        <location filename="../comms_panel.py" line="127"/>
        <source>Select an order to see which devices have not acknowledged it.</source>
        <translation>选择一条指令，查看哪些终端尚未回执。</translation>
    </message>
    <message>
        <location filename="../comms_panel.py" line="130"/>
        <source>Not acknowledged ({n}):</source>
        <translation>未回执（{n}）：</translation>
    </message>
    <message>
        <location filename="../comms_panel.py" line="137"/>
        <source>Sent ({offset})</source>
        <translation>发送时间（{offset}）</translation>
    </message>
    <message>
        <location filename="../comms_panel.py" line="137"/>
        <source>Order</source>
        <translation>指令</translation>
    </message>
    <message>
        <location filename="../comms_panel.py" line="137"/>
        <source>Devices</source>
        <translation>终端</translation>
    </message>
    <message>
        <location filename="../comms_panel.py" line="138"/>
        <source>Acknowledged</source>
        <translation>已回执</translation>
    </message>
    <message>
        <location filename="../comms_panel.py" line="138"/>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../comms_panel.py" line="138"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
</context>
<context>
    <name>ExerciseMarking</name>
    <message>
        <location filename="../exercise_marking.py" line="26"/>
        <source>EXERCISE — not a real incident</source>
        <translation>演练 EXERCISE — 非真实事件</translation>
    </message>
    <message>
        <location filename="../exercise_marking.py" line="37"/>
        <source>[EXERCISE]</source>
        <translation>【演练 EXERCISE】</translation>
    </message>
    <message>
        <location filename="../exercise_marking.py" line="53"/>
        <source>EXERCISE 演练</source>
        <translation>演练 EXERCISE</translation>
    </message>
</context>
<context>
    <name>FeatureTooltip</name>
    <message>
        <location filename="../feature_tooltip.py" line="47"/>
        <source>{kind} {id}</source>
        <translation>{kind} {id}</translation>
    </message>
    <message>
        <location filename="../feature_tooltip.py" line="53"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../feature_tooltip.py" line="54"/>
        <location filename="../feature_tooltip.py" line="77"/>
        <source>on site</source>
        <translation>在厂内</translation>
    </message>
    <message>
        <location filename="../feature_tooltip.py" line="55"/>
        <location filename="../feature_tooltip.py" line="75"/>
        <source>evacuating</source>
        <translation>疏散中</translation>
    </message>
    <message>
        <location filename="../feature_tooltip.py" line="56"/>
        <location filename="../feature_tooltip.py" line="78"/>
        <source>mustered</source>
        <translation>已集合</translation>
    </message>
    <message>
        <location filename="../feature_tooltip.py" line="57"/>
        <source>sheltered</source>
        <translation>已避难</translation>
    </message>
    <message>
        <location filename="../feature_tooltip.py" line="58"/>
        <source>missing</source>
        <translation>失踪</translation>
    </message>
    <message>
        <location filename="../feature_tooltip.py" line="59"/>
        <source>injured</source>
        <translation>受伤</translation>
    </message>
    <message>
        <location filename="../feature_tooltip.py" line="60"/>
        <source>off site</source>
        <translation>已离厂</translation>
    </message>
    <message>
        <location filename="../feature_tooltip.py" line="71"/>
        <source>SOS / injured</source>
        <translation>SOS / 受伤</translation>
    </message>
    <message>
        <location filename="../feature_tooltip.py" line="72"/>
        <source>missing (not heard from)</source>
        <translation>失联（无音讯）</translation>
    </message>
    <message>
        <location filename="../feature_tooltip.py" line="73"/>
        <source>inside a hazard zone</source>
        <translation>位于危险区内</translation>
    </message>
    <message>
        <location filename="../feature_tooltip.py" line="74"/>
        <source>responder on a task</source>
        <translation>执行任务的救援人员</translation>
    </message>
    <message>
        <location filename="../feature_tooltip.py" line="76"/>
        <source>position out of date</source>
        <translation>位置已过时</translation>
    </message>
</context>
<context>
    <name>HazardDialog</name>
    <message>
        <location filename="../hazard_dialog.py" line="156"/>
        <source>Hazard zone</source>
        <extracomment>the request to compute (emitted by the Compute button when nothing is refused)</extracomment>
        <translation>危害区域</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="86"/>
        <source>very unstable: strong sun and light wind, the cloud thins out fast</source>
        <translation>极不稳定：日照强、风小，气团很快稀释</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="87"/>
        <source>unstable: sunny, the cloud spreads quickly</source>
        <translation>不稳定：晴天，气团扩散快</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="88"/>
        <source>slightly unstable</source>
        <translation>弱不稳定</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="89"/>
        <source>neutral: overcast or windy</source>
        <translation>中性：阴天或有风</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="90"/>
        <source>slightly stable: night with some cloud</source>
        <translation>弱稳定：夜间少云</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="91"/>
        <source>stable: clear night and light wind, the cloud stays concentrated and reaches furthest</source>
        <translation>稳定：晴夜、风小，气团浓度高、扩散最远</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="94"/>
        <source>N</source>
        <translation>北</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="94"/>
        <source>NNE</source>
        <translation>北东北</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="95"/>
        <source>NE</source>
        <translation>东北</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="95"/>
        <source>ENE</source>
        <translation>东东北</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="96"/>
        <source>E</source>
        <translation>东</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="96"/>
        <source>ESE</source>
        <translation>东东南</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="97"/>
        <source>SE</source>
        <translation>东南</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="97"/>
        <source>SSE</source>
        <translation>南东南</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="98"/>
        <source>S</source>
        <translation>南</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="98"/>
        <source>SSW</source>
        <translation>南西南</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="99"/>
        <source>SW</source>
        <translation>西南</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="99"/>
        <source>WSW</source>
        <translation>西西南</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="100"/>
        <source>W</source>
        <translation>西</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="100"/>
        <source>WNW</source>
        <translation>西西北</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="101"/>
        <source>NW</source>
        <translation>西北</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="101"/>
        <source>NNW</source>
        <translation>北西北</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="160"/>
        <source>Where: the leaking equipment</source>
        <translation>地点：泄漏设备</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="170"/>
        <source>name or number, e.g. V-201 or 液氨</source>
        <translation>名称或位号，如 V-201 或 液氨</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="173"/>
        <location filename="../hazard_dialog.py" line="540"/>
        <source>Equipment</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="174"/>
        <source>…or click the tank, reactor or line on the map while this window is open.</source>
        <translation>…或在本窗口打开时点击地图上的储罐、反应器或管线。</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="183"/>
        <source>What and how much</source>
        <translation>物质与泄漏量</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="186"/>
        <source>Chinese or English name, formula or CAS number</source>
        <translation>中文或英文名、分子式或 CAS 号</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="202"/>
        <source>Hole size (rate from the pressure)</source>
        <translation>泄漏孔径（按压力计算速率）</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="203"/>
        <source>Sudden total loss</source>
        <translation>瞬时全部泄漏</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="212"/>
        <source>Amount</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="217"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="218"/>
        <source>until stopped (or the inventory runs out)</source>
        <translation>直到止漏（或存量耗尽）</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="219"/>
        <source>Lasts</source>
        <translation>持续</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="223"/>
        <source>Weather</source>
        <translation>气象</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="228"/>
        <source>Now</source>
        <translation>现在</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="234"/>
        <source>Date and time</source>
        <translation>日期和时间</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="236"/>
        <source>— look at the sky and choose —</source>
        <translation>— 观察天空后选择 —</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="237"/>
        <source>clear sky</source>
        <translation>晴空</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="237"/>
        <source>a few clouds</source>
        <translation>少云</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="238"/>
        <source>partly cloudy</source>
        <translation>部分有云</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="238"/>
        <source>half covered</source>
        <translation>半数遮蔽</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="238"/>
        <location filename="../hazard_dialog.py" line="239"/>
        <source>mostly cloudy</source>
        <translation>多云</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="239"/>
        <source>nearly overcast</source>
        <translation>接近阴天</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="239"/>
        <source>overcast</source>
        <translation>阴天</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="241"/>
        <source>Cloud cover</source>
        <translation>云量</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="247"/>
        <source>— enter the wind speed —</source>
        <translation>— 输入风速 —</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="254"/>
        <source>— where the wind comes from —</source>
        <translation>— 风从哪个方向来 —</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="270"/>
        <source>open country</source>
        <translation>开阔地</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="271"/>
        <source>urban / industrial</source>
        <translation>城市 / 工业区</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="272"/>
        <source>Surroundings</source>
        <translation>周边地形</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="276"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="291"/>
        <source>Compute zones</source>
        <translation>计算危险区</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="350"/>
        <source>Wind from weather station {station} at {time}</source>
        <translation>气象站 {station} 于 {time} 的风</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="351"/>
        <source>(unnamed)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="354"/>
        <source>Use the stability class {cls} the station measured (untick to derive it from the time and cloud cover)</source>
        <translation>采用气象站测得的稳定度 {cls}（取消勾选则按时间和云量推算）</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="486"/>
        <source>{kind} holding {substance}: {inventory:,.0f} kg at {pressure:g} bar, {temperature:g} °C</source>
        <translation>{kind}，储存 {substance}：{inventory:,.0f} kg，{pressure:g} bar，{temperature:g} °C</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="506"/>
        <source>Model {substance} at {equipment} although it holds {held} (recorded in the log)</source>
        <translation>在 {equipment} 按 {substance} 计算，尽管其储存的是 {held}（记入日志）</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="517"/>
        <source>from the {frm}: the cloud drifts towards the {to}</source>
        <translation>{frm}风：气团飘向{to}</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="531"/>
        <source>&lt;b&gt;Stability class {cls}&lt;/b&gt; — {words}&lt;br&gt;&lt;small&gt;{why}&lt;/small&gt;</source>
        <translation>&lt;b&gt;稳定度 {cls}&lt;/b&gt; — {words}&lt;br&gt;&lt;small&gt;{why}&lt;/small&gt;</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="534"/>
        <source>&lt;i&gt;shown once the time, cloud cover and wind are entered&lt;/i&gt;</source>
        <translation>&lt;i&gt;输入时间、云量和风后显示&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="539"/>
        <source>Tank</source>
        <translation>储罐</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="539"/>
        <source>Reactor</source>
        <translation>反应器</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="539"/>
        <source>Line</source>
        <translation>管线</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="540"/>
        <source>Cylinders</source>
        <translation>气瓶</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="546"/>
        <source>on the key-supervision list (batch {batch}, no. {number})</source>
        <translation>列入重点监管危险化学品名录（第 {batch} 批，序号 {number}）</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="550"/>
        <source>red zone at {guideline}-3 {ppm:g} ppm</source>
        <translation>红区按 {guideline}-3 {ppm:g} ppm</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="565"/>
        <source>&lt;b&gt;Cannot compute yet:&lt;/b&gt;</source>
        <translation>&lt;b&gt;暂不能计算：&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="598"/>
        <source>Computing the zones…</source>
        <translation>正在计算危险区…</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="193"/>
        <source>Substance</source>
        <translation>物质</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="201"/>
        <source>Release rate</source>
        <translation>泄漏速率</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="248"/>
        <source>Wind speed</source>
        <translation>风速</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="259"/>
        <source>Wind from</source>
        <translation>风向（来向）</translation>
    </message>
</context>
<context>
    <name>HazardLayer</name>
    <message>
        <location filename="../hazard_layer.py" line="43"/>
        <source>Red</source>
        <translation>红区</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="44"/>
        <source>Orange</source>
        <translation>橙区</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="45"/>
        <source>Yellow</source>
        <translation>黄区</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="51"/>
        <source>beyond 10 km</source>
        <translation>超过 10 公里</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="55"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="338"/>
        <source>&amp;Emergency</source>
        <translation>应急(&amp;E)</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="339"/>
        <source>&amp;Hazard zone…</source>
        <translation>危害区域(&amp;H)…</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="62"/>
        <source>not counted</source>
        <translation>未统计</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="64"/>
        <source>1 person</source>
        <translation>1 人</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="65"/>
        <source>{n} people</source>
        <translation>{n} 人</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="200"/>
        <source>, wind {speed} m/s from {deg}°</source>
        <translation>，风速 {speed} m/s，风向 {deg}°</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="203"/>
        <source>, class {cls}</source>
        <translation>，稳定度 {cls}</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="208"/>
        <source>{level}: {reach}, {people}</source>
        <translation>{level}：{reach}，{people}</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="340"/>
        <source>Which equipment leaks what, in which weather: the threat zones and the proposed level</source>
        <translation>哪台设备泄漏什么、在何种气象下：威胁区与建议响应级别</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="342"/>
        <source>Clear hazard zones</source>
        <translation>清除危害区域</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="356"/>
        <source>Hazard zone</source>
        <translation>危害区域</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="357"/>
        <source>This plant has no hazard sources.</source>
        <translation>该厂区没有危险源。</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="435"/>
        <source>Computing the hazard zones…</source>
        <translation>正在计算危险区…</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="469"/>
        <source>{substance} release at {source}</source>
        <translation>{source} 处 {substance} 泄漏</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="490"/>
        <source>Hazard zone not computed: {reason}</source>
        <translation>未计算危险区：{reason}</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="530"/>
        <source>Hazard zone failed: {message}</source>
        <translation>危害区域计算失败：{message}</translation>
    </message>
</context>
<context>
    <name>HazardPanel</name>
    <message>
        <location filename="../hazard_panel.py" line="49"/>
        <source>wind {v} m/s at {h} m corrected to {u} m/s at {z} m (power law, p = {p})</source>
        <translation>{h} m 高处测得风速 {v} m/s，按幂律（p = {p}）换算到 {z} m 高度为 {u} m/s</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="52"/>
        <source>{s} is acutely toxic but its toxic thresholds are not in the library yet: these zones show the fire hazard only, NOT the toxic hazard</source>
        <translation>{s} 有急性毒性，但库中尚无其毒性阈值：这些区域只表示火灾危险，不表示中毒危险</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="55"/>
        <source>{s}: {g} is not defined, so there is no {level} zone</source>
        <translation>{s}：未定义 {g}，因此没有{level}</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="57"/>
        <source>{level} zone ({g} {thr} ppm): the threshold is not reached anywhere</source>
        <translation>{level}（{g} {thr} ppm）：任何位置都未达到该阈值</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="59"/>
        <source>{level} zone ({g}) reaches beyond 10 km; the polygon is cut at 10 km</source>
        <translation>{level}（{g}）超出 10 km，多边形在 10 km 处截断</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="62"/>
        <source>{level} zone ({g}) ends {m} m downwind, inside 100 m where the Briggs coefficients are extrapolated and the Gaussian model is least reliable</source>
        <translation>{level}（{g}）止于下风向 {m} m，在 100 m 以内：该范围的 Briggs 系数为外推值，高斯模型最不可靠</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="67"/>
        <source>{s} is denser than air ({rho} kg/m³ at {t} °C against 1.20 kg/m³) and the Britter–McQuaid criterion {v} ≥ {c}: a heavy-gas cloud; the Gaussian result understates the near-field concentrations and the cloud width</source>
        <translation>{s} 比空气重（{t} °C 时 {rho} kg/m³，空气 1.20 kg/m³），Britter–McQuaid 判据 {v} ≥ {c}：属重气云；高斯模型低估近场浓度和云团宽度</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="73"/>
        <source>{s} is denser than air ({rho} kg/m³ at {t} °C against 1.20 kg/m³); Britter–McQuaid criterion {v} &lt; {c}, so it should disperse passively, but the near field may still be understated</source>
        <translation>{s} 比空气重（{t} °C 时 {rho} kg/m³，空气 1.20 kg/m³）；Britter–McQuaid 判据 {v} &lt; {c}，应按非重气扩散，但近场仍可能被低估</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="222"/>
        <source>Proposed level: &lt;span style=&apos;color:{colour}; font-size:16pt; font-weight:bold&apos;&gt;{level}&lt;/span&gt;</source>
        <translation>建议级别：&lt;span style=&apos;color:{colour}; font-size:16pt; font-weight:bold&apos;&gt;{level}&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="225"/>
        <source>Why: {reason}</source>
        <translation>理由：{reason}</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="233"/>
        <source>Model notes: {notes}</source>
        <translation>模型说明：{notes}</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="242"/>
        <source>a free point</source>
        <translation>任意点</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="249"/>
        <source>&lt;b&gt;{substance}&lt;/b&gt; at &lt;b&gt;{where}&lt;/b&gt;&lt;br&gt;&lt;small&gt;assessed {when} · {id}&lt;/small&gt;</source>
        <translation>&lt;b&gt;{where}&lt;/b&gt; 的 &lt;b&gt;{substance}&lt;/b&gt;&lt;br&gt;&lt;small&gt;评估于 {when} · {id}&lt;/small&gt;</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="255"/>
        <source>Substance overridden: {where} holds {held}; {substance} was modelled on the officer&apos;s word.</source>
        <translation>物质已被改动：{where} 储存的是 {held}；按值班人员所述按 {substance} 计算。</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="261"/>
        <source>Wind {speed:g} m/s from the {point} ({deg:.0f}°)</source>
        <translation>{point}风 {speed:g} m/s（{deg:.0f}°）</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="264"/>
        <source>stability {cls}: {words}</source>
        <translation>稳定度 {cls}：{words}</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="283"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="283"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="289"/>
        <source>Beyond the site fence: {answer}</source>
        <translation>超出厂界：{answer}</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="302"/>
        <source>&lt;b&gt;Cordon {m:,.0f} m&lt;/b&gt; (edge of the red zone)</source>
        <translation>&lt;b&gt;警戒 {m:,.0f} m&lt;/b&gt;（红区边缘）</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="304"/>
        <source>&lt;b&gt;Cordon: the red zone reaches beyond 10 km&lt;/b&gt;</source>
        <translation>&lt;b&gt;警戒：红区超过 10 km&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="306"/>
        <source>No red zone: the cordon is the plan&apos;s</source>
        <translation>无红区：按预案设警戒</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="308"/>
        <source>&lt;b&gt;evacuate within {m:,.0f} m&lt;/b&gt;</source>
        <translation>&lt;b&gt;疏散 {m:,.0f} m 范围内人员&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="310"/>
        <source>&lt;b&gt;evacuation zone beyond 10 km: warn the neighbours&lt;/b&gt;</source>
        <translation>&lt;b&gt;疏散区超过 10 km：通知周边&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="322"/>
        <source> (proposed)</source>
        <translation>（建议）</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="325"/>
        <source>— no plan is written for this substance: choose one —</source>
        <translation>— 该物质没有专门预案：请选择 —</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="360"/>
        <source>Running: {plan} at {level}.</source>
        <translation>正在执行：{plan}，{level}。</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="361"/>
        <source>Raise the running plan to {level}</source>
        <translation>将正在执行的预案升至 {level}</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="362"/>
        <source>Already at {level} or higher</source>
        <translation>已处于 {level} 或更高级别</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="367"/>
        <source>Read-only: this incident cannot be changed here.</source>
        <translation>只读：此处不能修改该事件。</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="371"/>
        <source>Choose a plan to launch</source>
        <translation>选择要启动的预案</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="374"/>
        <source>Launch {plan} at {level}</source>
        <translation>按 {level} 启动 {plan}</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="395"/>
        <source>The wind has changed since this assessment: now {speed:g} m/s from the {point} ({deg:.0f}°) (station {station}). The zones on the map are for the old wind.</source>
        <translation>评估后风向已变：现为{point}风 {speed:g} m/s（{deg:.0f}°，气象站 {station}）。地图上的危险区仍按原风向。</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="441"/>
        <source>No hazard assessment yet. Emergency → Hazard zone… computes one from the leaking equipment and the weather.</source>
        <translation>尚无危险评估。应急 → 危险区… 根据泄漏设备和气象计算。</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="443"/>
        <source>Zone</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="443"/>
        <source>Limit</source>
        <translation>限值</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="443"/>
        <source>Reach</source>
        <translation>范围</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="444"/>
        <source>People inside</source>
        <translation>区内人数</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="445"/>
        <source>Plan</source>
        <translation>预案</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="446"/>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="447"/>
        <source>Recompute in the new wind</source>
        <translation>按新风向重新计算</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="448"/>
        <source>Change the release…</source>
        <translation>修改泄漏参数…</translation>
    </message>
    <message>
        <location filename="../hazard_panel.py" line="449"/>
        <source>Hazard assessment</source>
        <translation>危险评估</translation>
    </message>
</context>
<context>
    <name>HelpOverlay</name>
    <message>
        <location filename="../help_overlay.py" line="17"/>
        <source>Replay: pause / play</source>
        <extracomment>shortcuts of the replay window (owned there), listed for completeness: key, text</extracomment>
        <translation>回放：暂停 / 播放</translation>
    </message>
    <message>
        <location filename="../help_overlay.py" line="18"/>
        <source>Replay: step forward one event</source>
        <translation>回放：前进一个事件</translation>
    </message>
    <message>
        <location filename="../help_overlay.py" line="19"/>
        <source>Replay: step back one event</source>
        <translation>回放：后退一个事件</translation>
    </message>
    <message>
        <location filename="../help_overlay.py" line="66"/>
        <source>Show or hide this help</source>
        <translation>显示或隐藏本帮助</translation>
    </message>
    <message>
        <location filename="../help_overlay.py" line="88"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../help_overlay.py" line="89"/>
        <source>Help → Duty officer&apos;s guide: from alarm to all-clear, step by step.</source>
        <translation>帮助 → 值班员指南：从报警到解除，逐步说明。</translation>
    </message>
</context>
<context>
    <name>IncidentOpener</name>
    <message>
        <location filename="../incident_opener.py" line="44"/>
        <source>Open &amp;incident log…</source>
        <translation>打开事件记录(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../incident_opener.py" line="45"/>
        <source>Show the newest incident of a log file on the map, as it stands now</source>
        <translation>在地图上显示记录文件中最新事件的当前状态</translation>
    </message>
    <message>
        <location filename="../incident_opener.py" line="57"/>
        <source>Open incident log</source>
        <translation>打开事件记录</translation>
    </message>
    <message>
        <location filename="../incident_opener.py" line="58"/>
        <source>Incident logs (*.db *.sqlite);;All files (*)</source>
        <translation>事件记录 (*.db *.sqlite);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../incident_opener.py" line="71"/>
        <source>no such file</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <location filename="../incident_opener.py" line="86"/>
        <source>Incident {id}: {title} · level {level} · {n} events · as of {when}</source>
        <translation>事件 {id}：{title} · 级别 {level} · {n} 条记录 · 截至 {when}</translation>
    </message>
    <message>
        <location filename="../incident_opener.py" line="95"/>
        <source>Cannot open incident log</source>
        <translation>无法打开事件记录</translation>
    </message>
    <message>
        <location filename="../incident_opener.py" line="96"/>
        <source>The incident log {db} could not be read.</source>
        <translation>无法读取事件记录 {db}。</translation>
    </message>
</context>
<context>
    <name>IncidentSession</name>
    <message>
        <location filename="../session.py" line="229"/>
        <location filename="../session.py" line="244"/>
        <source>No incident is open: File → New incident first.</source>
        <extracomment>how long the listener waits for a notification before it checks whether it should stop (s) how often the listener looks for other writers&apos; events on SQLite, which cannot notify (s) the most events the UI thread folds in one go: a larger batch is handed over in slices, so the map&apos;s frames and the views&apos; timers run between them (a field server commits ~1,000 positions at a time) a runtime was opened or closed (new incident, other log): redraw everything new events (a list of sealed events, in log order), on the UI thread an action was refused: a one-line reason to show the listener read other writers&apos; events (queued to the UI thread)</extracomment>
        <translation>尚未打开事件：请先点 文件 → 新建事件。</translation>
    </message>
</context>
<context>
    <name>Layers</name>
    <message>
        <location filename="../layer_catalog.py" line="42"/>
        <location filename="../layer_catalog.py" line="108"/>
        <source>Site</source>
        <translation>厂区</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="43"/>
        <source>Zones</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="44"/>
        <source>Buildings</source>
        <translation>建筑物</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="45"/>
        <source>Walkways</source>
        <translation>通道</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="46"/>
        <source>Exits</source>
        <translation>出口</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="47"/>
        <source>Assembly points</source>
        <translation>集合点</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="48"/>
        <source>Hazard sources</source>
        <translation>危险源</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="49"/>
        <source>Sensors</source>
        <translation>传感器</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="50"/>
        <source>Resources</source>
        <translation>应急资源</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="51"/>
        <source>Personnel</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="52"/>
        <source>Risk A (highest)</source>
        <translation>A 级风险（最高）</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="53"/>
        <source>Risk B</source>
        <translation>B 级风险</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="54"/>
        <source>Risk C</source>
        <translation>C 级风险</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="55"/>
        <source>Risk D (lowest)</source>
        <translation>D 级风险（最低）</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="56"/>
        <source>Control rooms</source>
        <translation>控制室</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="57"/>
        <source>Process buildings</source>
        <translation>生产装置厂房</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="58"/>
        <source>Storage</source>
        <translation>储存设施</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="59"/>
        <source>Warehouses</source>
        <translation>仓库</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="60"/>
        <source>Utilities</source>
        <translation>公用工程</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="61"/>
        <source>Offices</source>
        <translation>办公楼</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="62"/>
        <source>Other buildings</source>
        <translation>其他建筑</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="63"/>
        <source>Roads</source>
        <translation>道路</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="64"/>
        <source>Footpaths</source>
        <translation>人行道</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="65"/>
        <source>Corridors</source>
        <translation>走廊</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="66"/>
        <source>Stairs</source>
        <translation>楼梯</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="67"/>
        <source>Doors</source>
        <translation>门</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="68"/>
        <source>Ladders</source>
        <translation>爬梯</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="69"/>
        <source>Gas detectors</source>
        <translation>气体探测器</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="70"/>
        <source>Flame detectors</source>
        <translation>火焰探测器</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="71"/>
        <source>Smoke detectors</source>
        <translation>感烟探测器</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="72"/>
        <source>Heat detectors</source>
        <translation>感温探测器</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="73"/>
        <source>Oxygen monitors</source>
        <translation>氧含量检测仪</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="74"/>
        <source>Hydrants</source>
        <translation>消火栓</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="75"/>
        <source>Extinguishers</source>
        <translation>灭火器</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="76"/>
        <source>SCBA sets</source>
        <translation>正压式空气呼吸器</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="77"/>
        <source>First-aid kits</source>
        <translation>急救箱</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="78"/>
        <source>Eyewash stations</source>
        <translation>洗眼器</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="79"/>
        <source>Spill kits</source>
        <translation>泄漏应急处置包</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="80"/>
        <source>Portable gas detectors</source>
        <translation>便携式气体检测仪</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="81"/>
        <source>Stretchers</source>
        <translation>担架</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="82"/>
        <source>Fire trucks</source>
        <translation>消防车</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="83"/>
        <source>Other resources</source>
        <translation>其他应急物资</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="109"/>
        <source>Zone</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="110"/>
        <source>Building</source>
        <translation>建筑物</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="111"/>
        <source>Walkway</source>
        <translation>通道</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="112"/>
        <source>Exit</source>
        <translation>出口</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="113"/>
        <source>Assembly point</source>
        <translation>集合点</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="114"/>
        <source>Hazard source</source>
        <translation>危险源</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="115"/>
        <source>Sensor</source>
        <translation>传感器</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="116"/>
        <source>Resource</source>
        <translation>应急资源</translation>
    </message>
    <message>
        <location filename="../layer_catalog.py" line="117"/>
        <source>Person</source>
        <translation>人员</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="147"/>
        <source>Computing the hazard zones</source>
        <extracomment>bump when the docks change, so an old saved layout is not restored onto a new set of docks</extracomment>
        <translation>正在计算危险区</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="148"/>
        <source>Planning the evacuation</source>
        <translation>正在规划疏散</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="311"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="312"/>
        <source>&amp;Open plant folder…</source>
        <translation>打开工厂文件夹(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="313"/>
        <source>Open a plant package stored as a folder of GeoJSON files</source>
        <translation>打开以 GeoJSON 文件夹保存的工厂数据包</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="314"/>
        <source>Open plant &amp;GeoPackage…</source>
        <translation>打开工厂 GeoPackage(&amp;G)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="315"/>
        <source>Open a plant package stored as one .gpkg file</source>
        <translation>打开以单个 .gpkg 文件保存的工厂数据包</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="316"/>
        <source>Background image (GeoTIFF)…</source>
        <translation>底图影像（GeoTIFF）…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="318"/>
        <source>Show an orthophoto or a georeferenced site drawing under the plant</source>
        <translation>在厂区下方显示正射影像或带坐标的厂区图</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="319"/>
        <source>Remove the background image</source>
        <translation>移除底图影像</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="320"/>
        <source>Save &amp;screenshot…</source>
        <translation>保存截图(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="321"/>
        <source>&amp;New incident…</source>
        <translation>新建事件(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="322"/>
        <source>Open a new incident (or exercise) in the incident log</source>
        <translation>在事件日志中新建一个事件（或演练）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="323"/>
        <source>Open incident…</source>
        <translation>打开事件…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="324"/>
        <source>Show another incident of the open log</source>
        <translation>显示当前日志中的其他事件</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="325"/>
        <source>Close incident (all clear)…</source>
        <translation>关闭事件（解除警报）…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="326"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="327"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="328"/>
        <source>&amp;Fit plant</source>
        <translation>显示全厂(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="329"/>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="330"/>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="331"/>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="332"/>
        <source>&amp;Layers panel</source>
        <translation>图层面板(&amp;L)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="333"/>
        <source>Map legend</source>
        <translation>地图图例</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="334"/>
        <source>Reset the panel layout</source>
        <translation>恢复面板布局</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="335"/>
        <source>Language / 语言</source>
        <translation>语言 / Language</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="339"/>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="340"/>
        <source>Find a person, device or equipment…</source>
        <translation>查找人员、终端或设备…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="341"/>
        <source>Measure a distance</source>
        <translation>测量距离</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="342"/>
        <source>Draw an area: who is inside?</source>
        <translation>画区域：区内有谁？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="343"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="344"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="345"/>
        <source>Duty officer&apos;s guide (中文)</source>
        <translation>值班员指南（中文）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="346"/>
        <source>Duty officer&apos;s guide (English)</source>
        <translation>值班员指南（English）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="347"/>
        <location filename="../main_window.py" line="824"/>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="349"/>
        <source>Launch the proposed plan…</source>
        <translation>启动建议预案…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="350"/>
        <source>Acknowledge the alarm</source>
        <translation>知悉报警</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="351"/>
        <source>New alarm here (click the map)…</source>
        <translation>在此新建报警（点击地图）…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="352"/>
        <source>Raise the level…</source>
        <translation>提升级别…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="353"/>
        <source>Lower the level…</source>
        <translation>降低级别…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="354"/>
        <source>Roll call: mark present…</source>
        <translation>点名：标记到位…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="355"/>
        <source>Walk-up check-in…</source>
        <translation>临时人员登记…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="356"/>
        <source>Alarms and incident</source>
        <translation>报警与事件</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="357"/>
        <source>Plan</source>
        <translation>预案</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="358"/>
        <source>Muster</source>
        <translation>集合清点</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="359"/>
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="360"/>
        <source>Comms</source>
        <translation>通信</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="361"/>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="414"/>
        <source>Open plant folder</source>
        <translation>打开工厂文件夹</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="420"/>
        <source>Open plant GeoPackage</source>
        <translation>打开工厂 GeoPackage</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="421"/>
        <source>GeoPackage (*.gpkg);;All files (*)</source>
        <translation>GeoPackage (*.gpkg);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="441"/>
        <source>Loaded {path} in {seconds:.2f} s</source>
        <translation>已加载 {path}，用时 {seconds:.2f} 秒</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="474"/>
        <source>Cannot open plant</source>
        <translation>无法打开工厂</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="475"/>
        <source>The plant package {path} could not be loaded ({n} errors).</source>
        <translation>工厂数据包 {path} 无法加载（{n} 个错误）。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="481"/>
        <source>… and {n} more (see Show Details)</source>
        <translation>……另有 {n} 个（见“显示详细信息”）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="500"/>
        <source>Background image</source>
        <translation>底图影像</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="501"/>
        <source>GeoTIFF (*.tif *.tiff);;All files (*)</source>
        <translation>GeoTIFF (*.tif *.tiff);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="515"/>
        <source>Reading the background image</source>
        <translation>正在读取底图影像</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="531"/>
        <location filename="../main_window.py" line="535"/>
        <source>New incident</source>
        <translation>新建事件</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="531"/>
        <source>Title (what and where):</source>
        <translation>标题（何事、何地）：</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="535"/>
        <source>Is this an exercise (drill)?</source>
        <translation>这是演练吗？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="548"/>
        <source>Open incident</source>
        <translation>打开事件</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="552"/>
        <source> [exercise]</source>
        <translation>【演练】</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="560"/>
        <source>Incidents in {db}:</source>
        <translation>{db} 中的事件：</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="596"/>
        <source>Close incident</source>
        <translation>关闭事件</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="597"/>
        <source>Record the all-clear and close incident {id}?</source>
        <translation>记录解除警报并关闭事件 {id}？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="634"/>
        <source>TAMPERED LOG: event {seq} {kind} — shown read-only</source>
        <translation>日志被篡改：第 {seq} 条事件（{kind}）— 仅供查看</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="638"/>
        <source>No incident open</source>
        <translation>未打开事件</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="642"/>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="642"/>
        <source>no plan launched</source>
        <translation>未启动预案</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="643"/>
        <source>Incident {id}: {title} · {status}</source>
        <translation>事件 {id}：{title} · {status}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="648"/>
        <source>Refused: {reason}</source>
        <translation>已拒绝：{reason}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="662"/>
        <source>ALARM — formal, act now</source>
        <translation>报警 — 正式报警，立即处置</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="662"/>
        <source>warning — ask someone to check</source>
        <translation>预警 — 派人现场确认</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="663"/>
        <location filename="../main_window.py" line="666"/>
        <source>New alarm here</source>
        <translation>在此新建报警</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="663"/>
        <source>Grade:</source>
        <translation>等级：</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="666"/>
        <source>What was seen (e.g. smell of rotten eggs, a leak, smoke):</source>
        <translation>所见情况（如臭鸡蛋味、泄漏、烟雾）：</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="673"/>
        <source>Alarm entered by hand</source>
        <translation>人工录入的报警</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="693"/>
        <source>Nothing found for {text!r}</source>
        <translation>未找到 {text!r}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="709"/>
        <source>{person}: position unknown</source>
        <translation>{person}：位置未知</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="712"/>
        <source>{person}: last seen here</source>
        <translation>{person}：最后位置在此</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="721"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="724"/>
        <source>Person, device or equipment: id or name</source>
        <translation>人员、终端或设备：编号或名称</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="762"/>
        <source>person</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="774"/>
        <source>Distance: {d}</source>
        <translation>距离：{d}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="791"/>
        <source>People inside the area</source>
        <translation>区域内人员</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="803"/>
        <source>{n} people inside the area ({a:.0f} m²)</source>
        <translation>区域内 {n} 人（{a:.0f} m²）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="825"/>
        <source>Plant Emergency Command Center
From alarm to all-clear: every action is an event in a tamper-evident log.
F1 lists the keyboard shortcuts.</source>
        <translation>工厂应急指挥中心
从报警到解除：每个操作都记入防篡改日志。
F1 列出键盘快捷键。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="834"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="835"/>
        <source>Incident {id} is still open. Quit anyway?

Nothing is lost: the log keeps every event, and the incident opens again where it stands when you start the command center.</source>
        <translation>事件 {id} 仍在进行。确定退出吗？

不会丢失任何内容：日志保存了每个事件，下次启动指挥中心时事件会按当前状态重新打开。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="864"/>
        <location filename="../main_window.py" line="867"/>
        <source>Save screenshot</source>
        <translation>保存截图</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="865"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="868"/>
        <source>Could not write {path}.</source>
        <translation>无法写入 {path}。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="892"/>
        <source>Plant Emergency Command Center</source>
        <translation>工厂应急指挥中心</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="907"/>
        <source>No plant loaded</source>
        <translation>未加载工厂</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="911"/>
        <source>{name} · {buildings} buildings · {walkways} walkways · {people} people · {warnings} warnings</source>
        <translation>{name} · 建筑物 {buildings} · 通道 {walkways} · 人员 {people} · 警告 {warnings}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="922"/>
        <source>x {lx:.1f} m, y {ly:.1f} m  |  E {x:.1f}, N {y:.1f} ({crs})</source>
        <translation>x {lx:.1f} 米, y {ly:.1f} 米  |  东 {x:.1f}, 北 {y:.1f} ({crs})</translation>
    </message>
</context>
<context>
    <name>MapLegend</name>
    <message>
        <location filename="../map_overlays.py" line="313"/>
        <source>People</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../map_overlays.py" line="314"/>
        <source>Threat zones of the release</source>
        <translation>泄漏威胁区</translation>
    </message>
    <message>
        <location filename="../map_overlays.py" line="315"/>
        <source>Plant risk class A–D (fixed)</source>
        <translation>厂区风险等级 A–D（固定）</translation>
    </message>
    <message>
        <location filename="../map_overlays.py" line="321"/>
        <source>red: life-threatening (AEGL-3)</source>
        <translation>红：危及生命（AEGL-3）</translation>
    </message>
    <message>
        <location filename="../map_overlays.py" line="322"/>
        <source>orange: disabling (AEGL-2)</source>
        <translation>橙：失能（AEGL-2）</translation>
    </message>
    <message>
        <location filename="../map_overlays.py" line="323"/>
        <source>yellow: discomfort (AEGL-1)</source>
        <translation>黄：不适（AEGL-1）</translation>
    </message>
</context>
<context>
    <name>MapTools</name>
    <message>
        <location filename="../map_tools.py" line="215"/>
        <source>Measure: click points along the way; double-click or right-click to finish, Esc to stop.</source>
        <extracomment>the tool was put away (finished or cancelled) the measured length (m), when finished the polygon drawn (plant CRS), when finished the place picked (plant x, y in m)</extracomment>
        <translation>测量：沿路线逐点单击；双击或右键结束，Esc 退出。</translation>
    </message>
    <message>
        <location filename="../map_tools.py" line="217"/>
        <source>Area: click the corners; double-click or right-click to close it and list who is inside, Esc to stop.</source>
        <translation>区域：单击各角点；双击或右键闭合并列出区内人员，Esc 退出。</translation>
    </message>
    <message>
        <location filename="../map_tools.py" line="219"/>
        <source>Click the place of the new alarm on the map (Esc to stop).</source>
        <translation>在地图上单击新报警的位置（Esc 退出）。</translation>
    </message>
</context>
<context>
    <name>MusterPanel</name>
    <message>
        <location filename="../muster_panel.py" line="204"/>
        <source>Roll call</source>
        <extracomment>centre the map on a person (id, x, y in plant metres)</extracomment>
        <translation>点名</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="205"/>
        <source>{person} is present at:</source>
        <translation>{person} 已到达：</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="219"/>
        <source>Walk-up check-in</source>
        <translation>临时人员登记</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="223"/>
        <source>visitor</source>
        <translation>访客</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="223"/>
        <source>contractor</source>
        <translation>承包商</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="224"/>
        <source>employee not on the roster</source>
        <translation>未列入名单的员工</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="224"/>
        <source>driver</source>
        <translation>司机</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="40"/>
        <source>Operator</source>
        <translation>操作工</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="41"/>
        <source>Contractor</source>
        <translation>承包商</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="42"/>
        <source>Firefighter</source>
        <translation>消防员</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="43"/>
        <source>Security guard</source>
        <translation>保安</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="44"/>
        <source>Control room operator</source>
        <translation>中控操作员</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="45"/>
        <source>Maintenance technician</source>
        <translation>维修技工</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="46"/>
        <source>Visitor</source>
        <translation>访客</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="47"/>
        <source>Unit supervisor</source>
        <translation>装置主管</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="48"/>
        <source>Laboratory analyst</source>
        <translation>化验分析员</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="49"/>
        <source>Administrative staff</source>
        <translation>行政人员</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="50"/>
        <source>Canteen staff</source>
        <translation>食堂人员</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="51"/>
        <source>Electrician</source>
        <translation>电工</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="52"/>
        <source>Instrument technician</source>
        <translation>仪表工</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="53"/>
        <source>HSE officer</source>
        <translation>安全环保员</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="54"/>
        <source>Process engineer</source>
        <translation>工艺工程师</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="55"/>
        <source>Warehouse keeper</source>
        <translation>仓管员</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="56"/>
        <source>Driver</source>
        <translation>司机</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="57"/>
        <source>Department manager</source>
        <translation>部门经理</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="58"/>
        <source>Equipment engineer</source>
        <translation>设备工程师</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="59"/>
        <source>Welder</source>
        <translation>焊工</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="60"/>
        <source>Deputy plant manager</source>
        <translation>副厂长</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="61"/>
        <source>Shift supervisor</source>
        <translation>值班长</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="62"/>
        <source>Fire captain</source>
        <translation>消防队长</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="63"/>
        <source>Medic</source>
        <translation>医护员</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="64"/>
        <source>Electrical engineer</source>
        <translation>电气工程师</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="65"/>
        <source>Instrument engineer</source>
        <translation>仪表工程师</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="66"/>
        <source>Nurse</source>
        <translation>护士</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="67"/>
        <source>Trainer</source>
        <translation>培训师</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="68"/>
        <source>Plant manager</source>
        <translation>厂长</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="69"/>
        <source>Fire chief</source>
        <translation>消防负责人</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="70"/>
        <source>Maintenance supervisor</source>
        <translation>维修主管</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="71"/>
        <source>Warehouse supervisor</source>
        <translation>仓储主管</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="72"/>
        <source>Security chief</source>
        <translation>保卫负责人</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="73"/>
        <source>Doctor</source>
        <translation>医生</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="231"/>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="232"/>
        <source>Kind:</source>
        <translation>类别：</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="233"/>
        <source>Company:</source>
        <translation>单位：</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="234"/>
        <source>Assembly point:</source>
        <translation>集合点：</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="263"/>
        <source>No incident open</source>
        <translation>未打开事件</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="272"/>
        <source>{n} unaccounted for</source>
        <translation>{n} 人未清点到</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="275"/>
        <source>No evacuation ordered</source>
        <translation>尚未下达疏散令</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="278"/>
        <source>1 responder on a task</source>
        <translation>执行任务 1 人</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="279"/>
        <source>{r} responders on tasks</source>
        <translation>执行任务 {r} 人</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="280"/>
        <source>{ordered} ordered to muster of {on} on site · {m} mustered · {responders}</source>
        <translation>在场 {on} 人中需集合 {ordered} 人 · 已集合 {m} 人 · {responders}</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="301"/>
        <source>red</source>
        <translation>红区</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="301"/>
        <source>orange</source>
        <translation>橙区</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="301"/>
        <source>yellow</source>
        <translation>黄区</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="303"/>
        <source>{age} ago</source>
        <translation>{age} 前</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="304"/>
        <source>no report yet</source>
        <translation>尚无报告</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="308"/>
        <source> (walk-up)</source>
        <translation>（临时登记）</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="330"/>
        <source>Assembly point</source>
        <translation>集合点</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="330"/>
        <source>Expected</source>
        <translation>应到</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="330"/>
        <source>Arrived</source>
        <translation>实到</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="331"/>
        <source>Missing</source>
        <translation>未到</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="331"/>
        <source>Capacity</source>
        <translation>容量</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="332"/>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="332"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="332"/>
        <source>Role</source>
        <translation>岗位</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="333"/>
        <source>Zone</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="333"/>
        <source>Last position (age)</source>
        <translation>最后位置（距今）</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="334"/>
        <source>Expected at</source>
        <translation>应到集合点</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="335"/>
        <source>Unaccounted for (worst first; click to show on the map)</source>
        <translation>未清点人员（最危急者在前；单击在地图上显示）</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="336"/>
        <source>Mark present (roll call)…</source>
        <translation>标记到位（点名）…</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="337"/>
        <source>Mark the selected person present at an assembly point (Ctrl+R)</source>
        <translation>将所选人员标记为已到某集合点（Ctrl+R）</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="338"/>
        <source>Walk-up check-in…</source>
        <translation>临时人员登记…</translation>
    </message>
    <message>
        <location filename="../muster_panel.py" line="339"/>
        <source>Check in a visitor or contractor who is not on the roster</source>
        <translation>登记不在名单上的访客或承包商</translation>
    </message>
</context>
<context>
    <name>PlanPanel</name>
    <message>
        <location filename="../plan_panel.py" line="273"/>
        <source>Launch plan</source>
        <translation>启动预案</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="346"/>
        <source> (&lt;span style=&apos;color:#c62828&apos;&gt;{n} unassigned&lt;/span&gt;)</source>
        <translation>（&lt;span style=&apos;color:#c62828&apos;&gt;{n} 项无人承担&lt;/span&gt;）</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="517"/>
        <source>valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="517"/>
        <source>invalid</source>
        <translation>无效</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="263"/>
        <source>Incident</source>
        <extracomment>a launch or level change was recorded (its events)</extracomment>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="273"/>
        <source>Launch</source>
        <translation>启动</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="290"/>
        <location filename="../plan_panel.py" line="294"/>
        <source>Lower the level</source>
        <translation>降低级别</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="291"/>
        <source>Why lower from {a} to {b}?</source>
        <translation>为何由 {a} 降至 {b}？</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="295"/>
        <source>Lower the response from {a} to {b}? The tasks already given stay on the board.</source>
        <translation>将响应由 {a} 降至 {b}？已下达的任务仍保留在任务板上。</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="296"/>
        <source>Lower</source>
        <translation>降级</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="304"/>
        <source>Raise the level</source>
        <translation>提升级别</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="305"/>
        <source>Raise</source>
        <translation>升级</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="339"/>
        <source>Raise &lt;b&gt;{plan}&lt;/b&gt; from {old} to &lt;b&gt;{level}&lt;/b&gt;?</source>
        <translation>将 &lt;b&gt;{plan}&lt;/b&gt; 由 {old} 升至 &lt;b&gt;{level}&lt;/b&gt;？</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="341"/>
        <source>Launch &lt;b&gt;{plan}&lt;/b&gt; at &lt;b&gt;{level}&lt;/b&gt;?</source>
        <translation>按 &lt;b&gt;{level}&lt;/b&gt; 启动 &lt;b&gt;{plan}&lt;/b&gt;？</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="343"/>
        <source>Scope: {scope}</source>
        <translation>范围：{scope}</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="344"/>
        <source>{tasks} task(s) to {people} people</source>
        <translation>向 {people} 人下达 {tasks} 项任务</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="347"/>
        <source>; {n} people notified</source>
        <translation>；通知 {n} 人</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="349"/>
        <source>; {n} ordered to evacuate</source>
        <translation>；命令 {n} 人疏散</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="350"/>
        <source>Orders: {orders}.</source>
        <translation>指令：{orders}。</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="352"/>
        <source>&lt;b&gt;{people} people on {devices} field devices will be ordered.&lt;/b&gt;</source>
        <translation>&lt;b&gt;将向 {people} 人的 {devices} 台现场终端下达指令。&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="356"/>
        <source>Outside agencies to call: {agencies}.</source>
        <translation>需联系的外部机构：{agencies}。</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="360"/>
        <source>&lt;span style=&apos;color:#c62828&apos;&gt;&lt;b&gt;EXERCISE&lt;/b&gt;: orders go to exercise devices only; no public alert and no call to outside agencies.&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#c62828&apos;&gt;&lt;b&gt;演练&lt;/b&gt;：指令只发往演练终端；不发布公众预警，不联系外部机构。&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="379"/>
        <source>{role} (nobody on the roster)</source>
        <translation>{role}（名册中无此岗位人员）</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="384"/>
        <source>{role} (on shift from {time})</source>
        <translation>{role}（{time} 起有人当班）</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="386"/>
        <source>&lt;b&gt;No one on shift for:&lt;/b&gt; {roles}.</source>
        <translation>&lt;b&gt;以下岗位当前无人当班：&lt;/b&gt;{roles}。</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="393"/>
        <source>{task} (nobody qualified on shift)</source>
        <translation>{task}（当班人员均无所需资质）</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="395"/>
        <source>&lt;b&gt;{n} task(s) will be unassigned:&lt;/b&gt; {tasks}.</source>
        <translation>&lt;b&gt;{n} 项任务将无人承担：&lt;/b&gt;{tasks}。</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="398"/>
        <source>Give them to someone on the task board after the launch, or call people in.</source>
        <translation>启动后请在任务板上指派给他人，或召回人员。</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="400"/>
        <source>Every task has someone on shift: where a role has nobody, its alternate takes the task.</source>
        <translation>每项任务都有当班人员承担：某岗位无人当班时由替补岗位接手。</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="407"/>
        <source>{n} people</source>
        <translation>{n} 人</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="407"/>
        <source>place of the alarm unknown</source>
        <translation>报警位置未知</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="409"/>
        <source>evacuate the whole site ({count})</source>
        <translation>全厂疏散（{count}）</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="411"/>
        <source>evacuate everyone within {r:.0f} m of the alarm ({count})</source>
        <translation>疏散报警点 {r:.0f} m 范围内所有人员（{count}）</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="414"/>
        <source>evacuate the plant zone of the alarm ({count})</source>
        <translation>疏散报警所在厂区（{count}）</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="415"/>
        <source>no evacuation at this level</source>
        <translation>本级别不疏散</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="453"/>
        <source>No alarm. To launch by hand, choose a plan in the library.</source>
        <translation>没有报警。如需人工启动，请从预案库中选择。</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="460"/>
        <source>Alarm at {where}{what}</source>
        <translation>报警位置 {where}{what}</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="462"/>
        <source>No plan is written for it: choose one below.</source>
        <translation>没有对应的预案：请在下方选择。</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="466"/>
        <source>its trigger</source>
        <translation>预案触发条件</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="466"/>
        <source>written for</source>
        <translation>适用于</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="467"/>
        <source>Proposed: &lt;b&gt;{plan}&lt;/b&gt; at &lt;b&gt;{level} {name}&lt;/b&gt; ({why})</source>
        <translation>建议：&lt;b&gt;{plan}&lt;/b&gt;，&lt;b&gt;{level} {name}&lt;/b&gt;（{why}）</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="475"/>
        <source>No plan launched yet.</source>
        <translation>尚未启动预案。</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="478"/>
        <source>Running: &lt;b&gt;{plan}&lt;/b&gt; at &lt;b&gt;{level}&lt;/b&gt; since {t}</source>
        <translation>执行中：&lt;b&gt;{plan}&lt;/b&gt;，&lt;b&gt;{level}&lt;/b&gt;，始于 {t}</translation>
    </message>
    <message numerus="yes">
        <location filename="../plan_panel.py" line="532"/>
        <source>%n plan(s) valid</source>
        <translation>
            <numerusform>%n 个预案有效</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../plan_panel.py" line="534"/>
        <source>, %n invalid</source>
        <translation>
            <numerusform>，%n 个无效</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="536"/>
        <source>%1 — %2 at %3, %4 task(s)</source>
        <translation>%1 — %2，%3级响应，%4 项任务</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="544"/>
        <source>Plan</source>
        <translation>预案</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="544"/>
        <source>Levels</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="544"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="545"/>
        <source>Proposed for the alarm</source>
        <translation>针对报警的建议</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="546"/>
        <source>Response level</source>
        <translation>响应级别</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="547"/>
        <source>Level:</source>
        <translation>级别：</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="548"/>
        <source>Launch…</source>
        <translation>启动…</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="549"/>
        <source>Launch the proposed plan (or the one chosen below) at this level, after a confirmation (Ctrl+L)</source>
        <translation>确认后按此级别启动建议预案（或下方所选预案）（Ctrl+L）</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="551"/>
        <source>Raise ▲</source>
        <translation>升级 ▲</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="552"/>
        <source>Lower ▼</source>
        <translation>降级 ▼</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="553"/>
        <source>Plan library (choose another plan)</source>
        <translation>预案库（选择其他预案）</translation>
    </message>
</context>
<context>
    <name>ReplayBar</name>
    <message>
        <location filename="../replay_timeline.py" line="318"/>
        <source>{time} ({zone}) · +{elapsed} of {total}</source>
        <extracomment>a person id typed in the trail box (empty: none)</extracomment>
        <translation>{time}（{zone}）· 第 {elapsed} / 共 {total}</translation>
    </message>
    <message>
        <location filename="../replay_timeline.py" line="323"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../replay_timeline.py" line="323"/>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../replay_timeline.py" line="330"/>
        <source>Previous event</source>
        <translation>上一个事件</translation>
    </message>
    <message>
        <location filename="../replay_timeline.py" line="331"/>
        <source>Next event</source>
        <translation>下一个事件</translation>
    </message>
    <message>
        <location filename="../replay_timeline.py" line="332"/>
        <source>Previous event (Left)</source>
        <translation>上一个事件（←）</translation>
    </message>
    <message>
        <location filename="../replay_timeline.py" line="333"/>
        <source>Next event (Right)</source>
        <translation>下一个事件（→）</translation>
    </message>
    <message>
        <location filename="../replay_timeline.py" line="334"/>
        <source>Play or pause (Space)</source>
        <translation>播放或暂停（空格）</translation>
    </message>
    <message>
        <location filename="../replay_timeline.py" line="335"/>
        <source>Replay speed: seconds of the incident per second</source>
        <translation>回放速度：每秒回放的事件秒数</translation>
    </message>
    <message>
        <location filename="../replay_timeline.py" line="336"/>
        <source>Trail of</source>
        <translation>轨迹：</translation>
    </message>
    <message>
        <location filename="../replay_timeline.py" line="337"/>
        <source>person id, or click a dot</source>
        <translation>人员编号，或单击圆点</translation>
    </message>
</context>
<context>
    <name>ReplayReport</name>
    <message>
        <location filename="../replay_report.py" line="29"/>
        <source>Reading the log…</source>
        <translation>正在读取日志…</translation>
    </message>
    <message>
        <location filename="../replay_report.py" line="30"/>
        <source>Loading the plant…</source>
        <translation>正在加载厂区…</translation>
    </message>
    <message>
        <location filename="../replay_report.py" line="31"/>
        <source>Checking the field evidence…</source>
        <translation>正在核对现场证据…</translation>
    </message>
    <message>
        <location filename="../replay_report.py" line="32"/>
        <source>Comparing with earlier drills…</source>
        <translation>正在与以往演练比较…</translation>
    </message>
    <message>
        <location filename="../replay_report.py" line="33"/>
        <source>Timing every step…</source>
        <translation>正在统计各步骤用时…</translation>
    </message>
    <message>
        <location filename="../replay_report.py" line="34"/>
        <source>Preparing the fonts…</source>
        <translation>正在准备字体…</translation>
    </message>
    <message>
        <location filename="../replay_report.py" line="35"/>
        <source>Writing the PDF…</source>
        <translation>正在生成 PDF…</translation>
    </message>
    <message>
        <location filename="../replay_report.py" line="36"/>
        <source>Writing the HTML map…</source>
        <translation>正在生成 HTML 地图…</translation>
    </message>
    <message>
        <location filename="../replay_report.py" line="37"/>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../replay_report.py" line="116"/>
        <source>Export after-action report</source>
        <extracomment>fraction 0–1 and the step&apos;s text the result dict (``pdf``, ``html`` paths, ``summary``) a one-line reason</extracomment>
        <translation>导出事后评估报告</translation>
    </message>
    <message>
        <location filename="../replay_report.py" line="117"/>
        <source>PDF report (*.pdf)</source>
        <translation>PDF 报告 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../replay_report.py" line="127"/>
        <source>Writing the report…</source>
        <translation>正在生成报告…</translation>
    </message>
    <message>
        <location filename="../replay_report.py" line="128"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../replay_report.py" line="130"/>
        <location filename="../replay_report.py" line="180"/>
        <source>After-action report</source>
        <translation>事后评估报告</translation>
    </message>
    <message>
        <location filename="../replay_report.py" line="181"/>
        <source>The report could not be written.</source>
        <translation>报告生成失败。</translation>
    </message>
</context>
<context>
    <name>ReplaySession</name>
    <message>
        <location filename="../replay_session.py" line="176"/>
        <source>This is a replay: nothing can be recorded. Open the incident itself to act.</source>
        <extracomment>another incident (or a jump of the cursor): redraw everything the cursor stepped forward over these records (in log order) an action was refused: a one-line reason the cursor moved (µs since the epoch) playback started (True) or stopped (False)</extracomment>
        <translation>这是回放：不能记录任何操作。如需处置，请打开事件本身。</translation>
    </message>
</context>
<context>
    <name>ReplayTimeline</name>
    <message>
        <location filename="../replay_timeline.py" line="43"/>
        <source>Alarms</source>
        <translation>报警</translation>
    </message>
    <message>
        <location filename="../replay_timeline.py" line="44"/>
        <source>Launch &amp; level</source>
        <translation>启动与级别</translation>
    </message>
    <message>
        <location filename="../replay_timeline.py" line="45"/>
        <source>Hazard &amp; routes</source>
        <translation>危险区与路线</translation>
    </message>
    <message>
        <location filename="../replay_timeline.py" line="46"/>
        <source>Orders</source>
        <translation>指令</translation>
    </message>
    <message>
        <location filename="../replay_timeline.py" line="47"/>
        <source>Check-ins</source>
        <translation>报到</translation>
    </message>
    <message>
        <location filename="../replay_timeline.py" line="48"/>
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../replay_timeline.py" line="49"/>
        <source>Resources</source>
        <translation>应急资源</translation>
    </message>
</context>
<context>
    <name>ReplayWindow</name>
    <message>
        <location filename="../replay_window.py" line="71"/>
        <source>Alarms and incident</source>
        <extracomment>recorded evacuation plans whose route items are kept between crossings (a drill records a handful) renders of the map&apos;s background kept for a crossing back (one per set of plans shown; ~6 MB each at 1600×1000) the smallest size (px) of a docked view: fixed, never computed from what the view shows (see _steady_docks) the live window&apos;s panels a replay shows too, when they are installed: (module, class, dock name, area)</extracomment>
        <translation>报警与事件</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="72"/>
        <source>Muster</source>
        <translation>集合清点</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="73"/>
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="74"/>
        <source>Event log</source>
        <translation>事件日志</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="75"/>
        <source>Comms</source>
        <translation>通信</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="76"/>
        <source>Plan</source>
        <translation>预案</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="396"/>
        <source>This is a replay: nothing can be recorded.</source>
        <extracomment>a replay was opened and drawn (the incident id) opening failed (a one-line reason)</extracomment>
        <translation>这是回放：不能记录任何操作。</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="402"/>
        <location filename="../replay_window.py" line="735"/>
        <source>Replay incident log</source>
        <translation>回放事件日志</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="403"/>
        <location filename="../replay_window.py" line="736"/>
        <source>Incident logs (*.db *.sqlite);;All files (*)</source>
        <translation>事件日志 (*.db *.sqlite);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="419"/>
        <source>the log holds no incident</source>
        <translation>日志中没有事件</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="425"/>
        <source>Preparing the replay…</source>
        <translation>正在准备回放…</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="425"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="426"/>
        <location filename="../replay_window.py" line="518"/>
        <source>Replay</source>
        <translation>回放</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="439"/>
        <source>Seeking may be slow: the seek index could not be stored ({why})</source>
        <translation>定位可能较慢：无法保存定位索引（{why}）</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="455"/>
        <location filename="../replay_window.py" line="648"/>
        <source>Cannot replay</source>
        <translation>无法回放</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="456"/>
        <source>The incident log {db} could not be replayed.</source>
        <translation>无法回放事件日志 {db}。</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="517"/>
        <source>No replay open: File → Replay incident log…</source>
        <translation>未打开回放：文件 → 回放事件日志…</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="522"/>
        <source>no plan launched</source>
        <translation>未启动预案</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="523"/>
        <location filename="../replay_window.py" line="659"/>
        <source>drill</source>
        <translation>演练</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="523"/>
        <location filename="../replay_window.py" line="660"/>
        <source>incident</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="524"/>
        <source>{kind} {id}: {title} · at this moment: {level}</source>
        <translation>{kind} {id}：{title} · 此刻：{level}</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="526"/>
        <source>REPLAY — {title} ({id}) — read-only</source>
        <translation>回放 — {title}（{id}）— 只读</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="530"/>
        <source>· TAMPERED LOG: event {seq} {kind}</source>
        <translation>· 日志被篡改：事件 {seq} {kind}</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="539"/>
        <location filename="../replay_window.py" line="544"/>
        <source>REPLAY</source>
        <translation>回放</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="542"/>
        <source>REPLAY · read-only · {time}</source>
        <translation>回放 · 只读 · {time}</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="556"/>
        <source>{person}: no position reports in this log</source>
        <translation>{person}：本日志中没有位置报告</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="597"/>
        <location filename="../replay_window.py" line="769"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="598"/>
        <source>Replay another &amp;incident log…</source>
        <translation>回放其他事件日志(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="599"/>
        <location filename="../replay_window.py" line="708"/>
        <source>&amp;Export report…</source>
        <translation>导出报告(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="600"/>
        <source>The after-action report (PDF and an offline HTML map) of this incident</source>
        <translation>本事件的事后评估报告（PDF 和离线 HTML 地图）</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="602"/>
        <source>&amp;Close replay</source>
        <translation>关闭回放(&amp;C)</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="603"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="604"/>
        <source>&amp;Playback</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="605"/>
        <source>Play / pause	Space</source>
        <translation>播放 / 暂停	Space</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="606"/>
        <source>Previous event	Left</source>
        <translation>上一个事件	Left</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="607"/>
        <source>Next event	Right</source>
        <translation>下一个事件	Right</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="608"/>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="654"/>
        <source>Which incident?</source>
        <translation>哪个事件？</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="703"/>
        <source>&amp;Replay incident log…</source>
        <translation>回放事件日志(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="704"/>
        <source>Watch a recorded incident or drill on the map with a timeline (read-only, in its own window)</source>
        <translation>在地图上按时间线观看已记录的事件或演练（只读，独立窗口）</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="707"/>
        <source>Replay this incident</source>
        <translation>回放本事件</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="716"/>
        <source>The after-action report (PDF and an offline HTML map) of this finished incident or drill</source>
        <translation>本次已结束事件或演练的事后评估报告（PDF 和离线 HTML 地图）</translation>
    </message>
    <message>
        <location filename="../replay_window.py" line="718"/>
        <source>Close the incident first (all clear): the report covers a finished incident or drill</source>
        <translation>请先关闭事件（解除）：报告针对已结束的事件或演练</translation>
    </message>
</context>
<context>
    <name>ResourcesPanel</name>
    <message>
        <location filename="../resources_panel.py" line="51"/>
        <source>Breathing apparatus (SCBA)</source>
        <translation>正压式空气呼吸器（SCBA）</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="52"/>
        <source>Extinguisher</source>
        <translation>灭火器</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="53"/>
        <source>Hydrant</source>
        <translation>消火栓</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="54"/>
        <source>First-aid kit</source>
        <translation>急救箱</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="55"/>
        <source>Eyewash station</source>
        <translation>洗眼器</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="56"/>
        <source>Spill kit</source>
        <translation>泄漏应急包</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="57"/>
        <source>Gas detector</source>
        <translation>气体检测仪</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="58"/>
        <source>Stretcher</source>
        <translation>担架</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="59"/>
        <source>Fire truck</source>
        <translation>消防车</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="60"/>
        <location filename="../resources_panel.py" line="666"/>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="61"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="64"/>
        <source>fire brigade</source>
        <translation>消防队</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="65"/>
        <source>medical team</source>
        <translation>医疗救护组</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="66"/>
        <source>hazmat team</source>
        <translation>危化品处置组</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="67"/>
        <source>maintenance team</source>
        <translation>抢修组</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="68"/>
        <source>security team</source>
        <translation>治安警戒组</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="69"/>
        <source>confined space</source>
        <translation>受限空间</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="70"/>
        <source>CPR</source>
        <translation>心肺复苏</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="71"/>
        <source>crane</source>
        <translation>起重</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="72"/>
        <source>electrical work</source>
        <translation>电工作业</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="73"/>
        <source>emergency medical</source>
        <translation>急救医疗</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="74"/>
        <source>fire fighting</source>
        <translation>灭火</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="75"/>
        <source>first aid</source>
        <translation>急救</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="76"/>
        <source>forklift</source>
        <translation>叉车</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="77"/>
        <source>gas testing</source>
        <translation>气体检测</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="78"/>
        <source>hazmat</source>
        <translation>危化品处置</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="79"/>
        <source>hot work</source>
        <translation>动火作业</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="80"/>
        <source>incident command</source>
        <translation>应急指挥</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="81"/>
        <source>pressure vessel</source>
        <translation>压力容器</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="82"/>
        <source>SCBA</source>
        <translation>空气呼吸器</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="83"/>
        <source>work at height</source>
        <translation>高处作业</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="353"/>
        <source>Any kind</source>
        <extracomment>a refresh finished (the result dict of :func:`query`) the place was set by a click on the map (x, y in the plant CRS) show this place on the map (x, y in the plant CRS): a row was double-clicked</extracomment>
        <translation>任意类别</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="395"/>
        <source>Searching by walking time…</source>
        <translation>正在按步行时间搜索…</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="412"/>
        <source>Search failed: {message}</source>
        <translation>搜索失败：{message}</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="428"/>
        <source>No incident is open.</source>
        <translation>未打开事件。</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="449"/>
        <source>Not offered, inside the red zone: {items}</source>
        <translation>位于红区内，未列出：{items}</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="470"/>
        <source>No incident place yet: compute a hazard zone, or pick a place on the map.</source>
        <translation>尚无事件位置：请计算危险区，或在地图上选点。</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="474"/>
        <source>This place cannot be reached on foot: {why}</source>
        <translation>该地点无法步行到达：{why}</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="478"/>
        <source>the place picked on the map</source>
        <translation>地图上所选地点</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="479"/>
        <source>Nearest to {where}, by walking time around the hazard.</source>
        <translation>距 {where} 最近（按绕开危险区的步行时间）。</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="481"/>
        <source>The place is inside the red zone: routes end at its edge ({m:.0f} m short).</source>
        <translation>该地点位于红区内：路线止于红区边缘（差 {m:.0f} m）。</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="490"/>
        <source>the release at {name}</source>
        <translation>{name} 的泄漏点</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="491"/>
        <source>the newest alarm</source>
        <translation>最新报警</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="498"/>
        <source>{n} inventory warnings ({expired} expired or overdue): see the tooltip</source>
        <translation>{n} 条物资警告（{expired} 条过期或逾期）：见提示</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="504"/>
        <source>No plan launched: nothing to check for shortages.</source>
        <translation>未启动预案：无需检查物资缺口。</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="507"/>
        <source>Plan {plan} at {level}: enough of everything outside the hazard.</source>
        <translation>预案 {plan}（{level}）：危险区外物资充足。</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="512"/>
        <source>&lt;b&gt;Short of {kind}: {short}&lt;/b&gt; (needed {needed}, {available} outside the hazard, {in_hazard} inside, {requested} requested)</source>
        <translation>&lt;b&gt;{kind} 缺 {short}&lt;/b&gt;（需要 {needed}，危险区外 {available}，区内 {in_hazard}，已申请 {requested}）</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="518"/>
        <source>Outside help should deliver to {gate} ({walk} on foot from the place).</source>
        <translation>外部支援应送至 {gate}（距该地点步行 {walk}）。</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="579"/>
        <source>Click the place on the map.</source>
        <translation>在地图上单击地点。</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="661"/>
        <source>Nearest resources</source>
        <translation>最近的应急资源</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="662"/>
        <source>Nearest people on shift</source>
        <translation>最近的当班人员</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="663"/>
        <source>Pick a place on the map</source>
        <translation>在地图上选点</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="664"/>
        <source>Back to the incident</source>
        <translation>回到事件位置</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="665"/>
        <source>Resource</source>
        <translation>资源</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="665"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="665"/>
        <location filename="../resources_panel.py" line="666"/>
        <source>Walk</source>
        <translation>步行</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="665"/>
        <source>Free</source>
        <translation>可用</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="666"/>
        <source>Role</source>
        <translation>岗位</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="667"/>
        <source>Teams and qualifications</source>
        <translation>队伍与资质</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="668"/>
        <source>Dispatch to the incident</source>
        <translation>调往事件现场</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="669"/>
        <source>Send this person</source>
        <translation>派遣此人</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="670"/>
        <source>Record the external request</source>
        <translation>记录外部支援申请</translation>
    </message>
    <message>
        <location filename="../resources_panel.py" line="671"/>
        <source>Resources</source>
        <translation>应急资源</translation>
    </message>
</context>
<context>
    <name>RouteLayer</name>
    <message>
        <location filename="../route_layer.py" line="242"/>
        <location filename="../route_layer.py" line="256"/>
        <source>capacity-aware</source>
        <extracomment>how many recorded plans keep their graphics (hidden, not removed) when another is shown: a replay crossing a plan back and forth then shows and hides items instead of building them again. 0: none.</extracomment>
        <translation>按通行能力</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="243"/>
        <location filename="../route_layer.py" line="258"/>
        <source>shortest</source>
        <translation>最短路径</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="244"/>
        <location filename="../route_layer.py" line="259"/>
        <source>Evacuation ({method}): {time:.0f} s, bound {bound:.0f} s</source>
        <translation>疏散（{method}）：{time:.0f} 秒，下界 {bound:.0f} 秒</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="249"/>
        <location filename="../route_layer.py" line="265"/>
        <source>{n} without a safe route</source>
        <translation>{n} 人无安全路线</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="320"/>
        <source>&amp;Emergency</source>
        <translation>应急(&amp;E)</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="321"/>
        <source>&amp;Plan evacuation around a hazard file…</source>
        <translation>按危险区文件规划疏散(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="322"/>
        <source>Route everyone to a safe assembly point around the zones of a GeoJSON file</source>
        <translation>避开 GeoJSON 文件中的危险区，为每个人规划前往安全集合点的路线</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="325"/>
        <source>Plan evacuation around the hazard zone</source>
        <translation>按当前危险区规划疏散</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="326"/>
        <source>Route everyone around the zones on the map; a new wind reading re-routes who it affects</source>
        <translation>绕开地图上的危险区为所有人规划疏散路线；风况更新后只为受影响的人重新规划</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="328"/>
        <source>Plan evacuation without a hazard</source>
        <translation>无危险区时规划疏散</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="329"/>
        <source>Clear evacuation routes</source>
        <translation>清除疏散路线</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="362"/>
        <source>Hazard zones (GeoJSON)</source>
        <translation>危险区（GeoJSON）</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="363"/>
        <source>GeoJSON (*.geojson *.json);;All files (*)</source>
        <translation>GeoJSON (*.geojson *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="378"/>
        <source>Planning the evacuation…</source>
        <translation>正在规划疏散…</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="406"/>
        <source>Re-routing for the new zones…</source>
        <translation>正在按新的危险区重新规划路线…</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="426"/>
        <location filename="../route_layer.py" line="446"/>
        <source>Hazard changed: {n} people re-routed</source>
        <translation>危险区已变化：{n} 人已重新规划路线</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="435"/>
        <source>Evacuation</source>
        <translation>疏散</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="480"/>
        <source>Evacuation planning failed: {message}</source>
        <translation>疏散规划失败：{message}</translation>
    </message>
</context>
<context>
    <name>TamperBanner</name>
    <message>
        <location filename="../tamper_banner.py" line="16"/>
        <source>changed after it was recorded</source>
        <translation>记录后被修改</translation>
    </message>
    <message>
        <location filename="../tamper_banner.py" line="17"/>
        <source>deleted (events are missing)</source>
        <translation>被删除（事件缺失）</translation>
    </message>
    <message>
        <location filename="../tamper_banner.py" line="18"/>
        <source>inserted (it was not in the record)</source>
        <translation>被插入（原记录中没有）</translation>
    </message>
    <message>
        <location filename="../tamper_banner.py" line="19"/>
        <source>out of order</source>
        <translation>顺序错乱</translation>
    </message>
    <message>
        <location filename="../tamper_banner.py" line="55"/>
        <source>TAMPERED INCIDENT LOG — the record of incident {id} is broken at event #{seq}: {kind}.</source>
        <translation>事件日志已被篡改 — 事件 {id} 的记录在第 {seq} 号事件处断裂：{kind}。</translation>
    </message>
    <message>
        <location filename="../tamper_banner.py" line="57"/>
        <source>Nothing from event #{seq} on can be trusted. Shown read-only: report it to the log&apos;s administrator.</source>
        <translation>第 {seq} 号事件及之后的内容均不可信。以只读方式显示：请报告日志管理员。</translation>
    </message>
</context>
<context>
    <name>TaskPanel</name>
    <message>
        <location filename="../task_panel.py" line="158"/>
        <source>Reassign task</source>
        <extracomment>board groups, top to bottom show a person on the map (their id)</extracomment>
        <translation>改派任务</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="158"/>
        <source>Give the task to:</source>
        <translation>将任务改派给：</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="188"/>
        <source>Evidence for {task}</source>
        <translation>{task} 的证据</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="207"/>
        <source>No evidence received for this task yet.</source>
        <translation>此任务尚未收到证据。</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="268"/>
        <source>nobody on shift</source>
        <translation>无当班人员</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="323"/>
        <source>📷 {n}</source>
        <translation>📷 {n}</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="340"/>
        <source>sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="340"/>
        <location filename="../task_panel.py" line="382"/>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="340"/>
        <source>FAILED</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="354"/>
        <source>No tasks yet: they come with the launch of a plan or an alarm check.</source>
        <translation>尚无任务：启动预案或报警现场确认时产生。</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="361"/>
        <source>{n} tasks: {over} overdue, {waiting} not acknowledged, {done} done</source>
        <translation>{n} 项任务：{over} 项超时，{waiting} 项未回复，{done} 项完成</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="375"/>
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="375"/>
        <source>Not acknowledged yet</source>
        <translation>尚未回复</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="376"/>
        <source>Acknowledged / in progress</source>
        <translation>已回复 / 进行中</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="376"/>
        <source>Nobody on shift to take it</source>
        <translation>无当班人员可接</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="377"/>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="377"/>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="380"/>
        <location filename="../task_panel.py" line="384"/>
        <source>pending</source>
        <translation>待分派</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="380"/>
        <source>assigned</source>
        <translation>已分派</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="381"/>
        <source>acknowledged</source>
        <translation>已回复</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="381"/>
        <location filename="../task_panel.py" line="384"/>
        <source>in progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="382"/>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="382"/>
        <source>overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="383"/>
        <source>not acknowledged in time</source>
        <translation>未按时回复</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="388"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="388"/>
        <source>Assignee</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="389"/>
        <source>Deadline ({offset})</source>
        <translation>期限（{offset}）</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="389"/>
        <source>Left</source>
        <translation>剩余</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="390"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="390"/>
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="390"/>
        <source>Equipment</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="391"/>
        <source>Reassign…</source>
        <translation>改派…</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="392"/>
        <source>Mark done</source>
        <translation>标记完成</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="393"/>
        <source>Evidence…</source>
        <translation>证据…</translation>
    </message>
    <message>
        <location filename="../task_panel.py" line="394"/>
        <source>Show assignee</source>
        <translation>显示负责人</translation>
    </message>
</context>
<context>
    <name>TimelinePanel</name>
    <message>
        <location filename="../timeline_panel.py" line="19"/>
        <source>Incident opened</source>
        <translation>事件打开</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="20"/>
        <source>Incident closed</source>
        <translation>事件关闭</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="21"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="22"/>
        <source>Detector alarm</source>
        <translation>探测器报警</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="23"/>
        <source>Weather</source>
        <translation>气象</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="24"/>
        <source>Alarm raised</source>
        <translation>报警发出</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="25"/>
        <source>Alarm acknowledged</source>
        <translation>报警已知悉</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="26"/>
        <source>Alarm confirmed</source>
        <translation>报警确认</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="27"/>
        <source>Alarm cleared</source>
        <translation>报警解除</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="28"/>
        <source>Hazard zones assessed</source>
        <translation>危险区评估</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="29"/>
        <source>Evacuation planned</source>
        <translation>疏散规划</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="30"/>
        <source>Plan proposed</source>
        <translation>预案建议</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="31"/>
        <source>Plan launched</source>
        <translation>预案启动</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="32"/>
        <source>Level changed</source>
        <translation>级别变更</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="33"/>
        <source>Task assigned</source>
        <translation>任务分派</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="34"/>
        <source>Task acknowledged</source>
        <translation>任务回复</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="35"/>
        <source>Task started</source>
        <translation>任务开始</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="36"/>
        <source>Task done</source>
        <translation>任务完成</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="37"/>
        <source>Task skipped</source>
        <translation>任务跳过</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="38"/>
        <source>Task overdue</source>
        <translation>任务超时</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="39"/>
        <source>Task escalated</source>
        <translation>任务升级</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="40"/>
        <source>Task reassigned</source>
        <translation>任务改派</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="41"/>
        <source>Nobody to take a task</source>
        <translation>任务无人可接</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="42"/>
        <source>Notice sent</source>
        <translation>通知发出</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="43"/>
        <source>Order sent</source>
        <translation>指令发出</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="44"/>
        <source>Order delivered</source>
        <translation>指令送达</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="45"/>
        <source>Order acknowledged</source>
        <translation>指令回执</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="46"/>
        <source>Order done</source>
        <translation>指令完成</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="47"/>
        <source>Order failed</source>
        <translation>指令失败</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="48"/>
        <source>Order expired</source>
        <translation>指令过期</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="49"/>
        <source>Mustered</source>
        <translation>已集合</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="50"/>
        <source>Gate badge</source>
        <translation>门禁刷卡</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="51"/>
        <source>Walk-up checked in</source>
        <translation>临时人员登记</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="52"/>
        <source>SOS</source>
        <translation>SOS</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="53"/>
        <source>Evidence received</source>
        <translation>收到证据</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="54"/>
        <source>Device online</source>
        <translation>终端上线</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="55"/>
        <source>Device offline</source>
        <translation>终端离线</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="56"/>
        <source>Resource dispatched</source>
        <translation>资源调派</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="57"/>
        <source>Resource requested</source>
        <translation>资源申请</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="58"/>
        <source>Drill scenario</source>
        <translation>演练情景</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="62"/>
        <source>level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="62"/>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="63"/>
        <location filename="../timeline_panel.py" line="65"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="63"/>
        <source>task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="64"/>
        <source>order</source>
        <translation>指令</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="64"/>
        <source>by</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="65"/>
        <source>why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="179"/>
        <source>Time ({offset})</source>
        <translation>时间（{offset}）</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="180"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="180"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="181"/>
        <source>Filter (a word, an id)…</source>
        <translation>筛选（关键词、编号）…</translation>
    </message>
    <message>
        <location filename="../timeline_panel.py" line="182"/>
        <source>Follow the latest</source>
        <translation>跟随最新</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <location filename="../replay_timeline.py" line="238"/>
        <source> (+{n} more here)</source>
        <extracomment>the user asked for this time (µs), by clicking or dragging</extracomment>
        <translation>（此处另有 {n} 个）</translation>
    </message>
</context>
</TS>
