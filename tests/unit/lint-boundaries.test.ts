import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The architecture rules in eslint.config.mjs, proven on virtual files: each boundary
 * fails with its explanation where it must, and stays quiet where the code is allowed.
 * (The files do not exist; lintText only uses the path to pick the config.)
 */
let eslint: ESLint;

// The first lint loads the TypeScript parser and the whole config: done here, once, with no
// clock on it, so no test below depends on how busy the machine is.
beforeAll(async () => {
  eslint = new ESLint({ cwd: process.cwd(), overrideConfigFile: 'eslint.config.mjs' });
  await eslint.lintText('export const warm = 1;\n', { filePath: 'src/shared/warm-up.ts' });
});

async function lint(filePath: string, code: string): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath });
  expect(result, `lint result for ${filePath}`).toBeDefined();
  return (result?.messages ?? []).map(({ ruleId, message }) => ({ ruleId, message }));
}

const LEDGER_MESSAGE =
  'Records change only through the ledger (src/main/ledger): it appends the audit entry in the same transaction (21 CFR 11.10(e))';

describe('what lint reads', () => {
  it('ignores the config a build bundles into the root for a moment (lint runs beside the build)', async () => {
    expect(await eslint.isPathIgnored('electron.vite.config.ts.1796561418562-bfd5433989153.mjs')).toBe(true);
    expect(await eslint.isPathIgnored('vite.config.ts.timestamp-1796561418562-bfd5433989153.mjs')).toBe(true);
    expect(await eslint.isPathIgnored('electron.vite.config.ts')).toBe(false);
    expect(await eslint.isPathIgnored('scripts/build-node.mjs')).toBe(false);
  });
});

describe('runtime boundaries', () => {
  it('src/shared may not import Node built-ins', async () => {
    const messages = await lint(
      'src/shared/bad.ts',
      "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]?.ruleId).toBe('no-restricted-imports');
    expect(messages[0]?.message).toContain('src/shared is pure TypeScript');
    expect(messages[0]?.message).toContain('no Node built-ins');
  });

  it('src/shared may not import Node built-ins without the node: prefix either', async () => {
    const messages = await lint('src/shared/bad.ts', "import path from 'path';\nexport const p = path;\n");
    expect(messages.map((m) => m.message).join('\n')).toContain('no Node built-ins');
  });

  it('src/shared may not use DOM globals', async () => {
    const messages = await lint('src/shared/bad.ts', 'export const lang = navigator.language;\n');
    expect(messages.some((m) => m.ruleId === 'no-restricted-globals' && m.message.includes('no DOM globals'))).toBe(
      true,
    );
  });

  it('the renderer may not import from src/main', async () => {
    const messages = await lint(
      'src/renderer/src/bad.tsx',
      "import { openSqlite } from '../../main/db/database';\nexport const open = openSqlite;\n",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]?.ruleId).toBe('lotseal/boundaries');
    expect(messages[0]?.message).toContain('only through window.lotseal');
  });

  it('a renderer file importing its own ./main module is not mistaken for src/main', async () => {
    const messages = await lint(
      'src/renderer/src/app/x.tsx',
      "import { start } from '../main';\nexport const s = start;\n",
    );
    expect(messages).toEqual([]);
  });

  it('a main-process service may not import electron', async () => {
    const messages = await lint('src/main/samples/bad.ts', "import { app } from 'electron';\nexport const a = app;\n");
    expect(messages).toHaveLength(1);
    expect(messages[0]?.ruleId).toBe('no-restricted-imports');
    expect(messages[0]?.message).toContain('only src/main/electron/** (the desktop shell) and src/preload/**');
  });

  it('the Electron shell may import electron', async () => {
    const messages = await lint('src/main/electron/x.ts', "import { app } from 'electron';\nexport const a = app;\n");
    expect(messages).toEqual([]);
  });
});

