/**
 * The host key (issue 3 §3): a wrong passphrase or a missing key file is a clear error
 * (errors.key_passphrase_wrong / errors.key_missing) and nothing is written: the database
 * file is unchanged byte for byte.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppErrorException } from '../../src/shared/contract/errors';
import { createDatabase, openDatabase } from '../../src/main/db/store';
import { E } from '../../src/main/ledger/entities';
import { keyFilePath, loadHostKey, passphraseProtector } from '../../src/main/ledger/keys';
import { makeEnv, newLedger, writeSetting, type TestEnv } from '../fixtures/ledger-helpers';

const envs: TestEnv[] = [];
afterEach(() => {
  for (const e of envs.splice(0)) e.cleanup();
});

/** What a CLI command that writes does: load the key, open the database, write. */
function writeAsCli(env: TestEnv, passphrase: string): void {
  const key = loadHostKey(env.dataDir, 'cli', passphraseProtector(passphrase));
  const l = openDatabase(env.file, { key, workstation: 'cli@test-host', timeZone: 'UTC', anchors: env.anchors });
  try {
    writeSetting(l, 'from-cli', { v: 1 });
  } finally {
    l.db.close();
  }
}

/**
 * The database file's bytes (as their SHA-256: a deep `toEqual` of a Buffer compares it byte by
 * byte in JavaScript, ~6 s for this file), whether a WAL exists, and the anchor files: nothing
 * may change.
 */
function snapshot(env: TestEnv): { db: string; wal: boolean; anchors: Record<string, string> } {
  const dir = join(env.dataDir, 'anchors');
  const anchors: Record<string, string> = {};
  if (existsSync(dir)) for (const f of readdirSync(dir)) anchors[f] = readFileSync(join(dir, f), 'utf8');
  return { db: sha256(env.file), wal: existsSync(`${env.file}-wal`), anchors };
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

function setup(): TestEnv {
  const env = makeEnv();
  envs.push(env);
  const l = newLedger(env);
  writeSetting(l, 'before', { v: 0 });
  l.db.close();
  return env;
}

function thrown(fn: () => void): AppErrorException {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppErrorException);
    return e as AppErrorException;
  }
  throw new Error('expected an error');
}

describe('host key errors write nothing', () => {
  it('a wrong passphrase → errors.key_passphrase_wrong, database unchanged byte for byte', () => {
    const env = setup();
    const before = snapshot(env);
    const e = thrown(() => writeAsCli(env, 'not the passphrase'));
    expect(e.error).toMatchObject({ code: 'wrong_password', messageKey: 'errors.key_passphrase_wrong' });
    expect(snapshot(env)).toEqual(before);
  });

  it('a missing key file → errors.key_missing, database unchanged byte for byte', () => {
    const env = setup();
    rmSync(keyFilePath(env.dataDir, 'cli'));
    const before = snapshot(env);
    const e = thrown(() => writeAsCli(env, 'correct horse battery staple'));
    expect(e.error).toMatchObject({ code: 'not_found', messageKey: 'errors.key_missing' });
    expect(e.error.details).toMatchObject({ file: keyFilePath(env.dataDir, 'cli') });
    expect(snapshot(env)).toEqual(before);
  });

  it('a ledger without a key refuses to write, and a database is not created without a key', () => {
    const env = setup();
    const before = snapshot(env);
    const l = openDatabase(env.file, { key: null, workstation: 'cli@test-host', timeZone: 'UTC', anchors: env.anchors });
    const e = thrown(() => l.write({ id: 'a', name: 'A' }, (w) => w.create(E.setting, { value: '1' }, { id: 'x' })));
    expect(e.error.code).toBe('workstation_not_registered');
    l.db.close();
    expect(sha256(env.file)).toBe(before.db);

    const other = join(env.dir, 'new.db');
    const e2 = thrown(() => createDatabase(other, { key: null, workstation: 'w', timeZone: 'UTC' }));
    expect(e2.error.messageKey).toBe('errors.key_missing');
    expect(existsSync(other)).toBe(false);
  });

  it('the right passphrase writes (control)', () => {
    const env = setup();
    const before = snapshot(env);
    writeAsCli(env, 'correct horse battery staple');
    expect(sha256(env.file)).not.toBe(before.db);
  });
});
