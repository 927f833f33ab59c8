import type { CatalogReads } from '../../catalog';
import type { Db } from '../../db/database';
import { recordHistory } from '../../ledger/audit-queries';
import type { LotReads } from '../../lots';
import type { SampleReads } from '../../samples';
import type { TestingReads } from '../../testing';

/**
 * What intake asks the capabilities that own the data (issue 21: "no capability reads
 * another's tables; it asks the owner"): lots (lot, receipt, batch), catalog (supplier),
 * samples (sample), testing (test_result), and the ledger (a supplier's sampling level's
 * audit history). The composition root passes the owners' reads (src/main/app/compose.ts);
 * this file holds no SQL and only names the questions the way intake's services ask them.
 */
export interface IntakeOwners {
  lots: Pick<LotReads, 'liveLot' | 'lotId' | 'lotKind' | 'lotSupplier' | 'lotBatch' | 'receipt'>;
  catalog: Pick<CatalogReads, 'supplierExists' | 'supplierName' | 'suppliers'>;
  samples: Pick<SampleReads, 'tankerSample' | 'retentionSampleLot'>;
  testing: Pick<TestingReads, 'panelResults'>;
}

/** One audit entry of a supplier's sampling record, its content parsed (the level as it then stood). */
export interface SamplingHistoryEntry {
  at: number;
  actor: string;
  /** The entry's reason. */
  reason: string | null;
  level: string;
  consecutive_passes: number;
  /** The record's own `reason` column as the entry wrote it. */
  record_reason: string | null;
}

export function ownerReads(db: Db, o: IntakeOwners) {
  const history = recordHistory(db);
  return {
    /** catalog: an active supplier of that code exists. */
    supplierExists: (code: string) => o.catalog.supplierExists(code),
    /** catalog: the supplier's name. */
    supplierName: (code: string) => o.catalog.supplierName(code),
    /** catalog: the active suppliers (one, or all), by code. */
    suppliers: (code?: string) => o.catalog.suppliers(code),
    /** ledger: the audit entries of a supplier's sampling record, newest first (its history). */
    samplingHistory: (id: string): SamplingHistoryEntry[] =>
      history.newestOf('supplier_sampling', id, 200).map((e) => {
        const c = e.content;
        return {
          at: e.at,
          actor: e.actor,
          reason: e.reason,
          level: String(c['level']),
          consecutive_passes: Number(c['consecutive_passes']),
          record_reason: typeof c['reason'] === 'string' ? c['reason'] : null,
        };
      }),
    /** lots: the lot of that code (not retired). */
    lot: (code: string) => o.lots.liveLot(code),
    lotId: (code: string) => o.lots.lotId(code),
    lotKind: (code: string) => o.lots.lotKind(code),
    lotSupplier: (code: string) => o.lots.lotSupplier(code),
    /** lots: a lot's item name and its batch (code, line). */
    lotBatch: (code: string) => o.lots.lotBatch(code),
    /** lots: the receipt of a tanker. */
    receipt: (id: string) => o.lots.receipt(id),
    /** samples: the tanker's own sample (the first, not a split, not cancelled). */
    tankerSample: (lotCode: string) => o.samples.tankerSample(lotCode),
    /** samples: the lot of a retention sample. */
    retentionSampleLot: (code: string) => o.samples.retentionSampleLot(code),
    /** testing: the standing results of a sample (not invalidated), in plan order, items parsed. */
    panelResults: (sampleId: string) => o.testing.panelResults(sampleId),
  };
}
