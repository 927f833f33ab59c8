import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lotseal } from '../helpers/cli';
import { tempDir } from '../helpers/core';
import { migrations } from '../../src/main/db/migrations';

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('lotseal CLI', () => {
  let t: { dir: string; cleanup: () => void };
  let db: string;
  let pw: string;
  beforeEach(() => {
    t = tempDir();
    db = join(t.dir, 'x.db');
    pw = join(t.dir, 'pw.txt');
    writeFileSync(pw, 'admin-password-1\n');
  });
  afterEach(() => t.cleanup());

  it('--version and --help exit 0', () => {
    expect(lotseal(['--version'], { dataDir: t.dir }).code).toBe(0);
    const h = lotseal(['--help'], { dataDir: t.dir });
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('init');
    expect(h.stdout).toContain('verify');
  });

  it('init creates a migrated database; a second init refuses with exit 2 and leaves the file unchanged', () => {
    const r = lotseal(
      ['init', '--db', db, '--admin', 'admin', '--admin-name', '王质检', '--password-file', pw, '--json'],
      { dataDir: t.dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = r.json as { ok: boolean; admin: string; recovery_code: string; key_fingerprint: string };
    expect(out.ok).toBe(true);
    expect(out.admin).toBe('admin');
    expect(out.recovery_code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    expect(out.key_fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const raw = new Database(db, { readonly: true });
    expect(raw.prepare('SELECT id FROM schema_migration ORDER BY id').all()).toEqual(
      migrations.map((m) => ({ id: m.id })),
    );
    expect(raw.prepare('SELECT printed_name, roles FROM user_account').get()).toEqual({
      printed_name: '王质检',
      roles: '["administrator"]',
    });
    raw.close();
    const before = sha(db);
    const again = lotseal(['init', '--db', db, '--admin', 'admin', '--password-file', pw, '--json'], {
      dataDir: t.dir,
    });
    expect(again.code).toBe(2);
    expect((again.json as { error: string }).error).toBe('database_exists');
    expect(sha(db)).toBe(before);
    const v = lotseal(['verify', '--db', db, '--json'], { dataDir: t.dir });
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect((v.json as { ok: boolean; findings: unknown[] }).ok).toBe(true);
  });

  it('verify names a tamper made with a plain SQLite tool and exits 1; --anchor catches an older copy', () => {
    expect(lotseal(['init', '--db', db, '--admin', 'admin', '--password-file', pw], { dataDir: t.dir }).code).toBe(0);
    const raw = new Database(db);
    raw.prepare('UPDATE user_account SET roles = \'["administrator","qa_manager"]\' WHERE id = \'admin\'').run();
    raw.close();
    const r = lotseal(['verify', '--db', db, '--json'], { dataDir: t.dir });
    expect(r.code).toBe(1);
    const report = r.json as { ok: boolean; findings: Array<{ kind: string; entity: string; id: string }> };
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'row_modified', entity: 'user', id: 'admin' })]);
    const anchorFile = join(t.dir, 'anchor.json');
    writeFileSync(anchorFile, JSON.stringify({ database_id: 'x', seq: 999, hash: 'ab'.repeat(32), at: 0 }));
    const a = lotseal(['verify', '--db', db, '--anchor', anchorFile, '--json'], { dataDir: t.dir });
    expect((a.json as { findings: Array<{ kind: string }> }).findings.map((f) => f.kind)).toContain('anchor_behind');
  });

  it('bad arguments and a missing passphrase are exit 2, and nothing is created', () => {
    expect(lotseal(['init', '--db', db], { dataDir: t.dir }).code).toBe(2);
    expect(lotseal(['frobnicate'], { dataDir: t.dir }).code).toBe(2);
    const r = lotseal(['init', '--db', db, '--admin', 'admin', '--password-file', pw, '--json'], {
      dataDir: t.dir,
      passphrase: null,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/passphrase/i);
    const weak = join(t.dir, 'weak.txt');
    writeFileSync(weak, 'short\n');
    const w = lotseal(['init', '--db', db, '--admin', 'admin', '--password-file', weak, '--json'], { dataDir: t.dir });
    expect(w.code).toBe(2);
    expect((w.json as { error: string }).error).toBe('password_policy');
    expect(() => readFileSync(db)).toThrow();
  });

  it('refuses to open a database whose migration record was altered, with a clear message', () => {
    expect(lotseal(['init', '--db', db, '--admin', 'admin', '--password-file', pw], { dataDir: t.dir }).code).toBe(0);
    const raw = new Database(db);
    raw.prepare("UPDATE schema_migration SET sha256 = 'deadbeef' WHERE id = '0001'").run();
    raw.close();
    const r = lotseal(['user', 'list', '--db', db, '--user', 'admin', '--password-file', pw, '--json'], {
      dataDir: t.dir,
    });
    expect(r.code).toBe(2);
    expect((r.json as { error: string }).error).toBe('database_incompatible');
    expect(r.stderr).toMatch(/migration 0001/i);
  });

  it('user add, list, wrong password (exit 2, the database unchanged), lockout after five failures for CLI and app alike, recovery unlock', () => {
    const init = lotseal(['init', '--db', db, '--admin', 'admin', '--password-file', pw, '--json'], { dataDir: t.dir });
    const recovery = (init.json as { recovery_code: string; personal_key_fingerprint: string }).recovery_code;
    const adminKey = (init.json as { personal_key_fingerprint: string }).personal_key_fingerprint;
    expect(adminKey).toMatch(/^[0-9a-f]{64}$/);
    const npw = join(t.dir, 'npw.txt');
    writeFileSync(npw, 'tech-password-01\n');
    const add = lotseal(
      [
        'user',
        'add',
        '--db',
        db,
        '--user',
        'admin',
        '--password-file',
        pw,
        '--new-user',
        'li.tech',
        '--name',
        '李技术员',
        '--roles',
        'technician',
        '--new-password-file',
        npw,
        '--json',
      ],
      { dataDir: t.dir },
    );
    expect(add.code, add.stderr).toBe(0);
    const list = lotseal(['user', 'list', '--db', db, '--user', 'admin', '--password-file', pw, '--json'], {
      dataDir: t.dir,
    });
    expect(list.json).toEqual([
      { user: 'admin', name: 'admin', roles: ['administrator'], status: 'active', key_fingerprint: adminKey },
      // No personal key until li.tech sets a password of their own.
      { user: 'li.tech', name: '李技术员', roles: ['technician'], status: 'active', key_fingerprint: null },
    ]);
    const bad = join(t.dir, 'bad.txt');
    writeFileSync(bad, 'not-the-password\n');
    const raw = () => new Database(db, { readonly: true });
    // A failed authentication leaves the database byte for byte as it was (the count is in
    // the sidecar beside it), yet five failures lock the account.
    const before = sha(db);
    for (let i = 1; i <= 5; i++) {
      const r = lotseal(['user', 'list', '--db', db, '--user', 'admin', '--password-file', bad, '--json'], {
        dataDir: t.dir,
      });
      expect(r.code).toBe(2);
      expect((r.json as { error: string }).error).toBe(i < 5 ? 'wrong_password' : 'account_locked');
    }
    expect(sha(db)).toBe(before);
    // Even the right password is refused now.
    expect(
      (
        lotseal(['user', 'list', '--db', db, '--user', 'admin', '--password-file', pw, '--json'], { dataDir: t.dir })
          .json as { error: string }
      ).error,
    ).toBe('account_locked');
    expect(sha(db)).toBe(before);
    // A wrong recovery code writes nothing either; the code is read from a file or stdin.
    const wrongCode = join(t.dir, 'wrong-code.txt');
    writeFileSync(wrongCode, 'AAAA-BBBB-CCCC-DDDD-EEEE\n');
    expect(
      lotseal(['user', 'unlock', '--db', db, '--target', 'admin', '--recovery-code-file', wrongCode, '--json'], {
        dataDir: t.dir,
      }).code,
    ).toBe(2);
    expect(
      lotseal(['user', 'unlock', '--db', db, '--target', 'admin', '--recovery-code-file', '-', '--json'], {
        dataDir: t.dir,
        stdin: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ\n',
      }).code,
    ).toBe(2);
    expect(sha(db)).toBe(before);
    // The one-time recovery code unlocks the last administrator (from standard input).
    const un = lotseal(['user', 'unlock', '--db', db, '--target', 'admin', '--recovery-code-file', '-', '--json'], {
      dataDir: t.dir,
      stdin: `${recovery.toLowerCase()}\n`,
    });
    expect(un.code, un.stderr).toBe(0);
    const fresh = (un.json as { new_recovery_code: string }).new_recovery_code;
    expect(fresh).not.toBe(recovery);
    // The failures and the lockout were carried into the audit trail by the unlock.
    const d = raw();
    const kinds = (
      d.prepare("SELECT kind FROM auth_event WHERE user_id = 'admin' ORDER BY at").all() as Array<{ kind: string }>
    ).map((k) => k.kind);
    expect(kinds.filter((k) => k === 'cli_sign_in_failed')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'recovery_failed')).toHaveLength(2);
    expect(kinds).toContain('account_locked');
    expect(kinds).toContain('recovery_unlock');
    d.close();
    // A used code is used up; the code on the command line still works but is warned about.
    const used = lotseal(['user', 'unlock', '--db', db, '--target', 'admin', '--recovery-code', recovery, '--json'], {
      dataDir: t.dir,
    });
    expect(used.code).toBe(2);
    expect(used.stderr).toMatch(/--recovery-code-file/);
    expect(
      lotseal(['user', 'list', '--db', db, '--user', 'admin', '--password-file', pw, '--json'], { dataDir: t.dir })
        .code,
    ).toBe(0);
    const v = lotseal(['verify', '--db', db, '--json'], { dataDir: t.dir });
    expect(v.code, v.stdout).toBe(0);
  });
});
