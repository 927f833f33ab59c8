import { Badge, Button, Group } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import type { declarationKeys } from '../../../../shared/contract/channels/intake';
import { useCall } from '../../core/api/hooks';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';

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
