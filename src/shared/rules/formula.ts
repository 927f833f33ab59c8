/**
 * Safe expression evaluator for calculated specification items (issue 5 §3): energy,
 * carbohydrate by difference, per-100 kJ values and ratios such as Ca/P, LA/ALA, ARA/DHA,
 * written as formulas over other items' codes. Formulas are data from a specification
 * file, so they are never given to `eval` or `Function`: a tokenizer and a
 * recursive-descent parser build a small AST, and the evaluator computes it with
 * decimal.js (no binary floats).
 *
 * Grammar (precedence low → high; binary operators are left-associative):
 *
 *     expr    := term (('+' | '-') term)*
 *     term    := unary (('*' | '/') unary)*
 *     unary   := ('-' | '+') unary | primary
 *     primary := number | identifier | '(' expr ')'
 *
 * - Operators: + - * / and their typeset forms × ÷ − (U+2212); full-width parentheses
 *   （ ） as typed by a Chinese input method are read as ( ).
 * - Numbers follow decimal.ts without a sign: "17", "4.184", "0.5"; "1e5", ".5", "1,5" and
 *   "01" are refused with the position of the literal.
 * - Identifiers are item codes: a letter or '_' then letters, digits, '_' (`protein`, `ca`,
 *   `vit_b12`). Case-sensitive.
 * - Positions are 0-based offsets into the text, `end` exclusive.
 * - Limits: 2000 characters, nesting depth 64 (parentheses and unary signs), so a hostile
 *   file cannot exhaust the stack.
 *
 * `evaluate` returns the exact (unrounded) result as a decimal string; quotients keep 50
 * significant digits. Rounding to the reporting precision happens once, afterwards
 * (GB/T 8170-2008 §3.2 rule 6). Division by zero is a typed error with the position of
 * the '/' operator.
 */
import { LabDecimal, fromLabDecimal, parseDecimal, toLabDecimal, type LabDecimal as LabDecimalValue } from './decimal';
import { fail, ok, type RuleResult } from './result';

export const MAX_FORMULA_LENGTH = 2000;
export const MAX_FORMULA_DEPTH = 64;

export type BinaryOperator = '+' | '-' | '*' | '/';

export type FormulaNode =
  | { readonly kind: 'number'; readonly value: string; readonly start: number; readonly end: number }
  | { readonly kind: 'ref'; readonly code: string; readonly start: number; readonly end: number }
  | { readonly kind: 'negate'; readonly operand: FormulaNode; readonly start: number; readonly end: number }
  | {
      readonly kind: 'binary';
      readonly op: BinaryOperator;
      readonly left: FormulaNode;
      readonly right: FormulaNode;
      /** Position of the operator itself (for division by zero). */
      readonly opStart: number;
      readonly start: number;
      readonly end: number;
    };

export const formulaErrorCodes = [
  'empty',
  'too_long',
  'too_deep',
  'unexpected_character',
  'bad_number',
  'unexpected_token',
  'unexpected_end',
  'unclosed_paren',
  'unmatched_paren',
] as const;
export type FormulaErrorCode = (typeof formulaErrorCodes)[number];

export interface FormulaError {
  readonly code: FormulaErrorCode;
  readonly messageKey: string;
  readonly start: number;
  readonly end: number;
  readonly details?: Readonly<Record<string, string>>;
}

export type ParseFormulaResult =
  | { readonly ok: true; readonly ast: FormulaNode }
  | { readonly ok: false; readonly errors: readonly FormulaError[] };

// ---------------------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------------------

type Token =
  | { readonly type: 'number'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly type: 'ident'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly type: 'op'; readonly op: BinaryOperator; readonly start: number; readonly end: number }
  | { readonly type: '(' | ')' | 'end'; readonly start: number; readonly end: number };

const OPERATORS: Record<string, BinaryOperator> = {
  '+': '+',
  '-': '-',
  '\u2212': '-',
  '*': '*',
  '×': '*',
  '/': '/',
  '÷': '/',
};

