; Loyalty Desk: Windows installer (Inno Setup 6) for the bundle dist\loyalty-desk\ built by PyInstaller.
;
; Build (from the repository root, after the bundle; installer\build.ps1 does both):
;   ISCC.exe /DAppVersion=0.1.0 installer\windows\loyalty-desk.iss   →  dist\loyalty-desk-0.1.0-setup.exe
;
; Silent install for IT (all three parameters optional; written to %ProgramData%\LoyaltyDesk\desk.ini,
; the machine-wide defaults the desk reads at start, see loyalty_desk/bootstrap.py machine_defaults):
;   loyalty-desk-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /LOG="%TEMP%\loyalty-desk-setup.log"
;       /CENTRALURL="postgresql://central.bank.example:5432/loyalty" /DESKNAME=bj01_desk03 /BRANCH=BJ01
;
; Data: each user's store lives in %LOCALAPPDATA%\LoyaltyDesk\LoyaltyDesk, never under {app}; this script
; never names that folder, so neither an upgrade nor the uninstaller can touch it.

; The version comes from the command line: /DAppVersion=x.y.z (build.ps1 reads loyalty_desk/__init__.py).
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Loyalty Desk"
#define AppExe "loyalty-desk.exe"
; The bundle, relative to this script.
#define BundleDir "..\..\dist\loyalty-desk"

[Setup]
; Never change AppId: it is how a newer setup finds and upgrades the installed desk in place.
; (The doubled {{ is Inno Setup's escape for a literal brace.)
AppId={{AE0CB1A4-2057-4249-A9A2-604DB78878F4}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Loyalty Desk team
VersionInfoVersion={#AppVersion}
; Per-machine install: admin rights, {autopf} = C:\Program Files in admin mode (64-bit on x64).
PrivilegesRequired=admin
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; An upgrade reuses the folder chosen the first time.
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; Close a running desk before replacing its files (Restart Manager), do not restart it afterwards.
CloseApplications=yes
RestartApplications=no
OutputDir=..\..\dist
OutputBaseFilename=loyalty-desk-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
; Writes a log next to the installer's temp files when run with /LOG; handy for mass deployment.
SetupLogging=yes
#if FileExists(AddBackslash(SourcePath) + "..\..\build\loyalty-desk.ico")
SetupIconFile=..\..\build\loyalty-desk.ico
#endif

[Languages]
; Inno Setup ships no official Simplified Chinese wizard text; the desk itself is bilingual.
Name: "english"; MessagesFile: "compiler:Default.isl"

[InstallDelete]
; Upgrade in place: drop the previous bundle's libraries first, so no stale module of an older
; version is left beside the new ones. Only {app} (program files) is touched, never user data.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The whole one-folder bundle (loyalty-desk.exe, loyalty-desk-cli.exe, _internal\...).
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
; Machine-wide settings folder (%ProgramData%\LoyaltyDesk); kept on uninstall (no uninsalwaysuninstall).
Name: "{commonappdata}\LoyaltyDesk"

[INI]
; Silent-install parameters → %ProgramData%\LoyaltyDesk\desk.ini, section [desk]. Written only when the
; parameter was given, so an upgrade without parameters keeps what IT set before; no uninsdelete* flag,
; so the uninstaller leaves the file for a later reinstall.
Filename: "{commonappdata}\LoyaltyDesk\desk.ini"; Section: "desk"; Key: "central_url"; String: "{param:CENTRALURL}"; Check: HasParam('CENTRALURL')
Filename: "{commonappdata}\LoyaltyDesk\desk.ini"; Section: "desk"; Key: "desk_name"; String: "{param:DESKNAME}"; Check: HasParam('DESKNAME')
Filename: "{commonappdata}\LoyaltyDesk\desk.ini"; Section: "desk"; Key: "branch"; String: "{param:BRANCH}"; Check: HasParam('BRANCH')

[Icons]
; {autoprograms} / {autodesktop} are the all-users Start menu and desktop in an admin install.
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"

[Run]
; Offer to start the desk at the end of an interactive install; never in a silent one.
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
{ True when the command line has /NAME=value with a non-empty value. }
function HasParam(Name: String): Boolean;
begin
  Result := ExpandConstant('{param:' + Name + '|}') <> '';
end;
