<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AdjustmentRequestDialog</name>
    <message numerus="yes">
        <location filename="../../loyalty_desk/ui/screens/adjustments/dialogs.py" line="+202"/>
        <source>It needs %n approval(s). A supervisor can approve it here now, or later from the approvals queue. Available balance now {available}.</source>
        <translation>
            <numerusform>It needs %n approval. A supervisor can approve it here now, or later from the approvals queue. Available balance now {available}.</numerusform>
            <numerusform>It needs %n approvals. A supervisor can approve it here now, or later from the approvals queue. Available balance now {available}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ApprovalsScreen</name>
    <message numerus="yes">
        <location filename="../../loyalty_desk/ui/screens/adjustments/screen.py" line="+152"/>
        <source>%Ln request(s)</source>
        <translation>
            <numerusform>%Ln request</numerusform>
            <numerusform>%Ln requests</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BatchStatementsDialog</name>
    <message numerus="yes">
        <location filename="../../loyalty_desk/ui/screens/statements.py" line="+391"/>
        <source>%Ln member(s) could not be found.</source>
        <translation>
            <numerusform>%Ln member could not be found.</numerusform>
            <numerusform>%Ln members could not be found.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DocumentsScreen</name>
    <message numerus="yes">
        <location filename="../../loyalty_desk/ui/screens/documents.py" line="+205"/>
        <source>Nothing registered: %Ln problem(s). The error report is {path}.</source>
        <translation>
            <numerusform>Nothing registered: %Ln problem. The error report is {path}.</numerusform>
            <numerusform>Nothing registered: %Ln problems. The error report is {path}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LookupScreen</name>
    <message numerus="yes">
        <location filename="../../loyalty_desk/ui/screens/lookup.py" line="+186"/>
        <source>Served at this desk today: %n</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+93"/>
        <source>%Ln member(s)</source>
        <translation>
            <numerusform>%Ln member</numerusform>
            <numerusform>%Ln members</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../../loyalty_desk/ui/main_window.py" line="+298"/>
        <source>%Ln exception(s)</source>
        <translation>
            <numerusform>%Ln exception</numerusform>
            <numerusform>%Ln exceptions</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OfferPanel</name>
    <message numerus="yes">
        <location filename="../../loyalty_desk/ui/screens/member/hints.py" line="+127"/>
        <source>%Ln hint(s) answered today</source>
        <translation>
            <numerusform>%Ln hint answered today</numerusform>
            <numerusform>%Ln hints answered today</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Nothing more to offer today; %Ln hint(s) answered.</source>
        <translation>
            <numerusform>Nothing more to offer today; %Ln hint answered.</numerusform>
            <numerusform>Nothing more to offer today; %Ln hints answered.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+30"/>
        <source>No activity for %Ln month(s), since {date}: invite the member back.</source>
        <translation>
            <numerusform>No activity for %Ln month, since {date}: invite the member back.</numerusform>
            <numerusform>No activity for %Ln months, since {date}: invite the member back.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%Ln successful referral(s): invite the member to refer again ({points} points a qualified referral).</source>
        <translation>
            <numerusform>%Ln successful referral: invite the member to refer again ({points} points a qualified referral).</numerusform>
            <numerusform>%Ln successful referrals: invite the member to refer again ({points} points a qualified referral).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OutcomesButton</name>
    <message numerus="yes">
        <location filename="../../loyalty_desk/ui/outcomes.py" line="+76"/>
        <source>%n new outcome(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message numerus="yes">
        <location filename="../../loyalty_desk/ui/screens/statements.py" line="-279"/>
        <source>%Ln page(s)</source>
        <translation>
            <numerusform>%Ln page</numerusform>
            <numerusform>%Ln pages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PendingAdjustmentsPanel</name>
    <message numerus="yes">
        <location filename="../../loyalty_desk/ui/screens/adjustments/panel.py" line="+67"/>
        <source>%Ln pending request(s)</source>
        <translation>
            <numerusform>%Ln pending request</numerusform>
            <numerusform>%Ln pending requests</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReferralsPanel</name>
    <message numerus="yes">
        <location filename="../../loyalty_desk/ui/screens/referrals/panel.py" line="+98"/>
        <source>%Ln referral(s) made; their own referrals are shown beneath them.</source>
        <translation>
            <numerusform>%Ln referral made; their own referrals are shown beneath them.</numerusform>
            <numerusform>%Ln referrals made; their own referrals are shown beneath them.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReferralsScreen</name>
    <message numerus="yes">
        <location filename="../../loyalty_desk/ui/screens/referrals/screen.py" line="+104"/>
        <source>%Ln referral(s)</source>
        <translation>
            <numerusform>%Ln referral</numerusform>
            <numerusform>%Ln referrals</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncStatusScreen</name>
    <message numerus="yes">
        <location filename="../../loyalty_desk/ui/screens/sync_status/screen.py" line="+221"/>
        <source>Synced with head office: {waiting} waiting, %Ln exception(s).</source>
        <translation>
            <numerusform>Synced with head office: {waiting} waiting, %Ln exception.</numerusform>
            <numerusform>Synced with head office: {waiting} waiting, %Ln exceptions.</numerusform>
        </translation>
    </message>
</context>
</TS>
