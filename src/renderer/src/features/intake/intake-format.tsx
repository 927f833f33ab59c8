import { Anchor, Badge, Button, Group, Tooltip } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import type { declarationKeys } from '../../../../shared/contract/channels/intake';
import { useCall } from '../../api/hooks';
import { href } from '../../app/router';
import { hasPermission, useSession } from '../../app/session';

export type IntakeDetail = ChannelOutput<'intake.get'>;
export type IntakeCheck = IntakeDetail['checks'][number];
export type IntakeStatus = NonNullable<IntakeDetail['intake']>['status'];
export type Appeal = ChannelOutput<'appeals.list'>[number];
export type Panel = ChannelOutput<'intake.panels.list'>[number];
export type DeclarationKey = (typeof declarationKeys)[number];

/** The three declarations that refuse a tanker outright when not confirmed (第二十四条). */
export const refusingDeclarations: readonly DeclarationKey[] = ['noColostrum', 'noTreatment', 'withdrawalRespected'];

/** `#/intake/<lotCode>`: the intake and decision screen of one tanker. */
export function intakeHref(lotCode: string): string {
  return href(`/intake/${encodeURIComponent(lotCode)}`);
}

export function isZhLang(lang: string): boolean {
  return lang.startsWith('zh');
}

export function nameOf(x: { nameZh: string; nameEn: string }, lang: string): string {
  return isZhLang(lang) ? x.nameZh || x.nameEn : x.nameEn || x.nameZh;
}

export const intakeStatusColor: Record<IntakeStatus, string> = {
  testing: 'blue',
  refused: 'red',
  accepted: 'green',
  rejected: 'red',
};

export function IntakeStatusBadge({ status, size = 'md' }: { status: IntakeStatus | null; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  if (!status) {
    return (
      <Badge
        color="yellow"
        variant="filled"
        autoContrast
        tt="none"
        size={size}
        data-testid="intake-status"
        data-status="awaiting"
      >
        {t('intake.status.awaiting')}
      </Badge>
    );
  }
  return (
    <Badge
      color={intakeStatusColor[status]}
      variant={status === 'testing' ? 'light' : 'filled'}
      tt="none"
      size={size}
      data-testid="intake-status"
      data-status={status}
    >
      {t(`intake.status.${status}`)}
    </Badge>
  );
}

/**
 * A supplier's sampling level: normal (grey) or tightened (orange, with the consecutive
 * passes counted toward normal sampling, e.g. "2 / 5").
 */
export function SamplingLevelBadge({
  level,
  passes,
  required,
  size = 'md',
}: {
  level: 'normal' | 'tightened';
  passes?: number;
  required?: number;
  size?: 'xs' | 'sm' | 'md' | 'lg';
}) {
  const { t } = useTranslation();
  const tight = level === 'tightened';
  const badge = (
    <Badge
      component="span"
      color={tight ? 'orange' : 'gray'}
      variant={tight ? 'filled' : 'light'}
      tt="none"
      size={size}
      data-testid="sampling-level"
      data-level={level}
    >
      {t(`suppliers.levels.${level}`)}
      {tight && passes !== undefined && required !== undefined
        ? ` · ${t('suppliers.passesOf', { passes, required })}`
        : ''}
    </Badge>
  );
  return tight ? (
    <Tooltip label={t('suppliers.tightenedHelp', { required: required ?? '?' })} multiline maw={320} withArrow>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}

/** The supplier's current level, fetched (receiving page, queue rows). */
export function SupplierSamplingBadge({
  supplierCode,
  size = 'sm',
}: {
  supplierCode: string;
  size?: 'xs' | 'sm' | 'md';
}) {
  const s = useCall('suppliers.sampling', { supplierCode }, { staleTime: 30_000, retry: false });
  if (!s.data) return null;
  return (
    <Anchor
      href={href('/suppliers', { history: supplierCode })}
      underline="never"
      data-testid={`sampling-link-${supplierCode}`}
    >
      <SamplingLevelBadge
        level={s.data.level}
        passes={s.data.consecutivePasses}
        required={s.data.passesRequired}
        size={size}
      />
    </Anchor>
  );
}

/**
 * Item names by check code from every panel (built-in included), for reject causes whose
 * check is not on screen (supplier performance, appeals).
 */
export function useCheckNames(): (code: string) => string {
  const { i18n } = useTranslation();
  const panels = useCall('intake.panels.list', {}, { staleTime: 60_000 });
  const names = new Map<string, string>();
  for (const p of panels.data ?? [])
    for (const it of p.items)
      if (!names.has(it.code)) names.set(it.code, isZhLang(i18n.language) ? it.name_zh : it.name_en);
  return (code) => names.get(code) ?? code;
}

/** `check.<code>` → the check's name; `declaration.<key>` → the declaration not confirmed. */
export function causeText(t: TFunction, cause: string, checkName: (code: string) => string): string {
  if (cause.startsWith('check.')) return checkName(cause.slice('check.'.length));
  if (cause.startsWith('declaration.')) {
    const key = cause.slice('declaration.'.length);
    return t('intake.causes.declaration', { label: t(`intake.declarations.${key}`, { defaultValue: key }) });
  }
  return cause;
}

export const appealStatusColor: Record<Appeal['status'], string> = {
  notified: 'yellow',
  applied: 'blue',
  retesting: 'violet',
  closed: 'gray',
  lapsed: 'gray',
};

export function AppealStatusBadge({ status }: { status: Appeal['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={appealStatusColor[status]} variant="light" tt="none" data-testid="appeal-status" data-status={status}>
      {t(`appeals.status.${status}`)}
    </Badge>
  );
}

/** Today (local) as YYYY-MM-DD. */
export function todayIso(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function addDaysIso(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole calendar days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** "3 h 20 min" / "2 d 4 h" from an instant to now. */
export function elapsedSince(t: TFunction, iso: string | null | undefined): string {
  if (!iso) return '—';
  const ms = Date.now() - new Date(iso).getTime();
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const min = Math.floor(ms / 60_000);
  if (min < 60) return t('intake.elapsed.minutes', { m: min });
  const h = Math.floor(min / 60);
  if (h < 48) return t('intake.elapsed.hours', { h, m: min % 60 });
  return t('intake.elapsed.days', { d: Math.floor(h / 24), h: h % 24 });
}

/** The section's pages: bench queue, appeals, supplier performance, panels. */
export function IntakeTabs({ active }: { active: 'bench' | 'appeals' | 'suppliers' | 'panels' | null }) {
  const { t } = useTranslation();
  const session = useSession();
  const tabs = [
    { key: 'bench', path: '/intake' },
    { key: 'appeals', path: '/appeals' },
    { key: 'suppliers', path: '/suppliers' },
    ...(hasPermission(session, 'intake.configure') ? [{ key: 'panels', path: '/intake/panels' }] : []),
  ];
  return (
    <Group gap="xs" data-testid="intake-tabs">
      {tabs.map((tab) => (
        <Button
          key={tab.key}
          component="a"
          href={href(tab.path)}
          size="xs"
          variant={active === tab.key ? 'filled' : 'light'}
          data-testid={`intake-tab-${tab.key}`}
        >
          {t(`intake.tabs.${tab.key}`)}
        </Button>
      ))}
    </Group>
  );
}
