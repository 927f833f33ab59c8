import { useRef } from 'react';
import { Box, Group, Paper, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import i18n from '../../core/i18n';
import type { ImportReportView } from '../../../../shared/contract/channels/trace';
import { importMessagesEn, importMessagesZh } from '../../../../shared/i18n/import-messages';

type ImportErrorRow = ImportReportView['errors'][number] & { details?: Record<string, string | number> };

function template(lng: string, code: string): string | undefined {
  const key = `import.${code}`;
  const fromI18n = i18n.getResource(lng, 'translation', key) as unknown;
  if (typeof fromI18n === 'string') return fromI18n;
  // The import's own message table (shared with the CLI), until it is merged into the catalogues.
  const table = (lng === 'zh-CN' ? importMessagesZh : importMessagesEn).import as Record<string, string>;
  return table[code];
}

const placeholder = /\{\{\s*(\w+)\s*\}\}/g;

/**
 * The values of an English message, read back through its template: the report carries the
 * English `message` and the `code`, so the values can be recovered for another language.
 */
function valuesFromMessage(code: string, message: string): Record<string, string> | null {
  const en = template('en', code);
  if (!en) return null;
  const names: string[] = [];
  let pattern = '';
  let last = 0;
  for (const m of en.matchAll(placeholder)) {
    pattern += en.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '([\\s\\S]*?)';
    names.push(m[1] as string);
    last = (m.index ?? 0) + m[0].length;
  }
  pattern += en.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${pattern}$`).exec(message);
  if (!match) return null;
  return Object.fromEntries(names.map((n, i) => [n, match[i + 1] ?? '']));
}

/** An import error in the user's language: by `code` when its values are known, else the server's text. */
export function importErrorText(e: ImportErrorRow): string {
  if (!e.code) return e.message;
  const lng = i18n.language;
  const tpl = template(lng, e.code) ?? template('en', e.code);
  if (!tpl) return e.message;
  const names = [...tpl.matchAll(placeholder)].map((m) => m[1] as string);
  const details: Record<string, string | number> = e.details ?? valuesFromMessage(e.code, e.message) ?? {};
  if (names.some((n) => details[n] === undefined)) return e.message;
  return tpl.replace(placeholder, (_w, n: string) => String(details[n]));
}

const ROW = 34;
const cols = '150px 70px 140px 1fr';

/** Every error row, virtualised: a file with a million bad rows still scrolls smoothly. */
export function ImportErrorsTable({ errors }: { errors: ImportErrorRow[] }) {
  const { t } = useTranslation();
  const parent = useRef<HTMLDivElement>(null);
  // The virtualizer's functions are read during render only; nothing memoizes them.
  // eslint-disable-next-line react-hooks/incompatible-library
  const v = useVirtualizer({
    count: errors.length,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW,
    overscan: 12,
  });
  return (
    <Paper withBorder data-testid="import-errors">
      <Box
        style={{
          display: 'grid',
          gridTemplateColumns: cols,
          fontWeight: 600,
          borderBottom: '1px solid var(--mantine-color-gray-3)',
          background: 'var(--mantine-color-gray-1)',
        }}
        px="sm"
        py={6}
      >
        <Text size="sm" fw={600}>
          {t('import.col.file')}
        </Text>
        <Text size="sm" fw={600}>
          {t('import.col.row')}
        </Text>
        <Text size="sm" fw={600}>
          {t('import.col.column')}
        </Text>
        <Text size="sm" fw={600}>
          {t('import.col.message')}
        </Text>
      </Box>
      <div
        ref={parent}
        style={{ height: Math.min(420, Math.max(ROW * 2, errors.length * ROW + 4)), overflowY: 'auto' }}
        data-testid="import-errors-scroll"
      >
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((item) => {
            const e = errors[item.index] as ImportErrorRow;
            return (
              <Group
                key={item.key}
                data-testid="import-error-row"
                data-file={e.file}
                data-row={e.row}
                px="sm"
                wrap="nowrap"
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW,
                  transform: `translateY(${item.start}px)`,
                  display: 'grid',
                  gridTemplateColumns: cols,
                  alignItems: 'center',
                  borderBottom: '1px solid var(--mantine-color-gray-2)',
                  background: item.index % 2 ? 'var(--mantine-color-gray-0)' : undefined,
                }}
              >
                <Text size="sm" ff="monospace" truncate>
                  {e.file || '—'}
                </Text>
                <Text size="sm" ff="monospace">
                  {e.row > 0 ? e.row : '—'}
                </Text>
                <Text size="sm" ff="monospace" truncate>
                  {e.column || '—'}
                </Text>
                <Text size="sm" truncate title={importErrorText(e)}>
                  {importErrorText(e)}
                </Text>
              </Group>
            );
          })}
        </div>
      </div>
    </Paper>
  );
}
