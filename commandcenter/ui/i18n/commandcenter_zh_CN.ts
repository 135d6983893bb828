<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ExerciseMarking</name>
    <message>
        <location filename="../exercise_marking.py" line="24"/>
        <source>EXERCISE — not a real incident</source>
        <translation>演练 EXERCISE — 非真实事件</translation>
    </message>
    <message>
        <location filename="../exercise_marking.py" line="35"/>
        <source>[EXERCISE]</source>
        <translation>【演练 EXERCISE】</translation>
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
        <source>on site</source>
        <translation>在厂内</translation>
    </message>
    <message>
        <location filename="../feature_tooltip.py" line="55"/>
        <source>evacuating</source>
        <translation>疏散中</translation>
    </message>
    <message>
        <location filename="../feature_tooltip.py" line="56"/>
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
</context>
<context>
    <name>HazardDialog</name>
    <message>
        <location filename="../hazard_dialog.py" line="41"/>
        <source>Hazard zone</source>
        <translation>危害区域</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="49"/>
        <source> kg/s</source>
        <translation> kg/s</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="50"/>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="51"/>
        <source>continuous</source>
        <translation>连续</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="52"/>
        <source> m/s</source>
        <translation> 米/秒</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="59"/>
        <source>open country</source>
        <translation>开阔地</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="60"/>
        <source>urban / industrial</source>
        <translation>城市 / 工业区</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="61"/>
        <source>Source</source>
        <translation>泄漏源</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="62"/>
        <source>Substance</source>
        <translation>物质</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="63"/>
        <source>Release rate</source>
        <translation>泄漏速率</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="64"/>
        <source>Duration</source>
        <translation>持续时间</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="65"/>
        <source>Wind speed</source>
        <translation>风速</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="66"/>
        <source>Wind from</source>
        <translation>风向（来向）</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="67"/>
        <source>Stability class</source>
        <translation>大气稳定度</translation>
    </message>
    <message>
        <location filename="../hazard_dialog.py" line="68"/>
        <source>Terrain</source>
        <translation>地表类型</translation>
    </message>
</context>
<context>
    <name>HazardLayer</name>
    <message>
        <location filename="../hazard_layer.py" line="129"/>
        <source>Red</source>
        <translation>红区</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="130"/>
        <source>Orange</source>
        <translation>橙区</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="131"/>
        <source>Yellow</source>
        <translation>黄区</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="132"/>
        <source>{substance}, wind {speed:g} m/s from {deg:.0f}°, class {cls}</source>
        <translation>{substance}，风速 {speed:g} 米/秒，来向 {deg:.0f}°，稳定度 {cls}</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="139"/>
        <source>beyond 10 km</source>
        <translation>超过 10 公里</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="141"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="142"/>
        <source>{level} ({guideline} {ppm:g} ppm): {reach}, {people} people</source>
        <translation>{level}（{guideline} {ppm:g} ppm）：{reach}，{people} 人</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="199"/>
        <source>&amp;Emergency</source>
        <translation>应急(&amp;E)</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="200"/>
        <source>&amp;Hazard zone…</source>
        <translation>危害区域(&amp;H)…</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="201"/>
        <source>Compute the toxic or flammable threat zones of a release at a hazard source</source>
        <translation>计算危险源泄漏的有毒或可燃威胁区域</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="203"/>
        <source>Clear hazard zones</source>
        <translation>清除危害区域</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="215"/>
        <source>Hazard zone</source>
        <translation>危害区域</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="216"/>
        <source>This plant has no hazard sources.</source>
        <translation>该厂区没有危险源。</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="246"/>
        <source>{substance} release at {source}</source>
        <translation>{source} 处 {substance} 泄漏</translation>
    </message>
    <message>
        <location filename="../hazard_layer.py" line="280"/>
        <source>Hazard zone failed: {message}</source>
        <translation>危害区域计算失败：{message}</translation>
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
        <location filename="../incident_opener.py" line="66"/>
        <source>no such file</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <location filename="../incident_opener.py" line="81"/>
        <source>Incident {id}: {title} · level {level} · {n} events · as of {when}</source>
        <translation>事件 {id}：{title} · 级别 {level} · {n} 条记录 · 截至 {when}</translation>
    </message>
    <message>
        <location filename="../incident_opener.py" line="90"/>
        <source>Cannot open incident log</source>
        <translation>无法打开事件记录</translation>
    </message>
    <message>
        <location filename="../incident_opener.py" line="91"/>
        <source>The incident log {db} could not be read.</source>
        <translation>无法读取事件记录 {db}。</translation>
    </message>
