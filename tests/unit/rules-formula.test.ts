/**
 * The safe expression evaluator for calculated items (issue 5 §3): precedence, errors with
 * positions, references, division by zero, formula sets with unknown references and
 * cycles, and agreement with direct decimal.js arithmetic on random expression trees.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import {
  ENERGY_FORMULA,
  checkFormulaSet,
  evaluate,
  evaluateFormula,
  evaluateFormulaSet,
  parseFormula,
  per100gToPer100kJ,
  references,
  roundToDecimals,
  type FormulaError,
  type FormulaNode,
} from '../../src/shared/rules';

function ast(text: string): FormulaNode {
  const r = parseFormula(text);
  if (!r.ok) throw new Error(`parse failed: ${JSON.stringify(r.errors)}`);
  return r.ast;
}
function errorsOf(text: string): Pick<FormulaError, 'code' | 'start' | 'end'>[] {
  const r = parseFormula(text);
  return r.ok ? [] : r.errors.map(({ code, start, end }) => ({ code, start, end }));
}
const calc = (text: string, values: Record<string, string> = {}): string => {
  const r = evaluateFormula(text, values);
  if (!r.ok) throw new Error(`evaluation failed: ${r.error.code}`);
  return r.value;
};

describe('precedence and associativity', () => {
  it.each([
    ['2 + 3 * 4', '14'],
    ['(2 + 3) * 4', '20'],
    ['10 - 4 - 3', '3'],
    ['100 / 10 / 5', '2'],
    ['2 * 3 / 4', '1.5'],
    ['-2 * 3', '-6'],
    ['2 * -3', '-6'],
    ['-(1 + 2)', '-3'],
    ['--3', '3'],
    ['+4 - +1', '3'],
    ['1 - -1', '2'],
    ['2 × 3 ÷ 4 − 1', '0.5'],
    ['（1 + 2）× 3', '9'],
    ['0.1 + 0.2', '0.3'],
  ])('%s = %s', (text, expected) => {
    expect(calc(text)).toBe(expected);
  });

  it('1 / 3 keeps 50 significant digits, unrounded', () => {
    expect(calc('1 / 3')).toBe(`0.${'3'.repeat(50)}`);
  });

  it('1 / 3 * 3 is 0.999… (50 nines): quotients are carried at 50 digits and rounded once, at the end', () => {
    const raw = calc('1 / 3 * 3');
    expect(raw).toBe(`0.${'9'.repeat(50)}`);
    expect(roundToDecimals(raw, 4)).toMatchObject({ ok: true, value: { value: '1.0000' } });
  });
});

describe('references to other items', () => {
  it('Ca/P ratio', () => {
    expect(calc('ca / p', { ca: '120', p: '60' })).toBe('2');
  });
  it('LA/ALA ratio', () => {
    expect(calc('la / ala', { la: '750', ala: '75.0' })).toBe('10');
  });
  it('per 100 kJ: value ÷ (energy ÷ 100) equals the basis function', () => {
    const values = { vitc: '60', energy: '2135' };
    const expected = per100gToPer100kJ('60', '2135');
    expect(evaluateFormula('vitc / (energy / 100)', values)).toEqual(expected);
  });
  it('references() lists each code once, in order of first appearance', () => {
    expect(references(ast('protein + fat * protein - 2 * (fibre + fat)'))).toEqual(['protein', 'fat', 'fibre']);
    expect(references(ast(ENERGY_FORMULA))).toEqual(['protein', 'fat', 'carbohydrate', 'fibre']);
    expect(references(ast('17 * 2'))).toEqual([]);
  });
  it('a missing value, or a value that is not a decimal, names the item and its position', () => {
    const missing = evaluate(ast('ca / phos'), { ca: '120' });
    expect(missing.ok ? null : missing.error).toEqual({
      code: 'missing_value',
      messageKey: 'formula.missing_value',
      details: { item: 'phos', start: '5', end: '9' },
    });
    const censored = evaluate(ast('la / ala'), { la: '750', ala: 'ND' });
    expect(censored.ok ? null : censored.error).toMatchObject({
      code: 'invalid_value',
      details: { item: 'ala', value: 'ND', cause: 'decimal.malformed' },
    });
  });
  it('codes that exist on Object.prototype are not found there', () => {
    for (const code of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const r = evaluate(ast(`${code} + 1`), {});
      expect(r.ok ? 'ok' : r.error.code).toBe('missing_value');
    }
  });
});

describe('division by zero is a typed error with the position of the operator', () => {
  it('1 / (a - a)', () => {
    const r = evaluate(ast('1 / (a - a)'), { a: '5' });
    expect(r.ok ? null : r.error).toEqual({
      code: 'division_by_zero',
      messageKey: 'formula.division_by_zero',
      details: { start: '2', end: '3' },
    });
  });
  it('ca / p with p = 0.00', () => {
    const r = evaluate(ast('ca / p'), { ca: '1', p: '0.00' });
    expect(r.ok ? null : r.error.details).toEqual({ start: '3', end: '4' });
  });
});

describe('parse errors carry positions (0-based, end exclusive)', () => {
  it.each([
    ['', [{ code: 'empty', start: 0, end: 0 }]],
    ['   ', [{ code: 'empty', start: 0, end: 3 }]],
    ['1 +', [{ code: 'unexpected_end', start: 3, end: 3 }]],
    ['2 ^ 3', [{ code: 'unexpected_character', start: 2, end: 3 }]],
    ['1 + (2 * 3', [{ code: 'unclosed_paren', start: 4, end: 5 }]],
    ['1 + 2)', [{ code: 'unmatched_paren', start: 5, end: 6 }]],
    [')', [{ code: 'unmatched_paren', start: 0, end: 1 }]],
    ['(1 2)', [{ code: 'unexpected_token', start: 3, end: 4 }]],
    ['2 3', [{ code: 'unexpected_token', start: 2, end: 3 }]],
    ['* 2', [{ code: 'unexpected_token', start: 0, end: 1 }]],
    ['()', [{ code: 'unmatched_paren', start: 1, end: 2 }]],
    ['1e5 + 2', [{ code: 'bad_number', start: 0, end: 3 }]],
    ['2x', [{ code: 'bad_number', start: 0, end: 2 }]],
    [
      '.5 + 01',
      [
        { code: 'bad_number', start: 0, end: 2 },
        { code: 'bad_number', start: 5, end: 7 },
      ],
    ],
    ['1,5', [{ code: 'unexpected_character', start: 1, end: 2 }]],
    [
      'a $ b # c',
      [
        { code: 'unexpected_character', start: 2, end: 3 },
        { code: 'unexpected_character', start: 6, end: 7 },
      ],
    ],
    ['ca = 2', [{ code: 'unexpected_character', start: 3, end: 4 }]],
  ])('%j', (text, expected) => {
    expect(errorsOf(text)).toEqual(expected);
  });

  it('a bad number says why (the decimal error key)', () => {
    const r = parseFormula('1e5');
    expect(r.ok ? null : r.errors[0]?.details).toEqual({ text: '1e5', cause: 'decimal.exponent' });
    expect(r.ok ? null : r.errors[0]?.messageKey).toBe('formula.bad_number');
  });

  it('code is never executed: JavaScript in a formula is only a syntax error', () => {
    for (const text of ['process.exit(1)', 'globalThis["x"]', 'constructor.constructor("return 1")()', 'a; b', '`x`']) {
      expect(parseFormula(text).ok).toBe(false);
    }
  });

  it('length and nesting are bounded', () => {
    expect(errorsOf('a+'.repeat(1000) + 'a')[0]?.code).toBe('too_long');
    expect(errorsOf(`${'('.repeat(65)}1${')'.repeat(65)}`)[0]?.code).toBe('too_deep');
    expect(errorsOf(`${'-'.repeat(65)}1`)[0]?.code).toBe('too_deep');
    expect(calc(`${'('.repeat(60)}1${')'.repeat(60)}`)).toBe('1');
  });

  it('AST nodes carry their source span', () => {
    const node = ast('a + (b * 2)');
    expect(node).toMatchObject({ kind: 'binary', op: '+', start: 0, end: 11, opStart: 2 });
    expect(node.kind === 'binary' ? node.right : null).toMatchObject({ kind: 'binary', op: '*', start: 4, end: 11 });
  });
});

describe('checkFormulaSet (called by the specification editor on save)', () => {
  const spec = [
    { code: 'moisture' },
    { code: 'protein' },
    { code: 'fat' },
    { code: 'ash' },
    { code: 'fibre' },
    { code: 'energy', formula: ENERGY_FORMULA },
    { code: 'carbohydrate', formula: '100 - moisture - protein - fat - ash - fibre' },
    { code: 'ca' },
    { code: 'p' },
    { code: 'ca_p', formula: 'ca / p' },
    { code: 'vitc', formula: null },
    { code: 'vitc_kj', formula: 'vitc / (energy / 100)' },
  ];

  it('accepts a valid set and orders each item after the items it uses', () => {
    const r = checkFormulaSet(spec);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.order.indexOf('carbohydrate')).toBeLessThan(r.order.indexOf('energy'));
    expect(r.order.indexOf('energy')).toBeLessThan(r.order.indexOf('vitc_kj'));
    expect([...r.order].sort()).toEqual(['ca_p', 'carbohydrate', 'energy', 'vitc_kj']);
  });

  it('evaluates the whole set from measured values', () => {
    const r = checkFormulaSet(spec);
    if (!r.ok) throw new Error('setup');
    const { values, errors } = evaluateFormulaSet(r, {
      moisture: '2.5',
      protein: '10.5',
      fat: '26.0',
      ash: '2.0',
      fibre: '1.0',
      ca: '420',
      p: '240',
      vitc: '60',
    });
    expect(errors).toEqual({});
    expect(values.carbohydrate).toBe('58');
    expect(values.energy).toBe('2134.5'); // 17 × 10.5 + 37 × 26.0 + 17 × 58 + 8 × 1.0 = 178.5 + 962 + 986 + 8
    expect(values.ca_p).toBe('1.75');
    expect(values.vitc_kj).toBe(calc('60 / (2134.5 / 100)'));
  });

  it('an item whose input is missing gets an error; the others are still computed', () => {
    const r = checkFormulaSet(spec);
    if (!r.ok) throw new Error('setup');
    const { values, errors } = evaluateFormulaSet(r, { ca: '420', p: '240' });
    expect(values.ca_p).toBe('1.75');
    expect(errors.energy?.code).toBe('missing_value');
    expect(errors.vitc_kj?.code).toBe('missing_value');
  });

  it('refuses unknown references, with the item, the reference and its position', () => {
    const r = checkFormulaSet([{ code: 'ca' }, { code: 'ca_p', formula: 'ca / phosphorus + ca / phosphorus' }]);
    expect(r.ok ? null : r.errors).toEqual([
      {
        code: 'unknown_reference',
        messageKey: 'formula.set.unknown_reference',
        item: 'ca_p',
        details: { item: 'ca_p', reference: 'phosphorus', start: '5', end: '15' },
      },
    ]);
  });

  it('refuses a cycle and names it: a → b → c → a', () => {
    const r = checkFormulaSet([
      { code: 'a', formula: 'b + 1' },
      { code: 'b', formula: 'c * 2' },
      { code: 'c', formula: 'a - 1' },
      { code: 'd', formula: 'a + 1' },
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({
      code: 'cycle',
      cycle: ['a', 'b', 'c', 'a'],
      details: { cycle: 'a → b → c → a' },
    });
  });

  it('refuses self-reference and reports every separate cycle', () => {
    const r = checkFormulaSet([
      { code: 'energy', formula: 'energy * 1' },
      { code: 'la', formula: 'ala * 10' },
      { code: 'ala', formula: 'la / 10' },
    ]);
    expect(r.ok ? [] : r.errors.map((e) => e.cycle)).toEqual([
      ['energy', 'energy'],
      ['la', 'ala', 'la'],
    ]);
  });

  it('refuses duplicate codes and reports parse errors with positions per item', () => {
    const r = checkFormulaSet([{ code: 'fat' }, { code: 'fat' }, { code: 'energy', formula: '37 * fat +' }]);
    expect(r.ok ? null : r.errors).toEqual([
      { code: 'duplicate_code', messageKey: 'formula.set.duplicate_code', item: 'fat', details: { item: 'fat' } },
      {
        code: 'parse_error',
        messageKey: 'formula.set.parse_error',
        item: 'energy',
        details: { item: 'energy' },
        errors: [{ code: 'unexpected_end', messageKey: 'formula.unexpected_end', start: 10, end: 10 }],
      },
    ]);
  });
});

// ---------------------------------------------------------------------------------------
// Random expression trees against direct decimal.js arithmetic
// ---------------------------------------------------------------------------------------

type Tree =
  | { t: 'num'; v: string }
  | { t: 'ref'; code: string }
  | { t: 'neg'; a: Tree }
  | { t: 'bin'; op: '+' | '-' | '*' | '/'; a: Tree; b: Tree };

const CODES = ['protein', 'fat', 'ca', 'p', 'la', 'ala'] as const;
const literal = fc
  .tuple(fc.integer({ min: 0, max: 999 }), fc.option(fc.stringMatching(/^[0-9]{1,3}$/), { nil: undefined }))
  .map(([i, f]) => (f === undefined ? String(i) : `${i}.${f}`));

const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal.map((v): Tree => ({ t: 'num', v })),
    fc.constantFrom(...CODES).map((code): Tree => ({ t: 'ref', code })),
    tie('tree').map((a): Tree => ({ t: 'neg', a })),
    fc
      .tuple(fc.constantFrom('+', '-', '*', '/') as fc.Arbitrary<'+' | '-' | '*' | '/'>, tie('tree'), tie('tree'))
      .map(([op, a, b]): Tree => ({ t: 'bin', op, a, b })),
  ),
}));

const PREC = { '+': 1, '-': 1, '*': 2, '/': 2 } as const;
/** Print with as few parentheses as precedence allows, so the parser's precedence is tested. */
function print(node: Tree): string {
  switch (node.t) {
    case 'num':
      return node.v;
    case 'ref':
      return node.code;
    case 'neg':
      return node.a.t === 'bin' ? `-(${print(node.a)})` : `-${print(node.a)}`;
    case 'bin': {
      const p = PREC[node.op];
      const left = node.a.t === 'bin' && PREC[node.a.op] < p ? `(${print(node.a)})` : print(node.a);
      const right = node.b.t === 'bin' && PREC[node.b.op] <= p ? `(${print(node.b)})` : print(node.b);
      return `${left} ${node.op} ${right}`;
    }
  }
}

