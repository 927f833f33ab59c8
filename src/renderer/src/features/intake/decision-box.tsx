import { useState } from 'react';
import { Alert, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { call } from '../../core/api/client';
import { formatTime } from '../../ui/format';
import { hasPermission, useSession } from '../../core/session';
import { SignatureDialog } from '../../ui/signature-dialog';
import { causeText, nameOf, type IntakeDetail } from './intake-format';
import { useIntakeRefresh } from './panel-entry';
import { usePersonName } from '../../ui/person';

/**
 * What the records propose (accept / reject with its causes / not yet decidable, with what is
 * missing) and the signed decision. Accepting needs every check passed and submitted;
 * rejecting is a QA manager's act (the service refuses another signer), reason required.
 */
export function DecisionBox({ detail }: { detail: IntakeDetail }) {
  const { t, i18n } = useTranslation();
  const personName = usePersonName();
  const session = useSession();
  const refresh = useIntakeRefresh();
  const [signing, setSigning] = useState<'accept' | 'reject' | null>(null);
  const lang = i18n.language;
  const intake = detail.intake;
  if (!intake) return null;
  const checkName = (code: string) => {
    const c = detail.checks.find((x) => x.code === code);
    return c ? nameOf(c, lang) : code;
  };
  const canAccept = hasPermission(session, 'intake.accept') && !session.readOnly;
  const canReject = hasPermission(session, 'intake.reject') && !session.readOnly;
  const decided = intake.status === 'accepted' || intake.status === 'rejected';
  const causes = (decided ? intake.rejectCauses : detail.causes).map((c) => causeText(t, c, checkName));
  const missing = detail.checks.filter((c) => c.timing === 'gating' && (c.verdict === null || c.verdict === 'invalid'));
  const later = detail.pendingRetrospective.map(checkName);
  const unsubmitted = detail.unsubmitted.map(checkName);

  if (decided) {
    const accepted = intake.status === 'accepted';
    const sig = detail.signatures.find((x) => x.meaning === intake.status && x.userId === intake.decidedBy);
    const by = sig ? sig.printedName : personName(intake.decidedBy);
    return (
      <Paper withBorder p="md" data-testid="intake-decision" data-decided={intake.status}>
        <Title order={4} mb="xs">
          {t('intake.decision.title')}
        </Title>
        <Alert
          color={accepted ? 'green' : 'red'}
          variant="filled"
          title={accepted ? t('intake.decision.acceptedTitle') : t('intake.decision.rejectedTitle')}
          data-testid="intake-decision-outcome"
        >
          <Stack gap={4}>
            <Text size="sm">{t('intake.decision.decidedBy', { by, at: formatTime(intake.decidedAt) })}</Text>
            <Text size="sm">
              {t('intake.fields.reason')}: {intake.decisionReason ?? '—'}
            </Text>
            {!accepted && causes.length > 0 ? (
              <Text size="sm">
                {t('intake.fields.causes')}: {causes.join('；')}
              </Text>
            ) : null}
            {!accepted && intake.rejectBasis ? (
              <Text size="sm" fw={700} data-testid="intake-reject-basis" data-basis={intake.rejectBasis}>
                {t(`intakeClauses.rejectBasis.${intake.rejectBasis}`)}
              </Text>
            ) : null}
            <Text size="sm" fw={600}>
              {accepted
                ? later.length > 0
                  ? t('intakeClauses.acceptedRetrospective', { items: later.join('、') })
                  : t('intake.decision.acceptedNext')
                : detail.reportRequired
                  ? t('intake.decision.rejectedNext')
                  : t('intakeClauses.rejectedNoReport')}
            </Text>
          </Stack>
        </Alert>
      </Paper>
    );
  }

  const proposal = detail.proposal;
  const color = proposal === 'accept' ? 'green' : proposal === 'reject' ? 'red' : 'gray';
  const acceptBlocked = proposal !== 'accept' || unsubmitted.length > 0 || detail.documents.blocking;

  return (
    <Paper
      withBorder
      p="md"
      data-testid="intake-decision"
      data-proposal={proposal}
      style={{ borderColor: `var(--mantine-color-${color}-5)`, borderWidth: 2 }}
    >
      <Title order={4} mb="xs">
        {t('intake.decision.title')}
      </Title>
      <Alert
        color={color}
        variant={proposal === 'incomplete' ? 'light' : 'filled'}
        title={t(`intake.decision.proposal.${proposal}`)}
        data-testid="intake-proposal"
        data-proposal={proposal}
      >
        {proposal === 'reject' ? (
          <Stack gap={4}>
            <Text size="sm">{t('intake.decision.causesIntro')}</Text>
            <List size="sm" data-testid="intake-proposal-causes">
              {causes.map((c) => (
                <List.Item key={c}>{c}</List.Item>
              ))}
            </List>
            <Text size="sm" fw={700}>
              {canReject ? t('intake.decision.rejectNextQa') : t('intake.decision.rejectNextTech')}
            </Text>
          </Stack>
        ) : proposal === 'accept' ? (
          <Text size="sm">
            {unsubmitted.length > 0 ? t('intake.decision.acceptAfterSubmit') : t('intake.decision.acceptText')}
          </Text>
        ) : (
          <Stack gap={4}>
            <Text size="sm">{t('intake.decision.incompleteText', { count: missing.length })}</Text>
            {missing.length > 0 ? (
              <Text size="sm" data-testid="intake-proposal-missing">
                {missing.map((c) => nameOf(c, lang)).join('、')}
              </Text>
            ) : null}
          </Stack>
        )}
        {later.length > 0 && proposal !== 'reject' ? (
          <Text size="sm" mt={4} data-testid="intake-proposal-retrospective">
            {t('intakeClauses.retrospectivePending', { items: later.join('、') })}
          </Text>
        ) : null}
        {detail.documents.blocking && proposal !== 'reject' ? (
          <Text size="sm" mt={4} fw={700} data-testid="intake-proposal-documents">
            {t('intakeClauses.documentsBlock')}
          </Text>
        ) : null}
        {unsubmitted.length > 0 ? (
          <Text size="sm" mt={4} data-testid="intake-proposal-unsubmitted">
            {t('intake.decision.unsubmitted', { items: unsubmitted.join('、') })}
          </Text>
        ) : null}
      </Alert>
      <Group justify="flex-end" mt="sm">
        {canReject ? (
          <Button color="red" onClick={() => setSigning('reject')} data-testid="intake-reject">
            {t('intake.decision.reject')}
          </Button>
        ) : null}
        {canAccept && intake.status !== 'refused' && proposal !== 'reject' ? (
          <Button
            color="green"
            disabled={acceptBlocked}
            onClick={() => setSigning('accept')}
            data-testid="intake-accept"
          >
            {t('intake.decision.accept')}
          </Button>
        ) : null}
      </Group>
      {!canReject && proposal === 'reject' ? (
        <Text size="xs" c="dimmed" ta="right" mt={4}>
          {t('intake.decision.onlyQa')}
        </Text>
      ) : null}

      <SignatureDialog
        opened={signing === 'accept'}
        onClose={() => setSigning(null)}
        meanings={['accepted']}
        commentLabel={t('intake.decision.acceptComment')}
        summary={
          <Text fw={600}>
            {t('intake.decision.acceptSummary', { lot: detail.lot.code, supplier: detail.supplier.code })}
          </Text>
        }
        onSign={async (s) => {
          await call('intake.decide', {
            lotCode: detail.lot.code,
            decision: 'accept',
            reason: s.comment ?? t('intake.decision.acceptReason'),
            signature: { password: s.password, meaning: s.meaning },
          });
          refresh();
        }}
      />
      <SignatureDialog
        opened={signing === 'reject'}
        onClose={() => setSigning(null)}
        meanings={['rejected']}
        commentRequired
        commentLabel={t('intake.decision.rejectReason')}
        commentDescription={t('intake.decision.rejectReasonHelp')}
        summary={
          <Stack gap={2}>
            <Text fw={600}>
              {t('intake.decision.rejectSummary', { lot: detail.lot.code, supplier: detail.supplier.code })}
            </Text>
            {causes.length > 0 ? (
              <Text size="sm" c="red.8">
                {t('intake.fields.causes')}: {causes.join('；')}
              </Text>
            ) : null}
          </Stack>
        }
        onSign={async (s) => {
          await call('intake.decide', {
            lotCode: detail.lot.code,
            decision: 'reject',
            reason: s.comment!,
            signature: { password: s.password, meaning: s.meaning },
          });
          refresh();
        }}
      />
    </Paper>
  );
}
