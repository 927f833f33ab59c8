import type { CatalogReads, SpecLabelRow } from '../../catalog';
import type { InstrumentReads } from '../../instruments';
import type { Row } from '../../ledger/entities';
import type { LotReads } from '../../lots';
import type { SampleReads } from '../../samples';

/**
 * Testing's view of other capabilities' data (issue 21: "no capability reads another's
 * tables; it asks the owner"): the owners' reads, named as testing's services ask them.
 */

/** A lot as testing reads it (table `lot`, owned by lots). */
export type LotRecord = Row & {
  code: string;
  kind: string;
  item_code: string;
  status: string;
  lot_date: string;
  supplier_code: string | null;
};

/**
 * A sample as testing reads it (table `sample`, owned by samples; SamplesService returns it
 * as a ledger row). Typed here until samples' front door returns typed rows.
 */
export type SampleRecord = Row & {
  code: string;
  kind: string;
  status: string;
  lot_code: string | null;
  spec_version_id: string | null;
  parent_sample_id: string | null;
  site_id: string | null;
  taken_at: number;
  targets: string | null;
};

export function asSample(r: Row): SampleRecord;
export function asSample(r: Row | undefined): SampleRecord | undefined;
export function asSample(r: Row | undefined): SampleRecord | undefined {
  return r as SampleRecord | undefined;
}

export type { SpecLabelRow };

/**
 * What testing asks the capabilities that own the data: lots (a lot, the lots before it),
 * catalog (a product's stage and name, a specification version's label and items, whether a
 * method is known), samples (a sample's kind) and instruments (an instrument by id or code,
 * instruments' codes, captures into results). The composition root passes the owners' reads
 * (src/main/app/compose.ts).
 */
export interface TestingOwners {
  lots: Pick<LotReads, 'lot' | 'previousLots'>;
  catalog: Pick<
    CatalogReads,
    'productStage' | 'subjectName' | 'specLabel' | 'specItemIds' | 'specItemId' | 'methodKnown'
  >;
  samples: Pick<SampleReads, 'sampleKind'>;
  instruments: Pick<
    InstrumentReads,
    'instrument' | 'codesOf' | 'capturers' | 'resultCaptures' | 'usedCaptures' | 'earlierCaptures'
  >;
}

export function foreignQueries(o: TestingOwners) {
  return {
    lot: (code: string): LotRecord | undefined => o.lots.lot(code),
    /** Up to `n` lots of the same item before this one (lot date, then code), newest first. */
    previousLots: (itemCode: string, lotCode: string, date: string, n: number): string[] =>
      o.lots.previousLots(itemCode, lotCode, date, n),
    productStage: (code: string): string | null => o.catalog.productStage(code),
    /** The name of a product or material by code. */
    subjectName: (code: string) => o.catalog.subjectName(code),
    specLabel: (versionId: string): SpecLabelRow | undefined => o.catalog.specLabel(versionId),
    /** Spec item ids of a version by item code. */
    specItemIds: (versionId: string): Map<string, string> => o.catalog.specItemIds(versionId),
    specItemId: (versionId: string, itemCode: string): string | null => o.catalog.specItemId(versionId, itemCode),
    /** A test method exists in the catalogue, or specifications name it. */
    methodKnown: (code: string): boolean => o.catalog.methodKnown(code),
    sampleKind: (sampleId: string): string | null => o.samples.sampleKind(sampleId),
    /** An instrument in service by id or code. */
    instrument: (ref: string) => o.instruments.instrument(ref),
  };
}
export type ForeignQueries = ReturnType<typeof foreignQueries>;
