<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>Actions</name>
    <message>
        <location filename="../../console/actions.py" line="42" />
        <source>Intake</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="109" />
        <source>New ticket (take a call)</source>
        <translation>新建工单（接听来电）</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="110" />
        <source>Save and dispatch</source>
        <translation>保存并派单</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="111" />
        <source>Save as answered directly</source>
        <translation>保存为直接答复</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="112" />
        <source>Save without dispatching</source>
        <translation>保存但不派单</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="113" />
        <source>Back out (the draft is kept)</source>
        <translation>退出（保留草稿）</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="115" />
        <source>Resume a kept draft</source>
        <translation>恢复保留的草稿</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="116" />
        <source>Search categories</source>
        <translation>搜索分类</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="117" />
        <source>Take suggestion 1</source>
        <translation>采用建议 1</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="118" />
        <source>Take suggestion 2</source>
        <translation>采用建议 2</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="119" />
        <source>Take suggestion 3</source>
        <translation>采用建议 3</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="120" />
        <source>Take suggestion 4</source>
        <translation>采用建议 4</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="121" />
        <source>Take suggestion 5</source>
        <translation>采用建议 5</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="122" />
        <source>Go to caller number</source>
        <translation>转到来电号码</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="123" />
        <source>Go to caller name</source>
        <translation>转到来电人姓名</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="124" />
        <source>Go to caller location</source>
        <translation>转到来电人位置</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="125" />
        <source>Go to incident address</source>
        <translation>转到事发地址</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="126" />
        <source>Go to request type</source>
        <translation>转到诉求类型</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="127" />
        <source>Go to description</source>
        <translation>转到诉求内容</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="128" />
        <source>Go to urgency</source>
        <translation>转到紧急程度</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="129" />
        <source>Go to the caller's earlier tickets and likely duplicates (Enter attaches)</source>
        <translation>转到来电人的历史工单和疑似重复（Enter 合并）</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="130" />
        <source>Add this call to the ticket selected in the caller's list</source>
        <translation>将本次来电合并到来电人列表中所选的工单</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="131" />
        <source>Show the intake form</source>
        <translation>显示受理表单</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="132" />
        <source>Show the queue</source>
        <translation>显示工单队列</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="133" />
        <source>Show the shift: SLA clocks, operator load, reassignment (supervisors)</source>
        <translation>显示班次：时限、话务员负荷、改派（班长）</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="134" />
        <source>Search the tickets</source>
        <translation>搜索工单</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="135" />
        <source>Add the note typed in the note box</source>
        <translation>添加备注框中输入的备注</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="136" />
        <source>Save the changes to the open ticket</source>
        <translation>保存对当前工单的修改</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="137" />
        <source>Close the ticket, back to the list</source>
        <translation>关闭工单，返回列表</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="138" />
        <source>Reassign the selected tickets (with a reason)</source>
        <translation>改派所选工单（需填写原因）</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="139" />
        <source>Diagnostics: the sync tab</source>
        <translation>诊断：同步页</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="140" />
        <source>Diagnostics: the recent log</source>
        <translation>诊断：最近日志</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="141" />
        <source>Diagnostics: the rejected changes</source>
        <translation>诊断：被拒绝的更改</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="142" />
        <source>Show every shortcut</source>
        <translation>显示所有快捷键</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="143" />
        <source>Settings and shortcuts</source>
        <translation>设置与快捷键</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="46" />
        <location filename="../../console/actions.py" line="144" />
        <source>Diagnostics</source>
        <translation>诊断</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="41" />
        <source>Everywhere</source>
        <translation>所有位置</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="43" />
        <source>Ticket list</source>
        <translation>工单列表</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="44" />
        <source>Open ticket</source>
        <translation>打开的工单</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="45" />
        <source>Shift (supervisors)</source>
        <translation>班次（班长）</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="145" />
        <source>Switch language (中文 / English)</source>
        <translation>切换语言（中文 / English）</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="146" />
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="147" />
        <source>Quit</source>
        <translation>退出程序</translation>
    </message>
</context>
<context>
    <name>AddressField</name>
    <message>
        <location filename="../../widgets/address_field.py" line="151" />
        <source>sub-district not recognised</source>
        <translation>未识别街道乡镇</translation>
    </message>
</context>
<context>
    <name>CacheProblemDialog</name>
    <message>
        <location filename="../../console/cache_problem.py" line="29" />
        <source>The console cannot open its local ticket store</source>
        <translation>控制台无法打开本地工单库</translation>
    </message>
    <message>
        <location filename="../../console/cache_problem.py" line="32" />
        <source>The file: %1</source>
        <translation>文件：%1</translation>
    </message>
    <message>
        <location filename="../../console/cache_problem.py" line="34" />
        <source>Details for IT are in %1</source>
        <translation>供 IT 部门查看的详情在 %1</translation>
    </message>
    <message>
        <location filename="../../console/cache_problem.py" line="40" />
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../console/cache_problem.py" line="42" />
        <source>Set it aside and start afresh</source>
        <translation>将其移到一旁并重新开始</translation>
    </message>
    <message>
        <location filename="../../console/cache_problem.py" line="44" />
        <source>Quit</source>
        <translation>退出程序</translation>
    </message>
    <message>
        <location filename="../../console/cache_problem.py" line="55" />
        <source>The local ticket store is damaged and cannot be read.</source>
        <translation>本地工单库已损坏，无法读取。</translation>
    </message>
    <message>
        <location filename="../../console/cache_problem.py" line="56" />
        <source>Choose “Set it aside and start afresh”: the damaged file is kept next to it, renamed, for IT (tickets not yet sent may still be in it), and a new store fills again from the central service.</source>
        <translation>请选择“将其移到一旁并重新开始”：损坏的文件会改名后保留在原处供 IT 部门处理（其中可能还有未发送的工单），新的工单库将从中心服务重新填充。</translation>
    </message>
    <message>
        <location filename="../../console/cache_problem.py" line="60" />
        <source>The local ticket store was written by a newer version of the console.</source>
        <translation>本地工单库是由较新版本的控制台写入的。</translation>
    </message>
    <message>
        <location filename="../../console/cache_problem.py" line="61" />
        <source>Start the newer version of the console, or ask IT to update this one. The store was not changed, so tickets not yet sent in it are kept.</source>
        <translation>请启动较新版本的控制台，或请 IT 部门更新此控制台。工单库未被改动，其中未发送的工单均已保留。</translation>
    </message>
    <message>
        <location filename="../../console/cache_problem.py" line="64" />
        <source>Another console window or program is holding the local ticket store.</source>
        <translation>另一个控制台窗口或程序正在占用本地工单库。</translation>
    </message>
    <message>
        <location filename="../../console/cache_problem.py" line="65" />
        <source>Close the other console window (or wait a moment), then choose “Try again”.</source>
        <translation>请关闭另一个控制台窗口（或稍等片刻），然后选择“重试”。</translation>
    </message>
    <message>
        <location filename="../../console/cache_problem.py" line="67" />
        <source>The disk that holds the local ticket store is full.</source>
        <translation>存放本地工单库的磁盘已满。</translation>
    </message>
    <message>
        <location filename="../../console/cache_problem.py" line="68" />
        <source>Free some disk space (or ask IT), then choose “Try again”.</source>
        <translation>请释放一些磁盘空间（或联系 IT 部门），然后选择“重试”。</translation>
    </message>
    <message>
        <location filename="../../console/cache_problem.py" line="70" />
        <source>The console may not write its local ticket store, so no ticket could be saved.</source>
        <translation>控制台无权写入本地工单库，因此无法保存任何工单。</translation>
    </message>
    <message>
        <location filename="../../console/cache_problem.py" line="71" />
        <source>Ask IT to give your account write permission to %1 (or set HOTLINE_HOME to a folder you can write), then choose “Try again”.</source>
        <translation>请 IT 部门为您的账号开通 %1 的写入权限（或将 HOTLINE_HOME 设为您可写入的文件夹），然后选择“重试”。</translation>
    </message>
    <message>
        <location filename="../../console/cache_problem.py" line="74" />
        <source>The computer reported a disk error while opening the local ticket store.</source>
        <translation>打开本地工单库时计算机报告了磁盘错误。</translation>
    </message>
    <message>
        <location filename="../../console/cache_problem.py" line="75" />
        <source>Choose “Try again”; if it happens again, the disk may be failing: call IT.</source>
        <translation>请选择“重试”；如再次出现，磁盘可能有故障：请联系 IT 部门。</translation>
    </message>
