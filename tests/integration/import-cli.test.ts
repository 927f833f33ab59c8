import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lotseal } from '../helpers/cli';
import { tempDir } from '../helpers/core';
import { seedImportCatalogFile } from '../helpers/seed';

const OK = join(__dirname, '..', 'fixtures', 'import', 'ok');
const all = ['suppliers', 'customers', 'lots', 'consumption', 'shipments', 'stock'].flatMap((k) => [
  `--${k}`,
  join(OK, `${k}.csv`),
]);

describe('lotseal import', () => {
  let t: { dir: string; cleanup: () => void };
  let db: string;
  let env: { dataDir: string };
  let prod: string[];
  beforeEach(() => {
    t = tempDir();
    db = join(t.dir, 'x.db');
    env = { dataDir: t.dir };
    writeFileSync(join(t.dir, 'pw.txt'), 'admin-password-1\n');
    writeFileSync(join(t.dir, 'initial.txt'), 'initial-password-01\n');
    writeFileSync(join(t.dir, 'prod.txt'), 'prod-password-01\n');
    expect(lotseal(['init', '--db', db, '--admin', 'admin', '--password-file', join(t.dir, 'pw.txt')], env).code).toBe(
      0,
    );
    const add = lotseal(
      ['user', 'add', '--db', db, '--user', 'admin', '--password-file', join(t.dir, 'pw.txt'), '--new-user', 'prod1', '--name', '张伟', '--roles', 'production', '--new-password-file', join(t.dir, 'initial.txt')],
      env,
    );
    expect(add.code, add.stderr).toBe(0);
    // The password the administrator set must be changed before any other command (11.300).
    const passwd = lotseal(['user', 'passwd', '--db', db, '--user', 'prod1', '--password-file', join(t.dir, 'initial.txt'), '--new-password-file', join(t.dir, 'prod.txt')], env);
    expect(passwd.code, passwd.stderr).toBe(0);
    // An import refuses item codes that are not in the catalogue (issue 19 §1); the fixture is
    // the ERP's history, imported before the go-live date (its suppliers come approved).
    seedImportCatalogFile(db, t.dir, { historyMigration: true });
    prod = ['import', '--db', db, '--user', 'prod1', '--password-file', join(t.dir, 'prod.txt')];
  });
  afterEach(() => t.cleanup());

  it('--json prints the contract shape; a re-import is unchanged; verify stays clean', () => {
    const r = lotseal([...prod, ...all, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json as {
      ok: boolean;
      inserted: Record<string, number>;
      unchanged: Record<string, number>;
      errors: unknown[];
    };
    expect(out.ok).toBe(true);
    expect(out.inserted).toEqual({ suppliers: 3, customers: 2, lots: 6, consumption: 5, shipments: 2, stock: 4 });
    expect(out.unchanged).toEqual({ suppliers: 0, customers: 0, lots: 0, consumption: 0, shipments: 0, stock: 0 });
    expect(out.errors).toEqual([]);
    const again = lotseal([...prod, ...all, '--json'], env);
    expect(again.code).toBe(0);
    expect((again.json as { unchanged: Record<string, number> }).unchanged.consumption).toBe(5);
    const v = lotseal(['verify', '--db', db, '--json'], env);
    expect(v.code, v.stdout).toBe(0);
    expect((v.json as { ok: boolean }).ok).toBe(true);
  });

  it('validation errors: exit 1, ok false, errors as { file, row, column, message }', () => {
    const bad = join(t.dir, 'lots.csv');
    writeFileSync(
      bad,
      'lot_code,kind,item_code,item_name,quantity,unit,date\nIB-1,intermediate,B,Base,-5,kg,2026-03-01\n',
    );
    const r = lotseal([...prod, '--lots', bad, '--json'], env);
    expect(r.code).toBe(1);
    const out = r.json as { ok: boolean; errors: Array<Record<string, unknown>> };
    expect(out.ok).toBe(false);
    expect(out.errors[0]).toMatchObject({ file: 'lots.csv', row: 1, column: 'quantity' });
    expect(typeof out.errors[0]!['message']).toBe('string');
  });

  it('could not run: no file, an unreadable file, a wrong password, a role without import: exit 2', () => {
    expect(lotseal([...prod, '--json'], env).code).toBe(2);
    expect(lotseal([...prod, '--lots', join(t.dir, 'missing.csv'), '--json'], env).code).toBe(2);
    writeFileSync(join(t.dir, 'wrong.txt'), 'not-the-password\n');
    const wrong = lotseal(
      ['import', '--db', db, '--user', 'prod1', '--password-file', join(t.dir, 'wrong.txt'), ...all, '--json'],
      env,
    );
    expect(wrong.code).toBe(2);
    const admin = lotseal(
      ['import', '--db', db, '--user', 'admin', '--password-file', join(t.dir, 'pw.txt'), ...all, '--json'],
      env,
    );
    expect(admin.code).toBe(2);
    expect((admin.json as { error: string }).error).toBe('forbidden');
  });
});
