'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

/** Newest modification time of the TypeScript sources a Node-side bundle is built from. */
function newestSource(dirs) {
  let newest = 0;
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|mts|cts|json)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const dir of dirs) walk(dir);
  return newest;
}

/**
 * Loads out/node/<name>.cjs when it exists and is current, else registers tsx's CommonJS
 * hook and loads the TypeScript entry (docs/decisions.md D-013).
 *
 * "Current" matters in a checkout: after editing src/, a bundle from the last build (or
 * from `prepare` at install time) would silently run old code, in people's hands and in
 * the integration tests alike. So when the sources are present and newer than the bundle,
 * the sources win. LOTSEAL_FROM_SOURCE=1 forces the sources; =0 forces the bundle.
 * @param {string} name
 * @param {string} sourceEntry path relative to the repository root
 */
module.exports = function runEntry(name, sourceEntry) {
  const built = path.join(root, 'out', 'node', `${name}.cjs`);
  const source = path.join(root, sourceEntry);
  const mode = process.env.LOTSEAL_FROM_SOURCE;
  const haveBuilt = fs.existsSync(built);
  const haveSource = fs.existsSync(source);

  let useBuilt = haveBuilt;
  if (mode === '1') useBuilt = false;
  else if (mode !== '0' && haveBuilt && haveSource) {
    useBuilt =
      fs.statSync(built).mtimeMs >= newestSource([path.join(root, 'src', 'main'), path.join(root, 'src', 'shared')]);
  }

  if (useBuilt && haveBuilt) {
    require(built);
    return;
  }
  if (!haveSource) {
    console.error(`lotseal: neither out/node/${name}.cjs nor ${sourceEntry} exists.`);
    process.exit(1);
  }
  let tsx;
  try {
    tsx = require('tsx/cjs/api');
  } catch {
    console.error(
      `lotseal: out/node/${name}.cjs is missing or out of date and tsx is not installed: run \`npm install\`, then \`npm run build\`.`,
    );
    process.exit(1);
  }
  tsx.register();
  // The sources load later parts with import() (`serve` loads the whole app that way): those go
  // through Node's ESM loader, which needs tsx's ESM hooks to resolve a path without extension.
  require('tsx/esm/api').register();
  require(source);
};
