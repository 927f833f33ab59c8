'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

/**
 * Loads out/node/<name>.cjs when it exists (and LOTSEAL_FROM_SOURCE is not set), else
 * registers tsx's CommonJS hook and loads the TypeScript entry.
 * @param {string} name
 * @param {string} sourceEntry path relative to the repository root
 */
module.exports = function runEntry(name, sourceEntry) {
  const built = path.join(root, 'out', 'node', `${name}.cjs`);
  if (process.env.LOTSEAL_FROM_SOURCE !== '1' && fs.existsSync(built)) {
    require(built);
    return;
  }
  const source = path.join(root, sourceEntry);
  if (!fs.existsSync(source)) {
    console.error(`lotseal: neither out/node/${name}.cjs nor ${sourceEntry} exists.`);
    process.exit(1);
  }
  let tsx;
  try {
    tsx = require('tsx/cjs/api');
  } catch {
    console.error(
      `lotseal: out/node/${name}.cjs is missing and tsx is not installed: run \`npm install\`, then \`npm run build\`.`,
    );
    process.exit(1);
  }
  tsx.register();
  require(source);
};
