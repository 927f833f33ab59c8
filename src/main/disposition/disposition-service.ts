import type { z } from 'zod';
import type { AuditSummaryView, Readiness, forwardSchema } from '../../shared/contract/channels/disposition';
import { AppErrorException, appError, fail, type AppError } from '../../shared/contract/errors';
import { QuantityDecimal } from '../../shared/domain/units';
import { permissionsOf, type Role, type SignatureMeaning } from '../../shared/domain/roles';
import {
  RECEIVED_KINDS,
  evaluateReadiness,
  productionLine,
  type LedgerProblem,
  type LotReadinessFacts,
} from '../../shared/rules/readiness';
import { readinessBasis } from '../../shared/rules/readiness-basis';
import { actorOf, type IdentityService } from '../identity';
import type { SettingsService } from '../identity';
import { imfStages } from '../catalog';
import type { Ledger } from '../ledger/ledger';
import { mustBeRevision, recordChanged } from '../ledger/revision';
import { asLot, L } from '../lots';
import type { TestingService } from '../testing';
import type { SamplesService } from '../samples';
import type { EnvService } from '../environment';
import type { LotControls, LotRow } from '../lots';
import { traceLot } from '../trace';
import type { ReleaseEvidenceService } from '../release-evidence';
import { LotAuditScope, type ScopeRef } from './audit-scope';
import { dispositionQueries, type DispositionOwners, type DispositionQueries, type EntryRow } from './queries/statements';
import { gatherReadinessFacts, productionFacts, type ReadinessSources } from './queries/readiness-facts';

type Forward = z.infer<typeof forwardSchema>;
type Decision = 'release' | 'accept' | 'hold' | 'reject' | 'release_from_hold';

export type { ScopeRef };

export interface LedgerHealth {
  /** Null when the ledger's last verification found nothing unreviewed; else why not. */
  problem(): LedgerProblem;
}

/**
 * Lot disposition (issue 11): readiness computed from the records with evidence (the pure
 * checklist of src/shared/rules/readiness.ts on the facts gathered once per lot), the signed
 * decisions (positive release: no release while a line fails, no override for IMF finished
 * lots), hold propagation through the trace engine, and the lot's audit-trail review
 * (audit-scope.ts). The certificate of analysis and the dossier are built in coa.ts.
 */
export class DispositionService {
  readonly q: DispositionQueries;
  private readonly audit: LotAuditScope;
  private readonly sources: ReadinessSources;

  constructor(
    private readonly ledger: Ledger,
    private readonly identity: IdentityService,
    private readonly settings: SettingsService,
    samples: SamplesService,
    private readonly testing: TestingService,
    private readonly env: EnvService,
    private readonly controls: LotControls,
    health: LedgerHealth,
    evidence: ReleaseEvidenceService,
    /** The reads disposition asks of the capabilities that own the data (lots, catalog, intake, samples, testing, identity). */
    owners: DispositionOwners,
  ) {
    this.q = dispositionQueries(ledger.db, owners);
    this.audit = new LotAuditScope(ledger, this.q, identity, controls, (code) => this.lot(code));
    this.sources = {
      completeness: (lot) => testing.completeness(lot),
      blockingOos: (lot) => testing.blockingOos(lot),
      microStatus: (lot) => testing.microStatus(lot),
      openAlertsFor: (lot) => env.openAlertsFor(lot),
      openRecallsFor: (lot) => controls.openRecallsFor(lot),
      standing: (lot) => controls.standing(lot),
      hasRetention: (lot) => samples.hasRetention(lot),
      retentionState: (lot) => evidence.retentionState(lot),
      labelComparison: (lot) => evidence.labelComparison(lot),
      ledgerProblem: () => health.problem(),
      isImf: (lot) => this.isImf(lot),
      auditSeqs: (lot) => this.audit.toReview(lot),
    };
  }

  lot(code: string): LotRow {
    const r = this.q.lot(code);
    if (!r) fail('not_found', { entity: 'lot', id: code }, 'errors.lot_not_found');
    return r;
  }

  isImf(lot: LotRow): boolean {
    if (lot.kind !== 'finished') return false;
    const p = this.q.product(lot.item_code);
    return !!p && imfStages.has(p.stage);
  }

  // ------------------------------------------------------------------ the lot's audit scope

  scope(lot: LotRow): ScopeRef[] {
    return this.audit.scope(lot);
  }

  scopeEntries(lot: LotRow): EntryRow[] {
    return this.audit.scopeEntries(lot);
  }

  auditEntries(lotCode: string, onlyUnreviewed: boolean) {
    return this.audit.auditEntries(lotCode, onlyUnreviewed);
  }

  auditReview(
    signerId: string,
    lotCode: string,
    throughSeq: number,
    comment: string,
    password: string,
    meaning: SignatureMeaning,
    summaryHash?: string,
  ): Promise<{ ok: true }> {
    return this.audit.auditReview(signerId, lotCode, throughSeq, comment, password, meaning, summaryHash);
  }

