import type { z } from 'zod';
import {
  tankerDocumentKinds,
  type TankerDocumentInput,
  type intakeDetailSchema,
} from '../../shared/contract/channels/intake';
import { fail } from '../../shared/contract/errors';
import { permissionsOf, type SignatureMeaning } from '../../shared/domain/roles';
import { isValidDate } from '../../shared/rules';
import { actorOf, userRoles, type IdentityService } from '../identity';
import type { Actor, Ledger } from '../ledger/ledger';
import { localDate } from '../lots';
import { I } from './entities';
import {
  documentsRecord,
  type DocumentProblem,
  type DocumentsRecord,
  type IntakeQueries,
  type IntakeRecord,
  type LotRow,
  type RecordedDocument,
  type TankerDocumentKind,
} from './queries';
import { iso, mustTanker } from './tanker-lot';

type IntakeDetail = z.infer<typeof intakeDetailSchema>;

/**
 * The documents a tanker carries (第二十五条 and the national raw-milk rules, issue 20 §4):
 * each checked against the receipt date, deficiencies blocking acceptance unless a QA manager
 * signs an override of exactly those.
 */
export class TankerDocuments {
  constructor(
    private readonly ledger: Ledger,
    private readonly q: IntakeQueries,
    private readonly identity: Pick<IdentityService, 'authenticateSigner' | 'sign' | 'getUser'>,
    /** The tanker's lot and its intake, still open (not decided), else an error. */
    private readonly open: (lotCode: string) => { lot: LotRow; intake: IntakeRecord },
  ) {}

  /** Each document with its problem, from what was recorded and the receipt date. */
  check(input: TankerDocumentInput[], lot: LotRow): { items: RecordedDocument[]; deficient: TankerDocumentKind[] } {
    const kinds = input.map((d) => d.kind);
    if (new Set(kinds).size !== kinds.length)
      fail('invalid_input', { field: 'documents' }, 'errors.intake_document_repeated');
    const receiptDay = this.receiptDay(lot);
    const items = tankerDocumentKinds.map((kind) => {
      const d: TankerDocumentInput = input.find((x) => x.kind === kind) ?? {
        kind,
        present: false,
        number: null,
        issuer: null,
        validUntil: null,
        date: null,
        note: null,
      };
      for (const [field, v] of [
        ['validUntil', d.validUntil],
        ['date', d.date],
      ] as const)
        if (v && !isValidDate(v)) fail('invalid_input', { field: `documents.${kind}.${field}` }, 'errors.date_invalid');
      let problem: DocumentProblem | null = null;
      if (!d.present) problem = 'missing';
      else if (kind === 'cleaning_record') {
        if (!d.date) problem = 'incomplete';
        else if (d.date > receiptDay) problem = 'after_receipt';
      } else if (!d.number) problem = 'incomplete';
      else if (kind === 'transport_permit' || kind === 'purchase_licence') {
        if (!d.validUntil) problem = 'incomplete';
        else if (d.validUntil < receiptDay) problem = 'expired';
      }
      return { ...d, problem };
    });
    return { items, deficient: items.filter((i) => i.problem !== null).map((i) => i.kind) };
  }

  private receiptDay(lot: LotRow): string {
    const r = lot.receipt_id ? this.q.receipt(lot.receipt_id) : undefined;
    return r?.received_at ? localDate(this.ledger.timeZone, r.received_at) : lot.lot_date.slice(0, 10);
  }

  private documentsRow(intakeId: string): DocumentsRecord | undefined {
    return this.q.documents(intakeId);
  }

