import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultDataDir } from './data-dir';
import { Command } from 'commander';
import { createAppCore } from '../app/core';
import { passphraseProtector } from '../ledger/keys';
import { ChromiumPdfPrinter } from '../documents/chromium-printer';
import { startHarness } from './server';

/** `npm run start:web`: the app in a browser, for machines without a display server and for e2e tests. */
async function main(argv: string[]): Promise<void> {
  const program = new Command('lotseal-harness')
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', '5199')
    .option('--data-dir <dir>', 'data folder (database, keys, logs)', process.env['LOTSEAL_DATA_DIR'] ?? defaultDataDir())
    .option('--renderer-dir <dir>', 'built renderer', resolve(__dirname, '../renderer'))
    .option('--key-passphrase-file <file>', "file whose first line is this host's key passphrase")
    .parse(argv);
  const o = program.opts<{ port: string; dataDir: string; rendererDir: string; keyPassphraseFile?: string }>();
  const passphrase = o.keyPassphraseFile
    ? (readFileSync(o.keyPassphraseFile, 'utf8').split(/\r?\n/)[0] ?? '')
    : process.env['LOTSEAL_KEY_PASSPHRASE'];
  if (!passphrase) {
    console.error(
      'LotSeal harness: the signing key needs a passphrase. Set LOTSEAL_KEY_PASSPHRASE or pass --key-passphrase-file FILE (at least 8 characters).',
    );
    process.exit(2);
  }
  const rendererDir = existsSync(o.rendererDir) ? o.rendererDir : resolve(process.cwd(), 'out/renderer');
  const core = createAppCore({ dataDir: o.dataDir, hostKind: 'harness', protector: passphraseProtector(passphrase), schedule: true, pdf: new ChromiumPdfPrinter() });
  const h = await startHarness({ core, rendererDir, port: Number(o.port) });
  console.log(`LotSeal harness: ${h.url}`);
  console.log(`Data folder: ${o.dataDir}`);
  const stop = (): void => {
    void h.close().then(() => {
      core.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv).catch((e: unknown) => {
  console.error('LotSeal harness failed to start:', e instanceof Error ? e.message : e);
  process.exit(2);
});
