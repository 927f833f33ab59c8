import type { Ledger } from '../ledger/ledger';
import { LabelEvidence } from './labels';
import { releaseEvidenceQueries, type ReleaseEvidenceOwners } from './queries';
import { RetentionEvidence } from './retention';

export type { RetentionKept } from './retention';

/**
 * Label values of products and retention-sample evidence (issue 20 §5): the declared values
 * and the rule applied, the lot comparison shown on the release checklist, retention profiles
 * (required quantity, storage conditions, observation schedule), withdrawals and retention
 * observations (留样观察). Every change goes through the ledger.
 *
 * A facade over its two parts: labels.ts (label values, rule confirmation, comparison) and
 * retention.ts (profiles, withdrawals, observations), sharing one set of queries.
 */
export class ReleaseEvidenceService {
  private readonly labelParts: LabelEvidence;
  private readonly retention: RetentionEvidence;

  constructor(
    ledger: Ledger,
    /** The reads release evidence asks of the capabilities that own the data (lots, catalog, samples, testing). */
    owners: ReleaseEvidenceOwners,
  ) {
    const q = releaseEvidenceQueries(ledger.db, owners);
    this.labelParts = new LabelEvidence(ledger, q);
    this.retention = new RetentionEvidence(ledger, q);
  }

  // label values (disposition reads labelComparison for the release checklist and the COA)
  readonly labelComparison = (lotCode: string) => this.labelParts.labelComparison(lotCode);
  readonly labels = (productCode: string) => this.labelParts.labels(productCode);
  readonly saveLabel = (...a: Parameters<LabelEvidence['saveLabel']>) => this.labelParts.saveLabel(...a);
  readonly retireLabel = (...a: Parameters<LabelEvidence['retireLabel']>) => this.labelParts.retireLabel(...a);
  readonly confirmRule = (...a: Parameters<LabelEvidence['confirmRule']>) => this.labelParts.confirmRule(...a);
  readonly compare = (lotCode: string) => this.labelParts.compare(lotCode);

  // retention (disposition reads retentionState; a spot check withdraws inside its own transaction)
  readonly withdrawal = (id: string) => this.retention.withdrawal(id);
  readonly retentionState = (lotCode: string) => this.retention.retentionState(lotCode);
  readonly profile = (productCode: string) => this.retention.profile(productCode);
  readonly saveProfile = (...a: Parameters<RetentionEvidence['saveProfile']>) => this.retention.saveProfile(...a);
  readonly detail = (code: string) => this.retention.detail(code);
  readonly withdrawIn = (...a: Parameters<RetentionEvidence['withdrawIn']>) => this.retention.withdrawIn(...a);
  readonly withdraw = (...a: Parameters<RetentionEvidence['withdraw']>) => this.retention.withdraw(...a);
  readonly observe = (...a: Parameters<RetentionEvidence['observe']>) => this.retention.observe(...a);
  readonly observationsDue = (withinDays: number) => this.retention.observationsDue(withinDays);
}
