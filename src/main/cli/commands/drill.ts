import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { AppErrorException, appError } from '../../../shared/contract/errors';
import { Exit, out, withUser } from '../common';
import { isRemote, type RemoteGlobal } from '../remote';
import { remoteDrill } from './remote-ops';

/**
 * `lotseal drill --db FILE --lot CODE --user U --password-file F --out DIR [--direction D] --json`
 * (issue 12 §7): creates a recall drill as a draft, runs every step from the records, and
 * writes the evidence as JSON, CSV and HTML into DIR. The drill stays open: a QA manager
 * explains the findings and completes it with a signature in the app — a script never signs.
 * With `--server` the drill is started and run on the site server (each step a write with its
 * request id) and the same files are written here (issue 23).
 */
export function registerDrillCommand(program: Command, g: () => RemoteGlobal): void {
  program
    .command('drill')
    .description('run a recall drill from a lot (draft) and write its evidence as JSON, CSV and HTML')
    .requiredOption('--lot <code>', 'the lot the drill starts from')
    .requiredOption('--user <user>', 'a QA manager (lots.decide)')
    .requiredOption('--password-file <file>', "file whose first line is the user's password")
    .requiredOption('--out <dir>', 'folder for the evidence files')
    .option('--direction <d>', 'backward | forward | both', 'both')
    .action(async (o: { lot: string; user: string; passwordFile: string; out: string; direction: string }) => {
      if (!['backward', 'forward', 'both'].includes(o.direction))
        throw new AppErrorException(appError('invalid_input', { field: 'direction', value: o.direction }));
      if (isRemote(g())) return remoteDrill(g(), o);
      await withUser(
        g(),
        o.user.trim().toLowerCase(),
        o.passwordFile,
        'lots.decide',
        (_ledger, _identity, actor, services) => {
          if (!services.lots.lotRow(o.lot)) {
            if (g().json) process.stdout.write(`${JSON.stringify({ error: 'lot_not_found', lot: o.lot })}\n`);
            else process.stderr.write(`lotseal: no lot with code ${JSON.stringify(o.lot)}\n`);
            throw new Exit(1);
          }
          // The composition root's services: the drill sees holds, recalls and returns as the app does.
          const drills = services.drills;
          const started = drills.start(actor, {
            mode: 'drill',
            lotCode: o.lot,
            scanned: false,
            direction: o.direction as 'both',
            targetMinutes: 240,
            toleranceMin: '95',
            toleranceMax: '100',
          });
          const d = drills.runAll(actor, started.drill.code);
          const dir = resolve(o.out);
          mkdirSync(dir, { recursive: true });
          const base = join(dir, d.drill.code);
          // The same files as through a site server (drills.evidenceFiles).
          const files = drills.evidenceFiles(d.drill.code);
          writeFileSync(`${base}.json`, files.json);
          writeFileSync(`${base}.csv`, files.csv);
          writeFileSync(`${base}.html`, files.html);
          const summary = {
            ok: true,
            drill: d.drill.code,
            status: d.drill.status,
            lot: o.lot,
            direction: d.drill.direction,
            affected_lots: d.lots.length,
            customers: d.customers.length,
            accounted_pct: d.drill.accountedPct,
            within_tolerance: d.drill.withinTolerance,
            findings: d.findings.length,
            files: [`${base}.json`, `${base}.csv`, `${base}.html`],
          };
          out(
            g(),
            summary,
            `drill ${d.drill.code} (draft): ${d.lots.length} lots, ${d.customers.length} customers, accounted ${d.drill.accountedPct ?? '—'} %, ${d.findings.length} findings\nevidence: ${summary.files.join(', ')}\nA QA manager completes and signs the drill in LotSeal.`,
          );
        },
      );
    });
}
