import type { IdentityService } from '../identity';
import type { Ledger } from '../ledger/ledger';
import type { LotControls } from '../lots';
import type { TestingService } from '../testing';
import { InstrumentCapture, type InstrumentsTestHooks } from './capture';
import { InstrumentChecks } from './checks';
import { FrameReceiver } from './frames';
import type { ConnectionManager } from './connections';
import { InstrumentRegistry } from './registry';
import type { InstrumentRules } from './rules';

export type { InstrumentsTestHooks } from './capture';

/** What the instruments capability needs of others (their front doors), given by the composition root. */
export interface InstrumentsDeps {
  testing: Pick<TestingService, 'row' | 'item' | 'views' | 'applyCapture' | 'standingOfSample' | 'typedOnInstrument'>;
  identity: Pick<IdentityService, 'authenticateSigner' | 'sign'>;
  lots: Pick<LotControls, 'lot'>;
}

/**
 * Benchtop instruments (issues 10, 19 §5, 20 §1): the registry (registry.ts), captures of
 * readings and print-format records into results with the raw bytes as the original record
 * and refused frames kept as evidence (capture.ts), calibration, daily checks against plans
 * fixed by a QA manager and the impact of a failed one with its signed hold (checks.ts), and
 * the rules every path shares (rules.ts). Connections live in the ConnectionManager (main
 * process); this service decides what a reading may become. It only builds the parts and
 * offers their methods to the handlers.
 */
export class InstrumentsService {
  readonly registry: InstrumentRegistry;
  readonly captures: InstrumentCapture;
  readonly checks: InstrumentChecks;
  /** Signed frames captured at a bench, received by the record (issue 23 §4). */
  readonly frames: FrameReceiver;
  /** Test seams of the capture path (issue 19 §7); never set outside tests. */
  hooks: InstrumentsTestHooks = {};

  constructor(
    ledger: Ledger,
    readonly connections: ConnectionManager,
    readonly rules: InstrumentRules,
    deps: InstrumentsDeps,
  ) {
    this.registry = new InstrumentRegistry(ledger, rules.queries, connections, rules);
    this.captures = new InstrumentCapture(ledger, this.registry, rules, deps.testing, () => this.hooks);
    this.checks = new InstrumentChecks(ledger, rules.queries, this.registry, deps);
    this.frames = new FrameReceiver(ledger, this.registry, this.captures, rules.queries);
  }

  // registry
  readonly row = (id: string) => this.registry.row(id);
  readonly lock = (...a: Parameters<InstrumentRegistry['lock']>) => this.registry.lock(...a);
  readonly list = (includeInactive: boolean) => this.registry.list(includeInactive);
  readonly overdueChecks = (withinDays: number) => this.registry.overdueChecks(withinDays);
  readonly get = (id: string) => this.registry.get(id);
  readonly save = (...a: Parameters<InstrumentRegistry['save']>) => this.registry.save(...a);
  readonly connect = (id: string) => this.registry.connect(id);
  readonly disconnect = (id: string) => this.registry.disconnect(id);
  readonly instrumentFailure = (...a: Parameters<InstrumentRegistry['instrumentFailure']>) =>
    this.registry.instrumentFailure(...a);
  // captures
  readonly outcome = (...a: Parameters<InstrumentCapture['outcome']>) => this.captures.outcome(...a);
  readonly capture = (...a: Parameters<InstrumentCapture['capture']>) => this.captures.capture(...a);
  readonly read = (...a: Parameters<InstrumentCapture['read']>) => this.captures.read(...a);
  readonly submitFrame = (...a: Parameters<FrameReceiver['submit']>) => this.frames.submit(...a);
  // calibration and checks
  readonly saveCheckPlan = (...a: Parameters<InstrumentChecks['saveCheckPlan']>) => this.checks.saveCheckPlan(...a);
  readonly dailyCheck = (...a: Parameters<InstrumentChecks['dailyCheck']>) => this.checks.dailyCheck(...a);
  readonly calibration = (...a: Parameters<InstrumentChecks['calibration']>) => this.checks.calibration(...a);
  readonly impact = (eventId: string) => this.checks.impact(eventId);
  readonly holdImpact = (...a: Parameters<InstrumentChecks['holdImpact']>) => this.checks.holdImpact(...a);
}
