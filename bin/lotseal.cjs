#!/usr/bin/env node
'use strict';
/**
 * `lotseal` command. Runs the built CLI (out/node/cli.cjs) when it exists; otherwise runs
 * the TypeScript sources through tsx, so `npx lotseal` works on a fresh clone right after
 * `npm install`, before any build (docs/decisions.md D-013).
 */
const fs = require('node:fs');
const path = require('node:path');

const built = path.join(__dirname, '..', 'out', 'node', 'cli.cjs');

if (fs.existsSync(built)) {
  require(built);
} else {
  let tsx;
  try {
    tsx = require('tsx/cjs/api');
  } catch {
    console.error('lotseal: out/node/cli.cjs is missing and tsx is not installed. Run `npm install` then `npm run build`.');
    process.exit(1);
  }
  tsx.register();
  require(path.join(__dirname, '..', 'src', 'main', 'cli', 'index.ts'));
}
