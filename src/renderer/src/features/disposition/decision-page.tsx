import { useRef } from 'react';
import { ItemName } from '../../ui/item-name';
import { Alert, Anchor, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { KindLabel, lotHref, StatusBadge, traceHref } from '../../ui/lot';
import { AuditReviewPanel } from './audit-review-panel';
import { DecisionActions } from './decision-actions';
import { ImfBadge } from './disposition-format';
import { releaseHref } from '../../ui/lot';
import { LotDocuments } from './lot-documents';
import { ReadinessChecklist } from './readiness-checklist';

/**
 * `#/release/<lotCode>`: everything the QA manager needs to decide one lot: the readiness
 * checklist with its evidence, the signed decisions, the lot's audit-trail review, and the
 * certificate of analysis and dossier.
 */
export function DecisionPage({ code }: { code: string }) {
  const { t } = useTranslation();
  const readiness = useCall('disposition.readiness', { lotCode: code }, { staleTime: 0, retry: false });
  const audit = useRef<HTMLDivElement>(null);
  const notFound = readiness.error instanceof ApiError && readiness.error.code === 'not_found';
  const openAudit = () => audit.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });

  if (readiness.isLoading) return <Loader />;
  if (!readiness.data) {
    return (
      <Stack>
        <Anchor href={releaseHref()} size="sm">
          ← {t('disposition.backToQueue')}
        </Anchor>
        {notFound ? (
          <Alert color="red" title={t('trace.notFoundTitle')} data-testid="decision-not-found">
            {t('trace.notFound', { code })}
          </Alert>
        ) : (
          <ErrorAlert error={readiness.error} />
        )}
      </Stack>
    );
  }
  const r = readiness.data;
  const auditLine = r.lines.find((l) => l.key === 'audit_review');
  return (
    <Stack data-testid="decision-page" data-lot={r.lotCode} data-status={r.lotStatus}>
      <Anchor href={releaseHref()} size="sm">
        ← {t('disposition.backToQueue')}
      </Anchor>
      <Paper withBorder p="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={6}>
            <Group gap="sm">
              <KindLabel kind={r.lotKind} />
              <Title order={2} ff="monospace" data-testid="decision-lot-code">
                {r.lotCode}
              </Title>
              <StatusBadge status={r.lotStatus} size="lg" />
              {r.imf ? <ImfBadge /> : null}
            </Group>
            <Text>
              <Text span ff="monospace" fw={600}>
                {r.itemCode}
              </Text>{' '}
              · <ItemName code={r.itemCode} recorded={r.itemName} />
            </Text>
          </Stack>
          <Group gap="xs">
            <Button component="a" href={lotHref(r.lotCode)} variant="default" data-testid="decision-open-lot">
              {t('disposition.openLot')}
            </Button>
            <Button component="a" href={traceHref(r.lotCode)} variant="light">
              {t('lots.openTrace')}
            </Button>
          </Group>
        </Group>
      </Paper>

      <ReadinessChecklist readiness={r} onOpenAudit={openAudit} />
      <DecisionActions readiness={r} />
      {/* The audit-trail review is a release condition of made lots only. */}
      {auditLine ? <AuditReviewPanel lotCode={r.lotCode} ref={audit} /> : null}
      <LotDocuments readiness={r} />
    </Stack>
  );
}
