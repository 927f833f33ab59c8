#!/usr/bin/env node
'use strict';
/**
 * `lotseal` command. Runs the built CLI (out/node/cli.cjs, made by `npm run build` and by
 * `prepare` on install) when it is current; otherwise runs the TypeScript sources through
 * tsx, so `npx lotseal` works on a fresh clone before any build and never runs stale code
 * after an edit (bin/run-entry.cjs, docs/decisions.md D-013).
 */
require('./run-entry.cjs')('cli', 'src/main/cli/index.ts');
