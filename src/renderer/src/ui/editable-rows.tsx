import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { ActionIcon, Button, Group, Table, Text, TextInput } from '@mantine/core';
import { canAdd, canRemove, focusAfterRemove, rowKeyAction } from './editable-rows-model';

export interface EditableColumn<T> {
  /** The row's field the column edits: the key of its message in `errors`. */
  key: string;
  label: ReactNode;
  w?: number;
  miw?: number;
  /** The cell while editing; `error` is the row's message for this column, if any. */
  edit: (row: T, i: number, error: ReactNode | undefined) => ReactNode;
  /** The cell when the table is read-only (default: the field's text, or —). */
  view?: (row: T, i: number) => ReactNode;
}

export interface EditableRowsProps<T> {
  rows: readonly T[];
  columns: EditableColumn<T>[];
  /** A stable key per row (default: its position). */
  rowKey?: (row: T, i: number) => string;
  /** Shows the rows as text: no inputs, no add or remove, no actions. */
  readOnly?: boolean;
  /** Inputs stay, but nothing can be added or removed. */
  disabled?: boolean;
  /** A first column numbering the rows. */
  numbered?: boolean;
  /** Messages by column key for a row (from the contract's schema or the screen's rules). */
  errors?: (row: T, i: number) => Partial<Record<string, ReactNode>> | undefined;
  /** A second line under the row, across the table (e.g. a long pattern). */
  below?: (row: T, i: number) => ReactNode;
  /** Never fewer rows than this (the × is disabled at `min`). */
  min?: number;
  /** Never more rows than this (the add button is disabled at `max`). */
  max?: number;
  onRemove?: (i: number) => void;
  removeLabel: string;
  /** Adds a row at the end; without it, only `addControl` adds. */
  onAdd?: () => void;
  addLabel?: string;
  /** Replaces the add button (e.g. a picker of the rows that may be added). */
  addControl?: ReactNode;
  /** Beside the add button, on the right (the form's own buttons). */
  actions?: ReactNode;
  /** Shown instead of the table when there is no row. */
  empty?: ReactNode;
  testId?: string;
  addTestId?: string;
  rowTestId?: (row: T, i: number) => string;
  removeTestId?: (row: T, i: number) => string;
}

const focusable = 'input:not([type=hidden]):not(:disabled), textarea:not(:disabled), button:not(:disabled), [tabindex]';

/**
 * A table of rows the person adds, removes and edits (check-plan standards, conversions, panel
 * items, print fields, spot-check items, shipment lines, tanker compartments): one cell per
 * column, a red × that removes a row (never below `min`), an add button under the table (never
 * above `max`), each cell's message shown on it and the row marked `data-invalid`. Keyboard:
 * Enter and Shift+Enter move down and up the column, Ctrl+Enter adds a row and moves into it;
 * after a removal the focus stays in the column. Row rules live in editable-rows-model.ts.
 */
