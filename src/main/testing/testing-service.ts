import type { ResultView } from '../../shared/contract/channels/testing';
import type { TestItem } from '../../shared/rules';
import type { SpecService } from '../catalog';
import type { IdentityService } from '../identity';
import type { Row } from '../ledger/entities';
import type { Ledger, LedgerWriter } from '../ledger/ledger';
import type { SamplesService } from '../samples';
import { ResultAttachments } from './attachments';
import { ControlCharts } from './charts';
import { LotCompleteness } from './completeness';
import type { TestingContext, TestingHooks, ValueInstrumentGuard } from './context';
import { ResultEntry } from './entry';
import { MethodRules } from './method-rules';
import { MicroWorkflow, type MicroLotStatus } from './micro';
import { MicroSteps } from './micro-steps';
import { OosInvestigations } from './oos';
import { TestPlanner } from './plan';
import { testingQueries, type ResultRecord, type TestingOwners, type TestingQueries } from './queries';
import { ResultReview } from './review';
import { Trends } from './trends';
import { ResultViews } from './views';
import { TestingWaiting } from './waiting';

/**
 * Testing (issue 8): test plans from the specification version in force on the lot's date,
 * result entry with replicates, basis conversion, GB/T 8170 rounding and limit evaluation
 * (src/shared/rules/testing.ts), calculated items, submission (`authored`) and
 * second-person review (`reviewed`), corrections that keep the original, OOS
 * investigations that hold the lot, lot completeness, micro workflow, control charts and
 * trends. Every change goes through the ledger; signatures through IdentityService.sign in
 * the same transaction.
 *
 * This class only builds the parts (one file each) and offers what other capabilities ask
 * of testing; the handlers call the parts.
 */
export class TestingService {
  readonly reading: ResultViews;
  readonly plan: TestPlanner;
  readonly entry: ResultEntry;
  readonly review: ResultReview;
  readonly oos: OosInvestigations;
  readonly attachments: ResultAttachments;
  readonly lotCompleteness: LotCompleteness;
  readonly methods: MethodRules;
  readonly trends: Trends;
  readonly microSteps: MicroSteps;
  /** Presumptive positives, confirmations, automatic holds, expected completion (issue 20 §3). */
  readonly micro: MicroWorkflow;
  /** Signed baselines, Westgard against them, QC check-sample charts (issue 20 §6). */
  readonly charts: ControlCharts;
  /** What waits for one person: open tests, results to review (issue 22 §1). */
  readonly waiting: TestingWaiting;
  private readonly q: TestingQueries;

  constructor(
    ledger: Ledger,
    identity: IdentityService,
    specs: SpecService,
    samples: SamplesService,
    attachmentsDir: string,
    readonly hooks: TestingHooks,
    /** The reads testing asks of the capabilities that own the data (lots, catalog, samples). */
    owners: TestingOwners,
    instrumentGuard: ValueInstrumentGuard | null = null,
  ) {
    const q = testingQueries(ledger.db, owners);
    this.q = q;
    this.micro = new MicroWorkflow(ledger, q);
    this.charts = new ControlCharts(ledger, identity, q);
    const ctx: TestingContext = {
      ledger,
      identity,
      specs,
      samples,
      attachmentsDir,
      hooks,
      instrumentGuard,
      q,
      micro: this.micro,
      charts: this.charts,
    };
    this.reading = new ResultViews(ctx);
    this.plan = new TestPlanner(ctx, this.reading);
    this.entry = new ResultEntry(ctx, this.reading);
    this.oos = new OosInvestigations(ctx, this.reading, this.plan);
    this.review = new ResultReview(ctx, this.reading, this.oos);
    this.waiting = new TestingWaiting(ctx, this.review);
    this.attachments = new ResultAttachments(ctx, this.reading);
    this.lotCompleteness = new LotCompleteness(ctx, this.reading, this.plan, this.oos);
    this.methods = new MethodRules(ctx);
    this.trends = new Trends(ctx);
    this.microSteps = new MicroSteps(ctx, this.reading, this.entry);
  }

  // ---------------------------------------------------------- what other capabilities use

  /** A registered sample's tests, planned in the registering transaction (samples). */
  planSample(w: LedgerWriter, sample: Row): number {
    return this.plan.planSample(w, sample);
  }

  /** A result that exists (instruments). */
  row(id: string): Row {
    return this.reading.row(id);
  }

  /** The standing results (not invalidated) of a sample, by its code, in plan order (instruments). */
  standingOfSample(sampleCode: string): ResultRecord[] {
    return this.q.results.standingOfSampleCode(sampleCode);
  }

  /** Standing results whose value names an instrument (its code, any case), entered since `since` (instruments). */
  typedOnInstrument(instrumentCode: string, since: number): ResultRecord[] {
    return this.q.results.typedOnInstrument(instrumentCode, since);
  }

  /** The item a result was planned with (instruments). */
  item(r: Row): TestItem {
    return this.reading.item(r);
  }

  /** The view of a result (instruments). */
  view(r: Row): ResultView {
    return this.reading.view(r);
  }

  /** Views of results (instruments). */
  views(rows: Row[]): ResultView[] {
    return this.reading.views(rows);
  }

  /** An instrument reading into replicate k, inside the capture's transaction (instruments). */
  applyCapture(...a: Parameters<ResultEntry['applyCapture']>): ResultView[] {
    return this.entry.applyCapture(...a);
  }

  /** A lot's completeness (disposition). */
  completeness(lotCode: string) {
    return this.lotCompleteness.completeness(lotCode);
  }

  /** Open or confirmed OOS investigations blocking a lot (disposition). */
  blockingOos(lotCode: string): string[] {
    return this.oos.blockingOos(lotCode);
  }

  /** A lot's micro status (disposition). */
  microStatus(lotCode: string): MicroLotStatus {
    return this.micro.status(lotCode);
  }
}
