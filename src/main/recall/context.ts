import type { z } from 'zod';
import type { SignatureView } from '../../shared/contract/common';
import type { drillDetailSchema, drillFindingSchema, drillLotSchema } from '../../shared/contract/channels/recall';
import type { DocumentsService } from '../documents';
import type { IdentityService } from '../identity';
import type { Ledger } from '../ledger/ledger';
import type { LotControls, LotsService } from '../lots';
import type { SamplesService } from '../samples';
import type { RecallQueries } from './queries';

export type Detail = z.infer<typeof drillDetailSchema>;
export type Finding = z.infer<typeof drillFindingSchema>;
export type DrillLot = z.infer<typeof drillLotSchema>;

/** What the recall capability is built with (given by the composition root). */
export interface RecallDeps {
  /** The signer's authentication and the signature in the write transaction. */
  identity: Pick<IdentityService, 'authenticateSigner' | 'sign'>;
  /** The signatures of a record as every screen and printout shows them. */
  signatures(entity: string, id: string): SignatureView[];
  lots: LotsService;
  controls: LotControls;
  /** The lot's primary samples (the results behind it, for the documents step). */
  samples: Pick<SamplesService, 'primarySampleCodes'>;
  /** Prints and records the evidence pack. */
  documents: DocumentsService;
  /** The zone the plant's documents print times in (D-078); the workstation's when absent. */
  documentZone?: () => string;
}

/** The ledger, the capability's queries and its dependencies, shared by recall's parts. */
export interface RecallContext extends RecallDeps {
  ledger: Ledger;
  q: RecallQueries;
}

export function iso(ms: number): string;
export function iso(ms: number | null | undefined): string | null;
export function iso(ms: number | null | undefined): string | null {
  return typeof ms === 'number' ? new Date(ms).toISOString() : null;
}
