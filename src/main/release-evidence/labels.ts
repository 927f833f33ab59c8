import type { z } from 'zod';
import type {
  LabelComparison,
  LabelValueView,
  labelComparisonRowSchema,
} from '../../shared/contract/channels/release-evidence';
import { fail } from '../../shared/contract/errors';
import { QuantityDecimal as D } from '../../shared/domain/units';
import { entryBasis, limitSpecOf, limitText, type TestItem } from '../../shared/rules';
import {
  labelBounds,
  margins,
  nearestMargin,
  parseLabelRule,
  type Bounds,
  type SideMargin,
} from '../../shared/rules/label-values';
import type { Value } from '../ledger/entities';
import type { Actor, Ledger } from '../ledger/ledger';
import { iso, productOf } from './common';
import { RE } from './entities';
import { labelValueRow, type LabelResultRow, type LabelValueRow, type ReleaseEvidenceQueries } from './queries';

type ComparisonRow = z.infer<typeof labelComparisonRowSchema>;

function json<T>(v: string | null | undefined, fallback: T): T {
  return typeof v === 'string' && v ? (JSON.parse(v) as T) : fallback;
}

function sideOf(ms: SideMargin[] | null): { margins: SideMargin[]; nearest: SideMargin | null } {
  return { margins: ms ?? [], nearest: ms ? nearestMargin(ms) : null };
}

function gbBounds(item: TestItem): Bounds | null {
  const l = limitSpecOf(item);
  if (!l) return null;
  if (l.kind === 'range') return { min: l.min, max: l.max };
  if (l.kind === 'minimum') return { min: l.min, max: null };
  if (l.kind === 'maximum') return { min: null, max: l.max };
  return null;
}

function compareLabel(
  l: LabelValueRow,
  item: TestItem | null,
  r: LabelResultRow | null,
): NonNullable<ComparisonRow['label']> {
  const rule = parseLabelRule(json<unknown>(l.rule, {}));
  const base = {
    labelValueId: l.id,
    declared: l.declared,
    unit: l.unit,
    basis: l.basis,
    minPct: rule.minPct,
    maxPct: rule.maxPct,
    ruleVerification: l.rule_verification ?? 'unverified',
    ruleSource: l.rule_source,
  };
  const none = (comparable: NonNullable<ComparisonRow['label']>['comparable']) => ({
    ...base,
    compared: null,
    margins: [],
    nearest: null,
    comparable,
    ok: false,
  });
  if (!item || !r) return none('no_result');
  if (r.status !== 'reviewed') return none('not_reviewed');
  let compared: string | null;
  if (base.basis === item.basis) compared = r.reported ?? null;
  else if (base.basis === entryBasis(item)) compared = r.value ?? null;
  else return none('basis_differs');
  const bounds = labelBounds(base.declared, rule);
  const ms = compared !== null && bounds ? margins(compared, bounds) : null;
  if (!ms) return { ...none('censored'), compared };
  return { ...base, compared, ...sideOf(ms), comparable: 'ok', ok: ms.every((m) => m.ok) };
}

/**
 * Declared label values of products (issue 20 §5): the values and the rule applied, the QA
 * manager's confirmation of the rule, and the lot comparison shown on the release checklist.
 */
export class LabelEvidence {
  constructor(
    private readonly ledger: Ledger,
    private readonly q: ReleaseEvidenceQueries,
  ) {}

