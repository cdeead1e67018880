# Builds the Windows bundle and installer (run on Windows 10/11 x64 from any folder):
#
#   powershell -ExecutionPolicy Bypass -File installer\build.ps1
#     → dist\loyalty-desk\ (loyalty-desk.exe, loyalty-desk-cli.exe, _internal\)
#     → dist\loyalty-desk-<version>-setup.exe
#
# Needs Python 3.11 (the py launcher, or $env:PYTHON = path to python.exe) and Inno Setup 6
# (ISCC.exe in its default folder, or $env:ISCC = path to ISCC.exe). Nothing else is downloaded
# but packages from the package index.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

function Invoke-Checked {
    # Runs a program and stops the build if it fails (PowerShell does not do that for .exe files).
    & $args[0] $args[1..($args.Length - 1)]
    if ($LASTEXITCODE -ne 0) { throw "failed ($LASTEXITCODE): $args" }
}

$venv = "build\venv"
$python = "$venv\Scripts\python.exe"
if (-not (Test-Path $python)) {
    if ($env:PYTHON) { Invoke-Checked $env:PYTHON -m venv $venv } else { Invoke-Checked py -3.11 -m venv $venv }
}
Invoke-Checked $python -m pip install --quiet --upgrade pip
Invoke-Checked $python -m pip install --quiet -r installer\requirements-build.txt
Invoke-Checked $python -m pip install --quiet --force-reinstall --no-deps .
Invoke-Checked $python -m pip install --quiet .

# The icon of the .exe files and of the setup program, from resources\icons\logo.svg.
Invoke-Checked $python installer\make_icon.py build\loyalty-desk.ico

if (Test-Path dist\loyalty-desk) { Remove-Item -Recurse -Force dist\loyalty-desk }
Invoke-Checked "$venv\Scripts\pyinstaller.exe" --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller installer\loyalty-desk.spec

# The bundle must start: the console twin prints the version.
$env:QT_QPA_PLATFORM = "offscreen"
Invoke-Checked dist\loyalty-desk\loyalty-desk-cli.exe --version
Remove-Item Env:QT_QPA_PLATFORM

$version = (Select-String -Path loyalty_desk\__init__.py -Pattern '^__version__ = "(.*)"').Matches[0].Groups[1].Value
$iscc = if ($env:ISCC) { $env:ISCC } else { Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
Invoke-Checked $iscc /Q "/DAppVersion=$version" installer\windows\loyalty-desk.iss

$size = (Get-ChildItem -Recurse dist\loyalty-desk | Measure-Object -Property Length -Sum).Sum / 1MB
Write-Host ("dist\loyalty-desk: {0:N0} MB; dist\loyalty-desk-{1}-setup.exe: {2:N0} MB" -f $size, $version, ((Get-Item "dist\loyalty-desk-$version-setup.exe").Length / 1MB))
