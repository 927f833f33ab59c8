import type { SessionView } from '../../../shared/contract';

export interface NavItem {
  key: string;
  /** Shown when the session may use the page at all (the server still decides every call). */
  visible?: (s: SessionView) => boolean;
}

const adminPermissions = ['users.read', 'users.manage', 'settings.manage', 'backup.run'];

export const navItems: NavItem[] = [
  { key: 'home' },
  { key: 'samples' },
  { key: 'testing' },
  { key: 'intake' },
  { key: 'lots' },
  { key: 'trace' },
  { key: 'drills', visible: (s) => s.permissions.includes('lots.read') },
  { key: 'instruments' },
  { key: 'specifications' },
  { key: 'audit' },
  { key: 'admin', visible: (s) => s.permissions.some((p) => adminPermissions.includes(p)) },
];

/** Pages reached from a section (not in the menu themselves) keep that section highlighted. */
export const navParent: Record<string, string> = {
  'setup-guide': 'home',
  catalog: 'specifications',
  specs: 'specifications',
  labels: 'specifications',
  receiving: 'lots',
  batches: 'lots',
  shipments: 'lots',
  stock: 'lots',
  import: 'lots',
  'sample-list': 'samples',
  retention: 'samples',
  sites: 'samples',
  environment: 'samples',
  appeals: 'intake',
  suppliers: 'intake',
  review: 'testing',
  oos: 'testing',
  trends: 'testing',
  release: 'lots',
};
