import {
  memo,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
  type RefObject,
} from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Loader,
  Modal,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ResultView } from '../../../../shared/contract/channels/testing';
import { isPlanItem, isPresenceAbsence, reportedForReader, type ComputedResult } from '../../../../shared/rules';
import { call } from '../../core/api/client';
import { navigate } from '../../core/router';
import { allowedFor, normalizeFor, normalizeValue, valueAllowed } from './live-compute';
import { itemName, oosHref, reasonText } from './testing-format';
import { num } from '../../ui/format';
import { unitText } from '../../../../shared/i18n/words';
import { ResultStatusBadge, VerdictBadge, type LiveVerdict } from '../../ui/result';
import { EDITABLE, type Entry, type RowState } from './use-entry';
import { CaptureButton, InstrumentPicker } from '../../core/slots';
import { TypedOverReasonHost } from './typed-over';
import { useReportedText } from './reported';
import { VerdictChangeReasonHost } from './verdict-change';
import { MicroExpected, MicroStageBadge } from './micro-panel';

export interface EntryGridProps {
  entry: Entry;
  canEnter: boolean;
  focusId: string | null;
  onOpenDetail: (id: string) => void;
  onCorrect: (r: ResultView) => void;
  onExternal: (r: ResultView) => void;
}

const nowrap = { whiteSpace: 'nowrap' } as const;

/** Long unrounded means (a quotient keeps 50 digits) are shown cut to 4 decimals, marked ≈. */
function shortValue(v: string): string {
  const m = /^(-?\d+)\.(\d+)$/.exec(v);
  if (!m || m[2]!.length <= 4) return v;
  return `≈ ${m[1]}.${m[2]!.slice(0, 4)}`;
}

/** What the row shows: the live computation while values are unsaved, else the server's record. */
type Shown = ReturnType<typeof shown>;
function shown(r: ResultView, c: ComputedResult | undefined, dirty: boolean) {
  if (dirty && c && (r.status === 'pending' || r.status === 'entered' || r.status === 'returned')) {
    return {
      value: c.value,
      reported: c.reported,
      verdict: c.verdict as LiveVerdict,
      reason: c.reason,
      details: { ...c.details },
      waitingFor: [...c.waitingFor],
      preview: true,
    };
  }
  const waiting = r.verdictDetails['waitingFor'];
  return {
    value: r.value,
    reported: r.reported,
    verdict: r.verdict as LiveVerdict,
    reason: r.verdictReason,
    details: r.verdictDetails,
    waitingFor: waiting ? waiting.split(',').map((s) => s.trim()) : [],
    preview: false,
  };
}

/**
 * The entry grid: one row per test. Keyboard first: Enter saves the row and moves down
 * (Shift+Enter up), Tab moves across replicates, Esc drops the row's unsaved values; a block
 * pasted from a spreadsheet fills the rows below in one save.
 */
