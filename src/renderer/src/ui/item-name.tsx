import { useTranslation } from 'react-i18next';
import { useCall } from '../core/api/hooks';

/**
 * Product and material names in the screen's language (issue 22 §6). Lots and samples carry
 * the name recorded when they were made (a snapshot, in English); the catalogue holds both
 * names, so lists, the release queue and the sample page show the catalogue's name in the
 * reader's language and fall back to the recorded one for an item the catalogue lacks.
 * Both lists are small and cached for the session.
 */
export function useItemName(): (code: string | null | undefined, recorded?: string | null) => string {
  const { i18n } = useTranslation();
  const zh = i18n.language === 'zh-CN';
  const products = useCall('catalog.products.list', { includeRetired: true }, { staleTime: 5 * 60_000 });
  const materials = useCall('catalog.materials.list', { includeRetired: true }, { staleTime: 5 * 60_000 });
  const byCode = new Map<string, { nameZh: string; nameEn: string }>();
  for (const m of materials.data ?? []) byCode.set(m.code, m);
  for (const p of products.data ?? []) byCode.set(p.code, p);
  return (code, recorded) => {
    const n = code ? byCode.get(code) : undefined;
    if (n) return zh ? n.nameZh : n.nameEn;
    return recorded ?? code ?? '';
  };
}

/** An item's name by its code, in the screen's language. */
export function ItemName({ code, recorded }: { code: string | null | undefined; recorded?: string | null }) {
  const name = useItemName();
  return <>{name(code, recorded)}</>;
}
