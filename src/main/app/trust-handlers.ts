import { fail } from '../../shared/contract/errors';
import { parseWitness } from '../../shared/domain/witness';
import type { HandlersOf } from '../dispatcher/handler-kit';
import { acknowledgeRollback, callSigner, enrolHost } from '../identity';
import { verificationRuns } from '../ledger/verification-runs';
import type { AppCore } from './core';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Trust (contract/channels/trust.ts): this host's key and its enrolment, the anchor, the keys
 * register and witnesses. They act on the core itself (its key, the start-up check).
 */
export function trustHandlers(
  core: AppCore,
): HandlersOf<'host' | 'keys'> & Pick<HandlersOf<'ledger'>, 'ledger.witness'> {
  return {
    'host.status': () => {
      const svc = core.need();
      const c = svc.ledger.anchorConflict();
      return {
        host: core.workstation,
        hostKind: core.hostKind,
        keyId: core.key.id,
        fingerprint: core.key.fingerprint,
        enrolled: svc.ledger.isKeyRegistered(),
        anchorConflict: c
          ? {
              finding: c.finding,
              anchorSeq: c.anchor.seq,
              anchorHash: c.anchor.hash,
              anchorAt: iso(c.anchor.at),
              dbSeq: c.dbSeq,
              dbHash: c.dbHash,
            }
          : null,
      };
    },
    'host.enrol': async ({ name, signature }, ctx) => {
      const svc = core.need();
      const admin = await callSigner(svc.identity, ctx, signature, 'enrolled');
      const k = core.key;
      return enrolHost(
        svc.ledger,
        svc.identity,
        admin,
        { id: k.id, publicKey: k.publicKey, fingerprint: k.fingerprint, host: k.host, hostKind: k.hostKind },
        { name, thisHost: true },
      );
    },
    'host.acknowledgeRollback': async ({ reason, signature }, ctx) => {
      const svc = core.need();
      const admin = await callSigner(svc.identity, ctx, signature, 'acknowledged');
      acknowledgeRollback(svc.ledger, svc.identity, admin, reason);
      core.runStartupCheck();
      core.dispatcher.emit('all', 'ledger.changed', core.ledgerState());
      return { ok: true };
    },
    'keys.list': () => core.need().identity.keyRegister(),
    'ledger.witness': ({ text }) => {
      const w = parseWitness(text);
      if (!w) fail('invalid_input', { field: 'text' }, 'errors.witness_unreadable');
      const svc = core.need();
      const stored = verificationRuns(svc.ledger.db).entryHash(w.seq);
      const last = core.lastRun();
      return {
        seq: w.seq,
        hash: w.hash,
        source: w.source,
        subject: w.subject,
        holds: stored !== undefined && stored === w.hash,
        stored: stored ?? null,
        headSeq: svc.ledger.head().seq,
        verified: !!last && last.verified_through >= w.seq && last.review_status === 'none',
      };
    },
  };
}