describe('incident rules', () => {
  it('shell.openExternal outside the helper fails and names the helper', async () => {
    const messages = await lint(
      'src/main/electron/menu.ts',
      "import { shell } from 'electron';\nvoid shell.openExternal('https://www.ecfr.gov/');\n",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]?.ruleId).toBe('no-restricted-syntax');
    expect(messages[0]?.message).toContain('openExternalLink() from src/main/electron/external-links.ts');
  });

  it('the helper itself may call shell.openExternal', async () => {
    const messages = await lint(
      'src/main/electron/external-links.ts',
      "import { shell } from 'electron';\nvoid shell.openExternal('https://www.ecfr.gov/');\n",
    );
    expect(messages).toEqual([]);
  });

  it('an INSERT INTO literal outside the ledger fails with the 21 CFR 11.10(e) message', async () => {
    const messages = await lint(
      'src/main/samples/x.ts',
      "export const sql = 'INSERT INTO sample (id, lot) VALUES (?, ?)';\n",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]?.ruleId).toBe('no-restricted-syntax');
    expect(messages[0]?.message).toBe(LEDGER_MESSAGE);
  });

  it('UPDATE … SET and DELETE FROM in template literals fail too, in any case', async () => {
    const messages = await lint(
      'src/main/testing/x.ts',
      'export const a = (id: string) => `update result set value = 1 where id = ${id}`;\nexport const b = `DELETE FROM result`;\n',
    );
    expect(messages.filter((m) => m.message === LEDGER_MESSAGE)).toHaveLength(2);
  });

  it('kysely write builders outside the ledger fail', async () => {
    const messages = await lint(
      'src/main/samples/x.ts',
      "declare const qb: { insertInto(t: string): unknown };\nexport const q = qb.insertInto('sample');\n",
    );
    expect(messages.map((m) => m.message)).toContain(LEDGER_MESSAGE);
  });

  it('reads are fine in a queries module, the ledger and the store', async () => {
    // Each module reads a table of its own capability (another's is lotseal/reads' business, D-074, below).
    const read = (table: string) => `export const sql = 'SELECT id FROM ${table} WHERE lot = ?';\n`;
    for (const [file, table] of [
      ['src/main/samples/queries.ts', 'sample'],
      ['src/main/testing/queries/review.ts', 'test_result'],
      ['src/main/ledger/x.ts', 'sample'],
      ['src/main/db/x.ts', 'sample'],
    ] as const) {
      expect(await lint(file, read(table)), file).toEqual([]);
    }
  });

  it('the ledger may write', async () => {
    const messages = await lint(
      'src/main/ledger/x.ts',
      "export const sql = 'INSERT INTO sample (id, lot) VALUES (?, ?)';\n",
    );
    expect(messages).toEqual([]);
  });
});

describe('workers and new windows (D-038, D-041)', () => {
  const worker = "import { Worker } from 'node:worker_threads';\nexport const w = new Worker('x.js');\n";
  it('new Worker outside the spawn module fails, in services and in the ledger', async () => {
    for (const file of ['src/main/testing/x.ts', 'src/main/ledger/x.ts', 'src/main/electron/x.ts']) {
      const messages = await lint(file, worker);
      expect(messages.map((m) => m.message).join('\n'), file).toContain('spawnWorker()');
    }
    const qualified = await lint(
      'src/main/x/y.ts',
      "import wt from 'node:worker_threads';\nexport const w = new wt.Worker('x.js');\n",
    );
    expect(qualified.map((m) => m.message).join('\n')).toContain('spawnWorker()');
  });

  it('the spawn module may start workers', async () => {
    expect(await lint('src/main/workers/spawn.ts', worker)).toEqual([]);
  });

  it('window.open and target="_blank" in the renderer fail outside document-tab.tsx', async () => {
    const open = await lint(
      'src/renderer/src/features/x/y.tsx',
      "export const f = (u: string) => window.open(u, '_blank');\n",
    );
    expect(open.map((m) => m.message).join('\n')).toContain('documents.open');
    const blank = await lint(
      'src/renderer/src/features/x/y.tsx',
      'export const L = ({ u }: { u: string }) => <a href={u} target="_blank" rel="noopener">x</a>;\n',
    );
    expect(blank.map((m) => m.message).join('\n')).toContain('documents.open');
    const tab = await lint(
      'src/renderer/src/core/api/document-tab.tsx',
      'export const f = (u: string) => window.open(u, \'_blank\');\nexport const L = ({ u }: { u: string }) => <a href={u} target="_blank" rel="noopener">x</a>;\n',
    );
    expect(tab).toEqual([]);
  });
});

describe('SQLite is opened through the database module (D-038)', () => {
  it('a direct better-sqlite3 import in src/main fails, outside src/main/db/database.ts', async () => {
    const code = "import Database from 'better-sqlite3';\nexport const db = new Database(':memory:');\n";
    for (const file of ['src/main/import/x.ts', 'src/main/electron/x.ts', 'src/main/ledger/x.ts']) {
      expect((await lint(file, code)).map((m) => m.message).join('\n'), file).toContain('openScratchSqlite');
    }
    expect(await lint('src/main/db/database.ts', code)).toEqual([]);
  });
});

const QUERIES = "SQL lives in the capability's queries module";

