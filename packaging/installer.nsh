; LotSeal NSIS additions (electron-builder `nsis.include`, docs/decisions.md D-042).
; The ledger is per machine: %ProgramData%\LotSeal, shared by every Windows account on the
; bench PC. The installer (per-machine, elevated) creates it and lets the local Users group
; modify its contents ("(OI)(CI)M", inherited by new files), identified by its SID
; S-1-5-32-545 so the grant works on Chinese and English Windows alike. Uninstalling never
; deletes it: the records outlive the program (21 CFR 11.10(c), retention).
!macro customInstall
  CreateDirectory "$COMMONPROGRAMDATA\LotSeal"
  nsExec::ExecToLog 'icacls "$COMMONPROGRAMDATA\LotSeal" /grant *S-1-5-32-545:(OI)(CI)M'
!macroend

!macro customUnInstall
  DetailPrint "The LotSeal data folder $COMMONPROGRAMDATA\LotSeal is kept (records are never deleted by an uninstall)."
!macroend
