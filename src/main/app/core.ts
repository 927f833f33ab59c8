import { existsSync, readdirSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { LedgerState } from '../../shared/contract/channels/system';
import type { Finding } from '../../shared/contract/channels/ledger';
import { AppErrorException, appError, type AppError } from '../../shared/contract/errors';
import {
  ConnectionManager,
  FrameQueue,
  channelSender,
  detectClockSource,
  type BenchLink,
  type FlushReport,
} from '../instruments';
import { APP_VERSION, createDatabase, openDatabase } from '../db/store';
import { isSqliteBusy } from '../db/database';
import { Dispatcher, type Connection, type DispatcherLog, type Locale } from '../dispatcher/dispatcher';
import { AnchorStore } from '../ledger/anchor';
import { loadOrCreateHostKey, type HostKey, type HostKind, type KeyProtector } from '../ledger/keys';
import { systemActor, type Ledger, type LedgerWriter } from '../ledger/ledger';
import { E } from '../ledger/entities';
import { quickTailCheck } from '../ledger/verify-runner';
import { verificationRuns, type VerificationRunRow } from '../ledger/verification-runs';
import { isImportRunning } from '../import';
import { JobRunner } from '../workers/jobs';
import { TransferRegistry } from '../files/transfers';
import type { PdfPrinter } from '../documents/pdf';
import type { DocumentViewer } from '../documents/viewer';
import { buildHandlers } from './handlers';
import { startBackup, startVerification } from './ledger-handlers';
import { composeServices, findResourcesDir, type Services } from './compose';

export { findResourcesDir, type Services } from './compose';

export interface CoreOptions {
  dataDir: string;
  hostKind: HostKind;
  protector: KeyProtector;
  /** Defaults to `<dataDir>/lotseal.db`. */
  dbFile?: string;
  host?: string;
  clock?: () => number;
  timeZone?: string;
  log?: CoreLog;
  /** Scheduled verification and backups (off in tests unless asked). */
  schedule?: boolean;
  /**
   * With `schedule`: back up every `backupEveryHours` into the settings' backup folder, each
   * copy verified before it is recorded (the site server, issue 23 §6; the desktop backs up
   * when a person asks).
   */
  scheduledBackups?: boolean;
  /** Where resources/ is (spec packs); found from the code's location by default. */
  resourcesDir?: string;
  /**
   * The host's PDF printer (Electron printToPDF on the desktop, Chromium in the harness and
   * tests); without one, printing answers errors.pdf_unavailable. Closed with the core.
   */
  pdf?: PdfPrinter;
  /** The host's document viewer (desktop: system PDF viewer and print dialog); none in the harness. */
  viewer?: DocumentViewer;
}

export interface CoreLog extends DispatcherLog {
  info(msg: string, data?: unknown): void;
}

export const consoleLog: CoreLog = {
  refused: (i) => console.warn('[lotseal] refused', JSON.stringify(i)),
  error: (i) => console.error('[lotseal] error in', i.channel, i.error),
  info: (m, d) => console.log('[lotseal]', m, d ?? ''),
};

/**
 * The composition root shared by every host (Electron, browser harness, tests): one data
 * folder, one database, this host's key, the services and the dispatcher. Hosts differ
 * only in transport and in how the key is protected.
 */
export class AppCore {
  readonly dataDir: string;
  readonly dbFile: string;
  readonly hostKind: HostKind;
  readonly host: string;
  readonly workstation: string;
  readonly timeZone: string;
  readonly clock: () => number;
  readonly log: CoreLog;
  readonly anchors: AnchorStore;
  readonly jobs: JobRunner;
  readonly dispatcher: Dispatcher;
  readonly key: HostKey;
  readonly resourcesDir: string;
  readonly pdf: PdfPrinter | null;
  readonly viewer: DocumentViewer | null;
  private services: Services | null = null;
  openError: AppError | null = null;
  /** Findings of the start-up tail check, open until a full verification runs. */
  startupFindings: Finding[] = [];
  private locales = new Map<string, Locale>();
  private timers: NodeJS.Timeout[] = [];

  constructor(opts: CoreOptions) {
    this.dataDir = opts.dataDir;
    this.dbFile = opts.dbFile ?? join(opts.dataDir, 'lotseal.db');
    this.hostKind = opts.hostKind;
    this.host = opts.host ?? hostname();
    this.workstation = `${opts.hostKind}@${this.host}`;
    this.timeZone = opts.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
    this.clock = opts.clock ?? Date.now;
    this.log = opts.log ?? consoleLog;
    this.anchors = AnchorStore.forDataDir(opts.dataDir);
    this.resourcesDir = opts.resourcesDir ?? findResourcesDir();
    this.pdf = opts.pdf ?? null;
    this.viewer = opts.viewer ?? null;
    this.key = loadOrCreateHostKey(opts.dataDir, opts.hostKind, this.host, opts.protector, this.clock());
    this.jobs = new JobRunner((p) => this.dispatcher.emit('all', 'job.progress', p));
    const gate = {
      current: (id: string, now: number) => this.services?.sessions.current(id, now) ?? null,
      touch: (id: string, now: number) => this.services?.sessions.touch(id, now),
    };
    this.dispatcher = new Dispatcher(buildHandlers(this), gate, this.log, this.clock);
    if (existsSync(this.dbFile)) this.open();
    if (opts.schedule) this.startSchedules(opts.scheduledBackups ?? false);
  }

  private _transfers: TransferRegistry | null = null;
  /** What this core offers for download to a site server's workstations (D-103); made on first use. */
  get transfers(): TransferRegistry {
    return (this._transfers ??= new TransferRegistry(join(this.dataDir, 'transfers'), this.clock));
  }

  private storeOptions() {
    return {
      key: this.key,
      workstation: this.workstation,
      timeZone: this.timeZone,
      clock: this.clock,
      anchors: this.anchors,
    };
  }

  /** The services of an opened database, from the one composition root (compose.ts), plus this host's events. */
  private wire(ledger: Ledger): Services {
    const services = composeServices(ledger, {
      dataDir: this.dataDir,
      resourcesDir: this.resourcesDir,
      pdf: this.pdf,
      connections: this.instrumentConnections(),
      health: {
        problem: () => {
          if (this.startupFindings.length) return { key: 'startup_findings', runId: null };
          const run = this.lastRunOf(ledger);
          if (!run) return { key: 'never_verified', runId: null };
          return run.review_status === 'open' ? { key: 'findings_open', runId: run.id } : null;
        },
      },
    });
    services.sessions.onLock((connectionId, reason) =>
      this.dispatcher.emit({ connectionId }, 'session.changed', { reason }),
    );
    ledger.setWriteGate(() =>
      isImportRunning() ? appError('conflict', { what: 'import' }, 'import.import_running') : null,
    );
    ledger.onCommit(() => this.dispatcher.emit('all', 'ledger.changed', this.ledgerState()));
    return services;
  }

  /** Opens the database; a refusal (altered migrations, newer database) is kept for app.status. */
  open(): void {
    try {
      const ledger = openDatabase(this.dbFile, this.storeOptions());
      this.services = this.wire(ledger);
      this.openError = null;
      this.runStartupCheck();
      this.runDailyJobs();
    } catch (e) {
      this.services = null;
      this.openError =
        e instanceof AppErrorException
          ? e.error
          : isSqliteBusy(e)
            ? appError('conflict', { file: this.dbFile }, 'errors.database_busy')
            : appError('internal', { message: String(e) });
      this.log.error({ channel: 'open', error: e });
    }
  }

  /**
   * Before anyone may write: the tail since the last full verification (docs/ledger.md §5).
   * Findings are recorded in the ledger, not only shown (a `verification_run` of scope
   * `startup`, open until a QA manager reviews it), once per distinct set since the last full
   * run. An anchor conflict is not recorded here: it blocks writing until a restore or an
   * administrator's signed acknowledgement, which records it (docs/ledger.md §4).
   */
  runStartupCheck(): void {
    const s = this.services;
    if (!s) return;
    const last = this.lastFullRun();
    const dbId = s.ledger.getDatabaseId();
    this.startupFindings = quickTailCheck(s.ledger.db, {
      fromSeq: last ? last.verified_through + 1 : 1,
      anchor: dbId ? this.anchors.read(dbId) : null,
      skewMs: s.settings.get().clockSkewMinutes * 60_000,
    });
    if (!this.startupFindings.length) return;
    this.log.info('start-up ledger check found problems', this.startupFindings);
    const record = this.startupFindings.filter((f) => f.kind !== 'anchor_behind');
    if (!record.length || !s.ledger.isKeyRegistered() || s.ledger.blocked()) return;
    const json = JSON.stringify(record);
    const since = last?.finished_at ?? 0;
    if (verificationRuns(s.ledger.db).startupRecorded(since, json)) return;
    try {
      const at = this.clock();
      s.ledger.write(systemActor, (w: LedgerWriter) => {
        w.create(E.verificationRun, {
          started_at: at,
          finished_at: w.at,
          verified_through: s.ledger.head().seq,
          entries: 0,
          checkpoints: 0,
          findings: json,
          review_status: 'open',
          scope: 'startup',
        });
      });
    } catch (e) {
      this.log.error({ channel: 'startup.record', error: e });
    }
  }

  /** The last full verification (start-up checks are recorded as runs of scope `startup`). */
  lastFullRun(): VerificationRunRow | undefined {
    const s = this.services;
    if (!s) return undefined;
    return verificationRuns(s.ledger.db).lastFullRun();
  }

  /**
   * Date-driven changes nobody clicks for: specification versions superseded on the next
   * version's effective date. Written by the `system` actor, only when something is due.
   */
  runDailyJobs(): void {
    const s = this.services;
    if (!s || !s.ledger.isKeyRegistered()) return;
    try {
      // The write lock only when something is due: a start-up never queues behind another
      // process's write for nothing (issue 24 §7).
      if (!s.specs.hasDue(this.clock())) return;
      s.ledger.write(systemActor, (w) => s.specs.supersedeDue(w, this.clock()));
    } catch (e) {
      if (isSqliteBusy(e))
        this.log.info('daily jobs: the database is busy (another program is writing); next run in 10 minutes');
      else this.log.error({ channel: 'jobs.daily', error: e });
    }
  }

  create(ledgerFn: () => Ledger): Services {
    const ledger = ledgerFn();
    this.services = this.wire(ledger);
    this.openError = null;
    return this.services;
  }

  /** A new database; `init` runs in its creation transaction (the first administrator). */
  createDatabase(init?: (ledger: Ledger, w: LedgerWriter) => void): Ledger {
    return createDatabase(this.dbFile, this.storeOptions(), init);
  }

  get initialized(): boolean {
    return this.services !== null;
  }

  need(): Services {
    if (!this.services) {
      throw new AppErrorException(this.openError ?? appError('not_initialized'));
    }
    return this.services;
  }

  maybe(): Services | null {
    return this.services;
  }

  setLocale(connectionId: string, locale: Locale): void {
    this.locales.set(connectionId, locale);
  }

  localeOf(connectionId: string, fallback: Locale = 'en'): Locale {
    return this.locales.get(connectionId) ?? fallback;
  }

  /** The last verification run of a ledger (also while its services are being wired). */
  lastRunOf(ledger: Ledger): VerificationRunRow | undefined {
    return verificationRuns(ledger.db).lastRun();
  }

  lastRun(): VerificationRunRow | undefined {
    const s = this.services;
    if (!s) return undefined;
    return verificationRuns(s.ledger.db).lastRun();
  }

  ledgerState(): LedgerState {
    const s = this.need();
    const head = s.ledger.head();
    const last = this.lastFullRun();
    const skew = s.settings.get().clockSkewMinutes * 60_000;
    // Open findings: of every run not yet reviewed (a full verification or a recorded start-up
    // check), and the start-up findings not recorded (an anchor conflict, or a host that cannot write).
    const open = verificationRuns(s.ledger.db).openFindings();
    const key = (f: Finding): string => JSON.stringify([f.kind, f.seq, f.entity, f.id]);
    const recorded = new Set(open.map(key));
    const all = [...open, ...this.startupFindings.filter((f) => !recorded.has(key(f)))];
    const conflict = s.ledger.anchorConflict();
    const anchorBehind = conflict !== null || all.some((f) => f.kind === 'anchor_behind');
    const verifying = this.jobs.isRunning('verify');
    return {
      state: verifying ? 'verifying' : all.length > 0 || conflict ? 'findings' : last ? 'ok' : 'unverified',
      headSeq: head.seq,
      headHash: head.hash,
      verifiedThrough: last ? last.verified_through : null,
      verifiedAt: last ? new Date(last.finished_at).toISOString() : null,
      openFindings: all.length,
      anchorBehind,
      clockBehindLedger: head.at !== null && this.clock() < head.at - skew,
      blocked: conflict
        ? {
            finding: conflict.finding,
            anchorSeq: conflict.anchor.seq,
            anchorAt: new Date(conflict.anchor.at).toISOString(),
            dbSeq: conflict.dbSeq,
          }
        : null,
    };
  }

  /** When the last scheduled backup was started (in memory; on start, the newest copy in the folder). */
  private lastBackupAt: number | null = null;

  /**
   * A verified backup when one is due: the settings name a folder and the newest copy there is
   * older than `backupEveryHours`. Recorded by `system` (backup_event) once the copy verifies.
   */
  runScheduledBackup(): string | null {
    const s = this.services;
    if (!s || !s.ledger.isKeyRegistered() || s.ledger.blocked()) return null;
    const st = s.settings.get();
    if (!st.backupFolder || this.jobs.isRunning('backup') || this.jobs.isRunning('restore')) return null;
    if (this.lastBackupAt === null) this.lastBackupAt = newestBackupIn(st.backupFolder);
    if (this.lastBackupAt !== null && this.clock() - this.lastBackupAt < st.backupEveryHours * 3_600_000) return null;
    this.lastBackupAt = this.clock();
    return startBackup(this, systemActor, st.backupFolder);
  }

  private startSchedules(backups: boolean): void {
    const tick = (): void => {
      const s = this.services;
      if (!s) return;
      this.runDailyJobs();
      const st = s.settings.get();
      const last = this.lastFullRun();
      const due = !last || this.clock() - last.finished_at > st.verifyEveryHours * 3_600_000;
      if (due && !this.jobs.isRunning('verify') && !this.jobs.isRunning('restore')) {
        try {
          startVerification(this, null);
        } catch (e) {
          this.log.error({ channel: 'schedule.verify', error: e });
        }
      }
      if (backups) {
        try {
          this.runScheduledBackup();
        } catch (e) {
          this.log.error({ channel: 'schedule.backup', error: e });
        }
      }
    };
    const t = setInterval(tick, 10 * 60_000);
    t.unref();
    this.timers.push(t);
    setTimeout(tick, 30_000).unref();
  }

  /**
   * Serial connections belong to the process, not to one opened database: a restore reopens
   * the database and keeps the instruments connected. Status, readings and traffic become
   * contract events (instruments.status / reading / traffic).
   */
  private connections: ConnectionManager | null = null;
  instrumentConnections(): ConnectionManager {
    if (!this.connections) {
      const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
      const text = (b: Uint8Array) =>
        Array.from(b, (c) =>
          c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `<${c.toString(16).padStart(2, '0')}>`,
        ).join('');
      this.connections = new ConnectionManager({
        status: (id, state, message, port) =>
          this.dispatcher.emit('all', 'instruments.status', { id, state, message, port }),
        frame: (id, frame, _unsolicited, readingId) => {
          const svc = this.services;
          if (!svc) return;
          this.dispatcher.emit('all', 'instruments.reading', {
            id,
            readingId,
            at: new Date().toISOString(),
            outcome: svc.instruments.outcome(frame, 'en'),
          });
        },
        traffic: (id, dir, bytes) =>
          this.dispatcher.emit('all', 'instruments.traffic', {
            id,
            dir,
            at: new Date().toISOString(),
            text: text(bytes),
            hex: hex(bytes),
          }),
      }, undefined, this.clock);
    }
    return this.connections;
  }

  /**
   * The bench's store-and-forward queue of signed frames (issue 23 §4, D-096): a file in the data
   * folder beside the record, never in it; opened at the first capture. Embedded, its sender is
   * this core's own dispatcher on the capturing connection (`instruments.submitFrame`); a
   * workstation on a site server sends through its SiteClient instead (branch clients).
   */
  private frameQueue: FrameQueue | null = null;
  private clockSource = 'unknown';
  private clockAsked = false;
  benchLink(conn: Connection): BenchLink {
    if (!this.clockAsked) {
      this.clockAsked = true;
      detectClockSource()
        .then((c) => (this.clockSource = c))
        .catch(() => undefined);
    }
    this.frameQueue ??= FrameQueue.open(join(this.dataDir, 'frame-queue.jsonl'), {
      signer: this.key,
      host: this.workstation,
      clock: this.clock,
    });
    return {
      queue: this.frameQueue,
      send: channelSender((input) => this.dispatcher.call(conn, 'instruments.submitFrame', input)),
      clockSource: () => this.clockSource,
      timeZone: this.timeZone,
      now: this.clock,
    };
  }

  /** Signed frames waiting in this workstation's queue (the file is opened if it exists). */
  benchQueued(): number {
    if (!this.frameQueue && !existsSync(join(this.dataDir, 'frame-queue.jsonl'))) return 0;
    return this.benchLink({ id: 'bench-queue', locale: 'en' }).queue.pending().length;
  }

  /**
   * Writes the bench's queued signed frames back now, in order, as the user of `conn` (a host
   * calls it when the record is reachable again, e.g. on the SiteClient's reconnect).
   */
  flushBenchQueue(conn: Connection): Promise<FlushReport> {
    const link = this.benchLink(conn);
    return link.queue.flush(link.send);
  }

  close(): void {
    this._transfers?.closeAll();
    this.frameQueue?.close();
    this.frameQueue = null;
    for (const t of this.timers) clearInterval(t);
    this.connections?.closeAll().catch((e: unknown) => this.log.error({ channel: 'instruments.close', error: e }));
    // The printer's browser (if one was started) goes with the core; nothing waits for it.
    this.pdf?.close?.().catch((e: unknown) => this.log.error({ channel: 'pdf.close', error: e }));
    this.services?.ledger.db.close();
    this.services = null;
  }

  /**
   * Closes the database connection and drops the services (restore, before the files are
   * swapped: Windows cannot move an open file). Until reopen(), calls answer `why`.
   */
  closeDatabase(why: AppError = appError('not_initialized')): void {
    this.services?.ledger.db.close();
    this.services = null;
    this.openError = why;
  }

  /** Replaces the open database (restore): sessions end, everything reopens. */
  reopen(): void {
    this.closeDatabase();
    this.open();
  }

  get version(): string {
    return APP_VERSION;
  }
}

/** The modification time of the newest `lotseal-*.db` copy in a backup folder; null when none. */
function newestBackupIn(folder: string): number | null {
  try {
    let newest: number | null = null;
    for (const f of readdirSync(folder))
      if (/^lotseal-.*\.db$/.test(f)) newest = Math.max(newest ?? 0, statSync(join(folder, f)).mtimeMs);
    return newest;
  } catch {
    return null;
  }
}

export function createAppCore(opts: CoreOptions): AppCore {
  return new AppCore(opts);
}
