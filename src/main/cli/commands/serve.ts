import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { AppErrorException, appError } from '../../../shared/contract/errors';
import type { CoreLog } from '../../app/core';
import { passphraseProtector } from '../../ledger/keys';
import { dataDir, dbPath, passphrase, type Global } from '../common';

/** `HOST:PORT`, `[::1]:PORT` → host and port; null when it is not one. */
export function parseListen(s: string): { host: string; port: number } | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(s.trim());
  if (!m) return null;
  const port = Number(m[3]);
  if (port > 65535) return null;
  return { host: (m[1] ?? m[2])!, port };
}

/** The server's log: one JSON line per event on stderr (stdout carries only the ready line). */
const serverLog: CoreLog = {
  refused: (i) => process.stderr.write(`${JSON.stringify({ at: new Date().toISOString(), refused: i })}\n`),
  error: (i) =>
    process.stderr.write(
      `${JSON.stringify({ at: new Date().toISOString(), error: i.channel, message: i.error instanceof Error ? i.error.message : String(i.error) })}\n`,
    ),
  info: (m, d) =>
    process.stderr.write(`${JSON.stringify({ at: new Date().toISOString(), info: m, ...(d ? { data: d } : {}) })}\n`),
};

/**
 * `lotseal serve --db FILE --listen HOST:PORT [--tls-cert FILE --tls-key FILE] [--json]`
 * (../shared/formats/README.md §3, docs/site-server.md). The same AppCore as every host, with
 * this machine's `server` host key (it signs every checkpoint; an administrator enrols it once:
 * `lotseal host enrol --db FILE --kind server`). Opening the database runs the same start-up
 * check as the desktop's. Ready: one JSON line on stdout. SIGTERM/SIGINT: stop accepting, close
 * every socket, close the database, exit 0. A SIGKILL loses no acknowledged write: a reply is
 * sent only after its transaction committed (WAL, synchronous=FULL).
 */
export function registerServeCommand(program: Command, g: () => Global): void {
  program
    .command('serve')
    .description('run the site server: the same services for every workstation of a site, over TLS WebSocket')
    .requiredOption('--listen <host:port>', 'address to listen on, e.g. 0.0.0.0:8443 or 127.0.0.1:0 (any free port)')
    .option('--tls-cert <file>', 'PEM certificate (default: a self-signed one made in the data folder on first start)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .action(async (o: { listen: string; tlsCert?: string; tlsKey?: string }) => {
      const listen = parseListen(o.listen);
      if (!listen) throw new AppErrorException(appError('invalid_input', { field: '--listen', value: o.listen }));
      const file = dbPath(g());
      if (!existsSync(file)) throw new AppErrorException(appError('database_missing', { file }));
      const dir = dataDir(g());
      // The whole app (every service, the contract's schemas, the server) loads only for `serve`.
      const [{ createAppCore }, { startSiteServer }, { loadServerTls }] = await Promise.all([
        import('../../app/core'),
        import('../../server/site-server'),
        import('../../server/tls-cert'),
      ]);
      const core = createAppCore({
        dataDir: dir,
        dbFile: file,
        hostKind: 'server',
        protector: passphraseProtector(passphrase(g())),
        schedule: true,
        scheduledBackups: true,
        log: serverLog,
      });
      try {
        if (!core.initialized) throw new AppErrorException(core.openError ?? appError('not_initialized'));
        if (!core.need().ledger.isKeyRegistered())
          throw new AppErrorException(
            appError(
              'workstation_not_registered',
              { fingerprint: core.key.fingerprint },
              'errors.server_key_not_enrolled',
            ),
          );
        let tls;
        try {
          tls = loadServerTls(
            dir,
            { certFile: o.tlsCert, keyFile: o.tlsKey },
            { host: hostname(), altNames: [hostname(), listen.host] },
          );
        } catch (e) {
          throw new AppErrorException(
            appError('invalid_input', { field: '--tls-cert', reason: e instanceof Error ? e.message : String(e) }),
          );
        }
        const server = await startSiteServer({ core, listen, tls });
        const stopped = new Promise<void>((resolve) => {
          const stop = (): void => {
            process.off('SIGTERM', stop);
            process.off('SIGINT', stop);
            serverLog.info('site server stopping');
            void server.close().then(resolve);
          };
          process.on('SIGTERM', stop);
          process.on('SIGINT', stop);
        });
        process.stdout.write(`${JSON.stringify({ ok: true, url: server.url, fingerprint: server.fingerprint })}\n`);
        serverLog.info('site server ready', {
          url: server.url,
          fingerprint: server.fingerprint,
          certificate: tls.source === 'given' ? tls.certFile : `${tls.certFile} (${tls.source})`,
          key: core.key.fingerprint,
          startupFindings: core.startupFindings.length,
        });
        await stopped;
      } finally {
        core.close();
      }
      // A scheduled verification or backup still running in a worker thread would keep the
      // process alive past its service manager's stop timeout: its run is simply not recorded
      // (the next start's check and schedule cover it), so the process ends now.
      setImmediate(() => process.exit(0)).unref();
    });
}
