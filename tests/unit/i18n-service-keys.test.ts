import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasKey } from '../../src/shared/i18n';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('every message key used by main-process services is translated', () => {
  const keys = new Set<string>();
  for (const f of files(join(__dirname, '../../src/main'))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/'((?:errors|password|warnings)\.[a-z_]+)'/g)) keys.add(m[1]!);
  }
  it('finds the keys', () => expect(keys.size).toBeGreaterThan(20));
  for (const k of keys) {
    it(k, () => {
      expect(hasKey('en', k), `en ${k}`).toBe(true);
      expect(hasKey('zh-CN', k), `zh-CN ${k}`).toBe(true);
    });
  }
});
