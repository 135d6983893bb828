<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>FeatureTooltip</name>
    <message>
      <location filename="../feature_tooltip.py" line="47" />
      <source>{kind} {id}</source>
      <translation>{kind} {id}</translation>
    </message>
    <message>
      <location filename="../feature_tooltip.py" line="53" />
      <source>unknown</source>
      <translation>未知</translation>
    </message>
    <message>
      <location filename="../feature_tooltip.py" line="54" />
      <source>on site</source>
      <translation>在厂内</translation>
    </message>
    <message>
      <location filename="../feature_tooltip.py" line="55" />
      <source>evacuating</source>
      <translation>疏散中</translation>
    </message>
    <message>
      <location filename="../feature_tooltip.py" line="56" />
      <source>mustered</source>
      <translation>已集合</translation>
    </message>
    <message>
      <location filename="../feature_tooltip.py" line="57" />
      <source>sheltered</source>
      <translation>已避难</translation>
    </message>
    <message>
      <location filename="../feature_tooltip.py" line="58" />
      <source>missing</source>
      <translation>失踪</translation>
    </message>
    <message>
      <location filename="../feature_tooltip.py" line="59" />
      <source>injured</source>
      <translation>受伤</translation>
    </message>
    <message>
      <location filename="../feature_tooltip.py" line="60" />
      <source>off site</source>
      <translation>已离厂</translation>
    </message>
  </context>
  <context>
    <name>Layers</name>
    <message>
      <location filename="../layer_catalog.py" line="42" />
      <location filename="../layer_catalog.py" line="108" />
      <source>Site</source>
      <translation>厂区</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="43" />
      <source>Zones</source>
      <translation>区域</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="44" />
      <source>Buildings</source>
      <translation>建筑物</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="45" />
      <source>Walkways</source>
      <translation>通道</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="46" />
      <source>Exits</source>
      <translation>出口</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="47" />
      <source>Assembly points</source>
      <translation>集合点</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="48" />
      <source>Hazard sources</source>
      <translation>危险源</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="49" />
      <source>Sensors</source>
      <translation>传感器</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="50" />
      <source>Resources</source>
      <translation>应急资源</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="51" />
      <source>Personnel</source>
      <translation>人员</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="52" />
      <source>Risk A (highest)</source>
      <translation>A 级风险（最高）</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="53" />
      <source>Risk B</source>
      <translation>B 级风险</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="54" />
      <source>Risk C</source>
      <translation>C 级风险</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="55" />
      <source>Risk D (lowest)</source>
      <translation>D 级风险（最低）</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="56" />
      <source>Control rooms</source>
      <translation>控制室</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="57" />
      <source>Process buildings</source>
      <translation>生产装置厂房</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="58" />
      <source>Storage</source>
      <translation>储存设施</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="59" />
      <source>Warehouses</source>
      <translation>仓库</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="60" />
      <source>Utilities</source>
      <translation>公用工程</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="61" />
      <source>Offices</source>
      <translation>办公楼</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="62" />
      <source>Other buildings</source>
      <translation>其他建筑</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="63" />
      <source>Roads</source>
      <translation>道路</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="64" />
      <source>Footpaths</source>
      <translation>人行道</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="65" />
      <source>Corridors</source>
      <translation>走廊</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="66" />
      <source>Stairs</source>
      <translation>楼梯</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="67" />
      <source>Doors</source>
      <translation>门</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="68" />
      <source>Ladders</source>
      <translation>爬梯</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="69" />
      <source>Gas detectors</source>
      <translation>气体探测器</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="70" />
      <source>Flame detectors</source>
      <translation>火焰探测器</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="71" />
      <source>Smoke detectors</source>
      <translation>感烟探测器</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="72" />
      <source>Heat detectors</source>
      <translation>感温探测器</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="73" />
      <source>Oxygen monitors</source>
      <translation>氧含量检测仪</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="74" />
      <source>Hydrants</source>
      <translation>消火栓</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="75" />
      <source>Extinguishers</source>
      <translation>灭火器</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="76" />
      <source>SCBA sets</source>
      <translation>正压式空气呼吸器</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="77" />
      <source>First-aid kits</source>
      <translation>急救箱</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="78" />
      <source>Eyewash stations</source>
      <translation>洗眼器</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="79" />
      <source>Spill kits</source>
      <translation>泄漏应急处置包</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="80" />
      <source>Portable gas detectors</source>
      <translation>便携式气体检测仪</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="81" />
      <source>Stretchers</source>
      <translation>担架</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="82" />
      <source>Fire trucks</source>
      <translation>消防车</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="83" />
      <source>Other resources</source>
      <translation>其他应急物资</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="109" />
      <source>Zone</source>
      <translation>区域</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="110" />
      <source>Building</source>
      <translation>建筑物</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="111" />
      <source>Walkway</source>
      <translation>通道</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="112" />
      <source>Exit</source>
      <translation>出口</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="113" />
      <source>Assembly point</source>
      <translation>集合点</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="114" />
      <source>Hazard source</source>
      <translation>危险源</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="115" />
      <source>Sensor</source>
      <translation>传感器</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="116" />
      <source>Resource</source>
      <translation>应急资源</translation>
    </message>
    <message>
      <location filename="../layer_catalog.py" line="117" />
      <source>Person</source>
      <translation>人员</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../main_window.py" line="113" />
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="114" />
      <source>&amp;Open plant folder…</source>
      <translation>打开工厂文件夹(&amp;O)…</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="116" />
      <source>Open a plant package stored as a folder of GeoJSON files</source>
      <translation>打开以 GeoJSON 文件夹保存的工厂数据包</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="117" />
      <source>Open plant &amp;GeoPackage…</source>
      <translation>打开工厂 GeoPackage(&amp;G)…</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="118" />
      <source>Open a plant package stored as one .gpkg file</source>
      <translation>打开以单个 .gpkg 文件保存的工厂数据包</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="119" />
      <source>Save &amp;screenshot…</source>
      <translation>保存截图(&amp;S)…</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="120" />
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="121" />
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="122" />
      <source>&amp;Fit plant</source>
      <translation>显示全厂(&amp;F)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="123" />
      <source>Zoom &amp;in</source>
      <translation>放大(&amp;I)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="124" />
      <source>Zoom &amp;out</source>
      <translation>缩小(&amp;O)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="125" />
      <source>Layers</source>
      <translation>图层</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="126" />
      <source>&amp;Layers panel</source>
      <translation>图层面板(&amp;L)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="139" />
      <source>Open plant folder</source>
      <translation>打开工厂文件夹</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="145" />
      <source>Open plant GeoPackage</source>
      <translation>打开工厂 GeoPackage</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="146" />
      <source>GeoPackage (*.gpkg);;All files (*)</source>
      <translation>GeoPackage (*.gpkg);;所有文件 (*)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="166" />
      <source>Loaded {path} in {seconds:.2f} s</source>
      <translation>已加载 {path}，用时 {seconds:.2f} 秒</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="189" />
      <source>Cannot open plant</source>
      <translation>无法打开工厂</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="190" />
      <source>The plant package {path} could not be loaded ({n} errors).</source>
      <translation>工厂数据包 {path} 无法加载（{n} 个错误）。</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="196" />
      <source>… and {n} more (see Show Details)</source>
      <translation>……另有 {n} 个（见“显示详细信息”）</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="213" />
      <location filename="../main_window.py" line="216" />
      <source>Save screenshot</source>
      <translation>保存截图</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="214" />
      <source>PNG images (*.png)</source>
      <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="217" />
      <source>Could not write {path}.</source>
      <translation>无法写入 {path}。</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="240" />
      <source>Plant Emergency Command Center</source>
      <translation>工厂应急指挥中心</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="247" />
      <source>No plant loaded</source>
      <translation>未加载工厂</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="251" />
      <source>{name} · {buildings} buildings · {walkways} walkways · {people} people · {warnings} warnings</source>
      <translation>{name} · 建筑物 {buildings} · 通道 {walkways} · 人员 {people} · 警告 {warnings}</translation>
    </message>
    <message>
      <location filename="../main_window.py" line="262" />
      <source>x {lx:.1f} m, y {ly:.1f} m  |  E {x:.1f}, N {y:.1f} ({crs})</source>
      <translation>x {lx:.1f} 米, y {ly:.1f} 米  |  东 {x:.1f}, 北 {y:.1f} ({crs})</translation>
    </message>
  </context>
</TS>