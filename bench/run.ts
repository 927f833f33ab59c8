/**
 * `npm run bench [-- --only ledger,trace,import --sizes 1000000,10000000 --data DIR]`: runs
 * the benches and prints ONE JSON object on stdout (progress goes to stderr), also written
 * to bench-results/<date>.json. Figures, not asserts; not part of `npm test`.
 *
 * - ledger: synthetic ledgers of the given sizes (append latency, bytes per entry, full
 *   verification rate, start-up tail check);
 * - import: the plant-scale dataset in --data (made by `npm run bench:data`), imported
 *   into a fresh database, then verified; the trace bench then runs on that database;
 * - trace: without --data, on a synthetic one-year plant it generates itself.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { runLedgerBench } from './ledger';
import { runImportBench } from './import';
import { runTraceBench } from './trace';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const sizes = (arg('sizes') ?? '1000000').split(',').map(Number);
  const only = new Set((arg('only') ?? 'ledger,trace,import').split(','));
  const data = arg('data');
  const started = new Date();
  const result: Record<string, unknown> = {
    date: started.toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
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
