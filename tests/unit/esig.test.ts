import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { esigMessage, recordHash, signEsig, verifyEsig, type EsigFields } from '../../src/main/ledger/esig';
import { canonical, sha256Hex } from '../../src/main/ledger/hashing';
import { parseWitness } from '../../src/shared/domain/witness';

const fields: EsigFields = {
  comment: '放行 OK',
  entity: 'lot',
  entity_id: 'l1',
  head_hash: 'a'.repeat(64),
  head_seq: 41,
  key: '0123456789abcdef',
  meaning: 'released',
  printed_name: '王质检',
  record_hash: 'b'.repeat(64),
  signed_at: 1767225600000,
  signer: 'qa.wang',
  tz: 'Asia/Shanghai',
};

describe('personal e-signature bytes (docs/ledger.md §3.2)', () => {
  it('signs the JCS JSON of the fields with v = lotseal-esig-1, keys in code-unit order', () => {
    expect(esigMessage(fields).toString('utf8')).toBe(
      '{"comment":"放行 OK","entity":"lot","entity_id":"l1","head_hash":"' +
        'a'.repeat(64) +
        '","head_seq":41,"key":"0123456789abcdef","meaning":"released","printed_name":"王质检","record_hash":"' +
        'b'.repeat(64) +
        '","signed_at":1767225600000,"signer":"qa.wang","tz":"Asia/Shanghai","v":"lotseal-esig-1"}',
    );
  });

  it('verifies with the public key and fails on any changed field or another key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64');
    const sig = signEsig(privateKey, fields);
    expect(verifyEsig(raw, fields, sig)).toBe(true);
    for (const k of Object.keys(fields) as Array<keyof EsigFields>) {
      const changed = {
        ...fields,
        [k]: typeof fields[k] === 'number' ? (fields[k] as number) + 1 : `${String(fields[k])}x`,
      };
      expect(verifyEsig(raw, changed as EsigFields, sig), k).toBe(false);
    }
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(
      verifyEsig(Buffer.from(other.export({ format: 'jwk' }).x!, 'base64url').toString('base64'), fields, sig),
    ).toBe(false);
  });

  it('record_hash covers the signed columns (or the whole record) without NULL added columns', () => {
    const row = { id: 'r1', rev: 2, retired: 0, a: 'x', b: null, late: null };
    expect(recordHash({}, row)).toBe(sha256Hex(canonical(row)));
    expect(recordHash({ added: ['late'] }, row)).toBe(
      sha256Hex(canonical({ id: 'r1', rev: 2, retired: 0, a: 'x', b: null })),
    );
    // The same whether the content was written before the column existed or after, while NULL.
    const { late: _late, ...old } = row;
    expect(recordHash({ added: ['late'] }, old)).toBe(recordHash({ added: ['late'] }, row));
    expect(recordHash({ added: ['late'] }, { ...row, late: 'set' })).not.toBe(recordHash({ added: ['late'] }, row));
    expect(recordHash({ signed: ['a'] }, row)).toBe(sha256Hex(canonical({ id: 'r1', a: 'x' })));
  });
});

describe('paper witnesses', () => {
  const h = 'C'.repeat(64);
  it('reads a COA QR code, an evidence pack code and SEQ:HASH', () => {
    expect(parseWitness(`LOTSEAL|COA|FG-20260301-001|18211|${h}`)).toEqual({
      seq: 18211,
      hash: h.toLowerCase(),
      source: 'COA',
      subject: 'FG-20260301-001',
    });
    expect(parseWitness(`LOTSEAL|EVIDENCE|DR-2026-0003|77|${h}`)).toMatchObject({
      seq: 77,
      source: 'EVIDENCE',
      subject: 'DR-2026-0003',
    });
    expect(parseWitness(` 42:${h} `)).toEqual({ seq: 42, hash: h.toLowerCase(), source: null, subject: null });
  });
  it('refuses anything else', () => {
    for (const t of [
      '',
      '42',
      `42:${h.slice(1)}`,
      `x:${h}`,
      `0:${h}`,
      `LOTSEAL|COA|${h}`,
      `LOTSEAL|COA|L|12a|${h}`,
      'https://example.com',
    ])
      expect(parseWitness(t), t).toBeNull();
  });
});
