import type { SetupProgress, SetupStepKey } from '../contract/channels/home';
import type { Role } from '../domain/roles';

/**
 * The setup guide (开工向导, issue 22 §1): which step is done, derived from the records
 * (`setup.progress` and, for the company, `site.company.get`), never from a stored flag —
 * so progress is the same on every workstation and resumes where the plant really is.
 */

/** The roles a plant needs before its first lot can be tested and released. */
export const rolesNeeded: readonly Role[] = ['qa_manager', 'technician', 'reviewer', 'production'];

/** Who does each step (the role whose permission the step's channels need). */
export const stepOwner: Record<SetupStepKey, Role> = {
  company: 'administrator',
  lines: 'administrator',
  products: 'qa_manager',
  specification: 'qa_manager',
  users: 'administrator',
  firstLot: 'production',
};

/** The permission that lets the session do the step itself. */
export const stepPermission: Record<SetupStepKey, string> = {
  company: 'settings.manage',
  lines: 'settings.manage',
  products: 'catalog.manage',
  specification: 'specs.edit',
  users: 'users.manage',
  firstLot: 'lots.record',
};

export function stepDone(key: SetupStepKey, p: SetupProgress, companySet: boolean): boolean {
  switch (key) {
    case 'company':
      return companySet;
    case 'lines':
      return p.lines.active > 0;
    case 'products':
      return p.products.total > 0 && p.products.withoutRegistration === 0;
    case 'specification':
      return p.specification.approved > 0 && p.specification.productsWithout === 0;
    case 'users':
      return p.users.missingRoles.length === 0;
    case 'firstLot':
      return p.firstLot.lots > 0;
  }
}

/** Roles not yet held by any active account, in the order the plant needs them. */
export function missingRoles(byRole: Readonly<Record<string, number>>): Role[] {
  return rolesNeeded.filter((r) => !(byRole[r] ?? 0));
}
