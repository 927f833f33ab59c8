import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import ts from 'typescript';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { lazySchema } from '../../src/shared/contract/define';

/**
 * The contract's schemas are built on first use (D-129): `lazySchema` stands for a schema in
 * every way a caller can tell, builds it once, and only when touched; and every schema of the
 * channel files is declared through it, so a new channel does not bring back the cost of
 * building every schema whenever the contract loads.
 */

describe('lazySchema', () => {
  it('builds nothing until the schema is used, then builds it once', () => {
    let builds = 0;
    const s = lazySchema(() => {
      builds++;
      return z.object({ a: z.string() });
    });
    const holder = { s };
    expect(builds).toBe(0);
    expect(holder.s).toBe(s);
    expect(s.safeParse({ a: 'x' }).success).toBe(true);
    expect(s.parse({ a: 'y' })).toEqual({ a: 'y' });
    expect(Object.keys(s.shape)).toEqual(['a']);
    expect(builds).toBe(1);
  });

  it('is what the schema is: instanceof, shape, extend, use inside other schemas', () => {
    const base = lazySchema(() => z.object({ id: z.string(), n: z.number().int() }));
    const kind = lazySchema(() => z.enum(['a', 'b']));
    expect(base instanceof z.ZodObject).toBe(true);
    expect(kind instanceof z.ZodEnum).toBe(true);
    expect(kind.options).toEqual(['a', 'b']);
    const extended = lazySchema(() => base.extend({ kind }));
    const spread = z.object({ ...base.shape, kind: kind.optional() });
    const union = z.discriminatedUnion('t', [
      lazySchema(() => z.object({ t: z.literal('x'), v: base })),
      z.object({ t: z.literal('y'), v: kind }),
    ]);
    expect(extended.parse({ id: 'i', n: 1, kind: 'a' })).toEqual({ id: 'i', n: 1, kind: 'a' });
    expect(spread.safeParse({ id: 'i', n: 1.5 }).success).toBe(false);
    expect(union.parse({ t: 'x', v: { id: 'i', n: 2 } })).toEqual({ t: 'x', v: { id: 'i', n: 2 } });
    expect(union.safeParse({ t: 'y', v: 'c' }).success).toBe(false);
  });

  it('accepts, refuses and reports exactly as the schema built at once (property)', () => {
    const make = () =>
      z.object({
        code: z
          .string()
          .trim()
          .regex(/^[A-Z]{2}\d$/, { message: 'code_format' }),
        qty: z.string().regex(/^\d+(\.\d+)?$/),
        kind: z.enum(['raw_milk', 'ingredient']),
        note: z.string().max(5).nullable().optional(),
        tags: z.array(z.object({ k: z.literal('t'), v: z.number().int().min(0) })).max(3),
      });
    const eager = make();
    const lazy = lazySchema(make);
    const nested = z.object({ inner: lazySchema(make) });
    const nestedEager = z.object({ inner: make() });
    const value = fc.record(
      {
        code: fc.oneof(fc.constantFrom('AB1', ' CD2 ', 'ab1'), fc.string({ maxLength: 4 })),
        qty: fc.oneof(fc.constantFrom('1', '2.50', '-1', ''), fc.string({ maxLength: 4 })),
        kind: fc.constantFrom('raw_milk', 'ingredient', 'other'),
        note: fc.option(fc.string({ maxLength: 7 })),
        tags: fc.array(fc.record({ k: fc.constantFrom('t', 'u'), v: fc.integer({ min: -2, max: 2 }) }), {
          maxLength: 4,
        }),
      },
      { requiredKeys: ['code', 'qty'] },
    );
    const outcome = (r: { success: boolean; data?: unknown; error?: { issues: unknown[] } }) =>
      r.success ? { data: r.data } : { issues: r.error?.issues };
    fc.assert(
      fc.property(fc.oneof(value, fc.anything()), (v) => {
        expect(outcome(lazy.safeParse(v))).toEqual(outcome(eager.safeParse(v)));
        expect(outcome(nested.safeParse({ inner: v }))).toEqual(outcome(nestedEager.safeParse({ inner: v })));
      }),
    );
  });
});

/** The first identifier of `a.b().c()`: `a`. */
function rootOf(e: ts.Expression): ts.Expression {
  let n = e;
  while (ts.isCallExpression(n) || ts.isPropertyAccessExpression(n) || ts.isNonNullExpression(n)) n = n.expression;
  return n;
}

/** A method chain on a schema or on `z` (`z.object(…)`, `fields.extend(…)`), not a plain call. */
const isSchemaChain = (e: ts.Expression): boolean =>
  ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ts.isIdentifier(rootOf(e));

/** Schemas in a contract file that are built when the file loads instead of on first use. */
function eagerSchemas(file: string, text = readFileSync(file, 'utf8')): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const where = (n: ts.Node): string =>
    `${path.relative(process.cwd(), file)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
  const found: string[] = [];
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations)
      if (d.initializer && isSchemaChain(d.initializer)) found.push(`${where(d)} const ${d.name.getText(sf)}`);
  }
  const visit = (n: ts.Node): void => {
    if (
      ts.isCallExpression(n) &&
      ts.isIdentifier(n.expression) &&
      (n.expression.text === 'channel' || n.expression.text === 'event') &&
      n.arguments[0] &&
      ts.isObjectLiteralExpression(n.arguments[0])
    ) {
      for (const p of n.arguments[0].properties)
        if (
          ts.isPropertyAssignment(p) &&
          ['input', 'output', 'payload'].includes(p.name.getText(sf)) &&
          !ts.isIdentifier(p.initializer) &&
          !(ts.isCallExpression(p.initializer) && p.initializer.expression.getText(sf) === 'lazySchema')
        )
          found.push(`${where(p)} ${n.expression.text}.${p.name.getText(sf)}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

describe('the contract declares its schemas through lazySchema', () => {
  const dir = path.join('src', 'shared', 'contract');
  const files = [
    path.join(dir, 'common.ts'),
    ...readdirSync(path.join(dir, 'channels')).map((f) => path.join(dir, 'channels', f)),
  ];

  it('has no schema built when its file loads', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap((f) => eagerSchemas(f))).toEqual([]);
  });

  it('finds one where there is one (the check can fail)', () => {
    const code = [
      `import { z } from 'zod';`,
      `export const a = z.string();`,
      `export const b = lazySchema(() => a.min(1));`,
      `export const c = {`,
      `  x: channel({ input: z.object({}), output: a, access: 'public', writes: false }),`,
      `  y: channel({ input: lazySchema(() => z.object({})), output: b, access: 'public', writes: false }),`,
      `};`,
      `export const e = { z: event({ payload: b.extend({}), access: 'session' }) };`,
    ].join('\n');
    expect(eagerSchemas('src/shared/contract/channels/virtual.ts', code)).toEqual([
      'src/shared/contract/channels/virtual.ts:2 const a',
      'src/shared/contract/channels/virtual.ts:5 channel.input',
      'src/shared/contract/channels/virtual.ts:8 event.payload',
    ]);
  });
});
