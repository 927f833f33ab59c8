import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultDataDir } from './data-dir';
import { Command } from 'commander';
import { consoleLog, createAppCore } from '../app/core';
import { MIN_KEY_PASSPHRASE, passphraseProtector, type KeyProtector } from '../ledger/keys';
import { AppErrorException } from '../../shared/contract/errors';
import { translate } from '../../shared/i18n';
import { setBusyTimeout, UI_BUSY_TIMEOUT_MS } from '../db/database';
import { ChromiumPdfPrinter } from '../documents/chromium-printer';
import { startHarness } from './server';
import { readSiteSettings, SiteWorkstation, siteServerConfig } from '../remote/workstation';

/** `npm run start:web`: the app in a browser, for machines without a display server and for e2e tests. */
async function main(argv: string[]): Promise<void> {
  const program = new Command('lotseal-harness')
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', '5199')
    .option(
      '--data-dir <dir>',
      'data folder (database, keys, logs)',
      process.env['LOTSEAL_DATA_DIR'] ?? defaultDataDir(),
    )
    .option('--renderer-dir <dir>', 'built renderer', resolve(__dirname, '../renderer'))
    .option('--key-passphrase-file <file>', "file whose first line is this host's key passphrase")
    .option('--server <url>', 'work on a site server (wss://HOST:PORT) instead of a database in the data folder')
    .option('--server-fingerprint <hex>', "the site server's certificate fingerprint, as `lotseal serve` printed it")
    .option(
      '--enrol-user <id>',
      "enrol this harness's key with the site server first, this administrator authenticating",
    )
    .option('--enrol-password-file <file>', "file whose first line is that administrator's password")
    .parse(argv);
  const o = program.opts<{
    port: string;
    dataDir: string;
    rendererDir: string;
    keyPassphraseFile?: string;
    server?: string;
    serverFingerprint?: string;
    enrolUser?: string;
    enrolPasswordFile?: string;
  }>();
  const passphrase = o.keyPassphraseFile
    ? (readFileSync(o.keyPassphraseFile, 'utf8').split(/\r?\n/)[0] ?? '')
    : process.env['LOTSEAL_KEY_PASSPHRASE'];
  if (!passphrase) {
    // The operator may read either language: both are printed (issue 18 §8).
    for (const locale of ['zh-CN', 'en'] as const) {
      console.error(
        `LotSeal harness: ${translate(locale, 'errors.key_passphrase_missing')} ${translate(locale, 'errors.key_passphrase_short', { min: MIN_KEY_PASSPHRASE })}`,
      );
    }
    process.exit(2);
  }
  let protector: KeyProtector;
  try {
    protector = passphraseProtector(passphrase);
  } catch (e) {
    const err = e instanceof AppErrorException ? e.error : null;
    for (const locale of ['zh-CN', 'en'] as const) {
      console.error(`LotSeal harness: ${err ? translate(locale, err.messageKey, err.details) : String(e)}`);
    }
    process.exit(2);
  }
  const rendererDir = existsSync(o.rendererDir) ? o.rendererDir : resolve(process.cwd(), 'out/renderer');
  // The harness is a user interface on this thread: a database locked by another process
  // answers "busy" quickly instead of freezing every socket (D-043).
  setBusyTimeout(UI_BUSY_TIMEOUT_MS);
  if (o.server === undefined) {
    // Joined from Administration → Site server (D-107): <data>/site.json names the server, as on the desktop.
    try {
      const joined = readSiteSettings(o.dataDir);
      if (joined) {
        o.server = joined.url;
        o.serverFingerprint = joined.fingerprint;
      }
    } catch (e) {
      const err = e instanceof AppErrorException ? e.error : null;
      for (const locale of ['zh-CN', 'en'] as const)
        console.error(`LotSeal harness: ${err ? translate(locale, err.messageKey, err.details) : String(e)}`);
      process.exit(2);
    }
  }
  if (o.server !== undefined) {
    await startSiteHarness(o, protector, rendererDir);
    return;
  }
  const core = createAppCore({
    dataDir: o.dataDir,
    hostKind: 'harness',
    protector,
    schedule: true,
    pdf: new ChromiumPdfPrinter(),
  });
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

/**
 * The harness as a workstation of a site server (issue 23 §3): no database here; every
 * channel but the bench's goes to the server over this harness's authenticated link
 * (src/main/remote/). With --enrol-user, an administrator enrols this harness's key first.
 */
async function startSiteHarness(
  o: {
    port: string;
    dataDir: string;
    server?: string;
    serverFingerprint?: string;
    enrolUser?: string;
    enrolPasswordFile?: string;
  },
  protector: KeyProtector,
  rendererDir: string,
): Promise<void> {
  let station: SiteWorkstation;
  try {
    station = new SiteWorkstation({
      dataDir: o.dataDir,
      hostKind: 'harness',
      protector,
      server: siteServerConfig(o.server ?? '', o.serverFingerprint ?? ''),
      log: consoleLog,
    });
  } catch (e) {
    const err = e instanceof AppErrorException ? e.error : null;
    for (const locale of ['zh-CN', 'en'] as const)
      console.error(`LotSeal harness: ${err ? translate(locale, err.messageKey, err.details) : String(e)}`);
    process.exit(2);
  }
  console.log(`Host key: ${station.key.fingerprint}`);
  if (o.enrolUser) {
    const password = o.enrolPasswordFile ? (readFileSync(o.enrolPasswordFile, 'utf8').split(/\r?\n/)[0] ?? '') : '';
    try {
      const r = await station.links.enrol({ user: o.enrolUser.trim().toLowerCase(), password });
      console.log(`Enrolled with ${o.server}: ${r.host} key ${r.fingerprint}`);
    } catch (e) {
      // Already enrolled is fine (a restart with the same flags); anything else is said and the harness starts refused.
      console.error(`LotSeal harness: enrolment: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const h = await startHarness({ backend: station, rendererDir, port: Number(o.port) });
  console.log(`LotSeal harness: ${h.url}`);
  console.log(`Site server: ${o.server}`);
  const stop = (): void => {
    void h
      .close()
      .then(() => station.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv).catch((e: unknown) => {
  console.error('LotSeal harness failed to start:', e instanceof Error ? e.message : e);
  process.exit(2);
});
