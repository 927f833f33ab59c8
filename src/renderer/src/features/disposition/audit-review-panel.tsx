import { useState, type Ref } from 'react';
import { Anchor, Badge, Button, Group, Loader, Paper, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../core/api/hooks';
import { call } from '../../core/api/client';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { hasPermission, useSession } from '../../core/session';
import { SignatureDialog } from '../../ui/signature-dialog';
import { invalidateLotViews } from './decision-actions';
import { auditField, auditValue, MACHINE_FIELDS, subjectOf } from './audit-words';
import { AuditSummaryBlock } from './audit-summary-block';
import { usePersonName } from '../../ui/person';

type Entry = NonNullable<ReturnType<typeof useCall<'disposition.auditEntries'>>['data']>['entries'][number];

const CHANGES_SHOWN = 4;

/**
 * The lot's audit-trail review (EU GMP Annex 11 §9, as part of batch release): exactly the
 * entries of the lot's records not yet covered by a signed review, and the QA manager's
 * signature (`audit_reviewed`) through the ledger head the list was read at. Entries added
 * after that are not covered, and the server refuses a review that would skip any.
 */
export function AuditReviewPanel({ lotCode, ref }: { lotCode: string; ref?: Ref<HTMLDivElement> }) {
  const { t } = useTranslation();
  const personName = usePersonName();
  const session = useSession();
  const qc = useQueryClient();
  const [onlyUnreviewed, setOnlyUnreviewed] = useState(true);
  const [signing, setSigning] = useState(false);
  // The summary of exceptions first (issue 22 §5); the full list for those who want it.
  const [showAll, setShowAll] = useState(false);
  const summary = useCall('disposition.auditSummary', { lotCode }, { staleTime: 0 });
  const q = useCall('disposition.auditEntries', { lotCode, onlyUnreviewed }, { staleTime: 0 });
  const canReview = hasPermission(session, 'audit.review') && !session.readOnly;
  const data = q.data;
  const toReview = data ? data.entries.filter((e) => e.unreviewed).length : 0;

  return (
    <Paper withBorder p="md" ref={ref} data-testid="audit-review" data-to-review={toReview}>
      <Group justify="space-between" align="flex-start" mb="xs">
        <Stack gap={2}>
          <Title order={4}>{t('disposition.audit.title')}</Title>
          <Text size="sm" c="dimmed" maw={760}>
            {t('disposition.audit.intro')}
          </Text>
        </Stack>
        <Switch
          checked={onlyUnreviewed}
          onChange={(e) => setOnlyUnreviewed(e.currentTarget.checked)}
          label={t('disposition.audit.onlyUnreviewed')}
          data-testid="audit-only-unreviewed"
        />
      </Group>
      {q.isLoading ? <Loader size="sm" /> : null}
      <ErrorAlert error={q.error} />
      {data ? (
        <Stack gap="xs">
          <Group gap="sm" justify="space-between">
            <Text size="sm" data-testid="audit-last-review">
              {data.lastReview
                ? t('disposition.audit.lastReview', {
                    seq: data.lastReview.throughSeq,
                    by: personName(data.lastReview.reviewedBy),
                    at: formatTime(data.lastReview.reviewedAt),
                    comment: data.lastReview.comment,
                  })
                : t('disposition.audit.neverReviewed')}
            </Text>
            <Badge
              color={toReview > 0 ? 'orange' : 'green'}
              variant={toReview > 0 ? 'filled' : 'light'}
              tt="none"
              data-testid="audit-to-review"
              data-count={toReview}
            >
              {toReview > 0
                ? t('disposition.audit.toReview', { count: toReview, head: data.headSeq })
                : t('disposition.audit.allReviewed')}
            </Badge>
          </Group>
          <ErrorAlert error={summary.error} />
          {summary.data ? (
            <AuditSummaryBlock summary={summary.data} />
          ) : summary.isLoading ? (
            <Loader size="sm" />
          ) : null}
          <Group gap="sm">
            <Button
              variant="default"
              size="xs"
              onClick={() => setShowAll(!showAll)}
              data-testid="audit-show-all"
              aria-expanded={showAll}
            >
              {showAll ? t('auditWords.hideAll') : t('auditWords.showAll', { count: data.entries.length })}
            </Button>
          </Group>
          {!showAll ? null : data.entries.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="audit-empty">
              {onlyUnreviewed ? t('disposition.audit.nothingToReview') : t('disposition.audit.noEntries')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={900} maxHeight={460}>
              <Table fz="xs" verticalSpacing={4} striped stickyHeader data-testid="audit-entries">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('audit.seq')}</Table.Th>
                    <Table.Th>{t('audit.at')}</Table.Th>
                    <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('audit.who')}</Table.Th>
                    <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('audit.action')}</Table.Th>
                    <Table.Th>{t('audit.record')}</Table.Th>
                    <Table.Th>{t('audit.reason')}</Table.Th>
                    <Table.Th>{t('disposition.audit.changes')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.entries.map((e) => (
                    <EntryRow key={e.seq} e={e} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {canReview ? (
            <Group gap="sm">
              <Button
                color="indigo"
                onClick={() => setSigning(true)}
                disabled={toReview === 0 || !summary.data}
                data-testid="audit-sign"
              >
                {t('disposition.audit.sign')}
              </Button>
              {toReview > 0 && !onlyUnreviewed ? (
                <Text size="xs" c="dimmed">
                  {t('disposition.audit.signCovers', { head: data.headSeq })}
                </Text>
              ) : null}
            </Group>
          ) : (
            <Text size="xs" c="dimmed">
              {t('disposition.audit.qaOnly')}
            </Text>
          )}
          <SignatureDialog
            opened={signing}
            onClose={() => setSigning(false)}
            meanings={['audit_reviewed']}
            commentRequired
            commentLabel={t('disposition.audit.comment')}
            commentDescription={t('disposition.audit.commentHelp')}
            summary={
              <Stack gap={2}>
                <Text fw={700} data-testid="audit-sign-summary">
                  {t('disposition.audit.signSummary', { code: lotCode, count: toReview, head: data.headSeq })}
                </Text>
                {summary.data ? (
                  <Text size="sm" data-testid="audit-sign-exceptions">
                    {t('auditWords.signAttests', {
                      count: summary.data.exceptions.length,
                      hash: summary.data.hash.slice(0, 12),
                    })}
                  </Text>
                ) : null}
              </Stack>
            }
            onSign={async (v) => {
              try {
                await call('disposition.auditReview', {
                  lotCode,
                  throughSeq: data.headSeq,
                  comment: v.comment ?? '',
                  signature: { password: v.password, meaning: v.meaning },
                  // The signature records which summary was read (refused if it changed since).
                  ...(summary.data ? { summaryHash: summary.data.hash } : {}),
                });
              } catch (err) {
                // A stale list (entries added since it was read) must be reloaded and read again.
                void q.refetch();
                void summary.refetch();
                throw err;
              }
              notifications.show({ color: 'green', message: t('disposition.audit.signed', { code: lotCode }) });
              void invalidateLotViews(qc);
              void summary.refetch();
            }}
          />
        </Stack>
      ) : null}
    </Paper>
  );
}

const FLAGGED_ENTITIES: ReadonlySet<string> = new Set(['verdict_change', 'micro_hold']);

/** Fields that hold a person (a user id): shown by printed name (issue 22). */
const PERSON_FIELD = /(^|_)(by|user|analyst|signer|reviewer)$|^(submitted_by|reviewed_by|decided_by|assigned_to)$/;

function EntryRow({ e }: { e: Entry }) {
  const { t, i18n } = useTranslation();
  const personName = usePersonName();
  const valueOf = (field: string, v: string | null): string =>
    v && PERSON_FIELD.test(field) ? personName(v) : auditValue(t, e.entity, field, v);
  const [all, setAll] = useState(false);
  // A new record's `retired: 0` says nothing to a reviewer.
  // Internal references (record ids) say nothing to a reviewer: the row names the record by its business keys.
  const changes = e.changes.filter(
    (c) =>
      !(c.field === 'retired' && c.from === null && c.to === '0') && !/(^|_)ids?$/.test(c.field) && !MACHINE_FIELDS.has(c.field),
  );
  const shown = all ? changes : changes.slice(0, CHANGES_SHOWN);
  // Records a reviewer must not miss: a failing verdict changed before submission, an automatic micro hold.
  const flagged = FLAGGED_ENTITIES.has(e.entity);
  return (
    <Table.Tr
      data-testid={`audit-entry-${e.seq}`}
      data-unreviewed={String(e.unreviewed)}
      data-flagged={flagged ? 'true' : undefined}
      bg={flagged ? 'var(--mantine-color-red-0)' : undefined}
      style={e.unreviewed ? { boxShadow: 'inset 3px 0 0 var(--mantine-color-orange-5)' } : undefined}
    >
      <Table.Td ff="monospace" fw={600}>
        #{e.seq}
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTime(e.at)}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="xs" fw={600}>
          {e.actorName}
        </Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{t(`audit.actions.${e.action}`, { defaultValue: e.action })}</Table.Td>
      <Table.Td>
        <Text size="xs">
          {t(`disposition.entities.${e.entity}`, {
            defaultValue: t(`audit.entities.${e.entity}`, { defaultValue: e.entity }),
          })}
        </Text>
        {e.keys.lot || e.keys.sample ? (
          <Text size="xs" c="dimmed">
            {subjectOf(t, i18n.language, e.keys)}
          </Text>
        ) : null}
        {flagged ? (
          <Badge color="red" size="xs" tt="none" data-testid={`audit-flag-${e.seq}`}>
            {t(`disposition.audit.flags.${e.entity}`)}
          </Badge>
        ) : null}
      </Table.Td>
      <Table.Td maw={220}>{e.reason ?? '—'}</Table.Td>
      <Table.Td maw={420}>
        {changes.length === 0 ? (
          <Text size="xs" c="dimmed">
            —
          </Text>
        ) : (
          <Stack gap={0} align="flex-start">
            {shown.map((c) => (
              <Text key={c.field} size="xs" style={{ wordBreak: 'break-word' }}>
                <Text span size="xs" fw={600}>
                  {auditField(t, c.field)}
                </Text>
                {t('auditWords.colon')}
                {c.from !== null ? (
                  <>
                    <Text span size="xs" c="red.8" td="line-through">
                      {valueOf(c.field, c.from)}
                    </Text>
                    {' → '}
                  </>
                ) : null}
                <Text span size="xs" c="green.9">
                  {valueOf(c.field, c.to)}
                </Text>
              </Text>
            ))}
            {changes.length > CHANGES_SHOWN ? (
              <Anchor component="button" type="button" size="xs" onClick={() => setAll(!all)}>
                {all
                  ? t('disposition.audit.fewer')
                  : t('disposition.audit.more', { count: changes.length - CHANGES_SHOWN })}
              </Anchor>
            ) : null}
          </Stack>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