export function EditableRows<T>({
  rows,
  columns,
  rowKey = (_, i) => String(i),
  readOnly = false,
  disabled = false,
  numbered = false,
  errors,
  below,
  min = 1,
  max = Infinity,
  onRemove,
  removeLabel,
  onAdd,
  addLabel,
  addControl,
  actions,
  empty,
  testId,
  addTestId,
  rowTestId,
  removeTestId,
}: EditableRowsProps<T>) {
  const body = useRef<HTMLTableElement>(null);
  // Where the focus goes once the rows have re-rendered: [row, column].
  const pending = useRef<[number, number] | null>(null);
  const count = rows.length;
  const addable = !readOnly && !disabled && !!onAdd && canAdd(count, max);
  const removable = !readOnly && !disabled && canRemove(count, min);
  const withRemove = !readOnly && !!onRemove;

  const focusCell = (row: number, col: number): boolean => {
    const cell = body.current?.querySelector(`[data-row="${row}"] [data-col="${col}"]`);
    const target = cell?.matches(focusable) ? cell : cell?.querySelector<HTMLElement>(focusable);
    if (target instanceof HTMLElement) target.focus();
    return target instanceof HTMLElement;
  };

  useEffect(() => {
    if (!pending.current) return;
    const [row, col] = pending.current;
    pending.current = null;
    if (!focusCell(row, col)) focusCell(row, 0);
  });

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const target = e.target as HTMLElement;
    // An open list (a select's options) keeps its own Enter.
    if (target.getAttribute('aria-expanded') === 'true' || target.tagName === 'TEXTAREA') return;
    const cell = target.closest<HTMLElement>('[data-col]');
    const row = target.closest<HTMLElement>('[data-row]');
    if (!cell || !row) return;
    const action = rowKeyAction(e, Number(row.dataset['row']), count, addable);
    if (!action) return;
    e.preventDefault();
    const col = Number(cell.dataset['col']);
    if ('add' in action) {
      pending.current = [count, 0];
      onAdd!();
    } else focusCell(action.focus, col);
  };

  const remove = (i: number) => {
    // The row that takes the removed one's place gets the focus, in its first column.
    const next = focusAfterRemove(i, count);
    pending.current = next === null ? null : [next, 0];
    onRemove!(i);
  };

  const span = columns.length + (numbered ? 1 : 0) + (withRemove ? 1 : 0);
  const rowOf = (row: T, i: number) => {
    const messages = readOnly ? undefined : errors?.(row, i);
    const invalid = !!messages && Object.values(messages).some(Boolean);
    const line = (
      <Table.Tr
        key={below ? undefined : rowKey(row, i)}
        data-row={i}
        data-invalid={invalid || undefined}
        data-testid={below ? undefined : rowTestId?.(row, i)}
        style={below ? { borderBottom: 0 } : undefined}
      >
        {numbered ? <Table.Td>{i + 1}</Table.Td> : null}
        {columns.map((c, k) => (
          <Table.Td key={c.key} data-col={k}>
            {readOnly ? (c.view ? c.view(row, i) : textOf(row, c.key)) : c.edit(row, i, messages?.[c.key])}
          </Table.Td>
        ))}
        {withRemove ? (
          <Table.Td>
            <ActionIcon
              variant="subtle"
              color="red"
              disabled={!removable}
              aria-label={removeLabel}
              onClick={() => remove(i)}
              data-testid={removeTestId?.(row, i)}
            >
              ×
            </ActionIcon>
          </Table.Td>
        ) : null}
      </Table.Tr>
    );
    if (!below) return line;
    const more = below(row, i);
    return (
      <Table.Tbody key={rowKey(row, i)} data-testid={rowTestId?.(row, i)}>
        {line}
        {more ? (
          <Table.Tr data-row={i}>
            <Table.Td colSpan={span} pt={0} data-col={columns.length}>
              {more}
            </Table.Td>
          </Table.Tr>
        ) : null}
      </Table.Tbody>
    );
  };

  const addButton =
    readOnly || (!onAdd && !addControl)
      ? null
      : (addControl ?? (
          <Button
            size="compact-sm"
            variant="subtle"
            disabled={!addable}
            onClick={() => {
              pending.current = [count, 0];
              onAdd!();
            }}
            data-testid={addTestId}
          >
            + {addLabel}
          </Button>
        ));

  return (
    <>
      {count === 0 && empty !== undefined ? (
        empty
      ) : count === 0 && !readOnly ? null : (
        <Table withTableBorder verticalSpacing={4} fz="sm" data-testid={testId} ref={body} onKeyDown={onKeyDown}>
          <Table.Thead bg="var(--mantine-color-gray-0)">
            <Table.Tr>
              {numbered ? <Table.Th w={30}>#</Table.Th> : null}
              {columns.map((c) => (
                <Table.Th key={c.key} w={c.w} miw={c.miw}>
                  {c.label}
                </Table.Th>
              ))}
              {withRemove ? <Table.Th w={40} /> : null}
            </Table.Tr>
          </Table.Thead>
          {below ? rows.map(rowOf) : <Table.Tbody>{rows.map(rowOf)}</Table.Tbody>}
        </Table>
      )}
      {!readOnly && (addButton || actions) ? (
        <Group justify="space-between" mt={6}>
          {addButton ?? <span />}
          {actions}
        </Group>
      ) : null}
    </>
  );
}

/**
 * The common column: one small text input per row, its message shown as a red border with the
 * words on hover (the table stays one line a row), and a dash for rows it does not apply to.
 */
export function textColumn<T>(o: {
  key: string;
  label: string;
  w?: number;
  miw?: number;
  value: (row: T) => string;
  onChange: (i: number, value: string) => void;
  testId: (row: T, i: number) => string;
  placeholder?: string;
  /** Codes and patterns: monospace. */
  mono?: boolean;
  /** Figures: digits in columns. */
  numeric?: boolean;
  disabled?: boolean;
  /** Rows the column does not apply to show a dash. */
  applies?: (row: T) => boolean;
  view?: (row: T, i: number) => ReactNode;
}): EditableColumn<T> {
  return {
    key: o.key,
    label: o.label,
    w: o.w,
    miw: o.miw,
    view: o.view,
    edit: (row, i, error) =>
      o.applies && !o.applies(row) ? (
        <Text size="xs" c="dimmed">
          —
        </Text>
      ) : (
        <TextInput
          size="xs"
          ff={o.mono ? 'monospace' : undefined}
          styles={o.numeric ? { input: { fontVariantNumeric: 'tabular-nums' } } : undefined}
          value={o.value(row)}
          placeholder={o.placeholder}
          disabled={o.disabled}
          aria-label={o.label}
          error={error ? true : undefined}
          title={typeof error === 'string' ? error : undefined}
          onChange={(e) => o.onChange(i, e.currentTarget.value)}
          data-testid={o.testId(row, i)}
        />
      ),
  };
}

function textOf(row: unknown, key: string): ReactNode {
  const v = (row as Record<string, unknown>)[key];
  return v === null || v === undefined || v === '' ? (
    <Text span c="dimmed">
      —
    </Text>
  ) : (
    String(v)
  );
}
