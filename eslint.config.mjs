// @ts-check
/**
 * Lint is where LotSeal's architecture is enforced (docs/decisions.md D-011).
 *
 * A file's folder says which runtime it runs in, and an import that crosses into another
 * runtime fails the build with a message that says why (the VS Code `common / node /
 * electron-main` model). Incidents become rules too: `shell.openExternal` only through the
 * allowlisted helper (Beekeeper Studio's rule), record writes only through the ledger.
 *
 * ESLint flat config replaces a rule's options wholesale when several blocks match a file,
 * so each boundary rule below is configured exactly once per folder, with every
 * restriction that applies there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// ---------------------------------------------------------------------------------------
// Import restrictions, one building block per boundary
// ---------------------------------------------------------------------------------------

const nodeBuiltinNames = [...new Set(builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.split('/')[0]))];
/** `fs`, `fs/promises`, `node:fs`, `node:test` … */
const nodeBuiltinRegex = `^(node:.*|(${nodeBuiltinNames.join('|')})(/.*)?)$`;

/** @param {string} why */
const noNodeBuiltins = (why) => ({ regex: nodeBuiltinRegex, message: why });

/** @param {string} why */
const noElectron = (why) => ({ regex: '^(electron|electron-log)(/.*)?$', message: why });

/**
 * Folder boundaries are checked on the resolved path, not the import string: `../main` from
 * src/renderer/src is not src/main, and `../../main/db/database` is. A small local rule
 * does this (no-restricted-imports only sees the string).
 */
const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid imports that resolve into another runtime folder' },
    schema: [
      {
        type: 'array',
        items: {
          type: 'object',
          properties: { folder: { type: 'string' }, message: { type: 'string' } },
          required: ['folder', 'message'],
          additionalProperties: false,
        },
      },
    ],
  },
  /** @param {import('eslint').Rule.RuleContext} context */
  create(context) {
    /** @type {{ folder: string; message: string }[]} */
    const forbidden = context.options[0] ?? [];
    const cwd = context.cwd;
    /** @param {import('estree').Node} node @param {unknown} source */
    function check(node, source) {
      if (typeof source !== 'string') return;
      let target;
      if (source.startsWith('./') || source.startsWith('../')) {
        target = path.resolve(path.dirname(context.filename), source);
      } else if (source.startsWith('src/') || source.startsWith('/')) {
        target = path.resolve(cwd, source);
      } else {
        return;
      }
      const rel = path.relative(cwd, target).split(path.sep).join('/');
      for (const { folder, message } of forbidden) {
        if (rel === folder || rel.startsWith(folder + '/')) {
          context.report({ node, message });
          return;
        }
      }
    }
    return {
      /** @param {any} node */
      'ImportDeclaration, ExportNamedDeclaration, ExportAllDeclaration, ImportExpression'(node) {
        if (node.source && node.source.type === 'Literal') check(node, node.source.value);
      },
      /** @param {any} node */
      TSImportEqualsDeclaration(node) {
        const ref = node.moduleReference;
        if (ref.type === 'TSExternalModuleReference') check(node, ref.expression.value);
      },
      /** @param {any} node */
      "CallExpression[callee.name='require']"(node) {
        const arg = node.arguments[0];
        if (arg && arg.type === 'Literal') check(node, arg.value);
      },
    };
  },
};

/**
 * The house (issue 21, docs/architecture.md "Layers"): kernel (db, ledger, dispatcher, files,
 * workers) → capabilities → composition root (app) → hosts (electron, harness, cli). On the
 * resolved path of every import in src/main:
 * - a capability reaches another capability only through its front door (`<cap>/index.ts`);
 * - capabilities and the kernel import no composition root, no host and no handlers file
 *   (handlers are assembled by app/handlers.ts alone);
 * - the kernel imports no capability.
 * Capabilities named in `notYet` are still being converted: the front-door rule is off for
 * them, on both sides of the import.
 */