  /**
   * A finished lot's current results against the GB limits and the product's declared label
   * values, with the margin to each side (issue 20 §5). Margins are taken on the reported value
   * (the certificate's figure); a label declared per 100 g of an item limited per 100 kJ is
   * compared with the result's unrounded entry-basis value. Never stored: computed on demand.
   */
  labelComparison(lotCode: string): LabelComparison {
    const productCode = this.q.finishedProductOf(lotCode) ?? '';
    const labels = productCode ? this.q.labelsOfProduct(productCode) : [];
    // The latest attempt of each item is the one that counts.
    const current = new Map<string, LabelResultRow>();
    for (const r of this.q.releaseResults(lotCode)) {
      if (r.plan_reason === 'parameter') continue;
      current.set(r.item_code, r);
    }
    const rows: ComparisonRow[] = [];
    const seen = new Set<string>();
    for (const [code, r] of current) {
      seen.add(code);
      const item = JSON.parse(r.item) as TestItem;
      const reported = r.reported ?? null;
      const gb = gbBounds(item);
      const label = labels.find((l) => l.item_code === code);
      rows.push({
        itemCode: code,
        nameZh: item.name_zh,
        nameEn: item.name_en,
        resultId: r.id,
        resultStatus: r.status,
        reported,
        unit: item.unit,
        basis: item.basis,
        gb: gb
          ? {
              limitText: limitText(item),
              verdict: r.verdict ?? null,
              ...sideOf(reported !== null ? margins(reported, gb) : null),
            }
          : null,
        label: label ? compareLabel(label, item, r) : null,
      });
    }
    // Declared items that have no result on the lot.
    for (const l of labels) {
      const code = l.item_code;
      if (seen.has(code)) continue;
      const name = this.q.latestItemName(productCode, code);
      rows.push({
        itemCode: code,
        nameZh: name?.name_zh ?? code,
        nameEn: name?.name_en ?? code,
        resultId: null,
        resultStatus: null,
        reported: null,
        unit: l.unit,
        basis: l.basis,
        gb: null,
        label: compareLabel(l, null, null),
      });
    }
    const declared = rows.filter((r) => r.label);
    return {
      lotCode,
      productCode,
      rows,
      summary: {
        declared: declared.length,
        outside: declared.filter((r) => r.label!.comparable === 'ok' && !r.label!.ok).length,
        notCompared: declared.filter((r) => r.label!.comparable !== 'ok').length,
        unverified: declared.filter((r) => r.label!.ruleVerification !== 'confirmed').length,
      },
    };
  }

  private product(code: string) {
    return productOf(this.q, code);
  }

  private specItemsOf(
    productCode: string,
  ): Array<{ code: string; nameZh: string; nameEn: string; unit: string; basis: string }> {
    const p = this.product(productCode);
    const v = this.q.currentVersionOf(p.id);
    if (!v) return [];
    return this.q
      .itemsOfVersion(v)
      .map((i) => ({ code: i.code, nameZh: i.name_zh, nameEn: i.name_en, unit: i.unit, basis: i.basis }));
  }

  private labelView(r: LabelValueRow, names?: Map<string, { nameZh: string; nameEn: string }>): LabelValueView {
    const rule = parseLabelRule(json<unknown>(r.rule, {}));
    const n = names?.get(r.item_code);
    return {
      id: r.id,
      rev: r.rev,
      productCode: r.product_code,
      itemCode: r.item_code,
      nameZh: n?.nameZh ?? null,
      nameEn: n?.nameEn ?? null,
      declared: r.declared,
      unit: r.unit,
      basis: r.basis,
      minPct: rule.minPct,
      maxPct: rule.maxPct,
      ruleSource: r.rule_source,
      ruleVerification: r.rule_verification,
      confirmedBy: r.confirmed_by ?? null,
      confirmedAt: iso(r.confirmed_at),
      confirmReference: r.confirm_reference ?? null,
      note: r.note ?? null,
    };
  }

  labels(productCode: string) {
    const p = this.product(productCode);
    const specItems = this.specItemsOf(productCode);
    const names = new Map(specItems.map((i) => [i.code, i]));
    return {
      product: { code: p.code, nameZh: p.name_zh, nameEn: p.name_en, stage: p.stage },
      items: this.q.labelsOfProduct(productCode).map((r) => this.labelView(r, names)),
      specItems,
    };
  }

