import { useQueryClient } from '@tanstack/react-query';
import { callKey } from '../../core/api/hooks';
import type { DrillDetail } from './drills-format';

/** Keeps the drill's query in step with what a write returned (every drill write answers the detail). */
export function useSetDetail(code: string): (d: DrillDetail) => void {
  const qc = useQueryClient();
  return (d) => {
    qc.setQueryData(callKey('drills.get', { code }), d);
    void qc.invalidateQueries({ queryKey: ['drills.list'] });
    void qc.invalidateQueries({ queryKey: ['drills.plan'] });
    void qc.invalidateQueries({ queryKey: ['drills.kpis'] });
  };
}
