#!/usr/bin/env node
/**
 * `npm run typecheck`: both TypeScript programs (tsconfig.node.json, tsconfig.web.json) checked
 * by TypeScript 7, the native compiler, installed as the `typescript-native` alias (D-114).
 * TypeScript 5.9 (`typescript`) stays for typescript-eslint's parser, the editor and the
 * build's tools; only the check runs on 7, which reports the same errors with about a fifth of
 * the CPU (docs/performance.md "The test suite").
 *
 * The compiler is run by its path, never as `tsc` from node_modules/.bin: both packages
 * declare a `tsc` bin, and which one npm links there depends on the order of installs.
 *
 * Each check is one thread (`--singleThreaded`): TypeScript 7's default of several checkers
 * per program costs about twice the CPU for the same result, and `npm test` already runs its
 * static jobs side by side, one a core (scripts/test-all.mjs). No build info is written or
 * read (`--composite false --incremental false`): a one-off check never reuses it.
 *
 *   node scripts/typecheck.mjs            both programs, one after the other
 *   node scripts/typecheck.mjs web|node   one of them
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nativeTsc = path.join(root, 'node_modules', 'typescript-native', 'bin', 'tsc');

/** The programs by name. */
export const programs = { node: 'tsconfig.node.json', web: 'tsconfig.web.json' };

/**
 * The command that checks one program: `[command, args]`, run from the repository root.
 * @param {keyof typeof programs} program
 * @param {{ pretty?: boolean }} [options]
 * @returns {[string, string[]]}
 */
export function typecheckCommand(program, { pretty = false } = {}) {
  return [
    process.execPath,
    [
      nativeTsc,
      '-p',
      programs[program],
      '--noEmit',
      '--composite',
      'false',
      '--incremental',
      'false',
      '--singleThreaded',
      ...(pretty ? ['--pretty'] : []),
    ],
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((p) => !(p in programs));
  if (unknown.length > 0) {
    console.error(`typecheck: unknown program ${unknown.join(', ')} (known: ${Object.keys(programs).join(', ')})`);
    process.exit(2);
  }
  let failed = false;
  for (const program of asked.length > 0 ? asked : Object.keys(programs)) {
    const [cmd, args] = typecheckCommand(/** @type {keyof typeof programs} */ (program), {
      pretty: Boolean(process.stdout.isTTY),
    });
    const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
    if (result.error) console.error(`typecheck: could not start TypeScript 7: ${result.error.message}`);
    if (result.status !== 0) failed = true;
  }
  process.exit(failed ? 1 : 0);
}