</context>
<context>
    <name>IncidentSession</name>
    <message>
        <location filename="../session.py" line="170"/>
        <location filename="../session.py" line="183"/>
        <source>No incident is open: File → New incident first.</source>
        <extracomment>a runtime was opened or closed (new incident, other log): redraw everything new events (a list of sealed events, in log order), on the UI thread an action was refused: a one-line reason to show</extracomment>
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
        <location filename="../main_window.py" line="140"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="141"/>
        <source>&amp;Open plant folder…</source>
        <translation>打开工厂文件夹(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="143"/>
        <source>Open a plant package stored as a folder of GeoJSON files</source>
        <translation>打开以 GeoJSON 文件夹保存的工厂数据包</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="144"/>
        <source>Open plant &amp;GeoPackage…</source>
        <translation>打开工厂 GeoPackage(&amp;G)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="145"/>
        <source>Open a plant package stored as one .gpkg file</source>
        <translation>打开以单个 .gpkg 文件保存的工厂数据包</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="146"/>
        <source>Save &amp;screenshot…</source>
        <translation>保存截图(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="147"/>
        <source>&amp;New incident…</source>
        <translation>新建事件(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="148"/>
        <source>Open a new incident (or exercise) in the incident log</source>
        <translation>在事件日志中新建一个事件（或演练）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="149"/>
        <source>Close incident (all clear)…</source>
        <translation>关闭事件（解除警报）…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="150"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="151"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="152"/>
        <source>&amp;Fit plant</source>
        <translation>显示全厂(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="153"/>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="154"/>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="155"/>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="156"/>
        <source>&amp;Layers panel</source>
        <translation>图层面板(&amp;L)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="170"/>
        <source>Open plant folder</source>
        <translation>打开工厂文件夹</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="176"/>
        <source>Open plant GeoPackage</source>
        <translation>打开工厂 GeoPackage</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="177"/>
        <source>GeoPackage (*.gpkg);;All files (*)</source>
        <translation>GeoPackage (*.gpkg);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="197"/>
        <source>Loaded {path} in {seconds:.2f} s</source>
        <translation>已加载 {path}，用时 {seconds:.2f} 秒</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="226"/>
        <source>Cannot open plant</source>
        <translation>无法打开工厂</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="227"/>
        <source>The plant package {path} could not be loaded ({n} errors).</source>
        <translation>工厂数据包 {path} 无法加载（{n} 个错误）。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="233"/>
        <source>… and {n} more (see Show Details)</source>
        <translation>……另有 {n} 个（见“显示详细信息”）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="254"/>
        <location filename="../main_window.py" line="258"/>
        <source>New incident</source>
        <translation>新建事件</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="254"/>
        <source>Title (what and where):</source>
        <translation>标题（何事、何地）：</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="258"/>
        <source>Is this an exercise (drill)?</source>
        <translation>这是演练吗？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="278"/>
        <source>Close incident</source>
        <translation>关闭事件</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="279"/>
        <source>Record the all-clear and close incident {id}?</source>
        <translation>记录解除警报并关闭事件 {id}？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="295"/>
        <source>TAMPERED LOG: event {seq} {kind} — shown read-only</source>
        <translation>日志被篡改：第 {seq} 条事件（{kind}）— 仅供查看</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="312"/>
        <source>No incident open</source>
        <translation>未打开事件</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="316"/>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="316"/>
        <source>no plan launched</source>
        <translation>未启动预案</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="317"/>
        <source>Incident {id}: {title} · {status}</source>
        <translation>事件 {id}：{title} · {status}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="322"/>
        <source>Refused: {reason}</source>
        <translation>已拒绝：{reason}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="332"/>
        <location filename="../main_window.py" line="335"/>
        <source>Save screenshot</source>
        <translation>保存截图</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="333"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="336"/>
        <source>Could not write {path}.</source>
        <translation>无法写入 {path}。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="359"/>
        <source>Plant Emergency Command Center</source>
        <translation>工厂应急指挥中心</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="371"/>
        <source>No plant loaded</source>
        <translation>未加载工厂</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="375"/>
        <source>{name} · {buildings} buildings · {walkways} walkways · {people} people · {warnings} warnings</source>
        <translation>{name} · 建筑物 {buildings} · 通道 {walkways} · 人员 {people} · 警告 {warnings}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="386"/>
        <source>x {lx:.1f} m, y {ly:.1f} m  |  E {x:.1f}, N {y:.1f} ({crs})</source>
        <translation>x {lx:.1f} 米, y {ly:.1f} 米  |  东 {x:.1f}, 北 {y:.1f} ({crs})</translation>
    </message>
</context>
<context>
    <name>PlanPanel</name>
    <message>
        <location filename="../plan_panel.py" line="113"/>
        <source>Launch plan</source>
        <translation>启动预案</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="113"/>
        <source>Response level:</source>
        <translation>响应级别：</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="129"/>
        <source>valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="129"/>
        <source>invalid</source>
        <translation>无效</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="172"/>
        <source>nobody on shift</source>
        <translation>无当班人员</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="191"/>
        <location filename="../plan_panel.py" line="194"/>
        <source>pending</source>
        <translation>待分派</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="191"/>
        <source>assigned</source>
        <translation>已分派</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="192"/>
        <source>acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="192"/>
        <location filename="../plan_panel.py" line="194"/>
        <source>in progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="193"/>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="193"/>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="193"/>
        <source>overdue</source>
        <translation>已超时</translation>
    </message>
    <message numerus="yes">
        <location filename="../plan_panel.py" line="205"/>
        <source>%n plan(s) valid</source>
        <translation>
            <numerusform>%n 个预案有效</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../plan_panel.py" line="206"/>
        <source>, %n invalid</source>
        <translation>
            <numerusform>，%n 个无效</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="212"/>
        <source>%1 — %2 at %3, %4 task(s)</source>
        <translation>%1 — %2，%3级响应，%4 项任务</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="220"/>
        <source>Plan</source>
        <translation>预案</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="220"/>
        <source>Levels</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="220"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="221"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="221"/>
        <source>Assignee</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="221"/>
        <source>Deadline</source>
        <translation>时限</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="222"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="223"/>
        <source>Launch at level…</source>
        <translation>按级别启动…</translation>
    </message>
    <message>
        <location filename="../plan_panel.py" line="225"/>
        <source>Emergency plans</source>
        <translation>应急预案</translation>
    </message>
</context>
<context>
    <name>RouteLayer</name>
    <message>
        <location filename="../route_layer.py" line="178"/>
        <location filename="../route_layer.py" line="192"/>
        <source>capacity-aware</source>
        <translation>按通行能力</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="179"/>
        <location filename="../route_layer.py" line="194"/>
        <source>shortest</source>
        <translation>最短路径</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="180"/>
        <location filename="../route_layer.py" line="195"/>
        <source>Evacuation ({method}): {time:.0f} s, bound {bound:.0f} s</source>
        <translation>疏散（{method}）：{time:.0f} 秒，下界 {bound:.0f} 秒</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="185"/>
        <location filename="../route_layer.py" line="201"/>
        <source>{n} without a safe route</source>
        <translation>{n} 人无安全路线</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="253"/>
        <source>&amp;Emergency</source>
        <translation>应急(&amp;E)</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="254"/>
        <source>&amp;Plan evacuation around a hazard file…</source>
        <translation>按危险区文件规划疏散(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="255"/>
        <source>Route everyone to a safe assembly point around the zones of a GeoJSON file</source>
        <translation>避开 GeoJSON 文件中的危险区，为每个人规划前往安全集合点的路线</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="258"/>
        <source>Plan evacuation around the hazard zone</source>
        <translation>按当前危险区规划疏散</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="259"/>
        <source>Route everyone around the zones on the map; a new wind reading re-routes who it affects</source>
        <translation>绕开地图上的危险区为所有人规划疏散路线；风况更新后只为受影响的人重新规划</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="261"/>
        <source>Plan evacuation without a hazard</source>
        <translation>无危险区时规划疏散</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="262"/>
        <source>Clear evacuation routes</source>
        <translation>清除疏散路线</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="280"/>
        <source>Hazard zones (GeoJSON)</source>
        <translation>危险区（GeoJSON）</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="281"/>
        <source>GeoJSON (*.geojson *.json);;All files (*)</source>
        <translation>GeoJSON (*.geojson *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="296"/>
        <source>Planning the evacuation…</source>
        <translation>正在规划疏散…</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="319"/>
        <source>Re-routing for the new zones…</source>
        <translation>正在按新的危险区重新规划路线…</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="339"/>
        <location filename="../route_layer.py" line="359"/>
        <source>Hazard changed: {n} people re-routed</source>
        <translation>危险区已变化：{n} 人已重新规划路线</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="348"/>
        <source>Evacuation</source>
        <translation>疏散</translation>
    </message>
    <message>
        <location filename="../route_layer.py" line="393"/>
        <source>Evacuation planning failed: {message}</source>
        <translation>疏散规划失败：{message}</translation>
    </message>
</context>
</TS>
