/** Sample-list filters, as kept in the URL and in saved views. */
export interface SampleFilter {
  kind: string;
  status: string;
  lot: string;
  site: string;
  from: string;
  to: string;
  q: string;
}

export const emptySampleFilter: SampleFilter = { kind: '', status: '', lot: '', site: '', from: '', to: '', q: '' };

export interface SavedView {
  name: string;
  filter: SampleFilter;
}

const KEY = 'lotseal.samples.savedViews';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Saved views of this workstation (a person's presets, not records: kept in localStorage). */
export function loadViews(): SavedView[] {
  const raw = storage()?.getItem(KEY);
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((v): v is SavedView => !!v && typeof (v as SavedView).name === 'string' && typeof (v as SavedView).filter === 'object')
      .map((v) => ({ name: v.name, filter: { ...emptySampleFilter, ...v.filter } }));
  } catch {
    return [];
  }
}

/** Adds or replaces (same name) a view; returns the new list. */
export function saveView(name: string, filter: SampleFilter): SavedView[] {
  const views = loadViews().filter((v) => v.name !== name);
  views.push({ name, filter });
  storage()?.setItem(KEY, JSON.stringify(views));
  return views;
}

export function deleteView(name: string): SavedView[] {
  const views = loadViews().filter((v) => v.name !== name);
  storage()?.setItem(KEY, JSON.stringify(views));
  return views;
}

export function filterFromParams(p: URLSearchParams): SampleFilter {
  return {
    kind: p.get('kind') ?? '',
    status: p.get('status') ?? '',
    lot: p.get('lot') ?? '',
    site: p.get('site') ?? '',
    from: p.get('from') ?? '',
    to: p.get('to') ?? '',
    q: p.get('q') ?? '',
  };
}
