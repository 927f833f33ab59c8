import type { QueryClient } from '@tanstack/react-query';
import type { SpecificationView, SpecVersionView } from '../../../../../shared/contract/channels/catalog';
import { callKey } from '../../../core/api/hooks';

/**
 * Stores the full view of a draft version returned by a write (saveItem, removeItem,
 * setEffective) and patches that version's summary (item and flagged counts, status,
 * effective date) in every cached `specs.list` from it, instead of refetching the lists.
 *
 * A refetch after every confirmation cost a second contract call and one more render of the
 * editor and its whole items table per value, for counts the returned view already holds.
 * The lists are still marked stale, so a screen that mounts later asks the server again.
 */
export function storeVersionView(qc: QueryClient, view: SpecVersionView): void {
  qc.setQueryData(callKey('specs.get', { versionId: view.id }), view);
  qc.setQueriesData<SpecificationView[]>({ queryKey: ['specs.list'] }, (lists) =>
    lists?.map((spec) =>
      spec.id !== view.specId || !spec.versions.some((v) => v.id === view.id)
        ? spec
        : {
            ...spec,
            versions: spec.versions.map((v) =>
              v.id !== view.id
                ? v
                : {
                    ...v,
                    status: view.status,
                    effectiveFrom: view.effectiveFrom,
                    items: view.items.length,
                    flagged: view.flagged.length,
                  },
            ),
          },
    ),
  );
  void qc.invalidateQueries({ queryKey: ['specs.list'], refetchType: 'none' });
}