const house = {
  meta: {
    type: 'problem',
    docs: { description: 'Layers and front doors of src/main' },
    schema: [
      {
        type: 'object',
        properties: {
          capabilities: { type: 'array', items: { type: 'string' } },
          kernel: { type: 'array', items: { type: 'string' } },
          root: { type: 'array', items: { type: 'string' } },
          notYet: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
  },
  /** @param {import('eslint').Rule.RuleContext} context */
  create(context) {
    const o = context.options[0] ?? {};
    const capabilities = new Set(o.capabilities ?? []);
    const kernel = new Set(o.kernel ?? []);
    const root = new Set(o.root ?? []);
    const notYet = new Set(o.notYet ?? []);
    const cwd = context.cwd;
    /** @param {string} file */
    const place = (file) => {
      const rel = path.relative(cwd, file).split(path.sep).join('/');
      const m = /^src\/main\/([^/]+)(?:\/(.*))?$/.exec(rel);
      return m ? { folder: m[1], rest: m[2] ?? '' } : null;
    };
    const from = place(context.filename);
    if (!from) return {};
    const fromCapability = capabilities.has(from.folder);
    const fromKernel = kernel.has(from.folder);
    /** @param {import('estree').Node} node @param {unknown} source */
    function check(node, source) {
      if (typeof source !== 'string' || !(source.startsWith('./') || source.startsWith('../'))) return;
      const to = place(path.resolve(path.dirname(context.filename), source));
      if (!to || to.folder === from.folder) return;
      if (!fromCapability && !fromKernel) return;
      const layer = fromKernel ? 'the kernel' : `the ${from.folder} capability`;
      if (root.has(to.folder)) {
        context.report({
          node,
          message: `${layer} may not import src/main/${to.folder}/ (the composition root and the hosts sit above every capability; they pass what a capability needs in through its constructor).`,
        });
        return;
      }
      if (/(^|\/)handlers(\.ts)?$/.test(to.rest)) {
        context.report({
          node,
          message: `${layer} may not import another capability's handlers: handlers are assembled only by the composition root (src/main/app/handlers.ts). Call the capability's front door (src/main/${to.folder}/index.ts).`,
        });
        return;
      }
      if (fromKernel && capabilities.has(to.folder)) {
        context.report({
          node,
          message: `The kernel (db, ledger, dispatcher, files, workers) imports no capability: src/main/${to.folder} sits above it. Pass what the kernel needs in as a parameter or an interface the capability implements.`,
        });
        return;
      }
      if (
        fromCapability &&
        capabilities.has(to.folder) &&
        !notYet.has(to.folder) &&
        !notYet.has(from.folder) &&
        !/^index(\.ts)?$/.test(to.rest) &&
        to.rest !== ''
      ) {
        context.report({
          node,
          message: `Import src/main/${to.folder} through its front door ('../${to.folder}'), not its inner file ${to.rest}: a capability's rooms are its own. If you need something it does not offer, add it to src/main/${to.folder}/index.ts.`,
        });
      }
    }
    return {
      /** @param {any} node */
      'ImportDeclaration, ExportNamedDeclaration, ExportAllDeclaration, ImportExpression'(node) {
        if (node.source && node.source.type === 'Literal') check(node, node.source.value);
      },
    };
  },
};
/**
 * The renderer's house (issue 21 §4): `core/` (router, session, api) ← `ui/` (the shared kit) ←
 * `features/<capability>/` ← `app/` (the shell and composition root: pages, slots, home). On the
 * resolved path of every import in src/renderer/src:
 * - a feature imports no other feature: it links to it by route (core/router) or renders a slot
 *   (core/slots.tsx) that app/slots.tsx fills with the owner's panel;
 * - `ui/` and `core/` import no feature and not the shell (`app/`); features import no `app/`;
 * - `core/` imports no `ui/`.
 */
const rendererHouse = {
  meta: {
    type: 'problem',
    docs: { description: 'Layers of src/renderer/src: core, ui, features, app' },
    schema: [],
  },
  /** @param {import('eslint').Rule.RuleContext} context */
  create(context) {
    const cwd = context.cwd;
    /** @param {string} file */
    const place = (file) => {
      const rel = path.relative(cwd, file).split(path.sep).join('/');
      const m = /^src\/renderer\/src\/([^/]+)(?:\/([^/]+))?/.exec(rel);
      if (!m) return null;
      return { layer: m[1], feature: m[1] === 'features' ? m[2] : undefined };
    };
    const from = place(context.filename);
    if (!from) return {};
    /** @param {import('estree').Node} node @param {unknown} source */
    function check(node, source) {
      if (typeof source !== 'string' || !(source.startsWith('./') || source.startsWith('../'))) return;
      const to = place(path.resolve(path.dirname(context.filename), source));
      if (!to) return;
      if (from.layer === 'features' && to.layer === 'features' && to.feature !== from.feature) {
        context.report({
          node,
          message: `features/${from.feature}/ may not import features/${to.feature}/: a feature imports only core/ and ui/ (and src/shared). Link to the other capability by route (core/router), move a shared piece into ui/, or render a slot of core/slots.tsx that app/slots.tsx fills (docs/architecture.md, issue 21).`,
        });
        return;
      }
      if ((from.layer === 'ui' || from.layer === 'core') && (to.layer === 'features' || to.layer === 'app')) {
        context.report({
          node,
          message: `${from.layer}/ may not import ${to.layer === 'features' ? `features/${to.feature}/` : 'app/'}: core/ and ui/ sit below every feature and the shell. Pass what is needed in as props, or move the piece down into ${from.layer}/.`,
        });
        return;
      }
      if (from.layer === 'features' && to.layer === 'app') {
        context.report({
          node,
          message: `features/${from.feature}/ may not import app/: the shell and composition root sit above every feature (router and session are in core/).`,
        });
        return;
      }
      if (from.layer === 'core' && to.layer === 'ui') {
        context.report({
          node,
          message: 'core/ (router, session, api) may not import ui/: the kit builds on core, not the other way round.',
        });
      }
    }
    return {
      /** @param {any} node */
      'ImportDeclaration, ExportNamedDeclaration, ExportAllDeclaration, ImportExpression'(node) {
        if (node.source && node.source.type === 'Literal') check(node, node.source.value);
      },
    };
  },
};
/**
 * Who owns each table (issue 21 point 1, D-074): a capability owns the tables of the record
 * types it defines (src/main/ledger/records/<capability>.ts); the signed store's own tables
 * are assigned in src/main/read-models.json (`kernelTables`: the ledger's, identity's).
 * @param {string} cwd
 * @returns {Record<string, string>}
 */
function tableOwners(cwd) {
  /** @type {Record<string, string>} */
  const owners = {};
  const dir = path.join(cwd, 'src/main/ledger/records');
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.ts')) continue;
    for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(/\btable: '([a-z_][a-z0-9_]*)'/g))
      owners[m[1]] = f.replace(/\.ts$/, '');
  }
  return { ...owners, ...readModels(cwd).kernelTables };
}
/**
 * The declared cross-capability read models (src/main/read-models.json).
 * @param {string} cwd
 * @returns {{ kernelTables: Record<string, string>, readModels: Array<{ name: string, module: string, tables: string[], why: string }> }}
 */
function readModels(cwd) {
  return JSON.parse(readFileSync(path.join(cwd, 'src/main/read-models.json'), 'utf8'));
}
/** Tables a SQL text reads: the names after FROM / JOIN (a schema prefix such as `m.` dropped). */
const TABLE_REF = /\b(?:FROM|JOIN)\s+(?:[a-z_][a-z0-9_]*\.)?([a-z_][a-z0-9_]*)/g;

/**
 * No capability reads another's tables (issue 21 point 1, D-074): in src/main/<capability>/, a
 * SQL text that reads a table another capability (or the kernel) owns is an error unless the
 * file is a declared read model of that table in src/main/read-models.json (one place listing
 * each cross-capability read: its module, the tables it reads and why). Otherwise ask the owner
 * through its front door.
 */
const reads = {
  meta: {
    type: 'problem',
    docs: { description: "A capability reads only its own tables, or another's through a declared read model" },
    schema: [
      {
        type: 'object',
        properties: { capabilities: { type: 'array', items: { type: 'string' } } },
        additionalProperties: false,
      },
    ],
  },
  /** @param {import('eslint').Rule.RuleContext} context */
  create(context) {
    const capabilities = new Set(context.options[0]?.capabilities ?? []);
    const cwd = context.cwd;
    const rel = path.relative(cwd, context.filename).split(path.sep).join('/');
    const m = /^src\/main\/([^/]+)\/.+$/.exec(rel);
    if (!m || !capabilities.has(m[1])) return {};
    const capability = m[1];
    const owners = tableOwners(cwd);
    const declared = new Set(
      readModels(cwd)
        .readModels.filter((r) => r.module === rel)
        .flatMap((r) => r.tables),
    );
    /** @param {import('estree').Node} node @param {string} text */
    function check(node, text) {
      const seen = new Set();
      for (const x of text.matchAll(TABLE_REF)) {
        const table = x[1];
        const owner = owners[table];
        if (!owner || owner === capability || declared.has(table) || seen.has(table)) continue;
        seen.add(table);
        const door = owner === 'ledger' ? 'src/main/ledger (audit-queries.ts, corrections.ts)' : `its front door (src/main/${owner}/index.ts)`;
        context.report({
          node,
          message: `The ${capability} capability reads table \`${table}\`, which ${owner} owns: ask ${owner} through ${door}, or declare this read model in src/main/read-models.json (the module ${rel}, the tables it reads and why). No capability reads another's tables outside a declared read model (docs/architecture.md, D-074).`,
        });
      }
    }
    return {
      /** @param {any} node */
      Literal(node) {
        if (typeof node.value === 'string') check(node, node.value);
      },
      /** @param {any} node */
      TemplateLiteral(node) {
        check(node, node.quasis.map((/** @type {any} */ q) => q.value.cooked ?? q.value.raw).join(' ? '));
      },
    };
  },
};

const lotseal = { rules: { boundaries, house, reads, 'renderer-house': rendererHouse } };

const WHY = {
  sharedNode:
    'src/shared is pure TypeScript that runs in every host (Electron main, renderer, CLI, harness, tests): no Node built-ins. Put Node code in src/main/<capability>/ (docs/decisions.md D-011).',
  sharedElectron:
    'src/shared must not depend on Electron: the same code runs in the CLI, the browser harness and the renderer. Only src/main/electron and src/preload import electron.',
  sharedReact: 'src/shared holds the contract and domain rules, not UI: React belongs in src/renderer.',
  sharedUp:
    'src/shared is the bottom layer: it may not import from src/main, src/renderer or src/preload (they import from it, not the other way round).',
  mainElectron:
    'Services in src/main run in plain Node (CLI, harness, tests) as well as in Electron: only src/main/electron/** (the desktop shell) and src/preload/** may import electron or electron-log/main. Use electron-log/node or pass a logger in.',
  mainUi:
    'The main process never imports renderer or preload code: talk to the UI through the contract in src/shared/contract.',
  rendererMain:
    'The renderer is untrusted web content: it reaches services only through window.lotseal (the typed contract), never by importing src/main or src/preload.',
  rendererNode:
    'The renderer runs sandboxed in Chromium without Node: Node built-ins are unavailable there. Ask the main process through a contract channel.',
  rendererElectron:
    'The renderer has no Electron access (contextIsolation + sandbox): use window.lotseal, which the preload builds from the contract.',
  preloadNode:
    'The preload is sandboxed: it may only require electron. Build everything else from src/shared/contract.',
  preloadUp:
    'The preload exposes the contract, nothing else: it may import src/shared only, never src/main or src/renderer.',
};

// ---------------------------------------------------------------------------------------
// no-restricted-syntax selectors
// ---------------------------------------------------------------------------------------

const OPEN_EXTERNAL = {
  selector: "MemberExpression[property.name='openExternal']",
  message:
    'Use openExternalLink() from src/main/electron/external-links.ts: it parses the URL and allows only https links to allowlisted hosts. A raw shell.openExternal lets page content launch arbitrary programs (file:, smb:, custom protocols).',
};

const LEDGER_MESSAGE =
  'Records change only through the ledger (src/main/ledger): it appends the audit entry in the same transaction (21 CFR 11.10(e))';
// Same pattern as the brief, also allowing a quoted table name in UPDATE.
const SQL_WRITE = '\\b(INSERT\\s+INTO|UPDATE\\s+["`\\[]?\\w+["`\\]]?\\s+SET|DELETE\\s+FROM|REPLACE\\s+INTO)\\b';
const SQL_WRITES = [
  { selector: `Literal[value=/${SQL_WRITE}/i]`, message: LEDGER_MESSAGE },
  { selector: `TemplateElement[value.raw=/${SQL_WRITE}/i]`, message: LEDGER_MESSAGE },
  // kysely's write builders are the typed spelling of the same statements.
  {
    selector:
      "CallExpression[callee.type='MemberExpression'][callee.property.name=/^(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/]",
    message: LEDGER_MESSAGE,
  },
];


/** Reads are SQL too: only queries modules, the ledger and the store hold SQL text (issue 21). */
const QUERIES_MESSAGE =
  "SQL lives in the capability's queries module (src/main/<capability>/queries.ts or queries/), the ledger or the store: services call typed query functions, so every statement of a capability is in one place and rows are parsed once (docs/architecture.md)";
const SQL_READ = '^\\s*(SELECT|WITH)\\s';
const SQL_READS = [
  { selector: `Literal[value=/${SQL_READ}/i]`, message: QUERIES_MESSAGE },
  { selector: `TemplateElement[value.raw=/${SQL_READ}/i]`, message: QUERIES_MESSAGE },
  { selector: "CallExpression[callee.type='MemberExpression'][callee.property.name=/^(prepare|selectFrom)$/]", message: QUERIES_MESSAGE },
];

/**
 * Workers start only through src/main/workers/spawn.ts, which hands every worker the native
 * binding of better-sqlite3 the main thread uses (Electron's ABI in the desktop app). A worker
 * started anywhere else would load the Node build and fail in the packaged app (D-038).
 */
const NEW_WORKER = {
  selector: "NewExpression[callee.name='Worker'], NewExpression[callee.property.name='Worker']",
  message:
    'Start worker threads with spawnWorker() from src/main/workers/spawn.ts: it passes the native binding of better-sqlite3 (Electron ABI in the desktop app) in workerData, so the worker opens SQLite with the right build (docs/decisions.md D-038).',
};

/**
 * Documents open through one path (D-041): the desktop's system viewer (documents.open), or,
 * in the browser harness only, a browser tab opened by src/renderer/src/core/api/document-tab.tsx.
 * The desktop window refuses new windows, so a window.open or target="_blank" anywhere else
 * silently does nothing there.
 */
const NEW_WINDOW_MESSAGE =
  'Open documents with showDocument()/DocumentActions (src/renderer/src/ui/document-actions.tsx): the desktop denies new windows and opens PDFs in the system viewer through documents.open; only src/renderer/src/core/api/document-tab.tsx opens a browser tab, for the harness (docs/decisions.md D-041).';
const NEW_WINDOWS = [
  {
    selector:
      "CallExpression[callee.type='MemberExpression'][callee.object.name='window'][callee.property.name='open']",
    message: NEW_WINDOW_MESSAGE,
  },
  { selector: "JSXAttribute[name.name='target'][value.value='_blank']", message: NEW_WINDOW_MESSAGE },
];

/** Runtime imports of better-sqlite3 (type-only imports are fine). */
const noSqlite = {
  regex: '^better-sqlite3$',
  allowTypeImports: true,
  message:
    'Open SQLite through src/main/db/database.ts (openSqlite / openScratchSqlite): it passes the native binding of this thread, Electron\'s build in the desktop app and in its workers. A direct better-sqlite3 Database loads the Node build and fails there (docs/decisions.md D-038).',
};

const EXTERNAL_LINK_HELPER = 'src/main/electron/external-links.ts';
const WORKER_SPAWN = 'src/main/workers/spawn.ts';
const DOCUMENT_TAB = 'src/renderer/src/core/api/document-tab.tsx';
// The import's staging database is a scratch file of its own (never the record store):
// its SQL writes are not record changes (docs/import.md).
const LEDGER_WRITERS = ['src/main/ledger/**', 'src/main/db/migrations/**', 'src/main/import/staging.ts'];


// ---- the house (issue 21): capabilities, kernel, composition root and hosts of src/main ----
const CAPABILITIES = [
  'identity', 'catalog', 'lots', 'samples', 'testing', 'intake', 'environment', 'instruments',
  'release-evidence', 'disposition', 'recall', 'trace', 'documents', 'import', 'evidence', 'workstation',
];
const KERNEL = ['db', 'ledger', 'dispatcher', 'files', 'workers'];
// server/ is the site-server host (`lotseal serve`); remote/ is the hosts' client of a site
// server (SiteClient): both sit above every capability, which imports neither (issue 23).
const ROOT_AND_HOSTS = ['app', 'electron', 'harness', 'cli', 'server', 'remote'];
/** Only the hosts that serve (the browser harness, the site server) open a listening socket. */
const SERVES_WHY =
  'Only src/main/server/ (the site server) and src/main/harness/ (the browser harness) run servers: a listening socket elsewhere is a way into the records that no host authenticates (issue 23, docs/site-server.md). Use SiteClient (src/main/remote/) to reach a site server.';
const NO_SERVERS = [
  { name: 'ws', importNames: ['WebSocketServer', 'Server'], message: SERVES_WHY },
  ...['http', 'https', 'net', 'tls', 'http2'].flatMap((m) => [
    { name: `node:${m}`, importNames: ['createServer', 'Server'], message: SERVES_WHY },
    { name: m, importNames: ['createServer', 'Server'], message: SERVES_WHY },
  ]),
];
/** Capabilities still being converted to front doors and queries modules (empty when done). */
const HOUSE_NOT_YET = [
];
const QUERY_MODULES = ['src/main/*/queries.ts', 'src/main/*/queries/**'];
const SQL_READERS = [
  ...QUERY_MODULES,
  'src/main/ledger/**',
  'src/main/db/**',
  'src/main/import/staging.ts',
  ...HOUSE_NOT_YET.map((c) => `src/main/${c}/**`),
];

// ---------------------------------------------------------------------------------------

const TS = '**/*.{ts,tsx,mts,cts}';

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'build/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'bench-results/**',
      '.tmp/**',
      'tests/fixtures/lint/**',
      // A config bundled for loading (electron-vite: electron.vite.config.ts.<time>-<random>.mjs,
      // Vite: vite.config.ts.timestamp-….mjs) lives in the root for a moment while the build
      // starts. `npm test` lints beside the build: ESLint listed one such file and failed to read
      // it once it was gone (ENOENT, lint failed on a clean clone, 2026-12-06).
      '**/*.config.{ts,mts,js,mjs}.*.mjs',
    ],
  },

  js.configs.recommended,
  ...tseslint.configs.recommended,

  {
    files: [TS],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },

  // Node-side code, configs, tests, scripts.
  {
    files: [
      'src/main/**',
      'tests/**',
      'scripts/**',
      'bench/**',
      'bin/**',
      '*.config.{ts,mts,mjs,js,cjs}',
      '*.mjs',
      '*.cjs',
    ],
    languageOptions: { globals: { ...globals.node } },
  },
  // Playwright reads a fixture's dependencies from its destructuring pattern: a fixture that
  // needs none is written `async ({}, use) => …`, by design.
  {
    files: ['tests/e2e/**'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/preload/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs['recommended-latest'].rules },
  },

  { plugins: { lotseal } },

  // ---- (a) src/shared: pure TypeScript ------------------------------------------------
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noNodeBuiltins(WHY.sharedNode),
            noElectron(WHY.sharedElectron),
            { regex: '^(react|react-dom|@mantine|@tanstack|react-i18next)(/.*)?$', message: WHY.sharedReact },
          ],
        },
      ],
      'lotseal/boundaries': [
        'error',
        [
          { folder: 'src/main', message: WHY.sharedUp },
          { folder: 'src/renderer', message: WHY.sharedUp },
          { folder: 'src/preload', message: WHY.sharedUp },
        ],
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'localStorage', 'sessionStorage', 'navigator', 'location', 'indexedDB'].map(
          (name) => ({
            name,
            message: `src/shared runs in Node too (CLI, harness, tests): no DOM globals such as ${name}. Pass the value in from the host.`,
          }),
        ),
        ...['process', 'Buffer', 'require', '__dirname', '__filename', 'global'].map((name) => ({
          name,
          message: `src/shared runs in the renderer too: no Node globals such as ${name}. Pass the value in from the host.`,
        })),
      ],
    },
  },

  // ---- (b) src/main: plain Node services; only src/main/electron may import electron --
  // better-sqlite3 is opened only through src/main/db/database.ts, which applies the native
  // binding of the thread (Electron's build in the desktop, D-038).
  {
    files: ['src/main/**'],
    ignores: ['src/main/electron/**', 'src/main/db/database.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noElectron(WHY.mainElectron), noSqlite], paths: NO_SERVERS }],
    },
  },
  {
    files: ['src/main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noSqlite], paths: NO_SERVERS }] },
  },
  {
    files: ['src/main/server/**', 'src/main/harness/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectron(WHY.mainElectron), noSqlite] }] },
  },
  {
    files: ['src/main/**'],
    rules: {
      'lotseal/boundaries': [
        'error',
        [
          { folder: 'src/renderer', message: WHY.mainUi },
          { folder: 'src/preload', message: WHY.mainUi },
        ],
      ],
    },
  },
  {
    files: ['src/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [noNodeBuiltins(WHY.preloadNode), { regex: '^electron-log(/.*)?$', message: WHY.preloadNode }],
        },
      ],
      'lotseal/boundaries': [
        'error',
        [
          { folder: 'src/main', message: WHY.preloadUp },
          { folder: 'src/renderer', message: WHY.preloadUp },
        ],
      ],
    },
  },

  // ---- (c) src/renderer: web content ---------------------------------------------------
  {
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [noNodeBuiltins(WHY.rendererNode), noElectron(WHY.rendererElectron)] },
      ],
      'lotseal/boundaries': [
        'error',
        [
          { folder: 'src/main', message: WHY.rendererMain },
          { folder: 'src/preload', message: WHY.rendererMain },
        ],
      ],
    },
  },

  // ---- (d) shell.openExternal, (e) record writes, (f) workers, (g) new windows --------
  {
    files: [`src/${TS}`],
    ignores: [EXTERNAL_LINK_HELPER, WORKER_SPAWN, DOCUMENT_TAB, ...LEDGER_WRITERS],
    rules: { 'no-restricted-syntax': ['error', OPEN_EXTERNAL, ...SQL_WRITES, NEW_WORKER, ...NEW_WINDOWS] },
  },
  {
    files: [EXTERNAL_LINK_HELPER],
    rules: { 'no-restricted-syntax': ['error', ...SQL_WRITES, NEW_WORKER] },
  },
  {
    files: LEDGER_WRITERS,
    rules: { 'no-restricted-syntax': ['error', OPEN_EXTERNAL, NEW_WORKER] },
  },
  {
    files: [WORKER_SPAWN],
    rules: { 'no-restricted-syntax': ['error', OPEN_EXTERNAL, ...SQL_WRITES] },
  },
  {
    files: [DOCUMENT_TAB],
    rules: { 'no-restricted-syntax': ['error', OPEN_EXTERNAL, ...SQL_WRITES, NEW_WORKER] },
  },

  // ---- (h) the house: layers, front doors, SQL in queries modules (issue 21) ------------
  {
    files: ['src/main/**'],
    rules: {
      'lotseal/house': [
        'error',
        { capabilities: CAPABILITIES, kernel: KERNEL, root: ROOT_AND_HOSTS, notYet: HOUSE_NOT_YET },
      ],
      'lotseal/reads': ['error', { capabilities: CAPABILITIES }],
    },
  },
  {
    files: [`src/main/${TS}`],
    ignores: [EXTERNAL_LINK_HELPER, WORKER_SPAWN, ...LEDGER_WRITERS, ...SQL_READERS],
    rules: { 'no-restricted-syntax': ['error', OPEN_EXTERNAL, ...SQL_WRITES, ...SQL_READS, NEW_WORKER] },
  },

  // ---- (i) the renderer's house: core ← ui ← features ← app (issue 21 §4) ----------------
  {
    files: ['src/renderer/src/**'],
    rules: { 'lotseal/renderer-house': 'error' },
  },
);
