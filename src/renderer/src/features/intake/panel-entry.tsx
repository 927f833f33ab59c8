import { useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Kbd,
  Loader,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ResultView } from '../../../../shared/contract/channels/testing';
import { call } from '../../core/api/client';
import { errorMessage } from '../../core/api/errors';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { SignatureDialog } from '../../ui/signature-dialog';
import { RecordCapture } from '../../core/slots';
import { num } from '../../ui/format';
import { ResultStatusBadge, testingSampleHref, VerdictBadge } from '../../ui/result';
import { nameOf, type IntakeCheck, type IntakeDetail } from './intake-format';

const EDITABLE = new Set(['pending', 'entered', 'returned']);
/** What a bench value may be: a decimal, or a censored value (ND, <LOD, <x). */
const VALUE = /^(-?\d+(\.\d+)?|ND|<LOD|<\d+(\.\d+)?)$/;

interface Row {
  check: IntakeCheck;
  result: ResultView | undefined;
}

/** Refreshes everything the intake screen shows after a write. */
export function useIntakeRefresh() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ['intake.get'] });
    void qc.invalidateQueries({ queryKey: ['results.forSample'] });
    void qc.invalidateQueries({ queryKey: ['intake.list'] });
  };
}

/** A range with a negative end (freezing point) reads badly with a dash: -0.560 ~ -0.500. */
export function readableRange(limit: string): string {
  return /^-?[\d.]+–-[\d.]+$/.test(limit) ? limit.replace('–', ' ~ ') : limit;
}

/** The limit as the bench reads it: `≤ 6.0 °C`, `≥ 3.1 g/100g`, or "negative". */
export function limitLabel(t: (k: string) => string, c: Pick<IntakeCheck, 'limitText' | 'unit' | 'screen'>): string {
  if (c.screen || c.limitText === 'negative') return t('intake.panel.limitNegative');
  if (c.limitText === '—' || c.limitText === '?') return c.limitText;
  const text = readableRange(c.limitText);
  return c.unit ? `${text} ${c.unit}` : text;
}

/**
 * The tanker's panel, entered at the bench: one row per check with its limit, the value
 * (numbers with their unit; screens negative / positive), the reported result and its
 * verdict. Keyboard first: Enter saves and moves down; on a screen N = negative,
 * P = positive. The results are the tanker sample's test results (testing model): they are
 * submitted with the analyst's signature (`authored`), and corrected in Testing.
 */
