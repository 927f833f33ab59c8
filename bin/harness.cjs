#!/usr/bin/env node
'use strict';
/**
 * Browser harness (`npm run start:web`): the app core behind a local web server, for a
 * browser instead of the Electron window. Built file if current, else the sources through
 * tsx (bin/run-entry.cjs, docs/decisions.md D-013).
 */
require('./run-entry.cjs')('harness', 'src/main/harness/index.ts');
