import { localDate } from '../lots';
import type { Actor, Ledger } from '../ledger/ledger';
import type { LotControls } from '../lots';
import type { ImportFiles } from './formats';
import { importFiles, type ImportOptions, type ImportReport } from './import-files';

/** The import error code for each reason a stored lot may not be shipped (LotControls.useBlock). */
const SHIP_CODES: Record<string, string> = {
  'errors.lot_rejected': 'ship_not_released',
  'errors.lot_expired': 'ship_expired',
  'errors.lot_under_recall': 'ship_under_recall',
  'errors.lot_held': 'ship_held',
  'errors.lot_signature_broken': 'ship_signature_broken',
  'errors.lot_status_unsigned': 'ship_signature_broken',
};

/**
 * What QA decides that an import must respect (issue 19 §1), given by the composition root:
 * evaluated on the stored records when the checks run, and again under the write lock when
 * another writer committed in between.
 */
export interface ImportRules {
  /** From this date on (YYYY-MM-DD) LotSeal decides; lots dated before it are history. */
  goLiveDate: string;
  /** The import's own date (local): new suppliers created from the go-live date on enter not approved. */
  today: string;
  /** Why a stored lot may not be shipped on a date (null: it may): status, hold, recall, signature. */
  storedShipBlock(lotCode: string, date: string): { code: string; details: Record<string, string | number> } | null;
}

/** The ERP import of one database, with its rules (src/main/app/compose.ts builds it). */
export class ImportService {
  constructor(
    private readonly ledger: Ledger,
    private readonly controls: LotControls,
  ) {}

  rules(): ImportRules {
    const controls = this.controls;
    return {
      goLiveDate: controls.goLiveDate(),
      today: localDate(this.ledger.timeZone, this.ledger.now()),
      storedShipBlock(lotCode, date) {
        // Through the lots front door (codes are unique: a retired lot is no lot).
        const found = controls.lot(lotCode);
        const lot = found && !found.retired ? found : undefined;
        if (!lot) return null;
        const block = controls.useBlock(lot, date.slice(0, 10));
        if (block) {
          const d = (block.details ?? {}) as Record<string, unknown>;
          return {
            code: SHIP_CODES[block.messageKey] ?? 'ship_not_released',
            details: {
              lot: lotCode,
              status: String(lot.status),
              recalls: String(d['recalls'] ?? ''),
              expiry: String(d['expiry'] ?? ''),
            },
          };
        }
        const status = lot.status;
        if (status !== 'released' && status !== 'accepted')
          return { code: 'ship_not_released', details: { lot: lotCode, status, recalls: '', expiry: '' } };
        return null;
      },
    };
  }

  run(actor: Actor, files: ImportFiles, opts: Omit<ImportOptions, 'rules'>): Promise<ImportReport> {
    return importFiles(this.ledger, actor, files, { ...opts, rules: () => this.rules() });
  }
}
