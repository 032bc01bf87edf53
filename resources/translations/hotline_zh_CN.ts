<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>Actions</name>
    <message>
        <location filename="../../console/actions.py" line="58" />
        <source>Intake</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="58" />
        <source>Fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="58" />
        <source>Views</source>
        <translation>视图</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="58" />
        <source>Console</source>
        <translation>控制台</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="62" />
        <source>New ticket (take a call)</source>
        <translation>新建工单（接听来电）</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="63" />
        <source>Save and dispatch</source>
        <translation>保存并派单</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="64" />
        <source>Save as answered directly</source>
        <translation>保存为直接答复</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="65" />
        <source>Save without dispatching</source>
        <translation>保存但不派单</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="66" />
        <source>Back out (the draft is kept)</source>
        <translation>退出（保留草稿）</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="67" />
        <source>Resume a kept draft</source>
        <translation>恢复保留的草稿</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="68" />
        <source>Search categories</source>
        <translation>搜索分类</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="69" />
        <source>Take suggestion 1</source>
        <translation>采用建议 1</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="70" />
        <source>Take suggestion 2</source>
        <translation>采用建议 2</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="71" />
        <source>Take suggestion 3</source>
        <translation>采用建议 3</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="72" />
        <source>Take suggestion 4</source>
        <translation>采用建议 4</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="73" />
        <source>Take suggestion 5</source>
        <translation>采用建议 5</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="74" />
        <source>Go to caller number</source>
        <translation>转到来电号码</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="75" />
        <source>Go to caller name</source>
        <translation>转到来电人姓名</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="76" />
        <source>Go to caller location</source>
        <translation>转到来电人位置</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="77" />
        <source>Go to incident address</source>
        <translation>转到事发地址</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="78" />
        <source>Go to request type</source>
        <translation>转到诉求类型</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="79" />
        <source>Go to description</source>
        <translation>转到诉求内容</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="80" />
        <source>Go to urgency</source>
        <translation>转到紧急程度</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="81" />
        <source>Go to the caller's earlier tickets and likely duplicates (Enter attaches)</source>
        <translation>转到来电人的历史工单和疑似重复（Enter 合并）</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="82" />
        <source>Show the intake form</source>
        <translation>显示受理表单</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="83" />
        <source>Show the queue</source>
        <translation>显示工单队列</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="84" />
        <source>Show the shift: SLA clocks, operator load, reassignment (supervisors)</source>
        <translation>显示班次：时限、话务员负荷、改派（班长）</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="85" />
        <source>Show every shortcut</source>
        <translation>显示所有快捷键</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="86" />
        <source>Settings and shortcuts</source>
        <translation>设置与快捷键</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="87" />
        <source>Diagnostics</source>
        <translation>诊断</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="88" />
        <source>Switch language (中文 / English)</source>
        <translation>切换语言（中文 / English）</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="89" />
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../console/actions.py" line="90" />
        <source>Quit</source>
        <translation>退出程序</translation>
    </message>
</context>
<context>
    <name>AddressField</name>
    <message>
        <location filename="../../widgets/address_field.py" line="158" />
        <source>sub-district not recognised</source>
        <translation>未识别街道乡镇</translation>
    </message>
</context>
<context>
    <name>CallerContextPanel</name>
    <message>
        <location filename="../../widgets/caller_context.py" line="207" />
        <source>Caller %1</source>
        <translation>来电人 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="209" />
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="211" />
        <source>Earlier tickets from this number: %1 (%2 open)</source>
        <translation>该号码的历史工单：%1 件（%2 件未办结）</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="213" />
        <source>Likely duplicates (same category nearby, last 30 days): %1</source>
        <translation>疑似重复（30 天内附近同类）：%1 件</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="218" />
        <source>Last callback: %1</source>
        <translation>最近回访：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="220" />
        <source>First call from this number.</source>
        <translation>该号码首次来电。</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="223" />
        <source>Attach to this ticket (Enter / Ctrl+Shift+A)</source>
        <translation>合并到此工单（Enter / Ctrl+Shift+A）</translation>
    </message>
