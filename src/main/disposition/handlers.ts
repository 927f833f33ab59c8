import type { SignatureView } from '../../shared/contract/common';
import { actorOf, type HandlersOf } from '../dispatcher/handler-kit';
import type { SignatureRow } from '../identity';
import type { CoaService } from './coa';
import type { DispositionService } from './disposition-service';

/** What the disposition channels need: the service, the certificate and dossier, signatures as printed. */
export interface DispositionHandlerDeps {
  disposition: Pick<
    DispositionService,
    'queue' | 'readiness' | 'auditEntries' | 'auditReview' | 'auditSummary' | 'forward' | 'decide'
  >;
  coa: Pick<CoaService, 'issueCoa' | 'dossier'>;
  /** A signature as every screen shows it. */
  signatureView(row: SignatureRow): SignatureView;
}

export function dispositionHandlers(use: () => DispositionHandlerDeps): HandlersOf<'disposition'> {
  return {
    'disposition.queue': ({ limit }) => use().disposition.queue(limit),
    'disposition.readiness': ({ lotCode }) => use().disposition.readiness(lotCode),
    'disposition.auditEntries': ({ lotCode, onlyUnreviewed }) => use().disposition.auditEntries(lotCode, onlyUnreviewed),
    'disposition.auditReview': ({ lotCode, throughSeq, comment, signature, summaryHash }, ctx) =>
      use().disposition.auditReview(actorOf(ctx).id, lotCode, throughSeq, comment, signature.password, signature.meaning, summaryHash),
    'disposition.auditSummary': ({ lotCode }) => use().disposition.auditSummary(lotCode),
    'disposition.forward': ({ lotCode }) => use().disposition.forward(lotCode),
    'disposition.decide': async ({ lotCode, decision, reason, propagate, signature, expectedRev, expectedBasis }, ctx) => {
      const d = use();
      const r = await d.disposition.decide(
        actorOf(ctx).id,
        lotCode,
        decision,
        reason,
        propagate,
        signature.password,
        signature.meaning,
        signature.comment,
        expectedRev,
        expectedBasis,
      );
      return { ...r, signatures: r.signatures.map((s) => d.signatureView(s)) };
    },
    'disposition.coa': ({ lotCode, locale }, ctx) => use().coa.issueCoa(actorOf(ctx), lotCode, locale),
    'disposition.dossier': ({ lotCode, locale }) => use().coa.dossier(lotCode, locale),
  };
}