function formulaError(
  code: FormulaErrorCode,
  start: number,
  end: number,
  details?: Record<string, string>,
): FormulaError {
  const base = { code, messageKey: `formula.${code}`, start, end };
  return details === undefined ? base : { ...base, details };
}

function tokenize(text: string): { tokens: Token[]; errors: FormulaError[] } {
  const tokens: Token[] = [];
  const errors: FormulaError[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (/\s/.test(ch)) {
      i += 1;
    } else if (/[0-9.]/.test(ch)) {
      // Take the whole run of number-like characters so "1e5" or "1.2.3" is one bad literal.
      let j = i;
      while (j < text.length && /[0-9A-Za-z_.]/.test(text[j] ?? '')) j += 1;
      const literal = text.slice(i, j);
      const parsed = parseDecimal(literal);
      if (parsed.ok) tokens.push({ type: 'number', text: literal, start: i, end: j });
      else errors.push(formulaError('bad_number', i, j, { text: literal, cause: parsed.error.messageKey }));
      i = j;
    } else if (/[A-Za-z_]/.test(ch)) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j] ?? '')) j += 1;
      tokens.push({ type: 'ident', text: text.slice(i, j), start: i, end: j });
      i = j;
    } else if (ch in OPERATORS) {
      tokens.push({ type: 'op', op: OPERATORS[ch] as BinaryOperator, start: i, end: i + 1 });
      i += 1;
    } else if (ch === '(' || ch === '（') {
      tokens.push({ type: '(', start: i, end: i + 1 });
      i += 1;
    } else if (ch === ')' || ch === '）') {
      tokens.push({ type: ')', start: i, end: i + 1 });
      i += 1;
    } else {
      const cp = text.codePointAt(i) ?? 0;
      const width = cp > 0xffff ? 2 : 1;
      errors.push(formulaError('unexpected_character', i, i + width, { character: text.slice(i, i + width) }));
      i += width;
    }
  }
  tokens.push({ type: 'end', start: text.length, end: text.length });
  return { tokens, errors };
}

// ---------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------

class ParseFailure {
  constructor(readonly error: FormulaError) {}
}

