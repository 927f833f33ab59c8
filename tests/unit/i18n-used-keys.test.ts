import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flattenKeys, hasKey, messages, translate } from '../../src/shared/i18n';
import { siteMessagesZh } from '../../src/shared/i18n/site-messages';

/**
 * Completeness of the catalogues (issue 22 §6): every message key the code names literally —
 * `t('…')` on screens, a service's `fail(code, details, 'errors.…')` — exists in both languages,
 * so no screen ever shows a key or falls back to English. And the Chinese of the last wave's
 * screens (site server, 开工向导, home cards, COA) carries no English word outside the codes and
 * units a Chinese lab writes in Latin letters.
 */
const root = join(__dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(n) ? [p] : [];
  });
}

/** Literal keys: t('a.b'), i18nKey="a.b", and 'errors.x' / 'warnings.x' message keys. */
function literalKeys(): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of [
    ...files(join(root, 'renderer')),
    ...files(join(root, 'main')),
    ...files(join(root, 'shared', 'rules')),
  ]) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g)) out.set(m[1]!, f);
    for (const m of text.matchAll(/'((?:errors|warnings)\.[a-z][\w]*)'/g)) out.set(m[1]!, f);
  }
  return out;
}

/** Latin words a Chinese QA lab writes as they are: codes, units, standards, product names. */
const LATIN_OK = new Set(
  (
    'LotSeal COA SC GB GB/T UTC CSV ERP PDF QR ID URL TLS IP SHA SHA-256 CFU HACCP ISO CNAS LIMS WiFi PNG JPEG JPG ' +
    'RS-232 USB COM Excel PIN NTP DNS HTTPS WSS HTTP CLI JSON API OK kJ kcal mg kg mL RE TE NE pH Ed25519'
  ).split(' '),
);

describe('message catalogues: every key the code names, in both languages', () => {
  const keys = literalKeys();

  it('finds the keys the screens and services name', () => {
    expect(keys.size).toBeGreaterThan(500);
  });

  it.each(['en', 'zh-CN'] as const)('%s has every literal key', (locale) => {
    const missing = [...keys].filter(([k]) => !hasKey(locale, k)).map(([k, f]) => `${k} (${f.slice(root.length + 1)})`);
    expect(missing).toEqual([]);
  });

  it('the Chinese of the site server, the setup guide, the home cards and the COA has no English word', () => {
    const zh = messages['zh-CN'] as unknown as Record<string, unknown>;
    // The site server's own errors (not the whole catalogue's), and the screens' sections.
    const keys = [
      ...Object.keys(siteMessagesZh.errors).map((k) => `errors.${k}`),
      ...['setup', 'home', 'guide', 'coa', 'siteLink', 'site'].flatMap((section) => {
        const tree = zh[section];
        return tree && typeof tree === 'object' ? flattenKeys(tree as object, section) : [];
      }),
    ];
    const leaks: string[] = [];
    {
      for (const key of keys) {
        // What is typed as it is stays: parameters, quoted examples, command lines and their options, addresses.
        const text = translate('zh-CN', key)
          .replace(/\{\{[^}]+\}\}/g, '')
          .replace(/[“"`][^”"`]*[”"`]/g, '')
          .replace(/\blotseal\b[^。；，）\n]*/g, '')
          .replace(/--[\w-]+/g, '')
          .replace(/\b\w+:\/\/\S+/g, '');
        for (const w of text.match(/[A-Za-z][A-Za-z0-9/-]*[A-Za-z0-9]/g) ?? [])
          if (w.length >= 3 && !LATIN_OK.has(w) && !/^[A-Z0-9/-]+$/.test(w)) leaks.push(`${key}: ${w}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
