/**
 * Import bench: `node --import tsx bench/import.ts [--dir bench-data/plant]` (generate the
 * data first with `npm run bench:data`). Creates a fresh database, imports the six files in
 * one run through importFiles (the same pipeline as `lotseal import`), reports the time of
 * each phase and the peak memory, then runs the full verification (`lotseal verify`'s
 * verifyFile) on the result. Figures, not asserts; not part of `npm test`.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../src/main/catalog/entities';
import '../src/main/lots/entities';
import { createDatabase } from '../src/main/db/store';
import { fileKinds, type ImportFiles } from '../src/main/import/formats';
import { composeServices, findResourcesDir, idleConnections, verificationHealth } from '../src/main/app/compose';
import { seedPlantCatalog } from './data';
import { createHostKey, passphraseProtector } from '../src/main/ledger/keys';
import { verifyFile } from '../src/main/ledger/verify-runner';

export async function runImportBench(opts: {
  dir: string;
  log?: (s: string) => void;
  keep?: boolean;
}): Promise<object> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const work = mkdtempSync(join(tmpdir(), 'lotseal-import-bench-'));
  const file = join(work, 'plant.db');
  const key = createHostKey(
    join(work, 'data'),
    'cli',
    'bench-host',
    passphraseProtector('bench passphrase'),
    Date.now() - 3600_000,
  );
  const ledger = createDatabase(file, { key, workstation: 'cli@bench', timeZone: 'Asia/Shanghai', anchors: null });
  const files: ImportFiles = {};
  for (const k of fileKinds) {
    const f = join(opts.dir, `${k}.csv`);
    if (existsSync(f)) files[k] = f;
  }
  const rssStart = process.memoryUsage().rss;
  let peakSampled = rssStart;
  const phases: Record<string, number> = {};
  let phase = '';
  let phaseStart = performance.now();
  let lastLog = 0;
  const t0 = performance.now();
  try {
    // The same services as every host (issue 19 §8); the catalogue the files' item codes name.
    const services = composeServices(ledger, {
      dataDir: work,
      resourcesDir: findResourcesDir(),
      pdf: null,
      connections: idleConnections(),
      health: verificationHealth(ledger),
    });
    seedPlantCatalog(services.catalog, { id: 'bench', name: 'Import Bench' });
    // The dataset is the ERP's history, migrated before the plant goes live in LotSeal: the
    // go-live date is the day after the database is made (issue 19 §1; decided statuses and
    // supplier approvals are history only before it).
    const cutOver = new Date(`${services.controls.creationDate()}T00:00:00Z`);
    cutOver.setUTCDate(cutOver.getUTCDate() + 1);
    const goLiveDate = cutOver.toISOString().slice(0, 10);
    ledger.write({ id: 'bench', name: 'Import Bench' }, (w) => {
      services.controls.checkGoLiveChange(goLiveDate);
      services.settings.set(
        w,
        { ...services.settings.get(), goLiveDate },
        'go-live: the day after the ERP history is migrated',
      );
    });
    const report = await services.imports.run({ id: 'bench', name: 'Import Bench' }, files, {
      stagingDir: work,
      onProgress: (p, done, total) => {
        const rss = process.memoryUsage().rss;
        if (rss > peakSampled) peakSampled = rss;
        const name = p.startsWith('read') ? p : p;
        if (name !== phase) {
          const now = performance.now();
          if (phase) phases[phase] = Math.round(now - phaseStart);
          phase = name;
          phaseStart = now;
        }
        if (performance.now() - lastLog > 5_000) {
          lastLog = performance.now();
          log(`  ${p} ${done}/${total} rss ${Math.round(rss / 2 ** 20)} MiB`);
        }
      },
    });
    if (phase) phases[phase] = Math.round(performance.now() - phaseStart);
    const importMs = Math.round(performance.now() - t0);
    const entries = ledger.head().seq;
    ledger.db.close();
    log(`import: ${importMs} ms, ok ${report.ok}, errors ${report.error_count}`);
    const maxRssKb = process.resourceUsage().maxRSS;
    const v0 = performance.now();
    const verify = await verifyFile(file, { skewMs: 5 * 60_000, anchor: null });
    const verifyMs = Math.round(performance.now() - v0);
    log(`verify: ${verifyMs} ms, ok ${verify.ok}`);
    return {
      dir: opts.dir,
      db: opts.keep ? file : null,
      ok: report.ok,
      errors: report.errors.slice(0, 5),
      rows: report.files,
      inserted: report.inserted,
      import_ms: importMs,
      phases_ms: phases,
      peak_rss_mib_sampled: Math.round(peakSampled / 2 ** 20),
      max_rss_mib: Math.round(maxRssKb / 1024),
      audit_entries: entries,
      db_bytes: statSync(file).size,
      verify_ms: verifyMs,
      verify_ok: verify.ok,
      verify_findings: verify.findings.length,
    };
  } finally {
    if (!opts.keep) rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const i = process.argv.indexOf('--dir');
  const dir = i >= 0 ? process.argv[i + 1]! : join(process.cwd(), 'bench-data', 'plant');
  runImportBench({ dir })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    });
}
