import type { ReactNode } from 'react';
import { ActionIcon, Button, Table } from '@mantine/core';

export interface EditableColumn {
  label: ReactNode;
  w?: number;
}

/**
 * A table of rows the person adds and removes (shipment lines, tanker compartments): one cell
 * per column, a red × that removes a row (never below `min`), and an add button under the
 * table (never above `max`).
 */
export function EditableRows({
  columns,
  count,
  rowKey,
  cells,
  min = 1,
  max,
  onRemove,
  removeLabel,
  onAdd,
  addLabel,
  testId,
  addTestId,
}: {
  columns: EditableColumn[];
  count: number;
  rowKey: (i: number) => string;
  cells: (i: number) => ReactNode[];
  min?: number;
  max: number;
  onRemove: (i: number) => void;
  removeLabel: string;
  onAdd: () => void;
  addLabel: string;
  testId: string;
  addTestId: string;
}) {
  return (
    <>
      <Table withTableBorder fz="sm" data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c, k) => (
              <Table.Th key={k} w={c.w}>
                {c.label}
              </Table.Th>
            ))}
            <Table.Th w={50} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {Array.from({ length: count }, (_, i) => (
            <Table.Tr key={rowKey(i)}>
              {cells(i).map((cell, k) => (
                <Table.Td key={k}>{cell}</Table.Td>
              ))}
              <Table.Td>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  disabled={count <= min}
                  aria-label={removeLabel}
                  onClick={() => onRemove(i)}
                >
                  ×
                </ActionIcon>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Button mt={6} size="xs" variant="light" disabled={count >= max} onClick={onAdd} data-testid={addTestId}>
        {addLabel}
      </Button>
    </>
  );
}
