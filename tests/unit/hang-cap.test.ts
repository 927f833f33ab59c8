import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HANG_CAP_MS } from '../helpers/hang-cap';

/**
 * A timeout only ends a hang (D-069, D-083): every vitest test and hook has HANG_CAP_MS from
 * vitest.config.mts, and no test file sets its own, shorter or longer. A per-test number is
 * how a slow machine used to fail a healthy test (a 15 s unit cap in CI, 2026-12-05).
 */
const ROOT = path.resolve(__dirname, '..', '..');

function testFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.test\.tsx?$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/** What sets a vitest timeout in a file: a number after the test body, an options object, setConfig. */
const PER_TEST = [
  { what: 'a timeout after the test body', re: /^\s*\}, [0-9_]{3,}\);/m },
  { what: 'a timeout option', re: /\{ ?timeout: [0-9_]+/ },
  { what: 'vi.setConfig', re: /vi\.setConfig\(/ },
  { what: 'vi.setConfig or a config timeout', re: /(test|hook)Timeout/ },
];

describe('test timeouts are hang caps only', () => {
  it('the cap is long enough for a loaded 2-core machine', () => {
    expect(HANG_CAP_MS).toBeGreaterThanOrEqual(10 * 60_000);
  });

  it('no unit or integration test sets its own timeout', () => {
    const files = [...testFiles('tests/unit'), ...testFiles('tests/integration'), ...testFiles('src')].filter(
      (f) => !f.endsWith('hang-cap.test.ts'),
    );
    expect(files.length).toBeGreaterThan(100);
    const found: string[] = [];
    for (const file of files) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const { what, re } of PER_TEST) if (re.test(text)) found.push(`${file}: ${what}`);
    }
    expect(found).toEqual([]);
  });

  it('the check finds each way of setting one', () => {
    const samples = [
      "it('x', async () => {\n  work();\n}, 120_000);",
      "describe('x', { timeout: 60_000 }, () => {});",
      'vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });',
    ];
    for (const s of samples) expect(PER_TEST.some(({ re }) => re.test(s)), s).toBe(true);
    expect(PER_TEST.some(({ re }) => re.test("it('x', () => {\n  expect(1).toBe(1);\n});"))).toBe(false);
  });
});
