/**
 * The host-key passphrase is at least 12 characters on every host (issue 18 §8), and the
 * CLI and the harness say so in both languages; nothing is created with a shorter one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppErrorException } from '../../src/shared/contract/errors';
import { MIN_KEY_PASSPHRASE, passphraseProtector } from '../../src/main/ledger/keys';
import { lotseal } from '../helpers/cli';
import { tempDir } from '../helpers/core';
import { HANG_CAP_MS } from '../helpers/hang-cap';

const ELEVEN = 'eleven-char'; // 11 characters

describe('key passphrase minimum', () => {
  it('is 12 characters', () => {
    expect(MIN_KEY_PASSPHRASE).toBe(12);
    expect(ELEVEN).toHaveLength(11);
    expect(() => passphraseProtector(ELEVEN)).toThrow(AppErrorException);
    expect(() => passphraseProtector(`${ELEVEN}x`)).not.toThrow();
  });

  it('the CLI refuses a shorter one in English and Chinese, and creates nothing', () => {
    const t = tempDir('lotseal-pass-');
    try {
      const pw = join(t.dir, 'pw.txt');
      writeFileSync(pw, 'admin-password-1\n');
      const db = join(t.dir, 'lotseal.db');
      const r = lotseal(['init', '--db', db, '--admin', 'admin', '--password-file', pw], {
        dataDir: t.dir,
        passphrase: ELEVEN,
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('at least 12 characters');
      expect(r.stderr).toContain('至少需要 12 个字符');
      expect(existsSync(db)).toBe(false);
      expect(existsSync(join(t.dir, 'keys'))).toBe(false);
    } finally {
      t.cleanup();
    }
  });

  it('the harness refuses a shorter one in both languages before it opens anything', () => {
    const t = tempDir('lotseal-pass-');
    try {
      const r = spawnSync(process.execPath, ['bin/harness.cjs', '--port', '0', '--data-dir', t.dir], {
        cwd: resolve(__dirname, '../..'),
        env: { ...process.env, LOTSEAL_KEY_PASSPHRASE: ELEVEN },
        encoding: 'utf8',
        timeout: HANG_CAP_MS,
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('at least 12 characters');
      expect(r.stderr).toContain('至少需要 12 个字符');
      expect(existsSync(join(t.dir, 'keys'))).toBe(false);
      const missing = spawnSync(process.execPath, ['bin/harness.cjs', '--port', '0', '--data-dir', t.dir], {
        cwd: resolve(__dirname, '../..'),
        env: { ...process.env, LOTSEAL_KEY_PASSPHRASE: '' },
        encoding: 'utf8',
        timeout: HANG_CAP_MS,
      });
      expect(missing.status).toBe(2);
      expect(missing.stderr).toContain('LOTSEAL_KEY_PASSPHRASE');
      expect(missing.stderr).toContain('至少需要 12 个字符');
    } finally {
      t.cleanup();
    }
  });
});
