import type { TraceView } from '../../../../shared/contract/channels/trace';

export type Direction = 'backward' | 'forward';

export interface LotInfo {
  lot: string;
  kind: string;
  itemCode: string;
  depth: number;
  status: string | null;
}

export interface Link {
  /** The lot one step further from the root (an input going backward, an output going forward). */
  lot: string;
  /** Quantity of the input consumed into the output, as recorded. */
  quantity: string;
  unit: string;
}

/**
 * The trace as two adjacency maps (one per direction) built from the consumption edges, so
 * both the expandable tree and the graph walk the same structure. Only lots the trace lists
 * on a side are followed on that side.
 */
export interface Genealogy {
  root: LotInfo;
  info: Map<string, LotInfo>;
  next: Record<Direction, Map<string, Link[]>>;
  count: Record<Direction, number>;
}

export function buildGenealogy(trace: TraceView): Genealogy {
  const info = new Map<string, LotInfo>();
  const root: LotInfo = {
    lot: trace.root.lot,
    kind: trace.root.kind,
    itemCode: trace.root.item_code,
    depth: 0,
    status: trace.statuses[trace.root.lot] ?? null,
  };
  info.set(root.lot, root);
  const sides: Record<Direction, Set<string>> = { backward: new Set([root.lot]), forward: new Set([root.lot]) };
  for (const dir of ['backward', 'forward'] as const) {
    for (const l of trace[dir]) {
      sides[dir].add(l.lot);
      if (!info.has(l.lot)) {
        info.set(l.lot, {
          lot: l.lot,
          kind: l.kind,
          itemCode: l.item_code,
          depth: dir === 'backward' ? -l.depth : l.depth,
          status: trace.statuses[l.lot] ?? null,
        });
      }
    }
  }
  const next: Record<Direction, Map<string, Link[]>> = { backward: new Map(), forward: new Map() };
  const push = (m: Map<string, Link[]>, k: string, v: Link) => {
    const list = m.get(k);
    if (list) {
      if (!list.some((x) => x.lot === v.lot && x.quantity === v.quantity && x.unit === v.unit)) list.push(v);
    } else m.set(k, [v]);
  };
  for (const e of trace.edges) {
    // Backward: from the output to its input, when both are on the backward side.
    if (sides.backward.has(e.to) && sides.backward.has(e.from) && e.from !== root.lot) {
      push(next.backward, e.to, { lot: e.from, quantity: e.quantity, unit: e.unit });
    }
    if (sides.forward.has(e.from) && sides.forward.has(e.to) && e.to !== root.lot) {
      push(next.forward, e.from, { lot: e.to, quantity: e.quantity, unit: e.unit });
    }
  }
  for (const m of [next.backward, next.forward])
    for (const list of m.values()) list.sort((a, b) => a.lot.localeCompare(b.lot));
  return { root, info, next, count: { backward: trace.backward.length, forward: trace.forward.length } };
}

/** Lots in the graph view: the root, the backward and forward lots. */
export function graphSize(g: Genealogy): number {
  return 1 + g.count.backward + g.count.forward;
}

export const GRAPH_MAX_NODES = 40;
