import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entityDef } from '../../src/main/ledger/registry';
import { roles, signatureMeanings } from '../../src/shared/domain/roles';
import {
  localDateIn,
  matchRules,
  ruleSettingValue,
  signedChangeRules,
  type SignedChangeRule,
} from '../../src/shared/domain/signed-changes';
import { evaluateTransaction, rulesByMeaning, type TxSignature } from '../../src/main/ledger/signed-check';

const hasColumn = (entity: string, col: string): boolean => col === 'id' || !!entityDef(entity)?.columns.includes(col);

describe('the signed-change rule table', () => {
  it('names record types, columns, meanings and roles that exist; ids are unique', () => {
    const ids = new Set<string>();
    for (const r of signedChangeRules) {
      expect(ids.has(r.id), r.id).toBe(false);
      ids.add(r.id);
      expect(entityDef(r.entity), `${r.id}: record type ${r.entity}`).toBeDefined();
      if (r.field) expect(hasColumn(r.entity, r.field), `${r.id}: ${r.entity}.${r.field}`).toBe(true);
      for (const w of r.where ?? []) expect(hasColumn(r.entity, w.field), `${r.id}: ${r.entity}.${w.field}`).toBe(true);
      for (const c of r.setting ?? [])
        expect(hasColumn(r.entity, c.field), `${r.id}: ${r.entity}.${c.field}`).toBe(true);
      if (r.ref) {
        expect(hasColumn(r.entity, r.ref.from), `${r.id}: ${r.entity}.${r.ref.from}`).toBe(true);
        expect(hasColumn(r.ref.entity, r.ref.by), `${r.id}: ${r.ref.entity}.${r.ref.by}`).toBe(true);
        expect(hasColumn(r.ref.entity, r.ref.field), `${r.id}: ${r.ref.entity}.${r.ref.field}`).toBe(true);
      }
      if (r.on === 'update') expect(r.field, `${r.id}: an update rule names its field`).toBeDefined();
      for (const m of r.meanings) expect(signatureMeanings).toContain(m);
      for (const role of r.roles) expect(roles).toContain(role);
      expect(r.meanings.length && r.roles.length, r.id).toBeTruthy();
    }
  });

  it('is documented rule by rule in docs/ledger.md §3.3', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'ledger.md'), 'utf8');
    for (const r of signedChangeRules) {
      const documented =
        doc.includes(`\`${r.id}\``) ||
        (r.id.startsWith('lot.create_') && doc.includes('`lot.create_accepted` / `_released` / `_rejected`')) ||
        (r.id.startsWith('lot.import_live_') && doc.includes('`lot.import_live_accepted` / `_released` / `_rejected`'));
      expect(documented, `${r.id} is not in docs/ledger.md`).toBe(true);
    }
  });

  const lotRules = signedChangeRules.filter((r) => r.entity === 'lot');
  const lot = (status: string, kind = 'finished', origin = 'batch') => ({
    id: 'l1',
    status,
    kind,
    origin,
    code: 'FG-1',
  });
  const none = () => null;
  const goLive = (date: string) => (name: string) => (name === 'goLiveDate' ? date : null);

  it('matches a decision by its new value; an update that leaves the field as it was is no decision', () => {
    expect(
      matchRules(
        lotRules,
        { entity: 'lot', action: 'update', before: lot('on_hold'), after: lot('released') },
        none,
      ).map((r) => r.id),
    ).toEqual(['lot.release']);
    expect(
      matchRules(
        lotRules,
        { entity: 'lot', action: 'update', before: lot('released'), after: { ...lot('released'), location: 'B' } },
        none,
      ),
    ).toEqual([]);
    expect(
      matchRules(
        lotRules,
        { entity: 'lot', action: 'update', before: lot('quarantine', 'raw_milk'), after: lot('accepted', 'raw_milk') },
        none,
      ).map((r) => r.id),
    ).toEqual(['lot.accept', 'lot.accept_raw_milk']);
    // Created decided: only an import of history (dated before the go-live date) may.
    expect(
      matchRules(
        lotRules,
        {
          entity: 'lot',
          action: 'create',
          before: null,
          after: { ...lot('released', 'finished', 'import'), lot_date: '2026-11-30' },
        },
        none,
        goLive('2026-12-01'),
      ),
    ).toEqual([]);
    expect(
      matchRules(lotRules, { entity: 'lot', action: 'create', before: null, after: lot('released') }, none).map(
        (r) => r.id,
      ),
    ).toEqual(['lot.create_released']);
    expect(
      matchRules(lotRules, { entity: 'lot', action: 'create', before: null, after: lot('on_hold') }, none),
    ).toEqual([]);
  });

  it('an imported lot created decided is exempt only when dated before the go-live date in force (D-065)', () => {
    const imported = (status: string, lotDate: unknown) => ({
      ...lot(status, 'finished', 'import'),
      lot_date: lotDate,
    });
    const ids = (after: Record<string, unknown>, setting?: (name: string) => unknown) =>
      matchRules(lotRules, { entity: 'lot', action: 'create', before: null, after }, none, setting).map((r) => r.id);
    // History: the date (its first ten characters) sorts before the go-live date.
    expect(ids(imported('released', '2026-11-30'), goLive('2026-12-01'))).toEqual([]);
    expect(ids(imported('rejected', '2026-11-30T23:59:59+08:00'), goLive('2026-12-01'))).toEqual([]);
    // Live: on or after the go-live date, it is decided by a signature like any lot.
    expect(ids(imported('released', '2026-12-01'), goLive('2026-12-01'))).toEqual(['lot.import_live_released']);
    expect(ids(imported('accepted', '2027-01-05 08:00'), goLive('2026-12-01'))).toEqual(['lot.import_live_accepted']);
    expect(ids(imported('rejected', '2026-12-02'), goLive('2026-12-01'))).toEqual(['lot.import_live_rejected']);
    // Undecided imports need nothing, whatever their date.
    expect(ids(imported('quarantine', '2027-01-05'), goLive('2026-12-01'))).toEqual([]);
    // Fail-safe: no date, a date that is not text, or no known go-live date is not history.
    expect(ids(imported('released', null), goLive('2026-12-01'))).toEqual(['lot.import_live_released']);
    expect(ids(imported('released', 20261130), goLive('2026-12-01'))).toEqual(['lot.import_live_released']);
    expect(ids(imported('released', '2026-11-30'))).toEqual(['lot.import_live_released']);
    // The rules made by the app are not touched by the import's rules.
    expect(ids({ ...imported('released', '2026-11-30'), origin: 'batch' }, goLive('2026-12-01'))).toEqual([
      'lot.create_released',
    ]);
  });

  it('the go-live date in force: the setting, else the local date of the database record in the entry’s zone', () => {
    const at = { entryAt: Date.UTC(2026, 11, 5, 10), timeZone: 'Asia/Shanghai', databaseCreatedAt: null };
    expect(ruleSettingValue('goLiveDate', JSON.stringify({ goLiveDate: '2026-10-01' }), at)).toBe('2026-10-01');
    // 2026-11-30 20:00 UTC is 2026-12-01 in Shanghai, still 2026-11-30 in UTC and New York.
    const created = Date.UTC(2026, 10, 30, 20);
    for (const value of [null, JSON.stringify({ goLiveDate: null, idleTimeoutMinutes: 15 }), '{not json', '[1]'])
      expect(ruleSettingValue('goLiveDate', value, { ...at, databaseCreatedAt: created }), String(value)).toBe(
        '2026-12-01',
      );
    expect(
      ruleSettingValue('goLiveDate', null, { ...at, timeZone: 'America/New_York', databaseCreatedAt: created }),
    ).toBe('2026-11-30');
    // No database record yet (its own creation transaction): the entry's time.
    expect(ruleSettingValue('goLiveDate', null, at)).toBe('2026-12-05');
    // An unknown zone counts as UTC; an instant beyond four-digit years gives "".
    expect(localDateIn('Not/AZone', created)).toBe('2026-11-30');
    expect(localDateIn('UTC', 8.64e15)).toBe('');
  });

  it('an override is needed only when the lot used is not accepted or released as it stands', () => {
    const rules = signedChangeRules.filter((r) => r.entity === 'consumption');
    const c = { id: 'c1', input_lot: 'IG-1', origin: 'app' };
    const lookup = (status: string) => (entity: string, by: string, value: unknown) =>
      entity === 'lot' && by === 'code' && value === 'IG-1' ? { code: 'IG-1', status } : null;
    expect(
      matchRules(rules, { entity: 'consumption', action: 'create', before: null, after: c }, lookup('accepted')),
    ).toEqual([]);
    expect(
      matchRules(rules, { entity: 'consumption', action: 'create', before: null, after: c }, lookup('quarantine')).map(
        (r) => r.id,
      ),
    ).toEqual(['consumption.override']);
    expect(
      matchRules(
        rules,
        { entity: 'consumption', action: 'create', before: null, after: { ...c, origin: 'import' } },
        lookup('quarantine'),
      ),
    ).toEqual([]);
  });

  it('property: a change is missing its signature exactly when no signature with a matching meaning is on its record', () => {
    const index = rulesByMeaning(signedChangeRules);
    const release = signedChangeRules.find((r) => r.id === 'lot.release')!;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            entityId: fc.constantFrom('l1', 'l2'),
            meaning: fc.constantFrom('released', 'held', 'authored'),
            valid: fc.boolean(),
            qa: fc.boolean(),
          }),
          { maxLength: 4 },
        ),
        (specs) => {
          const sigs: TxSignature[] = specs.map((s, i) => ({
            seq: 10 + i,
            id: `s${i}`,
            entity: 'lot',
            entityId: s.entityId,
            meaning: s.meaning,
            signer: 'u',
            valid: s.valid,
            signerActive: true,
            signerRoles: s.qa ? ['qa_manager'] : ['technician'],
          }));
          const problems = evaluateTransaction(
            [{ seq: 9, entity: 'lot', id: 'l1', actor: 'u', rules: [release as SignedChangeRule] }],
            sigs,
            index,
          );
          const candidates = sigs.filter((s) => s.entityId === 'l1' && s.meaning === 'released');
          expect(problems.some((p) => p.kind === 'signature_missing')).toBe(candidates.length === 0);
          // Never a missing signature and a not-entitled one for the same change.
          const entitled = candidates.some((s) => s.valid && s.signerRoles.includes('qa_manager'));
          if (candidates.some((s) => s.valid) && !entitled)
            expect(problems.some((p) => p.kind === 'signer_not_entitled')).toBe(true);
          if (entitled) expect(problems.filter((p) => p.seq === 9)).toEqual([]);
        },
      ),
    );
  });

  it('the system actor holds unsigned; nobody else does', () => {
    const index = rulesByMeaning(signedChangeRules);
    const hold = signedChangeRules.find((r) => r.id === 'lot.hold')!;
    expect(
      evaluateTransaction([{ seq: 1, entity: 'lot', id: 'l1', actor: 'system', rules: [hold] }], [], index),
    ).toEqual([]);
    expect(
      evaluateTransaction([{ seq: 1, entity: 'lot', id: 'l1', actor: 'tech', rules: [hold] }], [], index).map(
        (p) => p.kind,
      ),
    ).toEqual(['signature_missing']);
  });
});