const D50 = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_EVEN });
/** Direct decimal.js evaluation; null on division by zero. */
function direct(node: Tree, values: Record<string, string>): Decimal | null {
  switch (node.t) {
    case 'num':
      return new D50(node.v);
    case 'ref':
      return new D50(values[node.code] as string);
    case 'neg': {
      const a = direct(node.a, values);
      return a === null ? null : a.negated();
    }
    case 'bin': {
      const a = direct(node.a, values);
      const b = direct(node.b, values);
      if (a === null || b === null) return null;
      if (node.op === '/' && b.isZero()) return null;
      return node.op === '+' ? a.plus(b) : node.op === '-' ? a.minus(b) : node.op === '*' ? a.times(b) : a.dividedBy(b);
    }
  }
}

describe('formula properties', () => {
  const values = fc.record(
    Object.fromEntries(CODES.map((c) => [c, literal])) as Record<(typeof CODES)[number], fc.Arbitrary<string>>,
  );

  it('agrees with direct decimal.js arithmetic on random expression trees', () => {
    fc.assert(
      fc.property(tree, values, (t, vals) => {
        const text = print(t);
        const parsed = parseFormula(text);
        expect(parsed.ok, text).toBe(true);
        if (!parsed.ok) return;
        const got = evaluate(parsed.ast, vals);
        const expected = direct(t, vals);
        if (expected === null) {
          // Division by zero somewhere: decimal.js would give ±Infinity/NaN; the rules refuse.
          expect(got.ok ? 'ok' : got.error.code, text).toBe('division_by_zero');
        } else {
          expect(got.ok ? got.value : got.error.code, text).toBe(expected.toFixed().replace(/^-(0(\.0*)?)$/, '$1'));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('references() returns exactly the codes used in the tree', () => {
    const used = (node: Tree, acc: Set<string>): Set<string> => {
      if (node.t === 'ref') acc.add(node.code);
      if (node.t === 'neg') used(node.a, acc);
      if (node.t === 'bin') {
        used(node.a, acc);
        used(node.b, acc);
      }
      return acc;
    };
    fc.assert(
      fc.property(tree, (t) => {
        expect(new Set(references(ast(print(t))))).toEqual(used(t, new Set()));
      }),
    );
  });
});
