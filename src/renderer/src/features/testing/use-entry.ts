import { useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type { ChannelInput, ChannelOutput } from '../../../../shared/contract';
import type { ResultView } from '../../../../shared/contract/channels/testing';
import { entryOrder, isPlanItem, type ComputedResult } from '../../../../shared/rules';
import { ApiError, call } from '../../core/api/client';
import { errorMessage } from '../../core/api/errors';
import { callKey } from '../../core/api/hooks';
import { allowedFor, inputCount, liveCompute, normalizeFor, parseClipboard } from './live-compute';
import { itemName } from './testing-format';
import { typedOverReason as askTypedOverReason } from './typed-over';
import { verdictChangeReason as askVerdictChangeReason } from './verdict-change';

/**
 * A save the server refuses until it carries a reason the person gives: typing over an
 * instrument reading (issue 10 §5), changing a saved failing verdict (issue 19 §4). Asks
 * for each in turn and saves again; a cancel ends with the server's refusal.
 */
async function withReasons<I extends object, O>(input: I, save: (i: I) => Promise<O>): Promise<O> {
  let cur: I = input;
  for (let attempt = 0; ; attempt++) {
    try {
      return await save(cur);
    } catch (e) {
      if (attempt >= 3) throw e;
      const typedOver = await askTypedOverReason(e);
      if (typedOver !== null) {
        cur = { ...cur, typedOverReason: typedOver };
        continue;
      }
      const verdict = await askVerdictChangeReason(e);
      if (verdict !== null) {
        cur = { ...cur, verdictChangeReason: verdict };
        continue;
      }
      throw e;
    }
  }
}

export type ForSample = ChannelOutput<'results.forSample'>;

/** Statuses a technician may still change without a correction. */
export const EDITABLE: ReadonlySet<string> = new Set(['pending', 'entered', 'returned']);

export interface RowState {
  saving?: boolean;
  saved?: boolean;
  error?: string;
}

/** One line of the paste/entry navigation: an editable test and how many inputs it has. */
export interface NavRow {
  id: string;
  count: number;
  plan: boolean;
}

function same(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return a.every((v, i) => v === b[i]);
}

function pad(values: readonly string[], count: number): string[] {
  const out = values.slice(0, Math.max(count, values.length));
  while (out.length < count) out.push('');
  return out;
}

/** The raw values stored for a row (units for a sampling plan, else replicates), padded to its inputs. */
export function serverValues(r: ResultView, rules: ForSample['rules']): string[] {
  const plan = isPlanItem(r.item);
  const saved = plan ? r.unitValues : r.replicates;
  return pad(saved, inputCount(r.item, rules, saved));
}

/**
 * The entry grid's state: unsaved values per row, the live computation over them, and the
 * saves (one row per results.enter, a pasted block in one results.enterMany). Saves run one
 * after another so each sends the row's latest revision.
 */
export function useEntry(
  sampleCode: string,
  data: ForSample | undefined,
  t: TFunction,
  lang: string,
  canEnter: boolean,
) {
  const qc = useQueryClient();
  const key = callKey('results.forSample', { sampleCode });
  const [drafts, setDrafts] = useState<Record<string, string[]>>({});
  const [rowState, setRowState] = useState<Record<string, RowState>>({});
  const [pasteError, setPasteError] = useState<string | null>(null);
  const [pasting, setPasting] = useState(false);
  const inflight = useRef(new Map<string, string>());
  const queue = useRef<Promise<void>>(Promise.resolve());
  const [busy, setBusy] = useState(0);

  // Typed inputs others depend on (冲调比例) before the rows that need them (issue 22 §7).
  const results = useMemo(() => entryOrder(data?.results ?? []), [data]);
  const rules = useMemo(() => data?.rules ?? {}, [data]);

  const values = (r: ResultView): string[] => drafts[r.id] ?? serverValues(r, rules);

  const live = useMemo(
    () =>
      liveCompute(
        results.map((r) => {
          const plan = isPlanItem(r.item);
          const v = (drafts[r.id] ?? serverValues(r, rules)).map((x) => normalizeFor(r.item, x));
          return {
            id: r.id,
            itemCode: r.itemCode,
            status: r.status,
            calculated: r.calculated,
            item: r.item,
            replicates: plan ? r.replicates : v,
            unitValues: plan ? v : r.unitValues,
          };
        }),
        rules,
      ),
    [results, drafts, rules],
  );

  const editable = (r: ResultView) => canEnter && EDITABLE.has(r.status) && !r.calculated;
  const nav: NavRow[] = results
    .filter(editable)
    .map((r) => ({ id: r.id, count: serverValues(r, rules).length, plan: isPlanItem(r.item) }));
  const byId = new Map(results.map((r) => [r.id, r]));
  const nameOf = (id: string) => {
    const r = byId.get(id);
    return r ? itemName(r, lang) : id;
  };

  const merge = (changed: readonly ResultView[]) => {
    qc.setQueryData<ForSample>(key, (old) => {
      if (!old) return old;
      const next = new Map(changed.map((c) => [c.id, c]));
      const merged = old.results.map((r) => next.get(r.id) ?? r);
      for (const c of changed) if (!old.results.some((r) => r.id === c.id)) merged.push(c);
      merged.sort((a, b) => a.position - b.position || a.attempt - b.attempt);
      return { ...old, results: merged };
    });
    void qc.invalidateQueries({ queryKey: ['results.worklist'] });
    void qc.invalidateQueries({ queryKey: ['results.get'] });
    // A presumptive positive may have held the lot (issue 20 §3).
    void qc.invalidateQueries({ queryKey: ['results.microHolds'] });
    // The first value entered moves the sample from received to in testing.
    const cached = qc.getQueryData<ForSample>(key);
    if (cached?.sample.status === 'received') {
      void qc.invalidateQueries({ queryKey: key });
      void qc.invalidateQueries({ queryKey: ['samples.get'] });
    }
  };

  /** Runs a write after the ones already queued; returns when it is done. */
  const enqueue = (job: () => Promise<void>): Promise<void> => {
    setBusy((n) => n + 1);
    const run = queue.current.then(job).finally(() => setBusy((n) => n - 1));
    queue.current = run.catch(() => undefined);
    return run;
  };

  const latest = (id: string): ResultView | undefined =>
    qc.getQueryData<ForSample>(key)?.results.find((r) => r.id === id);

  const setDraft = (id: string, k: number, value: string) => {
    const r = byId.get(id);
    if (!r) return;
    const cur = values(r).slice();
    cur[k] = value;
    setDrafts((d) => ({ ...d, [id]: cur }));
    if (rowState[id]?.error || rowState[id]?.saved) setRowState((s) => ({ ...s, [id]: {} }));
  };

  /** Every input of a row at once (e.g. all units absent). */
  const setValues = (id: string, next: string[]) => {
    setDrafts((d) => ({ ...d, [id]: next }));
    if (rowState[id]?.error || rowState[id]?.saved) setRowState((s) => ({ ...s, [id]: {} }));
  };

  const discard = (id: string) => {
    setDrafts((d) => {
      const { [id]: _drop, ...rest } = d;
      return rest;
    });
    setRowState((s) => ({ ...s, [id]: {} }));
  };

  const dirtyIds = Object.keys(drafts).filter((id) => {
    const r = byId.get(id);
    return r
      ? !same(
          drafts[id]!.map((x) => normalizeFor(r.item, x)),
          serverValues(r, rules),
        )
      : false;
  });

  /** Saves one row's values if they changed (Enter, or focus leaving the row). */
  const saveRow = (id: string): Promise<void> => {
    const r = byId.get(id);
    const draft = drafts[id];
    if (!r || !draft || !editable(r)) return Promise.resolve();
    const plan = isPlanItem(r.item);
    const vals = draft.map((x) => normalizeFor(r.item, x));
    if (same(vals, serverValues(r, rules))) {
      discard(id);
      return Promise.resolve();
    }
    const sig = JSON.stringify(vals);
    if (inflight.current.get(id) === sig) return Promise.resolve();
    const bad = vals.find((v) => !allowedFor(r.item, v));
    if (bad !== undefined) {
      setRowState((s) => ({
        ...s,
        [id]: { error: t(plan ? 'testing.grid.badUnitValue' : 'testing.grid.badValue', { value: bad }) },
      }));
      return Promise.resolve();
    }
    inflight.current.set(id, sig);
    setRowState((s) => ({ ...s, [id]: { saving: true } }));
    return enqueue(async () => {
      try {
        const cur = latest(id);
        const input = {
          id,
          ...(plan ? { unitValues: vals } : { replicates: vals }),
          ...(cur ? { expectedRev: cur.rev } : {}),
        };
        // Typing over a captured value or changing a failing verdict needs a reason: ask, then save again.
        const out = await withReasons(input, (i) => call('results.enter', i));
        merge(out.changed);
        setDrafts((d) => {
          if (!d[id] || JSON.stringify(d[id].map((x) => normalizeFor(r.item, x))) !== sig) return d;
          const { [id]: _drop, ...rest } = d;
          return rest;
        });
        setRowState((s) => ({ ...s, [id]: { saved: true } }));
      } catch (e) {
        setRowState((s) => ({ ...s, [id]: { error: errorMessage(t, e) } }));
      } finally {
        inflight.current.delete(id);
      }
    });
  };

  /** Saves every row with unsaved values (before signing). */
  const saveAll = async (): Promise<void> => {
    await Promise.all(dirtyIds.map((id) => saveRow(id)));
    await queue.current;
  };

  /** Other fields of a row (instrument, external lab), saved through the same queue. */
  const saveFields = (id: string, fields: Omit<ChannelInput<'results.enter'>, 'id'>): Promise<boolean> => {
    let ok = false;
    setRowState((s) => ({ ...s, [id]: { saving: true } }));
    return enqueue(async () => {
      try {
        const cur = latest(id);
        const out = await call('results.enter', { id, ...fields, ...(cur ? { expectedRev: cur.rev } : {}) });
        merge(out.changed);
        setRowState((s) => ({ ...s, [id]: { saved: true } }));
        ok = true;
      } catch (e) {
        setRowState((s) => ({ ...s, [id]: { error: errorMessage(t, e) } }));
      }
    }).then(() => ok);
  };

  /**
   * A block pasted from a spreadsheet into the input (row, col): each line fills a row from
   * that row down, each tab-separated cell the next input to the right; a single column
   * pasted into a sampling-plan unit fills that row's units. Everything in one
   * results.enterMany: all saved, or nothing with the row named. Returns false for a single
   * value (the browser pastes it as usual).
   */
  const paste = (id: string, col: number, text: string): boolean => {
    const matrix = parseClipboard(text);
    if (matrix.length === 0 || (matrix.length === 1 && matrix[0]!.length <= 1)) return false;
    const start = nav.findIndex((n) => n.id === id);
    if (start < 0) return false;
    const first = nav[start]!;
    const fills: Array<{ row: NavRow; cells: string[]; from: number }> = [];
    if (first.plan && matrix.every((l) => l.length === 1)) {
      fills.push({ row: first, cells: matrix.map((l) => l[0] ?? ''), from: col });
    } else {
      for (let j = 0; j < matrix.length; j++) {
        const row = nav[start + j];
        if (!row) {
          setPasteError(t('testing.paste.tooManyLines', { lines: matrix.length, rows: nav.length - start }));
          return true;
        }
        fills.push({ row, cells: matrix[j]!, from: j === 0 ? col : Math.min(col, row.count - 1) });
      }
    }
    const entries: Array<{ id: string; replicates?: string[]; unitValues?: string[] }> = [];
    for (const f of fills) {
      const r = byId.get(f.row.id)!;
      const next = values(r).slice();
      if (f.from + f.cells.length > f.row.count) {
        setPasteError(
          t('testing.paste.tooManyValues', { item: nameOf(r.id), count: f.row.count, got: f.from + f.cells.length }),
        );
        return true;
      }
      f.cells.forEach((c, i) => {
        next[f.from + i] = normalizeFor(r.item, c);
      });
      const bad = next.find((v) => !allowedFor(r.item, v));
      if (bad !== undefined) {
        setPasteError(t('testing.paste.badValue', { item: nameOf(r.id), value: bad }));
        return true;
      }
      // The revision on screen (D-097): a row someone else changed meanwhile refuses the paste.
      const rev = { expectedRev: r.rev };
      entries.push(f.row.plan ? { id: r.id, unitValues: next, ...rev } : { id: r.id, replicates: next, ...rev });
    }
    setPasteError(null);
    setPasting(true);
    void enqueue(async () => {
      try {
        const out = await withReasons({ entries }, (i) => call('results.enterMany', i));
        merge(out.changed);
        setDrafts((d) => {
          const rest = { ...d };
          for (const e of entries) delete rest[e.id];
          return rest;
        });
        setRowState((s) => {
          const n = { ...s };
          for (const e of entries) n[e.id] = { saved: true };
          return n;
        });
      } catch (e) {
        setPasteError(
          pasteFailure(
            t,
            e,
            entries.map((x) => nameOf(x.id)),
          ),
        );
      } finally {
        setPasting(false);
      }
    });
    return true;
  };

  return {
    results,
    rules,
    live,
    nav,
    drafts,
    rowState,
    values,
    setDraft,
    setValues,
    discard,
    saveRow,
    saveAll,
    saveFields,
    paste,
    pasting,
    pasteError,
    clearPasteError: () => setPasteError(null),
    dirty: dirtyIds.length,
    /** Rows with values typed but not saved: only these say 未保存. */
    isDirty: (id: string) => dirtyIds.includes(id),
    busy: busy > 0,
    merge,
  };
}

/** The refused paste's message, naming the row the server pointed at. */
function pasteFailure(t: TFunction, e: unknown, names: string[]): string {
  let index: number | null = null;
  if (e instanceof ApiError) {
    const d = e.error.details ?? {};
    if (typeof d['row'] === 'number') index = d['row'] - 1;
    const issues = d['issues'];
    if (index === null && Array.isArray(issues)) {
      const path = (issues[0] as { path?: unknown } | undefined)?.path;
      const parts = Array.isArray(path) ? path : typeof path === 'string' ? path.split('.') : [];
      const i = parts.findIndex((p) => p === 'entries');
      if (i >= 0 && parts[i + 1] !== undefined) index = Number(parts[i + 1]);
    }
  }
  const message = errorMessage(t, e);
  const item = index !== null && names[index] ? names[index] : null;
  return item
    ? t('testing.paste.refusedAt', { item, row: (index ?? 0) + 1, message })
    : t('testing.paste.refused', { message });
}

export type Entry = ReturnType<typeof useEntry>;
export type Live = Map<string, ComputedResult>;
