import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { AppErrorException, appError } from '../../../shared/contract/errors';
import { openSqlite } from '../../db/database';
import { checkMigrations } from '../../db/store';
import type { TraceEdge, TraceLotRef, TraceResult } from '../../trace';
import { Exit, dbPath, type Global } from '../common';
import { isRemote, type RemoteGlobal } from '../remote';
import { remoteTrace } from './remote-commands';

/**
 * `lotseal trace --db FILE --lot CODE [--json]` (../shared/formats/README.md §2). Read-only:
 * no key and no password (an inspector or a recall coordinator reads, nothing is signed), the
 * database opened read-only so a trace during an import waits for nothing and changes nothing.
 * Unknown lot: exit 1 with {"error":"lot_not_found","lot":…}; bad arguments: exit 2.
 */
export function registerTraceCommand(program: Command, g: () => Global): void {
  program
    .command('trace')
    .description('backward and forward genealogy of a lot, its shipments and customers, and its mass balance')
    .requiredOption('--lot <code>', 'lot code')
    .option('--user <id>', 'the reading user, when --server is given (a role that reads lots)')
    .option('--password-file <file>', "the user's password file (first line), when --server is given")
    .action(async (o: { lot: string; user?: string; passwordFile?: string }) => {
      if (o.lot.length === 0) throw new AppErrorException(appError('invalid_input', { field: 'lot', value: o.lot }));
      if (isRemote(g() as RemoteGlobal)) return remoteTrace(g() as RemoteGlobal, o);
      const file = dbPath(g());
      if (!existsSync(file)) throw new AppErrorException(appError('database_missing', { file }));
      // Loaded when the command runs, not at every `lotseal` start (D-116).
      const { traceLot, traceToJson } = await import('../../trace');
      const db = openSqlite(file, { readonly: true });
      try {
        const pending = checkMigrations(db, file);
        if (pending.length > 0) {
          throw new AppErrorException(
            appError('database_incompatible', { file, pending: pending.length }, 'errors.db_needs_migration'),
          );
        }
        const t = traceLot(db, o.lot, { edges: !g().json });
        if (!t) {
          if (g().json) process.stdout.write(`${JSON.stringify({ error: 'lot_not_found', lot: o.lot }, null, 2)}\n`);
          else process.stderr.write(`lotseal: no lot with code ${JSON.stringify(o.lot)} in ${file}\n`);
          throw new Exit(1);
        }
        process.stdout.write(`${g().json ? traceToJson(t) : renderTrace(t)}\n`);
      } finally {
        db.close();
      }
    });
}

/** The human-readable trace: the two genealogy trees, shipments, customers, mass balance. */
export function renderTrace(t: TraceResult): string {
  const lines: string[] = [];
  const r = t.root;
  lines.push(`Lot ${r.lot}  ${r.kind}  ${r.item_code} ${r.item_name}  ${r.quantity} ${r.unit}  [${r.status}]`);
  lines.push('');
  lines.push(`Made from (backward): ${t.backward.length} lot(s)`);
  if (t.edges) lines.push(...tree(r.lot, t.backward, t.edges.backward, 'backward'));
  else lines.push(...t.backward.map((l) => `${'  '.repeat(l.depth)}${describe(l)}`));
  lines.push('');
  lines.push(`Made into (forward): ${t.forward.length} lot(s)`);
  if (t.edges) lines.push(...tree(r.lot, t.forward, t.edges.forward, 'forward'));
  else lines.push(...t.forward.map((l) => `${'  '.repeat(l.depth)}${describe(l)}`));
  if (t.depth_limit_reached) lines.push('WARNING: the genealogy reached the depth limit; deeper lots are not listed.');
  lines.push('');
  lines.push(`Shipments: ${t.shipments.length}`);
  lines.push(
    ...table(
      ['date', 'shipment', 'lot', 'customer', 'quantity', 'unit'],
      t.shipments.map((s) => [s.date, s.shipment, s.lot, s.customer, s.quantity, s.unit]),
      [4],
    ),
  );
  lines.push('');
  lines.push(`Customers: ${t.customers.length}`);
  lines.push(
    ...table(
      ['customer', 'name', 'contact', 'phone'],
      t.customers.map((c) => [c.customer, c.name ?? '(not in the catalogue)', c.contact ?? '', c.phone ?? '']),
    ),
  );
  lines.push('');
  const mb = t.mass_balance;
  lines.push(`Mass balance (${mb.unit})`);
  lines.push(
    ...table(
      null,
      [
        ['received or produced', mb.received_or_produced],
        ['consumed', mb.consumed],
        ['shipped', mb.shipped],
        ['on hand (latest count)', mb.on_hand],
        ['sampled', mb.sampled],
        ['wasted', mb.wasted],
        ['returned (−)', mb.returned],
        ['adjusted (±)', mb.adjusted],
        ['accounted', mb.accounted],
        ['accounted %', mb.accounted_pct ?? 'n/a (quantity 0)'],
      ],
      [1],
    ),
  );
  if (t.unconverted.length > 0) {
    lines.push('');
    lines.push(`Not in the balance (cannot be converted to ${mb.unit}): ${t.unconverted.length}`);
    lines.push(
      ...table(
        ['source', 'ref', 'quantity', 'unit', 'date', 'reason'],
        t.unconverted.map((u) => [u.source, u.ref, u.quantity, u.unit, u.date, u.reason]),
        [2],
      ),
    );
  }
  lines.push('');
  lines.push(`Elapsed: ${t.elapsed_ms} ms`);
  return lines.join('\n');
}

