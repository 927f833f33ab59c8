import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entityDef } from '../../src/main/ledger/registry';
import { roles, signatureMeanings } from '../../src/shared/domain/roles';
import { matchRules, signedChangeRules, type SignedChangeRule } from '../../src/shared/domain/signed-changes';
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
        (r.id.startsWith('lot.create_') && doc.includes('`lot.create_accepted` / `_released` / `_rejected`'));
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
    // Created decided: only an import of history may.
    expect(
      matchRules(
        lotRules,
        { entity: 'lot', action: 'create', before: null, after: lot('released', 'finished', 'import') },
        none,
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
