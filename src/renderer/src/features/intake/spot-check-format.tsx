import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import { href } from '../../core/router';

export type SpotCheck = ChannelOutput<'spotChecks.get'>;
export type LegacyAppeal = ChannelOutput<'appeals.list'>[number];

/** `#/appeals?code=<code>`: the register with one spot check open. */
export function spotCheckHref(code: string): string {
  return href('/appeals', { code });
}

const stageColor: Record<SpotCheck['stage'], string> = {
  conforming: 'green',
  open: 'red',
  applied: 'blue',
  retesting: 'violet',
  closed: 'gray',
};

export function SpotCheckStageBadge({ stage, closure }: { stage: SpotCheck['stage']; closure: SpotCheck['closure'] }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={stageColor[stage]}
      variant={stage === 'open' ? 'filled' : 'light'}
      tt="none"
      data-testid="spot-check-stage"
      data-stage={stage}
    >
      {t(`spotChecks.stages.${stage}`)}
      {closure ? ` · ${t(`spotChecks.closures.${closure}`)}` : ''}
    </Badge>
  );
}

/** The rule the deadlines follow, with its source; an unverified rule says so. */
export function RetestRuleBadge({ rule }: { rule: SpotCheck['rule'] }) {
  const { t, i18n } = useTranslation();
  const source = i18n.language.startsWith('zh') ? rule.sourceZh : rule.sourceEn;
  return (
    <Tooltip label={source} multiline maw={360} withArrow>
      <Badge
        color={rule.verified ? 'teal' : 'orange'}
        variant="light"
        tt="none"
        data-testid="spot-check-rule"
        data-verified={String(rule.verified)}
      >
        {t(`spotChecks.rules.${rule.id}`)}
        {rule.verified ? '' : ` · ${t('spotChecks.unverified')}`}
      </Badge>
    </Tooltip>
  );
}
