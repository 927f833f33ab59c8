#!/usr/bin/env node
'use strict';
/**
 * Browser harness (`npm run start:web`): the app core behind a local web server, for a
 * browser instead of the Electron window. Built file if present, else the sources through
 * tsx; LOTSEAL_FROM_SOURCE=1 forces the sources (docs/decisions.md D-013).
 */
require('./run-entry.cjs')('harness', 'src/main/harness/index.ts');
