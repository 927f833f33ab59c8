/**
 * The rules of an editable row table (ui/editable-rows.tsx), kept pure so that they are the
 * same on every screen and tested without a browser: how rows change, when a row may be added
 * or removed, where the keyboard goes, and which message shows on which cell.
 */

/** The rows with row `i` changed by `patch` (a new array; the others are the same objects). */
export function withRow<T extends object>(rows: readonly T[], i: number, patch: Partial<T>): T[] {
  return rows.map((r, k) => (k === i ? { ...r, ...patch } : r));
}

/** The rows without row `i`, unless that would leave fewer than `min`. */
export function withoutRow<T>(rows: readonly T[], i: number, min = 1): T[] {
  if (!canRemove(rows.length, min) || i < 0 || i >= rows.length) return [...rows];
  return rows.filter((_, k) => k !== i);
}

/** The rows with `row` added at the end, unless there are `max` already. */
export function withAddedRow<T>(rows: readonly T[], row: T, max = Infinity): T[] {
  return canAdd(rows.length, max) ? [...rows, row] : [...rows];
}

export const canAdd = (count: number, max = Infinity): boolean => count < max;
export const canRemove = (count: number, min = 1): boolean => count > min;

/** What a key pressed in a cell of row `row` (of `count`) does. */
export type RowKeyAction = { focus: number } | { add: true } | null;

/**
 * Enter moves to the same column one row down, Shift+Enter one row up; Ctrl (or ⌘)+Enter adds
 * a row (when `addable`) and moves into it. Enter on the last row is left to the page (a form
 * submits), so a scanner's Enter after the last code still submits as before.
 */
export function rowKeyAction(
  key: {
    key: string;
    shiftKey?: boolean;
    ctrlKey?: boolean;
    metaKey?: boolean;
    altKey?: boolean;
    isComposing?: boolean;
  },
  row: number,
  count: number,
  addable: boolean,
): RowKeyAction {
  if (key.key !== 'Enter' || key.altKey || key.isComposing) return null;
  if (key.ctrlKey || key.metaKey) return addable ? { add: true } : null;
  if (key.shiftKey) return row > 0 ? { focus: row - 1 } : null;
  return row + 1 < count ? { focus: row + 1 } : null;
}

/** After row `removed` of `count` went away: the row that takes the focus (null when none is left). */
export function focusAfterRemove(removed: number, count: number): number | null {
  const left = count - 1;
  if (left <= 0) return null;
  return Math.min(removed, left - 1);
}

/** A validation issue as the contract reports it: a dotted path and a message. */
export interface RowIssue {
  path: string;
  message: string;
}

/**
 * The issues under `list` (`points`, `fields.items`) as messages per row and field:
 * `points.2.nominal` → rows[2].nominal. The first message of a cell wins; issues of the list
 * itself (`points` too short) are not a row's.
 */
export function rowErrors(issues: readonly RowIssue[], list: string, count: number): Array<Record<string, string>> {
  const out = Array.from({ length: count }, () => ({}) as Record<string, string>);
  const prefix = `${list}.`;
  for (const issue of issues) {
    if (!issue.path.startsWith(prefix)) continue;
    const [index, ...field] = issue.path.slice(prefix.length).split('.');
    const i = Number(index);
    if (!Number.isInteger(i) || i < 0 || i >= count) continue;
    const key = field.length > 0 ? field.join('.') : '';
    out[i]![key] ??= issue.message;
  }
  return out;
}

/** Whether any row has a message. */
export const anyRowError = (errors: ReadonlyArray<Record<string, unknown>>): boolean =>
  errors.some((e) => Object.values(e).some(Boolean));
