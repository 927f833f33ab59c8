/**
 * The standalone verifier's own Ed25519 (resources/verifier/ed25519.py, RFC 8032 §5.1):
 *  - RFC 8032 §7.1 test vectors: public key from the secret, the signature (byte for byte)
 *    and its verification, by the Python code; the vectors themselves checked with Node first;
 *  - fast-check: random keys and messages signed by Node's crypto (OpenSSL) verify in Python,
 *    and every mutation (a flipped bit of the message, of R, of S, of the key; S + L) gets the
 *    same verdict from Python as from Node — with and without the per-key tables;
 *  - the edge cases where the RFC decides (S ≥ L, non-canonical encodings, small-order points).
 * Python is called once per batch (tests/helpers/python.ts fails clearly without python3).
 */
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VERIFIER_DIR, runPython } from '../helpers/python';

// Each test starts Python (which builds its base-point table) once or a few times; like every
// test it has the suite's hang cap (D-083), so a busy machine never fails it.

const DRIVER = join(__dirname, '..', 'fixtures', 'verifier', 'ed25519_driver.py');
const VECTORS = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'verifier', 'rfc8032-vectors.json'), 'utf8'),
) as {
  vectors: Array<{ name: string; secret: string; public: string; message: string; signature: string }>;
};

type Case =
  | { op: 'verify'; public: string; message: string; signature: string }
  | { op: 'public'; secret: string }
  | { op: 'sign'; secret: string; message: string };

