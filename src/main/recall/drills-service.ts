import { readFileSync } from 'node:fs';
import type { DrillView } from '../../shared/contract/channels/recall';
import type { SignatureMeaning } from '../../shared/domain/roles';
import type { Locale } from '../../shared/i18n';
import type { Actor, Ledger } from '../ledger/ledger';
import type { OpenRecall } from '../lots';
import { traceLot } from '../trace';
import type { Detail, RecallContext, RecallDeps } from './context';
import { DrillRun } from './drill-run';
import { evidenceHtml, evidenceRunning } from './evidence';
import { DrillProgramme } from './programme';
import { recallQueries, type DrillRecord, type Direction, type Step } from './queries';
import { Recalls } from './recalls';
import { DrillRecords } from './records';

/** The evidence pack as the drill page downloads it: the recorded PDF and the CSV rows. */
export interface EvidencePack {
  documentId: string;
  fileName: string;
  base64: string;
  sha256: string;
  csv: string;
  csvFileName: string;
}

/**
 * Recall drills and real recalls (issue 12): from a root lot, the trace engine's lots in the
 * chosen direction(s), their stock, shipments and customers, the mass balance against a
 * tolerance and the records behind each step; findings for whatever the records cannot
 * account for; a signed completion (`drill_completed`) that freezes the result; the yearly
 * programme and KPIs. A recall adds one signed hold of every affected unshipped lot, the
 * customer contact log and the returns.
 *
 * The work is done by its parts — records (reading), run (steps, findings, completion),
 * recalls (hold, contacts, returns), programme (plan, KPIs) — over one context.
 */
export class DrillsService {
  readonly records: DrillRecords;
  readonly run: DrillRun;
  readonly recalls: Recalls;
  readonly programme: DrillProgramme;
  private readonly ctx: RecallContext;

  constructor(ledger: Ledger, deps: RecallDeps) {
    this.ctx = { ...deps, ledger, q: recallQueries(ledger.db) };
    this.records = new DrillRecords(this.ctx);
    this.run = new DrillRun(this.ctx, this.records);
    this.recalls = new Recalls(this.ctx, this.records);
    this.programme = new DrillProgramme(this.ctx, this.records);
  }

  /** The real recalls still open: the lot controls refuse every use of the lots they cover. */
  openRecalls(): OpenRecall[] {
    return this.ctx.q.openRecalls();
  }

  // ---- reading
  row(code: string): DrillRecord {
    return this.records.row(code);
  }
  view(r: DrillRecord): DrillView {
    return this.records.view(r);
  }
  detail(code: string): Detail {
    return this.records.detail(code);
  }
  list(f: { mode?: string | undefined; status?: string | undefined; offset: number; limit: number }) {
    return this.records.list(f);
  }
  csv(code: string): string {
    return this.records.csv(code);
  }

  // ---- running a drill
  candidates(group: string, from: string, to: string): string[] {
    return this.run.candidates(group, from, to);
  }
  start(actor: Actor, i: Parameters<DrillRun['start']>[1], pick?: (n: number) => number): Detail {
    return this.run.start(actor, i, pick);
  }
  step(actor: Actor, code: string, step: Step): Detail {
    return this.run.step(actor, code, step);
  }
  runAll(actor: Actor, code: string): Detail {
    return this.run.runAll(actor, code);
  }
  finding(actor: Actor, code: string, i: Parameters<DrillRun['finding']>[2]): Detail {
    return this.run.finding(actor, code, i);
  }
  complete(signerId: string, code: string, password: string, meaning: SignatureMeaning, comment?: string) {
    return this.run.complete(signerId, code, password, meaning, comment);
  }

  // ---- a real recall
  recallHold(signerId: string, code: string, reason: string, password: string, meaning: SignatureMeaning) {
    return this.recalls.recallHold(signerId, code, reason, password, meaning);
  }
  contact(actor: Actor, code: string, i: Parameters<Recalls['contact']>[2]): Detail {
    return this.recalls.contact(actor, code, i);
  }
  recordReturn(actor: Actor, code: string, i: Parameters<Recalls['recordReturn']>[2]): Detail {
    return this.recalls.recordReturn(actor, code, i);
  }

  // ---- programme and KPIs
  plan(year: number) {
    return this.programme.plan(year);
  }
  savePlan(actor: Actor, i: Parameters<DrillProgramme['savePlan']>[1]): { ok: true } {
    return this.programme.savePlan(actor, i);
  }
  overdue(): number {
    return this.programme.overdue();
  }
  kpis(mode: string) {
    return this.programme.kpis(mode);
  }

  // ---- the evidence pack

  /** The genealogy edges the pack draws, in the drill's direction(s). */
  evidenceEdges(rootLot: string, direction: Direction) {
    const t = traceLot(this.ctx.ledger.db, rootLot, { edges: true });
    const edges = t?.edges ?? { backward: [], forward: [] };
    return {
      backward: direction === 'forward' ? [] : edges.backward,
      forward: direction === 'backward' ? [] : edges.forward,
    };
  }

  /**
   * The evidence files of `lotseal drill` (read only, nothing recorded): the drill as JSON, its
   * CSV rows and the HTML pack in zh-CN stamped with the ledger's head, in the zone the ledger
   * writes in. One source for the command on a file and through a site server.
   */
  evidenceFiles(code: string): { code: string; json: string; csv: string; html: string } {
    const d = this.records.detail(code);
    const e = this.evidenceEdges(d.drill.rootLot, d.drill.direction);
    const head = this.ctx.ledger.head();
    return {
      code: d.drill.code,
      json: `${JSON.stringify(d, null, 2)}\n`,
      csv: this.records.csv(code),
      html: evidenceHtml(d, e, 'zh-CN', { seq: head.seq, hash: head.hash }, this.ctx.ledger.timeZone),
    };
  }

  /** Prints and records the evidence pack (A4 PDF, issue 12 §3) with its CSV rows. */
  async evidencePack(actor: Actor, code: string, locale: Locale): Promise<EvidencePack> {
    const d = this.records.detail(code);
    const e = this.evidenceEdges(d.drill.rootLot, d.drill.direction);
    const doc = await this.ctx.documents.generate(actor, {
      kind: 'drill_pack',
      subject: { entity: 'recall_drill', id: d.drill.id },
      locale,
      html: (stamp) => evidenceHtml(d, e, locale, stamp, this.ctx.documentZone?.() ?? this.ctx.ledger.timeZone),
      running: (stamp) => evidenceRunning(d, locale, stamp),
      size: { pageWidthMm: 210, pageHeightMm: 297, margins: { topMm: 16, rightMm: 14, bottomMm: 16, leftMm: 14 } },
      fileName: `${d.drill.mode}-${code}`,
    });
    return {
      documentId: doc.id,
      fileName: doc.fileName,
      base64: readFileSync(doc.file).toString('base64'),
      sha256: doc.sha256,
      csv: this.records.csv(code),
      csvFileName: `${d.drill.mode}-${code}.csv`,
    };
  }
}
