import {
  noKeys,
  summariseExceptions,
  summaryCanonicalContent,
  type AuditFact,
  type BusinessKeys,
  type Content,
  type ExceptionSummary,
} from '../../shared/rules/audit-exceptions';
import type { CorrectionReads } from '../ledger/corrections';
import { canonical, sha256Hex } from '../ledger/hashing';
import type { EntryRow } from './queries/statements';

/**
 * THE source of the "corrections" category of the audit-trail summary: which entries of a
 * lot's scope are corrections. A correction is a record the ledger writes with the corrected
 * change (the `correction` table, D-073), never inferred from the audit reason's text.
 */
export function correctedSeqs(
  rows: readonly Pick<EntryRow, 'seq'>[],
  corrections: Pick<CorrectionReads, 'correctionSeqsAmong'>,
): Set<number> {
  return corrections.correctionSeqsAmong(rows.map((r) => r.seq));
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function parsedItem(v: unknown): { name_zh?: unknown; name_en?: unknown } | null {
  if (v && typeof v === 'object') return v as { name_zh?: unknown; name_en?: unknown };
  if (typeof v === 'string') {
    try {
      const o = JSON.parse(v) as unknown;
      return o && typeof o === 'object' ? (o as { name_zh?: unknown; name_en?: unknown }) : null;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * The entries of a lot's scope as facts for the classifier (src/shared/rules/audit-exceptions.ts):
 * each with the record's content before it (the previous entry of the same record in the scope)
 * and the business keys people use — lot, sample, item (with its Chinese and English names) —
 * resolved from the records themselves (a capture or signature takes its result's keys).
 */
export function auditFacts(rows: readonly EntryRow[], corrected: ReadonlySet<number>): AuditFact[] {
  const contents = rows.map((r) => JSON.parse(r.content) as Content);
  // First pass: what each record is, by id (latest content), and the items' names by code.
  const byId = new Map<string, BusinessKeys>();
  const names = new Map<string, { zh: string | null; en: string | null }>();
  const own = (entity: string, c: Content): BusinessKeys => {
    const itemCode = str(c['item_code']);
    const item = parsedItem(c['item']);
    if (itemCode && item) names.set(itemCode, { zh: str(item.name_zh), en: str(item.name_en) });
    return {
      lot: entity === 'lot' ? str(c['code']) : str(c['lot_code']),
      sample: entity === 'sample' ? str(c['code']) : str(c['sample_code']),
      itemCode,
      itemZh: null,
      itemEn: null,
    };
  };
  rows.forEach((r, i) => byId.set(`${r.entity}|${r.entity_id}`, own(r.entity, contents[i]!)));
  const resultKeys = (id: unknown): BusinessKeys | undefined =>
    typeof id === 'string' ? byId.get(`test_result|${id}`) : undefined;
  const sampleKeys = (id: unknown): BusinessKeys | undefined =>
    typeof id === 'string' ? byId.get(`sample|${id}`) : undefined;
  const merge = (a: BusinessKeys, b: BusinessKeys | undefined): BusinessKeys =>
    b
      ? {
          lot: a.lot ?? b.lot,
          sample: a.sample ?? b.sample,
          itemCode: a.itemCode ?? b.itemCode,
          itemZh: null,
          itemEn: null,
        }
      : a;
  const withNames = (k: BusinessKeys): BusinessKeys => {
    const n = k.itemCode ? names.get(k.itemCode) : undefined;
    return { ...k, itemZh: n?.zh ?? null, itemEn: n?.en ?? null };
  };

  const prev = new Map<string, Content>();
  return rows.map((r, i) => {
    const key = `${r.entity}|${r.entity_id}`;
    const after = contents[i]!;
    const before = prev.get(key) ?? null;
    prev.set(key, after);
    let keys = byId.get(key) ?? noKeys;
    keys = merge(keys, resultKeys(after['result_id']));
    keys = merge(keys, sampleKeys(after['sample_id']));
    if (r.entity === 'signature') {
      const signed = `${String(after['entity'])}|${String(after['entity_id'])}`;
      keys = merge(keys, byId.get(signed));
    }
    return {
      seq: r.seq,
      at: r.at,
      actorName: r.actor_name,
      action: r.action,
      entity: r.entity,
      reason: r.reason,
      before,
      after,
      keys: withNames(keys),
      corrected: corrected.has(r.seq),
    };
  });
}

export interface LotAuditSummary extends ExceptionSummary {
  lotCode: string;
  /** The last entry the summary covers (the newest entry of the lot's records to review; 0: none). */
  throughSeq: number;
  /** Entries read (the scope's entries not yet reviewed, without the lot's own decisions). */
  entries: number;
  /** SHA-256 of the summary's canonical content (summaryCanonicalContent): what the signature attests. */
  hash: string;
}

/**
 * The summary of exceptions among the entries a review covers (`toReview`: the unreviewed ones),
 * classified with the whole scope as context (a change is judged against the content before it).
 */
export function lotAuditSummary(
  lotCode: string,
  rows: readonly EntryRow[],
  toReview: ReadonlySet<number>,
  corrected: ReadonlySet<number>,
): LotAuditSummary {
  const facts = auditFacts(rows, corrected).filter((f) => toReview.has(f.seq));
  const s = summariseExceptions(facts);
  // Bound by the lot's own entries (not the ledger head): work elsewhere in the plant does not change it.
  const through = facts.reduce((m, f) => Math.max(m, f.seq), 0);
  const hash = sha256Hex(canonical(summaryCanonicalContent(lotCode, through, facts.length, s)));
  return { lotCode, throughSeq: through, entries: facts.length, counts: s.counts, exceptions: s.exceptions, hash };
}
