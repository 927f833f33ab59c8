import { useState } from 'react';
import { Anchor, Badge, Group, Paper, Stack, Table, Text, ThemeIcon, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Readiness } from '../../../../shared/contract/channels/disposition';
import { LabelComparison, ResultDrawer } from '../../core/slots';
import {
  evidenceHref,
  evidenceLabel,
  evidenceWords,
  lineText,
  lineTitle,
  noteText,
  ReadyBadge,
  type Evidence,
} from './disposition-format';

/** A tick or a cross, drawn (the app has no icon font). */
export function OkIcon({ ok }: { ok: boolean }) {
  return (
    <ThemeIcon color={ok ? 'green' : 'red'} radius="xl" size={22} variant={ok ? 'light' : 'filled'} aria-hidden>
      <svg width="12" height="12" viewBox="0 0 12 12">
        {ok ? (
          <path d="M2 6.4 4.8 9 10 3" stroke="currentColor" strokeWidth="2" fill="none" strokeLinecap="round" />
        ) : (
          <path d="M3 3l6 6M9 3l-6 6" stroke="currentColor" strokeWidth="2" fill="none" strokeLinecap="round" />
        )}
      </svg>
    </ThemeIcon>
  );
}

/**
 * The release checklist (issue 11 §1): one line per readiness condition computed by the
 * server, each with its explanation and the records that prove it (or show why not).
 */
export function ReadinessChecklist({
  readiness,
  onOpenAudit,
}: {
  readiness: Readiness;
  /** The audit line's evidence is the review panel on the same page. */
  onOpenAudit: () => void;
}) {
  const { t } = useTranslation();
  const [result, setResult] = useState<string | null>(null);
  const failing = readiness.lines.filter((l) => !l.ok).length;
  return (
    <Paper withBorder p="md" data-testid="readiness" data-ready={String(readiness.ready)}>
      <Group justify="space-between" align="flex-start" mb="xs">
        <Stack gap={2}>
          <Title order={4}>{t('disposition.checklistTitle')}</Title>
          <Text size="sm" c="dimmed">
            {t(`disposition.checklistIntro.${readiness.lotKind}`, {
              defaultValue: t('disposition.checklistIntro.other'),
            })}
          </Text>
        </Stack>
        <ReadyBadge ready={readiness.ready} failing={failing} size="lg" />
      </Group>
      <Table verticalSpacing={6} horizontalSpacing="xs" fz="sm" data-testid="readiness-lines">
        <Table.Tbody>
          {readiness.lines.map((l) => (
            <Table.Tr key={l.key} data-testid={`line-${l.key}`} data-ok={String(l.ok)}>
              <Table.Td w={34} style={{ verticalAlign: 'top' }}>
                <OkIcon ok={l.ok} />
              </Table.Td>
              <Table.Td w={340} style={{ verticalAlign: 'top' }}>
                <Text fw={700} size="sm" c={l.ok ? undefined : 'red.9'}>
                  {lineTitle(t, l.key)}
                </Text>
                {!l.ok ? (
                  <Badge color="red" variant="light" size="xs" tt="none">
                    {t('disposition.blocksRelease')}
                  </Badge>
                ) : null}
              </Table.Td>
              <Table.Td style={{ verticalAlign: 'top' }}>
                <Text size="sm" data-testid={`line-${l.key}-text`}>
                  {lineText(t, l.key, l.ok, l.details)}
                </Text>
                {l.evidence.length > 0 ? (
                  <Group gap={6} mt={4} data-testid={`line-${l.key}-evidence`}>
                    <Text size="xs" c="dimmed">
                      {t('disposition.evidence')}:
                    </Text>
                    {l.evidence.map((e, i) => (
                      <EvidenceLink
                        key={`${e.kind}-${e.ref}-${i}`}
                        e={e}
                        lotCode={readiness.lotCode}
                        onResult={setResult}
                        onAudit={onOpenAudit}
                      />
                    ))}
                  </Group>
                ) : null}
                {l.key === 'label_values' && l.details['declared'] !== '0' ? (
                  <LabelComparison lotCode={readiness.lotCode} />
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ResultDrawer id={result} onClose={() => setResult(null)} onSelect={setResult} />
    </Paper>
  );
}

function EvidenceLink({
  e,
  lotCode,
  onResult,
  onAudit,
}: {
  e: Evidence;
  lotCode: string;
  onResult: (id: string) => void;
  onAudit: () => void;
}) {
  const { t } = useTranslation();
  const note = noteText(t, e);
  const label =
    e.kind === 'audit'
      ? t('disposition.auditEvidence', { count: Number(e.label) || 0 })
      : e.kind === 'verification'
        ? t('disposition.verificationEvidence')
        : e.labelText
          ? evidenceWords(t, e.labelText)
          : evidenceLabel(t, e.label);
  const to = evidenceHref(e, lotCode);
  const common = { size: 'xs', ff: e.kind === 'audit' || e.kind === 'verification' ? undefined : 'monospace' } as const;
  const testId = `evidence-${e.kind}-${e.label}`;
  let link;
  if (to) {
    link = (
      <Anchor href={to} {...common} data-testid={testId}>
        {label}
      </Anchor>
    );
  } else if (e.kind === 'result') {
    link = (
      <Anchor component="button" type="button" onClick={() => onResult(e.ref)} {...common} data-testid={testId}>
        {label}
      </Anchor>
    );
  } else if (e.kind === 'audit') {
    link = (
      <Anchor component="button" type="button" onClick={onAudit} {...common} data-testid={testId}>
        {label}
      </Anchor>
    );
  } else {
    link = (
      <Text span {...common} data-testid={testId}>
        {label}
      </Text>
    );
  }
  return (
    <Badge
      variant="outline"
      color="gray"
      tt="none"
      radius="sm"
      size="lg"
      fw={400}
      styles={{ label: { display: 'inline-flex', gap: 4, alignItems: 'baseline' } }}
    >
      {link}
      {note && e.kind !== 'audit' ? (
        <Text span size="xs" c="dimmed">
          · {note}
        </Text>
      ) : null}
    </Badge>
  );
}
