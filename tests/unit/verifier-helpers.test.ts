/**
 * The standalone verifier's building blocks against the application's: RFC 8785 canonical
 * JSON (`canonical()` = the canonicalize package) on arbitrary JSON values — Unicode strings,
 * control characters, integers and doubles of every magnitude, nested objects with keys that
 * sort differently by UTF-16 than by code point — and base64 as Node decodes it (both
 * alphabets, stray characters, data after padding), since keys and signatures are stored as
 * base64 text that an attacker may have edited.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonical } from '../../src/main/ledger/hashing';
import { VERIFIER_DIR, runPython } from '../helpers/python';

const DRIVER = join(__dirname, '..', 'fixtures', 'verifier', 'helpers_driver.py');

function py(req: { jcs?: string[]; b64?: string[] }): { jcs: string[]; b64: string[] } {
  const r = runPython([DRIVER], {
    input: JSON.stringify({ verifier_dir: VERIFIER_DIR, jcs: req.jcs ?? [], b64: req.b64 ?? [] }),
  });
  if (r.status !== 0) throw new Error(`helpers driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { jcs: string[]; b64: string[] };
}


describe('the standalone verifier canonicalises and decodes as the application does', () => {
  it('RFC 8785 canonical JSON of arbitrary values equals canonicalize()', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('\u{1F600}', '\uFB01', 'é', 'e\u0301', 'a', 'A', '_', '\u0000'));
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.string({ unit: 'binary' }),
        fc.string({
          unit: fc.constantFrom('"', '\\', '\n', '\u0001', '\u001f', '\u007f', '\u2028', '中', '\u{1F600}'),
        }),
        fc.integer(),
        fc.maxSafeInteger(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(0, -0, 1e21, 1e-7, 123e-20, 5e-324, 1.7976931348623157e308, 0.1, 100, 1e20),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(key, tie('v'), { maxKeys: 5 }),
      ),
    })).v;
    fc.assert(
      fc.property(fc.array(value, { minLength: 50, maxLength: 100 }), (values) => {
        // Lone surrogates never reach a record (the ledger refuses them); JSON text carries the rest.
        const texts = values
          .map((v) => JSON.stringify(v))
          .filter((t) => (t as string & { isWellFormed(): boolean }).isWellFormed());
        expect(py({ jcs: texts }).jcs).toEqual(texts.map((t) => canonical(JSON.parse(t))));
      }),
      { numRuns: 5 },
    );
  });

  it('base64 text decodes to the bytes Node reads', () => {
    const alphabet = fc.constantFrom(...'ABCXYZabcxyz0189+/-_= \n*.é'.split(''));
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: alphabet, maxLength: 100 }),
            fc.uint8Array({ maxLength: 70 }).map((b) => Buffer.from(b).toString('base64')),
          ),
          { minLength: 50, maxLength: 100 },
        ),
        (texts) => {
          expect(py({ b64: texts }).b64).toEqual(texts.map((t) => Buffer.from(t, 'base64').toString('hex')));
        },
      ),
      { numRuns: 5 },
    );
  });
});
