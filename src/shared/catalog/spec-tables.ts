import type { SpecItem, SpecOrigin } from './spec-schema';

/**
 * The tables of a specification as a QA manager compares them with the official text
 * (issue 22 §4): items grouped by the standard and table their values come from. Pure; used by
 * the confirmation (main, inside its transaction) and the specification screen alike.
 */
export interface SpecTableKey {
  readonly standard: string;
  readonly table: string;
}

export interface SpecTableGroup<I> extends SpecTableKey {
  readonly items: readonly I[];
}

type WithOrigin = Pick<SpecItem, 'origin'>;

/** The key of an item's table; null when its value does not come from a table of a standard. */
export function tableKeyOf(item: WithOrigin): SpecTableKey | null {
  const o: SpecOrigin | null | undefined = item.origin;
  return o && o.table ? { standard: o.standard, table: o.table } : null;
}

export function sameTable(a: SpecTableKey, b: SpecTableKey): boolean {
  return a.standard === b.standard && a.table === b.table;
}

/** The tables, in the order their first item appears. */
export function specTables<I extends WithOrigin>(items: readonly I[]): SpecTableGroup<I>[] {
  const out: Array<{ standard: string; table: string; items: I[] }> = [];
  for (const i of items) {
    const k = tableKeyOf(i);
    if (!k) continue;
    const g = out.find((t) => sameTable(t, k));
    if (g) g.items.push(i);
    else out.push({ ...k, items: [i] });
  }
  return out;
}

/** "GB 10765-2021" → standard "GB 10765", edition "2021"; a number without an edition keeps "" as its edition. */
export function standardEdition(standard: string): { standard: string; edition: string } {
  const m = /^(.*\S)\s*[-—–]\s*(\d{4})$/.exec(standard.trim());
  return m ? { standard: m[1]!, edition: m[2]! } : { standard: standard.trim(), edition: '' };
}

/** A value still to be entered from the official text: no limit in the item. */
export function hasNoValue(
  i: Pick<SpecItem, 'limit_form' | 'min' | 'max' | 'target' | 'm' | 'big_m' | 'n' | 'c'>,
): boolean {
  switch (i.limit_form) {
    case 'range':
      return i.min === null && i.max === null;
    case 'minimum':
      return i.min === null;
    case 'maximum':
      return i.max === null;
    case 'equals':
      return i.target === null;
    case 'sampling_plan':
      return i.n === null || i.c === null || i.m === null;
    default:
      return false;
  }
}
