/**
 * `npm run bench [-- --only ledger,trace,import,testing,instruments,disposition,drills,trust --sizes 1000000,10000000 --data DIR]`: runs
 * the benches and prints ONE JSON object on stdout (progress goes to stderr), also written
 * to bench-results/<date>.json. Figures, not asserts; not part of `npm test`.
 *
 * - ledger: synthetic ledgers of the given sizes (append latency, bytes per entry, full
 *   verification rate, start-up tail check);
 * - import: the plant-scale dataset in --data (made by `npm run bench:data`), imported
 *   into a fresh database, then verified; the trace bench then runs on that database;
 * - trace: without --data, on a synthetic one-year plant it generates itself;
 * - testing: lot completeness, 1,000 result entries through the contract and the ten-year
 *   trend query, on ten years of finished lots it generates itself (bench/testing.ts);
 * - instruments: latency from a frame's last byte on a real pty pair to the stored capture and
 *   to the renderer event, and each driver's parser throughput (bench/instruments.ts);
 * - disposition: readiness of a finished IMF lot with ~70 items and COA printing, on finished
 *   lots with results, inputs, signatures and audit reviews it generates itself (bench/disposition.ts);
 * - drills: a complete recall drill with its evidence pack from a raw milk lot and from an
 *   ingredient lot, on one year of bench/data.ts's plant imported into the app (bench/drills.ts).
 * - trust: signing latency with the personal key (p50/p95), verification of a signature-dense
 *   ledger, and with --data the plant-scale verification with and without the signature pass
 *   (bench/trust.ts).
 * - evidence: the standalone Python verifier (per phase, entries/s, Ed25519 verifications/s),
 *   `export --evidence` and the streamed audit CSV on the plant dataset (--data DIR, else
 *   generated at scale 0.1) (bench/evidence.ts).
 * - site: calls/s and p50/p95 latency with 1, 5 and 30 concurrent workstations of a `lotseal serve`
 *   on loopback for the lot page, a result entry and a sample registration, and the same calls
 *   embedded for the ratio (bench/site.ts; needs the Node build).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { runLedgerBench } from './ledger';
import { runImportBench } from './import';
import { runTraceBench } from './trace';
import { runTestingBench } from './testing';
import { runDispositionBench } from './disposition';
import { runDrillsBench } from './drills';
import { runInstrumentsBench } from './instruments';
import { runTrustBench } from './trust';
import { runEvidenceBench } from './evidence';
import { runSiteBench } from './site';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const sizes = (arg('sizes') ?? '1000000').split(',').map(Number);
  const only = new Set(
    (arg('only') ?? 'ledger,trace,import,testing,instruments,disposition,drills,trust,evidence,site').split(','),
  );
  const data = arg('data');
  const started = new Date();
  const result: Record<string, unknown> = {
    date: started.toISOString(),
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      memory_gb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: process.platform,
    },
  };
  if (only.has('ledger')) result['ledger'] = await runLedgerBench({ sizes });
  let plantDb: string | null = null;
  if (only.has('import')) {
    if (data) {
      const imported = (await runImportBench({ dir: data, keep: true })) as { db: string | null };
      result['import'] = imported;
      plantDb = imported.db;
    } else {
      result['import'] = { skipped: 'give --data DIR (npm run bench:data -- --out DIR)' };
    }
  }
  if (only.has('trace')) {
    const work = plantDb ? null : mkdtempSync(join(tmpdir(), 'lotseal-trace-bench-'));
    try {
      result['trace'] = await runTraceBench({ db: plantDb ?? join(work!, 'synthetic.db') });
    } finally {
      if (work) rmSync(work, { recursive: true, force: true });
    }
  }
  if (only.has('trust')) {
    // With --data, after the import bench: its plant-scale database (kept) is verified with
    // and without the signature pass.
    result['trust'] = await runTrustBench({ plantDb });
  }
  if (only.has('testing')) {
    result['testing'] = await runTestingBench({
      onProgress: (phase, done, total) => process.stderr.write(`testing ${phase}: ${done}/${total}\n`),
    });
  }
  if (only.has('instruments')) {
    result['instruments'] = await runInstrumentsBench({
      onProgress: (phase, done, total) => process.stderr.write(`instruments ${phase}: ${done}/${total}\n`),
    });
  }
  if (only.has('disposition')) {
    result['disposition'] = await runDispositionBench({
      onProgress: (phase, done, total) => process.stderr.write(`disposition ${phase}: ${done}/${total}\n`),
    });
  }
  if (only.has('drills')) {
    result['drills'] = await runDrillsBench({
      onProgress: (phase, done, total) => process.stderr.write(`drills ${phase}: ${done}/${total}\n`),
    });
  }
  if (only.has('evidence')) result['evidence'] = await runEvidenceBench(data ? { data } : {});
  if (only.has('site')) result['site'] = await runSiteBench({ onProgress: (m) => process.stderr.write(`${m}\n`) });
  const json = JSON.stringify(result, null, 2);
  process.stdout.write(`${json}\n`);
  const dir = join(__dirname, '..', 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${started.toISOString().replace(/[:.]/g, '-')}.json`), json);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
