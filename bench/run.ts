/**
 * `npm run bench` (node --import tsx bench/run.ts [--sizes 1000000,10000000]): runs every
 * bench and prints ONE JSON object on stdout (progress goes to stderr), also written to
 * bench-results/<date>.json. Figures, not asserts; not part of `npm test`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { runLedgerBench } from './ledger';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const sizes = (arg('sizes') ?? '1000000,10000000').split(',').map(Number);
  const started = new Date();
  const result = {
    date: started.toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
    ledger: await runLedgerBench({ sizes }),
  };
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
