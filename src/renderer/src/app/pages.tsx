import type { ComponentType } from 'react';
import { HomePage } from '../features/home/home-page';
import { AdminPage } from '../features/admin/admin-page';
import { AuditPage } from '../features/audit/audit-page';
import { AccountPage } from '../features/auth/account-page';
import { PlaceholderPage, type PlaceholderKey } from '../features/placeholders/placeholder-page';

function placeholder(which: PlaceholderKey): ComponentType {
  const Page = () => <PlaceholderPage which={which} />;
  Page.displayName = `Placeholder(${which})`;
  return Page;
}

/** Page key (first hash segment) → page. Later capabilities replace their placeholder here. */
export const pages: Record<string, ComponentType> = {
  '': HomePage,
  home: HomePage,
  samples: placeholder('samples'),
  testing: placeholder('testing'),
  lots: placeholder('lots'),
  trace: placeholder('trace'),
  instruments: placeholder('instruments'),
  specifications: placeholder('specifications'),
  audit: AuditPage,
  admin: AdminPage,
  account: AccountPage,
};