</context>
<context>
    <name>CategorySearchDialog</name>
    <message>
        <location filename="../../widgets/category_search.py" line="66" />
        <source>Search categories</source>
        <translation>搜索分类</translation>
    </message>
    <message>
        <location filename="../../widgets/category_search.py" line="67" />
        <source>Code, Chinese or English name, keyword or pinyin initials (e.g. zy for 噪音):</source>
        <translation>编码、中文或英文名称、关键词或拼音首字母（如 zy 表示噪音）：</translation>
    </message>
</context>
<context>
    <name>ContextTicketModel</name>
    <message>
        <location filename="../../widgets/caller_context.py" line="44" />
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="44" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="44" />
        <source>Call time</source>
        <translation>来电时间</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="44" />
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../widgets/caller_context.py" line="44" />
        <source>Callback</source>
        <translation>回访</translation>
    </message>
</context>
<context>
    <name>DiagnosticsDialog</name>
    <message>
        <location filename="../../console/diagnostics.py" line="182" />
        <source>not started</source>
        <translation>未启动</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="184" />
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="184" />
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="191" />
        <source>Diagnostics</source>
        <translation>诊断</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="192" />
        <source>Why has a ticket not synced? Check the connection, the changes waiting, and the reasons the central service gave for refusing a change.</source>
        <translation>工单为什么没有同步？请查看连接状态、待同步的更改，以及中心服务拒绝更改的原因。</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="194" />
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="195" />
        <source>Recent log</source>
        <translation>最近日志</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="196" />
        <source>Rejected changes (%1)</source>
        <translation>被拒绝的更改（%1）</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="197" />
        <source>Central service</source>
        <translation>中心服务</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="197" />
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="198" />
        <source>Changes waiting</source>
        <translation>待同步更改</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="198" />
        <source>Last sync</source>
        <translation>上次同步</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="199" />
        <source>Last problem</source>
        <translation>最近问题</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="199" />
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
        <location filename="../../console/intake.py" line="52" />
        <source>The draft could not be kept: %1</source>
        <translation>草稿未能保存：%1</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="78" />
        <source>A draft kept from before was restored.</source>
        <translation>已恢复之前保留的草稿。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="92" />
        <source>Incoming call from %1</source>
        <translation>%1 来电</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="110" />
        <source>Draft kept: Ctrl+R brings it back.</source>
        <translation>草稿已保留：按 Ctrl+R 恢复。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="111" />
        <source>Draft kept.</source>
        <translation>草稿已保留。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="117" />
        <source>No kept drafts.</source>
        <translation>没有保留的草稿。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="122" />
        <source>Draft resumed.</source>
        <translation>草稿已恢复。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="142" />
        <location filename="../../console/intake.py" line="192" />
        <source>Not saved yet: %1</source>
        <translation>尚未保存：%1</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="161" />
        <source>Saved (not yet dispatched).</source>
        <translation>已保存（尚未派单）。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="157" />
        <source>Saved and dispatched to %1.</source>
        <translation>已保存并派往 %1。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="157" />
        <source>Saved and dispatched.</source>
        <translation>已保存并派单。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="159" />
        <source>Saved as answered directly.</source>
        <translation>已保存为直接答复。</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="165" />
        <source>Ticket %1: %2</source>
        <translation>工单 %1：%2</translation>
    </message>
    <message>
        <location filename="../../console/intake.py" line="195" />
        <source>Not saved: %1 The draft is kept.</source>
        <translation>未保存：%1 草稿已保留。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../console/main_window.py" line="296" />
        <source>The shift view is for supervisors.</source>
        <translation>班次视图仅供班长使用。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="305" />
        <source>There is no suggestion %1 yet: type more of the description, or F4.</source>
        <translation>还没有第 %1 条建议：请再多输入一些诉求内容，或按 F4。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="349" />
        <source>No earlier tickets or likely duplicates for this call.</source>
        <translation>本次来电没有历史工单或疑似重复。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="354" />
        <source>The caller called again about this.</source>
        <translation>来电人再次就此事来电。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="358" />
        <source>Could not add the call to that ticket: %1</source>
        <translation>未能将本次来电合并到该工单：%1</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="366" />
        <source>Call added to the existing ticket as a note.</source>
        <translation>本次来电已作为备注加入原工单。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="389" />
        <source>%1 kept draft(s): Ctrl+R</source>
        <translation>%1 份保留的草稿：Ctrl+R</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="394" />
        <source>not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="398" />
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="398" />
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="399" />
        <source>call-taker</source>
        <translation>话务员</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="399" />
        <source>supervisor</source>
        <translation>班长</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="399" />
        <source>unit staff</source>
        <translation>承办单位人员</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="400" />
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="418" />
        <source>The global answer key is off: %1 The console's own keys all work (F2 takes a call, F1 lists every key).</source>
        <translation>全局接听键已关闭：%1 控制台自身的快捷键均可使用（F2 接听来电，F1 列出所有快捷键）。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="449" />
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="449" />
        <source>Sign out? Tickets waiting to sync stay on this computer.</source>
        <translation>退出登录？待同步的工单会保留在本机。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="479" />
        <source>Hotline console</source>
        <translation>热线控制台</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="480" />
        <source>Intake (Ctrl+1)</source>
        <translation>受理（Ctrl+1）</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="481" />
        <source>Queue (Ctrl+2)</source>
        <translation>工单队列（Ctrl+2）</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="483" />
        <source>Shift (Ctrl+3)</source>
        <translation>班次（Ctrl+3）</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="484" />
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="484" />
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="484" />
        <source>Console</source>
        <translation>控制台</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="484" />
        <source>Help</source>
        <translation>帮助</translation>
    </message>
