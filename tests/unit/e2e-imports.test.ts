import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * What the e2e journeys load. Playwright transforms (Babel) and runs every module a spec file
 * imports: in its runner, to list the journeys, and in each worker that runs the file. The site
 * journeys once imported tests/helpers/site.ts, whose in-process site world pulls in the whole
 * app through tests/helpers/core.ts: 441 modules transformed and loaded on every clean machine
 * before the first journey started (14.7 CPU-s to list them; 6.5 with the 107 they need).
 * The journeys reach the app through its harness and `lotseal` processes, never in-process.
 *
 * The walk follows relative value imports (type-only imports are erased before anything runs)
 * and over-approximates: `import { type X }` counts as a value import.
 */

const root = process.cwd();
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolveFrom(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), base.replace(/\.js$/, '.ts')])
    if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
}

/** Every module reachable from `entries`, each with the module that first imported it. */
function moduleGraph(entries: string[]): Map<string, string | null> {
  const seen = new Map<string, string | null>();
  const visit = (file: string, via: string | null): void => {
    if (seen.has(file)) return;
    seen.set(file, via);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const target = resolveFrom(file, m[1] ?? m[2] ?? '');
      if (target) visit(target, file);
    }
  };
  for (const e of entries) visit(path.resolve(root, e), null);
  return seen;
}

function chainTo(graph: Map<string, string | null>, file: string): string {
  const chain: string[] = [];
  for (let f: string | null | undefined = file; f; f = graph.get(f)) chain.unshift(path.relative(root, f));
  return chain.join(' → ');
}

const e2eEntries = [
  'playwright.config.ts',
  ...readdirSync(path.join(root, 'tests', 'e2e'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join('tests', 'e2e', f)),
];

/** Modules that stand for "the app in this process": its composition root and the in-process test world. */
const IN_PROCESS = ['src/main/app/core.ts', 'tests/helpers/core.ts'].map((f) => path.resolve(root, f));

describe('the e2e journeys load what they use', () => {
  it('the walk finds the app where a helper does load it (the check can fail)', () => {
    const graph = moduleGraph(['tests/helpers/site.ts']);
    expect(IN_PROCESS.filter((f) => graph.has(f))).toEqual(IN_PROCESS);
    // A type-only import is not followed.
    expect(
      moduleGraph(['tests/fixtures/plant/in-process.ts']).has(path.resolve(root, 'src/main/dispatcher/dispatcher.ts')),
    ).toBe(false);
  });

  it('no spec, fixture or page object of the journeys loads the app in-process', () => {
    const graph = moduleGraph(e2eEntries);
    const found = IN_PROCESS.filter((f) => graph.has(f)).map((f) => chainTo(graph, f));
    expect(
      found,
      `the journeys reach the app through its harness and processes; these chains load it in-process:\n${found.join('\n')}`,
    ).toEqual([]);
    // The size of what the journeys load, with room to grow: 107 modules when this was written.
    expect(graph.size).toBeLessThan(200);
  });
});
