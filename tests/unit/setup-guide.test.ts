import { describe, expect, it } from 'vitest';
import { setupStepKeys, type SetupProgress } from '../../src/shared/contract/channels/home';
import { missingRoles, stepDone, stepOwner, stepPermission } from '../../src/shared/rules/setup-guide';
import { rolePermissions } from '../../src/shared/domain/roles';

const progress = (over: Partial<SetupProgress> = {}): SetupProgress => ({
  lines: { active: 1 },
  products: { total: 2, withoutRegistration: 0 },
  specification: { drafts: 0, approved: 2, productsWithout: 0 },
  users: { byRole: {}, missingRoles: [] },
  firstLot: { lots: 1 },
  ...over,
});

describe('setup guide: each step done from the records (D-076)', () => {
  it('is done when the records say so, and only then', () => {
    const p = progress();
    for (const k of setupStepKeys) expect(stepDone(k, p, true), k).toBe(true);
    expect(stepDone('company', p, false)).toBe(false);
    expect(stepDone('lines', progress({ lines: { active: 0 } }), true)).toBe(false);
    expect(stepDone('products', progress({ products: { total: 0, withoutRegistration: 0 } }), true)).toBe(false);
    expect(stepDone('products', progress({ products: { total: 3, withoutRegistration: 1 } }), true)).toBe(false);
    // A draft is not enough; every product needs an approved version.
    expect(
      stepDone('specification', progress({ specification: { drafts: 1, approved: 0, productsWithout: 1 } }), true),
    ).toBe(false);
    expect(
      stepDone('specification', progress({ specification: { drafts: 0, approved: 1, productsWithout: 1 } }), true),
    ).toBe(false);
    expect(stepDone('users', progress({ users: { byRole: {}, missingRoles: ['reviewer'] } }), true)).toBe(false);
    expect(stepDone('firstLot', progress({ firstLot: { lots: 0 } }), true)).toBe(false);
  });

  it('names the roles a plant still needs, in order', () => {
    expect(missingRoles({ administrator: 1 })).toEqual(['qa_manager', 'technician', 'reviewer', 'production']);
    expect(missingRoles({ administrator: 1, technician: 2, reviewer: 1 })).toEqual(['qa_manager', 'production']);
    expect(missingRoles({ qa_manager: 1, technician: 1, reviewer: 1, production: 1 })).toEqual([]);
  });

  it("says each step's doer is a role that holds the permission the step needs", () => {
    for (const k of setupStepKeys)
      expect(rolePermissions[stepOwner[k]] as readonly string[], k).toContain(stepPermission[k]);
  });
});
