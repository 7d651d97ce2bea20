; Windows installer of the desk, built on Linux with Debian's nsis from the PyInstaller folder:
;   makensis -DVERSION=0.1.0 -DSRCDIR=$PWD/build/windows/dist/liaison-desk \
;            -DOUTFILE=$PWD/liaison-desk-setup-0.1.0.exe installer/liaison-desk.nsi
; (absolute paths: makensis works in the script's folder)
; (.ci/windows-check does this, installs the result under wine and runs it.)
;
; - Per user, no administrator rights: %LOCALAPPDATA%\Programs\liaison-desk, registered under HKCU.
; - Start-menu and desktop shortcuts named 维权联络点工作台; the install folder joins the user's PATH, so
;   `liaison` (liaison.exe, the command) works in a new cmd.exe or PowerShell window.
; - Upgrade in place: a newer setup run over an installed desk replaces the program files only. The point's
;   data (database, key files, logs, backups: %LOCALAPPDATA%\liaison-desk, platformdirs' folder) and the data
;   key in Windows' credential store are never touched by setup.
; - The uninstaller leaves the data folder unless its box is ticked (silent: uninstall.exe /S /DELETEDATA).
; - Windows 10 1809 (build 17763) or later, 64-bit; older Windows is refused with a message.
; Silent install: liaison-desk-setup-VERSION.exe /S [/D=C:\other\folder] (/D last, no quotes).

Unicode true
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
; lzma: the smallest download (a release); .ci/windows-check passes -DCOMPRESSOR=zlib (82 MB, 30 s instead of
; several minutes on 2 cores). The installed files are the same either way.
!ifndef COMPRESSOR
  !define COMPRESSOR lzma
!endif
SetCompressor /SOLID ${COMPRESSOR}
!if "${COMPRESSOR}" == "lzma"
  SetCompressorDictSize 32
!endif

!ifndef VERSION
  !error "makensis -DVERSION=x.y.z -DSRCDIR=<PyInstaller folder> -DOUTFILE=<setup.exe>"
!endif
!ifndef VIVERSION
  !define VIVERSION "${VERSION}.0"
!endif

!define APPNAME "维权联络点工作台"
!define APPID "liaison-desk"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPID}"
!define MIN_BUILD 17763 ; Windows 10 1809 / LTSC 2019

Name "${APPNAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APPID}"
InstallDirRegKey HKCU "${UNINSTKEY}" "InstallLocation"
BrandingText "${APPNAME} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VIVERSION}"
VIAddVersionKey /LANG=2052 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APPNAME} 安装程序"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "Apache-2.0"

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include WordFunc.nsh
!include WinVer.nsh

!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TITLE "安装 ${APPNAME} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "本程序将把${APPNAME}安装到您的用户目录，不需要管理员权限。$\r$\n$\r$\n\
已安装旧版本时将原地升级：联络点的案件数据、数据密钥和日志保持不变。$\r$\n$\r$\n\
升级前请先关闭正在运行的工作台。点击“下一步”继续。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\liaison-desk.exe"
!define MUI_FINISHPAGE_RUN_TEXT "立即启动${APPNAME}"
!define MUI_FINISHPAGE_TEXT "${APPNAME}已安装。$\r$\n$\r$\n\
开始菜单和桌面上的“${APPNAME}”图标可启动工作台；首次启动时请填写联络点信息并创建负责人账号。$\r$\n$\r$\n\
命令行程序 liaison 已加入您的 PATH（在新打开的命令提示符中可用）。"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从您的电脑上卸载${APPNAME}的程序文件和快捷方式。$\r$\n\
联络点的案件数据默认保留（$LOCALAPPDATA\${APPID}），重新安装后可继续使用。"
!define MUI_COMPONENTSPAGE_NODESC

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ; Qt 6.9 and Python 3.11 run on Windows 10 1809 and later (the bundle's Qt is kept below 6.10, which needs
  ; the icu.dll of Windows 10 1903+).
  ${WinVerGetBuild} $0
  ${IfNot} ${AtLeastWin10}
  ${OrIfNot} ${AtLeastBuild} ${MIN_BUILD}
    MessageBox MB_OK|MB_ICONSTOP "${APPNAME}需要 64 位 Windows 10 1809（内部版本 ${MIN_BUILD}）或更高版本。$\r$\n\
本机 Windows 的内部版本为“$0”，无法安装。请先升级 Windows。" /SD IDOK
    SetErrorLevel 3
    Abort
  ${EndIf}
