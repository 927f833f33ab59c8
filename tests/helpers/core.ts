import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppCore, type CoreLog } from '../../src/main/app/core';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import type { KeyProtector } from '../../src/main/ledger/keys';
import type { ChannelInput, ChannelName, ChannelOutput, Result } from '../../src/shared/contract';
import type { Role } from '../../src/shared/domain/roles';
import type { PdfPrinter } from '../../src/main/documents/pdf';
import type { DocumentViewer } from '../../src/main/documents/viewer';
import { memberOf, type Member, type PlantHost } from '../fixtures/plant/host';
import { inProcessHost, inProcessLink, type InProcessLink } from '../fixtures/plant/in-process';
import { enrol, signIn, testPerson, TEST_USER_PASSWORD } from '../fixtures/plant/people';

export const quietLog: CoreLog = { refused: () => undefined, error: (i) => console.error(i.channel, i.error), info: () => undefined };

export function tempDir(prefix = 'lotseal-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The seal of a test app's host key: AES-256-GCM under a scrypt-derived key, exactly as
 * passphraseProtector (src/main/ledger/keys.ts) seals it, but at the test-only scrypt cost
 * (N = 2^10 instead of 2^15, D-066). At the production cost, opening or creating a host key
 * took ≈0.4 s of the ≈0.6 s a test app costs on the loaded 2-core machine, once per test.
 * The record names its cost (`scrypt-n1024-r8-p1`), so the workstation still sees a
 * passphrase seal; a production passphraseProtector cannot open it (a test that reopens a
 * test app's folder uses this protector). The tests about the host key and its passphrase
 * (key-passphrase, host-key-recovery, trust-keys, desktop-shell) make their own protectors
 * at the production cost.
 */
export function testKeyProtector(passphrase = 'test-passphrase'): KeyProtector {
  const cost = { N: 1 << 10, r: 8, p: 1 };
  const derive = (salt: Buffer) => scryptSync(passphrase, salt, 32, cost);
  return {
    kind: 'passphrase',
    seal(plain) {
      const salt = randomBytes(16);
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', derive(salt), iv);
      const data = Buffer.concat([c.update(plain), c.final()]);
      return {
        kdf: `scrypt-n${cost.N}-r${cost.r}-p${cost.p}`,
        salt: salt.toString('base64'),
        iv: iv.toString('base64'),
        tag: c.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      };
    },
    open(sealed) {
      const d = createDecipheriv('aes-256-gcm', derive(Buffer.from(sealed['salt'] ?? '', 'base64')), Buffer.from(sealed['iv'] ?? '', 'base64'));
      d.setAuthTag(Buffer.from(sealed['tag'] ?? '', 'base64'));
      return Buffer.concat([d.update(Buffer.from(sealed['data'] ?? '', 'base64')), d.final()]);
    },
  };
}

export const ADMIN_PASSWORD = 'admin-password-1';
/** The administrator's signature on account administration (`enrolled`, docs/ledger.md §3.4). */
export const ADMIN_SIGNATURE = { password: ADMIN_PASSWORD, meaning: 'enrolled' } as const;
export const USER_PASSWORD = TEST_USER_PASSWORD;
export type { InProcessLink };

export interface TestApp {
  core: AppCore;
  dir: string;
  conn(id?: string): Connection;
  call<K extends ChannelName>(conn: Connection, name: K, input: ChannelInput<K>): Promise<Result<ChannelOutput<K>>>;
  ok<K extends ChannelName>(conn: Connection, name: K, input: ChannelInput<K>): Promise<ChannelOutput<K>>;
  /** Creates a user with these roles (as admin), and signs them in on a fresh connection, password already changed. */
  userWith(roles: Role[], id?: string): Promise<Connection>;
  admin: Connection;
  /** The app as a host of the plant fixtures (tests/fixtures/plant): each connect() a new connection. */
  host: PlantHost<InProcessLink>;
  /** A connection as a plant fixtures' member signing with `password` (a signed-in session already). */
  member(connection: Connection, person?: { userId: string; printedName: string }, password?: string): Member<InProcessLink>;
  /** The first administrator, as a plant fixtures' member. */
  adminMember: Member<InProcessLink>;
  close(): void;
}

let n = 0;

export async function createTestApp(
  opts: { clock?: () => number; pdf?: PdfPrinter; viewer?: DocumentViewer; timeZone?: string } = {},
): Promise<TestApp> {
  const t = tempDir();
  const core = new AppCore({
    dataDir: t.dir,
    hostKind: 'harness',
    protector: testKeyProtector(),
    host: 'test-host',
    log: quietLog,
    ...(opts.clock ? { clock: opts.clock } : {}),
    // The zone the workstation runs in (the machine's when not given).
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
    ...(opts.pdf ? { pdf: opts.pdf } : {}),
    ...(opts.viewer ? { viewer: opts.viewer } : {}),
  });
  const conn = (id = `c${++n}`): Connection => ({ id, locale: 'en' });
  const call = async <K extends ChannelName>(c: Connection, name: K, input: ChannelInput<K>) =>
    (await core.dispatcher.call(c, name, input)) as Result<ChannelOutput<K>>;
  const ok = async <K extends ChannelName>(c: Connection, name: K, input: ChannelInput<K>) => {
    const r = await call(c, name, input);
    if (!r.ok) throw new Error(`${name} failed: ${JSON.stringify(r.error)}`);
    return r.data;
  };
  const host = inProcessHost(core.dispatcher, conn);
  const member = (
    connection: Connection,
    person: { userId: string; printedName: string } = { userId: connection.id, printedName: connection.id },
    password = USER_PASSWORD,
  ) =>
    memberOf(inProcessLink(core.dispatcher, connection), person, password);
  const admin = conn('admin-conn');
  await ok(admin, 'app.setup', { userId: 'admin', printedName: 'Admin 管理员', password: ADMIN_PASSWORD });
  await ok(admin, 'auth.signIn', { userId: 'admin', password: ADMIN_PASSWORD });
  const adminMember = member(admin, { userId: 'admin', printedName: 'Admin 管理员' }, ADMIN_PASSWORD);
  let u = 0;
  const userWith = async (roles: Role[], id?: string): Promise<Connection> => {
    const person = testPerson(id ?? `${roles.join('-').replace(/_/g, '')}${++u}`, roles);
    await enrol(adminMember, [person]);
    return (await signIn(host, person)).link.connection;
  };
  return {
    core,
    dir: t.dir,
    conn,
    call,
    ok,
    userWith,
    admin,
    host,
    member,
    adminMember,
    close: () => {
      core.close();
      t.cleanup();
    },
  };
}
