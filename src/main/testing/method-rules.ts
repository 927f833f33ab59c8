import type { z } from 'zod';
import type { replicateRuleSchema } from '../../shared/contract/channels/testing';
import { fail } from '../../shared/contract/errors';
import type { ReplicateRule } from '../../shared/rules';
import type { Actor } from '../ledger/ledger';
import type { TestingContext } from './context';
import { T } from './entities';
import { asMethodRule, type MethodRuleRecord, type TestingQueries } from './queries';

export type RuleView = z.infer<typeof replicateRuleSchema> & {
  id: string;
  rev: number;
  methodCode: string;
  note: string | null;
};

/** The replicate and repeatability rules in force, by method code (the entry rules read them). */
export function replicateRules(q: Pick<TestingQueries, 'records'>): Record<string, ReplicateRule> {
  const out: Record<string, ReplicateRule> = {};
  for (const r of q.records.methodRules()) {
    out[r.method_code] = {
      replicates: r.replicates,
      repeatability: r.repeatability,
      limit: r.repeatability_limit ?? null,
    };
  }
  return out;
}

/** Method rules (issue 8 §2): how many replicates a method needs and their repeatability limit. */
export class MethodRules {
  constructor(private readonly ctx: TestingContext) {}

  methodRules(): RuleView[] {
    return this.ctx.q.records.methodRules().map((r) => this.ruleView(r));
  }

  private ruleView(r: MethodRuleRecord): RuleView {
    return {
      id: r.id,
      rev: r.rev,
      methodCode: r.method_code,
      replicates: r.replicates,
      repeatability: r.repeatability,
      limit: r.repeatability_limit ?? null,
      note: r.note ?? null,
    };
  }

  saveMethodRule(
    actor: Actor,
    i: {
      methodCode: string;
      replicates: number;
      repeatability: 'none' | 'absolute' | 'relative';
      limit: string | null;
      note: string | null;
      reason?: string | undefined;
    },
  ): RuleView {
    if (i.repeatability !== 'none' && i.limit === null)
      fail('invalid_input', { field: 'limit' }, 'errors.repeatability_limit_required');
    if (i.repeatability !== 'none' && i.replicates < 2)
      fail('invalid_input', { field: 'replicates' }, 'errors.repeatability_needs_replicates');
    if (!this.ctx.q.foreign.methodKnown(i.methodCode))
      fail('not_found', { entity: 'test_method', id: i.methodCode }, 'errors.method_not_found');
    const existing = this.ctx.q.records.methodRule(i.methodCode);
    if (existing && !i.reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
    return this.ctx.ledger.write(actor, (w) => {
      const fields = {
        method_code: i.methodCode,
        replicates: i.replicates,
        repeatability: i.repeatability,
        repeatability_limit: i.repeatability === 'none' ? null : i.limit,
        note: i.note,
      };
      const r = existing
        ? w.update(T.methodRule, existing.id, fields, { reason: i.reason! })
        : w.create(T.methodRule, fields);
      return this.ruleView(asMethodRule(r));
    });
  }
}