export function EntryGrid({ entry, canEnter, focusId, onOpenDetail, onCorrect, onExternal }: EntryGridProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const inputs = useRef(new Map<string, HTMLInputElement>());
  /** The replicate column Enter returns to (as in a spreadsheet, Tab does not move it). */
  const anchor = useRef(0);
  const tabbing = useRef(false);
  const { results, live, nav, rowState } = entry;
  const byCode = new Map(results.map((r) => [r.itemCode, r]));
  const nameOfCode = (code: string) => {
    const r = byCode.get(code);
    return r ? itemName(r, lang) : code;
  };
  const liveById = new Map<string, ComputedResult>(live);
  // Any unsaved value anywhere can change calculated items and conversions: preview them all.
  const anyDirty = entry.dirty > 0;

  const focusCell = (id: string, k: number) => {
    const el = inputs.current.get(`${id}:${k}`);
    if (el) {
      el.focus();
      el.select();
    }
  };

  const focusedFor = useRef<string | null>(null);
  useEffect(() => {
    // Once per test asked for (from the worklist), not again when rows are added.
    if (!focusId || focusedFor.current === focusId) return;
    focusedFor.current = focusId;
    const row = document.querySelector(`[data-result-id="${CSS.escape(focusId)}"]`);
    row?.scrollIntoView({ block: 'center' });
    const el = inputs.current.get(`${focusId}:0`);
    if (el) {
      el.focus();
      el.select();
    }
  }, [focusId]);

  // After a scan the scan box is gone or disabled and the focus sits on <body>: put it in the
  // first empty cell, so a gloved hand types at once (issue 22 §7). Once per sample; never
  // taken from a field the person is in.
  const autoFocusedFor = useRef<string | null>(null);
  const firstId = results[0]?.id ?? null;
  useEffect(() => {
    if (!firstId || focusId || autoFocusedFor.current === firstId) return;
    autoFocusedFor.current = firstId;
    const active = document.activeElement;
    if (active && active !== document.body && active.getAttribute('data-testid') !== 'testing-scan') return;
    for (const n of nav) {
      const r = results.find((x) => x.id === n.id);
      if (!r) continue;
      const k = entry.values(r).findIndex((v) => v.trim() === '');
      if (k < 0) continue;
      const el = inputs.current.get(`${n.id}:${k}`);
      if (el) {
        el.scrollIntoView({ block: 'center' });
        el.focus();
        return;
      }
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per sample (firstId), on purpose
  }, [firstId, focusId]);

  const move = (id: string, dir: 1 | -1) => {
    const i = nav.findIndex((n) => n.id === id);
    const next = nav[i + dir];
    if (next) focusCell(next.id, Math.min(anchor.current, next.count - 1));
  };

  const onKey = (r: ResultView) => (e: ReactKeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Tab') {
      tabbing.current = true;
      return;
    }
    if (e.key === 'Enter' || e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const typed = e.currentTarget.value.trim();
      // A label scanned while the cursor is in a value: open that sample instead of saving a code as a result.
      if (
        e.key === 'Enter' &&
        !valueAllowed(normalizeValue(typed), true) &&
        /^[A-Za-z][A-Za-z0-9._/-]{3,}$/.test(typed)
      ) {
        void call('scan.lookup', { code: typed })
          .then((found) => {
            entry.discard(r.id);
            if (found.type === 'sample') navigate(`/testing/sample/${encodeURIComponent(found.code)}`);
            else navigate('/testing', { sample: found.code });
          })
          .catch(() => void entry.saveRow(r.id));
        return;
      }
      void entry.saveRow(r.id);
      move(r.id, e.key === 'ArrowUp' || (e.key === 'Enter' && e.shiftKey) ? -1 : 1);
      return;
    }
    if (e.key === 'Escape') {
      // Drops the row's unsaved values; the cursor stays.
      e.preventDefault();
      entry.discard(r.id);
    }
  };

  // The rows read the latest handlers when they run (a memoised row keeps its props equal
  // while nothing it shows changes).
  const actions = useRef<RowActions | null>(null);
  useLayoutEffect(() => {
    actions.current = {
      entry,
      onOpenDetail,
      onCorrect,
      onExternal,
      onKey: (r, e) => onKey(r)(e),
      onInputFocus: (k) => {
        if (!tabbing.current) anchor.current = k;
        tabbing.current = false;
      },
      focusCell,
    };
  });

  return (
    <Stack gap="xs">
      <TypedOverReasonHost />
      <VerdictChangeReasonHost />
      {entry.pasteError ? (
        <Alert
          color="red"
          variant="light"
          withCloseButton
          onClose={entry.clearPasteError}
          role="alert"
          data-testid="paste-error"
        >
          {entry.pasteError}
        </Alert>
      ) : null}
      <Table.ScrollContainer minWidth={1100}>
        <Table verticalSpacing={6} horizontalSpacing={8} withTableBorder data-testid="entry-grid" fz="sm">
          <Table.Thead bg="var(--mantine-color-gray-0)">
            <Table.Tr>
              {/* Headers never wrap one character per line (issue 22 §7): nowrap, with room for the words. */}
              <Table.Th style={nowrap}>{t('testing.grid.item')}</Table.Th>
              <Table.Th style={nowrap}>{t('testing.grid.entryUnit')}</Table.Th>
              <Table.Th style={nowrap}>{t('testing.grid.values')}</Table.Th>
              <Table.Th style={{ ...nowrap, textAlign: 'right' }} miw={110} data-testid="entry-header-result">
                {t('testing.grid.result')}
              </Table.Th>
              <Table.Th style={nowrap} miw={96}>
                {t('testing.grid.verdict')}
              </Table.Th>
              <Table.Th style={nowrap}>{t('testing.grid.limit')}</Table.Th>
              <Table.Th style={nowrap} miw={124}>
                {t('testing.grid.status')}
              </Table.Th>
              <Table.Th style={nowrap}>{t('testing.grid.instrument')}</Table.Th>
              <Table.Th style={nowrap}>{t('testing.grid.external')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {results.map((r) => {
              const s = shown(r, liveById.get(r.id), anyDirty);
              return (
                <EntryRow
                  key={r.id}
                  r={r}
                  vals={entry.values(r)}
                  s={s}
                  state={rowState[r.id] ?? NO_STATE}
                  focused={focusId === r.id}
                  editable={canEnter && EDITABLE.has(r.status) && !r.calculated}
                  canEnter={canEnter}
                  drafted={!!entry.drafts[r.id]}
                  dirty={entry.isDirty(r.id)}
                  reason={reasonText(t, s.reason, s.details, nameOfCode)}
                  waitingNames={s.waitingFor.map(nameOfCode).join(', ')}
                  inputs={inputs}
                  actions={actions}
                />
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {canEnter ? (
        <Box>
          <Text size="xs" c="dimmed" data-testid="entry-keys-help">
            {t('testing.grid.keysHelp')}
          </Text>
        </Box>
      ) : null}
    </Stack>
  );
}

/** What the rows' handlers reach when they run: the grid's latest state (D-119). */
interface RowActions {
  entry: Entry;
  onOpenDetail: (id: string) => void;
  onCorrect: (r: ResultView) => void;
  onExternal: (r: ResultView) => void;
  onKey: (r: ResultView, e: ReactKeyboardEvent<HTMLInputElement>) => void;
  onInputFocus: (k: number) => void;
  focusCell: (id: string, k: number) => void;
}

interface EntryRowProps {
  r: ResultView;
  vals: string[];
  s: Shown;
  state: RowState;
  focused: boolean;
  editable: boolean;
  canEnter: boolean;
  /** The row has unsaved values being typed (shown as typed). */
  drafted: boolean;
  dirty: boolean;
  reason: string;
  waitingNames: string;
  /** The grid's input elements by `id:cell`, for moving the focus (a ref: read when the row's inputs mount, never during render). */
  inputs: RefObject<Map<string, HTMLInputElement>>;
  actions: RefObject<RowActions | null>;
}

const NO_STATE: RowState = {};

/** Equal when everything the row shows is equal; its handlers are read through `actions` when they run. */
function sameRow(a: EntryRowProps, b: EntryRowProps): boolean {
  return (
    a.r === b.r &&
    a.state === b.state &&
    a.focused === b.focused &&
    a.editable === b.editable &&
    a.canEnter === b.canEnter &&
    a.drafted === b.drafted &&
    a.dirty === b.dirty &&
    a.reason === b.reason &&
    a.waitingNames === b.waitingNames &&
    a.inputs === b.inputs &&
    a.actions === b.actions &&
    a.vals.length === b.vals.length &&
    a.vals.every((v, i) => v === b.vals[i]) &&
    JSON.stringify(a.s) === JSON.stringify(b.s)
  );
}

/**
 * One test of the grid, with its units, error and invalidation lines. Memoised: typing in a cell
 * re-renders that row and the rows whose live preview changed, not every row — an 80-item
 * release sample re-rendered its 80 rows (160 capture buttons) on every keystroke (D-119).
 */
const EntryRow = memo(function EntryRow({
  r,
  vals,
  s,
  state,
  focused,
  editable,
  canEnter,
  drafted,
  dirty,
  reason,
  waitingNames,
  inputs,
  actions,
}: EntryRowProps) {
  const { t, i18n } = useTranslation();
  const shownReported = useReportedText();
  const lang = i18n.language;
  const act = () => actions.current!;
  const valueInput = (k: number, stored: string, plan: boolean, width: number) => {
    // A saved value in the reader's words (absent → 未检出); what is being typed, as typed.
    const value = drafted ? stored : reportedForReader(stored, lang === 'zh-CN' ? 'zh-CN' : 'en');
    const bad = value.trim() !== '' && !allowedFor(r.item, normalizeFor(r.item, value));
    return (
      <TextInput
        key={k}
        ref={(el) => {
          if (el) inputs.current.set(`${r.id}:${k}`, el);
          else inputs.current.delete(`${r.id}:${k}`);
        }}
        size="xs"
        w={width}
        value={value}
        error={bad}
        aria-label={t(plan ? 'testing.grid.unitN' : 'testing.grid.replicateN', { item: itemName(r, lang), n: k + 1 })}
        placeholder={plan ? String(k + 1) : k === 0 ? '' : `#${k + 1}`}
        styles={{ input: { ...num, fontFamily: 'var(--mantine-font-family-monospace)' } }}
        data-row-id={r.id}
        data-testid={`entry-input-${r.itemCode}-${k}`}
        onChange={(e) => act().entry.setDraft(r.id, k, e.currentTarget.value)}
        onFocus={(e) => {
          act().onInputFocus(k);
          e.currentTarget.select();
        }}
        onBlur={(e) => {
          const to = e.relatedTarget as HTMLElement | null;
          if (to?.dataset['rowId'] === r.id) return;
          void act().entry.saveRow(r.id);
        }}
        onKeyDown={(e) => act().onKey(r, e)}
        onPaste={(e) => {
          const text = e.clipboardData.getData('text/plain');
          if (act().entry.paste(r.id, k, text)) e.preventDefault();
        }}
      />
    );
  };
  const plan = isPlanItem(r.item);
  const invalidated = r.status === 'invalidated';
  const suffix = invalidated ? `-attempt${r.attempt}` : '';
  const strike = invalidated ? { textDecoration: 'line-through', opacity: 0.65 } : undefined;
  const filled = vals.filter((v) => v.trim()).length;
  const showMean = s.value !== null && !plan && (r.entryUnit !== r.unit || filled > 1 || r.calculated);
  const meanKey = r.calculated ? 'testing.grid.unrounded' : filled > 1 ? 'testing.grid.mean' : 'testing.grid.measured';
  // A plan's summary is a count (with its unit) or absent / present (k/n).
  const withUnit = !!s.reported && !!r.reportUnit && (!plan || /^[<\d]/.test(s.reported));
  return (
    <>
      {[
        <Table.Tr
          key={r.id}
          data-result-id={r.id}
          data-testid={`entry-row-${r.itemCode}${suffix}`}
          data-status={r.status}
          bg={focused ? 'var(--mantine-color-yellow-0)' : invalidated ? 'var(--mantine-color-gray-0)' : undefined}
          style={{ verticalAlign: 'top' }}
        >
          <Table.Td style={{ ...strike, minWidth: 150 }} maw={260}>
            <Anchor
              component="button"
              type="button"
              fw={600}
              size="sm"
              ta="left"
              onClick={() => act().onOpenDetail(r.id)}
              data-testid={`entry-item-${r.itemCode}${suffix}`}
            >
              {itemName(r, lang)}
            </Anchor>
            <Text component="code" size="xs" c="dimmed" ff="monospace" display="block" style={nowrap}>
              {r.itemCode}
              {r.methodCode ? ` · ${r.methodCode}` : ''}
            </Text>
            <Group gap={4} mt={2}>
              {r.calculated ? (
                <Badge size="xs" variant="light" color="cyan" tt="none">
                  {t('testing.grid.calculated')}
                </Badge>
              ) : null}
              {r.parameter ? (
                <Badge size="xs" variant="light" color="grape" tt="none">
                  {t('testing.grid.parameter')}
                </Badge>
              ) : null}
              {r.planReason === 'retest' || r.planReason === 'added' ? (
                <Badge size="xs" variant="outline" color="indigo" tt="none">
                  {t(`testing.planReasons.${r.planReason}`)}
                </Badge>
              ) : null}
              {r.externalLab ? (
                <Tooltip label={t('testing.grid.externalShort', { lab: r.externalLab, no: r.externalReportNo ?? '' })}>
                  <Badge
                    size="xs"
                    variant="light"
                    color="yellow"
                    tt="none"
                    data-testid={`entry-external-${r.itemCode}`}
                  >
                    {t('testing.grid.external')}
                  </Badge>
                </Tooltip>
              ) : null}
            </Group>
          </Table.Td>
          <Table.Td>
            <Text size="xs" style={{ whiteSpace: 'nowrap' }} data-testid={`entry-unit-${r.itemCode}${suffix}`}>
              {unitText(t, r.entryUnit === r.item.unit ? r.reportUnit || r.entryUnit : r.entryUnit) || '—'}
            </Text>
          </Table.Td>
          <Table.Td style={strike}>
            {r.calculated ? (
              <Tooltip label={r.item.formula ?? ''} multiline maw={320}>
                <Text size="xs" c="dimmed" fs="italic">
                  {t('testing.grid.calculatedHint')}
                </Text>
              </Tooltip>
            ) : plan ? (
              <Text size="xs" c="dimmed">
                {t('testing.grid.unitsBelow', { n: r.item.n ?? 0 })}
              </Text>
            ) : editable ? (
              <Group gap={4} wrap="nowrap">
                {vals.map((v, k) => (
                  // Capture from an instrument beside each replicate (issue 10); the print key offers its reading while the input has the focus.
                  <CaptureButton
                    key={k}
                    resultId={r.id}
                    replicateIndex={k}
                    unit={r.entryUnit}
                    captures={r.captures}
                    onCaptured={(value) => {
                      if (act().entry.drafts[r.id]) act().entry.setDraft(r.id, k, value);
                    }}
                  >
                    {valueInput(k, v, false, 76)}
                  </CaptureButton>
                ))}
              </Group>
            ) : (
              <Text size="sm" style={num} ff="monospace" data-testid={`entry-values-${r.itemCode}${suffix}`}>
                {vals.filter((v) => v.trim()).join(' · ') || '—'}
              </Text>
            )}
          </Table.Td>
          <Table.Td style={{ ...num, ...strike }}>
            <Text
              size="sm"
              fw={700}
              style={num}
              fs={s.preview ? 'italic' : undefined}
              data-testid={`reported-${r.itemCode}${suffix}`}
            >
              {shownReported(s.reported, r.item.reporting)}
              {withUnit ? (
                <Text span size="xs" fw={400} c="dimmed">
                  {' '}
                  {unitText(t, r.reportUnit)}
                </Text>
              ) : null}
            </Text>
            {showMean ? (
              <Text size="xs" c="dimmed" style={num} data-testid={`value-${r.itemCode}${suffix}`}>
                {t(meanKey, {
                  value: shortValue(s.value ?? ''),
                  unit: unitText(t, r.entryUnit === r.item.unit ? r.reportUnit || r.entryUnit : r.entryUnit),
                })}
              </Text>
            ) : null}
            {s.preview && dirty ? (
              <Text size="xs" c="orange.8" style={num} data-testid={`not-saved-${r.itemCode}${suffix}`}>
                {t('testing.grid.notSaved')}
              </Text>
            ) : null}
          </Table.Td>
          <Table.Td maw={220}>
            <Tooltip label={reason} disabled={!reason} multiline maw={320}>
              <span>
                <VerdictBadge
                  verdict={s.verdict}
                  waiting={s.waitingFor.length > 0}
                  testId={`verdict-${r.itemCode}${suffix}`}
                />
              </span>
            </Tooltip>
            {s.verdict === null && s.waitingFor.length > 0 ? (
              <Text size="xs" c="dimmed" data-testid={`waiting-${r.itemCode}${suffix}`}>
                {t('testing.grid.waitsFor', { items: waitingNames })}
              </Text>
            ) : s.verdict === 'fail' ||
              s.verdict === 'invalid' ||
              (s.verdict === null && s.reason && s.reason !== 'testing.no_value') ? (
              <Text
                size="xs"
                c={s.verdict === 'fail' ? 'red.8' : s.verdict === 'invalid' ? 'orange.9' : 'dimmed'}
                data-testid={`reason-${r.itemCode}${suffix}`}
              >
                {reason}
              </Text>
            ) : null}
          </Table.Td>
          <Table.Td maw={170}>
            <Text size="xs" style={{ fontVariantNumeric: 'tabular-nums' }} data-testid={`limit-${r.itemCode}${suffix}`}>
              {r.limitText}
              {/* The unit never breaks inside ("g/100 g", "µg RE/100 g"; issue 22). */}
              {r.limitText !== '—' && r.reportUnit ? (
                <span style={{ whiteSpace: 'nowrap' }}> {unitText(t, r.reportUnit)}</span>
              ) : null}
            </Text>
          </Table.Td>
          <Table.Td>
            <Group gap={4} wrap="nowrap">
              <ResultStatusBadge status={r.status} testId={`status-${r.itemCode}${suffix}`} />
              {state.saving ? <Loader size={12} data-testid={`saving-${r.itemCode}`} /> : null}
              {state.saved && !state.saving ? (
                <Text size="xs" c="green.8" data-testid={`saved-${r.itemCode}`} aria-label={t('testing.grid.saved')}>
                  ✓
                </Text>
              ) : null}
            </Group>
            <Group gap={4} mt={2}>
              {r.corrected ? (
                <Badge size="xs" color="orange" variant="outline" tt="none">
                  {t('testing.grid.corrected')}
                </Badge>
              ) : null}
              {r.attachments > 0 ? (
                <Badge size="xs" color="gray" variant="outline" tt="none">
                  📎 {r.attachments}
                </Badge>
              ) : null}
              <MicroStageBadge r={r} />
            </Group>
            <MicroExpected r={r} />
            {r.micro?.stage === 'not_started' && !invalidated ? (
              <Text size="xs" c="orange.9" maw={180} data-testid={`culture-not-started-${r.itemCode}${suffix}`}>
                {t('micro.cultureFirst')}
              </Text>
            ) : null}
            {r.status === 'returned' && r.returnReason ? (
              <Text size="xs" c="orange.9" maw={180}>
                {t('testing.grid.returned', { reason: r.returnReason })}
              </Text>
            ) : null}
          </Table.Td>
          <Table.Td>
            {invalidated ? null : (
              <InstrumentPicker
                result={r}
                editable={canEnter && EDITABLE.has(r.status)}
                onSave={(v) => void act().entry.saveFields(r.id, { instrumentId: v })}
              />
            )}
          </Table.Td>
          <Table.Td>
            {r.oosCode ? (
              <Anchor
                href={oosHref(r.oosCode)}
                size="xs"
                fw={600}
                c="red"
                data-testid={`entry-oos-${r.itemCode}${suffix}`}
              >
                {t('testing.grid.oos', { code: r.oosCode })}
              </Anchor>
            ) : canEnter &&
              (r.status === 'submitted' || r.status === 'reviewed') &&
              !r.calculated &&
              r.verdict !== 'fail' ? (
              <Button
                size="compact-xs"
                variant="light"
                color="orange"
                onClick={() => act().onCorrect(r)}
                data-testid={`entry-correct-${r.itemCode}`}
              >
                {t('testing.grid.correct')}
              </Button>
            ) : canEnter && EDITABLE.has(r.status) ? (
              <Switch
                size="xs"
                aria-label={t('testing.grid.external')}
                checked={!!r.externalLab}
                onChange={() => {
                  if (r.externalLab) void act().entry.saveFields(r.id, { external: null });
                  else act().onExternal(r);
                }}
                data-testid={`entry-external-toggle-${r.itemCode}`}
              />
            ) : null}
          </Table.Td>
        </Table.Tr>,
        plan ? (
          <Table.Tr
            key={`${r.id}-units`}
            bg={focused ? 'var(--mantine-color-yellow-0)' : undefined}
            data-testid={`entry-units-${r.itemCode}${suffix}`}
          >
            <Table.Td />
            <Table.Td colSpan={8} pt={0} style={strike}>
              <Group gap={6} wrap="wrap" align="center">
                <Text size="xs" c="dimmed" w={80}>
                  {t('testing.grid.units', { n: r.item.n ?? 0 })}
                </Text>
                {editable
                  ? vals.map((v, k) => (
                      <Group key={k} gap={2} wrap="nowrap" align="center">
                        <Text size="xs" c="dimmed" w={14} ta="right">
                          {k + 1}
                        </Text>
                        {valueInput(k, v, true, 72)}
                      </Group>
                    ))
                  : vals.map((v, k) => (
                      <Badge
                        key={k}
                        variant="outline"
                        color={v === 'present' || v === 'presumptive' ? 'red' : 'gray'}
                        tt="none"
                        ff="monospace"
                        data-testid={`entry-unit-value-${r.itemCode}-${k}${suffix}`}
                      >
                        {k + 1}: {shownReported(v, r.item.reporting)}
                      </Badge>
                    ))}
                {editable && isPresenceAbsence(r.item) ? (
                  <AllAbsentButton
                    r={r}
                    values={vals}
                    onFill={(next) => {
                      act().entry.setValues(r.id, next);
                      act().focusCell(r.id, 0);
                    }}
                  />
                ) : null}
              </Group>
            </Table.Td>
          </Table.Tr>
        ) : null,
        state.error ? (
          <Table.Tr key={`${r.id}-error`}>
            <Table.Td />
            <Table.Td colSpan={8} pt={0}>
              <Text size="xs" c="red.8" role="alert" data-testid={`entry-error-${r.itemCode}`}>
                {state.error}
              </Text>
            </Table.Td>
          </Table.Tr>
        ) : null,
        invalidated && r.invalidatedReason ? (
          <Table.Tr key={`${r.id}-invalidated`} bg="var(--mantine-color-gray-0)">
            <Table.Td />
            <Table.Td colSpan={8} pt={0}>
              <Text size="xs" c="dimmed">
                {t('testing.grid.invalidatedReason', { reason: r.invalidatedReason })}
              </Text>
            </Table.Td>
          </Table.Tr>
        ) : null,
      ]}
    </>
  );
}, sameRow);

/**
 * "All not detected" for a presence/absence plan (issue 19 §4): offered only where the method
 * reads absent / present (never for counts), fills the empty units, and overwrites a typed
 * unit only after an explicit confirmation that lists them. It is out of the keyboard path:
 * not reachable by Tab from the last unit, and Enter (the grid's save key) never presses it.
 */
function AllAbsentButton({ r, values, onFill }: { r: ResultView; values: string[]; onFill: (next: string[]) => void }) {
  const { t } = useTranslation();
  const shownReported = useReportedText();
  const [confirm, setConfirm] = useState(false);
  const typed = values
    .map((v, k) => ({ k, v: v.trim() }))
    .filter((u) => u.v !== '' && u.v !== 'absent' && u.v.toLowerCase() !== 'absent');
  return (
    <>
      <Button
        size="compact-xs"
        variant="subtle"
        tabIndex={-1}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') e.preventDefault();
        }}
        onClick={(e) => {
          // Only a pointer press: a key event that reached the button does nothing.
          if (e.detail === 0) return;
          if (typed.length > 0) setConfirm(true);
          else onFill(values.map(() => 'absent'));
        }}
        data-testid={`entry-all-absent-${r.itemCode}`}
      >
        {t('testing.grid.allAbsent')}
      </Button>
      <Modal
        opened={confirm}
        onClose={() => setConfirm(false)}
        title={t('testing.bulk.confirmTitle')}
        size="md"
        data-testid={`entry-all-absent-confirm-${r.itemCode}`}
      >
        <Stack>
          <Text size="sm">{t('testing.bulk.confirmText', { count: typed.length })}</Text>
          <Group gap={6}>
            {typed.map((u) => (
              <Badge key={u.k} variant="outline" color={u.v === 'present' ? 'red' : 'gray'} tt="none" ff="monospace">
                {u.k + 1}: {shownReported(u.v)}
              </Badge>
            ))}
          </Group>
          <Group justify="flex-end">
            <Button
              variant="default"
              data-autofocus
              onClick={() => setConfirm(false)}
              data-testid={`entry-all-absent-keep-${r.itemCode}`}
            >
              {t('testing.bulk.keep')}
            </Button>
            <Button
              variant="light"
              onClick={() => {
                setConfirm(false);
                onFill(values.map((v) => (v.trim() === '' ? 'absent' : v)));
              }}
              data-testid={`entry-all-absent-empty-${r.itemCode}`}
            >
              {t('testing.bulk.fillEmpty')}
            </Button>
            <Button
              color="orange"
              onClick={() => {
                setConfirm(false);
                onFill(values.map(() => 'absent'));
              }}
              data-testid={`entry-all-absent-overwrite-${r.itemCode}`}
            >
              {t('testing.bulk.overwrite', { count: typed.length })}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
