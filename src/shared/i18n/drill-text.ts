/**
 * How a drill step's recorded summary reads, in any language: the renderer (drill page) and
 * the evidence pack (main) say the same thing from the same messages.
 */
export type Translate = (key: string, vars?: Record<string, unknown>) => string;

export type DrillStepName = 'affected_lots' | 'stock' | 'customers' | 'mass_balance' | 'documents';

export function drillStepSummary(t: Translate, step: DrillStepName, s: Record<string, unknown>): string {
  const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : Number(s[k] ?? 0));
  switch (step) {
    case 'affected_lots':
      return t('drills.steps.affected_lots.summary', {
        backward: n('backward'),
        forward: n('forward'),
        depth: s['depthLimitReached'] ? t('drills.steps.affected_lots.depthLimit') : '',
      }).trim();
    case 'stock':
      return t('drills.steps.stock.summary', { lots: n('lots'), withStock: n('withStock') });
    case 'customers':
      return t('drills.steps.customers.summary', { customers: n('customers'), shipments: n('shipments') });
    case 'mass_balance':
      return s['accounted_pct'] === null || s['accounted_pct'] === undefined
        ? t('drills.steps.mass_balance.none')
        : t('drills.steps.mass_balance.summary', {
            pct: String(s['accounted_pct']),
            min: String(s['toleranceMin'] ?? ''),
            max: String(s['toleranceMax'] ?? ''),
          });
    case 'documents': {
      const by = (s['byKind'] ?? {}) as Record<string, number>;
      const parts = Object.entries(by).map(([k, v]) => `${t(`drills.docKinds.${k}`, { defaultValue: k })} ${v}`);
      return t('drills.steps.documents.summary', { count: n('documents'), kinds: parts.join(' · ') });
    }
  }
}
