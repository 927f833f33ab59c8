import type { TFunction } from 'i18next';
import i18n from '../../core/i18n';
import type { AuditFilter } from '../../../../shared/contract';

/** The filter lives in the URL (`#/audit?entity=user&id=alice`) so any view is linkable. */
export interface AuditFilterParams {
  entity: string;
  id: string;
  user: string;
  action: string;
  /** Local calendar days, YYYY-MM-DD. */
  from: string;
  to: string;
}

export const emptyFilterParams: AuditFilterParams = { entity: '', id: '', user: '', action: '', from: '', to: '' };

export function paramsFromUrl(p: URLSearchParams): AuditFilterParams {
  return {
    entity: p.get('entity') ?? '',
    id: p.get('id') ?? '',
    user: p.get('user') ?? '',
    action: p.get('action') ?? '',
    from: p.get('from') ?? '',
    to: p.get('to') ?? '',
  };
}

/** A local day boundary as an ISO instant: the filter means the user's days, not UTC days. */
function dayStart(day: string): string | undefined {
  const d = new Date(`${day}T00:00:00`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
function dayEnd(day: string): string | undefined {
  const d = new Date(`${day}T23:59:59.999`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function toAuditFilter(p: AuditFilterParams): AuditFilter {
  const f: AuditFilter = {};
  if (p.entity.trim()) f.entity = p.entity.trim();
  if (p.id.trim()) f.entityId = p.id.trim();
  if (p.user.trim()) f.actorId = p.user.trim();
  if (p.action.trim()) f.action = p.action.trim();
  const from = p.from ? dayStart(p.from) : undefined;
  const to = p.to ? dayEnd(p.to) : undefined;
  if (from) f.from = from;
  if (to) f.to = to;
  return f;
}

/** The audit trail's action and entity names as a person reads them; unknown names stay as stored. */
export function actionLabel(t: TFunction, action: string): string {
  return i18n.exists(`audit.actions.${action}`) ? t(`audit.actions.${action}`) : action;
}

export function entityLabel(t: TFunction, entity: string): string {
  return i18n.exists(`audit.entities.${entity}`) ? t(`audit.entities.${entity}`) : entity;
}