/** Parse a formula into an AST, or return every error found, each with its position. */
export function parseFormula(text: string): ParseFormulaResult {
  if (typeof text !== 'string' || text.trim() === '') {
    return { ok: false, errors: [formulaError('empty', 0, typeof text === 'string' ? text.length : 0)] };
  }
  if (text.length > MAX_FORMULA_LENGTH) {
    return {
      ok: false,
      errors: [formulaError('too_long', MAX_FORMULA_LENGTH, text.length, { max: String(MAX_FORMULA_LENGTH) })],
    };
  }
  const { tokens, errors } = tokenize(text);
  if (errors.length > 0) return { ok: false, errors };

  let pos = 0;
  const peek = (): Token => tokens[pos] ?? (tokens[tokens.length - 1] as Token);
  const next = (): Token => {
    const t = peek();
    if (t.type !== 'end') pos += 1;
    return t;
  };
  const describe = (t: Token): string =>
    t.type === 'number' || t.type === 'ident' ? t.text : t.type === 'op' ? t.op : t.type;

  const parseExpr = (depth: number): FormulaNode => {
    let left = parseTerm(depth);
    for (let t = peek(); t.type === 'op' && (t.op === '+' || t.op === '-'); t = peek()) {
      next();
      const right = parseTerm(depth);
      left = { kind: 'binary', op: t.op, left, right, opStart: t.start, start: left.start, end: right.end };
    }
    return left;
  };
  const parseTerm = (depth: number): FormulaNode => {
    let left = parseUnary(depth);
    for (let t = peek(); t.type === 'op' && (t.op === '*' || t.op === '/'); t = peek()) {
      next();
      const right = parseUnary(depth);
      left = { kind: 'binary', op: t.op, left, right, opStart: t.start, start: left.start, end: right.end };
    }
    return left;
  };
  const parseUnary = (depth: number): FormulaNode => {
    const t = peek();
    if (t.type === 'op' && (t.op === '-' || t.op === '+')) {
      if (depth >= MAX_FORMULA_DEPTH)
        throw new ParseFailure(formulaError('too_deep', t.start, t.end, { max: String(MAX_FORMULA_DEPTH) }));
      next();
      const operand = parseUnary(depth + 1);
      return t.op === '-' ? { kind: 'negate', operand, start: t.start, end: operand.end } : operand;
    }
    return parsePrimary(depth);
  };
  const parsePrimary = (depth: number): FormulaNode => {
    const t = next();
    switch (t.type) {
      case 'number':
        return { kind: 'number', value: t.text, start: t.start, end: t.end };
      case 'ident':
        return { kind: 'ref', code: t.text, start: t.start, end: t.end };
      case '(': {
        if (depth >= MAX_FORMULA_DEPTH)
          throw new ParseFailure(formulaError('too_deep', t.start, t.end, { max: String(MAX_FORMULA_DEPTH) }));
        const inner = parseExpr(depth + 1);
        const close = next();
        if (close.type !== ')') {
          throw new ParseFailure(
            close.type === 'end'
              ? formulaError('unclosed_paren', t.start, t.end)
              : formulaError('unexpected_token', close.start, close.end, { found: describe(close), expected: ')' }),
          );
        }
        // Positions of a parenthesised expression include the parentheses.
        return { ...inner, start: t.start, end: close.end };
      }
      case 'end':
        throw new ParseFailure(formulaError('unexpected_end', t.start, t.end));
      case ')':
        throw new ParseFailure(formulaError('unmatched_paren', t.start, t.end));
      case 'op':
        throw new ParseFailure(formulaError('unexpected_token', t.start, t.end, { found: t.op }));
    }
  };

  try {
    const ast = parseExpr(0);
    const rest = peek();
    if (rest.type !== 'end') {
      return {
        ok: false,
        errors: [
          rest.type === ')'
            ? formulaError('unmatched_paren', rest.start, rest.end)
            : formulaError('unexpected_token', rest.start, rest.end, { found: describe(rest) }),
        ],
      };
    }
    return { ok: true, ast };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, errors: [e.error] };
    throw e;
  }
}

/** Item codes a formula refers to, each once, in order of first appearance. */
export function references(ast: FormulaNode): string[] {
  const seen = new Set<string>();
  const walk = (node: FormulaNode): void => {
    switch (node.kind) {
      case 'ref':
        seen.add(node.code);
        return;
      case 'negate':
        walk(node.operand);
        return;
      case 'binary':
        walk(node.left);
        walk(node.right);
        return;
      case 'number':
        return;
    }
  };
  walk(ast);
  return [...seen];
}

// ---------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------

export const formulaEvalErrorCodes = ['missing_value', 'invalid_value', 'division_by_zero'] as const;
export type FormulaEvalErrorCode = (typeof formulaEvalErrorCodes)[number];
export type EvaluateResult = RuleResult<string, FormulaEvalErrorCode>;

class EvalFailure {
  constructor(readonly result: EvaluateResult & { ok: false }) {}
}

/**
 * Evaluate an AST with the given item values (decimal strings). A referenced item with no
 * value, or a value that is not a decimal ('ND', '<0.5'), is an error naming the item:
 * a calculated item cannot be computed from a censored result.
 */