FunctionEnd

; The running desk holds its .exe open: ask to close it instead of failing half-way through the copy.
!macro CLOSED_CHECK un
Function ${un}WaitUntilClosed
  retry:
  ${If} ${FileExists} "$INSTDIR\liaison-desk.exe"
    ClearErrors
    FileOpen $0 "$INSTDIR\liaison-desk.exe" a
    ${If} ${Errors}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APPNAME}正在运行。请先关闭它（包括所有窗口），然后点击“重试”。" \
        /SD IDCANCEL IDRETRY retry
      SetErrorLevel 4
      Quit
    ${EndIf}
    FileClose $0
  ${EndIf}
FunctionEnd
!macroend
!insertmacro CLOSED_CHECK ""
!insertmacro CLOSED_CHECK "un."

Section "${APPNAME}" SecProgram
  SectionIn RO
  SetShellVarContext current
  Call WaitUntilClosed
  ${If} ${FileExists} "$INSTDIR\_internal\*.*"
    DetailPrint "升级：替换旧版本的程序文件（数据不变）"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}
  SetOutPath "$INSTDIR"
  File /r "${SRCDIR}/*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\liaison-desk.exe" "" "$INSTDIR\liaison-desk.exe" 0 \
    SW_SHOWNORMAL "" "${APPNAME}"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\liaison-desk.exe" "" "$INSTDIR\liaison-desk.exe" 0 \
    SW_SHOWNORMAL "" "${APPNAME}"

  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\liaison-desk.exe"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" "$0"

  Call AddToPath
SectionEnd

; The user's PATH (HKCU\Environment) gains the install folder once. NSIS strings hold 1024 characters: a
; longer PATH is left as it is (README: then call liaison.exe by its full path).
Function AddToPath
  ClearErrors
  ReadRegStr $0 HKCU "Environment" "Path"
  StrLen $1 $0
  StrLen $2 $INSTDIR
  IntOp $1 $1 + $2
  ${If} $1 > 1000
    DetailPrint "用户 PATH 过长，未修改；liaison 命令位于 $INSTDIR\liaison.exe"
    Return
  ${EndIf}
  ${If} $0 == ""
    StrCpy $1 "$INSTDIR"
  ${Else}
    ${WordAdd} "$0" ";" "+$INSTDIR" $1
  ${EndIf}
  ${If} $1 != $0
    WriteRegExpandStr HKCU "Environment" "Path" "$1"
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=2000
    DetailPrint "已把 $INSTDIR 加入用户 PATH"
  ${EndIf}
FunctionEnd

Function un.RemoveFromPath
  ClearErrors
  ReadRegStr $0 HKCU "Environment" "Path"
  StrLen $1 $0
  ${If} $0 == ""
  ${OrIf} $1 > 1000
    Return
  ${EndIf}
  ${un.WordAdd} "$0" ";" "-$INSTDIR" $1
  ${If} $1 != $0
    WriteRegExpandStr HKCU "Environment" "Path" "$1"
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=2000
  ${EndIf}
FunctionEnd

Section "un.程序文件和快捷方式" SecUnProgram
  SectionIn RO
  SetShellVarContext current
  Call un.WaitUntilClosed
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$DESKTOP\${APPNAME}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\liaison-desk.exe"
  Delete "$INSTDIR\liaison.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR" ; only when empty: files the user put there stay
  Call un.RemoveFromPath
  DeleteRegKey HKCU "${UNINSTKEY}"
SectionEnd

; Off unless ticked: the point's cases, key files, logs and the default backup folder. The data key in Windows'
; credential store stays (backups on a USB stick still open with it or with the recovery key).
Section /o "un.同时删除本机的案件数据、日志和默认备份（不可恢复）" SecUnData
  RMDir /r "$LOCALAPPDATA\${APPID}"
SectionEnd

Function un.onInit
  ${un.GetParameters} $0
  ClearErrors
  ${un.GetOptions} $0 "/DELETEDATA" $1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${SecUnData}
  ${EndIf}
FunctionEnd