describe('the house: layers, front doors, SQL in queries modules (issue 21)', () => {
  it('a SELECT, a WITH or a .prepare() in a service fails and names the queries module', async () => {
    const messages = await lint(
      'src/main/samples/samples-service.ts',
      [
        "export const a = 'SELECT id FROM sample WHERE lot = ?';",
        'export const b = `WITH x AS (SELECT 1) SELECT * FROM x`;',
        "declare const db: { prepare(s: string): unknown };",
        "export const c = db.prepare(a);",
        "declare const qb: { selectFrom(t: string): unknown };",
        "export const d = qb.selectFrom('sample');",
        '',
      ].join('\n'),
    );
    expect(messages.filter((m) => m.message.startsWith(QUERIES))).toHaveLength(4);
  });

  it('hosts hold no SQL either', async () => {
    const messages = await lint('src/main/cli/commands/x.ts', "export const a = 'SELECT 1 FROM lot';\n");
    expect(messages.map((m) => m.message).join('\n')).toContain(QUERIES);
  });

  it('prose that merely starts with "select" in a message is not taken for SQL', async () => {
    expect(await lint('src/main/samples/x.ts', "export const m = 'Selected: 3';\n")).toEqual([]);
  });

  it('a capability reaches another only through its front door', async () => {
    const inner = await lint(
      'src/main/disposition/x.ts',
      "import { SamplesService } from '../samples/samples-service';\nexport const s = SamplesService;\n",
    );
    expect(inner).toHaveLength(1);
    expect(inner[0]?.ruleId).toBe('lotseal/house');
    expect(inner[0]?.message).toContain("through its front door ('../samples')");
    for (const door of ["'../samples'", "'../samples/index'", "'../samples/index.ts'"]) {
      expect(await lint('src/main/disposition/x.ts', `import { SamplesService } from ${door};\nexport const s = SamplesService;\n`), door).toEqual([]);
    }
    // Inside one capability every room is open.
    expect(await lint('src/main/samples/x.ts', "import { y } from './samples-service';\nexport const s = y;\n")).toEqual([]);
  });

  it('capabilities and the kernel import no composition root, no host and no handlers', async () => {
    const root = await lint('src/main/lots/x.ts', "import type { AppCore } from '../app/core';\nexport type C = AppCore;\n");
    expect(root[0]?.message).toContain('composition root and the hosts sit above every capability');
    const host = await lint('src/main/ledger/x.ts', "import { program } from '../cli/program';\nexport const p = program;\n");
    expect(host[0]?.message).toContain('composition root and the hosts sit above every capability');
    const handlers = await lint('src/main/lots/x.ts', "import { samplesHandlers } from '../samples/handlers';\nexport const h = samplesHandlers;\n");
    expect(handlers[0]?.message).toContain("may not import another capability's handlers");
  });

  it('the kernel imports no capability', async () => {
    const messages = await lint('src/main/ledger/x.ts', "import { LotsService } from '../lots';\nexport const l = LotsService;\n");
    expect(messages).toHaveLength(1);
    expect(messages[0]?.message).toContain('The kernel (db, ledger, dispatcher, files, workers) imports no capability');
  });

  it('the composition root and the hosts may import capabilities and their handlers', async () => {
    const code = "import { lotsHandlers } from '../lots/handlers';\nimport { LotsService } from '../lots';\nexport const x = [lotsHandlers, LotsService];\n";
    expect(await lint('src/main/app/handlers.ts', code)).toEqual([]);
    expect(await lint('src/main/cli/x.ts', code)).toEqual([]);
  });

  // Issue 23: the site server's client (remote/) is for hosts; only server/ and harness/ listen.
  it('hosts may import remote/, capabilities never; only server/ and harness/ run servers', async () => {
    const client = "import { SiteClient } from '../remote/site-client';\nexport const c = SiteClient;\n";
    expect(await lint('src/main/cli/x.ts', client)).toEqual([]);
    expect((await lint('src/main/samples/x.ts', client))[0]?.message).toContain('composition root and the hosts sit above every capability');
    expect((await lint('src/main/ledger/x.ts', client))[0]?.message).toContain('composition root and the hosts sit above every capability');
    const listen = "import { WebSocketServer } from 'ws';\nimport { createServer } from 'node:https';\nexport const s = [WebSocketServer, createServer];\n";
    expect(await lint('src/main/server/x.ts', listen)).toEqual([]);
    expect(await lint('src/main/harness/x.ts', listen)).toEqual([]);
    for (const file of ['src/main/cli/x.ts', 'src/main/remote/x.ts', 'src/main/lots/x.ts', 'src/main/electron/x.ts']) {
      const m = await lint(file, listen);
      expect(m.map((x) => x.ruleId), file).toEqual(['no-restricted-imports', 'no-restricted-imports']);
      expect(m[0]?.message).toContain('run servers');
    }
    // A client socket is fine anywhere in main.
    expect(await lint('src/main/remote/x.ts', "import { WebSocket } from 'ws';\nimport { connect } from 'node:tls';\nexport const c = [WebSocket, connect];\n")).toEqual([]);
  });

  // D-074: no capability reads another's tables outside a declared read model (src/main/read-models.json).
  const READS = 'lotseal/reads';
  it("a queries module reading another capability's table fails, names the owner and the way out", async () => {
    const messages = await lint(
      'src/main/samples/queries.ts',
      "import type { Db } from '../db/database';\nexport const q = (db: Db) => db.prepare('SELECT s.code, r.verdict FROM sample s JOIN test_result r ON r.sample_id = s.id');\n",
    );
    expect(messages.map((m) => m.ruleId)).toEqual([READS]);
    expect(messages[0]?.message).toContain('The samples capability reads table `test_result`, which testing owns');
    expect(messages[0]?.message).toContain('src/main/testing/index.ts');
    expect(messages[0]?.message).toContain('src/main/read-models.json');
  });

  it("a template literal, a schema-qualified name and the signed store's own tables are caught too", async () => {
    const tpl = await lint(
      'src/main/environment/queries.ts',
      "import type { Db } from '../db/database';\nexport const q = (db: Db, w: string) => db.prepare(`SELECT * FROM m.lot WHERE ${w}`);\n",
    );
    expect(tpl.map((m) => m.message).join('\n')).toContain('reads table `lot`, which lots owns');
    const trail = await lint(
      'src/main/testing/queries/audit.ts',
      "import type { Db } from '../../db/database';\nexport const q = (db: Db) => db.prepare(\"SELECT 1 FROM audit_entry WHERE reason LIKE 'correction: %'\");\n",
    );
    expect(trail.map((m) => m.message).join('\n')).toContain('reads table `audit_entry`, which ledger owns');
  });

  it('its own tables, and a declared read model of exactly that module and table, pass', async () => {
    const own =
      "import type { Db } from '../db/database';\nexport const q = (db: Db) => db.prepare('SELECT * FROM sample s JOIN sample_event e ON e.sample_id = s.id');\n";
    expect(await lint('src/main/samples/queries.ts', own)).toEqual([]);
    // samples/queries.ts declares its read of `lot` (the retention worklist) ...
    const declared =
      "import type { Db } from '../db/database';\nexport const q = (db: Db) => db.prepare('SELECT * FROM lot l');\n";
    expect(await lint('src/main/samples/queries.ts', declared)).toEqual([]);
    // ... which does not let another module of the same capability read it.
    const other = await lint(
      'src/main/samples/queries/more.ts',
      declared.replace("'../db/database'", "'../../db/database'"),
    );
    expect(other.map((m) => m.ruleId)).toEqual([READS]);
  });
});