export function evaluate(ast: FormulaNode, values: Readonly<Record<string, string>>): EvaluateResult {
  const calc = (node: FormulaNode): LabDecimalValue => {
    switch (node.kind) {
      case 'number':
        return new LabDecimal(node.value);
      case 'ref': {
        // Own properties only: a code such as `constructor` must not find Object.prototype.
        if (!Object.prototype.hasOwnProperty.call(values, node.code)) {
          throw new EvalFailure(fail('formula', 'missing_value', positionDetails(node, { item: node.code })));
        }
        const raw = values[node.code];
        const parsed = parseDecimal(raw);
        if (!parsed.ok) {
          throw new EvalFailure(
            fail(
              'formula',
              'invalid_value',
              positionDetails(node, { item: node.code, value: String(raw), cause: parsed.error.messageKey }),
            ),
          );
        }
        return toLabDecimal(parsed.value);
      }
      case 'negate':
        return calc(node.operand).negated();
      case 'binary': {
        const left = calc(node.left);
        const right = calc(node.right);
        switch (node.op) {
          case '+':
            return left.plus(right);
          case '-':
            return left.minus(right);
          case '*':
            return left.times(right);
          case '/':
            if (right.isZero()) {
              throw new EvalFailure(
                fail('formula', 'division_by_zero', { start: String(node.opStart), end: String(node.opStart + 1) }),
              );
            }
            return left.dividedBy(right);
        }
      }
    }
  };
  try {
    return ok(fromLabDecimal(calc(ast)));
  } catch (e) {
    if (e instanceof EvalFailure) return e.result;
    throw e;
  }
}

function positionDetails(node: FormulaNode, extra: Record<string, string>): Record<string, string> {
  return { ...extra, start: String(node.start), end: String(node.end) };
}

/** Parse and evaluate in one step (parse errors are reported as the first error). */
export function evaluateFormula(
  text: string,
  values: Readonly<Record<string, string>>,
): RuleResult<string, FormulaEvalErrorCode | FormulaErrorCode> {
  const parsed = parseFormula(text);
  if (!parsed.ok) {
    const first = parsed.errors[0] as FormulaError;
    return fail('formula', first.code, { ...first.details, start: String(first.start), end: String(first.end) });
  }
  return evaluate(parsed.ast, values);
}

// ---------------------------------------------------------------------------------------
// A specification's set of formulas
// ---------------------------------------------------------------------------------------

export interface FormulaItem {
  readonly code: string;
  /** Absent, null or '' for a measured item. */
  readonly formula?: string | null;
}

export const formulaSetErrorCodes = ['duplicate_code', 'parse_error', 'unknown_reference', 'cycle'] as const;
export type FormulaSetErrorCode = (typeof formulaSetErrorCodes)[number];

export interface FormulaSetError {
  readonly code: FormulaSetErrorCode;
  readonly messageKey: string;
  /** The item whose formula (or code) is at fault. */
  readonly item: string;
  readonly details: Readonly<Record<string, string>>;
  /** parse_error: the formula's errors with positions. */
  readonly errors?: readonly FormulaError[];
  /** cycle: the codes around the cycle, first repeated at the end (['a', 'b', 'a']). */
  readonly cycle?: readonly string[];
}

export type FormulaSetResult =
  | {
      readonly ok: true;
      /** Calculated items in an order where every item comes after the items it uses. */
      readonly order: readonly string[];
      readonly asts: Readonly<Record<string, FormulaNode>>;
    }
  | { readonly ok: false; readonly errors: readonly FormulaSetError[] };

function setError(
  code: FormulaSetErrorCode,
  item: string,
  details: Record<string, string>,
  extra: { errors?: readonly FormulaError[]; cycle?: readonly string[] } = {},
): FormulaSetError {
  return { code, messageKey: `formula.set.${code}`, item, details, ...extra };
}

/**
 * Check a specification's items before saving: every formula parses, refers only to codes
 * of the same specification, and no formula depends on itself directly or through others.
 * Every problem is reported (a cycle names its items), not only the first.
 */
