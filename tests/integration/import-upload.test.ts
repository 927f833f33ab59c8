import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { createTestApp, type TestApp } from '../helpers/core';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('ERP import uploads from the app', () => {
  let app: TestApp;
  let prod: Connection;
  beforeEach(async () => {
    app = await createTestApp();
    prod = await app.userWith(['production'], 'prod.li');
  });
  afterEach(() => app.close());

  it('refuses to import a file whose upload did not finish, and writes nothing', async () => {
    const head = app.core.need().ledger.head().seq;
    const up = await app.ok(prod, 'import.upload', { file: 'customers', fileName: 'customers.csv', chunkBase64: b64('customer_code,name\nC1,Shop one\n'), final: false });
    const r = await app.call(prod, 'import.start', { uploadId: up.uploadId, dryRun: false });
    expect(r.ok ? null : r.error.messageKey).toBe('errors.upload_incomplete');
    // The last chunk completes it; after that the file takes no more chunks.
    await app.ok(prod, 'import.upload', { uploadId: up.uploadId, file: 'customers', fileName: 'customers.csv', chunkBase64: b64('C2,Shop two\n'), final: true });
    const more = await app.call(prod, 'import.upload', { uploadId: up.uploadId, file: 'customers', fileName: 'customers.csv', chunkBase64: b64('C3,x\n'), final: true });
    expect(more.ok ? null : more.error.messageKey).toBe('errors.upload_complete');
    expect(app.core.need().ledger.head().seq).toBe(head);
  });
});
