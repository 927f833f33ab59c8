import { useRef } from 'react';
import { Autocomplete, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ResultView } from '../../../../shared/contract/channels/testing';
import { useCall } from '../../core/api/hooks';
import { lockReasons } from './instrument-format';

/**
 * The instrument a result's values were measured on (issue 19 §5, D-058), in the entry grid.
 * When the item's method names an instrument kind, the registered instruments of that kind
 * are offered (locked ones marked) and a typed value is refused without one; otherwise the
 * registry is offered and any reference may be typed (an instrument outside the registry).
 * Saved on Enter or when the cursor leaves; the server checks kind and lock inside the write.
 */
export function InstrumentPicker({
  result: r,
  editable,
  onSave,
}: {
  result: ResultView;
  editable: boolean;
  onSave: (instrumentId: string | null) => void;
}) {
  const { t } = useTranslation();
  // What was last sent: choosing an option and then leaving the field saves once.
  const sent = useRef(r.instrumentId ?? '');
  const instruments = useCall('instruments.list', { includeInactive: false }, { staleTime: 30_000 }).data ?? [];
  const rules = useCall('instruments.methods.list', {}, { staleTime: 60_000 }).data ?? [];
  const kind = r.methodCode ? (rules.find((x) => x.methodCode === r.methodCode)?.instrumentKind ?? null) : null;
  const offered = instruments.filter((i) => !kind || i.kind === kind);
  const current = instruments.find((i) => i.code.toLowerCase() === (r.instrumentId ?? '').toLowerCase());
  const needed = kind !== null && !r.instrumentId;
  const label = kind ? t('instruments.picker.required', { kind: t(`instruments.kinds.${kind}`) }) : null;
  if (!editable)
    return (
      <Text size="xs" ff="monospace" data-testid={`entry-instrument-${r.itemCode}`}>
        {r.instrumentId ?? '—'}
      </Text>
    );
  const send = (v: string) => {
    if (v === sent.current) return;
    sent.current = v;
    onSave(v || null);
  };
  const save = (el: HTMLInputElement) => send(el.value.trim());
  return (
    <Tooltip
      label={current?.lock.locked ? lockReasons(t, current.lock).join('; ') : label}
      disabled={!label && !current?.lock.locked}
      multiline
      maw={300}
    >
      <Autocomplete
        key={`${r.id}-${r.instrumentId ?? ''}`}
        size="xs"
        w={110}
        defaultValue={r.instrumentId ?? ''}
        placeholder={kind ? t(`instruments.kinds.${kind}`) : t('testing.grid.instrumentPlaceholder')}
        aria-label={t('testing.grid.instrument')}
        error={needed || current?.lock.locked ? true : undefined}
        comboboxProps={{ withinPortal: true }}
        data={offered.map((i) => ({
          value: i.code,
          label: `${i.code}${i.lock.locked ? ` (${t('instruments.lock.locked')})` : ''}`,
          disabled: i.lock.locked,
        }))}
        onOptionSubmit={send}
        onBlur={(e) => save(e.currentTarget)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            save(e.currentTarget);
          }
        }}
        data-testid={`entry-instrument-${r.itemCode}`}
        data-required-kind={kind ?? ''}
      />
    </Tooltip>
  );
}
