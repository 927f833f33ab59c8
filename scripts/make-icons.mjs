#!/usr/bin/env node
/**
 * Renders packaging/icon.svg into the installers' icons with Debian's Chromium (the same
 * playwright-core the harness prints with): packaging/icon.png (1024 px, electron-builder's
 * source for macOS and Linux), packaging/icons/<n>x<n>.png (Linux sizes) and
 * packaging/icon.ico (Windows: PNG entries 16–256 px). The outputs are committed; run this
 * after changing the SVG.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'packaging');
const svg = readFileSync(path.join(dir, 'icon.svg'), 'utf8');

const browser = await chromium.launch({
  executablePath: process.env.LOTSEAL_CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
async function render(size) {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace('width="1024" height="1024"', `width="${size}" height="${size}"`)}</body></html>`,
  );
  const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  await page.close();
  return png;
}

writeFileSync(path.join(dir, 'icon.png'), await render(1024));
mkdirSync(path.join(dir, 'icons'), { recursive: true });
for (const n of [16, 32, 48, 64, 128, 256, 512])
  writeFileSync(path.join(dir, 'icons', `${n}x${n}.png`), await render(n));

// ICO: a header, one directory entry per image, then the PNG images themselves.
const sizes = [16, 24, 32, 48, 64, 128, 256];
const images = [];
for (const n of sizes) images.push(await render(n));
const header = Buffer.alloc(6);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2);
header.writeUInt16LE(sizes.length, 4);
const entries = [];
let offset = 6 + 16 * sizes.length;
sizes.forEach((n, i) => {
  const e = Buffer.alloc(16);
  e.writeUInt8(n >= 256 ? 0 : n, 0);
  e.writeUInt8(n >= 256 ? 0 : n, 1);
  e.writeUInt8(0, 2);
  e.writeUInt8(0, 3);
  e.writeUInt16LE(1, 4);
  e.writeUInt16LE(32, 6);
  e.writeUInt32LE(images[i].length, 8);
  e.writeUInt32LE(offset, 12);
  offset += images[i].length;
  entries.push(e);
});
writeFileSync(path.join(dir, 'icon.ico'), Buffer.concat([header, ...entries, ...images]));
await browser.close();
console.log('make-icons: packaging/icon.png, packaging/icons/*.png, packaging/icon.ico');