  /** The summary of exceptions of the lot's audit trail not yet reviewed (issue 22 §5). */
  auditSummary(lotCode: string): AuditSummaryView {
    const s = this.audit.summary(lotCode);
    return { ...s, exceptions: s.exceptions.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) };
  }

  // ------------------------------------------------------------------ readiness

  /** Everything the lot's checklist reads, gathered once (src/shared/rules/readiness.ts). */
  facts(lotCode: string): LotReadinessFacts {
    return gatherReadinessFacts(this.q, this.sources, this.lot(lotCode));
  }

  /** The lot's checklist: the pure checks evaluated on the lot's facts as they are now. */
  readiness(lotCode: string): Readiness {
    const f = this.facts(lotCode);
    const r = evaluateReadiness(f);
    return { ...r, lotRev: this.lot(lotCode).rev, basis: readinessBasis(r) };
  }

  /** The release queue: finished lots on hold, each with its checklist's verdict and why it was held. */
  queue(limit: number) {
    return {
      lots: this.q.queue(limit).map((l) => {
        const r = this.readiness(l.code);
        return {
          lotCode: l.code,
          itemCode: l.item_code,
          itemName: l.item_name,
          date: l.lot_date.slice(0, 10),
          status: l.status,
          ready: r.ready,
          failing: r.lines.filter((x) => !x.ok).map((x) => x.key),
          heldFor: this.q.heldFor(l.id),
        };
      }),
    };
  }

  // ------------------------------------------------------------------ decisions

  /**
   * What a hold of the lot reaches (issue 19 §2): every forward lot (made from it, at any
   * depth) with stock left, shipped before or not — `holdable` unless rejected or held
   * already — and the lots (the lot itself included) already at customers, with the
   * quantities per customer.
   */
  forward(lotCode: string): Forward {
    this.lot(lotCode);
    const t = traceLot(this.ledger.db, lotCode)!;
    const customers = new Map(t.customers.map((c) => [c.customer, c]));
    const withStock = t.forward
      .map((f) => ({ f, row: this.q.lotAny(f.lot) }))
      .filter((x) => x.row && new QuantityDecimal(this.controls.remaining(x.row)).greaterThan(0))
      .map(({ f, row }) => ({
        lot: f.lot,
        itemCode: f.item_code,
        status: f.status,
        depth: f.depth,
        holdable: this.controls.holdable(row!),
        remaining: this.controls.remaining(row!),
        unit: row!.unit,
      }));
    const shippedLots = [...new Set(t.shipments.map((s) => s.lot))];
    const shipped = shippedLots.map((lot) => ({
      lot,
      customers: t.shipments
        .filter((s) => s.lot === lot)
        .map((s) => {
          const c = customers.get(s.customer);
          return {
            code: s.customer,
            name: c?.name ?? null,
            contact: c?.contact ?? null,
            phone: c?.phone ?? null,
            quantity: s.quantity,
            unit: s.unit,
          };
        }),
    }));
    return { unshipped: withStock, shipped };
  }

  /**
   * The guard of every positive lot decision (accept, release, release from hold), whatever
   * path makes it (lots.decide, the disposition screen): no open or confirmed OOS, no open
   * environmental alert naming the lot, no open recall covering it, and for an IMF finished
   * lot (release) a complete readiness. Called inside the decision's write transaction.
   */
  decisionBlock(lotCode: string, decision: Decision): AppError | null {
    if (decision !== 'accept' && decision !== 'release' && decision !== 'release_from_hold') return null;
    const oos = this.testing.blockingOos(lotCode);
    if (oos.length) return appError('conflict', { lot: lotCode, oos: oos.join(', ') }, 'errors.lot_open_oos');
    const alerts = this.env.openAlertsFor(lotCode);
    if (alerts.length) return appError('conflict', { lot: lotCode, alerts: alerts.join(', ') }, 'errors.lot_env_alert');
    const recalls = this.controls.openRecallsFor(lotCode);
    if (recalls.length)
      return appError('conflict', { lot: lotCode, recalls: recalls.join(', ') }, 'errors.lot_under_recall');
    const lot = this.q.lotAny(lotCode);
    if (!lot || decision === 'accept') return null;
    // An IMF finished lot: its whole checklist, evaluated once on the facts as they are now.
    const imf = this.isImf(lot);
    const facts = imf && !lot.retired ? gatherReadinessFacts(this.q, this.sources, lot) : null;
    // A produced lot is released only once made: its batch completed and a quantity above zero (issue 19 §4).
    if (lot.kind === 'finished' || lot.kind === 'intermediate') {
      const p = productionLine(facts?.scope === 'produced' ? facts : productionFacts(this.q, lot));
      if (!p.ok) return appError('conflict', { lot: lotCode, ...p.details }, 'errors.lot_not_produced');
    }
    if (imf) {
      const r = facts ? evaluateReadiness(facts) : this.readiness(lotCode);
      if (!r.ready) {
        const failing = r.lines.filter((l) => !l.ok).map((l) => l.key);
        return appError('conflict', { lot: lotCode, failing: failing.join(', ') }, 'errors.lot_not_ready');
      }
    }
    return null;
  }

  /** Why this decision may not be made now (null: it may), from the readiness computed on the records as they are. */
  private decisionProblem(lotCode: string, decision: Decision): AppError | null {
    const lot = this.lot(lotCode);
    const r = this.readiness(lotCode);
    if (r.allowedDecisions.includes(decision)) return null;
    if ((decision === 'release' || decision === 'release_from_hold' || decision === 'accept') && !r.ready) {
      return appError(
        'conflict',
        {
          lot: lotCode,
          failing: r.lines
            .filter((l) => !l.ok)
            .map((l) => l.key)
            .join(', '),
        },
        'errors.lot_not_ready',
      );
    }
    return appError('conflict', { lot: lotCode, status: lot.status, decision }, 'errors.lot_decision_not_allowed');
  }

  /**
   * The checklist the decider's page showed is the checklist now (D-110); else refused with what
   * it says now (its status and the lines that fail), so the page shows it and nobody decides on
   * old facts. No basis given (older clients, the CLI): no comparison; the guards still run.
   */
  private sameChecklist(lotCode: string, expectedBasis: string | undefined): void {
    if (expectedBasis === undefined) return;
    const r = this.readiness(lotCode);
    if (r.basis === expectedBasis) return;
    fail(
      'conflict',
      {
        lot: lotCode,
        status: r.lotStatus,
        failing: r.lines
          .filter((l) => !l.ok)
          .map((l) => l.key)
          .join(', '),
        basis: r.basis ?? '',
      },
      'errors.readiness_changed',
    );
  }

  /**
   * The signed decision. A hold with `propagate` also holds, in the same signed action, every
   * forward lot with stock left (shipped before or not) that is not rejected or held already.
   * Every guard is evaluated before the password check and again inside the write (§7).
   */
  async decide(
    signerId: string,
    lotCode: string,
    decision: Decision,
    reason: string,
    propagate: boolean,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
    expectedRev?: number,
    expectedBasis?: string,
  ) {
    const lot = this.lot(lotCode);
    // A stale screen is told at once, before the password (and again inside the write, D-097).
    mustBeRevision(this.ledger, L.lot.name, lot, expectedRev, { lot: lotCode });
    this.sameChecklist(lotCode, expectedBasis);
    const early = this.decisionProblem(lotCode, decision);
    if (early) throw new AppErrorException(early);
    const received = RECEIVED_KINDS.has(lot.kind);
    const expected: SignatureMeaning =
      decision === 'hold'
        ? 'held'
        : decision === 'reject'
          ? 'rejected'
          : decision === 'accept' || (decision === 'release_from_hold' && received)
            ? 'accepted'
            : 'released';
    if (meaning !== expected)
      fail('invalid_input', { field: 'signature.meaning', expected }, 'errors.signature_meaning_mismatch');
    const signer = await this.identity.authenticateSigner(signerId, password);
    const perms = permissionsOf(JSON.parse(signer.roles) as Role[]);
    if (decision !== 'hold' && !perms.has('lots.decide'))
      fail('forbidden', { permission: 'lots.decide', signer: signer.id }, 'errors.decision_needs_qa');
    if (decision === 'hold' && !perms.has('lots.decide') && !this.settings.get().reviewersMayHold)
      fail('forbidden', { permission: 'lots.decide', signer: signer.id }, 'errors.hold_needs_qa');
    const to = {
      release: 'released',
      accept: 'accepted',
      hold: 'on_hold',
      reject: 'rejected',
      release_from_hold: received ? 'accepted' : 'released',
    }[decision];
    const held: string[] = [];
    let forward: Forward | null = null;
    this.ledger.write(actorOf(signer), (w) => {
      const cur = asLot(w.get(L.lot, lot.id)!);
      mustBeRevision(this.ledger, L.lot.name, cur, expectedRev, { lot: lotCode });
      if (cur.status !== lot.status)
        throw recordChanged(this.ledger, L.lot.name, cur.id, lot.rev, cur.rev, { lot: lotCode });
      // Again under the write lock: a result submitted, an alert raised or a recall opened
      // during the password check refuses the decision; so does any change to the checklist
      // the decider saw (D-110).
      this.sameChecklist(lotCode, expectedBasis);
      const now = this.decisionProblem(lotCode, decision);
      if (now) throw new AppErrorException(now);
      if (decision === 'hold') forward = this.forward(lotCode);
      w.update(L.lot, lot.id, { status: to }, { reason });
      this.identity.sign(w, signer, { def: L.lot, id: lot.id }, { meaning: expected, comment: comment ?? reason });
      if (decision === 'hold') held.push(lotCode);
      if (decision === 'hold' && propagate && forward) {
        const why = `hold propagated from ${lotCode}: ${reason}`;
        for (const f of forward.unshipped.filter((x) => x.holdable)) {
          const fl = this.q.lotAny(f.lot)!;
          const sign = () =>
            this.identity.sign(w, signer, { def: L.lot, id: fl.id }, { meaning: 'held', comment: why });
          if (this.controls.holdInside(w, fl.id, why, sign)) held.push(f.lot);
        }
      }
    });
    return {
      readiness: this.readiness(lotCode),
      held,
      forward: forward as Forward | null,
      signatures: this.identity.signaturesFor('lot', lot.id),
    };
  }
}
