/**
 * The workstation's front door (issue 21): where the data folder is, this host's key and its
 * recovery before the database opens (the desktop host uses these).
 */
export { chooseDataDir, networkShareReason, profileName } from './data-location';
export { keySeal, MIN_KEY_PASSPHRASE, probeHostKey, type OsProtection } from './host-key-access';
export { createKeyRecoveryDispatcher } from './key-recovery-host';
