#!/bin/sh
# LotSeal .deb post-install (electron-builder `deb.afterInstall`, docs/decisions.md D-042).
# The ledger is per machine: /var/lib/lotseal, group "lotseal", setgid so new files keep the
# group, no access for others. Add each lab account to the group:
#   sudo usermod -aG lotseal <account>      (then sign out and in again)
# Removing the package never deletes the folder: the records outlive the program.
set -e
if ! getent group lotseal >/dev/null 2>&1; then
  groupadd --system lotseal
fi
mkdir -p /var/lib/lotseal
chgrp lotseal /var/lib/lotseal
chmod 2770 /var/lib/lotseal