function describe(l: Pick<TraceLotRef, 'lot' | 'kind' | 'item_code'>): string {
  return `${l.lot}  ${l.kind ?? '(no lot record)'}  ${l.item_code ?? ''}`.trimEnd();
}

/**
 * A genealogy as a tree. Each lot is expanded once, under the parent through which a
 * breadth-first walk reaches it first (its smallest depth); elsewhere it is shown with
 * "(see above)" so a diamond neither repeats a subtree nor hides a path.
 */
function tree(root: string, lots: TraceLotRef[], edges: TraceEdge[], dir: 'backward' | 'forward'): string[] {
  const info = new Map(lots.map((l) => [l.lot, l]));
  const children = new Map<string, Map<string, string[]>>();
  for (const e of edges) {
    const [parent, child] = dir === 'backward' ? [e.output, e.input] : [e.input, e.output];
    // The root on a cycle, or a lot beyond the depth limit, is not drawn.
    if (!info.has(child)) continue;
    let m = children.get(parent);
    if (!m) children.set(parent, (m = new Map()));
    const q = m.get(child) ?? [];
    q.push(`${e.quantity} ${e.unit}`);
    m.set(child, q);
  }
  const sortedKids = (n: string): Array<[string, string[]]> =>
    [...(children.get(n) ?? new Map<string, string[]>()).entries()].sort(([a], [b]) =>
      Buffer.compare(Buffer.from(a), Buffer.from(b)),
    );
  // Breadth-first: the first parent of each lot is where it is expanded.
  const home = new Map<string, string>();
  const queue = [root];
  const seen = new Set([root]);
  while (queue.length > 0) {
    const n = queue.shift()!;
    for (const [k] of sortedKids(n)) {
      if (seen.has(k)) continue;
      seen.add(k);
      home.set(k, n);
      queue.push(k);
    }
  }
  if (lots.length === 0) return ['  (none)'];
  const out: string[] = [];
  const expanded = new Set<string>();
  const walk = (n: string, prefix: string) => {
    const kids = sortedKids(n);
    kids.forEach(([k, qs], i) => {
      const last = i === kids.length - 1;
      const l = info.get(k);
      const expand = home.get(k) === n && !expanded.has(k);
      out.push(
        `${prefix}${last ? '└─ ' : '├─ '}${l ? describe(l) : k}  (${qs.join(' + ')})${expand || !children.has(k) || !l ? '' : `  (expanded at depth ${l.depth})`}`,
      );
      if (expand) {
        expanded.add(k);
        walk(k, prefix + (last ? '   ' : '│  '));
      }
    });
  };
  out.push(root);
  walk(root, '');
  return out;
}

function table(head: string[] | null, rows: string[][], rightAligned: number[] = []): string[] {
  if (rows.length === 0) return ['  (none)'];
  const all = head ? [head, ...rows] : rows;
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
  const fmt = (r: string[]) =>
    '  ' +
    r
      .map((c, i) => {
        const w = widths[i]! - [...c].length;
        return rightAligned.includes(i) ? ' '.repeat(w) + c : c + ' '.repeat(w);
      })
      .join('  ')
      .trimEnd();
  return all.map(fmt);
}