</context>
<context>
    <name>CallerContextPanel</name>
    <message>
        <location filename="../../widgets/caller_context.py" line="198" />
        <source>Caller %1</source>
        <translation>来电人 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="200" />
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="202" />
        <source>Earlier tickets from this number: %1 (%2 open)</source>
        <translation>该号码的历史工单：%1 件（%2 件未办结）</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="204" />
        <source>Likely duplicates (same category nearby, last 30 days): %1</source>
        <translation>疑似重复（30 天内附近同类）：%1 件</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="209" />
        <source>Last callback: %1</source>
        <translation>最近回访：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="211" />
        <source>First call from this number.</source>
        <translation>该号码首次来电。</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="215" />
        <source>Attach to this ticket (%1)</source>
        <translation>合并到此工单（%1）</translation>
    </message>
</context>
<context>
    <name>CategorySearchDialog</name>
    <message>
        <location filename="../../widgets/category_search.py" line="63" />
        <source>Search categories</source>
        <translation>搜索分类</translation>
    </message>
    <message>
        <location filename="../../widgets/category_search.py" line="64" />
        <source>Code, Chinese or English name, keyword or pinyin initials (e.g. zy for 噪音):</source>
        <translation>编码、中文或英文名称、关键词或拼音首字母（如 zy 表示噪音）：</translation>
    </message>
</context>
<context>
    <name>ContextTicketModel</name>
    <message>
        <location filename="../../widgets/caller_context.py" line="36" />
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="36" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="36" />
        <source>Call time</source>
        <translation>来电时间</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="36" />
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="36" />
        <source>Callback</source>
        <translation>回访</translation>
    </message>
</context>
<context>
    <name>DiagnosticsDialog</name>
    <message>
        <location filename="../../console/diagnostics.py" line="172" />
        <source>not started</source>
        <translation>未启动</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="174" />
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="174" />
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="181" />
        <source>Diagnostics</source>
        <translation>诊断</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="182" />
        <source>Why has a ticket not synced? Check the connection, the changes waiting, and the reasons the central service gave for refusing a change.</source>
        <translation>工单为什么没有同步？请查看连接状态、待同步的更改，以及中心服务拒绝更改的原因。</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="184" />
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="185" />
        <source>Recent log</source>
        <translation>最近日志</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="186" />
        <source>Rejected changes (%1)</source>
        <translation>被拒绝的更改（%1）</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="187" />
        <source>Central service</source>
        <translation>中心服务</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="187" />
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="188" />
        <source>Changes waiting</source>
        <translation>待同步更改</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="188" />
        <source>Last sync</source>
        <translation>上次同步</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="189" />
        <source>Last problem</source>
        <translation>最近问题</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="189" />
        <source>Workstation id</source>
        <translation>工作站标识</translation>
    </message>
</context>
<context>
    <name>Hotkey</name>
    <message>
        <location filename="../../console/hotkey.py" line="31" />
        <source>Global hotkeys cannot work under Wayland.</source>
        <translation>Wayland 下无法使用全局热键。</translation>
    </message>
    <message>
        <location filename="../../console/hotkey.py" line="33" />
        <source>This computer has no input devices the hotkey could listen to.</source>
        <translation>本机没有可供热键监听的输入设备。</translation>
    </message>
    <message>
        <location filename="../../console/hotkey.py" line="35" />
        <source>On Linux a global hotkey needs administrator rights, and the console does not run with them.</source>
        <translation>在 Linux 上全局热键需要管理员权限，而控制台不以该权限运行。</translation>
    </message>
    <message>
        <location filename="../../console/hotkey.py" line="78" />
        <source>The global hotkey needs rights the console does not take.</source>
        <translation>全局热键需要控制台不获取的权限。</translation>
    </message>
    <message>
        <location filename="../../console/hotkey.py" line="80" />
        <source>No input devices are available for a global hotkey.</source>
        <translation>没有可用于全局热键的输入设备。</translation>
    </message>
    <message>
        <location filename="../../console/hotkey.py" line="82" />
        <source>The system did not allow a global hotkey.</source>
        <translation>系统不允许注册全局热键。</translation>
    </message>
</context>
<context>
    <name>IntakeController</name>
    <message>
        <location filename="../../console/intake.py" line="54" />
        <source>The draft could not be kept: %1</source>
        <translation>草稿未能保存：%1</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="81" />
        <source>A draft kept from before was restored.</source>
        <translation>已恢复之前保留的草稿。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="95" />
        <source>Incoming call from %1</source>
        <translation>%1 来电</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="113" />
        <source>Draft kept: Ctrl+R brings it back.</source>
        <translation>草稿已保留：按 Ctrl+R 恢复。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="114" />
        <source>Draft kept.</source>
        <translation>草稿已保留。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="120" />
        <source>No kept drafts.</source>
        <translation>没有保留的草稿。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="125" />
        <source>Draft resumed.</source>
        <translation>草稿已恢复。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="145" />
        <location filename="../../console/intake.py" line="197" />
        <source>Not saved yet: %1</source>
        <translation>尚未保存：%1</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="166" />
        <source>Saved (not yet dispatched).</source>
        <translation>已保存（尚未派单）。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="162" />
        <source>Saved and dispatched to %1.</source>
        <translation>已保存并派往 %1。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="162" />
        <source>Saved and dispatched.</source>
        <translation>已保存并派单。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="164" />
        <source>Saved as answered directly.</source>
        <translation>已保存为直接答复。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="170" />
        <source>Ticket %1: %2</source>
        <translation>工单 %1：%2</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="200" />
        <source>Not saved: %1 The draft is kept.</source>
        <translation>未保存：%1 草稿已保留。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../console/main_window.py" line="268" />
        <source>The shift view is for supervisors.</source>
        <translation>班次视图仅供班长使用。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="282" />
        <source>There is no suggestion %1 yet: type more of the description, or F4.</source>
        <translation>还没有第 %1 条建议：请再多输入一些诉求内容，或按 F4。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="326" />
        <source>No earlier tickets or likely duplicates for this call.</source>
        <translation>本次来电没有历史工单或疑似重复。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="331" />
        <source>The caller called again about this.</source>
        <translation>来电人再次就此事来电。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="335" />
        <source>Could not add the call to that ticket: %1</source>
        <translation>未能将本次来电合并到该工单：%1</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="338" />
        <source>Call added to the existing ticket as a note.</source>
        <translation>本次来电已作为备注加入原工单。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="357" />
        <source>%1 kept draft(s): Ctrl+R</source>
        <translation>%1 份保留的草稿：Ctrl+R</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="362" />
        <source>not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="366" />
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="366" />
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="367" />
        <source>call-taker</source>
        <translation>话务员</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="367" />
        <source>supervisor</source>
        <translation>班长</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="367" />
        <source>unit staff</source>
        <translation>承办单位人员</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="368" />
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="386" />
        <source>The global answer key is off: %1 The console's own keys all work (F2 takes a call, F1 lists every key).</source>
        <translation>全局接听键已关闭：%1 控制台自身的快捷键均可使用（F2 接听来电，F1 列出所有快捷键）。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="418" />
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="418" />
        <source>Sign out? Tickets waiting to sync stay on this computer.</source>
        <translation>退出登录？待同步的工单会保留在本机。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="448" />
        <source>Hotline console</source>
        <translation>热线控制台</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="449" />
        <source>Intake (Ctrl+1)</source>
        <translation>受理（Ctrl+1）</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="450" />
        <source>Queue (Ctrl+2)</source>
        <translation>工单队列（Ctrl+2）</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="452" />
        <source>Shift (Ctrl+3)</source>
        <translation>班次（Ctrl+3）</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="453" />
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="453" />
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="453" />
        <source>Console</source>
        <translation>控制台</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="453" />
        <source>Help</source>
        <translation>帮助</translation>
    </message>
