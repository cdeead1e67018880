<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AdjustmentRequestDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/adjustments/dialogs.py" line="+50"/>
        <location line="+3"/>
        <source>Manual adjustment</source>
        <translation>手工调整</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose a reason…</source>
        <translation>请选择调整原因…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>What happened, and why the points should change</source>
        <translation>说明情况以及调整积分的理由</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>&amp;Direction</source>
        <translation>方向(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Points</source>
        <translation>积分(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reason code</source>
        <translation>调整原因(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Memo</source>
        <translation>备注(&amp;M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+54"/>
        <source>&amp;Evidence</source>
        <translation>凭证编号(&amp;E)</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>Submit for approval</source>
        <translation>提交审批</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Supervisor approval…</source>
        <translation>主管审批…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A supervisor signs in here with their own credentials to approve now</source>
        <translation>主管在此用本人账号登录并立即审批</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{name} · {member_no} · available {available} points</source>
        <translation>{name} · {member_no} · 可用积分 {available}</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>&amp;Evidence (optional)</source>
        <translation>凭证编号(可选)(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not needed for this reason</source>
        <translation>此调整原因无需凭证</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{n} points or more: two different supervisors must approve.</source>
        <translation>{n} 积分及以上：须由两位不同的主管批准。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The points are held until the request is decided: available after filing {n}.</source>
        <translation>审批前积分将被冻结：提交后可用积分为 {n}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing is posted until a supervisor approves; the request expires after {h} hours.</source>
        <translation>主管批准前不会入账；申请 {h} 小时后失效。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Request no. {id} is waiting for a supervisor: {points} points, {reason}.</source>
        <translation>申请 {id} 待主管审批：{points} 积分，{reason}。</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>It needs %n approval(s). A supervisor can approve it here now, or later from the approvals queue. Available balance now {available}.</source>
        <translation>
            <numerusform>需要 %n 位主管批准。主管可在此立即审批，或稍后在审批队列中处理。当前可用积分 {available}。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+15"/>
        <location filename="../../loyalty_desk/ui/screenshots/adjustments.py" line="+59"/>
        <source>Request no. {id}: {points} points for {member} ({reason}), made by {maker}.</source>
        <translation>申请 {id}：为 {member} 调整 {points} 积分（{reason}），申请人 {maker}。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Request no. {id} is {status}.</source>
        <translation>申请 {id} 状态：{status}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Request no. {id} is approved and posted. Available balance now {available}.</source>
        <translation>申请 {id} 已批准并入账。当前可用积分 {available}。</translation>
    </message>
</context>
<context>
    <name>Adjustments</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/adjustments/models.py" line="+17"/>
        <source>Missing points</source>
        <translation>漏积分补录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service recovery</source>
        <translation>服务补偿</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Correction</source>
        <translation>差错更正</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Goodwill</source>
        <translation>客户关怀</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fraud reversal</source>
        <translation>欺诈冲正</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Transaction reference</source>
        <translation>交易流水号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Complaint ticket</source>
        <translation>投诉工单号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ledger entry</source>
        <translation>积分流水编号</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Credit (add points)</source>
        <translation>增加积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Debit (take points)</source>
        <translation>扣减积分</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pending approval</source>
        <translation>待审批</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expired</source>
        <translation>已失效</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{h} h {m} min</source>
        <translation>{h} 小时 {m} 分钟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{d} d {h} h</source>
        <translation>{d} 天 {h} 小时</translation>
    </message>
</context>
<context>
    <name>AdjustmentsModel</name>
    <message>
        <location line="+11"/>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Maker</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reason</source>
        <translation>调整原因</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Evidence</source>
        <translation>凭证编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Age</source>
        <translation>已等待</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Approvals</source>
        <translation>批准数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Memo</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>ApprovalsScreen</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/adjustments/screen.py" line="+102"/>
        <source>Approvals queue</source>
        <translation>审批队列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reload the queue (F5)</source>
        <translation>重新加载队列 (F5)</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>&amp;Status</source>
        <translation>状态(&amp;S)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>R&amp;eason</source>
        <translation>原因(&amp;E)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Direction</source>
        <translation>方向(&amp;D)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Member</source>
        <translation>会员(&amp;M)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>S&amp;ort</source>
        <translation>排序(&amp;O)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Decided</source>
        <translation>已处理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All reasons</source>
        <translation>全部原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Credits and debits</source>
        <translation>增加和扣减</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Credits</source>
        <translation>增加</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Debits</source>
        <translation>扣减</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Oldest first</source>
        <translation>最早的在前</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Newest first</source>
        <translation>最新的在前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Most points first</source>
        <translation>积分最多的在前</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>By member</source>
        <translation>按会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>By maker</source>
        <translation>按申请人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>member no.</source>
        <translation>会员号</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>&amp;Note</source>
        <translation>意见(&amp;N)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>why (required to reject)</source>
        <translation>理由（驳回时必填）</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Approve the selected request (Ctrl+Enter)</source>
        <translation>批准所选申请 (Ctrl+Enter)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message numerus="yes">
        <location line="+45"/>
        <source>%Ln request(s)</source>
        <translation>
            <numerusform>%Ln 笔申请</numerusform>
        </translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Select a request to see its details.</source>
        <translation>选择一笔申请查看详情。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;b&gt;No. {id}&lt;/b&gt; · {status} · {member} · branch {branch}</source>
        <translation>&lt;b&gt;编号 {id}&lt;/b&gt; · {status} · {member} · 机构 {branch}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{points} points · {reason} · evidence {evidence} · made by {maker} {age} ago</source>
        <translation>{points} 积分 · {reason} · 凭证编号 {evidence} · 申请人 {maker}，{age}前</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Memo: {memo}</source>
        <translation>备注：{memo}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approvals {n} of {needed}{who}</source>
        <translation>已批准 {n}/{needed}{who}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;i&gt;You made this request: another supervisor must decide it.&lt;/i&gt;</source>
        <translation>&lt;i&gt;这是您提交的申请，须由其他主管审批。&lt;/i&gt;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Decision note: {note}</source>
        <translation>审批意见：{note}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Give a note saying why the request is rejected.</source>
        <translation>请填写驳回理由。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Request no. {id} approved and posted.</source>
        <translation>申请 {id} 已批准并入账。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Request no. {id}: approval {n} of {needed} recorded; a second supervisor must approve.</source>
        <translation>申请 {id}：已记录第 {n}/{needed} 个批准，还需另一位主管批准。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Request no. {id} {status}.</source>
        <translation>申请 {id}：{status}。</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/audit_viewer.py" line="+42"/>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Entity</source>
        <translation>对象</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Branch</source>
        <translation>机构</translation>
    </message>
</context>
<context>
    <name>AuditScreen</name>
    <message>
        <location line="+133"/>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verify integrity</source>
        <translation>校验完整性</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Check the hash chain of the whole trail (Ctrl+I)</source>
        <translation>校验整个审计日志的哈希链 (Ctrl+I)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export to Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Write the filtered trail to an Excel workbook (Ctrl+E)</source>
        <translation>将筛选后的审计日志导出为 Excel 工作簿 (Ctrl+E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;User</source>
        <translation>用户(&amp;U)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Member</source>
        <translation>会员(&amp;M)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Action</source>
        <translation>操作(&amp;A)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;From</source>
        <translation>从(&amp;F)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>T&amp;o</source>
        <translation>至(&amp;O)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>member no.</source>
        <translation>会员号</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>any date</source>
        <translation>不限</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Search</source>
        <translation>查询</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What changed</source>
        <translation>变更内容</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Before</source>
        <translation>变更前</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>After</source>
        <translation>变更后</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Event {id}: {user} — {action}{about}, at desk {desk}, {time}</source>
        <translation>事件 {id}：{user} — {action}{about}，柜台 {desk}，{time}</translation>
    </message>
    <message>
        <location line="-71"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+1"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>Newer</source>
        <translation>较新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Older</source>
        <translation>较早</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{name}: {value}</source>
        <translation>{name}：{value}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{first}–{last} of {total} events</source>
        <translation>第 {first}–{last} 条，共 {total} 条</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Select an event to see what changed.</source>
        <translation>选择一条记录查看变更内容。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Verifying the audit trail…</source>
        <translation>正在校验审计日志…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Verifying the audit trail</source>
        <translation>校验审计日志</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Audit trail intact: {n} events checked.</source>
        <translation>审计日志完整：已校验 {n} 条记录。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the event was changed after it was written</source>
        <translation>该记录写入后被修改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the link to the event before it is broken (an event was changed, removed or reordered)</source>
        <translation>与上一条记录的链接断开（有记录被修改、删除或调换顺序）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>an event is missing</source>
        <translation>缺少记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it does not match the saved digest</source>
        <translation>与保存的摘要不符</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>events at the end were removed</source>
        <translation>末尾的记录被删除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the check was cancelled</source>
        <translation>校验已取消</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Audit trail broken at event {row}: {problem}. {n} events before it are intact.</source>
        <translation>审计日志在第 {row} 条记录处被破坏：{problem}。此前的 {n} 条记录完整。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export the audit trail</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Exporting the audit trail</source>
        <translation>正在导出审计日志</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{n} events written to {file}.</source>
        <translation>已将 {n} 条记录写入 {file}。</translation>
    </message>
</context>
<context>
    <name>AuditValues</name>
    <message>
        <location filename="../../loyalty_desk/ui/audit_words.py" line="+326"/>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closed</source>
        <translation>已销户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Credit</source>
        <translation>增加</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Debit</source>
        <translation>扣减</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flagged</source>
        <translation>已标记</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Frozen</source>
        <translation>已冻结</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Inactive</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pending</source>
        <translation>待审批</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qualified</source>
        <translation>已达标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewarded</source>
        <translation>已奖励</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clawed back</source>
        <translation>已追回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Officer</source>
        <translation>柜员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Auditor</source>
        <translation>审计员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Marketing</source>
        <translation>营销</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown user</source>
        <translation>未知用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No password on this desk</source>
        <translation>本柜台无此用户密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wrong password</source>
        <translation>密码错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receipt printer</source>
        <translation>凭条打印机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF</source>
        <translation>PDF</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>AuditWords</name>
    <message>
        <location line="-332"/>
        <source>Approved a points adjustment</source>
        <translation>批准了积分调整</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled a points adjustment request</source>
        <translation>撤销了积分调整申请</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A points adjustment request expired</source>
        <translation>积分调整申请已过期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected a points adjustment</source>
        <translation>驳回了积分调整</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Requested a points adjustment</source>
        <translation>申请了积分调整</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exported the audit trail</source>
        <translation>导出了审计日志</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checked the audit trail&apos;s integrity</source>
        <translation>校验了审计日志完整性</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Account locked after failed sign-ins</source>
        <translation>多次登录失败，账户已锁定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Locked the desk</source>
        <translation>锁定了柜台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password change refused</source>
        <translation>修改密码被拒绝</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed the password</source>
        <translation>修改了密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign-in refused</source>
        <translation>登录被拒绝</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+278"/>
        <source>Signed out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location line="-277"/>
        <source>Unlocked the desk</source>
        <translation>解锁了柜台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Desk unlock refused</source>
        <translation>柜台解锁被拒绝</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Desk unlock refused for another user</source>
        <translation>其他用户解锁柜台被拒绝</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Created a branch</source>
        <translation>创建了网点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Created a campaign</source>
        <translation>创建了活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edited a draft campaign</source>
        <translation>修改了营销活动草稿</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Submitted a campaign for approval</source>
        <translation>提交营销活动审批</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved a campaign</source>
        <translation>批准了营销活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected a campaign</source>
        <translation>驳回了营销活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopped a campaign early</source>
        <translation>提前停止了营销活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Created a segment</source>
        <translation>新建会员分群</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed a segment</source>
        <translation>修改会员分群</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Built a batch of marketing messages</source>
        <translation>生成一批营销短信</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exported a batch of marketing messages for review</source>
        <translation>导出一批营销短信供审阅</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Imported the delivery results of marketing messages</source>
        <translation>导入营销短信送达结果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent a batch of marketing messages to the SMS platform</source>
        <translation>将一批营销短信发送到短信平台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed a member&apos;s message language or opt-out</source>
        <translation>修改会员短信语言或退订设置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Generated demonstration data</source>
        <translation>生成了演示数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exported pending approvals</source>
        <translation>导出了待审批事项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exported points expiring</source>
        <translation>导出了即将到期积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exported the branch daily journal</source>
        <translation>导出了网点日报</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exported the ledger</source>
        <translation>导出了积分流水</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Produced the points liability report</source>
        <translation>生成积分负债月报</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Produced the card service report</source>
        <translation>生成了发卡服务时效报表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exported the programme results</source>
        <translation>导出了积分计划成效</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exported members</source>
        <translation>导出了会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exported redemptions and stock</source>
        <translation>导出了兑换与库存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exported the referral report</source>
        <translation>导出了推荐报表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Imported points adjustments</source>
        <translation>导入了积分调整</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Imported members</source>
        <translation>导入了会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Imported card transactions</source>
        <translation>导入了卡交易</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ran the points expiry</source>
        <translation>执行了积分过期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ran the monthly tier review</source>
        <translation>执行了月度等级评定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded a card approval</source>
        <translation>记录了开卡审批</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registered a member</source>
        <translation>登记了会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revealed a member&apos;s full details</source>
        <translation>查看了会员完整信息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded a member&apos;s answer to an offer</source>
        <translation>记录了会员对营销建议的答复</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Moved a member down a tier</source>
        <translation>会员等级下调</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Moved a member up a tier</source>
        <translation>会员等级上调</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warned a member of a tier downgrade at the next review</source>
        <translation>提示会员下次评定将降级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lifted a member&apos;s tier downgrade warning</source>
        <translation>解除会员降级提示</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Froze a member</source>
        <translation>冻结了会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lifted a member&apos;s freeze</source>
        <translation>解除了会员冻结</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed a member&apos;s mobile</source>
        <translation>变更了会员手机号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed a member&apos;s address</source>
        <translation>变更了会员地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed a member&apos;s card</source>
        <translation>变更了会员卡号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closed a member&apos;s account</source>
        <translation>办理了会员销户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded a tier benefit used</source>
        <translation>登记了一次等级权益使用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Requested a manual tier override</source>
        <translation>申请人工调整会员等级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved a manual tier override</source>
        <translation>批准人工调整会员等级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected a manual tier override</source>
        <translation>拒绝人工调整会员等级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A manual tier override ended</source>
        <translation>人工调整会员等级到期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Proposed a programme rules change</source>
        <translation>提议修改计划规则</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved a programme rules change</source>
        <translation>批准计划规则修改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected a programme rules change</source>
        <translation>驳回计划规则修改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Withdrew a programme rules change</source>
        <translation>撤回计划规则修改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printed a redemption receipt</source>
        <translation>打印了兑换凭条</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redeemed a reward</source>
        <translation>兑换了礼品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reversed a redemption</source>
        <translation>冲正了兑换</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clawed back a referral reward</source>
        <translation>追回了推荐奖励</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cleared a flagged referral</source>
        <translation>放行了被标记的推荐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assigned referral codes</source>
        <translation>分配了推荐码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A flagged referral met a condition</source>
        <translation>被标记的推荐达成了条件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A referral expired</source>
        <translation>推荐已过期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A referral qualified</source>
        <translation>推荐已达标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registered a referral</source>
        <translation>登记了推荐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected a flagged referral</source>
        <translation>驳回了被标记的推荐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paid a referral reward</source>
        <translation>发放了推荐奖励</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Added a reward to the catalogue</source>
        <translation>在礼品目录中新增了礼品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed a reward in the catalogue</source>
        <translation>修改了礼品目录中的礼品</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Changed the programme settings</source>
        <translation>修改了积分计划设置</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Added a staff member</source>
        <translation>新增了员工</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deactivated a staff member</source>
        <translation>停用了员工</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset a staff member&apos;s password</source>
        <translation>重置了员工密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlocked a staff account</source>
        <translation>解锁了员工账户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Created the statement signing key</source>
        <translation>创建了对账单签名密钥</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printed a statement</source>
        <translation>打印了对账单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saved a statement</source>
        <translation>保存了对账单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Corrected reward stock</source>
        <translation>修正了礼品库存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received reward stock</source>
        <translation>礼品入库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reopened a sync exception</source>
        <translation>重新打开了同步异常</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolved a sync exception</source>
        <translation>处理了同步异常</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gave way to head office&apos;s record</source>
        <translation>以总行记录为准</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Head office refused an operation</source>
        <translation>总行拒绝了一项操作</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Points adjustments</source>
        <translation>积分调整</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign-in and desk lock</source>
        <translation>登录与柜台锁定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Staff accounts</source>
        <translation>员工账户</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+139"/>
        <source>Members</source>
        <translation>会员</translation>
    </message>
    <message>
        <location line="-138"/>
        <source>Redemptions</source>
        <translation>兑换</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Imports</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+329"/>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location line="-328"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reward catalogue</source>
        <translation>礼品目录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reward stock</source>
        <translation>礼品库存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referrals</source>
        <translation>推荐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Statements</source>
        <translation>对账单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exports</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scheduled jobs</source>
        <translation>定时任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tier overrides</source>
        <translation>等级调整</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Programme rules</source>
        <translation>计划规则</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Segments</source>
        <translation>会员分群</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Marketing messages</source>
        <translation>营销短信</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reward {name}</source>
        <translation>礼品 {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stock of {name}</source>
        <translation>{name} 的库存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redemption {name}</source>
        <translation>兑换单 {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adjustment request No. {name}</source>
        <translation>调整申请 {name} 号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Staff member {name}</source>
        <translation>员工 {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Member {name}</source>
        <translation>会员 {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Statement {name}</source>
        <translation>对账单 {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referral {name}</source>
        <translation>推荐 {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File {name}</source>
        <translation>文件 {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings: {name}</source>
        <translation>设置：{name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rules change No. {name}</source>
        <translation>规则修改第 {name} 号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Job run {name}</source>
        <translation>任务批次 {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Operation {name}</source>
        <translation>操作 {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branch {name}</source>
        <translation>网点 {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Campaign {name}</source>
        <translation>活动 {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Segment {name}</source>
        <translation>分群 {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message batch {name}</source>
        <translation>短信批次 {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Approvals</source>
        <translation>审批</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approvals needed</source>
        <translation>所需审批</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved by</source>
        <translation>审批人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>As of</source>
        <translation>截至</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Balance after</source>
        <translation>变动后余额</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+67"/>
        <location line="+207"/>
        <source>Branch</source>
        <translation>网点</translation>
    </message>
    <message>
        <location line="-273"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change</source>
        <translation>变动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closing balance</source>
        <translation>期末余额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Entries</source>
        <translation>条目数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evidence</source>
        <translation>凭证编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expires</source>
        <translation>到期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed attempts</source>
        <translation>失败次数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filters</source>
        <translation>筛选条件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First bad event</source>
        <translation>首个异常事件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Freeze reason</source>
        <translation>冻结原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Freeze note</source>
        <translation>冻结说明</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Frozen at</source>
        <translation>冻结时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Frozen by</source>
        <translation>冻结人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printed on</source>
        <translation>打印方式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Member no.</source>
        <translation>会员号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memo</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>English name</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chinese name</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not sent (to send again)</source>
        <translation>未发出（待重发）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Intact</source>
        <translation>完整</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On hand</source>
        <translation>现有库存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Operation</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Period from</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Period to</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points debited</source>
        <translation>扣减积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points posted</source>
        <translation>入账积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points released</source>
        <translation>释放积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points requested</source>
        <translation>申请积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points restored</source>
        <translation>恢复积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+4"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Offer</source>
        <translation>营销建议</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refused by the platform</source>
        <translation>被平台拒绝</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Answer</source>
        <translation>答复</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Referred member</source>
        <translation>被推荐会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referral code</source>
        <translation>推荐码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registered on</source>
        <translation>登记日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reward</source>
        <translation>礼品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Events checked</source>
        <translation>已校验事件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Statement no.</source>
        <translation>对账单号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stock after</source>
        <translation>变动后库存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Until</source>
        <translation>截至</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points written off</source>
        <translation>核销积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Posted balance</source>
        <translation>入账余额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points on hold</source>
        <translation>冻结积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Available points</source>
        <translation>可用积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>After failed attempts</source>
        <translation>失败次数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Already registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Members already done</source>
        <translation>已处理会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>At</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Branch name (English)</source>
        <translation>网点英文名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branch name (Chinese)</source>
        <translation>网点中文名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points budget</source>
        <translation>积分预算</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card approved on</source>
        <translation>开卡审批日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Code used</source>
        <translation>所用推荐码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Digest</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+18"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>Moved down</source>
        <translation>降级人数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ledger entry</source>
        <translation>积分流水编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mobile</source>
        <translation>手机号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First member no.</source>
        <translation>起始会员号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forced by</source>
        <translation>强制执行人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Goods</source>
        <translation>礼品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Head office</source>
        <translation>总行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last member no.</source>
        <translation>末尾会员号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last upgraded on</source>
        <translation>上次升级日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Downgrade warning given on</source>
        <translation>降级提示日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Downgrade to</source>
        <translation>降至</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Member&apos;s tier</source>
        <translation>会员当前等级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Locked until</source>
        <translation>锁定至</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Locked user</source>
        <translation>被锁定用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points lots</source>
        <translation>积分批次</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Members with points expired</source>
        <translation>积分过期会员数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Must change password</source>
        <translation>须修改密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Officer</source>
        <translation>柜员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Origin</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points expired</source>
        <translation>过期积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Posted</source>
        <translation>已入账</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qualifying event</source>
        <translation>达标事件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qualified on</source>
        <translation>达标日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qualifying points</source>
        <translation>定级积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referee&apos;s code</source>
        <translation>被推荐人推荐码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referral</source>
        <translation>推荐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referrer</source>
        <translation>推荐人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refusal</source>
        <translation>拒绝原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refusal details</source>
        <translation>拒绝详情</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refused resolution</source>
        <translation>被拒绝的处理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refused operation</source>
        <translation>被拒绝的操作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Requests filed</source>
        <translation>已提交申请</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolution</source>
        <translation>处理方式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolving operation</source>
        <translation>处理操作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolved at</source>
        <translation>处理时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolved by</source>
        <translation>处理人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lots restored</source>
        <translation>恢复批次</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reversed</source>
        <translation>已冲正</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reversed at</source>
        <translation>冲正时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reversed by</source>
        <translation>冲正人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Review</source>
        <translation>评定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reviewed</source>
        <translation>已评定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reward (English)</source>
        <translation>礼品英文名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reward (Chinese)</source>
        <translation>礼品中文名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewards</source>
        <translation>奖励</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewards pending until</source>
        <translation>奖励待发至</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rows already imported</source>
        <translation>已导入行数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rows posted</source>
        <translation>已入账行数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rows read</source>
        <translation>读取行数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rows skipped as invalid</source>
        <translation>无效跳过行数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid rows</source>
        <translation>有效行数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rows without points</source>
        <translation>无积分行数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tier upgrades</source>
        <translation>升级人数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transaction</source>
        <translation>交易流水号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Moved up</source>
        <translation>升级人数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Via</source>
        <translation>途径</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Was required</source>
        <translation>原为必需</translation>
    </message>
    <message>
        <location line="+129"/>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Time (UTC)</source>
        <translation>时间 (UTC)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Desk</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Changes</source>
        <translation>变更内容</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Action code</source>
        <translation>操作代码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reference</source>
        <translation>编号引用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hash</source>
        <translation>哈希</translation>
    </message>
</context>
<context>
    <name>BatchStatementsDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/statements.py" line="+302"/>
        <source>Batch statements</source>
        <translation>批量打印对账单</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Excel or CSV file with a member_no column</source>
        <translation>含 member_no 列的 Excel 或 CSV 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+15"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>All active members of the branch instead</source>
        <translation>改为本网点全部有效会员</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>One combined PDF</source>
        <translation>合并为一个 PDF</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+12"/>
        <source>Member list</source>
        <translation>会员名单</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Branch</source>
        <translation>网点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Period</source>
        <translation>对账期间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+13"/>
        <location line="+2"/>
        <source>Save to</source>
        <translation>保存到</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Excel or CSV (*.xlsx *.csv)</source>
        <translation>Excel 或 CSV (*.xlsx *.csv)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose where to save the statements.</source>
        <translation>请选择对账单的保存位置。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Choose a member list, or tick the branch option.</source>
        <translation>请选择会员名单，或勾选网点选项。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Writing statements…</source>
        <translation>正在生成对账单…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Writing statements</source>
        <translation>正在生成对账单</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{done} of {total} statements written.</source>
        <translation>已生成 {done}/{total} 份对账单。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancelled: {done} of {total} statements written.</source>
        <translation>已取消：已生成 {done}/{total} 份对账单。</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%Ln member(s) could not be found.</source>
        <translation>
            <numerusform>%Ln 位会员未找到。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BatchesModel</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/outreach/models.py" line="+49"/>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Segment</source>
        <translation>会员分群</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Messages</source>
        <translation>短信数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Left out</source>
        <translation>未发送人数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delivery</source>
        <translation>送达情况</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Built by</source>
        <translation>生成人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Built at</source>
        <translation>生成时间</translation>
    </message>
</context>
<context>
    <name>Benefits</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/member/benefits.py" line="+23"/>
        <source>Airport lounge visits</source>
        <translation>机场贵宾厅</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Car washes</source>
        <translation>洗车</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Airport fast-track</source>
        <translation>机场快速安检通道</translation>
    </message>
</context>
<context>
    <name>BenefitsPanel</name>
    <message>
        <location line="+37"/>
        <source>Tier benefits</source>
        <translation>等级权益</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use one</source>
        <translation>使用一次</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Record one use of the chosen benefit at the counter; no points are taken</source>
        <translation>在柜台登记所选权益使用一次；不扣积分</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>{benefit}: one used; {left} of {allowed} left this year.</source>
        <translation>{benefit}：已使用一次；今年剩余 {left} 次（共 {allowed} 次）。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{benefit}: {left} of {allowed} left this year</source>
        <translation>{benefit}：今年剩余 {left} 次（共 {allowed} 次）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The {tier} tier has no benefits.</source>
        <translation>{tier}等级没有专属权益。</translation>
    </message>
</context>
<context>
    <name>Campaigns</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/campaigns/dialogs.py" line="+25"/>
        <source>every branch</source>
        <translation>所有网点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} ({code}): {kind} {rule} on {sources}; tiers {tiers}; {branches}; {start} – {end}; budget {budget} points, per-member cap {cap}. Drafted by {maker}.</source>
        <translation>{name}（{code}）：{kind} {rule}，适用于{sources}；等级 {tiers}；{branches}；{start} – {end}；预算 {budget} 积分，每位会员上限 {cap}。由 {maker} 起草。</translation>
    </message>
    <message>
        <location filename="../../loyalty_desk/ui/screens/campaigns/models.py" line="+16"/>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waiting for approval</source>
        <translation>待审批</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved, scheduled</source>
        <translation>已批准，待开始</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Budget spent</source>
        <translation>预算已用完</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Points multiplier</source>
        <translation>积分倍数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fixed bonus per transaction</source>
        <translation>每笔交易固定奖励</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card journey: card approved within N days</source>
        <translation>开卡任务：N 天内批卡</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First-transaction gift</source>
        <translation>首刷有礼</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Spend target within N days</source>
        <translation>N 天内消费达标</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Best one applies (no stacking)</source>
        <translation>取最优一项（不叠加）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adds on top of other multipliers</source>
        <translation>在其他倍数之上叠加</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Card spend</source>
        <translation>信用卡消费</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Financing</source>
        <translation>融资</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On-time repayment</source>
        <translation>按时还款</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Profile completed</source>
        <translation>完善资料</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branch event</source>
        <translation>网点活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Survey</source>
        <translation>问卷调查</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card approved</source>
        <translation>信用卡获批</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>+{points} · approved in ≤ {days} d</source>
        <translation>+{points} · {days} 天内批卡</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>+{points} · first transaction</source>
        <translation>+{points} · 首笔刷卡</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>+{points} · {target} CNY in {days} d</source>
        <translation>+{points} · {days} 天内消费 {target} 元</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>+{points} points</source>
        <translation>+{points} 积分</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>+{points} points once, card approved within {days} days of application</source>
        <translation>一次性奖励 {points} 积分：申请后 {days} 天内批卡</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>+{points} points once, on the first card transaction after approval</source>
        <translation>一次性奖励 {points} 积分：批卡后首笔刷卡</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>+{points} points once, card spend of {target} CNY within {days} days of approval</source>
        <translation>一次性奖励 {points} 积分：批卡后 {days} 天内刷卡消费满 {target} 元</translation>
    </message>
</context>
<context>
    <name>CampaignsModel</name>
    <message>
        <location line="+10"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Window</source>
        <translation>活动期间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Budget</source>
        <translation>预算</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Awarded</source>
        <translation>已发放</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Left</source>
        <translation>剩余</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Members reached</source>
        <translation>覆盖会员</translation>
    </message>
</context>
<context>
    <name>CampaignsScreen</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/campaigns/screen.py" line="+215"/>
        <source>Campaigns</source>
        <translation>营销活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+163"/>
        <source>New campaign</source>
        <translation>新建营销活动</translation>
    </message>
    <message>
        <location line="-163"/>
        <source>Clear the form to draft a campaign (Ctrl+N)</source>
        <translation>清空表单以起草营销活动（Ctrl+N）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save draft</source>
        <translation>保存草稿</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save the draft (Ctrl+S)</source>
        <translation>保存草稿（Ctrl+S）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forecast</source>
        <translation>成本预测</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Replay last year&apos;s earnings through the form&apos;s rules (Ctrl+F)</source>
        <translation>用表单中的规则重放去年的积分获取（Ctrl+F）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Submit for approval</source>
        <translation>提交审批</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Send the saved draft to a second marketer</source>
        <translation>将已保存的草稿交给另一位营销人员审批</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approve or reject…</source>
        <translation>批准或驳回…</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+174"/>
        <source>Decide on a submitted campaign (a second person)</source>
        <translation>审批已提交的营销活动（须由另一人）</translation>
    </message>
    <message>
        <location line="-173"/>
        <source>Stop early…</source>
        <translation>提前停止…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stop an approved campaign now, with a reason</source>
        <translation>立即停止已批准的营销活动，须填写原因</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Code</source>
        <translation>代码(&amp;C)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Chinese &amp;name</source>
        <translation>中文名称(&amp;N)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;English name</source>
        <translation>英文名称(&amp;E)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Kind</source>
        <translation>类型(&amp;K)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Multiplier</source>
        <translation>倍数(&amp;M)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Bonus points</source>
        <translation>奖励积分(&amp;B)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>S&amp;tacking</source>
        <translation>叠加规则(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Earning sources</source>
        <translation>积分来源</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tiers</source>
        <translation>会员等级</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>B&amp;ranches</source>
        <translation>网点(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Se&amp;gment</source>
        <translation>分群(&amp;G)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;From / to</source>
        <translation>起止日期(&amp;F)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Bu&amp;dget (points)</source>
        <translation>预算（积分）(&amp;D)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Per-member &amp;cap</source>
        <translation>每位会员上限(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Spend tar&amp;get (CNY)</source>
        <translation>消费目标（元）(&amp;G)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Empty: made up when saved</source>
        <translation>留空：保存时自动生成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1.01 to 5, e.g. 2 for double points</source>
        <translation>1.01 至 5，例如 2 表示双倍积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empty: every branch; or codes such as BJ01, SH01</source>
        <translation>留空：所有网点；或填写网点代码，如 BJ01, SH01</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every member</source>
        <translation>全体会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empty: no cap</source>
        <translation>留空：不设上限</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>Approval &amp;within (days)</source>
        <translation>批卡时限（天）(&amp;W)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Target &amp;within (days)</source>
        <translation>达标时限（天）(&amp;W)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Campaign {code}</source>
        <translation>营销活动 {code}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Four eyes: you drafted or submitted this campaign, so a second marketer must approve or reject it.</source>
        <translation>双人复核：此营销活动由您起草或提交，须由另一位营销人员批准或驳回。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only {maker}, who drafted it, may edit or submit this draft.</source>
        <translation>只有起草人 {maker} 可以修改或提交此草稿。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>drafted by {who}</source>
        <translation>起草人 {who}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>submitted by {who}</source>
        <translation>提交人 {who}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>approved by {who}</source>
        <translation>批准人 {who}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rejected by {who}: {note}</source>
        <translation>{who} 驳回：{note}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stopped by {who}: {reason}</source>
        <translation>{who} 停止：{reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{spent} of {budget} points awarded to {members} members</source>
        <translation>已向 {members} 位会员发放 {spent} / {budget} 积分</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Correct the marked fields; nothing was saved.</source>
        <translation>请更正标出的字段；未保存任何内容。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Draft {code} saved. Submit it for a second marketer&apos;s approval.</source>
        <translation>草稿 {code} 已保存。请提交给另一位营销人员审批。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Campaign {code} submitted: a second marketer must approve it.</source>
        <translation>营销活动 {code} 已提交：须由另一位营销人员批准。</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Campaign {code} approved.</source>
        <translation>营销活动 {code} 已批准。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Campaign {code} rejected: back to draft.</source>
        <translation>营销活动 {code} 已驳回：退回草稿。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Campaign {code} stopped after {points} points.</source>
        <translation>营销活动 {code} 已停止，共发放 {points} 积分。</translation>
    </message>
</context>
<context>
    <name>CardJourneyPanel</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/member/card_journey.py" line="+31"/>
        <source>Card journey</source>
        <translation>新卡进度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No card has been approved for this member yet: the journey starts with the approval.</source>
        <translation>该会员尚无获批的卡：新卡进度从批卡开始。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Approved {approved}; the application date was not imported, so the {target}-day target cannot be judged.</source>
        <translation>{approved} 获批；未导入申请日期，无法判断是否达到 {target} 天的服务目标。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Approved {approved}, {days} days after the application: within the {target}-day target.</source>
        <translation>{approved} 获批，距申请 {days} 天：在 {target} 天的服务目标内。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Approved {approved}, {days} days after the application: over the {target}-day target.</source>
        <translation>{approved} 获批，距申请 {days} 天：超出 {target} 天的服务目标。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>First transaction done on {day}: {points} points.</source>
        <translation>首笔交易已于 {day} 完成：{points} 积分。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>First transaction not yet: it earns {points} points.</source>
        <translation>尚未完成首笔交易：完成可得 {points} 积分。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Spend target of {target} CNY reached on {day}: {points} points.</source>
        <translation>已于 {day} 达到 {target} 元消费目标：{points} 积分。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Spent {spent} of {target} CNY; {days} days left (until {deadline}) to earn {points} points.</source>
        <translation>已消费 {spent} 元（目标 {target} 元）；还剩 {days} 天（至 {deadline}），达标可得 {points} 积分。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Spent {spent} of {target} CNY by {deadline}: the spend target was not reached.</source>
        <translation>截至 {deadline} 消费 {spent} 元（目标 {target} 元）：未达到消费目标。</translation>
    </message>
</context>
<context>
    <name>CatalogueAdmin</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/catalogue_admin/models.py" line="+18"/>
        <source>Physical gift</source>
        <translation>实物礼品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voucher</source>
        <translation>电子券</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cash rebate</source>
        <translation>现金返还</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service privilege</source>
        <translation>服务权益</translation>
    </message>
</context>
<context>
    <name>CatalogueAdminScreen</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/catalogue_admin/screen.py" line="+184"/>
        <source>Reward catalogue</source>
        <translation>兑换目录</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+118"/>
        <source>New reward</source>
        <translation>新增礼品</translation>
    </message>
    <message>
        <location line="-118"/>
        <source>Clear the form to add a reward (Ctrl+N)</source>
        <translation>清空表单以新增礼品（Ctrl+N）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Code</source>
        <translation>代码(&amp;C)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Chinese &amp;name</source>
        <translation>中文名称(&amp;N)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;English name</source>
        <translation>英文名称(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C&amp;ategory</source>
        <translation>类别(&amp;A)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Points cost</source>
        <translation>所需积分(&amp;P)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cash &amp;value (CNY)</source>
        <translation>现金价值（元）(&amp;V)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Minimum &amp;tier</source>
        <translation>最低等级(&amp;T)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Offered</source>
        <translation>已介绍</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>From / to</source>
        <translation>起止日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Yearly limit</source>
        <translation>年度限兑(&amp;Y)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reward</source>
        <translation>兑换礼品</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Branch</source>
        <translation>机构(&amp;B)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Quantity</source>
        <translation>数量(&amp;Q)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>N&amp;ote</source>
        <translation>备注(&amp;O)</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>On hand</source>
        <translation>现有库存</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Only in a limited period</source>
        <translation>仅在限定期间提供</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Track stock at each branch</source>
        <translation>按机构管理库存</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+193"/>
        <source>Save reward</source>
        <translation>保存礼品</translation>
    </message>
    <message>
        <location line="-193"/>
        <source>Save the reward (Ctrl+S)</source>
        <translation>保存礼品（Ctrl+S）</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Record stock received</source>
        <translation>登记入库</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Delivery note, supplier… (optional)</source>
        <translation>送货单号、供应商等（选填）</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Add the quantity to the branch&apos;s stock on hand (Ctrl+Shift+S)</source>
        <translation>将数量计入该机构的现有库存（Ctrl+Shift+S）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Empty: unlimited</source>
        <translation>留空：不限</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Re&amp;ward</source>
        <translation>礼品(&amp;W)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Stock received</source>
        <translation>入库(&amp;S)</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>Edit reward {code}</source>
        <translation>编辑礼品 {code}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Choose a reward in the table.</source>
        <translation>请在表格中选择礼品。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{code}: stock is not tracked for this reward.</source>
        <translation>{code}：该礼品不管理库存。</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>The cash value is ¥0.00.</source>
        <translation>现金价值为 ¥0.00。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{points} points is far outside this catalogue&apos;s range ({low} to {high}).</source>
        <translation>{points} 积分远超出本目录的积分范围（{low} 至 {high}）。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Correct the marked fields; nothing was saved.</source>
        <translation>请更正标出的字段；未保存任何内容。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Press Save again to save it as it is.</source>
        <translation>再次点击保存即按原样保存。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save anyway</source>
        <translation>仍然保存</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Reward {code} saved.</source>
        <translation>礼品 {code} 已保存。</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Received {qty} × {code} at {branch}: {on_hand} on hand.</source>
        <translation>{branch} 已入库 {code} × {qty}，现有库存 {on_hand}。</translation>
    </message>
</context>
<context>
    <name>CatalogueModel</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/catalogue_admin/models.py" line="+62"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Chinese name</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>English name</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cash value</source>
        <translation>现金价值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Min. tier</source>
        <translation>最低等级</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Offered</source>
        <translation>已介绍</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Yearly limit</source>
        <translation>年度限兑</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Stock is not tracked</source>
        <translation>不管理库存</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Always</source>
        <translation>长期</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>from {day}</source>
        <translation>{day} 起</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>until {day}</source>
        <translation>至 {day}</translation>
    </message>
</context>
<context>
    <name>ChangePasswordPage</name>
    <message>
        <location filename="../../loyalty_desk/ui/signin.py" line="+276"/>
        <source>Loyalty Desk — Change password</source>
        <translation>积分柜台 — 修改密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a new password</source>
        <translation>设置新密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name}, your password was set by an administrator. Choose your own before you continue.</source>
        <translation>{name}，您的密码由管理员设置。请先设置您自己的密码再继续。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Current password</source>
        <translation>当前密码(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New password</source>
        <translation>新密码(&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Repeat new password</source>
        <translation>再次输入新密码(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>At least 8 characters, with both letters and digits, and not the current password.</source>
        <translation>至少 8 个字符，须同时包含字母和数字，且不能与当前密码相同。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign out</source>
        <translation>退出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to the sign-in page (Esc)</source>
        <translation>返回登录页面 (Esc)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Enter your current password and the new one.</source>
        <translation>请输入当前密码和新密码。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The two new passwords are not the same.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
</context>
<context>
    <name>ChangesModel</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/rules_admin.py" line="+80"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <source>Effective</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+2"/>
        <source>Proposed by</source>
        <translation>提议人</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Approved by</source>
        <translation>批准人</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <source>Changes</source>
        <translation>修改内容</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+1"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No.</source>
        <translation>编号</translation>
    </message>
</context>
<context>
    <name>ConfirmDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/redeem/dialogs.py" line="+47"/>
        <source>Confirm redemption</source>
        <translation>确认兑换</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redeem {qty} × {reward}?</source>
        <translation>兑换 {qty} × {reward}？</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Available now</source>
        <translation>当前可用积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Available after</source>
        <translation>兑换后可用积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redeem (Enter)</source>
        <translation>兑换（Enter）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel (Esc)</source>
        <translation>取消（Esc）</translation>
    </message>
</context>
<context>
    <name>CountedLineEdit</name>
    <message>
        <location filename="../../loyalty_desk/ui/widgets.py" line="+321"/>
        <source>At most {limit} characters: {n} typed.</source>
        <translation>最多 {limit} 个字符：已输入 {n} 个。</translation>
    </message>
</context>
<context>
    <name>DashboardScreen</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/dashboard/screen.py" line="+108"/>
        <source>Branch dashboard</source>
        <translation>网点看板</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reload this page (F5)</source>
        <translation>重新加载本页（F5）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Members served</source>
        <translation>服务会员数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redemptions</source>
        <translation>兑换笔数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points redeemed</source>
        <translation>兑换积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referrals registered</source>
        <translation>登记推荐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adjustments requested</source>
        <translation>申请手工调整</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adjustments waiting for approval</source>
        <translation>待审批的手工调整</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open approvals queue</source>
        <translation>打开审批队列</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open the approvals queue (F6)</source>
        <translation>打开审批队列（F6）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync exceptions open</source>
        <translation>未处理的同步异常</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open sync status</source>
        <translation>打开同步状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open the sync status and its exceptions</source>
        <translation>打开同步状态及其异常</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewards low on stock</source>
        <translation>库存不足的兑换品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The last 12 months</source>
        <translation>近 12 个月</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>%1 (%2 left)</source>
        <translation>%1（剩 %2）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>none at %1 or fewer</source>
        <translation>没有库存在 %1 件或以下的兑换品</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>All branches</source>
        <translation>全部网点</translation>
    </message>
</context>
<context>
    <name>DecisionDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/campaigns/dialogs.py" line="+65"/>
        <source>Approve or reject a campaign</source>
        <translation>批准或驳回营销活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Campaign {code}: approve or reject</source>
        <translation>营销活动 {code}：批准或驳回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Note (required to reject)</source>
        <translation>备注（驳回时必填）(&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Approve</source>
        <translation>批准(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reject</source>
        <translation>驳回(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>DocumentsScreen</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/documents.py" line="+107"/>
        <source>Statements and exports</source>
        <translation>对账单与导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Member statements</source>
        <translation>积分对账单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Batch statements…</source>
        <translation>批量打印对账单…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel exports</source>
        <translation>Excel 导出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Member list</source>
        <translation>会员名单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ledger for a period</source>
        <translation>期间积分流水</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points expiring (outreach list)</source>
        <translation>即将到期积分（外呼名单）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branch daily journal by officer</source>
        <translation>网点柜员日结</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redemptions and stock</source>
        <translation>兑换与库存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pending approvals</source>
        <translation>待审批</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referral report</source>
        <translation>推荐报表</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Export</source>
        <translation>导出内容(&amp;E)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Branch</source>
        <translation>网点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Period</source>
        <translation>对账期间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expiring within (days)</source>
        <translation>到期天数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export to Excel…</source>
        <translation>导出到 Excel…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Imports</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import new members…</source>
        <translation>导入新会员…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Register the good rows even when some rows are bad</source>
        <translation>有错误行时仍登记正确的行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New members</source>
        <translation>新会员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Earning transactions</source>
        <translation>积分交易</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Adjustment requests</source>
        <translation>手工调整申请</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Download template…</source>
        <translation>下载模板…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export to Excel</source>
        <translation>导出到 Excel</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+63"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>Exporting</source>
        <translation>正在导出</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{rows} rows exported to {path}.</source>
        <translation>已导出 {rows} 行到 {path}。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Import new members</source>
        <translation>导入新会员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Excel or CSV (*.xlsx *.csv)</source>
        <translation>Excel 或 CSV (*.xlsx *.csv)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Importing members</source>
        <translation>正在导入会员</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Nothing registered: %Ln problem(s). The error report is {path}.</source>
        <translation>
            <numerusform>未登记任何会员：共 %Ln 个问题。错误报告：{path}。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{registered} members registered, {already} already registered.</source>
        <translation>已登记 {registered} 名会员，{already} 名此前已登记。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Skipped rows are listed in {path}.</source>
        <translation>跳过的行见 {path}。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Download template</source>
        <translation>下载模板</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Template saved to {path}.</source>
        <translation>模板已保存到 {path}。</translation>
    </message>
</context>
<context>
    <name>DrillDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/results/screen.py" line="+319"/>
        <source>Behind the figure</source>
        <translation>指标明细</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 of %2 row(s) shown</source>
        <translation>已显示 %1 / 共 %2 行</translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/member/enrol.py" line="+41"/>
        <location line="+3"/>
        <source>Enrol new member</source>
        <translation>新会员开户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The ID, mobile and card are checked as the member import checks them; one held by another member is refused. The card, the address and a referrer&apos;s code may be left empty.</source>
        <translation>证件、手机号和卡号按会员导入的规则校验；已属于其他会员的将被拒绝。卡号、地址和推荐码可不填。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>11 digits starting with 1</source>
        <translation>以1开头的11位数字</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>16 digits (optional)</source>
        <translation>16位数字（可不填）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Referrer&apos;s code (optional)</source>
        <translation>推荐人的推荐码（可不填）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Name</source>
        <translation>姓名(&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;ID</source>
        <translation>证件(&amp;I)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Mobile</source>
        <translation>手机号(&amp;M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Card</source>
        <translation>卡号(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Address</source>
        <translation>地址(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Referred by</source>
        <translation>推荐人(&amp;R)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Enrol</source>
        <translation>开户</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ErrorMessages</name>
    <message>
        <location filename="../../loyalty_desk/messages.py" line="+22"/>
        <source>Wrong username or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This account is locked after too many failed sign-ins. Try again after {until}.</source>
        <translation>登录失败次数过多，账户已锁定。请于 {until} 之后再试。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The account {username} is disabled. Ask an administrator.</source>
        <translation>账户 {username} 已停用，请联系管理员。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only {locked_user} or a supervisor can unlock this desk.</source>
        <translation>只有 {locked_user} 本人或主管可以解锁本柜台。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: at least {minimum} characters, with both letters and digits.</source>
        <translation>{field}：至少 {minimum} 个字符，须同时包含字母和数字。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: choose a password different from the current one.</source>
        <translation>{field}：新密码不能与当前密码相同。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your role may not do this.</source>
        <translation>您的角色无权执行此操作。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A password change may be made only by the staff member whose password it is (staff {staff_id}).</source>
        <translation>只有密码所属的员工本人才能修改密码（员工 {staff_id}）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The password change of {username} does not keep the signing key head office holds (the password was reset since, or the change is forged). Sign in with the password head office set.</source>
        <translation>{username} 的密码修改未保留总行登记的签名密钥（此后密码已被重置，或该修改系伪造）。请使用总行设置的密码登录。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Your role may not {action}.</source>
        <translation>您的角色无权执行：{action}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: {value!r} is not allowed ({rule}).</source>
        <translation>{field}：不允许 {value}（{rule}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A staff account named {username} already exists.</source>
        <translation>员工账号 {username} 已存在。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: at least {minimum} characters with letters and digits.</source>
        <translation>{field}：至少 {minimum} 位，须包含字母和数字。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>You cannot change your own account this way.</source>
        <translation>不能用此方式修改自己的账号。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The account {username} is not locked.</source>
        <translation>账号 {username} 未被锁定。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A supervisor can unlock only officers of their own branch.</source>
        <translation>主管只能解锁本机构柜员的账号。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{field} is required.</source>
        <translation>请填写{field}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} should have {expected} characters, not {actual}.</source>
        <translation>{field}应为 {expected} 位，当前为 {actual} 位。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} may contain only: {allowed}.</source>
        <translation>{field}只能包含：{allowed}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: check digit should be {expected}, not {actual}</source>
        <translation>{field}：校验位应为 {expected}，而不是 {actual}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} contains an invalid birth date ({value}).</source>
        <translation>{field}中的出生日期无效（{value}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} must be 11 digits starting with 1.</source>
        <translation>{field}必须是以 1 开头的 11 位数字。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} may not contain control characters ({character} at position {position}).</source>
        <translation>{field}不能包含控制字符（第 {position} 个字符 {character}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} may not contain emoji or symbols ({character} at position {position}).</source>
        <translation>{field}不能包含表情符号或特殊符号（第 {position} 个字符 {character}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} may not contain the markup character {character} (position {position}).</source>
        <translation>{field}不能包含标记字符 {character}（第 {position} 个字符）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{field}: write a person&apos;s name either in Chinese characters or in Latin letters, not both.</source>
        <translation>{field}：个人姓名请全部用汉字或全部用拉丁字母书写，不要混用。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} may not contain {character}. A person&apos;s name holds Chinese characters (parts joined by ·), or Latin letters with spaces and &apos; or - between letters.</source>
        <translation>{field}不能包含 {character}。个人姓名只能由汉字（各部分之间用 · 连接）组成，或由拉丁字母组成（可含空格，字母之间可用 &apos; 或 -）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{field} may not contain {character}. A business name holds Chinese characters, Latin letters, digits, spaces and ( ) . , &amp; &apos; - ·</source>
        <translation>{field}不能包含 {character}。企业名称只能包含汉字、拉丁字母、数字、空格以及 ( ) . , &amp; &apos; - ·</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{field}: {character} may only stand between two letters of the name.</source>
        <translation>{field}：{character} 只能出现在姓名的两个字之间。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value} is not a member number (M followed by 10 digits).</source>
        <translation>{value} 不是有效的会员号（M 加 10 位数字）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Member number {member_no} is not from a block head office reserved to desk {desk}. A desk gives only numbers from its own blocks.</source>
        <translation>会员号 {member_no} 不在总行为网点 {desk} 预留的号段内。网点只能发放本网点号段内的会员号。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{field} should have {minimum} to {maximum} characters, not {actual}.</source>
        <translation>{field}应为 {minimum} 至 {maximum} 个字符，而不是 {actual} 个。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose an ID type.</source>
        <translation>请选择证件类型。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No {what} found for {key}.</source>
        <translation>未找到{what}：{key}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Give a reason of at least {minimum} characters.</source>
        <translation>请填写至少 {minimum} 个字的原因。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Give a reason of at least {minimum} characters to reveal the full ID and mobile.</source>
        <translation>查看完整证件号和手机号须填写至少 {minimum} 个字的原因。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The start date {date_from} is after the end date {date_to}.</source>
        <translation>开始日期 {date_from} 晚于结束日期 {date_to}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A history page holds {minimum} to {maximum} entries.</source>
        <translation>每页记录数应在 {minimum} 到 {maximum} 之间。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Invalid history position {value}.</source>
        <translation>无效的记录位置 {value}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This desk has fetched as many members of other regions from head office as it may today. Ask head office.</source>
        <translation>本机今天从总行调取其他区域会员的次数已达上限。请联系总行。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Points must be a positive number.</source>
        <translation>积分必须为正数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not enough points: {available:,} available, {requested:,} requested</source>
        <translation>积分不足：可用 {available}，需要 {requested}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This entry has already been reversed.</source>
        <translation>该笔记录已冲正。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Entry {entry_id} credited {points} points, but the member&apos;s lots hold only {available}: the points were spent</source>
        <translation>记账分录 {entry_id} 增加了 {points} 积分，但会员的积分批次只剩 {available}：积分已被使用</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Financing below the minimum amount earns no points</source>
        <translation>融资金额低于最低金额，不积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repayment after its due date earns no points</source>
        <translation>逾期还款不积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Survey limit for the year already reached</source>
        <translation>本年度问卷次数已达上限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The completed profile was already rewarded</source>
        <translation>完善资料的奖励已经发放过</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card approval recorded (no points)</source>
        <translation>已记录开卡批准（不积分）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The transaction earns no points</source>
        <translation>该交易不积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown earning source {source}</source>
        <translation>未知的积分来源 {source}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The file has no {column} column</source>
        <translation>文件中没有 {column} 列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Row {row}: {value} is not a member number.</source>
        <translation>第 {row} 行：{value} 不是有效的会员号。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Row {row} has {actual} fields but the header has {expected}</source>
        <translation>第 {row} 行有 {actual} 个字段，但表头有 {expected} 个</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: control character {character} at position {position} is not allowed.</source>
        <translation>{field}：第 {position} 个字符是控制字符 {character}，不允许。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: at most {maximum} characters, not {actual}.</source>
        <translation>{field}：最多 {maximum} 个字符，实际为 {actual} 个。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Row {row} cannot be read ({reason}); nothing was posted.</source>
        <translation>第 {row} 行无法读取（{reason}）；未入账任何内容。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file {file} is not {encoding}: byte {offset} (line {line}) cannot be read. Save it as UTF-8.</source>
        <translation>文件 {file} 不是 {encoding} 编码：第 {offset} 字节（第 {line} 行）无法读取。请另存为 UTF-8。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file has two {column} columns.</source>
        <translation>文件中有两个 {column} 列。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: {value} is not an amount: digits with an optional . and up to {decimals} decimals, at most {digits} digits before the point.</source>
        <translation>{field}：{value} 不是有效金额：只能是数字，可带小数点和最多 {decimals} 位小数，整数部分最多 {digits} 位。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{field}: {value} is not a number of points: digits only, with a leading - for a debit.</source>
        <translation>{field}：{value} 不是有效积分：只能是数字，调减时前面加 -。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} is required</source>
        <translation>请填写{field}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: {value} is not a date in the form {expected}</source>
        <translation>{field}：{value} 不是 {expected} 格式的日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: {value} is in the future</source>
        <translation>{field}：{value} 是将来的日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: {value} is negative</source>
        <translation>{field}：{value} 是负数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: unknown source {value} (allowed: {allowed})</source>
        <translation>{field}：未知的来源 {value}（允许：{allowed}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} is required for a repayment</source>
        <translation>还款交易必须填写{field}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: transaction {value} was imported before with other data; a transaction id is never reused</source>
        <translation>{field}：交易 {value} 以前已用其他数据导入过；交易流水号不得重复使用</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+4"/>
        <source>{field}: {value} already appears on row {first_row} of this file</source>
        <translation>{field}：{value} 已出现在本文件第 {first_row} 行</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>{field}: no member has the number {value}</source>
        <translation>{field}：没有会员号为 {value} 的会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file {file} cannot be read ({reason})</source>
        <translation>无法读取文件 {file}（{reason}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file {file} is not a supported type (allowed: {allowed})</source>
        <translation>文件 {file} 的类型不受支持（允许：{allowed}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{field}: {value} belongs to member {member_no} already</source>
        <translation>{field}：{value} 已属于会员 {member_no}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: no branch has the code {value}</source>
        <translation>{field}：没有代码为 {value} 的网点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: unknown member type {value} (allowed: {allowed})</source>
        <translation>{field}：未知的会员类型 {value}（允许：{allowed}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: a member with a unified social credit code is a business member</source>
        <translation>{field}：使用统一社会信用代码的会员是企业会员</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The member is frozen ({freeze_reason}): no redemption, referral or credit until a supervisor lifts the freeze.</source>
        <translation>该会员已冻结（{freeze_reason}）：在主管解除冻结前，不可兑换、推荐或入账积分。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The member is already frozen.</source>
        <translation>该会员已处于冻结状态。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The member is {status}, not frozen: there is no freeze to lift.</source>
        <translation>该会员状态为{status}，未被冻结：没有可解除的冻结。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The member&apos;s account is closed and cannot be changed.</source>
        <translation>该会员账户已销户，不能修改。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: choose one of the listed reasons.</source>
        <translation>{field}：请从列出的原因中选择一项。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: this is already the member&apos;s mobile.</source>
        <translation>{field}：这已是该会员的手机号。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: this is already the member&apos;s address.</source>
        <translation>{field}：这已是该会员的地址。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: this is already the member&apos;s card.</source>
        <translation>{field}：这已是该会员的卡号。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{held:,} points are held for a redemption waiting for head office: close the account once it is settled.</source>
        <translation>有 {held:,} 积分因兑换待总行确认而冻结：请待其结清后再销户。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The balance changed: {actual:,} points would be forfeited, not {expected:,}. Check the figures and confirm again.</source>
        <translation>余额已变动：将作废 {actual:,} 积分，而非 {expected:,}。请核对数字后再次确认。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{field}: forfeiting {points:,} points needs a second supervisor&apos;s approval.</source>
        <translation>{field}：作废 {points:,} 积分需另一位主管批准。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{username} is closing the account and cannot also approve the forfeit.</source>
        <translation>{username} 正在办理销户，不能同时批准积分作废。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{username} is not an active staff member.</source>
        <translation>{username} 不是在职员工。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{username} is not a supervisor ({role}): only a supervisor approves a forfeit.</source>
        <translation>{username} 不是主管（{role}）：只有主管可以批准积分作废。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{username} is of another branch: a supervisor of this branch or head office approves.</source>
        <translation>{username} 属于其他网点：须由本网点或总行的主管批准。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Member {member_no}&apos;s account is closed: no redemption, referral or earning.</source>
        <translation>会员 {member_no} 已销户：不能兑换、推荐或累积积分。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: no benefit is called {value} (the programme has: {allowed}).</source>
        <translation>{field}：没有名为 {value} 的权益（现有：{allowed}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: the {tier} tier does not include {benefit}.</source>
        <translation>{field}：{tier} 等级不含 {benefit}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All {allowed} of {benefit} for {year} are used ({used} taken).</source>
        <translation>{year} 年的 {benefit} 共 {allowed} 次已全部用完（已用 {used} 次）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The member is {status}: only an active member uses benefits.</source>
        <translation>该会员状态为 {status}：只有正常状态的会员可使用权益。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: only a card_approved row carries the application date (this row is {source}).</source>
        <translation>{field}：只有 card_approved 行可填写申请日期（本行为 {source}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: the application ({value}) cannot be after the approval ({approved_on}).</source>
        <translation>{field}：申请日期（{value}）不能晚于批准日期（{approved_on}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: already held by member {member_no}; open that member instead.</source>
        <translation>{field}：已属于会员 {member_no}，请改为打开该会员。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: this mobile belongs to member {member_no}; a mobile is one member&apos;s.</source>
        <translation>{field}：该手机号属于会员 {member_no}；一个手机号只能属于一位会员。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The member is {status}: only active members may redeem.</source>
        <translation>会员状态为{status}：仅正常状态的会员可兑换。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Needs the {required} tier (the member is {tier}).</source>
        <translation>需{required}及以上等级（该会员为{tier}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not offered today (offered {active_from} to {active_to}).</source>
        <translation>今日不在兑换期内（兑换期 {active_from} 至 {active_to}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Out of stock at this branch: {available} left, {requested} wanted.</source>
        <translation>本网点库存不足：剩余 {available}，需要 {requested}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Monthly cap of {cap:,} points: {remaining:,} left this month, {needed:,} needed.</source>
        <translation>每月兑换上限 {cap} 积分：本月剩余 {remaining}，需要 {needed}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Already {max} redemptions in {hours} hours; next one from {next_allowed_at}.</source>
        <translation>{hours} 小时内已兑换 {max} 次；{next_allowed_at} 后可再兑换。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Limit of {limit} a year reached ({used} taken this year).</source>
        <translation>已达每年 {limit} 次的限额（今年已兑换 {used} 次）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not enough points: {available:,} available, {needed:,} needed.</source>
        <translation>积分不足：可用 {available}，需要 {needed}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Offline: at most {limit:,} points a day per member ({used:,} used today, {needed:,} needed).</source>
        <translation>离线状态下每位会员每天最多兑换 {limit} 积分（今日已兑换 {used}，需要 {needed}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The quantity must be from 1 to {maximum}.</source>
        <translation>数量须为 1 至 {maximum}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The points cost of {reward_code} has changed; check the new figures and confirm again.</source>
        <translation>{reward_code} 的所需积分已变更，请核对后重新确认。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redemption {number} was already reversed on {reversed_at}.</source>
        <translation>兑换 {number} 已于 {reversed_at} 冲正。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redemption {number} is older than {days} days and can no longer be reversed.</source>
        <translation>兑换 {number} 已超过 {days} 天，不能再冲正。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Give a reason for the reversal.</source>
        <translation>请填写冲正原因。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: {value} is not allowed ({rule}).</source>
        <translation>{field}：不允许 {value}（{rule}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Code: 2 to 32 capital letters, digits, - or _.</source>
        <translation>代码：2 至 32 个大写字母、数字、- 或 _。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chinese name: 1 to 100 characters.</source>
        <translation>中文名称：1 至 100 个字符。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>English name: 1 to 100 characters.</source>
        <translation>英文名称：1 至 100 个字符。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a category.</source>
        <translation>请选择类别。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points cost: a whole number of points above 0.</source>
        <translation>所需积分：须为大于 0 的整数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cash value: an amount in CNY of at least 0, with at most 2 decimals.</source>
        <translation>现金价值：不小于 0 的人民币金额，最多 2 位小数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a minimum tier.</source>
        <translation>请选择最低等级。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The last day must be on or after the first day.</source>
        <translation>结束日期不能早于开始日期。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Yearly limit: empty (unlimited) or at least 1.</source>
        <translation>年度限兑：留空（不限）或至少为 1。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stock is not tracked for {value}.</source>
        <translation>{value} 不管理库存。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: enter a whole number of at least 1.</source>
        <translation>{field}：请输入不小于 1 的整数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stock of {reward_code} at {branch_code} cannot go below zero (on hand {on_hand}).</source>
        <translation>{branch_code} 的 {reward_code} 库存不能小于零（现有 {on_hand}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+34"/>
        <source>{field}: {value} is not an operation id.</source>
        <translation>{field}：{value} 不是有效的操作编号。</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>Not enough points at head office: {available:,} available, {requested:,} requested.</source>
        <translation>总行积分不足：可用 {available}，需要 {requested}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Head office refused the operation.</source>
        <translation>总行拒绝了该操作。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Head office&apos;s database refused the operation: it breaks the rule {constraint}.</source>
        <translation>总行数据库拒绝了该操作：它违反了规则 {constraint}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Head office&apos;s rules rejected the operation.</source>
        <translation>总行按规则拒绝了该操作。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Head office does not know operations of the kind {kind}.</source>
        <translation>总行不认识 {kind} 类型的操作。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Head office could not read the operation&apos;s details ({why}); nothing was applied.</source>
        <translation>总行无法读取该操作的内容（{why}），未执行任何变更。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Member {member_no} is not held by desk {desk} (another region&apos;s member it never looked up at head office, or one who moved away); nothing was applied.</source>
        <translation>柜台 {desk} 未持有会员 {member_no}（该会员属于其他区域且本柜台从未向总行查询过，或已迁往其他分行），未执行任何变更。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Head office already holds {column} {value} for another record: this desk&apos;s operation gave way to head office&apos;s copy and was reversed here.</source>
        <translation>总行已有另一条记录使用 {column} {value}：本柜台的操作已让位于总行的数据，并已在本柜台冲回。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A {table} row of member {member_no} was written on this desk outside any operation (a local import of an older release) and never reached head office. Head office&apos;s data replaced it.</source>
        <translation>会员 {member_no} 的一条 {table} 记录是在本柜台于操作之外写入的（旧版本的本地导入），从未送达总行，已由总行的数据取代。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Member {member_no} exists on this desk only; head office never registered it. The operation was not sent and was reversed here.</source>
        <translation>会员 {member_no} 只存在于本柜台，总行从未登记该会员。该操作未发送，已在本柜台冲回。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Head office&apos;s database refused the operation ({reason}). It was reversed here.</source>
        <translation>总行数据库拒绝了该操作（{reason}），已在本柜台冲回。</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>{value!r} is not a tier: give standard, silver, gold or platinum.</source>
        <translation>{value!r} 不是会员等级：请填写 standard、silver、gold 或 platinum。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Give the reason for the override in at least {minimum} characters (now {actual}).</source>
        <translation>请填写调整原因，至少 {minimum} 个字符（当前 {actual} 个）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+39"/>
        <source>The reason may have at most {maximum} characters (now {actual}).</source>
        <translation>原因最多 {maximum} 个字符（当前 {actual} 个）。</translation>
    </message>
    <message>
        <location line="-38"/>
        <source>Give the override&apos;s end date as YYYY-MM-DD, not {value!r}.</source>
        <translation>请按 YYYY-MM-DD 填写调整结束日期，而不是 {value!r}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The override must end after today ({today}), not on {ends_on}.</source>
        <translation>调整结束日期须晚于今天（{today}），不能是 {ends_on}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The member is already at tier {tier}: there is nothing to override.</source>
        <translation>会员已是 {tier} 等级，无需调整。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Member {member_no} already has a tier override waiting for approval or in force; one at a time.</source>
        <translation>会员 {member_no} 已有待审批或生效中的等级调整，同一时间只能有一项。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This override&apos;s end date ({ends_on}) has come; it can no longer be approved.</source>
        <translation>该调整的结束日期（{ends_on}）已到，不能再批准。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{value!r} is not a tier override number.</source>
        <translation>{value!r} 不是等级调整编号。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{setting} is not a setting of the programme&apos;s rules.</source>
        <translation>{setting} 不是计划规则中的设置项。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{setting} takes a whole number, not {value!r}.</source>
        <translation>{setting} 须为整数，不能是 {value!r}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{setting} takes a number such as 1.25, not {value!r}.</source>
        <translation>{setting} 须为数字（如 1.25），不能是 {value!r}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{setting} takes yes or no, not {value!r}.</source>
        <translation>{setting} 只能为是或否，不能是 {value!r}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{setting} may not be negative (given {value}).</source>
        <translation>{setting} 不能为负数（填写的是 {value}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{setting} must be at least {minimum} (given {value}).</source>
        <translation>{setting} 至少为 {minimum}（填写的是 {value}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{setting} may be at most {maximum} (given {value}).</source>
        <translation>{setting} 最多为 {maximum}（填写的是 {value}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{setting} must be a multiplier above {low} and at most {high} (given {value}).</source>
        <translation>{setting} 须为大于 {low}、不超过 {high} 的倍数（填写的是 {value}）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{setting} needs at least one reminder window.</source>
        <translation>{setting} 至少需要一个提醒期限。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{setting}: each window is 1 to 366 days (given {value}).</source>
        <translation>{setting}：每个期限为 1 至 366 天（填写的是 {value}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{setting}: give the windows shortest first, each once (given {value}).</source>
        <translation>{setting}：期限须由短到长排列，且不能重复（填写的是 {value}）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{setting}: {value!r} is not a product code (capital letters, digits, &apos;-&apos; or &apos;_&apos;, at most 20).</source>
        <translation>{setting}：{value!r} 不是产品代码（大写字母、数字、“-”或“_”，最多 20 个字符）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{setting}: the Standard tier starts at 0 qualifying points (given {value}).</source>
        <translation>{setting}：普通等级的达标积分须为 0（填写的是 {value}）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{setting}: tier thresholds must rise tier by tier; {value} is not above the {lower_tier} threshold of {lower_value}.</source>
        <translation>{setting}：等级门槛须逐级升高；{value} 没有高于{lower_tier}的门槛 {lower_value}。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Give the effective date as YYYY-MM-DD, not {value!r}.</source>
        <translation>请按 YYYY-MM-DD 填写生效日期，不能是 {value!r}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A rules change takes effect today ({today}) or later, not on {effective_on}.</source>
        <translation>规则修改只能从今天（{today}）或以后生效，不能是 {effective_on}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This change was to take effect on {effective_on}, before today ({today}); it can no longer be approved. Propose it again.</source>
        <translation>此修改原定于 {effective_on} 生效，早于今天（{today}），已不能批准。请重新提议。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The proposal changes no setting: every value is the one in force.</source>
        <translation>此提议没有修改任何设置：所有数值都与现行规则相同。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Give the reason for the change in at least {minimum} characters (now {actual}).</source>
        <translation>请填写修改原因，至少 {minimum} 个字符（现有 {actual} 个）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Say why the change is rejected.</source>
        <translation>请说明驳回此修改的原因。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The note may have at most {maximum} characters (now {actual}).</source>
        <translation>备注最多 {maximum} 个字符（现有 {actual} 个）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Four eyes: {username} proposed rules change {change_id} and may not decide it. A second administrator must approve or reject it.</source>
        <translation>双人复核：{username} 提议了规则修改 {change_id}，不能自行审批。须由另一位管理员批准或驳回。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Only the administrator who proposed rules change {change_id} may withdraw it.</source>
        <translation>只有提议规则修改 {change_id} 的管理员才能撤回它。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rules change {change_id} is already {status}; it cannot be decided again.</source>
        <translation>规则修改 {change_id} 已是{status}状态，不能再次审批。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value!r} is not a rules change number.</source>
        <translation>{value!r} 不是规则修改编号。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{field}: a campaign needs a name in Chinese and in English.</source>
        <translation>{field}：营销活动须有中文和英文名称。</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+24"/>
        <location line="+12"/>
        <source>{field}: at most {maximum} characters (now {actual}).</source>
        <translation>{field}：最多 {maximum} 个字符（现为 {actual}）。</translation>
    </message>
    <message>
        <location line="-35"/>
        <location line="+38"/>
        <source>{field}: {value!r} is not one of {allowed}.</source>
        <translation>{field}：{value!r} 不是以下之一：{allowed}。</translation>
    </message>
    <message>
        <location line="-37"/>
        <source>{field}: choose at least one.</source>
        <translation>{field}：请至少选择一项。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The multiplier must be a number from {minimum} to {maximum} with at most two decimals, not {value!r}.</source>
        <translation>倍数须为 {minimum} 至 {maximum} 之间、最多两位小数的数字，不能是 {value!r}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The bonus must be from {minimum} to {maximum} points, not {value}.</source>
        <translation>奖励积分须在 {minimum} 至 {maximum} 之间，不能是 {value}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: {value!r} is not a whole number of points.</source>
        <translation>{field}：{value!r} 不是整数积分。</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+30"/>
        <source>{field}: {value!r} is not a whole number.</source>
        <translation>{field}：{value!r} 不是整数。</translation>
    </message>
    <message>
        <location line="-29"/>
        <source>The number of days must be from {minimum} to {maximum}, not {value}.</source>
        <translation>天数须在 {minimum} 至 {maximum} 之间，不能为 {value}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The spend target must be from {minimum} to {maximum} CNY, not {value}.</source>
        <translation>消费目标须在 {minimum} 至 {maximum} 元之间，不能为 {value}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The budget must be more than 0 points (at most {maximum}), not {value}.</source>
        <translation>预算须大于 0 积分（最多 {maximum}），不能是 {value}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The per-member cap must be more than 0 points (at most {maximum}), not {value}.</source>
        <translation>每位会员上限须大于 0 积分（最多 {maximum}），不能是 {value}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The per-member cap ({cap}) may not be more than the whole budget ({budget}).</source>
        <translation>每位会员上限（{cap}）不能超过总预算（{budget}）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+25"/>
        <source>There is no branch {value!r}.</source>
        <translation>没有网点 {value!r}。</translation>
    </message>
    <message>
        <location line="-24"/>
        <location line="+102"/>
        <source>{field}: give a date as YYYY-MM-DD, not {value!r}.</source>
        <translation>{field}：日期格式应为 YYYY-MM-DD，不能是 {value!r}。</translation>
    </message>
    <message>
        <location line="-101"/>
        <source>A campaign may not start in the past: {starts_on} is before today ({today}).</source>
        <translation>营销活动不能从过去开始：{starts_on} 早于今天（{today}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The end date ({ends_on}) must not be before the start date ({starts_on}).</source>
        <translation>结束日期（{ends_on}）不能早于开始日期（{starts_on}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A campaign may run at most {maximum} days (this one {actual}).</source>
        <translation>营销活动最长 {maximum} 天（此活动 {actual} 天）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value!r} is not a campaign code: 3 to 32 capital letters, digits, - or _, starting with a letter or digit.</source>
        <translation>{value!r} 不是有效的活动代码：须为 3 至 32 个大写字母、数字、- 或 _，以字母或数字开头。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>There is already a campaign {value}.</source>
        <translation>已有营销活动 {value}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: at least {minimum} characters (now {actual}).</source>
        <translation>{field}：至少 {minimum} 个字符（现为 {actual}）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Campaign {campaign} is {status}; this needs it to be {allowed}.</source>
        <translation>营销活动 {campaign} 当前状态为 {status}；此操作要求状态为 {allowed}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Four eyes: {maker} drafted or submitted campaign {campaign}, so a second person must approve or reject it.</source>
        <translation>双人复核：营销活动 {campaign} 由 {maker} 起草或提交，须由另一人批准或驳回。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only {maker}, who drafted campaign {campaign}, may edit it.</source>
        <translation>只有起草营销活动 {campaign} 的 {maker} 可以修改它。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Campaigns are run by head office; {username} is not of head office.</source>
        <translation>营销活动由总行管理；{username} 不属于总行。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Campaign {campaign} ended on {ends_on}; it can no longer be submitted or approved.</source>
        <translation>营销活动 {campaign} 已于 {ends_on} 结束，不能再提交或批准。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The forecast was cancelled.</source>
        <translation>成本预测已取消。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no segment {value!r}.</source>
        <translation>没有分群 {value!r}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A segment code is 3 to 32 capital letters, digits, - or _, not {value!r}.</source>
        <translation>分群代码须为 3 至 32 个大写字母、数字、- 或 _，而不是 {value!r}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: a segment needs a name in Chinese and in English.</source>
        <translation>{field}：分群须有中文和英文名称。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{field}: give a number from {minimum} to {maximum}, not {value}.</source>
        <translation>{field}：请填写 {minimum} 至 {maximum} 之间的数，而不是 {value}。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The highest balance ({maximum}) must not be below the lowest balance ({minimum}).</source>
        <translation>最高余额（{maximum}）不得低于最低余额（{minimum}）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A dormant member has neither earned nor redeemed: leave the earned and redeemed periods empty with dormancy.</source>
        <translation>沉睡会员既未积分也未兑换：选择沉睡条件时，请将积分期和兑换期留空。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Segments are kept by head office; {username} is not of head office.</source>
        <translation>分群由总行维护；{username} 不属于总行。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{value!r} is not a reason for messages: give one of {allowed}.</source>
        <translation>{value!r} 不是发送短信的事由：请填写以下之一：{allowed}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value!r} is not a language for messages: give one of {allowed}.</source>
        <translation>{value!r} 不是短信语言：请填写以下之一：{allowed}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Give the opt-out as yes or no, not {value!r}.</source>
        <translation>是否退订请填写 yes 或 no，而不是 {value!r}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Member {member_no} already has this language and this choice about marketing messages.</source>
        <translation>会员 {member_no} 的短信语言和营销短信设置已是如此。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Outreach is run by head office; {username} is not of head office.</source>
        <translation>营销短信由总行发送；{username} 不属于总行。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no folder {value!r} to write the SMS file in.</source>
        <translation>没有可写入短信文件的文件夹 {value!r}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A campaign invitation names the campaign it invites to.</source>
        <translation>活动邀请须指明所邀请的营销活动。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Campaign {campaign} is not approved and open (it may have ended or spent its budget): nobody can be invited to it.</source>
        <translation>营销活动 {campaign} 未获批准或未在进行中（可能已结束或预算已用完），不能邀请会员参加。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The delivery report lacks the column(s) {missing}.</source>
        <translation>送达报告缺少以下列：{missing}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The batch was cancelled: nothing was recorded and no file was written.</source>
        <translation>已取消生成批次：未记录任何内容，也未写出文件。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This desk has no SMS platform settings (sms-platform.ini in the data folder): save the SMS file and hand it over instead.</source>
        <translation>本柜台没有短信平台设置（数据文件夹中的 sms-platform.ini）：请保存短信文件并另行提交。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Segment {segment} was changed meanwhile (version {actual}, you edited {expected}); open it again.</source>
        <translation>分群 {segment} 已被他人修改（现为第 {actual} 版，您编辑的是第 {expected} 版）；请重新打开。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{value!r} is not a kind of hint: expiring, tier_reach, popular_reward, dormant or refer_again.</source>
        <translation>{value!r} 不是营销建议的类型：应为 expiring、tier_reach、popular_reward、dormant 或 refer_again。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value!r} is not a hint of the kind {kind}.</source>
        <translation>{value!r} 不是 {kind} 类型的营销建议。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record the hint as {allowed}, not {value!r}.</source>
        <translation>营销建议的答复应记录为 {allowed} 之一，而不是 {value!r}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The response&apos;s business date should be YYYY-MM-DD, not {value!r}.</source>
        <translation>答复的营业日期应为 YYYY-MM-DD 格式，而不是 {value!r}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The hint {hint_key} is not offered to member {member_no} now; the member view shows today&apos;s hints again.</source>
        <translation>营销建议 {hint_key} 现在不适用于会员 {member_no}；会员视图将重新显示今天的营销建议。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The client is already a member ({member_no}, same {field}): an existing member cannot be referred.</source>
        <translation>该客户已是会员（{member_no}，{field}相同）：已有会员不能被推荐。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>{field}: {value} is not a month in the form YYYY-MM.</source>
        <translation>{field}：{value} 不是 YYYY-MM 格式的月份。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The month {value} has not started yet.</source>
        <translation>{value} 月尚未开始。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: the period ends ({value}) before it starts ({first}).</source>
        <translation>{field}：期间的结束月份（{value}）早于开始月份（{first}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: a period is at most {months} months long ({value} is too far).</source>
        <translation>{field}：期间最长 {months} 个月（{value} 超出范围）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: unknown tier {value} (allowed: {allowed})</source>
        <translation>{field}：未知等级 {value}（可选：{allowed}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: nothing to open behind {value} (allowed: {allowed})</source>
        <translation>{field}：{value} 没有可查看的明细（可选：{allowed}）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The operation lacks the {missing}&apos;s signature. Head office applies only operations signed by the staff who made and approved them.</source>
        <translation>该业务缺少{missing}的签名。总行只受理由经办和审批员工签名的业务。</translation>
    </message>
    <message>
        <location line="-428"/>
        <source>This desk is joined to head office ({central}), so accounts are not changed in its own store: head office would never learn of it and would refuse the person&apos;s operations. Do it at head office: loyalty-desk staff {action} ... --central URL</source>
        <translation>本柜台已加入总行（{central}），不能在本柜台的数据库中修改账户：总行不会知道此修改，并会拒绝此人的操作。请在总行办理：loyalty-desk staff {action} ... --central URL</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>{field} may not begin with {character}: a spreadsheet would take it for a formula</source>
        <translation>{field}不能以 {character} 开头：电子表格会把它当作公式</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>This desk is joined to head office ({central}) and syncs with head office, so it does not import {kind} itself: head office would never receive them. Import the file at head office: loyalty-desk import {kind} FILE --central URL</source>
        <translation>本柜台已加入总行（{central}）并与总行同步，不能自行导入 {kind}：总行永远不会收到这些数据。请在总行导入该文件：loyalty-desk import {kind} FILE --central URL</translation>
    </message>
    <message>
        <location line="+119"/>
        <source>This desk is joined to head office ({central}): head office runs &apos;{job}&apos; for every desk (loyalty-desk central run) and the results reach this desk through sync; run here it would change this desk&apos;s copy only</source>
        <translation>本柜台已加入总行（{central}）：“{job}”由总行为所有柜台运行（loyalty-desk central run），结果通过同步送达本柜台；在本柜台运行只会改动本柜台的副本</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Only a supervisor may resolve a sync exception.</source>
        <translation>只有主管可以处理同步异常。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose how to resolve the exception.</source>
        <translation>请选择异常的处理方式。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This exception was already resolved.</source>
        <translation>该异常已处理。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Explain the decision in at least {minimum} characters.</source>
        <translation>请用至少 {minimum} 个字说明处理理由。</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+180"/>
        <location line="+27"/>
        <source>The note may have at most {maximum} characters.</source>
        <translation>意见最多 {maximum} 个字。</translation>
    </message>
    <message>
        <location line="-205"/>
        <source>{field}: {value} is not a whole number of points.</source>
        <translation>{field}：{value} 不是整数积分。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The decision must be recorded by the signed-in supervisor {expected}.</source>
        <translation>处理决定须由当前登录的主管 {expected} 记录。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This exception is about member {expected}, not {value}.</source>
        <translation>该异常涉及会员 {expected}，而不是 {value}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The rejection gave back {expected:,} points, not {value:,}. Refresh the list and decide again.</source>
        <translation>被拒绝时退回的积分为 {expected}，而不是 {value}。请刷新列表后重新处理。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The rejection gave no points back, so there is nothing to take again as points owed. Choose another decision.</source>
        <translation>被拒绝时未退回任何积分，无可作为欠积分重新扣除的积分。请选择其他处理方式。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The goods of the rejected redemption are not named properly.</source>
        <translation>被拒绝兑换的礼品信息不完整。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A write-off needs the approval of a second supervisor.</source>
        <translation>核销须由另一位主管批准。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only a write-off is approved by a second supervisor.</source>
        <translation>只有核销需要另一位主管批准。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{username} is resolving this exception and cannot also approve the write-off. A second supervisor must.</source>
        <translation>{username} 正在处理该异常，不能同时批准核销，须由另一位主管批准。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The account {username} is disabled and cannot approve a write-off.</source>
        <translation>账号 {username} 已停用，不能批准核销。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{username} is not a supervisor. Only a supervisor can approve a write-off.</source>
        <translation>{username} 不是主管，只有主管可以批准核销。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{username} is a supervisor of another branch. A supervisor of this branch or of head office must approve.</source>
        <translation>{username} 是其他机构的主管，须由本机构或总行的主管批准。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This operation was already recorded with different details; start again.</source>
        <translation>该操作已按不同内容记录，请重新开始。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose credit or debit.</source>
        <translation>请选择增加或扣减。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a reason code.</source>
        <translation>请选择调整原因。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter the points: a whole number above 0.</source>
        <translation>请输入积分：大于 0 的整数。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>At most {maximum:,} points in one adjustment.</source>
        <translation>单笔调整最多 {maximum} 积分。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The memo needs at least {minimum} characters ({actual} so far).</source>
        <translation>备注至少 {minimum} 个字（目前 {actual} 个）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The memo may have at most {maximum} characters ({actual} now).</source>
        <translation>备注最多 {maximum} 个字（目前 {actual} 个）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This reason needs an evidence reference.</source>
        <translation>此调整原因须填写凭证编号。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The evidence reference may have at most {maximum} characters.</source>
        <translation>凭证编号最多 {maximum} 个字符。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A fraud reversal can only be a debit.</source>
        <translation>欺诈冲正只能扣减积分。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A goodwill adjustment is at most {maximum:,} points.</source>
        <translation>客户关怀调整最多 {maximum} 积分。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A debit cannot exceed the available balance of {available:,} points.</source>
        <translation>扣减不能超过可用积分 {available}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{username} made this request and cannot approve or reject it. Another supervisor must.</source>
        <translation>{username} 是申请人，不能审批本申请，须由其他主管审批。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{username} is not a supervisor. Only a supervisor can approve or reject.</source>
        <translation>{username} 不是主管，只有主管可以批准或驳回。</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+166"/>
        <source>{username} is a supervisor of another branch. A supervisor of this branch or of head office must decide.</source>
        <translation>{username} 是其他机构的主管，须由本机构或总行的主管审批。</translation>
    </message>
    <message>
        <location line="-163"/>
        <source>The account {username} is disabled and cannot approve.</source>
        <translation>账号 {username} 已停用，不能审批。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This request is already {status}.</source>
        <translation>此申请已处理（{status}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This request expired at {expires_at:%Y-%m-%d %H:%M} and can no longer be approved.</source>
        <translation>此申请已于 {expires_at} 失效，不能再审批。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{username} has already approved this request. A second, different supervisor must approve it.</source>
        <translation>{username} 已批准过此申请，须由另一位主管批准。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only the officer who made the request can cancel it.</source>
        <translation>只有申请人本人可以撤销申请。</translation>
    </message>
    <message>
        <location line="+117"/>
        <source>The SMS platform settings file {file} cannot be read: {reason}.</source>
        <translation>无法读取短信平台设置文件 {file}：{reason}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The SMS platform settings in {file}: url {value!r} is not an http:// or https:// address.</source>
        <translation>短信平台设置 {file}：url {value!r} 不是 http:// 或 https:// 地址。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The SMS platform settings in {file} give no token: set the environment variable {variable} or the file&apos;s token line.</source>
        <translation>短信平台设置 {file} 未提供令牌：请设置环境变量 {variable}，或在文件中填写 token 一行。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The SMS platform settings in {file}: timeout_seconds {value!r} is not a number of seconds from {low} to {high}.</source>
        <translation>短信平台设置 {file}：timeout_seconds {value!r} 不是 {low} 至 {high} 之间的秒数。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Give a note saying why the request is rejected.</source>
        <translation>请填写驳回理由。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The start date {since} is after the end date {until}.</source>
        <translation>开始日期 {since} 晚于结束日期 {until}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: give a whole number of points other than 0 (negative for a debit), not {value!r}</source>
        <translation>{field}：请输入不为 0 的整数积分（扣减为负数），而不是 {value}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: {value!r} is not a request number</source>
        <translation>{field}：{value} 不是申请编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: cannot sort by {value!r} (allowed: {allowed})</source>
        <translation>{field}：不能按 {value} 排序（允许：{allowed}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type the referrer&apos;s referral code.</source>
        <translation>请输入推荐人的推荐码。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{characters} cannot appear in a referral code (0-9 and A-Z without I, L, O, U).</source>
        <translation>推荐码中不能出现 {characters}（仅限 0-9 和 A-Z，不含 I、L、O、U）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A referral code has {expected} characters, not {actual}.</source>
        <translation>推荐码应为 {expected} 位，而不是 {actual} 位。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: {value} is not a valid referral code; a character is mistyped (check character does not match)</source>
        <translation>{field}：{value} 不是有效的推荐码：有字符输错了（校验字符不符）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No member has the referral code {value}.</source>
        <translation>没有会员使用推荐码 {value}。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Same {field} as the referrer {member_no}: a member cannot refer themself.</source>
        <translation>{field}与推荐人 {member_no} 相同：会员不能推荐自己。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The referrer {member_no} is a member of staff: staff may not refer clients for rewards.</source>
        <translation>推荐人 {member_no} 是本行员工：员工推荐客户不能获得奖励。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The referrer {member_no} already has {count} qualified referrals in {year} (at most {cap} a year).</source>
        <translation>推荐人 {member_no} 在 {year} 年已有 {count} 笔达标推荐（每年最多 {cap} 笔）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The referrer {member_no} is {status}: only active members may refer.</source>
        <translation>推荐人 {member_no} 状态为{status}：只有正常状态的会员可以推荐。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The member number {member_no} was taken meanwhile. Register again.</source>
        <translation>会员号 {member_no} 刚被占用，请重新登记。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This referral is no longer flagged; someone has already decided it.</source>
        <translation>该推荐已不在待审核状态，已有人处理。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Give a note saying what you checked.</source>
        <translation>请填写处理意见，说明核实了什么。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unknown referral status {value}.</source>
        <translation>未知的推荐状态 {value}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No Chinese font was found to print with. Install one, or set {env} to a TrueType font file.</source>
        <translation>未找到可用于打印的中文字体。请安装中文字体，或将 {env} 设为 TrueType 字体文件。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The period ends ({period_to}) before it starts ({period_from}).</source>
        <translation>截止日期（{period_to}）早于起始日期（{period_from}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The period starts on {value}, after today.</source>
        <translation>起始日期 {value} 晚于今天。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A statement covers at most {maximum_days} days.</source>
        <translation>一份对账单最多涵盖 {maximum_days} 天。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose 30, 60 or 90 days.</source>
        <translation>请选择 30、60 或 90 天。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The period ends ({date_to}) before it starts ({date_from}).</source>
        <translation>截止日期（{date_to}）早于起始日期（{date_from}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The export was cancelled; no file was written.</source>
        <translation>导出已取消，未生成文件。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: unknown period {value} (allowed: {allowed})</source>
        <translation>{field}：未知的期间 {value}（允许：{allowed}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: unknown language {value} (allowed: {allowed})</source>
        <translation>{field}：未知的语言 {value}（允许：{allowed}）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{field}: unknown export {value} (allowed: {allowed})</source>
        <translation>{field}：未知的导出类型 {value}（允许：{allowed}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The {kind} export is not available in this installation</source>
        <translation>本安装不提供 {kind} 导出</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A signature on the operation does not match: the operation was changed after it was signed, or the signature is forged.</source>
        <translation>业务上的签名不匹配：业务在签名后被改动，或签名系伪造。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The operation is signed with a key head office does not hold ({key_id}).</source>
        <translation>该业务所用的签名密钥（{key_id}）未在总行登记。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{username} signed with a key that was not valid when the operation was made.</source>
        <translation>{username} 所用的签名密钥在业务发生时无效。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{username}&apos;s account was disabled before the operation was made; the signature is refused.</source>
        <translation>{username} 的账户在业务发生前已停用，其签名不予受理。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{username} may not sign this kind of operation.</source>
        <translation>{username} 无权签署此类业务。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{username} is not staff of this desk&apos;s branch or of head office, so cannot sign its operations.</source>
        <translation>{username} 不属于本柜台所在网点或总行，不能签署本柜台的业务。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The operation was made at desk {origin} but sent by desk {desk}; a desk sends only its own operations.</source>
        <translation>该业务在柜台 {origin} 发生，却由柜台 {desk} 提交；柜台只能提交本柜台的业务。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The staff the operation names are not the staff who signed it.</source>
        <translation>业务中所列员工与实际签名的员工不符。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The operation says it was made at {made_at}, after head office received it. Check the desk&apos;s clock.</source>
        <translation>该业务的发生时间为 {made_at}，晚于总行收到的时间，请检查柜台时钟。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The desk that sent the operation is not registered at head office.</source>
        <translation>提交该业务的柜台未在总行登记。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your signing key is not unlocked at this desk. Sign in again.</source>
        <translation>您的签名密钥在本柜台尚未解锁，请重新登录。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The signing key could not be opened with this password. An administrator must reset the password.</source>
        <translation>无法用此密码打开签名密钥，请管理员重置密码。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../loyalty_desk/ui/errors.py" line="+25"/>
        <source>request adjustments</source>
        <translation>申请积分调整</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cancel adjustment requests</source>
        <translation>撤销调整申请</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>approve or reject adjustments</source>
        <translation>审批积分调整</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>see the approvals queue</source>
        <translation>查看审批队列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>manage staff accounts</source>
        <translation>管理员工账号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unlock staff accounts</source>
        <translation>解锁员工账号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>see staff accounts</source>
        <translation>查看员工账号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>read the audit trail</source>
        <translation>查看审计日志</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>verify the audit trail</source>
        <translation>校验审计日志</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>export the audit trail</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>register referrals</source>
        <translation>登记推荐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resolve flagged referrals</source>
        <translation>处理可疑推荐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>freeze a member</source>
        <translation>冻结会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lift a member&apos;s freeze</source>
        <translation>解除会员冻结</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>change a member&apos;s mobile</source>
        <translation>变更会员手机号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>see the card service report</source>
        <translation>查看发卡服务时效报表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>see another branch&apos;s service report</source>
        <translation>查看其他网点的服务时效报表</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mobile</source>
        <translation>手机号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Member number</source>
        <translation>会员号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card number</source>
        <translation>卡号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason code</source>
        <translation>调整原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memo</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evidence</source>
        <translation>凭证编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>意见</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+6"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branch</source>
        <translation>机构</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Initial password</source>
        <translation>初始密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referral code</source>
        <translation>推荐码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decision</source>
        <translation>处理方式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approving supervisor</source>
        <translation>批准主管</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolving supervisor</source>
        <translation>处理主管</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Operation id</source>
        <translation>操作编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected operation</source>
        <translation>被拒绝的操作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Goods</source>
        <translation>礼品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Effective date</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rules change</source>
        <translation>规则修改</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>staff account</source>
        <translation>员工账户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reward</source>
        <translation>礼品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>redemption</source>
        <translation>兑换</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>branch</source>
        <translation>网点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>referral</source>
        <translation>推荐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sync exception</source>
        <translation>同步异常</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rules change</source>
        <translation>规则修改</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Something went wrong. Please quote incident {incident} to support.</source>
        <translation>系统出现错误。请向技术支持提供事件编号 {incident}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The request was refused ({code}).</source>
        <translation>请求被拒绝（{code}）。</translation>
    </message>
</context>
<context>
    <name>ExceptionsModel</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/sync_status/models.py" line="+113"/>
        <source>Rejected</source>
        <translation>被拒时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Operation</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Operation id</source>
        <translation>操作编号</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/first_run.py" line="+39"/>
        <source>Set up Loyalty Desk</source>
        <translation>设置积分柜台</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This desk has no data yet. Choose how it will work; you can sign in right after.</source>
        <translation>本柜台还没有数据。请选择工作方式，完成后即可登录。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Standalone, with demo data (to try the desk or to train)</source>
        <translation>单机运行，使用演示数据（试用或培训）(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Connect to the central database (the desk login from head office IT)</source>
        <translation>连接总行中心数据库（使用总行 IT 分配的柜台账号）(&amp;C)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>e.g. bj01_desk03</source>
        <translation>例如 bj01_desk03</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Central &amp;URL:</source>
        <translation>中心数据库地址(&amp;U)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Desk name:</source>
        <translation>柜台名称(&amp;D)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Desk &amp;password:</source>
        <translation>柜台密码(&amp;P)：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Branch:</source>
        <translation>网点：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>C&amp;ontinue</source>
        <translation>继续(&amp;O)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Preparing the demo store</source>
        <translation>正在准备演示数据</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Central URL: give it as postgresql://HOST:PORT/DATABASE.</source>
        <translation>中心数据库地址：请按 postgresql://主机:端口/数据库 的格式填写。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Desk name: lower-case letters, digits and underscores, starting with a letter.</source>
        <translation>柜台名称：只能使用小写字母、数字和下划线，并以字母开头。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Desk password: required.</source>
        <translation>柜台密码：必须填写。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Connecting to central</source>
        <translation>正在连接中心数据库</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Central could not be reached or refused the desk login: %1</source>
        <translation>无法连接中心数据库，或柜台账号被拒绝：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Demo store ready with %1 members. Sign in as %2 with the password %3.</source>
        <translation>演示数据已准备好，共 %1 名会员。请用 %2 登录，密码为 %3。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connected to central; %1 changes pulled.</source>
        <translation>已连接中心数据库，已同步 %1 条变更。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Sign in</source>
        <translation>登录(&amp;S)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Cancelled; nothing was set up.</source>
        <translation>已取消，未做任何设置。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The setup failed (reference %1); details are in the log.</source>
        <translation>设置失败（编号 %1），详情见日志。</translation>
    </message>
</context>
<context>
    <name>FlaggedReferralsScreen</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/referrals/screen.py" line="+183"/>
        <source>Flagged referrals</source>
        <translation>可疑推荐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reload the list (F5)</source>
        <translation>重新加载列表（F5）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why it was flagged</source>
        <translation>标记原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other referrals with the same address, number block or day</source>
        <translation>地址、号段或登记日相同的其他推荐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Note</source>
        <translation>处理意见(&amp;N)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>what you checked (required)</source>
        <translation>核实情况（必填）</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Clear</source>
        <translation>解除标记</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Clear the flag: the referral can qualify (Ctrl+Enter)</source>
        <translation>解除标记：该推荐可以达标（Ctrl+Enter）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reject the referral: it will never be rewarded</source>
        <translation>驳回该推荐：将不会发放奖励</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{n} waiting for a decision</source>
        <translation>{n} 笔待处理</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Select a referral to see why it was flagged.</source>
        <translation>选择一笔推荐以查看标记原因。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No other referral shows the pattern: it concerns the referrer.</source>
        <translation>没有其他推荐出现相同情况：问题与推荐人本人有关。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Write what you checked in the note: a decision needs it.</source>
        <translation>请在备注中写明您核实的内容：作出决定需要备注。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Referral of {member} is now: {status}.</source>
        <translation>{member} 的推荐现在为：{status}。</translation>
    </message>
</context>
<context>
    <name>ForecastPanel</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/campaigns/panel.py" line="+50"/>
        <source>Cost forecast</source>
        <translation>成本预测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop computing the forecast</source>
        <translation>停止计算成本预测</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Press Forecast to replay last year&apos;s earnings through this campaign.</source>
        <translation>点击“成本预测”，用此活动的规则重放去年的积分获取。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Replaying the last 12 months of earnings…</source>
        <translation>正在重放最近 12 个月的积分获取…</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+34"/>
        <source>The forecast was cancelled.</source>
        <translation>成本预测已取消。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No day of this window falls in the last 12 months of earnings: nothing to replay.</source>
        <translation>此活动期间没有任何一天落在最近 12 个月的积分记录内：无可重放的数据。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The budget would run out on {day}.</source>
        <translation>预算将于 {day} 用完。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The budget would last the whole window.</source>
        <translation>预算足以覆盖整个活动期间。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Replaying {start} – {end}: {points} points to {members} members on {transactions} transactions, costing ¥{cost} at {value} CNY per 100 points ({used} % of the budget). {runs_out}</source>
        <translation>重放 {start} – {end}：{transactions} 笔交易向 {members} 位会员发放 {points} 积分，按每 100 积分 {value} 元计，成本 ¥{cost}（占预算 {used}%）。{runs_out}</translation>
    </message>
</context>
<context>
    <name>FreezeReasons</name>
    <message>
        <location filename="../../loyalty_desk/messages.py" line="+9"/>
        <source>Suspected fraud</source>
        <translation>疑似欺诈</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lost or stolen card</source>
        <translation>卡片遗失或被盗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>At the customer&apos;s request</source>
        <translation>客户本人申请</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deceased: estate being settled</source>
        <translation>客户已故：遗产处理中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Court or authority order</source>
        <translation>法院或有权机关要求</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Identity documents under review</source>
        <translation>身份证件审核中</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <location filename="../../loyalty_desk/ui/models.py" line="+147"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Description</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Balance</source>
        <translation>积分余额</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reference</source>
        <translation>参考号</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../loyalty_desk/ui/fmt.py" line="+60"/>
        <source>Standard</source>
        <translation>普通</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Silver</source>
        <translation>银卡</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gold</source>
        <translation>金卡</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Platinum</source>
        <translation>白金卡</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Frozen</source>
        <translation>冻结</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closed</source>
        <translation>已销户</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Officer</source>
        <translation>柜员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Auditor</source>
        <translation>审计员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Marketing</source>
        <translation>营销</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+49"/>
        <source>Resident ID</source>
        <translation>居民身份证</translation>
    </message>
    <message>
        <location line="-48"/>
        <location line="+49"/>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location line="-48"/>
        <location line="+49"/>
        <source>Passport</source>
        <translation>护照</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>Earn</source>
        <translation>积分获取</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redemption</source>
        <translation>积分兑换</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expiry</source>
        <translation>积分到期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Manual adjustment</source>
        <translation>手工调整</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reversal</source>
        <translation>冲正</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referral</source>
        <translation>推荐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clawback</source>
        <translation>追回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tier change</source>
        <translation>等级变更</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>monthly review</source>
        <translation>月度等级评定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>qualifying points reached</source>
        <translation>有效积分达标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>manual override</source>
        <translation>人工调整等级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>manual override ended</source>
        <translation>人工调整到期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>refused by head office</source>
        <translation>总行未通过</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Card spend</source>
        <translation>信用卡消费</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card refund</source>
        <translation>信用卡退款</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Financing drawdown</source>
        <translation>融资放款</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On-time repayment</source>
        <translation>按时还款</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Profile completed</source>
        <translation>完善资料</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branch event</source>
        <translation>网点活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Survey answered</source>
        <translation>问卷调查</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card journey</source>
        <translation>用卡旅程</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First card transaction</source>
        <translation>首笔用卡交易</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card spend target</source>
        <translation>用卡消费达标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Campaign bonus</source>
        <translation>营销活动奖励积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Campaign extra points</source>
        <translation>营销活动加赠积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Campaign: card approved quickly</source>
        <translation>营销活动：快速批卡奖励</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Campaign: first-transaction gift</source>
        <translation>营销活动：首刷有礼</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Campaign: spend target reached</source>
        <translation>营销活动：限期消费达标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referral reward</source>
        <translation>推荐奖励</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referral reward (referrer)</source>
        <translation>推荐人奖励</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Member number</source>
        <translation>会员号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card number</source>
        <translation>卡号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mobile number</source>
        <translation>手机号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 4 digits of mobile</source>
        <translation>手机号后四位</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start of a member, card or mobile number</source>
        <translation>会员号、卡号或手机号的前几位</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>{reward} × {quantity}</source>
        <translation>{reward} × {quantity}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reversal of redemption {number}</source>
        <translation>冲正兑换 {number}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Points expired</source>
        <translation>积分到期</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tier changed {old} -&gt; {new} ({reason})</source>
        <translation>会员等级由{old}调整为{new}（{reason}）</translation>
    </message>
    <message>
        <location filename="../../loyalty_desk/ui/screens/redeem/models.py" line="+18"/>
        <source>Gift</source>
        <translation>实物礼品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voucher</source>
        <translation>电子券</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cash rebate</source>
        <translation>现金返还</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service privilege</source>
        <translation>服务权益</translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <location filename="../../loyalty_desk/ui/signin.py" line="-120"/>
        <source>Desk locked</source>
        <translation>柜台已锁屏</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Locked for {name} at {time}. Only {name} or a supervisor can unlock it.</source>
        <translation>{name} 于 {time} 锁屏。只有 {name} 本人或主管可以解锁。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Username</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A supervisor who unlocks signs {name} out.</source>
        <translation>主管解锁后，{name} 将被退出登录。</translation>
    </message>
</context>
<context>
    <name>LookupResultsModel</name>
    <message>
        <location filename="../../loyalty_desk/ui/models.py" line="-67"/>
        <source>Member no.</source>
        <translation>会员号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mobile</source>
        <translation>手机号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tier</source>
        <translation>会员等级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Balance</source>
        <translation>积分余额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branch</source>
        <translation>网点</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{member_no} (provisional)</source>
        <translation>{member_no}（临时号）</translation>
    </message>
</context>
<context>
    <name>LookupScreen</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/lookup.py" line="+131"/>
        <source>Member lookup</source>
        <translation>会员查询</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enrol new member…</source>
        <translation>新会员开户…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enrol a walk-in client as a new member ({key})</source>
        <translation>为到店客户开立新会员（{key}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Member no., card, mobile or its last 4 digits, ID number, or name</source>
        <translation>会员号、卡号、手机号或其后四位、证件号码或姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type to search; ↑/↓ choose a member, Enter opens it (F2)</source>
        <translation>输入即查询；↑/↓ 选择会员，回车打开（F2）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reopen member no. {n} of those served today</source>
        <translation>重新打开今日已服务的第 {n} 位会员</translation>
    </message>
    <message numerus="yes">
        <location line="+49"/>
        <source>Served at this desk today: %n</source>
        <translation>
            <numerusform>本柜台今日已服务：%n 位</numerusform>
        </translation>
    </message>
    <message>
        <location line="+69"/>
        <source>“{text}” is not held at this desk (it holds its region&apos;s members), and head office cannot be reached to fetch it. Try again once connected.</source>
        <translation>本机未保存“{text}”（本机只保存本区域的会员），且无法连接总行调取。请在恢复连接后重试。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“{text}” is not held at this desk, and this desk has fetched as many members of other regions as it may today. Ask head office.</source>
        <translation>本机未保存“{text}”，且本机今天调取其他区域会员的次数已达上限。请联系总行。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No member matches “{text}”. Check the number, or try another handle.</source>
        <translation>没有与“{text}”匹配的会员。请核对号码，或换一种方式查询。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A new client? Enrol new member… ({key}).</source>
        <translation>新客户？请使用“新会员开户…”（{key}）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>More than {limit} members match: refine your search (more of the name, or a full number).</source>
        <translation>匹配的会员超过 {limit} 位：请缩小查询范围（输入更多姓名或完整号码）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{shown} of {total} shown</source>
        <translation>显示 {shown} / 共 {total} 位</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fetched from head office: this member is now kept at this desk.</source>
        <translation>已从总行调取：此会员此后保存在本机。</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%Ln member(s)</source>
        <translation>
            <numerusform>%Ln 位会员</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Searching by: {handle}</source>
        <translation>查询方式：{handle}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>↓/↑ choose a member, Enter opens it</source>
        <translation>↓/↑ 选择会员，Enter 打开</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Members served at this desk today, the latest first: ↓ and Enter, or Alt+1…9, reopens one.</source>
        <translation>本柜台今日已服务的会员，最近的在前：按 ↓ 再按 Enter，或按 Alt+1…9 重新打开。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PII is masked. Open a member to see their card.</source>
        <translation>个人信息已脱敏显示。打开会员可查看会员卡信息。</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>{count} members match: choose one with ↑/↓ and press Enter, or type more to narrow the search.</source>
        <translation>{count} 位会员符合：请用 ↑/↓ 选择一位后按 Enter，或继续输入以缩小范围。</translation>
    </message>
</context>
<context>
    <name>LotsModel</name>
    <message>
        <location filename="../../loyalty_desk/ui/models.py" line="+14"/>
        <source>Earned on</source>
        <translation>获取日期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Expires on</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Earned</source>
        <translation>获取积分</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Remaining</source>
        <translation>剩余积分</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../loyalty_desk/ui/main_window.py" line="+241"/>
        <source>Loyalty Desk — {name}</source>
        <translation>积分柜台 — {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loyalty Desk</source>
        <translation>积分柜台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Desk</source>
        <translation>柜台(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Lock desk</source>
        <translation>锁屏(&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lock the desk now (Ctrl+L)</source>
        <translation>立即锁屏（Ctrl+L）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign &amp;out</source>
        <translation>退出(&amp;O)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>关闭程序(&amp;Q)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Loyalty Desk</source>
        <translation>关于积分柜台(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The outcome of my adjustment requests</source>
        <translation>我的调整申请处理结果</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Standalone</source>
        <translation>单机运行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Online · {count} waiting</source>
        <translation>在线 · {count} 笔待确认</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offline · {count} waiting</source>
        <translation>离线 · {count} 笔待发送</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%Ln exception(s)</source>
        <translation>
            <numerusform>%Ln 笔异常</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No central database configured: this desk works on its local store.</source>
        <translation>未配置总行数据库：本柜台使用本地数据运行。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connected to head office ({desk}).</source>
        <translation>已连接总行（{desk}）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Head office cannot be reached: the desk keeps working and sends what waits when it can.</source>
        <translation>无法连接总行：柜台照常工作，待发送的操作将在恢复连接后发送。</translation>
    </message>
    <message>
        <location line="+186"/>
        <source>About Loyalty Desk</source>
        <translation>关于积分柜台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loyalty Desk {version}
The branch desk for the points loyalty programme.</source>
        <translation>积分柜台 {version}
网点积分忠诚度计划柜台系统。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Working…</source>
        <translation>处理中…</translation>
    </message>
</context>
<context>
    <name>MemberCare</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/member/care.py" line="+42"/>
        <source>Frozen: {reason}. No redemption, referral or credit until a supervisor lifts the freeze. {note} ({who}, {when})</source>
        <translation>已冻结：{reason}。在主管解除冻结前，不可兑换、推荐或入账积分。{note}（{who}，{when}）</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Unfreeze…</source>
        <translation>解除冻结…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lift the freeze, with a note; a supervisor only ({key})</source>
        <translation>解除冻结，需填写说明；仅限主管（{key}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Freeze…</source>
        <translation>冻结…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Freeze the member: no redemption, referral or credit until a supervisor lifts it ({key})</source>
        <translation>冻结会员：在主管解除前不可兑换、推荐或入账积分（{key}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Change the member&apos;s mobile; the old one stays in the audit trail ({key})</source>
        <translation>变更会员手机号；原号码保留在审计记录中（{key}）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Change mobile…</source>
        <translation>变更手机号…</translation>
    </message>
    <message>
        <location filename="../../loyalty_desk/ui/screens/member/care_dialog.py" line="+34"/>
        <source>{name} · {member_no}</source>
        <translation>{name} · {member_no}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>&amp;Note ({minimum}–{maximum} characters)</source>
        <translation>说明（{minimum}–{maximum} 个字符）(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../loyalty_desk/ui/screens/member/care.py" line="-95"/>
        <source>This account is closed: no redemption, referral or earning.</source>
        <translation>该账户已销户：不能兑换、推荐或累积积分。</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>Change the member&apos;s address; the old one stays in the audit trail ({key})</source>
        <translation>变更会员地址；原地址保留在审计记录中（{key}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change the member&apos;s card, e.g. after a loss; the old one stays in the audit trail ({key})</source>
        <translation>变更会员卡号（如挂失补卡）；原卡号保留在审计记录中（{key}）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Change details</source>
        <translation>变更资料</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change the member&apos;s mobile, address or card, or close the account</source>
        <translation>变更会员的手机号、地址或卡号，或办理销户</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close account…</source>
        <translation>销户…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close the account: its points go to a closing redemption or are forfeited with a second supervisor&apos;s approval ({key})</source>
        <translation>办理销户：积分用于销户兑换，或经另一位主管批准后作废（{key}）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Change address…</source>
        <translation>变更地址…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change card…</source>
        <translation>变更卡号…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Message preferences…</source>
        <translation>短信偏好…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The language of the member&apos;s marketing messages and their opt-out ({key})</source>
        <translation>会员营销短信的语言及是否退订 ({key})</translation>
    </message>
    <message>
        <location line="+56"/>
        <location line="+1"/>
        <source>Freeze member</source>
        <translation>冻结会员</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose a reason…</source>
        <translation>请选择原因…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Reason</source>
        <translation>原因(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What happened, and who reported it</source>
        <translation>发生了什么，由谁报告</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Freeze</source>
        <translation>冻结</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>While frozen the member keeps their points but cannot redeem, refer or receive credits. Only a supervisor can lift the freeze.</source>
        <translation>冻结期间会员积分保留，但不能兑换、推荐或入账积分。只有主管可以解除冻结。</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+1"/>
        <source>Lift the freeze</source>
        <translation>解除冻结</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>What was checked before lifting it</source>
        <translation>解除前核实了哪些情况</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unfreeze</source>
        <translation>解除冻结</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+1"/>
        <location line="+8"/>
        <source>Change mobile</source>
        <translation>变更手机号</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>{name} · {member_no} · mobile now {mobile}</source>
        <translation>{name} · {member_no} · 当前手机号 {mobile}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>11 digits starting with 1</source>
        <translation>以 1 开头的 11 位数字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New &amp;mobile</source>
        <translation>新手机号(&amp;M)</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+29"/>
        <source>e.g. the change form the member signed</source>
        <translation>例如：会员签署的变更申请表</translation>
    </message>
    <message>
        <location line="-10"/>
        <location line="+1"/>
        <location line="+10"/>
        <source>Change address</source>
        <translation>变更地址</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>The full postal address</source>
        <translation>完整的邮寄地址</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>New &amp;address</source>
        <translation>新地址(&amp;A)</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+1"/>
        <location line="+9"/>
        <source>Change card</source>
        <translation>变更卡号</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>{name} · {member_no} · card now {card}</source>
        <translation>{name} · {member_no} · 当前卡号 {card}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>16 digits</source>
        <translation>16位数字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New &amp;card</source>
        <translation>新卡号(&amp;C)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Why: e.g. card reported lost, renewal</source>
        <translation>原因：如挂失、换卡</translation>
    </message>
    <message>
        <location filename="../../loyalty_desk/ui/screens/member/closing.py" line="+33"/>
        <location line="+1"/>
        <location line="+19"/>
        <source>Close account</source>
        <translation>销户</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>No closing redemption</source>
        <translation>不做销户兑换</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Closing &amp;redemption</source>
        <translation>销户兑换(&amp;R)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A second supervisor, not you</source>
        <translation>另一位主管（不能是您本人）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Approved by</source>
        <translation>批准人(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Their &amp;password</source>
        <translation>批准人密码(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why the account closes, e.g. the member&apos;s signed request</source>
        <translation>销户原因，例如会员签署的申请</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{name} · {points} points</source>
        <translation>{name} · {points} 积分</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Balance {balance} points; {redeemed} to the closing redemption; {forfeited} forfeited, which a second supervisor approves.</source>
        <translation>余额 {balance} 积分；{redeemed} 用于销户兑换；{forfeited} 作废，须另一位主管批准。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Balance {balance} points; {redeemed} to the closing redemption; nothing forfeited.</source>
        <translation>余额 {balance} 积分；{redeemed} 用于销户兑换；无积分作废。</translation>
    </message>
    <message>
        <location filename="../../loyalty_desk/ui/screens/member/preferences.py" line="+29"/>
        <location line="+1"/>
        <source>Message preferences</source>
        <translation>短信偏好</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Messages in</source>
        <translation>短信语言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The member refuses marketing messages (opt-out)</source>
        <translation>会员拒收营销短信（退订）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How the member asked, e.g. at the counter, by the signed form</source>
        <translation>会员如何提出，例如柜台口头提出、签署的表格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save preferences</source>
        <translation>保存偏好</translation>
    </message>
</context>
<context>
    <name>MemberScreen</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/member/screen.py" line="+289"/>
        <source>Adjustments ({n} pending)</source>
        <translation>手工调整（{n} 笔待审批）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Adjustments</source>
        <translation>手工调整</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to lookup</source>
        <translation>返回查询</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Back to member lookup (Esc)</source>
        <translation>返回会员查询（Esc）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reveal ID and mobile…</source>
        <translation>查看完整证件号和手机号…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Show the full ID number and mobile; asks for a reason (Ctrl+R)</source>
        <translation>显示完整证件号码和手机号，须填写原因（Ctrl+R）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redeem…</source>
        <translation>兑换…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Redeem points for a reward (F4)</source>
        <translation>积分兑换礼品（F4）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refer a client…</source>
        <translation>推荐新客户…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Register a new client referred by this member (F12)</source>
        <translation>登记由该会员推荐的新客户（F12）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Statement…</source>
        <translation>对账单…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Points statement for a period: preview, print or save as PDF (Ctrl+P)</source>
        <translation>指定期间的积分对账单：预览、打印或另存为 PDF (Ctrl+P)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Referrals</source>
        <translation>推荐</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>Member no.</source>
        <translation>会员号</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Offer now ({n})</source>
        <translation>营销建议 ({n})</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+39"/>
        <source>Offer now</source>
        <translation>营销建议</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>Mobile</source>
        <translation>手机号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card</source>
        <translation>会员卡</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branch</source>
        <translation>网点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Member since</source>
        <translation>入会日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Available points</source>
        <translation>可用积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points balance</source>
        <translation>积分余额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Held (pending)</source>
        <translation>冻结积分（待处理）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expiring within {days} days</source>
        <translation>{days} 天内到期积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Type</source>
        <translation>类型(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;From</source>
        <translation>从(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>T&amp;o</source>
        <translation>至(&amp;O)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>any date</source>
        <translation>不限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>积分明细</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points lots</source>
        <translation>积分批次</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Benefits</source>
        <translation>权益</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+72"/>
        <source>Member {member_no}</source>
        <translation>会员 {member_no}</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>{rows} of {total} entries</source>
        <translation>已显示 {rows} / 共 {total} 条</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{member_no} (provisional)</source>
        <translation>{member_no}（临时号）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Given at this desk while head office could not be reached; head office gives the final number at the next sync.</source>
        <translation>在无法连接总行时由本柜台给出；下次同步时由总行给出正式会员号。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>no card</source>
        <translation>无卡</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Referral code {code}</source>
        <translation>推荐码 {code}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Points lots ({n})</source>
        <translation>积分批次（{n}）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{tier} member · {points} qualifying points in the last 12 months</source>
        <translation>{tier}会员 · 近 12 个月定级积分 {points}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Highest tier reached.</source>
        <translation>已是最高等级。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{points} points to reach {tier}</source>
        <translation>再获得 {points} 积分可升级为{tier}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Downgrade to {tier} due at the review on {date} unless {points} more points</source>
        <translation>除非再获得 {points} 积分，{date} 评定时将降为{tier}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{points} points by {date} to keep {tier}</source>
        <translation>须在 {date} 前获得 {points} 积分以保持{tier}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{tier} is kept at the review on {date}</source>
        <translation>{date} 复核时保持{tier}</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The member is frozen ({reason}).</source>
        <translation>会员已冻结（{reason}）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The freeze is lifted; the member may redeem again.</source>
        <translation>冻结已解除，会员可再次兑换。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The account is closed; {points} points forfeited.</source>
        <translation>账户已销户；作废 {points} 积分。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message preferences saved: messages in {language}, marketing messages {choice}.</source>
        <translation>短信偏好已保存：短信语言为{language}，营销短信{choice}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>refused</source>
        <translation>拒收</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>accepted</source>
        <translation>接收</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The address is changed; the old one is kept in the audit trail.</source>
        <translation>地址已变更；原地址保留在审计记录中。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The card is now {card}; the old one is kept in the audit trail.</source>
        <translation>卡号已变更为 {card}；原卡号保留在审计记录中。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The mobile is now {mobile}; the old one is kept in the audit trail.</source>
        <translation>手机号已变更为 {mobile}；原号码保留在审计记录中。</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Full ID and mobile shown; the reveal is recorded in the audit trail.</source>
        <translation>已显示完整证件号码和手机号，本次查看已记入审计日志。</translation>
    </message>
</context>
<context>
    <name>NewStaffDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/staff_admin.py" line="+65"/>
        <source>New staff account</source>
        <translation>新建员工账号</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>&amp;Username</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Name</source>
        <translation>姓名(&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Role</source>
        <translation>角色(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Branch</source>
        <translation>机构(&amp;B)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Initial password</source>
        <translation>初始密码(&amp;I)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>At least 8 characters with letters and digits; it must be changed at the first sign-in.</source>
        <translation>至少 8 位，须包含字母和数字；首次登录时必须修改。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>At least {n} characters, with letters and digits.</source>
        <translation>至少 {n} 个字符，须包含字母和数字。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>3 to 64 characters: lower-case letters, digits, “.”, “_” or “-”, starting with a letter.</source>
        <translation>3 至 64 个字符：小写字母、数字、“.”、“_”或“-”，以字母开头。</translation>
    </message>
</context>
<context>
    <name>NumberField</name>
    <message>
        <location filename="../../loyalty_desk/ui/widgets.py" line="-46"/>
        <source>{low} to {high}</source>
        <translation>{low} 至 {high}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A whole number from {range}</source>
        <translation>整数，范围 {range}</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Enter a whole number from {range}.</source>
        <translation>请输入 {range} 之间的整数。</translation>
    </message>
</context>
<context>
    <name>OfferPanel</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/member/hints.py" line="+58"/>
        <source>Offered</source>
        <translation>已介绍</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Record that the chosen hint was offered to the member</source>
        <translation>记录已向会员介绍所选建议</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Record that the member took up the chosen hint</source>
        <translation>记录会员接受了所选建议</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Declined</source>
        <translation>已谢绝</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Record that the member declined; the hint is not shown again today</source>
        <translation>记录会员谢绝；该建议今天不再显示</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Recorded as offered.</source>
        <translation>已记录为已介绍。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded as accepted; not shown again today.</source>
        <translation>已记录为已接受；今天不再显示。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded as declined; not shown again today.</source>
        <translation>已记录为已谢绝；今天不再显示。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{hint} (offered today)</source>
        <translation>{hint}（今天已介绍）</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%Ln hint(s) answered today</source>
        <translation>
            <numerusform>今天已答复 %Ln 条建议</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Nothing more to offer today; %Ln hint(s) answered.</source>
        <translation>
            <numerusform>今天没有更多营销建议；已答复 %Ln 条。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+30"/>
        <source>No activity for %Ln month(s), since {date}: invite the member back.</source>
        <translation>
            <numerusform>已 %Ln 个月无活动（自 {date} 起）：请邀请会员再次参与。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%Ln successful referral(s): invite the member to refer again ({points} points a qualified referral).</source>
        <translation>
            <numerusform>已成功推荐 %Ln 人：请邀请会员继续推荐（每个合格推荐奖励 {points} 积分）。</numerusform>
        </translation>
    </message>
    <message>
        <location line="-34"/>
        <source>Nothing to offer now.</source>
        <translation>目前没有营销建议。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>{points} points expire within {days} days (the first on {date}): they would buy {rewards}.</source>
        <translation>{points} 积分将在 {days} 天内到期（最早 {date}）：可兑换 {rewards}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{points} points expire within {days} days (the first on {date}): remind the member to use them.</source>
        <translation>{points} 积分将在 {days} 天内到期（最早 {date}）：请提醒会员及时使用。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{points} points to {tier} by {date}.</source>
        <translation>在 {date} 前再获得 {points} 积分即可升为{tier}。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Popular with {tier} members: {reward} for {cost} points ({count} redeemed in {days} days).</source>
        <translation>{tier}会员热门兑换：{reward}，{cost} 积分（{days} 天内兑换 {count} 次）。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{reward} ({points})</source>
        <translation>{reward}（{points} 积分）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>OutcomesButton</name>
    <message numerus="yes">
        <location filename="../../loyalty_desk/ui/outcomes.py" line="+76"/>
        <source>%n new outcome(s)</source>
        <translation>
            <numerusform>%n 条新结果</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>My requests</source>
        <translation>我的申请</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The outcome of your adjustment requests (Ctrl+Shift+O)</source>
        <translation>您的调整申请处理结果 (Ctrl+Shift+O)</translation>
    </message>
</context>
<context>
    <name>OutcomesDialog</name>
    <message>
        <location line="+11"/>
        <source>My adjustment requests</source>
        <translation>我的调整申请</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Your requests decided in the last 30 days; new ones are marked ●.</source>
        <translation>近 30 天内已处理的您的申请；新结果以 ● 标出。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>None of your requests was decided in the last 30 days.</source>
        <translation>近 30 天内您的申请均未处理。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Decided</source>
        <translation>处理时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>By</source>
        <translation>处理人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Note</source>
        <translation>意见</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>expired unanswered</source>
        <translation>未处理，已失效</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>Outreach</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/outreach/models.py" line="-38"/>
        <source>Points expiring within 30 days</source>
        <translation>积分 30 天内到期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points expiring within 60 days</source>
        <translation>积分 60 天内到期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points expiring within 90 days</source>
        <translation>积分 90 天内到期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Campaign invitation</source>
        <translation>活动邀请</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card journey nudge</source>
        <translation>用卡提醒</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>in the file</source>
        <translation>已写入文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accepted by the platform</source>
        <translation>平台已受理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>delivered</source>
        <translation>已送达</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>发送失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rejected</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>campaign {code}</source>
        <translation>活动 {code}</translation>
    </message>
</context>
<context>
    <name>OutreachScreen</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/outreach/screen.py" line="+148"/>
        <source>Outreach</source>
        <translation>营销短信</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export for review…</source>
        <translation>导出供审核…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The selected batch as an Excel workbook, mobiles masked (Ctrl+E)</source>
        <translation>将所选批次导出为 Excel 工作簿，手机号已遮蔽 (Ctrl+E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import delivery report…</source>
        <translation>导入送达报告…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The SMS platform&apos;s delivery report for the selected batch: CSV or XLSX with message_id and status (Ctrl+I)</source>
        <translation>所选批次的短信平台送达报告：含 message_id 和 status 列的 CSV 或 XLSX (Ctrl+I)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send to SMS platform</source>
        <translation>发送到短信平台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hand the selected batch&apos;s unsent messages to the SMS platform over HTTP (Ctrl+Shift+S)</source>
        <translation>通过 HTTP 将所选批次中未发送的短信提交给短信平台 (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Build batch</source>
        <translation>生成批次</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Write the messages and the SMS file with its checksum to the folder (Ctrl+B)</source>
        <translation>生成短信，并将短信文件及其校验文件写入文件夹 (Ctrl+B)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Build a batch</source>
        <translation>生成短信批次</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Segment</source>
        <translation>会员分群(&amp;S)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Reason</source>
        <translation>原因(&amp;R)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Campaign</source>
        <translation>活动(&amp;C)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SMS file &amp;folder</source>
        <translation>短信文件夹(&amp;F)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Where the SMS file and its .sha256 are written</source>
        <translation>短信文件及其 .sha256 校验文件的保存位置</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>This desk is joined to head office: a batch is built from the members this desk holds and is kept here.</source>
        <translation>本柜台已接入总行：批次按本柜台持有的会员生成，并保存在本柜台。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Select a batch to see who was left out and why, and its delivery results.</source>
        <translation>选择一个批次，查看未发送的会员及原因和送达结果。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{code}: {messages} messages. Left out: {opted_out} opted out, {no_mobile} without a valid mobile, {already} already messaged for this reason and period, {nothing} not concerned by the reason. Delivery: {delivery}. File {file}, SHA-256 {sha}…</source>
        <translation>{code}：{messages} 条短信。未发送：{opted_out} 人已退订，{no_mobile} 人无有效手机号，{already} 人本期已因此原因收到短信，{nothing} 人不涉及此原因。送达：{delivery}。文件 {file}，SHA-256 {sha}…</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>the campaign chosen</source>
        <translation>所选活动</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{month} (once a calendar month per member)</source>
        <translation>{month}（每位会员每自然月最多一次）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>SMS file folder</source>
        <translation>短信文件夹</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose the segment whose members are messaged.</source>
        <translation>请选择要发送短信的会员分群。</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+26"/>
        <source>Correct the marked fields; no batch was built.</source>
        <translation>请更正标记的字段；未生成批次。</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>Building the batch</source>
        <translation>正在生成批次</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Batch {code}: {messages} messages recorded and written to {file} (and its .sha256) in {folder}. Left out: {opted_out} opted out, {no_mobile} without a valid mobile, {already} already messaged, {nothing} not concerned.</source>
        <translation>批次 {code}：已记录 {messages} 条短信，并写入 {folder} 中的 {file}（及其 .sha256）。未发送：{opted_out} 人已退订，{no_mobile} 人无有效手机号，{already} 人已收到过，{nothing} 人不涉及。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Export for review</source>
        <translation>导出供审核</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{messages} messages written to {file} for review.</source>
        <translation>已将 {messages} 条短信写入 {file} 供审核。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Import delivery report</source>
        <translation>导入送达报告</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV or Excel (*.csv *.xlsx)</source>
        <translation>CSV 或 Excel (*.csv *.xlsx)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Delivery report for {code}: {rows} rows read, {updated} statuses changed, {unchanged} already so.</source>
        <translation>批次 {code} 的送达报告：读取 {rows} 行，更新 {updated} 条状态，{unchanged} 条状态已相同。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{n} rows name no message of this batch (e.g. {first}) and changed nothing.</source>
        <translation>{n} 行不是本批次的短信（如 {first}），未作任何更改。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{n} rows have a status the desk does not know (row {row}: {status!r}) and changed nothing.</source>
        <translation>{n} 行的状态无法识别（第 {row} 行：{status!r}），未作任何更改。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{n} rows could not be read (row {row} first) and changed nothing.</source>
        <translation>{n} 行无法读取（首个为第 {row} 行），未作任何更改。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Sending to the SMS platform</source>
        <translation>正在发送到短信平台</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Batch {code}: {pending} messages to send; {accepted} accepted by the SMS platform, {refused} refused, {not_sent} not sent (send again later).</source>
        <translation>批次 {code}：待发送 {pending} 条；短信平台受理 {accepted} 条，拒绝 {refused} 条，{not_sent} 条未发出（请稍后再次发送）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>First refusal: {message} ({reason}).</source>
        <translation>首条被拒：{message}（{reason}）。</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/staff_admin.py" line="+66"/>
        <source>Reset password of {user}</source>
        <translation>重置 {user} 的密码</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Temporary password</source>
        <translation>临时密码(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The user must change it at the next sign-in.</source>
        <translation>用户下次登录时必须修改。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/statements.py" line="-296"/>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Print on a printer chosen in the system dialog (Ctrl+P)</source>
        <translation>在系统对话框中选择打印机打印 (Ctrl+P)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Save as PDF…</source>
        <translation>另存为 PDF(&amp;S)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save a copy of this PDF (Ctrl+S)</source>
        <translation>保存此 PDF 的副本 (Ctrl+S)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Whole page</source>
        <translation>整页显示(&amp;W)</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>%Ln page(s)</source>
        <translation>
            <numerusform>共 %Ln 页</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>PendingAdjustmentsPanel</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/adjustments/panel.py" line="+50"/>
        <source>Supervisor approval…</source>
        <translation>主管审批…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A supervisor signs in here to approve or reject the selected request</source>
        <translation>主管在此登录，批准或驳回所选申请</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Request adjustment…</source>
        <translation>申请手工调整…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Request a manual credit or debit; a supervisor approves it (F7)</source>
        <translation>申请手工增加或扣减积分，须经主管审批 (F7)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel request</source>
        <translation>撤销申请</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Withdraw your own pending request</source>
        <translation>撤销您本人提交的待审批申请</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>No pending requests.</source>
        <translation>没有待审批的申请。</translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>%Ln pending request(s)</source>
        <translation>
            <numerusform>%Ln 笔待审批申请</numerusform>
        </translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Request no. {id}: {points} points for {member} ({reason}), made by {maker}.</source>
        <translation>申请 {id}：为 {member} 调整 {points} 积分（{reason}），申请人 {maker}。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Request no. {id} cancelled.</source>
        <translation>申请 {id} 已撤销。</translation>
    </message>
</context>
<context>
    <name>Progress</name>
    <message>
        <location filename="../../loyalty_desk/ui/tasks.py" line="+278"/>
        <source>Writing the audit trail to the workbook…</source>
        <translation>正在将审计日志写入工作簿…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checking the audit trail&apos;s hash chain…</source>
        <translation>正在校验审计日志的哈希链…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Writing pending approvals to the workbook…</source>
        <translation>正在将待审批事项写入工作簿…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Writing the points expiring to the workbook…</source>
        <translation>正在将即将到期积分写入工作簿…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Writing the branch daily journal to the workbook…</source>
        <translation>正在将网点日报写入工作簿…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Writing the ledger to the workbook…</source>
        <translation>正在将积分流水写入工作簿…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Writing the members to the workbook…</source>
        <translation>正在将会员写入工作簿…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Writing redemptions and stock to the workbook…</source>
        <translation>正在将兑换与库存写入工作簿…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Writing the referral report to the workbook…</source>
        <translation>正在将推荐报表写入工作簿…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Finding the points that expire…</source>
        <translation>正在查找到期积分…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Posting the expired points…</source>
        <translation>正在处理过期积分…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checking the rows…</source>
        <translation>正在检查各行…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Posting the rows…</source>
        <translation>正在入账…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reading the file…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Writing the messages for the segment&apos;s members…</source>
        <translation>正在为分群会员生成短信…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sending the messages to the SMS platform…</source>
        <translation>正在将短信发送到短信平台…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Building the statements…</source>
        <translation>正在生成对账单…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reading the members&apos; entries…</source>
        <translation>正在读取会员积分流水…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Writing the statements…</source>
        <translation>正在写入对账单…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving changes from head office…</source>
        <translation>正在接收总行的变更…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sending and receiving…</source>
        <translation>正在发送和接收…</translation>
    </message>
</context>
<context>
    <name>ProposalDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/rules_admin.py" line="+15"/>
        <source>Propose a rules change</source>
        <translation>提议修改规则</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>From {day} (after a second administrator approves):</source>
        <translation>自 {day} 起（经另一位管理员批准后）：</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Reason: {reason}</source>
        <translation>原因：{reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Propose</source>
        <translation>提议</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
</context>
<context>
    <name>ReceiptPrinterDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/printing.py" line="+120"/>
        <source>Receipt printer</source>
        <translation>凭条打印机</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Receipts print on this printer straight after each redemption, without a print dialog.</source>
        <translation>每次兑换后，凭条直接在此打印机上打印，不弹出打印对话框。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This computer has no printer installed. Install the receipt printer in the system settings, then choose it here.</source>
        <translation>本机未安装打印机。请先在系统设置中安装凭条打印机，再在此选择。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Printer</source>
        <translation>打印机(&amp;P)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Use this printer</source>
        <translation>使用此打印机</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>RedeemScreen</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/redeem/screen.py" line="+148"/>
        <source>Print the last receipt</source>
        <translation>打印上一张收据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the receipt printer</source>
        <translation>选择收据打印机</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Back to member</source>
        <translation>返回会员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Back to the member view (Esc)</source>
        <translation>返回会员视图（Esc）</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+24"/>
        <source>Redeem points · {member_no}</source>
        <translation>积分兑换 · {member_no}</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>&amp;Quantity</source>
        <translation>数量(&amp;Q)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Available now</source>
        <translation>当前可用积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Available after</source>
        <translation>兑换后可用积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redeem… (Enter)</source>
        <translation>兑换…（Enter）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Confirm the redemption of the chosen reward (Enter)</source>
        <translation>确认兑换所选礼品（Enter）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redemptions of this member</source>
        <translation>该会员的兑换记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reverse…</source>
        <translation>冲正…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reverse the chosen redemption; asks for a reason (Ctrl+Shift+R)</source>
        <translation>冲正所选兑换，需填写原因（Ctrl+Shift+R）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reprint receipt</source>
        <translation>补打凭条</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receipt printer… (F9)</source>
        <translation>凭条打印机…（F9）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Choose the printer receipts print on after each redemption (F9)</source>
        <translation>选择每次兑换后打印凭条的打印机（F9）</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Print the receipt of the chosen redemption again (Ctrl+Shift+P)</source>
        <translation>重新打印所选兑换的凭条（Ctrl+Shift+P）</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>No reward can be redeemed now: {reason}</source>
        <translation>当前无法兑换任何礼品：{reason}</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Available: {points} points</source>
        <translation>可用积分：{points}</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Redeemed {number}: {qty} × {reward}, {points} points. Available balance now {balance}.</source>
        <translation>已兑换 {number}：{qty} × {reward}，{points} 积分。当前可用积分 {balance}。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>No receipt printer chosen for this desk: F9 to choose one.</source>
        <translation>本柜台尚未选择凭条打印机：按 F9 选择。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Receipt printer {name} is not available: F9 to choose another.</source>
        <translation>凭条打印机 {name} 不可用：按 F9 选择其他打印机。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Receipts print on {name}.</source>
        <translation>凭条在 {name} 上打印。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The receipt was not printed: receipt printer {name} is not available.</source>
        <translation>凭条未打印：凭条打印机 {name} 不可用。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The receipt was not printed: no receipt printer is chosen for this desk.</source>
        <translation>凭条未打印：本柜台尚未选择凭条打印机。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Press F9 to choose the printer; the receipt then prints.</source>
        <translation>按 F9 选择打印机，随即打印凭条。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Receipt printed on {name}.</source>
        <translation>凭条已在 {name} 上打印。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The receipt could not be printed on {name}. Check the printer, then press F9 to print it (or choose another printer).</source>
        <translation>凭条无法在 {name} 上打印。请检查打印机，然后按 F9 打印（或选择其他打印机）。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Sending to head office…</source>
        <translation>正在发送至总行…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Confirmed by head office.</source>
        <translation>总行已确认。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Head office refused this redemption: {reason} The points were given back; a supervisor resolves it on the Sync status screen.</source>
        <translation>总行拒绝了此次兑换：{reason} 积分已退回；请主管在“同步状态”页面处理。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saved, waiting to send to head office.</source>
        <translation>已保存，等待发送至总行。</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Receipt {number}</source>
        <translation>兑换凭证 {number}</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Redemption {number} reversed: {points} points returned to their lots.</source>
        <translation>兑换 {number} 已冲正：{points} 积分已退回原批次。</translation>
    </message>
</context>
<context>
    <name>RedemptionsModel</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/redeem/models.py" line="+76"/>
        <source>Number</source>
        <translation>兑换编号</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Redeemed</source>
        <translation>已兑换</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Reward</source>
        <translation>兑换礼品</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Redeemed at</source>
        <translation>兑换时间</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reversed {when} by {who}: {reason}</source>
        <translation>已冲正（{when}，{who}）：{reason}</translation>
    </message>
</context>
<context>
    <name>ReferralDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/referrals/dialogs.py" line="+35"/>
        <location line="+3"/>
        <source>Register a referral</source>
        <translation>登记推荐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The new client becomes a member with their own number and referral code. Rewards follow once they qualify (financing or card use within 90 days).</source>
        <translation>新客户将成为会员，获得自己的会员号和推荐码。达标后（90 天内融资或用卡）发放奖励。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Referrer&apos;s &amp;code</source>
        <translation>推荐人推荐码(&amp;C)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Name</source>
        <translation>姓名(&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;ID</source>
        <translation>证件(&amp;I)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Mobile</source>
        <translation>手机号(&amp;M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Address</source>
        <translation>地址(&amp;A)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Register</source>
        <translation>登记</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open the new member</source>
        <translation>打开新会员</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Referred by {name} · {member_no} · branch {branch}</source>
        <translation>推荐人 {name} · {member_no} · 网点 {branch}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{name} is now member {member_no}, with referral code {code}.</source>
        <translation>{name} 已成为会员 {member_no}，推荐码 {code}。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The referral is flagged for a supervisor&apos;s review ({reasons}); it cannot qualify until it is cleared.</source>
        <translation>该推荐已被标记，需主管审核（{reasons}）；解除标记前不能达标。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The referral is registered. It qualifies when {name} draws a financing of 100,000 CNY or more, or activates a card and spends 500 CNY, within 90 days.</source>
        <translation>推荐已登记。{name} 在 90 天内提款 100,000 元及以上融资，或激活信用卡并消费满 500 元，即为达标。</translation>
    </message>
</context>
<context>
    <name>Referrals</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/referrals/models.py" line="+16"/>
        <source>Registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qualified, pending</source>
        <translation>已达标，待发放</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewarded</source>
        <translation>已奖励</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flagged for review</source>
        <translation>待审核（可疑）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clawed back</source>
        <translation>已追回</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Financing</source>
        <translation>融资</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card and spend</source>
        <translation>开卡并消费</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} referrals by this referrer on {day} (more than {threshold})</source>
        <translation>该推荐人在 {day} 登记了 {count} 笔推荐（超过 {threshold} 笔）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The referee lives in the referrer&apos;s building</source>
        <translation>被推荐人与推荐人住在同一栋楼</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mobile from the number block {prefix}xxxx shared with the referrer or another referee</source>
        <translation>手机号与推荐人或其他被推荐人同号段 {prefix}xxxx</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} referees registered at the same address</source>
        <translation>同一地址登记了 {count} 名被推荐人</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Many in a day</source>
        <translation>单日过多</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referrer&apos;s building</source>
        <translation>与推荐人同楼</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number block</source>
        <translation>同号段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same address</source>
        <translation>同地址</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>capped</source>
        <translation>已达上限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>clawed back</source>
        <translation>已追回</translation>
    </message>
</context>
<context>
    <name>ReferralsModel</name>
    <message>
        <location line="+55"/>
        <source>Registered</source>
        <translation>登记日期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Referrer</source>
        <translation>推荐人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Referee</source>
        <translation>被推荐人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Event</source>
        <translation>达标事件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referee pts</source>
        <translation>被推荐人积分</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Referrer pts</source>
        <translation>推荐人积分</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>2nd level pts</source>
        <translation>二级积分</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Officer</source>
        <translation>经办柜员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Flags</source>
        <translation>风险标记</translation>
    </message>
</context>
<context>
    <name>ReferralsPanel</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/referrals/panel.py" line="+61"/>
        <source>Referral code</source>
        <translation>推荐码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refer a client…</source>
        <translation>推荐新客户…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Register a new client referred by this member (F12)</source>
        <translation>登记由该会员推荐的新客户（F12）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Registered</source>
        <translation>登记日期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Event</source>
        <translation>达标事件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points for this member</source>
        <translation>本会员所得积分</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Referred by {member} {name} on {date} · {status}</source>
        <translation>由 {member} {name} 于 {date} 推荐 · {status}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Joined without a referral.</source>
        <translation>非推荐入会。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{points} referral points pending, the first available on {date}.</source>
        <translation>{points} 推荐积分待发放，最早于 {date} 可用。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No referral rewards pending.</source>
        <translation>没有待发放的推荐奖励。</translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>%Ln referral(s) made; their own referrals are shown beneath them.</source>
        <translation>
            <numerusform>已推荐 %Ln 人；其下显示他们各自的推荐。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No referrals made yet.</source>
        <translation>尚未推荐任何人。</translation>
    </message>
</context>
<context>
    <name>ReferralsScreen</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/referrals/screen.py" line="-178"/>
        <source>Referrals</source>
        <translation>推荐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reload the list (F5)</source>
        <translation>重新加载列表（F5）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export to Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save the referrals shown as an Excel workbook (recorded in the audit trail)</source>
        <translation>将显示的推荐保存为 Excel 工作簿（记入审计日志）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Status</source>
        <translation>状态(&amp;S)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Member</source>
        <translation>会员(&amp;M)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;From</source>
        <translation>从(&amp;F)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>T&amp;o</source>
        <translation>至(&amp;O)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>member no.</source>
        <translation>会员号</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>any date</source>
        <translation>不限日期</translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>%Ln referral(s)</source>
        <translation>
            <numerusform>%Ln 笔推荐</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Export referrals</source>
        <translation>导出推荐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Saved {file}.</source>
        <translation>已保存 {file}。</translation>
    </message>
</context>
<context>
    <name>Results</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/results/models.py" line="+19"/>
        <source>Physical gifts</source>
        <translation>实物礼品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vouchers</source>
        <translation>代金券</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cash rebates</source>
        <translation>现金返还</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service privileges</source>
        <translation>服务权益</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other (no redemption record)</source>
        <translation>其他（无兑换记录）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Claw-backs</source>
        <translation>扣回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Earnings reversed</source>
        <translation>积分冲正</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>n/a</source>
        <translation>不适用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Members (joined by the period&apos;s end)</source>
        <translation>会员数（期末前入会）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active members (earned or redeemed)</source>
        <translation>活跃会员（有积累或兑换）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Participation rate (active / members)</source>
        <translation>参与率（活跃 ÷ 会员）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active in the previous period</source>
        <translation>上一期活跃会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active in both periods</source>
        <translation>两期均活跃的会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retention rate</source>
        <translation>留存率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points issued</source>
        <translation>发放积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points redeemed</source>
        <translation>兑换积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points expired</source>
        <translation>过期积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redemption rate (redeemed / issued)</source>
        <translation>兑换率（兑换 ÷ 发放）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Breakage (expired / issued)</source>
        <translation>沉淀率（过期 ÷ 发放）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referral conversion (rewarded and kept / registered)</source>
        <translation>推荐转化率（已奖励且未追回 ÷ 已登记）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Member number</source>
        <translation>会员号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reference</source>
        <translation>参考号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Moved up</source>
        <translation>升级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Moved down</source>
        <translation>降级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Members not held here</source>
        <translation>本库未持有的会员</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qualified</source>
        <translation>已达标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewarded</source>
        <translation>已奖励</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clawed back</source>
        <translation>已追回</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flagged</source>
        <translation>待核查</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
</context>
<context>
    <name>ResultsScreen</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/results/screen.py" line="-191"/>
        <source>Programme results</source>
        <translation>积分计划成效</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reload this page (F5)</source>
        <translation>重新加载本页（F5）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From</source>
        <translation>起始月</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To</source>
        <translation>截止月</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branch</source>
        <translation>网点</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+36"/>
        <source>Tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <location line="-35"/>
        <location line="+146"/>
        <source>Export to Excel</source>
        <translation>导出 Excel</translation>
    </message>
    <message>
        <location line="-146"/>
        <source>Save this view as an Excel workbook with its charts</source>
        <translation>将当前视图连同图表保存为 Excel 工作簿</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+151"/>
        <source>Export to PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <location line="-151"/>
        <source>Save this view as a PDF</source>
        <translation>将当前视图保存为 PDF</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active members</source>
        <translation>活跃会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Participation rate</source>
        <translation>参与率</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+96"/>
        <source>Points issued</source>
        <translation>发放积分</translation>
    </message>
    <message>
        <location line="-95"/>
        <location line="+97"/>
        <source>Points redeemed</source>
        <translation>兑换积分</translation>
    </message>
    <message>
        <location line="-96"/>
        <source>Redemption rate</source>
        <translation>兑换率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retention rate</source>
        <translation>留存率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card spend of participants against eligible members who did not take part</source>
        <translation>参与会员与未参与的合资格会员卡消费对比</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Double-click a row to see the entries or members behind it. Members count under their home branch and tier as they are now.</source>
        <translation>双击一行可查看其背后的记账明细或会员。会员按其当前所属网点及等级统计。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>All tiers</source>
        <translation>全部等级</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Summary</source>
        <translation>概览</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>By month</source>
        <translation>按月</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>By source</source>
        <translation>按来源</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>By category</source>
        <translation>按类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tiers</source>
        <translation>等级分布</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Referrals</source>
        <comment>the tab of the referral funnel</comment>
        <translation>推荐漏斗</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tier moves</source>
        <translation>等级变动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Campaigns</source>
        <translation>营销活动</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <location line="+1"/>
        <source>CNY</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Issued</source>
        <translation>发放</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Redeemed</source>
        <translation>兑换</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Expired</source>
        <translation>过期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <location line="+4"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Entries</source>
        <translation>笔数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Redemptions</source>
        <translation>兑换次数</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+68"/>
        <source>Members</source>
        <translation>会员数</translation>
    </message>
    <message>
        <location line="-67"/>
        <source>Home branch</source>
        <translation>所属网点</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+70"/>
        <source>Moved up</source>
        <translation>升级</translation>
    </message>
    <message>
        <location line="-70"/>
        <location line="+70"/>
        <source>Moved down</source>
        <translation>降级</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+72"/>
        <source>Referrals</source>
        <translation>推荐数</translation>
    </message>
    <message>
        <location line="-71"/>
        <location line="+1"/>
        <source>Campaign</source>
        <translation>活动</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Members reached</source>
        <translation>触达会员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cost (CNY)</source>
        <translation>成本（元）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Months compared</source>
        <translation>比较月份</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Participants</source>
        <translation>参与会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Average spend (CNY)</source>
        <translation>人均消费（元）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Eligible, not taking part</source>
        <translation>未参与的合资格会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Average spend (CNY)</source>
        <comment>of the members not taking part</comment>
        <translation>人均消费（元）</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Incremental spend (CNY)</source>
        <translation>增量消费（元）</translation>
    </message>
    <message>
        <location line="-29"/>
        <source>Incremental spend = (average card spend of participants − average of eligible members not taking part) × participants, over the months of the period the campaign ran in, net of refunds and reversals; return per CNY = incremental spend ÷ cost. Participants: the members the campaign awarded in the period. Eligible: members of its branches (every branch when it names none) and tiers who had joined by the period&apos;s end. * A segment campaign&apos;s segment is not evaluated: the members of its branches and tiers stand for those eligible.</source>
        <translation>增量消费 =（参与会员人均卡消费 − 未参与的合资格会员人均卡消费）× 参与会员数，比较期内活动进行的月份，消费已扣除退款及冲正；每元回报 = 增量消费 ÷ 成本。参与会员：期内获得活动奖励的会员。合资格会员：活动网点（未指定则全部网点）及等级内、期末前入会的会员。* 细分客群活动未逐一评估客群：以其网点及等级的会员作为合资格会员。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Return per CNY</source>
        <translation>每元回报</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Reading the programme results</source>
        <translation>正在读取积分计划成效</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>All branches</source>
        <translation>全部网点</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Saved {file}.</source>
        <translation>已保存 {file}。</translation>
    </message>
</context>
<context>
    <name>RevealDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/member/dialogs.py" line="+17"/>
        <location line="+2"/>
        <source>Reveal full ID and mobile</source>
        <translation>查看完整证件号和手机号</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You are about to see the full ID number and mobile of {name} ({member_no}). This is recorded in the audit trail with your reason.</source>
        <translation>您将查看 {name}（{member_no}）的完整证件号码和手机号。此操作及原因将记入审计日志。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Reason (at least {n} characters)</source>
        <translation>原因（至少 {n} 个字）(&amp;R)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e.g. client asked to verify the mobile number on file</source>
        <translation>例如：客户要求核对预留手机号</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reveal</source>
        <translation>查看</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Give a reason of at least {n} characters.</source>
        <translation>请填写至少 {n} 个字的原因。</translation>
    </message>
</context>
<context>
    <name>ReverseDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/redeem/dialogs.py" line="+12"/>
        <source>Reverse redemption</source>
        <translation>冲正兑换</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reverse {number}: {points} points go back into the lots they came from.</source>
        <translation>冲正 {number}：{points} 积分退回原积分批次。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Reason</source>
        <translation>原因(&amp;R)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e.g. goods returned unopened</source>
        <translation>例如：礼品未拆封退回</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reverse</source>
        <translation>冲正</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>RewardsModel</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/redeem/models.py" line="-53"/>
        <source>Reward</source>
        <translation>兑换礼品</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Availability</source>
        <translation>可否兑换</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Available</source>
        <translation>可兑换</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not now (see above)</source>
        <translation>暂不可兑换（见上方说明）</translation>
    </message>
</context>
<context>
    <name>RuleSettingNames</name>
    <message>
        <location filename="../../loyalty_desk/messages.py" line="+8"/>
        <source>Standard: qualifying points</source>
        <translation>普通：达标积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Standard: monthly redemption cap</source>
        <translation>普通：每月兑换上限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Standard: earn multiplier</source>
        <translation>普通：积分倍数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Silver: qualifying points</source>
        <translation>银卡：达标积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Silver: monthly redemption cap</source>
        <translation>银卡：每月兑换上限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Silver: earn multiplier</source>
        <translation>银卡：积分倍数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gold: qualifying points</source>
        <translation>金卡：达标积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gold: monthly redemption cap</source>
        <translation>金卡：每月兑换上限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gold: earn multiplier</source>
        <translation>金卡：积分倍数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Platinum: qualifying points</source>
        <translation>白金：达标积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Platinum: monthly redemption cap</source>
        <translation>白金：每月兑换上限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Platinum: earn multiplier</source>
        <translation>白金：积分倍数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qualifying window (months)</source>
        <translation>达标积分统计期（月）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No downgrade after an upgrade for (months)</source>
        <translation>升级后不降级期（月）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warn one review before a downgrade</source>
        <translation>降级前提前一次评估预警</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card spend: points per CNY</source>
        <translation>刷卡消费：每元积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Financing: smallest drawdown earning points (CNY)</source>
        <translation>融资：可获积分的最低提款额（元）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Financing: CNY per point</source>
        <translation>融资：每积分对应金额（元）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Financing: high-margin multiplier</source>
        <translation>融资：高收益产品倍数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Financing: high-margin product codes</source>
        <translation>融资：高收益产品代码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On-time repayment: points</source>
        <translation>按时还款：积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Completed profile: points</source>
        <translation>完善资料：积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branch event: points</source>
        <translation>网点活动：积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Survey: points</source>
        <translation>问卷调查：积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Surveys rewarded a year</source>
        <translation>每年奖励问卷次数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First card transaction: points</source>
        <translation>首笔刷卡：积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card spend target (CNY)</source>
        <translation>刷卡消费目标（元）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card spend target: days after approval</source>
        <translation>刷卡消费目标：批卡后天数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card spend target: points</source>
        <translation>刷卡消费目标：积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card approval service target (days)</source>
        <translation>批卡服务时限（天）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Point value: CNY per 100 points</source>
        <translation>积分价值：每 100 积分对应金额（元）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Points expire after (months)</source>
        <translation>积分有效期（月）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expiry reminder windows (days)</source>
        <translation>到期提醒期限（天）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redemptions allowed per window</source>
        <translation>时段内允许兑换次数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redemption window (hours)</source>
        <translation>兑换限制时段（小时）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Offline redemption limit a day (points)</source>
        <translation>离线每日兑换上限（积分）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reversal allowed within (days)</source>
        <translation>可撤销兑换期限（天）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adjustment memo: fewest characters</source>
        <translation>调整说明：最少字符数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Goodwill adjustment: most points</source>
        <translation>善意补偿调整：最多积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Two approvers from (points)</source>
        <translation>需两人审批的积分起点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adjustment request expires after (hours)</source>
        <translation>调整申请失效时限（小时）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referral qualifies within (days)</source>
        <translation>推荐达标期限（天）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referral: smallest financing (CNY)</source>
        <translation>推荐：最低融资额（元）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referral: card spend needed (CNY)</source>
        <translation>推荐：所需刷卡消费（元）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referee welcome points</source>
        <translation>被推荐人欢迎积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referrer points</source>
        <translation>推荐人积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referrer points for a financing</source>
        <translation>推荐融资客户的推荐人积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Second-level referrer points</source>
        <translation>二级推荐人积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referral rewards pending for (days)</source>
        <translation>推荐奖励待发放期（天）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewarded referrals a year</source>
        <translation>每年可获奖励的推荐数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referrals a day before a fraud flag</source>
        <translation>触发欺诈标记的每日推荐数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed sign-ins before lockout</source>
        <translation>锁定前允许登录失败次数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lockout (minutes)</source>
        <translation>锁定时长（分钟）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Idle lock after (minutes)</source>
        <translation>空闲锁屏时间（分钟）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lookup: most results shown</source>
        <translation>查询：最多显示结果数</translation>
    </message>
</context>
<context>
    <name>RulesScreen</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/rules_admin.py" line="+105"/>
        <source>Programme rules</source>
        <translation>计划规则</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rules &amp;on</source>
        <translation>规则日期(&amp;O)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Se&amp;ction</source>
        <translation>类别(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Effective from</source>
        <translation>生效日期(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reason</source>
        <translation>原因(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Propose change…</source>
        <translation>提议修改…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Check the changed values and show them before and after (Ctrl+S)</source>
        <translation>检查修改的数值并显示修改前后对比（Ctrl+S）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Withdraw</source>
        <translation>撤回</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tiers</source>
        <translation>会员等级</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Earning</source>
        <translation>积分获取</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Expiry</source>
        <translation>积分到期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Redemption</source>
        <translation>兑换</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adjustments</source>
        <translation>积分调整</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Referrals</source>
        <translation>推荐</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sign-in security</source>
        <translation>登录安全</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lookup</source>
        <translation>查询</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Why the rules change (at least 10 characters)</source>
        <translation>修改规则的原因（至少 10 个字符）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note for the decision (needed to reject)</source>
        <translation>审批备注（驳回时必填）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rules in &amp;force</source>
        <translation>现行规则(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Pending</source>
        <translation>待审批(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;History</source>
        <translation>历史版本(&amp;H)</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Version {n}</source>
        <translation>版本 {n}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The installed settings (no version yet)</source>
        <translation>安装时的设置（尚无版本）</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Change at least one value first.</source>
        <translation>请先修改至少一个数值。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Correct the marked values; nothing was proposed.</source>
        <translation>请更正标记的数值；未提交任何提议。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Rules change {n} proposed, effective {day}. A second administrator must approve it.</source>
        <translation>规则修改 {n} 已提议，{day} 生效。须由另一位管理员批准。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>No. {n}, effective {day}, proposed by {who}: {changes}</source>
        <translation>第 {n} 号，{day} 生效，提议人 {who}：{changes}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose a proposal in the list.</source>
        <translation>请在列表中选择一项提议。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You proposed this change: a second administrator must approve or reject it (four eyes). You may withdraw it.</source>
        <translation>此修改由您提议：须由另一位管理员批准或驳回（双人复核）。您可以撤回。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Say why the change is rejected.</source>
        <translation>请说明驳回此修改的原因。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Rules change {n} approved as version {v}, in force from {day}.</source>
        <translation>规则修改 {n} 已批准为版本 {v}，自 {day} 起生效。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rules change {n} rejected; the rules stay as they are.</source>
        <translation>规则修改 {n} 已驳回；规则保持不变。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rules change {n} withdrawn.</source>
        <translation>规则修改 {n} 已撤回。</translation>
    </message>
</context>
<context>
    <name>ScreenDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/base.py" line="+300"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>Screens</name>
    <message>
        <location filename="../../loyalty_desk/ui/registry.py" line="+67"/>
        <source>Member lookup</source>
        <translation>会员查询</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Redemption</source>
        <translation>积分兑换</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Branch dashboard</source>
        <translation>网点看板</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Programme results</source>
        <translation>积分计划成效</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Approvals queue</source>
        <translation>审批队列</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Staff accounts</source>
        <translation>员工账号</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reward catalogue</source>
        <translation>兑换目录</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Programme rules</source>
        <translation>计划规则</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Referrals</source>
        <translation>推荐</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Flagged referrals</source>
        <translation>可疑推荐</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Statements and exports</source>
        <translation>对账单与导出</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sync status</source>
        <translation>同步状态</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Campaigns</source>
        <translation>营销活动</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Segments</source>
        <translation>会员分群</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Outreach</source>
        <translation>营销短信</translation>
    </message>
</context>
<context>
    <name>Segments</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/segments/models.py" line="+14"/>
        <location line="+6"/>
        <source>Any</source>
        <translation>不限</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>No card yet</source>
        <translation>尚未申请信用卡</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Applied, not approved</source>
        <translation>已申请，未核发</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card approved</source>
        <translation>信用卡已核发</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Has referred someone</source>
        <translation>曾推荐他人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Never referred</source>
        <translation>从未推荐</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>branch {codes}</source>
        <translation>网点 {codes}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>joined within {n} days</source>
        <translation>{n} 天内入会</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>earned within {n} days</source>
        <translation>{n} 天内有积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>redeemed within {n} days</source>
        <translation>{n} 天内有兑换</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>points expiring within {n} days</source>
        <translation>{n} 天内有积分到期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dormant for {n} months</source>
        <translation>沉睡 {n} 个月</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>balance {low} – {high}</source>
        <translation>余额 {low} – {high}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>every member</source>
        <translation>全体会员</translation>
    </message>
</context>
<context>
    <name>SegmentsModel</name>
    <message>
        <location line="+8"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Criteria</source>
        <translation>筛选条件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Saved by</source>
        <translation>保存人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Saved at</source>
        <translation>保存时间</translation>
    </message>
</context>
<context>
    <name>SegmentsScreen</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/segments/screen.py" line="+144"/>
        <source>Segments</source>
        <translation>会员分群</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+97"/>
        <source>New segment</source>
        <translation>新建分群</translation>
    </message>
    <message>
        <location line="-97"/>
        <source>Clear the form to define a segment (Ctrl+N)</source>
        <translation>清空表单以定义新分群 (Ctrl+N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save segment</source>
        <translation>保存分群</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save the segment (Ctrl+S); campaigns and outreach can then use it</source>
        <translation>保存分群 (Ctrl+S)；之后营销活动和营销短信即可使用</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Code</source>
        <translation>代码(&amp;C)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Chinese &amp;name</source>
        <translation>中文名称(&amp;N)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;English name</source>
        <translation>英文名称(&amp;E)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tiers</source>
        <translation>会员等级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Home b&amp;ranches</source>
        <translation>所属网点(&amp;R)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Re&amp;ferrals</source>
        <translation>推荐情况(&amp;F)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Card &amp;journey</source>
        <translation>用卡旅程(&amp;J)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Joined within (days)</source>
        <translation>入会天数以内(&amp;J)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>E&amp;arned within (days)</source>
        <translation>积分天数以内(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;deemed within (days)</source>
        <translation>兑换天数以内(&amp;D)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Points e&amp;xpiring within (days)</source>
        <translation>积分到期天数以内(&amp;X)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Balance from / to</source>
        <translation>余额从 / 到(&amp;B)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>D&amp;ormant for (months)</source>
        <translation>沉睡月数(&amp;O)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>e.g. GOLD-DORMANT</source>
        <translation>例如 GOLD-DORMANT</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empty: every branch; or codes such as BJ01, SH01</source>
        <translation>留空：全部网点；或填写网点代码，如 BJ01, SH01</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Any</source>
        <translation>不限</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Segment {code}, version {version}</source>
        <translation>分群 {code}，第 {version} 版</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>Counting members…</source>
        <translation>正在统计会员…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Members: –</source>
        <translation>会员数：–</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} members today ({day})</source>
        <translation>今日 {n} 位会员（{day}）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Give the segment a code.</source>
        <translation>请填写分群代码。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+22"/>
        <source>Correct the marked fields; nothing was saved.</source>
        <translation>请更正标出的字段；未保存任何内容。</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Segment {code} saved (version {version}).</source>
        <translation>分群 {code} 已保存（第 {version} 版）。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/settings_dialog.py" line="+26"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>min</source>
        <translation>分钟</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Receipts print here after each redemption, without a print dialog.</source>
        <translation>每次兑换后凭条在此打印，不弹出打印对话框。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No printer is installed on this computer: install the receipt printer in the system settings first.</source>
        <translation>本机未安装打印机：请先在系统设置中安装凭条打印机。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The language changes at once; the data folder takes effect at the next start.</source>
        <translation>语言立即生效；数据文件夹在下次启动时生效。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lock the desk after idle</source>
        <translation>空闲后自动锁屏</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+17"/>
        <source>Data folder</source>
        <translation>数据目录</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Receipt printer</source>
        <translation>凭条打印机</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <location filename="../../loyalty_desk/ui/shortcuts.py" line="+49"/>
        <source>Everywhere</source>
        <translation>全局</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location line="+39"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Where</source>
        <translation>适用范围</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../../loyalty_desk/ui/signin.py" line="-122"/>
        <location line="+20"/>
        <source>Enter your username and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Loyalty Desk — Sign in</source>
        <translation>积分柜台 — 登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loyalty Desk</source>
        <translation>积分柜台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign in with your staff account.</source>
        <translation>请使用员工账户登录。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Username</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>e.g. officer1</source>
        <translation>例如 officer1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Desk {desk} · standalone</source>
        <translation>柜台 {desk} · 单机运行</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Opening the store…</source>
        <translation>正在打开数据库…</translation>
    </message>
</context>
<context>
    <name>StaffModel</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/staff_admin.py" line="-151"/>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Branch</source>
        <translation>机构</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Locked until {time}</source>
        <translation>锁定至 {time}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> · must change password</source>
        <translation> · 须修改密码</translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message>
        <location line="+173"/>
        <source>Staff accounts</source>
        <translation>员工账号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New account…</source>
        <translation>新建账号…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Clear the sign-in lock of the selected account</source>
        <translation>解除所选账号的登录锁定</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Account {user} created.</source>
        <translation>账号 {user} 已创建。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Password of {user} reset.</source>
        <translation>{user} 的密码已重置。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Account {user} deactivated.</source>
        <translation>账号 {user} 已停用。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Account {user} unlocked.</source>
        <translation>账号 {user} 已解锁。</translation>
    </message>
</context>
<context>
    <name>StatementDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/statements.py" line="+35"/>
        <source>Member statement {member_no}</source>
        <translation>积分对账单 {member_no}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This &amp;month</source>
        <translation>本月(&amp;M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Last 12 months</source>
        <translation>近12个月(&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Custom period</source>
        <translation>自定义期间(&amp;C)</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Period</source>
        <translation>对账期间</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Statement {number}</source>
        <translation>积分对账单 {number}</translation>
    </message>
</context>
<context>
    <name>StopDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/campaigns/dialogs.py" line="+46"/>
        <source>Stop a campaign</source>
        <translation>停止营销活动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop campaign {code} now</source>
        <translation>立即停止营销活动 {code}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reason (required)</source>
        <translation>原因（必填）(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Stop campaign</source>
        <translation>停止活动(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>SupervisorApprovalDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/adjustments/dialogs.py" line="+29"/>
        <source>Supervisor approval</source>
        <translation>主管审批</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A supervisor of this branch or of head office signs in with their own username and password. The officer who made the request cannot approve it.</source>
        <translation>由本机构或总行的主管使用本人用户名和密码登录。申请人本人不能审批。</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>This request needs two different supervisors.</source>
        <translation>此申请须由两位不同的主管批准。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>required to reject</source>
        <translation>驳回时必填</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Note</source>
        <translation>意见(&amp;N)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+22"/>
        <source>Enter the supervisor&apos;s username and password.</source>
        <translation>请输入主管的用户名和密码。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give a note saying why the request is rejected.</source>
        <translation>请填写驳回理由。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Approval {n} of {needed} recorded. A second, different supervisor signs in now.</source>
        <translation>已记录第 {n}/{needed} 个批准。请另一位主管登录审批。</translation>
    </message>
</context>
<context>
    <name>SupervisorSignInDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/widgets.py" line="-59"/>
        <source>Supervisor &amp;username</source>
        <translation>主管用户名(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
</context>
<context>
    <name>SyncStatusScreen</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/sync_status/models.py" line="-96"/>
        <source>Redemption</source>
        <translation>积分兑换</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redemption reversal</source>
        <translation>兑换撤销</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adjustment request</source>
        <translation>调整申请</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adjustment approval</source>
        <translation>调整审批</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adjustment rejection</source>
        <translation>调整驳回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adjustment cancelled</source>
        <translation>调整取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referral registration</source>
        <translation>推荐登记</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New member enrolled</source>
        <translation>新会员开户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address change</source>
        <translation>地址变更</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card change</source>
        <translation>卡号变更</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Account closed</source>
        <translation>销户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tier benefit used</source>
        <translation>使用等级权益</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referral cleared</source>
        <translation>推荐已放行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Referral rejected</source>
        <translation>推荐已拒绝</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decision on a sync exception</source>
        <translation>同步异常处理</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Accept as points owed by the member</source>
        <translation>记为会员欠积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reverse the goods (the reward was taken back)</source>
        <translation>收回礼品（撤销兑换）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write off (a second supervisor approves)</source>
        <translation>核销（须另一位主管批准）</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Head office refused the decision taken on it ({decision}): {reason}</source>
        <translation>总行拒绝了对此异常的处理（{decision}）：{reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The member has only {available} points available, so the {requested} points cannot be taken again as points owed. Choose another decision: reverse the goods, or write off with a second supervisor&apos;s approval.</source>
        <translation>会员可用积分仅 {available}，无法将 {requested} 积分作为欠积分重新扣除。请选择其他处理方式：收回礼品，或经另一位主管批准后核销。</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Sending and receiving…</source>
        <translation>正在发送和接收…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving head office&apos;s changes…</source>
        <translation>正在接收总行的变更…</translation>
    </message>
    <message>
        <location filename="../../loyalty_desk/ui/screens/sync_status/screen.py" line="+112"/>
        <source>Sync status</source>
        <translation>同步状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reload this page (F5)</source>
        <translation>重新加载本页（F5）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Send what waits and receive head office&apos;s changes now (Ctrl+S)</source>
        <translation>立即发送待发操作并接收总行变更（Ctrl+S）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Head office database</source>
        <translation>总行数据库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This desk</source>
        <translation>本柜台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last sent</source>
        <translation>上次发送</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last received</source>
        <translation>上次接收</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last problem</source>
        <translation>最近问题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Decision</source>
        <translation>处理方式(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Note</source>
        <translation>说明(&amp;N)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>why this decision (required)</source>
        <translation>处理理由（必填）</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Resolve</source>
        <translation>处理</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Record the decision on the selected exception: it is sent to head office and audited</source>
        <translation>记录所选异常的处理决定：发送至总行并记入审计</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Standalone: no central database configured. This desk works on its local store only.</source>
        <translation>单机模式：未配置总行数据库，本柜台仅使用本地数据。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reading the sync state…</source>
        <translation>正在读取同步状态…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connected to head office</source>
        <translation>已连接总行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not connected: head office cannot be reached. The desk keeps working; what waits is sent when it can.</source>
        <translation>未连接：无法连接总行。柜台照常工作，待发送的操作将在恢复连接后发送。</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+1"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Waiting to be confirmed by head office: {n}</source>
        <translation>等待总行确认：{n} 笔</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Exceptions head office rejected: {n} (each stays here until a supervisor decides)</source>
        <translation>总行拒绝的异常：{n} 笔（每笔都保留在此，直至主管处理）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Syncing with head office…</source>
        <translation>正在与总行同步…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Syncing with head office</source>
        <translation>正在与总行同步</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>Synced with head office: {waiting} waiting, %Ln exception(s).</source>
        <translation>
            <numerusform>已与总行同步：{waiting} 笔待确认，%Ln 笔异常。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Head office cannot be reached: {error}</source>
        <translation>无法连接总行：{error}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no answer</source>
        <translation>无响应</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Write off {points} points for {member} ({operation}, refused by head office: {reason}). Decided by {resolver}.</source>
        <translation>核销会员 {member} 的 {points} 积分（{operation}，总行拒绝原因：{reason}）。处理人：{resolver}。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Exception of {member} resolved: {decision}. {points} points taken again; available balance now {balance}.</source>
        <translation>{member} 的异常已处理：{decision}。已重新扣除 {points} 积分，当前可用余额 {balance}。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Exception of {member} resolved: {decision}. {points} points written off, approved by {approver}.</source>
        <translation>{member} 的异常已处理：{decision}。已核销 {points} 积分，批准人：{approver}。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Exception of {member} resolved: {decision}.</source>
        <translation>{member} 的异常已处理：{decision}。</translation>
    </message>
</context>
<context>
    <name>TrendModel</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/dashboard/models.py" line="+25"/>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+16"/>
        <source>Points issued</source>
        <translation>发放积分</translation>
    </message>
    <message>
        <location line="-15"/>
        <location line="+16"/>
        <source>Points redeemed</source>
        <translation>兑换积分</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Redemptions</source>
        <translation>兑换笔数</translation>
    </message>
</context>
<context>
    <name>WaitingModel</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/sync_status/models.py" line="-49"/>
        <source>Made</source>
        <translation>操作时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Operation</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sent, waiting for head office</source>
        <translation>已发送，等待总行处理</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not sent ({n} attempts)</source>
        <translation>未发送（已尝试 {n} 次）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not sent yet</source>
        <translation>尚未发送</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>made offline</source>
        <translation>离线操作</translation>
    </message>
</context>
<context>
    <name>WriteOffApprovalDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/sync_status/dialogs.py" line="+30"/>
        <source>Write-off approval</source>
        <translation>核销审批</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A second supervisor of this branch or of head office signs in with their own username and password to approve the write-off. The supervisor resolving the exception cannot approve it.</source>
        <translation>请本机构或总行的另一位主管以本人用户名和密码登录以批准核销。处理该异常的主管不能批准。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Approve write-off</source>
        <translation>批准核销</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Enter the second supervisor&apos;s username and password.</source>
        <translation>请输入另一位主管的用户名和密码。</translation>
    </message>
</context>
<context>
    <name>_NoteDialog</name>
    <message>
        <location filename="../../loyalty_desk/ui/screens/campaigns/dialogs.py" line="-87"/>
        <source>At least {minimum} characters (now {actual}).</source>
        <translation>至少 {minimum} 个字符（现为 {actual}）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>At most {maximum} characters (now {actual}).</source>
        <translation>最多 {maximum} 个字符（现为 {actual}）。</translation>
    </message>
</context>
</TS>