function py(cases: Case[], opts: { tableAfter?: number; largeTableAfter?: number } = {}): unknown[] {
  const r = runPython([DRIVER], {
    input: JSON.stringify({
      verifier_dir: VERIFIER_DIR,
      cases,
      ...(opts.tableAfter !== undefined ? { table_after: opts.tableAfter } : {}),
      ...(opts.largeTableAfter !== undefined ? { large_table_after: opts.largeTableAfter } : {}),
    }),
  });
  if (r.status !== 0) throw new Error(`ed25519 driver failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown[];
}

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
function nodeKey(seed: Uint8Array) {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const raw = Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x!, 'base64url');
  return { privateKey, raw };
}
function nodeVerify(pub: Buffer, msg: Buffer, sig: Buffer): boolean {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: pub.toString('base64url') }, format: 'jwk' });
    return verify(null, msg, key, sig);
  } catch {
    return false;
  }
}

const P = (1n << 255n) - 19n;
const L = (1n << 252n) + 27742317777372353535851937790883648493n;
function le32(n: bigint): Buffer {
  const b = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) {
    b[i] = Number(n & 255n);
    n >>= 8n;
  }
  return b;
}
function fromLe(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}

describe('Ed25519 (RFC 8032) in the standalone verifier', () => {
  it('the RFC 8032 §7.1 vectors are what Node computes (the fixture has no typo)', () => {
    for (const v of VECTORS.vectors) {
      const { privateKey, raw } = nodeKey(Buffer.from(v.secret, 'hex'));
      expect(raw.toString('hex'), v.name).toBe(v.public);
      expect(sign(null, Buffer.from(v.message, 'hex'), privateKey).toString('hex'), v.name).toBe(v.signature);
    }
  });

  it('derives the public keys and signatures of RFC 8032 §7.1 byte for byte, and verifies them', () => {
    const cases: Case[] = VECTORS.vectors.flatMap((v) => [
      { op: 'public' as const, secret: v.secret },
      { op: 'sign' as const, secret: v.secret, message: v.message },
      { op: 'verify' as const, public: v.public, message: v.message, signature: v.signature },
      // the same signature over the message with one more byte must fail
      { op: 'verify' as const, public: v.public, message: `${v.message}00`, signature: v.signature },
    ]);
    const out = py(cases);
    VECTORS.vectors.forEach((v, i) => {
      expect(out[4 * i], `${v.name} public key`).toBe(v.public);
      expect(out[4 * i + 1], `${v.name} signature`).toBe(v.signature);
      expect(out[4 * i + 2], `${v.name} verifies`).toBe(true);
      expect(out[4 * i + 3], `${v.name} other message`).toBe(false);
    });
  });

  const signed = fc.record({
    seed: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    message: fc.uint8Array({ minLength: 0, maxLength: 300 }),
    mutation: fc.constantFrom('none', 'message', 'r', 's', 'key', 's_plus_l', 'other_key'),
    bit: fc.nat(255),
  });

  function batch(items: Array<{ seed: Uint8Array; message: Uint8Array; mutation: string; bit: number }>) {
    const expected: boolean[] = [];
    const cases: Case[] = [];
    for (const it of items) {
      const { privateKey, raw } = nodeKey(it.seed);
      let msg: Buffer = Buffer.from(it.message);
      let sig: Buffer = sign(null, msg, privateKey);
      let pub: Buffer = Buffer.from(raw);
      const flip = (b: Buffer, bit: number): Buffer => {
        const c = Buffer.from(b);
        c[bit >> 3] = c[bit >> 3]! ^ (1 << (bit & 7));
        return c;
      };
      if (it.mutation === 'message')
        msg = msg.length ? flip(msg, it.bit % (msg.length * 8)) : Buffer.from([it.bit & 255]);
      else if (it.mutation === 'r') sig = Buffer.concat([flip(sig.subarray(0, 32), it.bit), sig.subarray(32)]);
      else if (it.mutation === 's') sig = Buffer.concat([sig.subarray(0, 32), flip(sig.subarray(32), it.bit)]);
      else if (it.mutation === 'key') pub = flip(pub, it.bit);
      else if (it.mutation === 's_plus_l')
        sig = Buffer.concat([sig.subarray(0, 32), le32(fromLe(sig.subarray(32)) + L)]);
      else if (it.mutation === 'other_key') pub = nodeKey(Buffer.from(it.seed.map((x) => x ^ 0x5a))).raw;
      const node = nodeVerify(pub, msg, sig);
      if (it.mutation === 'none') expect(node).toBe(true);
      expected.push(node);
      cases.push({
        op: 'verify',
        public: pub.toString('hex'),
        message: msg.toString('hex'),
        signature: sig.toString('hex'),
      });
    }
    return { expected, cases };
  }

  it('agrees with Node (OpenSSL) on random keys, messages and mutations (no key tables)', () => {
    fc.assert(
      fc.property(fc.array(signed, { minLength: 30, maxLength: 60 }), (items) => {
        const { expected, cases } = batch(items);
        expect(py(cases, { tableAfter: 1_000_000 })).toEqual(expected);
      }),
      { numRuns: 4 },
    );
  });

  it('agrees with Node when one key signs many messages (its radix-16 and radix-256 tables)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(
          fc.record({
            message: fc.uint8Array({ maxLength: 200 }),
            mutation: fc.constantFrom('none', 'none', 'message', 'r', 's'),
            bit: fc.nat(255),
          }),
          {
            minLength: 40,
            maxLength: 60,
          },
        ),
        (seed, msgs) => {
          const { expected, cases } = batch(msgs.map((m) => ({ ...m, seed })));
          // tables after 3 and 20 uses: both table paths and the plain path are exercised
          expect(py(cases, { tableAfter: 3, largeTableAfter: 20 })).toEqual(expected);
        },
      ),
      { numRuns: 3 },
    );
  });

  it('decides the edge cases as RFC 8032 does', () => {
    const msg = Buffer.from('LotSeal edge case');
    const identity = le32(1n);
    const zero = Buffer.alloc(32);
    const { privateKey, raw } = nodeKey(Buffer.alloc(32, 7));
    const sig = sign(null, msg, privateKey);
    const cases: Array<{ what: string; pub: Buffer; sig: Buffer; rfc: boolean; node: 'same' | 'differs' }> = [
      { what: 'valid', pub: raw, sig, rfc: true, node: 'same' },
      {
        what: 'S + L (non-canonical S)',
        pub: raw,
        sig: Buffer.concat([sig.subarray(0, 32), le32(fromLe(sig.subarray(32)) + L)]),
        rfc: false,
        node: 'same',
      },
      { what: 'S = L', pub: raw, sig: Buffer.concat([sig.subarray(0, 32), le32(L)]), rfc: false, node: 'same' },
      { what: 'all zero signature', pub: raw, sig: Buffer.alloc(64), rfc: false, node: 'same' },
      // The cofactorless equation holds for the identity key with R = identity and S = 0 (a
      // weak key: RFC 8032 does not forbid it, OpenSSL accepts it; the registry must not accept such a key).
      {
        what: 'identity key, R = identity, S = 0',
        pub: identity,
        sig: Buffer.concat([identity, zero]),
        rfc: true,
        node: 'same',
      },
      {
        what: 'R non-canonical (y = p + 1)',
        pub: identity,
        sig: Buffer.concat([le32(P + 1n), zero]),
        rfc: false,
        node: 'same',
      },
      // RFC 8032 5.1.3: decoding fails for y >= p. OpenSSL reduces y mod p and accepts it.
      {
        what: 'key non-canonical (y = p + 1)',
        pub: le32(P + 1n),
        sig: Buffer.concat([identity, zero]),
        rfc: false,
        node: 'differs',
      },
      { what: 'key not on the curve (y = 2)', pub: le32(2n), sig, rfc: false, node: 'same' },
      // RFC 8032 5.1.3 step 4: x = 0 with the sign bit set fails; OpenSSL takes it as -0 = 0.
      {
        what: 'key x = 0 with the sign bit set',
        pub: le32(1n | (1n << 255n)),
        sig: Buffer.concat([identity, zero]),
        rfc: false,
        node: 'differs',
      },
      { what: 'short key', pub: raw.subarray(0, 31), sig, rfc: false, node: 'same' },
      { what: 'short signature', pub: raw, sig: sig.subarray(0, 63), rfc: false, node: 'same' },
    ];
    const out = py(
      cases.map((c) => ({
        op: 'verify',
        public: c.pub.toString('hex'),
        message: msg.toString('hex'),
        signature: c.sig.toString('hex'),
      })),
    );
    cases.forEach((c, i) => {
      expect(out[i], c.what).toBe(c.rfc);
      const node = nodeVerify(c.pub, msg, c.sig);
      expect(node === c.rfc ? 'same' : 'differs', `${c.what}: Node says ${node}`).toBe(c.node);
    });
  });
});