</context>
<context>
    <name>OperatorLoadModel</name>
    <message>
        <location filename="../../console/queue_supervisor.py" line="72" />
        <source>Operator</source>
        <translation>话务员</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="72" />
        <source>Open</source>
        <translation>未办结</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="72" />
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="72" />
        <source>Due within 4 h</source>
        <translation>4 小时内到期</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="77" />
        <source>(unassigned)</source>
        <translation>（未分配）</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <location filename="../../widgets/ticket_form.py" line="45" />
        <source>Type the number with the digits 0-9 (half-width), not full-width digits.</source>
        <translation>请用半角数字 0-9 输入号码，不要用全角数字。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="46" />
        <source>This is not a phone number: use 11 digits for a mobile or area code and number for a landline.</source>
        <translation>这不是电话号码：手机请输入 11 位数字，座机请输入区号和号码。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="47" />
        <source>Type what the caller needs, or their number, before saving.</source>
        <translation>保存前请填写来电人的诉求或来电号码。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="48" />
        <source>Choose one of: inquiry, help, complaint, report, suggestion.</source>
        <translation>请选择：咨询、求助、投诉、举报、建议之一。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="49" />
        <source>Choose normal, urgent or very urgent.</source>
        <translation>请选择一般、紧急或特急。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="50" />
        <source>Pick a category before dispatching (Alt+1 takes the first suggestion).</source>
        <translation>派单前请选择分类（Alt+1 采用第一条建议）。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="51" />
        <source>Say where it happens: an address or a sub-district.</source>
        <translation>请说明事发地点：地址或街道乡镇。</translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <location filename="../../console/queue.py" line="329" />
        <source>%1 tickets</source>
        <translation>%1 件工单</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="399" />
        <source>%1 tickets were updated by sync.</source>
        <translation>同步更新了 %1 件工单。</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="406" />
        <source>Ticket %1 left your queue.</source>
        <translation>工单 %1 已移出您的队列。</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="492" />
        <source>(and %1 more changes)</source>
        <translation>（另有 %1 处更改）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../console/queue.py" line="436" />
        <source>%n new ticket(s) in this list.</source>
        <translation><numerusform>%n 件新工单进入此列表。</numerusform></translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="442" />
        <source>New ticket %1 in this list.</source>
        <translation>新工单 %1 进入此列表。</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="467" />
        <source>Ticket %1 was reassigned to %2 by %3.</source>
        <translation>工单 %1 已由 %3 改派给 %2。</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="469" />
        <source>Ticket %1 was reassigned to %2.</source>
        <translation>工单 %1 已改派给 %2。</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="472" />
        <source>Ticket %1 is now %2.</source>
        <translation>工单 %1 现为“%2”。</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="478" />
        <source>Ticket %1 was changed elsewhere (%2).</source>
        <translation>工单 %1 已在别处修改（%2）。</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="497" />
        <source>My tickets</source>
        <translation>我的工单</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="497" />
        <source>My unit</source>
        <translation>本单位</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="497" />
        <source>All tickets</source>
        <translation>全部工单</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="500" />
        <source>Any status</source>
        <translation>任意状态</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="500" />
        <source>Open</source>
        <translation>未办结</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="500" />
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="504" />
        <source>&amp;Show:</source>
        <translation>显示(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="505" />
        <source>S&amp;tatus:</source>
        <translation>状态(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="506" />
        <source>Search number, phone, words, address (Ctrl+F)</source>
        <translation>搜索编号、电话、内容、地址（Ctrl+F）</translation>
    </message>
</context>
<context>
    <name>ReassignDialog</name>
    <message>
        <location filename="../../console/queue_supervisor.py" line="125" />
        <source>Choose the operator who takes these tickets.</source>
        <translation>请选择接手这些工单的话务员。</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="129" />
        <source>Say why: the reason is kept in each ticket's history.</source>
        <translation>请说明原因：原因会记入每件工单的历史。</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="135" />
        <source>Reassign tickets</source>
        <translation>改派工单</translation>
    </message>
    <message numerus="yes">
        <location filename="../../console/queue_supervisor.py" line="136" />
        <source>Reassign %n ticket(s) to:</source>
        <translation><numerusform>将 %n 件工单改派给：</numerusform></translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="137" />
        <source>&amp;Operator:</source>
        <translation>话务员(&amp;O)：</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="138" />
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
</context>
<context>
    <name>RejectionTableModel</name>
    <message>
        <location filename="../../console/diagnostics.py" line="46" />
        <source>new ticket</source>
        <translation>新建工单</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="47" />
        <source>ticket edit</source>
        <translation>修改工单</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="48" />
        <source>note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="49" />
        <source>status change</source>
        <translation>状态变更</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="50" />
        <source>reassignment</source>
        <translation>改派</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="55" />
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="55" />
        <source>Change</source>
        <translation>更改</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="55" />
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="55" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>ServerCodes</name>
    <message>
        <location filename="../../console/server_messages.py" line="187" />
        <source>The central service did not accept the sign-in.</source>
        <translation>中心服务未接受此次登录。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="188" />
        <source>Your account may not do this: ask a supervisor.</source>
        <translation>您的账号无权执行此操作：请联系班长。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="189" />
        <source>The central service does not have what was asked for.</source>
        <translation>中心服务上没有所请求的内容。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="190" />
        <location filename="../../console/server_messages.py" line="191" />
        <source>The central service could not take this request: report this to support.</source>
        <translation>中心服务无法处理此请求：请报告技术支持。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="192" />
        <source>The request is too large for the central service: send less at once.</source>
        <translation>请求对中心服务而言过大：请一次少发送一些。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="193" />
        <source>Too many failed sign-ins: wait a little and try again, or ask a supervisor for help.</source>
        <translation>登录失败次数过多：请稍等后重试，或请班长协助。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="194" />
        <source>This account also needs the 6-digit code from its authenticator app.</source>
        <translation>此账号还需要身份验证器应用中的 6 位验证码。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="195" />
        <source>The 6-digit code is wrong or has expired: type the code the app shows now.</source>
        <translation>6 位验证码错误或已过期：请输入应用当前显示的验证码。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="196" />
        <source>This console and the central service speak different sync versions: one of them must be updated.</source>
        <translation>此控制台与中心服务的同步版本不同：需要更新其中之一。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="197" />
        <location filename="../../console/server_messages.py" line="198" />
        <source>The central service could not read a change from this console: call support.</source>
        <translation>中心服务无法读取此控制台的一项更改：请联系技术支持。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="199" />
        <source>The central service missed some changes from this console; they are sent again.</source>
        <translation>中心服务漏收了此控制台的部分更改；将重新发送。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="200" />
        <source>This console's data was copied or restored: it registers again and sends its changes anew.</source>
        <translation>此控制台的数据是复制或恢复的：将重新注册并重新发送更改。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="201" />
        <source>Changes came under another console's or user's identity and were refused; the console registers again.</source>
        <translation>更改使用了其他控制台或用户的身份，已被拒绝；控制台将重新注册。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="202" />
        <source>The central service does not know this console; it registers again.</source>
        <translation>中心服务不认识此控制台；将重新注册。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="203" />
        <source>Too few confirmed tickets to retrain the suggestion model yet.</source>
        <translation>已确认的工单还太少，暂不能重新训练建议模型。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="204" />
        <source>The central service is busy with this already; try again later.</source>
        <translation>中心服务已在处理此事；请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="205" />
        <source>The central database cannot be reached right now; your work is kept and sent later.</source>
        <translation>目前无法连接中心数据库；您的工作已保存，稍后发送。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="206" />
        <source>The central service had a problem; try again in a moment.</source>
        <translation>中心服务出现问题；请稍后重试。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="207" />
        <source>Plain http:// to another computer is refused: start the console with an https:// address.</source>
        <translation>拒绝以明文 http:// 连接其他计算机：请用 https:// 地址启动控制台。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="208" />
        <source>The central service's certificate is not trusted by this computer: ask IT for the hotline's CA file.</source>
        <translation>本机不信任中心服务的证书：请向 IT 部门索取热线的 CA 文件。</translation>
    </message>
</context>
<context>
    <name>ServerMessages</name>
    <message>
        <location filename="../../console/server_messages.py" line="32" />
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="33" />
        <source>This account is disabled. Ask an administrator.</source>
        <translation>此账号已停用。请联系管理员。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="34" />
        <source>This account also needs the 6-digit code from its authenticator app.</source>
        <translation>此账号还需要身份验证器应用中的 6 位验证码。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="35" />
        <source>The 6-digit code is wrong or has expired. Type the code your authenticator app shows now.</source>
        <translation>6 位验证码错误或已过期。请输入身份验证器应用当前显示的验证码。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="36" />
        <source>Too many failed sign-ins. Wait %1 seconds and try again, or ask a supervisor for help.</source>
        <translation>登录失败次数过多。请等待 %1 秒后重试，或请班长协助。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="37" />
        <source>Type your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="38" />
        <source>Send your user name and password as {"username": ..., "password": ...}.</source>
        <translation>登录请求格式不正确：请更新控制台或联系技术支持。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="39" />
        <source>Send the 6-digit code from the authenticator app as text, e.g. "otp": "123456".</source>
        <translation>验证码格式不正确：请输入 6 位数字。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="40" />
        <source>A sign-in is a user name, a password and perhaps a code: this request is far larger.</source>
        <translation>登录请求过大：只需用户名、密码和验证码。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="41" />
        <source>Sign in again: your session is missing or has ended.</source>
        <translation>请重新登录：会话不存在或已结束。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="42" />
        <source>Sign in first: this needs a session token.</source>
        <translation>请先登录：此操作需要登录会话。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="43" />
        <source>Your session has ended. Sign in again.</source>
        <translation>您的会话已结束。请重新登录。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="44" />
        <source>A %1 may not do this here.</source>
        <translation>%1无权在此执行此操作。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="46" />
        <source>The central database cannot be reached right now. Your work is kept on this computer and will be sent when it is back.</source>
        <translation>目前无法连接中心数据库。您的工作已保存在本机，恢复后会自动发送。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="47" />
        <source>Something went wrong on the server; it has been logged. Try again in a moment.</source>
        <translation>服务器出现问题，已记录日志。请稍后重试。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="48" />
        <source>Something in the request cannot be stored: check for unusual characters or very long text.</source>
        <translation>请求中有内容无法保存：请检查是否有特殊字符或过长的文字。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="49" />
        <source>The request is not valid: %1.</source>
        <translation>请求无效，请联系技术支持（详情见日志）。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="50" />
        <source>The request is too large: send fewer changes at once.</source>
        <translation>请求过大：请一次发送较少的更改。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="51" />
        <source>The central service is receiving many large changes at once; your work is kept and sent again in a moment.</source>
        <translation>中心服务正在同时接收大量较大的更改；您的工作已保存，稍后会自动重新发送。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="52" />
        <source>There is nothing at this address.</source>
        <translation>中心服务上没有此地址。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="53" />
        <source>This address does not take that method.</source>
        <translation>此地址不接受该请求方式。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="54" />
        <source>The body must be JSON in UTF-8.</source>
        <translation>请求内容必须是 UTF-8 编码的 JSON。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="55" />
        <source>The body must be JSON.</source>
        <translation>请求内容必须是 JSON。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="56" />
        <source>The body holds a number too large to store.</source>
        <translation>请求中的数字过大，无法保存。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="57" />
        <source>The body holds %1, which is not a JSON number.</source>
        <translation>请求中含有不是 JSON 数字的值。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="58" />
        <source>The body is nested too deeply (at most %1 levels).</source>
        <translation>请求内容嵌套过深（最多 %1 层）。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="59" />
        <source>The body holds a broken character (a lone UTF-16 surrogate such as \ud800); send the text as it was typed.</source>
        <translation>请求中含有损坏的字符（孤立的 UTF-16 代理字符）；请按原样重新输入文字。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="60" />
        <source>%1 must be a whole number written with the digits 0-9.</source>
        <translation>%1 必须是用数字 0-9 书写的整数。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="61" />
        <source>%1 must be between %2 and %3.</source>
        <translation>%1 必须在 %2 到 %3 之间。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="62" />
        <source>%1 must be at least %2.</source>
        <translation>%1 至少为 %2。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="63" />
        <source>role must be one of: %1.</source>
        <translation>角色必须是以下之一：%1。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="64" />
        <source>There is no user called '%1'.</source>
        <translation>没有名为“%1”的用户。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="65" />
        <source>There is no such ticket.</source>
        <translation>没有此工单。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="66" />
        <source>Give the month as YYYY-MM, e.g. month=2026-11.</source>
        <translation>请按 YYYY-MM 格式填写月份，如 2026-11。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="67" />
        <source>'%1' is not a month: write it as YYYY-MM, e.g. 2026-11.</source>
        <translation>“%1”不是月份：请按 YYYY-MM 格式填写，如 2026-11。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="68" />
        <source>'%1' is outside the months that can be counted.</source>
        <translation>“%1”超出了可统计的月份范围。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="70" />
        <source>The service has no category catalogue yet; it keeps one when it has started once.</source>
        <translation>中心服务还没有分类目录；启动一次后即会保存。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="71" />
        <source>That is not a catalogue version.</source>
        <translation>这不是分类目录版本。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="72" />
        <source>There is no catalogue version '%1'.</source>
        <translation>没有分类目录版本“%1”。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="73" />
        <source>No suggestion model for the catalogue in use yet: the service is building a starter model; consoles use the one they have meanwhile.</source>
        <translation>当前分类目录还没有建议模型：中心服务正在生成初始模型，此期间控制台继续使用现有模型。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="74" />
        <source>That is not a model version.</source>
        <translation>这不是模型版本。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="75" />
        <source>There is no model version '%1'.</source>
        <translation>没有模型版本“%1”。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="76" />
        <source>Only %1 confirmed ticket(s) with a description and a category; at least %2 are needed to retrain.</source>
        <translation>有诉求内容和分类的已确认工单只有 %1 件；重新训练至少需要 %2 件。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="77" />
        <source>A retraining is already running; the new model appears when it is done.</source>
        <translation>已有一次重新训练在进行；完成后新模型即会出现。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="79" />
        <source>Registration takes a JSON object: {"first_mutation_id": n}.</source>
        <translation>控制台注册请求格式不正确：请联系技术支持。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="80" />
        <source>first_mutation_id must be a whole number from 1.</source>
        <translation>控制台注册请求格式不正确：请联系技术支持。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="81" />
        <source>These changes came under another console's or another user's sync identity and were refused; nothing was applied. The console registers itself again.</source>
        <translation>这些更改使用了其他控制台或其他用户的同步身份，已被拒绝，未作任何修改。控制台将重新注册。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="82" />
        <source>The central service does not know this console's registration (its database may have been restored); the console registers again.</source>
        <translation>中心服务不认识此控制台的注册（其数据库可能已被恢复）；控制台将重新注册。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="83" />
        <source>The push must be a JSON object with client_id, schema_version and mutations.</source>
        <translation>同步请求格式不正确：请联系技术支持。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="84" />
        <source>client_id must be text of 1 to 100 characters.</source>
        <translation>同步请求中的控制台标识无效：请联系技术支持。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="85" />
        <source>client_secret must be the text the service gave at registration.</source>
        <translation>同步请求中的控制台密钥无效：请联系技术支持。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="86" />
        <source>This console speaks sync version %1; the central service speaks %2. %3</source>
        <translation>此控制台的同步版本为 %1，中心服务为 %2。%3</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="87" />
        <source>Ask an administrator to update the central service.</source>
        <translation>请管理员更新中心服务。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="88" />
        <source>Update the console.</source>
        <translation>请更新控制台。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="89" />
        <source>mutations must be a list.</source>
        <translation>同步请求格式不正确：请联系技术支持。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="90" />
        <source>Send at most %1 mutations in one push.</source>
        <translation>一次最多发送 %1 项更改。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="91" />
        <source>A mutation is malformed: %1.</source>
        <translation>有一项更改格式有误：请联系技术支持（详情见日志）。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="92" />
        <source>Mutation ids in one push must be consecutive: %1 follows %2.</source>
        <translation>一次发送的更改编号必须连续：%1 接在 %2 之后。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="93" />
        <source>The server last saw change %1 from this console; send from %2.</source>
        <translation>中心服务最后收到此控制台的第 %1 项更改；将从第 %2 项起重新发送。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="94" />
        <source>Change %1 was never sent under this console's registration (it starts at %2); the console registers again and sends it anew.</source>
        <translation>第 %1 项更改从未以此控制台的注册发送过（注册从第 %2 项开始）；控制台将重新注册并重新发送。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="95" />
        <source>Change %1 from this console differs from the change %2 the service already has from it: the console's data was copied or restored from a backup. Nothing was applied; the console registers again and sends its changes anew.</source>
        <translation>此控制台的第 %1 项更改与中心服务已有的第 %2 项不同：控制台数据是复制的或从备份恢复的。未作任何修改；控制台将重新注册并重新发送其更改。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="96" />
        <source>snapshot must be the token the previous page gave, or empty to begin a full reload.</source>
        <translation>完整重新加载的进度标记无效：将从头重新加载。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="98" />
        <source>%1 must be text.</source>
        <translation>%1必须是文字。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="99" />
        <source>%1 is too long (at most %2 characters).</source>
        <translation>%1过长（最多 %2 个字符）。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="100" />
        <source>suggestions must be a list of category codes.</source>
        <translation>建议分类必须是分类编码列表。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="101" />
        <source>suggestion rank must be a whole number (or empty).</source>
        <translation>建议序号必须是整数（或留空）。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="102" />
        <source>call started at must be a date and time.</source>
        <translation>来电时间必须是日期和时间。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="103" />
        <source>The time the call started is not valid: %1.</source>
        <translation>来电时间无效：%1。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="104" />
        <source>write the date and time like 2026-11-27T09:30:00+08:00</source>
        <translation>请按 2026-11-27T09:30:00+08:00 的格式填写日期和时间</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="105" />
        <source>that date and time is out of range</source>
        <translation>该日期和时间超出范围</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="106" />
        <source>There is no category '%1' in the catalogue in use (%2); choose the category again.</source>
        <translation>当前分类目录（%2）中没有分类“%1”；请重新选择分类。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="107" />
        <source>There is no sub-district '%1' in the gazetteer; choose the place again.</source>
        <translation>地名库中没有街道（乡镇）“%1”；请重新选择地点。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="108" />
        <source>Some text holds a control character (NUL) that cannot be stored; retype it.</source>
        <translation>有文字含有无法保存的控制字符（NUL）；请重新输入。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="109" />
        <source>The ticket id is missing.</source>
        <translation>缺少工单标识。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="110" />
        <source>There is no such ticket on the server (it may not have been created).</source>
        <translation>中心服务上没有此工单（可能尚未创建）。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="111" />
        <source>This ticket is not for your unit.</source>
        <translation>此工单不属于您的单位。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="112" />
        <source>A ticket id must be text of at most 64 characters.</source>
        <translation>工单标识必须是不超过 64 个字符的文字。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="113" />
        <source>Only call-takers and supervisors register tickets.</source>
        <translation>只有话务员和班长可以登记工单。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="114" />
        <source>A ticket with this id already exists.</source>
        <translation>已存在相同标识的工单。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="115" />
        <source>Unit staff cannot change what the caller reported; add a note instead.</source>
        <translation>承办单位人员不能修改来电人反映的内容；请改为添加备注。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="116" />
        <source>base version must be a whole number.</source>
        <translation>基准版本必须是整数。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="117" />
        <source>This ticket is closed; a supervisor must reopen it before it can be changed.</source>
        <translation>此工单已办结；须由班长重新办理后才能修改。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="118" />
        <source>A note id must be text of at most 64 characters.</source>
        <translation>备注标识必须是不超过 64 个字符的文字。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="119" />
        <source>A note needs some text.</source>
        <translation>备注需要填写内容。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="120" />
        <source>A note is at most 10,000 characters.</source>
        <translation>备注最多 10,000 个字符。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="121" />
        <source>A note with this id already exists.</source>
        <translation>已存在相同标识的备注。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="122" />
        <source>No unit found for this category and place; choose the unit by hand.</source>
        <translation>没有找到负责此分类和地点的单位；请手动选择单位。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="123" />
        <source>The reason must be text of at most 2,000 characters.</source>
        <translation>原因必须是不超过 2,000 个字符的文字。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="124" />
        <source>The callback result must be one of satisfied, basically satisfied, unsatisfied, not reached.</source>
        <translation>回访结果必须是满意、基本满意、不满意、未联系上之一。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="125" />
        <source>A callback result is recorded only when closing or reopening a ticket after the callback.</source>
        <translation>只有在回访后办结或重新办理工单时才记录回访结果。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="126" />
        <source>There is no unit '%1'. Choose a unit from the list.</source>
        <translation>没有单位“%1”。请从列表中选择单位。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="127" />
        <source>A unit can only be chosen when dispatching.</source>
        <translation>只有派单时才能选择单位。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="128" />
        <source>The ticket it duplicates does not exist.</source>
        <translation>所重复的工单不存在。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="129" />
        <source>Only a supervisor may reassign a ticket.</source>
        <translation>只有班长可以改派工单。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="130" />
        <source>Give a reason for the reassignment.</source>
        <translation>请填写改派原因。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="131" />
        <source>The reason is at most 2,000 characters.</source>
        <translation>原因最多 2,000 个字符。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="132" />
        <source>Name the operator who holds the ticket and the one who takes it.</source>
        <translation>请指明当前持有工单的话务员和接手的话务员。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="133" />
        <source>This ticket is now held by %1, not %2; look again before reassigning.</source>
        <translation>此工单现由 %1 持有，而不是 %2；请重新查看后再改派。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="134" />
        <source>'%1' is not an active operator or supervisor.</source>
        <translation>“%1”不是在岗的话务员或班长。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="136" />
        <source>'%1' is not something that can be done to a ticket.</source>
        <translation>“%1”不是可以对工单执行的操作。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="137" />
        <source>A ticket that is %1 cannot be given '%2'.</source>
        <translation>状态为“%1”的工单不能执行“%2”。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="138" />
        <source>Only a %1 may %2 this ticket.</source>
        <translation>只有%1可以对此工单执行“%2”。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="139" />
        <source>Give a reason to %1 this ticket.</source>
        <translation>请填写对此工单执行“%1”的原因。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="140" />
        <source>Record the callback result (satisfied, basically satisfied or not reached) to close; an unsatisfied caller reopens the ticket.</source>
        <translation>办结前请记录回访结果（满意、基本满意或未联系上）；来电人不满意则重新办理。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="141" />
        <source>Only an unsatisfied callback reopens a ticket.</source>
        <translation>只有回访不满意才能重新办理工单。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="142" />
        <source>Category %1 is not in the catalogue (%2); pick a category again.</source>
        <translation>分类 %1 不在分类目录（%2）中；请重新选择分类。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="143" />
        <source>%1 is not a sub-district; give the incident address or pick the sub-district.</source>
        <translation>%1 不是街道乡镇；请填写事发地址或选择街道乡镇。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="144" />
        <source>No routing rule covers %1 in %2; ask an admin to add one.</source>
        <translation>没有派单规则覆盖 %2 的 %1；请管理员添加。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="145" />
        <source>routing rule %1 names unknown unit %2</source>
        <translation>派单规则 %1 指向未知单位 %2，请管理员修正</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="146" />
        <source>routing rule %1 names unknown bureau kind %2</source>
        <translation>派单规则 %1 指向未知部门类型 %2，请管理员修正</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="147" />
        <source>routing rules send domain %1 to unknown bureau kind %2</source>
        <translation>派单规则将领域 %1 派往未知部门类型 %2，请管理员修正</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="149" />
        <source>Type the number with the digits 0-9 (half-width), not full-width digits.</source>
        <translation>请用半角数字 0-9 输入号码，不要用全角数字。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="150" />
        <source>This is not a phone number: use 11 digits for a mobile or area code and number for a landline.</source>
        <translation>这不是电话号码：手机请输入 11 位数字，座机请输入区号和号码。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="151" />
        <source>Type what the caller needs, or their number, before saving.</source>
        <translation>保存前请填写来电人的诉求或来电号码。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="152" />
        <source>Choose one of: inquiry, help, complaint, report, suggestion.</source>
        <translation>请选择：咨询、求助、投诉、举报、建议之一。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="153" />
        <source>Choose normal, urgent or very urgent.</source>
        <translation>请选择一般、紧急或特急。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="154" />
        <source>Pick a category before dispatching (Alt+1 takes the first suggestion).</source>
        <translation>派单前请选择分类（Alt+1 采用第一条建议）。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="155" />
        <source>Say where it happens: an address or a sub-district.</source>
        <translation>请说明事发地点：地址或街道乡镇。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="157" />
        <source>the central service cannot be reached: working offline</source>
        <translation>无法连接中心服务：正在离线工作</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="158" />
        <source>the central service cannot be reached</source>
        <translation>无法连接中心服务</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="159" />
        <source>the central service is busy or restarting: it will be tried again shortly</source>
        <translation>中心服务繁忙或正在重启：稍后将自动重试</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="160" />
        <source>your sign-in has expired: sign in again to send and receive tickets</source>
        <translation>您的登录已过期：请重新登录以收发工单</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="161" />
        <source>the central service's certificate is not trusted by this computer, so nothing was sent: ask IT for the hotline's CA file and start the console with --ca FILE</source>
        <translation>本机不信任中心服务的证书，因此未发送任何内容：请向 IT 部门索取热线的 CA 文件，并用 --ca FILE 启动控制台</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="162" />
        <source>plain http:// to %1 is refused: start the console with an https:// address</source>
        <translation>拒绝以明文 http:// 连接 %1：请用 https:// 地址启动控制台</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="163" />
        <source>your account may not do this: ask a supervisor</source>
        <translation>您的账号无权执行此操作：请联系班长</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="164" />
        <source>the central service asked to slow down: it will be tried again shortly</source>
        <translation>中心服务要求放慢速度：稍后将自动重试</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="165" />
        <source>the central service reported a conflict</source>
        <translation>中心服务报告了冲突</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="166" />
        <source>the central service refused the request (%1): report this to support</source>
        <translation>中心服务拒绝了请求（%1）：请报告技术支持</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="167" />
        <source>the central service had a problem (%1): it will be tried again; if it lasts, call support</source>
        <translation>中心服务出现问题（%1）：将自动重试；如持续出现，请联系技术支持</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="168" />
        <source>the central service did not answer in time: it will be tried again</source>
        <translation>中心服务未及时响应：将自动重试</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="169" />
        <source>wrong user name or password</source>
        <translation>用户名或密码错误</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="170" />
        <source>this account also needs the 6-digit code from its authenticator app</source>
        <translation>此账号还需要身份验证器应用中的 6 位验证码</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="171" />
        <source>the 6-digit code is wrong or has expired: type the code the app shows now</source>
        <translation>6 位验证码错误或已过期：请输入应用当前显示的验证码</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="172" />
        <source>too many failed sign-ins: try again in %1 minute(s)</source>
        <translation>登录失败次数过多：请 %1 分钟后重试</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="173" />
        <source>too many failed sign-ins: try again later</source>
        <translation>登录失败次数过多：请稍后重试</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="174" />
        <source>this account may not sign in here: ask an administrator</source>
        <translation>此账号不能在此登录：请联系管理员</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="175" />
        <source>enter a user name and a password</source>
        <translation>请输入用户名和密码</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="176" />
        <source>the central service gave an answer this console does not understand: call support</source>
        <translation>中心服务的答复本控制台无法识别：请联系技术支持</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="177" />
        <source>not signed in: sign in to send and receive tickets</source>
        <translation>未登录：请登录以收发工单</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="178" />
        <source>the central service refuses this console's changes: call support</source>
        <translation>中心服务拒绝此控制台的更改：请联系技术支持</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="179" />
        <source>the central service did not confirm the changes sent: they stay queued and will be sent again</source>
        <translation>中心服务未确认已发送的更改：更改仍在队列中，将重新发送</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="180" />
        <source>the central service and this console disagree about which changes were sent: call support</source>
        <translation>中心服务与此控制台对已发送的更改记录不一致：请联系技术支持</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="181" />
        <source>the central service keeps asking for a full reload: call support</source>
        <translation>中心服务反复要求完整重新加载：请联系技术支持</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="182" />
        <source>sync stopped on an unexpected problem: call support</source>
        <translation>同步因意外问题停止：请联系技术支持</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="236" />
        <source>The central service refused this (code %1); the details are in the log.</source>
        <translation>中心服务拒绝了此操作（代码 %1）；详情见日志。</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="237" />
        <source>The central service refused this; the details are in the log.</source>
        <translation>中心服务拒绝了此操作；详情见日志。</translation>
    </message>
</context>
<context>
    <name>ServerWords</name>
    <message>
        <location filename="../../console/server_messages.py" line="213" />
        <source>operator</source>
        <translation>话务员</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="213" />
        <source>supervisor</source>
        <translation>班长</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="214" />
        <source>handler</source>
        <translation>承办单位人员</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="214" />
        <source>admin</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="215" />
        <source>nobody</source>
        <translation>无人</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="216" />
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="216" />
        <source>registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="217" />
        <source>answered</source>
        <translation>直接答复</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="217" />
        <source>dispatched</source>
        <translation>已派单</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="218" />
        <source>accepted</source>
        <translation>已签收</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="218" />
        <source>returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="219" />
        <source>arbitration</source>
        <translation>仲裁中</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="219" />
        <source>extension requested</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="220" />
        <source>replied</source>
        <translation>已答复</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="220" />
        <source>callback</source>
        <translation>回访中</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="221" />
        <source>closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="221" />
        <source>reopened</source>
        <translation>重新办理</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="222" />
        <source>register</source>
        <translation>登记</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="222" />
        <source>answer</source>
        <translation>直接答复</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="223" />
        <source>close</source>
        <translation>办结</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="223" />
        <source>dispatch</source>
        <translation>派单</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="224" />
        <source>accept</source>
        <translation>签收</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="224" />
        <source>return</source>
        <translation>退回</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="225" />
        <source>arbitrate</source>
        <translation>提交仲裁</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="225" />
        <source>redispatch</source>
        <translation>重新派单</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="226" />
        <source>request extension</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="226" />
        <source>approve extension</source>
        <translation>批准延期</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="227" />
        <source>deny extension</source>
        <translation>驳回延期</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="227" />
        <source>reply</source>
        <translation>答复办理结果</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="228" />
        <source>start callback</source>
        <translation>开始回访</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="228" />
        <source>reopen</source>
        <translation>重新办理</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="229" />
        <source>caller phone</source>
        <translation>来电号码</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="229" />
        <source>caller name</source>
        <translation>来电人姓名</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="230" />
        <source>caller address</source>
        <translation>来电人位置</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="230" />
        <source>incident address</source>
        <translation>事发地址</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="231" />
        <source>sub district code</source>
        <translation>街道乡镇</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="231" />
        <source>request type</source>
        <translation>诉求类型</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="232" />
        <source>category code</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="232" />
        <source>taxonomy version</source>
        <translation>分类目录版本</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="233" />
        <source>description</source>
        <translation>诉求内容</translation>
    </message>
    <message>
        <location filename="../../console/server_messages.py" line="233" />
        <source>urgency</source>
        <translation>紧急程度</translation>
    </message>
</context>
<context>
    <name>ShortcutHelpDialog</name>
    <message>
        <location filename="../../console/shortcut_dialogs.py" line="47" />
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../console/shortcut_dialogs.py" line="48" />
        <source>Every key the console knows, and where it works. Change them in Settings (Ctrl+,). Esc closes this.</source>
        <translation>控制台的全部快捷键及其适用位置。可在设置（Ctrl+,）中修改。按 Esc 关闭。</translation>
    </message>
    <message>
        <location filename="../../console/shortcut_dialogs.py" line="50" />
        <source>Where</source>
        <translation>适用位置</translation>
    </message>
    <message>
        <location filename="../../console/shortcut_dialogs.py" line="50" />
        <source>What it does</source>
        <translation>功能</translation>
    </message>
    <message>
        <location filename="../../console/shortcut_dialogs.py" line="50" />
        <source>Keys</source>
        <translation>按键</translation>
    </message>
</context>
<context>
    <name>ShortcutSettingsDialog</name>
    <message>
        <location filename="../../console/shortcut_dialogs.py" line="125" />
        <source>Settings: shortcuts</source>
        <translation>设置：快捷键</translation>
    </message>
    <message>
        <location filename="../../console/shortcut_dialogs.py" line="130" />
        <source>What it does</source>
        <translation>功能</translation>
    </message>
    <message>
        <location filename="../../console/shortcut_dialogs.py" line="129" />
        <source>Key</source>
        <translation>按键</translation>
    </message>
    <message>
        <location filename="../../console/shortcut_dialogs.py" line="126" />
        <source>Click a key field and press the new key; an action may have several keys. Only your changes are stored.</source>
        <translation>单击按键栏并按下新按键；一个操作可以有多个按键。只保存您的修改。</translation>
    </message>
    <message>
        <location filename="../../console/shortcut_dialogs.py" line="129" />
        <source>Other key</source>
        <translation>其他按键</translation>
    </message>
    <message>
        <location filename="../../console/shortcut_dialogs.py" line="130" />
        <source>Where</source>
        <translation>适用位置</translation>
    </message>
    <message>
        <location filename="../../console/shortcut_dialogs.py" line="131" />
        <source>Restore defaults</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <location filename="../../console/shortcut_dialogs.py" line="164" />
        <source>%1 is given to more than one action (%2): give each its own key.</source>
        <translation>%1 被分配给多个操作（%2）：请为每个操作设置不同的按键。</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../console/signin.py" line="140" />
        <location filename="../../console/signin.py" line="147" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="141" />
        <source>Sign in to the hotline console</source>
        <translation>登录热线控制台</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="142" />
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="143" />
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="144" />
        <source>Code from the authenticator &amp;app</source>
        <translation>身份验证器验证码(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="145" />
        <source>6 digits</source>
        <translation>6 位数字</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="146" />
        <source>Demo accounts (Enter signs in with the one selected):</source>
        <translation>演示账号（按 Enter 用所选账号登录）：</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="148" />
        <source>Work offline as %1</source>
        <translation>以 %1 离线工作</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="183" />
        <source>Enter your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="188" />
        <source>Type the 6-digit code from your authenticator app.</source>
        <translation>请输入身份验证器应用中的 6 位验证码。</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="192" />
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="219" />
        <source>Not signed in: %1</source>
        <translation>未登录：%1</translation>
    </message>
</context>
<context>
    <name>Sla</name>
    <message>
        <location filename="../../widgets/sla.py" line="76" />
        <source>%1d %2h</source>
        <translation>%1天%2小时</translation>
    </message>
    <message>
        <location filename="../../widgets/sla.py" line="78" />
        <source>%1h %2m</source>
        <translation>%1小时%2分</translation>
    </message>
    <message>
        <location filename="../../widgets/sla.py" line="80" />
        <source>overdue %1</source>
        <translation>超时 %1</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../widgets/ticket_table.py" line="42" />
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="43" />
        <source>registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="44" />
        <source>answered directly</source>
        <translation>直接答复</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="45" />
        <source>dispatched</source>
        <translation>已派单</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="46" />
        <source>accepted</source>
        <translation>已签收</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="47" />
        <source>returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="48" />
        <source>in arbitration</source>
        <translation>仲裁中</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="49" />
        <source>extension requested</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="50" />
        <source>replied</source>
        <translation>已答复</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="51" />
        <source>callback</source>
        <translation>回访中</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="52" />
        <source>closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="53" />
        <source>reopened</source>
        <translation>重新办理</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="61" />
        <source>register</source>
        <translation>登记</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="62" />
        <source>answer directly</source>
        <translation>直接答复</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="63" />
        <source>close</source>
        <translation>办结</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="64" />
        <source>dispatch</source>
        <translation>派单</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="65" />
        <source>accept</source>
        <translation>签收</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="66" />
        <source>return to the hotline</source>
        <translation>退回热线</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="67" />
        <source>take to arbitration</source>
        <translation>提交仲裁</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="68" />
        <source>dispatch again</source>
        <translation>重新派单</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="69" />
        <source>ask for more time</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="70" />
        <source>approve the extension</source>
        <translation>批准延期</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="71" />
        <source>deny the extension</source>
        <translation>驳回延期</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="72" />
        <source>reply with the result</source>
        <translation>答复办理结果</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="73" />
        <source>start the callback</source>
        <translation>开始回访</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="74" />
        <source>reopen</source>
        <translation>重新办理</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="81" />
        <source>satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="82" />
        <source>basically satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="83" />
        <source>unsatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="84" />
        <source>not reached</source>
        <translation>未联系上</translation>
    </message>
</context>
<context>
    <name>SuggestionList</name>
    <message>
        <location filename="../../widgets/suggestion_list.py" line="69" />
        <source>Suggested types</source>
        <translation>建议分类</translation>
    </message>
    <message>
        <location filename="../../widgets/suggestion_list.py" line="71" />
        <source>The suggestion model is loading; F4 searches all types meanwhile.</source>
        <translation>建议模型正在加载；此期间可按 F4 搜索全部分类。</translation>
    </message>
    <message>
        <location filename="../../widgets/suggestion_list.py" line="73" />
        <source>Suggestions are not available: pick the type with F4.</source>
        <translation>暂无建议：请按 F4 选择分类。</translation>
    </message>
    <message>
        <location filename="../../widgets/suggestion_list.py" line="75" />
        <source>Alt+1 to Alt+5 takes one, F4 searches all types.</source>
        <translation>Alt+1 至 Alt+5 采用建议，F4 搜索全部分类。</translation>
    </message>
</context>
<context>
    <name>SupervisorView</name>
    <message>
        <location filename="../../console/queue_supervisor.py" line="234" />
        <source>Not reassigned: %1</source>
        <translation>未能改派：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../console/queue_supervisor.py" line="236" />
        <source>%n ticket(s) reassigned to %1; they go to the central service now.</source>
        <translation><numerusform>已将 %n 件工单改派给 %1，正在发送到中心服务。</numerusform></translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="244" />
        <source>Select one or more tickets first (Shift+arrows or Ctrl+click).</source>
        <translation>请先选择一件或多件工单（Shift+方向键或 Ctrl+单击）。</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="263" />
        <source>Reassign selected…</source>
        <translation>改派所选…</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="267" />
        <source>Operator load</source>
        <translation>话务员负荷</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <location filename="../../widgets/sync_status.py" line="116" />
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../widgets/sync_status.py" line="119" />
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../widgets/sync_status.py" line="122" />
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/sync_status.py" line="125" />
        <source>%n ticket change(s) waiting to sync</source>
        <translation><numerusform>%n 项工单更改待同步</numerusform></translation>
    </message>
    <message>
        <location filename="../../widgets/sync_status.py" line="127" />
        <source>All changes synced</source>
        <translation>全部已同步</translation>
    </message>
    <message>
        <location filename="../../widgets/sync_status.py" line="129" />
        <source>Last sync %1</source>
        <translation>上次同步 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/sync_status.py" line="129" />
        <source>Not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <location filename="../../widgets/sync_status.py" line="131" />
        <source>Rejected: %1</source>
        <translation>被拒绝：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/sync_status.py" line="137" />
        <source>Click for diagnostics: recent log lines and rejected changes.</source>
        <translation>单击查看诊断：最近日志和被拒绝的更改。</translation>
    </message>
    <message>
        <location filename="../../widgets/sync_status.py" line="139" />
        <source>Last problem: %1</source>
        <translation>最近问题：%1</translation>
    </message>
</context>
<context>
    <name>TicketDetail</name>
    <message>
        <location filename="../../widgets/ticket_format.py" line="153" />
        <source>Ticket %1</source>
        <translation>工单 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_format.py" line="166" />
        <source>central service</source>
        <translation>中心服务</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_format.py" line="174" />
        <source>OVERWRITTEN by sync: %1 — your value %2 was replaced by %3 (yours is kept here)</source>
        <translation>已被同步覆盖：%1 — 您填写的 %2 已被替换为 %3（您的内容保留在此）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_format.py" line="178" />
        <source>REJECTED by the central service: %1</source>
        <translation>被中心服务拒绝：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_format.py" line="195" />
        <source>ticket registered</source>
        <translation>工单已登记</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_format.py" line="196" />
        <source>note added</source>
        <translation>添加了备注</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_format.py" line="197" />
        <source>no longer in your scope; kept here until your changes are sent</source>
        <translation>已不在您的范围内；在您的更改发送前仍保留在此</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_format.py" line="205" />
        <source>reassigned %1 → %2</source>
        <translation>改派 %1 → %2</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_format.py" line="224" />
        <source>dispatched to %1, due %2</source>
        <translation>派往%1，办结时限 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_format.py" line="226" />
        <source>dispatched to %1</source>
        <translation>派往%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_format.py" line="227" />
        <source>dispatched</source>
        <translation>已派单</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_format.py" line="229" />
        <source>%1 (now %2)</source>
        <translation>%1（现为%2）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_format.py" line="211" />
        <source>; reason: %1</source>
        <translation>；原因：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_format.py" line="213" />
        <source>; callback: %1</source>
        <translation>；回访：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_format.py" line="250" />
        <source>%1 set to %2</source>
        <translation>%1设为 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_format.py" line="253" />
        <source>%1 changed from %2 to %3</source>
        <translation>%1由 %2 改为 %3</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_format.py" line="255" />
        <source>details changed</source>
        <translation>内容有更改</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_format.py" line="257" />
        <source> (someone else had changed it meanwhile; the earlier value is shown here)</source>
        <translation>（期间他人已修改过；之前的内容显示在此）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="317" />
        <source>This ticket is no longer visible to you (reassigned or out of your scope).</source>
        <translation>您已看不到此工单（已改派或不在您的范围内）。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="329" />
        <source>Changed elsewhere to: %1</source>
        <translation>已在别处改为：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="342" />
        <source>Changed elsewhere while you were editing: %1. Your text is kept; saving will replace the other value (it stays in the history).</source>
        <translation>您编辑时此处已在别处修改：%1。您输入的内容已保留；保存将替换另一值（另一值保留在历史中）。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="371" />
        <source>Reason (required)</source>
        <translation>原因（必填）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="371" />
        <source>Reason (optional)</source>
        <translation>原因（选填）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="387" />
        <source>Not done: %1</source>
        <translation>未完成：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="393" />
        <source>Done: %1.</source>
        <translation>已完成：%1。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="407" />
        <source>Nothing to save.</source>
        <translation>没有需要保存的内容。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="414" />
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="423" />
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="437" />
        <source>Note not saved: %1</source>
        <translation>备注未保存：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="448" />
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="448" />
        <source>Operator:</source>
        <translation>话务员：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="448" />
        <source>Unit:</source>
        <translation>承办单位：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="449" />
        <source>SLA left:</source>
        <translation>剩余时限：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="449" />
        <source>Caller number:</source>
        <translation>来电号码：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="449" />
        <source>Call time:</source>
        <translation>来电时间：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="450" />
        <source>Category:</source>
        <translation>分类：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="450" />
        <source>Sub-district:</source>
        <translation>街道乡镇：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="451" />
        <source>Request type:</source>
        <translation>诉求类型：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="451" />
        <source>Urgency:</source>
        <translation>紧急程度：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="452" />
        <source>Callback:</source>
        <translation>回访：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="452" />
        <source>Caller name:</source>
        <translation>来电人姓名：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="453" />
        <source>Incident address:</source>
        <translation>事发地址：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="453" />
        <source>Description:</source>
        <translation>诉求内容：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="457" />
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="458" />
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="459" />
        <source>Do it</source>
        <translation>执行</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="465" />
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="466" />
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="468" />
        <source>Save changes (%1)</source>
        <translation>保存修改（%1）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="468" />
        <source>Save changes</source>
        <translation>保存修改</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="469" />
        <source>Add note (%1)</source>
        <translation>添加备注（%1）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="469" />
        <source>Add note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="470" />
        <source>Type a note, %1 adds it</source>
        <translation>输入备注，按 %1 添加</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="470" />
        <source>Type a note</source>
        <translation>输入备注</translation>
    </message>
</context>
<context>
    <name>TicketForm</name>
    <message>
        <location filename="../../widgets/ticket_form.py" line="227" />
        <source>Caller number</source>
        <translation>来电号码</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="228" />
        <source>Caller name</source>
        <translation>来电人姓名</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="229" />
        <source>Caller location</source>
        <translation>来电人位置</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="230" />
        <source>Incident address</source>
        <translation>事发地址</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="231" />
        <source>Request type</source>
        <translation>诉求类型</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="232" />
        <source>Description</source>
        <translation>诉求内容</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="233" />
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="234" />
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="239" />
        <source>Goes to</source>
        <translation>派往</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="241" />
        <source>Inquiry</source>
        <translation>咨询</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="242" />
        <source>Request for help</source>
        <translation>求助</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="243" />
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="244" />
        <source>Report</source>
        <translation>举报</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="245" />
        <source>Suggestion</source>
        <translation>建议</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="250" />
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="250" />
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="250" />
        <source>Very urgent</source>
        <translation>特急</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="253" />
        <source>e.g. 13800138000 or 010-65123456</source>
        <translation>如 13800138000 或 010-65123456</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="254" />
        <source>Where it happens: street, building, sub-district</source>
        <translation>事发地点：街道、楼栋、街道乡镇</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="255" />
        <source>Where the caller is (if different)</source>
        <translation>来电人所在位置（如不同）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="256" />
        <source>What the caller needs, in their words</source>
        <translation>来电人的诉求，按其原话记录</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="257" />
        <source>Alt+1..Alt+5 takes a suggestion; type or F4 to search</source>
        <translation>Alt+1..Alt+5 采用建议；输入或按 F4 搜索</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="432" />
        <source>→ %1 (named in the description)</source>
        <translation>→ %1（诉求内容中提到）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="475" />
        <source>Rule: %1</source>
        <translation>规则：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="478" />
        <source>Accept by %1 · resolve by %2</source>
        <translation>%1 前签收 · %2 前办结</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="486" />
        <source>Pick a category to see where the ticket goes.</source>
        <translation>选择分类后可看到工单派往何处。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="488" />
        <source>Give the incident address to see where the ticket goes.</source>
        <translation>填写事发地址后可看到工单派往何处。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="490" />
        <source>No routing rule matched: the ticket goes to the supervisor to route.</source>
        <translation>没有匹配的派单规则：工单将交给班长派单。</translation>
    </message>
</context>
<context>
    <name>TicketTableModel</name>
    <message>
        <location filename="../../widgets/ticket_table.py" line="27" />
        <source>Number</source>
        <translation>工单编号</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="28" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="29" />
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="30" />
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="31" />
        <source>Caller</source>
        <translation>来电号码</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="32" />
        <source>Operator</source>
        <translation>话务员</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="33" />
        <source>SLA left</source>
        <translation>剩余时限</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="34" />
        <source>Call time</source>
        <translation>来电时间</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="91" />
        <source>inquiry</source>
        <translation>咨询</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="92" />
        <source>help</source>
        <translation>求助</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="93" />
        <source>complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="94" />
        <source>report</source>
        <translation>举报</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="95" />
        <source>suggestion</source>
        <translation>建议</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="102" />
        <source>normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="103" />
        <source>urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="104" />
        <source>very urgent</source>
        <translation>特急</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="112" />
        <source>description</source>
        <translation>诉求内容</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="113" />
        <source>category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="114" />
        <source>incident address</source>
        <translation>事发地址</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="115" />
        <source>caller name</source>
        <translation>来电人姓名</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="116" />
        <source>urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="117" />
        <source>sub-district</source>
        <translation>街道乡镇</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="118" />
        <source>request type</source>
        <translation>诉求类型</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="119" />
        <source>due time</source>
        <translation>办理时限</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="120" />
        <source>caller location</source>
        <translation>来电人位置</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_table.py" line="130" />
        <source>local %1</source>
        <translation>本地 %1</translation>
    </message>
</context>
<context>
    <name>self.window</name>
    <message>
        <location filename="../../console/app.py" line="62" />
        <source>Incoming calls cannot pop the console: %1</source>
        <translation>来电无法弹出控制台：%1</translation>
    </message>
</context>
</TS>