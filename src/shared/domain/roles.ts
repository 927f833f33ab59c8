/**
 * Roles, permissions and signature meanings, exactly as ../shared/guides/domain-model.md
 * fixes them. Every contract channel names one permission (or `public` / `session`); the
 * dispatcher in main checks it. The UI may hide what a role cannot do, but never decides.
 */
export const roles = ['technician', 'reviewer', 'production', 'qa_manager', 'inspector', 'administrator'] as const;
export type Role = (typeof roles)[number];

/** The actor for what no person does (database creation, migrations, scheduled jobs). */
export const SYSTEM_ACTOR = 'system';

export const permissions = [
  // audit trail and the signed store
  'ledger.read',
  'ledger.verify',
  'ledger.export',
  'ledger.reviewFinding',
  'audit.review',
  // identity
  'users.read',
  'users.manage',
  // catalogue and specifications
  'catalog.read',
  'catalog.manage',
  'customers.manage',
  'specs.read',
  'specs.edit',
  'specs.approve',
  // lots and genealogy
  'lots.read',
  'lots.record',
  'lots.decide',
  'lots.hold',
  'erp.import',
  // samples and sampling sites
  'samples.read',
  'samples.register',
  'samples.dispose',
  'sites.manage',
  // testing: results, review, OOS investigations
  'results.read',
  'results.enter',
  'results.review',
  'oos.investigate',
  'oos.conclude',
  // raw milk intake, appeals, sampling levels
  'intake.record',
  'intake.accept',
  'intake.reject',
  'intake.configure',
  // benchtop instruments
  'instruments.read',
  'instruments.manage',
  'instruments.use',
  'instruments.calibrate',
  'instruments.qualify',
  // settings, backups
  'settings.manage',
  'backup.run',
  'backup.restore',
] as const;
export type Permission = (typeof permissions)[number];

const everyone: Permission[] = ['ledger.read', 'catalog.read', 'specs.read', 'lots.read', 'samples.read', 'results.read', 'instruments.read'];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  technician: [...everyone, 'samples.register', 'results.enter', 'oos.investigate', 'intake.record', 'intake.accept', 'instruments.use', 'instruments.calibrate'],
  reviewer: [...everyone, 'results.review', 'oos.investigate', 'lots.hold'],
  production: [...everyone, 'customers.manage', 'lots.record', 'erp.import'],
  qa_manager: [
    ...everyone,
    'ledger.verify',
    'ledger.export',
    'ledger.reviewFinding',
    'audit.review',
    'users.read',
    'catalog.manage',
    'customers.manage',
    'specs.edit',
    'specs.approve',
    'lots.decide',
    'lots.hold',
    'samples.dispose',
    'sites.manage',
    'results.review',
    'oos.investigate',
    'oos.conclude',
    'intake.accept',
    'intake.reject',
    'intake.configure',
    'instruments.calibrate',
    'instruments.qualify',
  ],
  inspector: [...everyone, 'ledger.verify', 'ledger.export', 'users.read'],
  administrator: [...everyone, 'ledger.verify', 'users.read', 'users.manage', 'settings.manage', 'backup.run', 'backup.restore', 'instruments.manage', 'instruments.use'],
};

export function permissionsOf(userRoles: readonly Role[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const r of userRoles) for (const p of rolePermissions[r]) out.add(p);
  return out;
}

/** Segregation of duties: an administrator never also reviews or approves (domain model). */
export const incompatibleRoles: ReadonlyArray<readonly [Role, Role]> = [
  ['administrator', 'reviewer'],
  ['administrator', 'qa_manager'],
];

export function rolesConflict(userRoles: readonly Role[]): [Role, Role] | null {
  for (const [a, b] of incompatibleRoles) if (userRoles.includes(a) && userRoles.includes(b)) return [a, b];
  return null;
}

export const signatureMeanings = [
  'authored',
  'reviewed',
  'approved',
  'released',
  'held',
  'rejected',
  'accepted',
  'invalidated',
  'oos_concluded',
  'drill_completed',
  'finding_reviewed',
  'audit_reviewed',
  'disposed',
  'override',
  // An administrator's identity verification (11.100(b)): an account created, a password
  // reset, roles or printed name changed, a host key enrolled (docs/ledger.md §3.3).
  'enrolled',
  // An administrator's acknowledgement that this host's anchor was ahead of the database
  // (it was replaced by an older copy): recorded instead of a restore (docs/ledger.md §4).
  'acknowledged',
  // A QA manager closes an environmental alert after its negative follow-up swabs (issue 19 §6).
  'alert_closed',
  // A QA manager's confirmation of one table of a specification against the official text:
  // the signature names the standard, edition, table and number of values (issue 22 §4).
  'values_confirmed',
] as const;
export type SignatureMeaning = (typeof signatureMeanings)[number];
