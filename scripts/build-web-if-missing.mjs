#!/usr/bin/env node
/**
 * `npm run start:web` step 1: build the renderer into out/renderer if it is not there yet
 * (or always, with --force). Uses the renderer section of electron.vite.config.ts through
 * electron-vite's own config resolution, so the browser harness serves exactly the bundle
 * the desktop window loads.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const index = path.join(root, 'out', 'renderer', 'index.html');

if (existsSync(index) && !process.argv.includes('--force')) {
  process.exit(0);
}

console.log('build-web: out/renderer is missing, building the renderer…');
// electron-vite switches the renderer to relative asset URLs (base './') in production.
process.env.NODE_ENV_ELECTRON_VITE = 'production';
const { resolveConfig } = await import('electron-vite');
const { build } = await import('vite');
const resolved = await resolveConfig({ root }, 'build', 'production');
const renderer = resolved.config?.renderer;
if (!renderer) {
  console.error('build-web: electron.vite.config.ts has no renderer section');
  process.exit(1);
}
await build(renderer);
console.log('build-web: out/renderer built');
