/**
 * The identity capability's front door (issue 21): accounts, authentication, sessions,
 * settings, personal keys and electronic signatures. Other capabilities import from here only.
 */
export { IdentityService } from './accounts';
export { SessionManager } from './sessions';
export { SettingsService, defaultSettings } from './settings';
export {
  actorOf,
  expectMeaning,
  MAX_FAILED_ATTEMPTS,
  newId,
  prepareFirstAdministrator,
  RECOVERY_THROTTLE_MS,
  toUserView,
  userRoles,
  type PersonalKeyRow,
  type PreparedAdministrator,
  type SignatureRecord,
  type SignatureRow,
  type Signer,
  type UserRow,
} from './model';
export type { PersonalState } from './signatures';
export { acknowledgeRollback, enrolHost, type HostKeyInfo } from './enrolment';
export { callSigner } from './call-signer';
export { signatureView } from './signature-view';
export { refuseTestOnlyKdf } from '../ledger/kdf';
/** The typed reads of a database file opened outside the services (the CLI's key listings of a backup). */
export { identityQueriesOf, type SigningKeyRow } from './queries';
/** The signature reads other capabilities ask (built by the composition root). */
export { signatureReads, type SignatureHead, type SignatureReads } from './queries';
