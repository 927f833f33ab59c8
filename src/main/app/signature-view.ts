import type { SignatureView } from '../../shared/contract/common';
import type { SignatureMeaning } from '../../shared/domain/roles';
import type { SignatureRow } from '../identity/identity';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A signature as every screen and printout shows it: printed name / date-time / meaning (11.50). */
export function signatureView(r: SignatureRow): SignatureView {
  return {
    id: r.id,
    userId: r['user_id'] as string,
    printedName: r['printed_name'] as string,
    meaning: r['meaning'] as SignatureMeaning,
    signedAt: iso(r['signed_at'] as number),
    timeZone: r['tz'] as string,
    comment: (r['comment'] as string | null) ?? null,
    entity: r['entity'] as string,
    entityId: r['entity_id'] as string,
    recordHash: r['record_hash'] as string,
    valid: r.valid,
    personal: r.personal,
    keyFingerprint: r.keyFingerprint,
  };
}

