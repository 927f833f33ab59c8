import { fail } from '../../shared/contract/errors';
import { E } from '../ledger/entities';
import type { Ledger } from '../ledger/ledger';
import { actorOf, userRoles, type Signer } from './model';
import type { IdentityService } from './accounts';
import { identityQueriesOf } from './queries';

/**
 * Host enrolment and the acknowledgement of a rollback (docs/ledger.md §3.1, §4; decisions
 * D-032, D-033). Both are an administrator's signed acts: the caller authenticates the
 * administrator with `identity.authenticateSigner` first (the password re-entered), then
 * calls these. They take the host's PUBLIC key only, so a site server can enrol a remote
 * workstation the same way later (`lotseal host enrol --server`): the workstation sends its
 * public key, the server calls `enrolHost` with `thisHost: false`.
 */
export interface HostKeyInfo {
  id: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  fingerprint: string;
  host: string;
  hostKind: string;
}

function mustBeAdministrator(signer: Signer): void {
  if (!userRoles(signer).includes('administrator'))
    fail('forbidden', { permission: 'settings.manage', signer: signer.id }, 'errors.enrol_needs_admin');
}

/**
 * Registers a host key, signed `enrolled` by the administrator in the same transaction. With
 * `thisHost`, the key is the one this ledger signs with: the transaction's checkpoint is the
 * first one it signs. Sign-ins waiting in the authentication log are carried in with it.
 */
export function enrolHost(
  ledger: Ledger,
  identity: IdentityService,
  signer: Signer,
  key: HostKeyInfo,
  opts: { name?: string | undefined; thisHost: boolean },
): { keyId: string; fingerprint: string; seq: number } {
  mustBeAdministrator(signer);
  if (identityQueriesOf(ledger.db).signingKey(key.id))
    fail('conflict', { fingerprint: key.fingerprint }, 'errors.host_already_enrolled');
  const host = opts.name?.trim() || key.host;
  ledger.write(
    actorOf(signer),
    (w) => {
      if (!opts.thisHost) {
        w.create(
          E.signingKey,
          {
            public_key: key.publicKey,
            fingerprint: key.fingerprint,
            host,
            host_kind: key.hostKind,
            valid_from: w.at,
            valid_to: null,
          },
          { id: key.id, reason: 'host enrolled by an administrator' },
        );
      }
      identity.writePending(w);
      identity.sign(
        w,
        signer,
        { def: E.signingKey, id: key.id },
        { meaning: 'enrolled', comment: `host ${host} (${key.hostKind}) enrolled` },
      );
    },
    opts.thisHost ? { registerHostKey: { host } } : {},
  );
  return { keyId: key.id, fingerprint: key.fingerprint, seq: ledger.head().seq };
}

/**
 * This host's anchor is ahead of (or differs from) the database: instead of a restore, an
 * administrator records the finding, signed `acknowledged`, and the host writes again on the
 * database as it is (the anchor moves to the new head at the commit).
 */
export function acknowledgeRollback(
  ledger: Ledger,
  identity: IdentityService,
  signer: Signer,
  reason: string,
): { seq: number } {
  mustBeAdministrator(signer);
  const c = ledger.anchorConflict();
  if (!c) fail('conflict', {}, 'errors.no_rollback');
  ledger.write(
    actorOf(signer),
    (w) => {
      const r = w.create(E.rollbackAcknowledgement, {
        finding: c.finding,
        host: ledger.workstation,
        anchor_seq: c.anchor.seq,
        anchor_hash: c.anchor.hash,
        anchor_at: c.anchor.at,
        db_seq: c.dbSeq,
        db_hash: c.dbHash,
        reason,
      });
      identity.writePending(w);
      identity.sign(
        w,
        signer,
        { def: E.rollbackAcknowledgement, id: r.id },
        { meaning: 'acknowledged', comment: reason },
      );
    },
    { resolvesAnchor: true },
  );
  return { seq: ledger.head().seq };
}