export function checkFormulaSet(items: readonly FormulaItem[]): FormulaSetResult {
  const errors: FormulaSetError[] = [];
  const codes = new Set<string>();
  for (const item of items) {
    if (codes.has(item.code)) errors.push(setError('duplicate_code', item.code, { item: item.code }));
    codes.add(item.code);
  }

  const asts = new Map<string, FormulaNode>();
  for (const item of items) {
    if (item.formula === undefined || item.formula === null || item.formula === '') continue;
    const parsed = parseFormula(item.formula);
    if (!parsed.ok) {
      errors.push(setError('parse_error', item.code, { item: item.code }, { errors: parsed.errors }));
      continue;
    }
    if (!asts.has(item.code)) asts.set(item.code, parsed.ast);
    const unknown = new Set<string>();
    walkRefs(parsed.ast, (ref) => {
      if (!codes.has(ref.code) && !unknown.has(ref.code)) {
        unknown.add(ref.code);
        errors.push(
          setError('unknown_reference', item.code, {
            item: item.code,
            reference: ref.code,
            start: String(ref.start),
            end: String(ref.end),
          }),
        );
      }
    });
  }

  // Depth-first search over calculated items; a back edge closes a cycle.
  const deps = new Map<string, string[]>();
  for (const [code, ast] of asts)
    deps.set(
      code,
      references(ast).filter((r) => asts.has(r)),
    );
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const order: string[] = [];
  const seenCycles = new Set<string>();
  const visit = (code: string): void => {
    state.set(code, 'active');
    stack.push(code);
    for (const dep of deps.get(code) ?? []) {
      const s = state.get(dep);
      if (s === 'active') {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep];
        const key = canonicalCycle(cycle);
        if (!seenCycles.has(key)) {
          seenCycles.add(key);
          errors.push(setError('cycle', dep, { item: dep, cycle: cycle.join(' → ') }, { cycle }));
        }
      } else if (s === undefined) {
        visit(dep);
      }
    }
    stack.pop();
    state.set(code, 'done');
    order.push(code);
  };
  for (const code of asts.keys()) if (!state.has(code)) visit(code);

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, order, asts: Object.fromEntries(asts) };
}

function walkRefs(node: FormulaNode, fn: (ref: Extract<FormulaNode, { kind: 'ref' }>) => void): void {
  switch (node.kind) {
    case 'ref':
      fn(node);
      return;
    case 'negate':
      walkRefs(node.operand, fn);
      return;
    case 'binary':
      walkRefs(node.left, fn);
      walkRefs(node.right, fn);
      return;
    case 'number':
      return;
  }
}

/** Same cycle regardless of where the search entered it: rotate to the smallest code. */
function canonicalCycle(cycle: readonly string[]): string {
  const ring = cycle.slice(0, -1);
  let best = 0;
  for (let i = 1; i < ring.length; i += 1) if ((ring[i] as string) < (ring[best] as string)) best = i;
  return [...ring.slice(best), ...ring.slice(0, best)].join('\u0000');
}

/**
 * Compute every calculated item of a checked set from the measured values, in dependency
 * order. An item whose inputs are missing or failed gets its own error; the others are
 * still computed.
 */
export function evaluateFormulaSet(
  checked: Extract<FormulaSetResult, { ok: true }>,
  measured: Readonly<Record<string, string>>,
): { values: Record<string, string>; errors: Record<string, NonNullable<(EvaluateResult & { ok: false })['error']>> } {
  // Null-prototype records: item codes are user data ('constructor', '__proto__').
  const values = Object.create(null) as Record<string, string>;
  const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
  for (const [code, value] of Object.entries(measured)) if (!own(checked.asts, code)) values[code] = value;
  const errors = Object.create(null) as Record<string, NonNullable<(EvaluateResult & { ok: false })['error']>>;
  for (const code of checked.order) {
    if (!own(checked.asts, code)) continue;
    const ast = checked.asts[code] as FormulaNode;
    const r = evaluate(ast, values);
    if (r.ok) values[code] = r.value;
    else errors[code] = r.error;
  }
  return { values, errors };
}
