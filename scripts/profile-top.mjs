#!/usr/bin/env node
/**
 * Summarises a renderer CPU profile (a .cpuprofile from an e2e journey run with
 * LOTSEAL_E2E_PROFILE=1, tests/e2e/fixtures.ts): self time by function and by source module,
 * and inclusive time of the app's own modules (src/…). Modules are found from the built
 * bundle's `// <path>` comments (out/renderer/assets/index-*.js), so run it against the build
 * the profile was taken with.
 *
 *   node scripts/profile-top.mjs test-results/profiles/<journey>.cpuprofile [rows]
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const file = process.argv[2];
const rows = Number(process.argv[3] ?? 25);
if (!file) {
  console.error('usage: node scripts/profile-top.mjs <file.cpuprofile> [rows]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));

// Line (0-based) → module path, from the bundle's module comments.
const assets = path.resolve('out/renderer/assets');
const bundle = readdirSync(assets).find((f) => /^index-.*\.js$/.test(f));
const starts = [];
if (bundle) {
  const lines = readFileSync(path.join(assets, bundle), 'utf8').split('\n');
  lines.forEach((l, i) => {
    const m = /^\/\/ ((?:node_modules|src)\/\S+)$/.exec(l);
    if (m) starts.push([i, m[1]]);
  });
}
function moduleOf(url, line) {
  if (!url) return '(native)';
  if (!url.includes('/assets/index-')) return url.replace(/^.*\//, '');
  let lo = 0;
  let hi = starts.length - 1;
  let hit = '(bundle)';
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid][0] <= line) {
      hit = starts[mid][1];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return hit
    .replace(/^node_modules\//, '')
    .replace(/^(@[^/]+\/[^/]+|[^@/][^/]*)\/.*$/, (m, pkg) => (m.startsWith('src/') ? m : pkg));
}
function fullModuleOf(url, line) {
  if (!url || !url.includes('/assets/index-')) return moduleOf(url, line);
  let hit = '(bundle)';
  for (const [l, p] of starts) {
    if (l > line) break;
    hit = p;
  }
  return hit;
}

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
const deltas = profile.timeDeltas ?? [];
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const fnSelf = new Map();
const modSelf = new Map();
const appIncl = new Map();
for (const [id, us] of self) {
  const n = byId.get(id);
  const cf = n.callFrame;
  const mod = moduleOf(cf.url, cf.lineNumber);
  const fkey = `${cf.functionName || '(anonymous)'}  ${mod}`;
  fnSelf.set(fkey, (fnSelf.get(fkey) ?? 0) + us);
  modSelf.set(mod, (modSelf.get(mod) ?? 0) + us);
  // Inclusive: each app module on the stack once.
  const seen = new Set();
  for (let p = id; p !== undefined; p = parent.get(p)) {
    const f = byId.get(p).callFrame;
    const m = fullModuleOf(f.url, f.lineNumber);
    const key = m.startsWith('src/') ? `${f.functionName || '(anonymous)'}  ${m}` : null;
    if (key && !seen.has(key)) {
      seen.add(key);
      appIncl.set(key, (appIncl.get(key) ?? 0) + us);
    }
  }
}
const show = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, rows))
    console.log(`  ${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
show('self time by module', modSelf);
show('self time by function', fnSelf);
show('inclusive time of the app’s own functions', appIncl);