describe("the renderer's house: core ← ui ← features ← app (issue 21 §4)", () => {
  it('a feature importing another feature fails and says how to reach it', async () => {
    const messages = await lint(
      'src/renderer/src/features/lots/x.tsx',
      "import { CompletenessPanel } from '../testing/completeness/completeness-panel';\nexport const C = CompletenessPanel;\n",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]?.ruleId).toBe('lotseal/renderer-house');
    expect(messages[0]?.message).toContain('features/lots/ may not import features/testing/');
    expect(messages[0]?.message).toContain('by route');
  });

  it('a feature may import core/, ui/, src/shared and its own folders', async () => {
    const messages = await lint(
      'src/renderer/src/features/testing/oos/x.tsx',
      [
        "import { href } from '../../../core/router';",
        "import { LotLink } from '../../../ui/lot';",
        "import { LotCompleteness } from '../../../core/slots';",
        "import type { ResultView } from '../../../../../shared/contract/channels/testing';",
        "import { useReportedText } from '../reported';",
        'export const all = [href, LotLink, LotCompleteness, useReportedText] as const;',
        'export type R = ResultView;',
        '',
      ].join('\n'),
    );
    expect(messages).toEqual([]);
  });

  it('ui/ and core/ import no feature and not the shell; core/ imports no ui/', async () => {
    const fromUi = await lint(
      'src/renderer/src/ui/x.tsx',
      "import { LotPage } from '../features/lots/lot-page';\nexport const P = LotPage;\n",
    );
    expect(fromUi.map((m) => m.message).join('\n')).toContain('ui/ may not import features/lots/');
    const fromCore = await lint(
      'src/renderer/src/core/x.ts',
      "import { slots } from '../app/slots';\nexport const s = slots;\n",
    );
    expect(fromCore.map((m) => m.message).join('\n')).toContain('core/ may not import app/');
    const coreUi = await lint(
      'src/renderer/src/core/x.ts',
      "import { num } from '../ui/format';\nexport const n = num;\n",
    );
    expect(coreUi.map((m) => m.message).join('\n')).toContain('core/ (router, session, api) may not import ui/');
  });

  it('the shell (app/) composes the features', async () => {
    const messages = await lint(
      'src/renderer/src/app/x.tsx',
      "import { LotPage } from '../features/lots/lot-page';\nexport const P = LotPage;\n",
    );
    expect(messages).toEqual([]);
  });
});