  view(intake: IntakeRecord | undefined, lot: LotRow): IntakeDetail['documents'] {
    const row = intake ? this.documentsRow(intake.id) : undefined;
    if (!row) {
      // An intake started before issue 20 has no record of its documents: shown as not recorded.
      const none = this.check([], lot);
      return {
        items: none.items,
        deficient: none.deficient,
        recordedBy: null,
        recordedAt: null,
        override: null,
        blocking: !!intake && intake.status === 'testing' && none.deficient.length > 0,
      };
    }
    const items = row.documents;
    const deficient = row.deficient;
    const overridden = !!row.override_at;
    const by = row.override_by ?? null;
    return {
      items,
      deficient,
      recordedBy: row.recorded_by,
      recordedAt: iso(row.recorded_at),
      override: overridden
        ? {
            by: by ?? '',
            printedName: (by && this.identity.getUser(by)?.printed_name) || null,
            at: iso(row.override_at)!,
            reason: row.override_reason ?? '',
          }
        : null,
      blocking: deficient.length > 0 && !overridden,
    };
  }

  /** Acceptance needs the tanker's documents, or a QA manager's signed override of what is missing. */
  mustHave(intake: IntakeRecord, lotCode: string): void {
    const row = this.documentsRow(intake.id);
    const deficient: string[] = row ? row.deficient : [...tankerDocumentKinds];
    if (deficient.length && !row?.override_at)
      fail('conflict', { lot: lotCode, documents: deficient.join(', ') }, 'errors.intake_documents_missing');
  }

  /** Records the documents again (a slip brought later, a number corrected); an earlier override no longer applies. */
  save(actor: Actor, lotCode: string, documents: TankerDocumentInput[], reason: string): void {
    const { lot, intake } = this.open(lotCode);
    const docs = this.check(documents, lot);
    this.ledger.write(actor, (w) => {
      const cur = this.documentsRow(intake.id);
      const fields = {
        documents: JSON.stringify(docs.items),
        deficient: JSON.stringify(docs.deficient),
        recorded_by: actor.id,
        recorded_at: w.at,
        override_reason: null,
        override_by: null,
        override_at: null,
      };
      if (cur) w.update(I.documents, cur.id, fields, { reason });
      else w.create(I.documents, { intake_id: intake.id, lot_code: lotCode, ...fields }, { reason });
    });
  }

  /**
   * A QA manager's signed exception (`override`) for the deficiencies on record, given at the
   * terminal where the intake is recorded. It covers exactly those: recording the documents
   * again withdraws it.
   */
  async override(
    signerId: string,
    lotCode: string,
    reason: string,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ): Promise<void> {
    if (meaning !== 'override')
      fail('invalid_input', { field: 'signature.meaning', expected: 'override' }, 'errors.signature_meaning_mismatch');
    const { intake } = this.open(lotCode);
    const row = this.documentsRow(intake.id);
    const deficient: string[] = row ? row.deficient : [...tankerDocumentKinds];
    if (deficient.length === 0) fail('conflict', { lot: lotCode }, 'errors.intake_documents_complete');
    if (row?.override_at) fail('conflict', { lot: lotCode }, 'errors.intake_documents_overridden');
    const signer = await this.identity.authenticateSigner(signerId.trim().toLowerCase(), password);
    if (!permissionsOf(userRoles(signer)).has('intake.reject'))
      fail('forbidden', { permission: 'intake.reject', signer: signer.id }, 'errors.override_needs_qa');
    this.ledger.write(actorOf(signer), (w) => {
      let cur = this.documentsRow(intake.id);
      if (cur && (cur.rev !== row?.rev || cur.override_at)) fail('conflict', { lot: lotCode }, 'errors.stale_record');
      if (!cur) {
        const none = this.check([], mustTanker(this.q, lotCode));
        cur = documentsRecord(
          w.create(I.documents, {
            intake_id: intake.id,
            lot_code: lotCode,
            documents: JSON.stringify(none.items),
            deficient: JSON.stringify(none.deficient),
            recorded_by: signer.id,
            recorded_at: w.at,
            override_reason: null,
            override_by: null,
            override_at: null,
          }),
        );
      }
      w.update(
        I.documents,
        cur.id,
        { override_reason: reason, override_by: signer.id, override_at: w.at },
        { reason: `documents override: ${reason}` },
      );
      this.identity.sign(
        w,
        signer,
        { def: I.documents, id: cur.id },
        { meaning: 'override', comment: comment ?? `${reason} (${deficient.join(', ')})` },
      );
    });
  }
}
