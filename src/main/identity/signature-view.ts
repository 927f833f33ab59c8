import type { SignatureView } from '../../shared/contract/common';
import type { SignatureRow } from './model';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A signature as every screen and printout shows it: printed name / date-time / meaning (11.50). */
export function signatureView(r: SignatureRow): SignatureView {
  return {
    id: r.id,
    userId: r.user_id,
    printedName: r.printed_name,
    meaning: r.meaning,
    signedAt: iso(r.signed_at),
    timeZone: r.tz,
    comment: r.comment ?? null,
    entity: r.entity,
    entityId: r.entity_id,
    recordHash: r.record_hash,
    valid: r.valid,
    personal: r.personal,
    keyFingerprint: r.keyFingerprint,
  };
}
