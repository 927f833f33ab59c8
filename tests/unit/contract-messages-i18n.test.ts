import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasKey } from '../../src/shared/i18n';

/** Every file that declares the contract's schemas (channels, common parts, the spec document). */
function schemaFiles(): string[] {
  const dir = join(__dirname, '../../src/shared/contract');
  const channels = readdirSync(join(dir, 'channels')).map((f) => join(dir, 'channels', f));
  return [...channels, join(dir, 'common.ts'), join(__dirname, '../../src/shared/catalog/spec-schema.ts')];
}

/** The message keys the contract's format rules carry (`{ message: 'quantity_format' }`). */
const keys = [
  ...new Set(
    schemaFiles().flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/message: '([a-z_]+)'/g)].map((m) => m[1]!)),
  ),
];

describe('the contract’s own messages are in both languages', () => {
  it('finds the contract’s message keys', () => {
    expect(keys).toContain('quantity_format');
    expect(keys).toContain('code_format');
  });

  it.each(['en', 'zh-CN'] as const)(
    '%s words every schema message key (schema.* for the server and the forms)',
    (locale) => {
      expect(keys.filter((k) => !hasKey(locale, `schema.${k}`))).toEqual([]);
    },
  );
});