</context>
<context>
    <name>OperatorLoadModel</name>
    <message>
        <location filename="../../console/queue_supervisor.py" line="78" />
        <source>Operator</source>
        <translation>话务员</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="78" />
        <source>Open</source>
        <translation>未办结</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="78" />
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="78" />
        <source>Due within 4 h</source>
        <translation>4 小时内到期</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="87" />
        <source>(unassigned)</source>
        <translation>（未分配）</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <location filename="../../widgets/ticket_form.py" line="45" />
        <source>This is not a phone number: use 11 digits for a mobile or area code and number for a landline.</source>
        <translation>这不是电话号码：手机请输入 11 位数字，座机请输入区号和号码。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="46" />
        <source>Type what the caller needs, or their number, before saving.</source>
        <translation>保存前请填写来电人的诉求或来电号码。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="47" />
        <source>Choose one of: inquiry, help, complaint, report, suggestion.</source>
        <translation>请选择：咨询、求助、投诉、举报、建议之一。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="48" />
        <source>Choose normal, urgent or very urgent.</source>
        <translation>请选择一般、紧急或特急。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="49" />
        <source>Pick a category before dispatching (Alt+1 takes the first suggestion).</source>
        <translation>派单前请选择分类（Alt+1 采用第一条建议）。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="50" />
        <source>Say where it happens: an address or a sub-district.</source>
        <translation>请说明事发地点：地址或街道乡镇。</translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <location filename="../../console/queue.py" line="324" />
        <source>%1 tickets</source>
        <translation>%1 件工单</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="385" />
        <source>%1 tickets were updated by sync.</source>
        <translation>同步更新了 %1 件工单。</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="392" />
        <source>Ticket %1 left your queue.</source>
        <translation>工单 %1 已移出您的队列。</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="477" />
        <source>(and %1 more changes)</source>
        <translation>（另有 %1 处更改）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../console/queue.py" line="422" />
        <source>%n new ticket(s) in this list.</source>
        <translation><numerusform>%n 件新工单进入此列表。</numerusform></translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="428" />
        <source>New ticket %1 in this list.</source>
        <translation>新工单 %1 进入此列表。</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="452" />
        <source>Ticket %1 was reassigned to %2 by %3.</source>
        <translation>工单 %1 已由 %3 改派给 %2。</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="454" />
        <source>Ticket %1 was reassigned to %2.</source>
        <translation>工单 %1 已改派给 %2。</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="457" />
        <source>Ticket %1 is now %2.</source>
        <translation>工单 %1 现为“%2”。</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="463" />
        <source>Ticket %1 was changed elsewhere (%2).</source>
        <translation>工单 %1 已在别处修改（%2）。</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="482" />
        <source>My tickets</source>
        <translation>我的工单</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="482" />
        <source>My unit</source>
        <translation>本单位</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="482" />
        <source>All tickets</source>
        <translation>全部工单</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="485" />
        <source>Any status</source>
        <translation>任意状态</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="485" />
        <source>Open</source>
        <translation>未办结</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="485" />
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="489" />
        <source>&amp;Show:</source>
        <translation>显示(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="490" />
        <source>S&amp;tatus:</source>
        <translation>状态(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../console/queue.py" line="491" />
        <source>Search number, phone, words, address (Ctrl+F)</source>
        <translation>搜索编号、电话、内容、地址（Ctrl+F）</translation>
    </message>
</context>
<context>
    <name>ReassignDialog</name>
    <message>
        <location filename="../../console/queue_supervisor.py" line="135" />
        <source>Choose the operator who takes these tickets.</source>
        <translation>请选择接手这些工单的话务员。</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="139" />
        <source>Say why: the reason is kept in each ticket's history.</source>
        <translation>请说明原因：原因会记入每件工单的历史。</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="145" />
        <source>Reassign tickets</source>
        <translation>改派工单</translation>
    </message>
    <message numerus="yes">
        <location filename="../../console/queue_supervisor.py" line="146" />
        <source>Reassign %n ticket(s) to:</source>
        <translation><numerusform>将 %n 件工单改派给：</numerusform></translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="147" />
        <source>&amp;Operator:</source>
        <translation>话务员(&amp;O)：</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="148" />
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
</context>
<context>
    <name>RejectionTableModel</name>
    <message>
        <location filename="../../console/diagnostics.py" line="50" />
        <source>new ticket</source>
        <translation>新建工单</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="51" />
        <source>ticket edit</source>
        <translation>修改工单</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="52" />
        <source>note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="53" />
        <source>status change</source>
        <translation>状态变更</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="54" />
        <source>reassignment</source>
        <translation>改派</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="60" />
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="60" />
        <source>Change</source>
        <translation>更改</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="60" />
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../console/diagnostics.py" line="60" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>ShortcutHelpDialog</name>
    <message>
        <location filename="../../console/main_window.py" line="71" />
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="72" />
        <source>Every key the console knows. Change them in Settings (Ctrl+,). Esc closes this.</source>
        <translation>控制台的全部快捷键。可在设置（Ctrl+,）中修改。按 Esc 关闭。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="73" />
        <source>Where</source>
        <translation>适用位置</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="73" />
        <source>What it does</source>
        <translation>功能</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="73" />
        <source>Keys</source>
        <translation>按键</translation>
    </message>
</context>
<context>
    <name>ShortcutSettingsDialog</name>
    <message>
        <location filename="../../console/settings.py" line="164" />
        <source>Settings: shortcuts</source>
        <translation>设置：快捷键</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="165" />
        <source>Click a key field and press the new key. Only your changes are stored.</source>
        <translation>单击按键栏并按下新按键。只保存您的修改。</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="166" />
        <source>What it does</source>
        <translation>功能</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="166" />
        <source>Key</source>
        <translation>按键</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="167" />
        <source>Restore defaults</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="197" />
        <source>%1 is given to more than one action (%2): give each its own key.</source>
        <translation>%1 被分配给多个操作（%2）：请为每个操作设置不同的按键。</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../console/signin.py" line="121" />
        <location filename="../../console/signin.py" line="126" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="122" />
        <source>Sign in to the hotline console</source>
        <translation>登录热线控制台</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="123" />
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="124" />
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="125" />
        <source>Demo accounts (Enter signs in with the one selected):</source>
        <translation>演示账号（按 Enter 用所选账号登录）：</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="127" />
        <source>Work offline as %1</source>
        <translation>以 %1 离线工作</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="162" />
        <source>Enter your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="166" />
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <location filename="../../console/signin.py" line="181" />
        <source>Not signed in: %1</source>
        <translation>未登录：%1</translation>
    </message>
</context>
<context>
    <name>Sla</name>
    <message>
        <location filename="../../widgets/sla.py" line="97" />
        <source>%1d %2h</source>
        <translation>%1天%2小时</translation>
    </message>
    <message>
        <location filename="../../widgets/sla.py" line="99" />
        <source>%1h %2m</source>
        <translation>%1小时%2分</translation>
    </message>
    <message>
        <location filename="../../widgets/sla.py" line="101" />
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
        <location filename="../../console/queue_supervisor.py" line="248" />
        <source>Not reassigned: %1</source>
        <translation>未能改派：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../console/queue_supervisor.py" line="250" />
        <source>%n ticket(s) reassigned to %1; they go to the central service now.</source>
        <translation><numerusform>已将 %n 件工单改派给 %1，正在发送到中心服务。</numerusform></translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="258" />
        <source>Select one or more tickets first (Shift+arrows or Ctrl+click).</source>
        <translation>请先选择一件或多件工单（Shift+方向键或 Ctrl+单击）。</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="276" />
        <source>Operator load</source>
        <translation>话务员负荷</translation>
    </message>
    <message>
        <location filename="../../console/queue_supervisor.py" line="277" />
        <source>Reassign selected… (Ctrl+R)</source>
        <translation>改派所选…（Ctrl+R）</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <location filename="../../widgets/sync_status.py" line="100" />
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../widgets/sync_status.py" line="103" />
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../widgets/sync_status.py" line="106" />
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/sync_status.py" line="109" />
        <source>%n ticket change(s) waiting to sync</source>
        <translation><numerusform>%n 项工单更改待同步</numerusform></translation>
    </message>
    <message>
        <location filename="../../widgets/sync_status.py" line="111" />
        <source>All changes synced</source>
        <translation>全部已同步</translation>
    </message>
    <message>
        <location filename="../../widgets/sync_status.py" line="113" />
        <source>Last sync %1</source>
        <translation>上次同步 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/sync_status.py" line="113" />
        <source>Not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <location filename="../../widgets/sync_status.py" line="115" />
        <source>Rejected: %1</source>
        <translation>被拒绝：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/sync_status.py" line="121" />
        <source>Click for diagnostics: recent log lines and rejected changes.</source>
        <translation>单击查看诊断：最近日志和被拒绝的更改。</translation>
    </message>
    <message>
        <location filename="../../widgets/sync_status.py" line="123" />
        <source>Last problem: %1</source>
        <translation>最近问题：%1</translation>
    </message>
</context>
<context>
    <name>TicketDetail</name>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="299" />
        <source>Ticket %1</source>
        <translation>工单 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="355" />
        <source>central service</source>
        <translation>中心服务</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="363" />
        <source>OVERWRITTEN by sync: %1 — your value %2 was replaced by %3 (yours is kept here)</source>
        <translation>已被同步覆盖：%1 — 您填写的 %2 已被替换为 %3（您的内容保留在此）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="367" />
        <source>REJECTED by the central service: %1</source>
        <translation>被中心服务拒绝：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="374" />
        <source>ticket registered</source>
        <translation>工单已登记</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="376" />
        <source>note added</source>
        <translation>添加了备注</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="378" />
        <source>no longer in your scope; kept here until your changes are sent</source>
        <translation>已不在您的范围内；在您的更改发送前仍保留在此</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="386" />
        <source>reassigned %1 → %2</source>
        <translation>改派 %1 → %2</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="397" />
        <source>dispatched to %1, due %2</source>
        <translation>派往%1，办结时限 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="399" />
        <source>dispatched to %1</source>
        <translation>派往%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="401" />
        <source>dispatched</source>
        <translation>已派单</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="403" />
        <source>%1 (now %2)</source>
        <translation>%1（现为%2）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="412" />
        <source>; reason: %1</source>
        <translation>；原因：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="414" />
        <source>; callback: %1</source>
        <translation>；回访：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="428" />
        <source>%1 set to %2</source>
        <translation>%1设为 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="430" />
        <source>%1 changed from %2 to %3</source>
        <translation>%1由 %2 改为 %3</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="432" />
        <source>details changed</source>
        <translation>内容有更改</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="434" />
        <source> (someone else had changed it meanwhile; the earlier value is shown here)</source>
        <translation>（期间他人已修改过；之前的内容显示在此）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="448" />
        <source>This ticket is no longer visible to you (reassigned or out of your scope).</source>
        <translation>您已看不到此工单（已改派或不在您的范围内）。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="460" />
        <source>Changed elsewhere to: %1</source>
        <translation>已在别处改为：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="473" />
        <source>Changed elsewhere while you were editing: %1. Your text is kept; saving will replace the other value (it stays in the history).</source>
        <translation>您编辑时此处已在别处修改：%1。您输入的内容已保留；保存将替换另一值（另一值保留在历史中）。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="502" />
        <source>Reason (required)</source>
        <translation>原因（必填）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="502" />
        <source>Reason (optional)</source>
        <translation>原因（选填）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="518" />
        <source>Not done: %1</source>
        <translation>未完成：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="524" />
        <source>Done: %1.</source>
        <translation>已完成：%1。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="538" />
        <source>Nothing to save.</source>
        <translation>没有需要保存的内容。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="545" />
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="554" />
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="568" />
        <source>Note not saved: %1</source>
        <translation>备注未保存：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="579" />
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="579" />
        <source>Operator:</source>
        <translation>话务员：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="579" />
        <source>Unit:</source>
        <translation>承办单位：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="580" />
        <source>SLA left:</source>
        <translation>剩余时限：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="580" />
        <source>Caller number:</source>
        <translation>来电号码：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="580" />
        <source>Call time:</source>
        <translation>来电时间：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="581" />
        <source>Category:</source>
        <translation>分类：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="581" />
        <source>Sub-district:</source>
        <translation>街道乡镇：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="582" />
        <source>Request type:</source>
        <translation>诉求类型：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="582" />
        <source>Urgency:</source>
        <translation>紧急程度：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="583" />
        <source>Callback:</source>
        <translation>回访：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="583" />
        <source>Caller name:</source>
        <translation>来电人姓名：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="584" />
        <source>Incident address:</source>
        <translation>事发地址：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="584" />
        <source>Description:</source>
        <translation>诉求内容：</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="588" />
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="589" />
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="590" />
        <source>Do it</source>
        <translation>执行</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="596" />
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="597" />
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="598" />
        <source>Save changes (Ctrl+S)</source>
        <translation>保存修改（Ctrl+S）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="599" />
        <source>Add note (Ctrl+Enter)</source>
        <translation>添加备注（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="600" />
        <source>Type a note, Ctrl+Enter adds it</source>
        <translation>输入备注，按 Ctrl+Enter 添加</translation>
    </message>
</context>
<context>
    <name>TicketForm</name>
    <message>
        <location filename="../../widgets/ticket_form.py" line="226" />
        <source>Caller number</source>
        <translation>来电号码</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="227" />
        <source>Caller name</source>
        <translation>来电人姓名</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="228" />
        <source>Caller location</source>
        <translation>来电人位置</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="229" />
        <source>Incident address</source>
        <translation>事发地址</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="230" />
        <source>Request type</source>
        <translation>诉求类型</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="231" />
        <source>Description</source>
        <translation>诉求内容</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="232" />
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="233" />
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="238" />
        <source>Goes to</source>
        <translation>派往</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="240" />
        <source>Inquiry</source>
        <translation>咨询</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="241" />
        <source>Request for help</source>
        <translation>求助</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="242" />
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="243" />
        <source>Report</source>
        <translation>举报</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="244" />
        <source>Suggestion</source>
        <translation>建议</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="248" />
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="248" />
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="248" />
        <source>Very urgent</source>
        <translation>特急</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="251" />
        <source>e.g. 13800138000 or 010-65123456</source>
        <translation>如 13800138000 或 010-65123456</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="252" />
        <source>Where it happens: street, building, sub-district</source>
        <translation>事发地点：街道、楼栋、街道乡镇</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="253" />
        <source>Where the caller is (if different)</source>
        <translation>来电人所在位置（如不同）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="254" />
        <source>What the caller needs, in their words</source>
        <translation>来电人的诉求，按其原话记录</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="255" />
        <source>Alt+1..Alt+5 takes a suggestion; type or F4 to search</source>
        <translation>Alt+1..Alt+5 采用建议；输入或按 F4 搜索</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="430" />
        <source>→ %1 (named in the description)</source>
        <translation>→ %1（诉求内容中提到）</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="473" />
        <source>Rule: %1</source>
        <translation>规则：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="476" />
        <source>Accept by %1 · resolve by %2</source>
        <translation>%1 前签收 · %2 前办结</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="484" />
        <source>Pick a category to see where the ticket goes.</source>
        <translation>选择分类后可看到工单派往何处。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="486" />
        <source>Give the incident address to see where the ticket goes.</source>
        <translation>填写事发地址后可看到工单派往何处。</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_form.py" line="488" />
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
        <location filename="../../console/app.py" line="61" />
        <source>Incoming calls cannot pop the console: %1</source>
        <translation>来电无法弹出控制台：%1</translation>
    </message>
</context>
</TS>