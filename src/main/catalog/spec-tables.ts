import type { SpecTableView } from '../../shared/contract/channels/catalog';
import { fail } from '../../shared/contract/errors';
import { hasNoValue, sameTable, specTables, standardEdition } from '../../shared/catalog/spec-tables';
import type { IdentityService } from '../identity';
import { actorOf } from '../identity';
import { canonical, sha256Hex } from '../ledger/hashing';
import type { Ledger } from '../ledger/ledger';
import { C } from './entities';
import type { CatalogQueries, SpecItemRow } from './queries';
import { itemFromRow } from './spec-documents';

/** What a table confirmation covers, per value: the item and the value as it stood when compared. */
function comparedValue(r: SpecItemRow) {
  const i = itemFromRow(r);
  return {
    item_id: r.id,
    code: i.code,
    name_zh: i.name_zh,
    row: i.origin?.row ?? null,
    unit: i.unit,
    basis: i.basis,
    limit_form: i.limit_form,
    min: i.min,
    max: i.max,
    target: i.target,
    n: i.n,
    c: i.c,
    m: i.m,
    big_m: i.big_m,
  };
}

/**
 * A whole table of a draft specification confirmed against the official text at once, with one
 * personal signature (`values_confirmed`, rule `spec.table_confirm`) whose record names what was
 * compared: the standard, its edition, the table and the number of values (issue 22 §4, D-079).
 */
export class SpecTableConfirmations {
  constructor(
    private readonly ledger: Ledger,
    private readonly identity: IdentityService,
    private readonly q: CatalogQueries,
  ) {}

  /** The tables of a version, each with its state and the confirmation(s) signed for it. */
  tables(versionId: string): SpecTableView[] {
    const rows = this.q.items(versionId);
    const items = rows.map((r) => ({ ...itemFromRow(r), id: r.id }));
    const confirmations = this.q.tableConfirmations(versionId);
    return specTables(items).map((t) => {
      const se = standardEdition(t.standard);
      const last = confirmations
        .filter((c) => c.standard === se.standard && c.edition === se.edition && c.table_no === t.table)
        .at(-1);
      return {
        standard: t.standard,
        table: t.table,
        itemIds: t.items.map((i) => i.id),
        count: t.items.length,
        confirmed: t.items.filter((i) => i.verification === 'confirmed').length,
        unverified: t.items.filter((i) => i.verification === 'unverified').length,
        missing: t.items.filter((i) => i.verification === 'missing').length,
        withoutValue: t.items.filter(hasNoValue).length,
        lastConfirmation: last
          ? {
              id: last.id,
              edition: last.edition,
              itemCount: last.item_count,
              valuesHash: last.values_hash,
              statement: last.statement,
              confirmedBy: last.confirmed_by,
              confirmedByName:
                this.identity.signaturesFor('spec_table_confirmation', last.id)[0]?.printed_name ?? last.confirmed_by,
              confirmedAt: new Date(last.confirmed_at).toISOString(),
            }
          : null,
      };
    });
  }

  /**
   * Confirms every value of one table. `itemIds` are the values the QA manager compared on the
   * screen: if the table changed since (an item added, removed or edited away), the confirmation
   * is refused rather than covering values nobody looked at. Checked again inside the write.
   */
  async confirm(
    signerId: string,
    input: {
      versionId: string;
      standard: string;
      table: string;
      itemIds: readonly string[];
      comment?: string | undefined;
    },
    password: string,
  ): Promise<{ confirmationId: string }> {
    const check = () => {
      const v = this.ledger.get(C.specVersion, input.versionId);
      if (!v) fail('not_found', { entity: 'spec_version', id: input.versionId });
      if (v['status'] !== 'draft')
        fail(
          'record_locked',
          { entity: 'spec_version', id: input.versionId, status: v['status'] },
          'errors.spec_not_draft',
        );
      const rows = this.q.items(input.versionId);
      const group = specTables(rows.map((r) => ({ ...itemFromRow(r), row: r }))).find((t) => sameTable(t, input));
      if (!group)
        fail(
          'not_found',
          { entity: 'spec_table', standard: input.standard, table: input.table },
          'errors.spec_table_unknown',
        );
      const ids = group.items.map((i) => i.row.id);
      const compared = new Set(input.itemIds);
      if (ids.length !== compared.size || ids.some((id) => !compared.has(id)))
        fail('conflict', { standard: input.standard, table: input.table }, 'errors.spec_table_stale');
      const empty = group.items.filter(hasNoValue);
      if (empty.length)
        fail('invalid_input', { items: empty.map((i) => i.name_zh).join('、') }, 'errors.spec_table_without_value');
      return group.items.map((i) => i.row);
    };
    check();
    const signer = await this.identity.authenticateSigner(signerId, password);
    return this.ledger.write(actorOf(signer), (w) => {
      const rows = check();
      const values = rows.map(comparedValue);
      const { standard, edition } = standardEdition(input.standard);
      const statement =
        `已将 ${input.standard} ${input.table} 的 ${rows.length} 项数值与官方标准文本逐项核对，确认一致` +
        ` / ${rows.length} values of ${input.standard} ${input.table} compared value by value against the official text: they agree`;
      const rec = w.create(C.specTableConfirmation, {
        version_id: input.versionId,
        standard,
        edition,
        table_no: input.table,
        item_count: rows.length,
        items: JSON.stringify(values),
        values_hash: sha256Hex(canonical(values)),
        statement,
        confirmed_by: signer.id,
        confirmed_at: w.at,
      });
      for (const r of rows) {
        if (r.verification === 'confirmed') continue; // an earlier confirmation keeps who and when
        w.update(
          C.specItem,
          r.id,
          { verification: 'confirmed', confirmed_by: signer.id, confirmed_at: w.at },
          { reason: `${input.standard} ${input.table}: confirmed with the whole table against the official text` },
        );
      }
      const comment = input.comment ? `${statement}。${input.comment}` : statement;
      this.identity.sign(
        w,
        signer,
        { def: C.specTableConfirmation, id: rec.id },
        { meaning: 'values_confirmed', comment },
      );
      return { confirmationId: rec.id };
    });
  }
}