export function PanelEntry({ detail, canEnter }: { detail: IntakeDetail; canEnter: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const sampleCode = detail.intake?.sampleCode ?? '';
  const results = useCall('results.forSample', { sampleCode }, { enabled: !!sampleCode, staleTime: 0 });
  const refresh = useIntakeRefresh();
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState<Record<string, boolean>>({});
  const [signing, setSigning] = useState(false);
  const focusables = useRef(new Map<number, HTMLElement>());
  /** The value last sent per result: Enter then the blur it causes must not save twice. */
  const sent = useRef(new Map<string, string>());

  if (!sampleCode) return null;
  if (results.isLoading) return <Loader />;
  const byId = new Map((results.data?.results ?? []).map((r) => [r.id, r]));
  const rows: Row[] = detail.checks.map((c) => ({ check: c, result: c.resultId ? byId.get(c.resultId) : undefined }));
  const savedValue = (r: ResultView | undefined) =>
    r ? ((r.item.limit_form === 'sampling_plan' ? r.unitValues[0] : r.replicates[0]) ?? '') : '';
  const editable = (row: Row) => canEnter && !!row.result && EDITABLE.has(row.result.status);
  const pending = rows.filter((r) => r.check.timing === 'gating' && r.result?.status === 'pending').length;
  const laterPending = rows.filter((r) => r.check.timing === 'retrospective' && r.result?.status === 'pending').length;
  const toSubmit = rows.filter((r) => r.result && (r.result.status === 'entered' || r.result.status === 'returned'));
  const invalid = toSubmit.filter((r) => r.result?.verdict === 'invalid');

  const focusRow = (i: number) => {
    for (let k = i; k < rows.length && k >= 0; k++) {
      const el = focusables.current.get(k);
      if (el) {
        el.focus();
        if (el instanceof HTMLInputElement && el.type === 'text') el.select();
        return;
      }
    }
  };

  const save = async (row: Row, value: string) => {
    const r = row.result;
    if (!r) return;
    const v = value.trim();
    if (v === savedValue(r) || sent.current.get(r.id) === v) return;
    if (!row.check.screen && v !== '' && !VALUE.test(v)) {
      setErrors((e) => ({ ...e, [r.id]: t('intake.panel.badValue') }));
      return;
    }
    setErrors((e) => ({ ...e, [r.id]: '' }));
    setSaving((s) => ({ ...s, [r.id]: true }));
    sent.current.set(r.id, v);
    try {
      await call(
        'results.enter',
        r.item.limit_form === 'sampling_plan' ? { id: r.id, unitValues: [v] } : { id: r.id, replicates: [v] },
      );
      setDrafts((d) => {
        const next = { ...d };
        delete next[r.id];
        return next;
      });
      refresh();
    } catch (e) {
      sent.current.delete(r.id);
      setErrors((x) => ({ ...x, [r.id]: errorMessage(t, e) }));
    } finally {
      setSaving((s) => ({ ...s, [r.id]: false }));
    }
  };

  const numericKey = (row: Row, i: number) => (e: ReactKeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      void save(row, e.currentTarget.value);
      focusRow(e.key === 'ArrowUp' || (e.key === 'Enter' && e.shiftKey) ? i - 1 : i + 1);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setDrafts((d) => {
        const next = { ...d };
        if (row.result) delete next[row.result.id];
        return next;
      });
    }
  };

  const screenKey = (row: Row, i: number) => (e: ReactKeyboardEvent<HTMLDivElement>) => {
    const k = e.key.toLowerCase();
    if (k === 'n' || k === '-') {
      e.preventDefault();
      void save(row, 'absent');
    } else if (k === 'p' || k === '+') {
      e.preventDefault();
      void save(row, 'present');
    } else if (e.key === 'Enter' || e.key === 'ArrowDown') {
      e.preventDefault();
      focusRow(i + 1);
    }
  };

  return (
    <Paper withBorder p="md" data-testid="intake-panel">
      <Group justify="space-between" align="flex-start" mb="xs">
        <div>
          <Title order={4}>{t('intake.panel.title', { count: rows.length })}</Title>
          <Text size="sm" c="dimmed">
            {t('intake.panel.intro', { sample: sampleCode, panel: detail.intake?.panelCode ?? '—' })}
          </Text>
        </div>
        {canEnter ? (
          <Text size="xs" c="dimmed" ta="right" data-testid="intake-panel-keys">
            <Kbd>Enter</Kbd> {t('intake.panel.keyNext')} · <Kbd>N</Kbd> {t('intake.panel.keyNegative')} · <Kbd>P</Kbd>{' '}
            {t('intake.panel.keyPositive')}
          </Text>
        ) : null}
      </Group>
      {/* A milk analyser's or cryoscope's record fills its checks at once (issue 20 §1). */}
      {canEnter ? <RecordCapture sampleCode={sampleCode} results={results.data?.results ?? []} /> : null}
      <ErrorAlert error={results.error} />
      <Table.ScrollContainer minWidth={900}>
        <Table withTableBorder verticalSpacing={5} horizontalSpacing={8} fz="sm" data-testid="intake-checks">
          <Table.Thead bg="var(--mantine-color-gray-0)">
            <Table.Tr>
              <Table.Th w={28}>#</Table.Th>
              <Table.Th>{t('intake.panel.check')}</Table.Th>
              <Table.Th>{t('intake.panel.limit')}</Table.Th>
              <Table.Th w={230}>{t('intake.panel.value')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('intake.panel.result')}</Table.Th>
              <Table.Th w={96}>{t('intake.panel.verdict')}</Table.Th>
              <Table.Th w={110}>{t('intake.panel.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row, i) => {
              const c = row.check;
              const r = row.result;
              const id = r?.id ?? c.code;
              const draft = r ? drafts[r.id] : undefined;
              const value = draft ?? savedValue(r);
              const fail = c.verdict === 'fail';
              return (
                <Table.Tr
                  key={c.code}
                  data-testid={`check-row-${c.code}`}
                  data-verdict={c.verdict ?? ''}
                  bg={fail ? 'var(--mantine-color-red-0)' : undefined}
                >
                  <Table.Td c="dimmed" style={num}>
                    {i + 1}
                  </Table.Td>
                  <Table.Td maw={320}>
                    <Text size="sm" fw={600} lh={1.3}>
                      {nameOf(c, lang)}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {c.code}
                      {r?.methodCode ? ` · ${r.methodCode}` : ''}
                    </Text>
                    <Group gap={4} mt={2}>
                      {c.timing === 'retrospective' ? (
                        <Badge
                          size="xs"
                          color="grape"
                          variant="light"
                          tt="none"
                          data-testid={`check-retrospective-${c.code}`}
                        >
                          {t('intakeClauses.retrospective')}
                        </Badge>
                      ) : null}
                      {c.rule === 'plant' ? (
                        <Badge
                          size="xs"
                          color="gray"
                          variant="outline"
                          tt="none"
                          data-testid={`check-plant-rule-${c.code}`}
                        >
                          {t('intakeClauses.plantRule')}
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }} data-testid={`check-limit-${c.code}`}>
                    {limitLabel(t, c)}
                  </Table.Td>
                  <Table.Td>
                    {editable(row) ? (
                      c.screen ? (
                        <div onKeyDown={screenKey(row, i)} data-testid={`check-screen-${c.code}`}>
                          <SegmentedControl
                            size="xs"
                            value={value}
                            onChange={(v) => void save(row, v)}
                            data={[
                              { value: 'absent', label: t('intake.panel.negative') },
                              { value: 'present', label: t('intake.panel.positive') },
                            ]}
                            color={value === 'present' ? 'red' : value === 'absent' ? 'green' : 'gray'}
                            ref={(el: HTMLDivElement | null) => {
                              const radio = el?.querySelector<HTMLInputElement>('input[type="radio"]');
                              if (radio) focusables.current.set(i, radio);
                              else focusables.current.delete(i);
                            }}
                            aria-label={nameOf(c, lang)}
                          />
                        </div>
                      ) : (
                        <TextInput
                          size="xs"
                          w={170}
                          value={value}
                          inputMode="decimal"
                          error={errors[id] || undefined}
                          aria-label={nameOf(c, lang)}
                          rightSection={
                            c.unit ? (
                              <Text size="xs" c="dimmed">
                                {c.unit}
                              </Text>
                            ) : null
                          }
                          rightSectionWidth={c.unit ? Math.max(36, c.unit.length * 8 + 12) : undefined}
                          styles={{
                            input: {
                              fontVariantNumeric: 'tabular-nums',
                              fontFamily: 'var(--mantine-font-family-monospace)',
                            },
                          }}
                          ref={(el) => {
                            if (el) focusables.current.set(i, el);
                            else focusables.current.delete(i);
                          }}
                          onChange={(e) => {
                            const v = e.currentTarget.value;
                            if (r) setDrafts((d) => ({ ...d, [r.id]: v }));
                          }}
                          onFocus={(e) => e.currentTarget.select()}
                          onBlur={(e) => void save(row, e.currentTarget.value)}
                          onKeyDown={numericKey(row, i)}
                          data-testid={`check-input-${c.code}`}
                        />
                      )
                    ) : (
                      <Text
                        size="sm"
                        ff="monospace"
                        style={num}
                        ta="left"
                        c={c.screen && savedValue(r) === 'present' ? 'red.7' : undefined}
                        fw={c.screen && savedValue(r) === 'present' ? 700 : undefined}
                        data-testid={`check-value-${c.code}`}
                      >
                        {c.screen
                          ? screenText(t, savedValue(r))
                          : savedValue(r)
                            ? `${savedValue(r)}${c.unit ? ` ${c.unit}` : ''}`
                            : '—'}
                      </Text>
                    )}
                    {c.screen && errors[id] ? (
                      <Text size="xs" c="red">
                        {errors[id]}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td style={num} data-testid={`check-reported-${c.code}`}>
                    {saving[id] ? (
                      <Loader size={12} />
                    ) : c.screen ? (
                      <ScreenBadge value={savedValue(r)} />
                    ) : c.reported ? (
                      `${c.reported}${c.unit ? ` ${c.unit}` : ''}`
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>
                    <VerdictBadge verdict={c.verdict} testId={`check-verdict-${c.code}`} />
                  </Table.Td>
                  <Table.Td>
                    {r ? <ResultStatusBadge status={r.status} testId={`check-status-${c.code}`} /> : null}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      {canEnter ? (
        <Stack gap="xs" mt="sm">
          {invalid.length > 0 ? (
            <Alert color="orange" variant="light" data-testid="intake-panel-invalid">
              {t('intake.panel.invalid', { items: invalid.map((r) => nameOf(r.check, lang)).join('、') })}
            </Alert>
          ) : null}
          <Group justify="space-between">
            <Stack gap={0}>
              <Text size="sm" c={pending > 0 ? 'orange.8' : 'dimmed'} data-testid="intake-panel-remaining">
                {pending > 0
                  ? t('intake.panel.remaining', { count: pending })
                  : toSubmit.length > 0
                    ? t('intake.panel.readyToSubmit', { count: toSubmit.length })
                    : t('intake.panel.allSubmitted')}
              </Text>
              {laterPending > 0 ? (
                <Text size="xs" c="grape.8" data-testid="intake-panel-later">
                  {t('intakeClauses.laterPending', { count: laterPending })}
                </Text>
              ) : null}
            </Stack>
            <Button
              onClick={() => setSigning(true)}
              disabled={toSubmit.length === 0 || invalid.length > 0}
              data-testid="intake-submit-results"
            >
              {t('intake.panel.submit', { count: toSubmit.length })}
            </Button>
          </Group>
        </Stack>
      ) : null}
      {rows.some((r) => r.result && !EDITABLE.has(r.result.status)) ? (
        <Text size="xs" c="dimmed" mt="xs">
          {t('intake.panel.correctHint')}{' '}
          <Anchor href={testingSampleHref(sampleCode)} size="xs" data-testid="intake-open-testing">
            {t('intake.panel.openTesting')}
          </Anchor>
        </Text>
      ) : null}

      <SignatureDialog
        opened={signing}
        onClose={() => setSigning(false)}
        meanings={['authored']}
        summary={
          <Stack gap={2}>
            <Text fw={600}>
              {t('intake.panel.signSummary', { count: toSubmit.length, sample: sampleCode, lot: detail.lot.code })}
            </Text>
            {pending > 0 ? (
              <Text size="sm" c="orange.8">
                {t('intake.panel.signPending', { count: pending })}
              </Text>
            ) : null}
          </Stack>
        }
        onSign={async (s) => {
          await call('results.submit', {
            sampleCode,
            ids: toSubmit.map((r) => r.result!.id),
            signature: { password: s.password, meaning: s.meaning, ...(s.comment ? { comment: s.comment } : {}) },
          });
          refresh();
        }}
      />
    </Paper>
  );
}

function screenText(t: (k: string) => string, v: string): string {
  if (v === 'absent') return t('intake.panel.negative');
  if (v === 'present') return t('intake.panel.positive');
  return '—';
}

function ScreenBadge({ value }: { value: string }) {
  const { t } = useTranslation();
  if (value !== 'absent' && value !== 'present') return <>—</>;
  return (
    <Badge color={value === 'present' ? 'red' : 'green'} variant="light" tt="none" size="sm">
      {value === 'present' ? t('intake.panel.positive') : t('intake.panel.negative')}
    </Badge>
  );
}
