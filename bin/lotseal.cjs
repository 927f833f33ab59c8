#!/usr/bin/env node
'use strict';
/**
 * `lotseal` command. Runs the built CLI (out/node/cli.cjs, made by `npm run build` and by
 * `prepare` on install) when it exists; otherwise runs the TypeScript sources through tsx,
 * so `npx lotseal` works on a fresh clone before any build (docs/decisions.md D-013).
 * LOTSEAL_FROM_SOURCE=1 forces the sources (while editing them, without rebuilding).
 */
require('./run-entry.cjs')('cli', 'src/main/cli/index.ts');
