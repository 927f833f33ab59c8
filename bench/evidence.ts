/**
 * Evidence bench (issue 18 §9): `node --import tsx bench/evidence.ts [--data DIR | --db FILE]
 * [--scale 0.1]` or `npm run bench -- --only evidence [--data DIR]`.
 *
 * On the plant dataset (bench/data.ts, imported through the ERP pipeline as bench/import.ts
 * does; generated at --scale into a temporary folder when no --data or --db is given):
 *  - the standalone Python verifier: each phase (chain, rows, signatures) in wall and CPU
 *    seconds, and the whole run in entries/s (bench/verifier_bench.py);
 *  - its Ed25519: verifications per second with one key (tables built), forty keys, a fresh
 *    key each time;
 *  - lotseal's own verification of the same file (2 workers and in-process) to compare;
 *  - `lotseal export --evidence` end to end, and the streamed audit CSV export (rows/s, peak RSS);
 *  - e-signatures: a database where a QA manager signs --signed (default 200) audit-trail reviews
 *    through the contract (each with its personal signature and its own checkpoint), verified by
 *    the Python verifier (signatures and checkpoints per second) and by lotseal verify.
 * Figures, not asserts; not part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AppCore } from '../src/main/app/core';
import { exportAuditCsv } from '../src/main/evidence/audit-csv';
import { passphraseProtector } from '../src/main/ledger/keys';
import { exportEvidence } from '../src/main/evidence/evidence-export';
import { verifyFile } from '../src/main/ledger/verify-runner';
import * as plant from '../tests/fixtures/plant';
import { inProcessHost } from '../tests/fixtures/plant';
import { generatePlantData } from './data';
import { runImportBench } from './import';

/** A database with `n` audit-trail reviews signed by a QA manager (personal signatures), through the contract. */
async function signedDatabase(dir: string, n: number, log: (s: string) => void): Promise<string> {
  const core = new AppCore({
    dataDir: dir,
    hostKind: 'harness',
    protector: passphraseProtector('bench passphrase'),
    host: 'bench-host',
    log: { refused: () => undefined, error: (i) => console.error(i.channel, i.error), info: () => undefined },
    timeZone: 'Asia/Shanghai',
  });
  try {
    // The administrator and the QA manager from the plant fixtures (tests/fixtures/plant), through the contract.
    const host = inProcessHost(core.dispatcher);
    const admin = await plant.firstRun(host, {
      userId: 'admin',
      printedName: 'Bench admin',
      password: 'bench-admin-password',
    });
    const { qa } = await plant.staff(host, admin, {
      qa: { ...plant.benchPeople('bench-qa-password').qa, printedName: '质量 经理' },
    });
    for (let i = 0; i < n; i++) {
      if (i % 50 === 0) log(`  signed reviews ${i}/${n}`);
      await qa.call('audit.review', {
        throughSeq: core.need().ledger.head().seq,
        filter: {},
        comment: `审计追踪审核 ${i + 1}`,
        signature: qa.sign('audit_reviewed'),
      });
    }
    core.need().ledger.db.pragma('wal_checkpoint(TRUNCATE)');
    return core.dbFile;
  } finally {
    core.close();
  }
}