  saveLabel(
    actor: Actor,
    i: {
      id?: string | undefined;
      productCode: string;
      itemCode: string;
      declared: string;
      unit: string;
      basis: string;
      minPct: string | null;
      maxPct: string | null;
      ruleSource: string;
      note: string | null;
      reason?: string | undefined;
    },
  ): LabelValueView {
    this.product(i.productCode);
    if (new D(i.declared).lte(0)) fail('invalid_input', { field: 'declared' }, 'errors.label_declared_positive');
    if (i.minPct === null && i.maxPct === null) fail('invalid_input', { field: 'minPct' }, 'errors.label_rule_empty');
    if (i.minPct !== null && i.maxPct !== null && new D(i.minPct).gt(i.maxPct))
      fail('invalid_input', { field: 'maxPct' }, 'errors.label_rule_order');
    if (i.id && !i.reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
    const rule = JSON.stringify({ minPct: i.minPct, maxPct: i.maxPct });
    const names = new Map(this.specItemsOf(i.productCode).map((x) => [x.code, x]));
    return this.ledger.write(actor, (w) => {
      if (this.q.otherLabelFor(i.productCode, i.itemCode, i.id ?? '')) fail('conflict', { item: i.itemCode }, 'errors.label_item_exists');
      const fields: Record<string, Value> = {
        product_code: i.productCode,
        item_code: i.itemCode,
        declared: i.declared,
        unit: i.unit,
        basis: i.basis,
        rule,
        rule_source: i.ruleSource,
        note: i.note,
      };
      if (i.id) {
        const found = w.get(RE.labelValue, i.id);
        if (!found || found.retired) fail('not_found', { entity: 'label_value', id: i.id }, 'errors.label_not_found');
        const cur = labelValueRow(found);
        if (cur.product_code !== i.productCode)
          fail('invalid_input', { field: 'productCode' }, 'errors.code_immutable');
        // A confirmation covers the rule as it was checked: changing the rule withdraws it.
        const ruleChanged = cur.rule !== rule || cur.rule_source !== i.ruleSource;
        if (ruleChanged)
          Object.assign(fields, {
            rule_verification: 'unverified',
            confirmed_by: null,
            confirmed_at: null,
            confirm_reference: null,
          });
        return this.labelView(labelValueRow(w.update(RE.labelValue, i.id, fields, { reason: i.reason! })), names);
      }
      return this.labelView(
        labelValueRow(
          w.create(RE.labelValue, {
            ...fields,
            rule_verification: 'unverified',
            confirmed_by: null,
            confirmed_at: null,
            confirm_reference: null,
          }),
        ),
        names,
      );
    });
  }

  retireLabel(actor: Actor, id: string, reason: string): { ok: true } {
    return this.ledger.write(actor, (w) => {
      const cur = w.get(RE.labelValue, id);
      if (!cur || cur.retired) fail('not_found', { entity: 'label_value', id }, 'errors.label_not_found');
      w.retire(RE.labelValue, id, reason);
      return { ok: true as const };
    });
  }

  /** A QA manager has checked the rule against the standard's text: recorded with the clause checked. */
  confirmRule(actor: Actor, id: string, reference: string): LabelValueView {
    return this.ledger.write(actor, (w) => {
      const cur = w.get(RE.labelValue, id);
      if (!cur || cur.retired) fail('not_found', { entity: 'label_value', id }, 'errors.label_not_found');
      if (labelValueRow(cur).rule_verification === 'confirmed') fail('conflict', { id }, 'errors.label_rule_confirmed');
      return this.labelView(
        labelValueRow(
          w.update(
          RE.labelValue,
          id,
          { rule_verification: 'confirmed', confirmed_by: actor.id, confirmed_at: w.at, confirm_reference: reference },
          { reason: `rule confirmed against ${reference}` },
          ),
        ),
      );
    });
  }

  compare(lotCode: string): LabelComparison {
    if (this.q.lotKind(lotCode) === null) fail('not_found', { entity: 'lot', id: lotCode }, 'errors.lot_not_found');
    return this.labelComparison(lotCode);
  }
}
