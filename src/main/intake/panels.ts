import type { z } from 'zod';
import type { PanelItem, panelViewSchema } from '../../shared/contract/channels/intake';
import { fail } from '../../shared/contract/errors';
import type { TestItem } from '../../shared/rules';
import type { Actor, Ledger } from '../ledger/ledger';
import { BUILT_IN_PANEL, normalisePanelItem } from './built-in-panel';
import { I } from './entities';
import { panelRecord, type IntakeQueries, type PanelRecord } from './queries';
import type { SamplingLevels } from './sampling';

type PanelView = z.infer<typeof panelViewSchema>;

/**
 * The intake panels (issue 9 §1, issue 20 §4): one active panel per supplier and one for the
 * plant, else the built-in GB 19301 panel; a tanker's sample gets the supplier's panel at the
 * supplier's sampling level.
 */
export class Panels {
  constructor(
    private readonly ledger: Ledger,
    private readonly q: IntakeQueries,
    private readonly levels: SamplingLevels,
  ) {}

  private panelView(r: PanelRecord | null, builtIn = false): PanelView {
    if (!r || builtIn) {
      return {
        id: null,
        rev: 0,
        code: 'BUILT-IN',
        nameZh: '默认生鲜乳进厂检验项目（GB 19301-2010）',
        nameEn: 'Default raw milk intake panel (GB 19301-2010)',
        supplierCode: null,
        items: BUILT_IN_PANEL,
        active: true,
        builtIn: true,
      };
    }
    return {
      id: r.id,
      rev: r.rev,
      code: r.code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      supplierCode: r.supplier_code ?? null,
      items: r.items.map(normalisePanelItem),
      active: r.active,
      builtIn: false,
    };
  }

  panels(): PanelView[] {
    const rows = this.q.panels();
    const plant = rows.some((r) => r.supplier_code === null && r.active);
    return [...(plant ? [] : [this.panelView(null, true)]), ...rows.map((r) => this.panelView(r))];
  }

  /** The panel for a supplier: its own active panel, else the plant's, else the built-in one. */
  panelFor(supplierCode: string): PanelView {
    const own = this.q.supplierPanel(supplierCode);
    if (own) return this.panelView(own);
    const plant = this.q.plantPanel();
    return plant ? this.panelView(plant) : this.panelView(null, true);
  }

  savePanel(
    actor: Actor,
    i: {
      id?: string | undefined;
      fields: {
        code: string;
        nameZh: string;
        nameEn: string;
        supplierCode: string | null;
        items: PanelItem[];
        active: boolean;
      };
      reason?: string | undefined;
    },
  ): PanelView {
    const f = i.fields;
    const codes = f.items.map((x) => x.code);
    if (new Set(codes).size !== codes.length) fail('invalid_input', { field: 'items' }, 'errors.panel_item_repeated');
    if (f.supplierCode && !this.q.supplierExists(f.supplierCode))
      fail('not_found', { entity: 'supplier', id: f.supplierCode }, 'errors.supplier_unknown');
    if (i.id && !i.reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
    return this.ledger.write(actor, (w) => {
      if (f.active) {
        // One active panel per supplier (and one for the plant).
        for (const id of this.q.otherActivePanels(f.supplierCode, i.id ?? ''))
          w.update(I.panel, id, { active: 0 }, { reason: `replaced by panel ${f.code}` });
      }
      const fields = {
        code: f.code,
        name_zh: f.nameZh,
        name_en: f.nameEn,
        supplier_code: f.supplierCode,
        items: JSON.stringify(f.items),
        active: f.active ? 1 : 0,
      };
      if (i.id) {
        const cur = w.get(I.panel, i.id);
        if (!cur) fail('not_found', { entity: 'intake_panel', id: i.id });
        if (panelRecord(cur).code !== f.code) fail('invalid_input', { field: 'code' }, 'errors.code_immutable');
        return this.panelView(panelRecord(w.update(I.panel, i.id, fields, { reason: i.reason! })));
      }
      if (this.q.panelCodeTaken(f.code)) fail('conflict', { code: f.code }, 'errors.code_taken');
      return this.panelView(panelRecord(w.create(I.panel, fields)));
    });
  }

  /** The panel items of a supplier at its current sampling level (timing and basis kept). */
  levelItems(supplier: string): PanelItem[] {
    const level = this.levels.sampling(supplier).level;
    return this.panelFor(supplier).items.filter((i) => level === 'tightened' || i.level === 'normal');
  }

  /** The panel items a tanker sample gets: the supplier's panel at the supplier's sampling level. */
  panelItems(lot: { kind: string; supplier_code: string | null }): TestItem[] | null {
    if (lot.kind !== 'raw_milk') return null;
    const supplier = lot.supplier_code;
    if (!supplier) return null;
    return this.levelItems(supplier).map(
      ({ level: _level, screen: _screen, timing: _timing, rule: _rule, ...item }) => item,
    );
  }
}