export async function runEvidenceBench(opts: {
  data?: string;
  db?: string;
  scale?: number;
  signed?: number;
  log?: (s: string) => void;
}): Promise<object> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const work = mkdtempSync(join(tmpdir(), 'lotseal-evidence-bench-'));
  let importDir: string | null = null;
  try {
    let db = opts.db ?? null;
    let dataset: Record<string, unknown> = { db: opts.db ?? null };
    if (!db) {
      const dir = opts.data ?? join(work, 'plant');
      if (!opts.data) {
        log(`evidence: generating the plant dataset at scale ${opts.scale ?? 0.1}…`);
        generatePlantData({ out: dir, scale: opts.scale ?? 0.1 });
      }
      log('evidence: importing it…');
      const imp = (await runImportBench({ dir, keep: true, log })) as {
        db: string;
        audit_entries: number;
        import_ms: number;
        rows: unknown;
      };
      db = imp.db;
      importDir = dirname(imp.db);
      dataset = {
        data: opts.data ?? `generated, scale ${opts.scale ?? 0.1}`,
        rows: imp.rows,
        audit_entries: imp.audit_entries,
        import_ms: imp.import_ms,
      };
    }
    const bytes = statSync(db).size;

    log('evidence: the Python verifier…');
    const py = spawnSync(
      process.env['LOTSEAL_PYTHON'] ?? 'python3',
      ['-I', '-S', join(__dirname, 'verifier_bench.py'), db, '--signatures', '2000'],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    if (py.status !== 0) throw new Error(`verifier bench failed: ${py.stderr}`);
    const python = JSON.parse(py.stdout) as object;

    log('evidence: lotseal verify (2 workers, then in-process)…');
    const t1 = performance.now();
    const ts2 = await verifyFile(db, { skewMs: 5 * 60_000, anchor: null, workers: 2 });
    const tsWorkersMs = performance.now() - t1;
    const cpu0 = process.cpuUsage();
    const t2 = performance.now();
    const ts0 = await verifyFile(db, { skewMs: 5 * 60_000, anchor: null, workers: 0 });
    const tsInProcessMs = performance.now() - t2;
    const cpu = process.cpuUsage(cpu0);

    log('evidence: export --evidence…');
    const out = join(work, 'evidence');
    const e0 = performance.now();
    const ev = await exportEvidence({
      dbFile: db,
      out,
      anchorFile: null,
      skewMs: 5 * 60_000,
      exportedBy: 'bench',
      workstation: 'bench',
      appVersion: 'bench',
    });
    const evidenceMs = performance.now() - e0;

    log('evidence: audit CSV…');
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const c0 = performance.now();
    const csv = await exportAuditCsv({
      dbFile: db,
      out: join(work, 'trail.csv'),
      filter: {},
      onProgress: () => {
        const r = process.memoryUsage().rss;
        if (r > peak) peak = r;
      },
    });
    const csvMs = performance.now() - c0;
    log('evidence: the Python verifier on the CSV…');
    const pyCsv = spawnSync(
      process.env['LOTSEAL_PYTHON'] ?? 'python3',
      ['-I', '-S', join(__dirname, '..', 'resources', 'verifier', 'lotseal_verify.py'), '--csv', csv.out, '--json'],
      {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    const csvReport = JSON.parse(pyCsv.stdout) as { ok: boolean; entries: number; elapsed_ms: number };

    log(`evidence: a database with ${opts.signed ?? 200} signed reviews…`);
    const signedDb = await signedDatabase(join(work, 'signed'), opts.signed ?? 200, log);
    const pySigned = spawnSync(
      process.env['LOTSEAL_PYTHON'] ?? 'python3',
      ['-I', '-S', join(__dirname, 'verifier_bench.py'), signedDb, '--signatures', '10'],
      {
        encoding: 'utf8',
      },
    );
    if (pySigned.status !== 0) throw new Error(`verifier bench (signed) failed: ${pySigned.stderr}`);
    const sp = (
      JSON.parse(pySigned.stdout) as {
        phases: {
          e_signatures: number;
          checkpoints: number;
          chain_cpu_s: number;
          signatures_cpu_s: number;
          signatures_s: number;
          chain_s: number;
        };
        full: object;
      }
    ).phases;
    const s0 = performance.now();
    const tsSigned = await verifyFile(signedDb, { skewMs: 5 * 60_000, anchor: null, workers: 0 });
    const tsSignedMs = performance.now() - s0;

    return {
      signed: {
        e_signatures: sp.e_signatures,
        checkpoints: sp.checkpoints,
        python_signature_pass_s: sp.signatures_s,
        python_signature_pass_cpu_s: sp.signatures_cpu_s,
        python_e_signatures_per_cpu_s: Math.round(sp.e_signatures / sp.signatures_cpu_s),
        python_chain_cpu_s: sp.chain_cpu_s,
        python_checkpoints_per_cpu_s: Math.round(sp.checkpoints / sp.chain_cpu_s),
        lotseal_verify_in_process_ms: Math.round(tsSignedMs),
        lotseal_verify_signatures: tsSigned.signatures ?? 0,
        ok: tsSigned.ok,
      },
      dataset: { ...dataset, db_bytes: bytes },
      python,
      lotseal_verify: {
        ok: ts2.ok && ts0.ok,
        entries: ts2.entries,
        workers_2_ms: Math.round(tsWorkersMs),
        workers_2_entries_per_s: Math.round(ts2.entries / (tsWorkersMs / 1000)),
        in_process_ms: Math.round(tsInProcessMs),
        in_process_entries_per_s: Math.round(ts0.entries / (tsInProcessMs / 1000)),
        in_process_entries_per_cpu_s: Math.round(ts0.entries / ((cpu.user + cpu.system) / 1e6)),
      },
      export_evidence: { ms: Math.round(evidenceMs), files: ev.files, bytes: ev.bytes, ok: ev.verification.ok },
      audit_csv: {
        rows: csv.rows,
        ms: Math.round(csvMs),
        rows_per_s: Math.round(csv.rows / (csvMs / 1000)),
        bytes: csv.bytes,
        rss_growth_mib: Math.round((peak - rss0) / 2 ** 20),
        python_check_ok: csvReport.ok,
        python_check_ms: csvReport.elapsed_ms,
        python_check_entries_per_s: Math.round(csvReport.entries / (csvReport.elapsed_ms / 1000)),
      },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (importDir) rmSync(importDir, { recursive: true, force: true });
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const data = arg('data');
  const db = arg('db');
  const scale = arg('scale');
  const signed = arg('signed');
  runEvidenceBench({
    ...(data ? { data } : {}),
    ...(db ? { db } : {}),
    ...(scale ? { scale: Number(scale) } : {}),
    ...(signed ? { signed: Number(signed) } : {}),
  })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    });
}
