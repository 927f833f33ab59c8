import { useState, type CSSProperties, type ReactNode } from 'react';
import { Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract';
import { call } from '../core/api/client';
import { callKey, useCall } from '../core/api/hooks';

/**
 * A long list read page by page from a channel that takes `offset`/`limit` and answers with a
 * total (the audit trail, all samples): page 0 gives the total; further pages are fetched as
 * their rows scroll into view; rows have a fixed height so a million of them stay scrollable.
 */
export interface PagedListOptions<C extends ChannelName, Row> {
  channel: C;
  /** The channel's input for page `page` (offset = page × pageSize). */
  input: (page: number) => ChannelInput<C>;
  rows: (out: ChannelOutput<C>) => Row[];
  total: (out: ChannelOutput<C>) => number;
  pageSize: number;
  rowHeight: number;
  overscan: number;
  staleTime: number;
}

export function usePagedList<C extends ChannelName, Row>(o: PagedListOptions<C, Row>) {
  // The scrolling element, as state: the virtualiser measures it once it is mounted.
  const [scrollElement, setScrollElement] = useState<HTMLDivElement | null>(null);
  const first = useCall(o.channel, o.input(0), { staleTime: o.staleTime });
  const total = first.data ? o.total(first.data) : 0;
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the list re-renders on scroll by design
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollElement,
    estimateSize: () => o.rowHeight,
    overscan: o.overscan,
  });
  const items = virtualizer.getVirtualItems();
  const visiblePages: number[] = [];
  if (items.length > 0) {
    const a = Math.floor((items[0]?.index ?? 0) / o.pageSize);
    const b = Math.floor((items[items.length - 1]?.index ?? 0) / o.pageSize);
    for (let p = Math.max(1, a); p <= b; p++) visiblePages.push(p);
  }
  const pages = useQueries({
    queries: visiblePages.map((page) => ({
      queryKey: callKey(o.channel, o.input(page)),
      queryFn: () => call(o.channel, o.input(page)),
      staleTime: o.staleTime,
    })),
  });
  const byPage = new Map<number, Row[]>();
  if (first.data) byPage.set(0, o.rows(first.data));
  visiblePages.forEach((page, i) => {
    const d = pages[i]?.data;
    if (d) byPage.set(page, o.rows(d));
  });
  return {
    first,
    total,
    setScrollElement,
    items,
    totalSize: virtualizer.getTotalSize(),
    rowHeight: o.rowHeight,
    rowAt: (index: number): Row | undefined => byPage.get(Math.floor(index / o.pageSize))?.[index % o.pageSize],
  };
}

export type PagedList<Row> = ReturnType<typeof usePagedList<ChannelName, Row>>;

/** How one row shows: its cells, test id and attributes, and what opening it does. */
export interface PagedRow {
  cells: ReactNode;
  testId: string;
  attributes?: Record<string, string | number | undefined>;
  onOpen?: () => void;
  /** Keys that open a focused row (Enter by default). */
  openKeys?: string[];
  selected?: boolean;
}

/** The header and the scrolling grid of a paged list; rows not loaded yet show `loading`. */
export function PagedListView<Row>({
  list,
  columns,
  header,
  height,
  testId,
  empty,
  emptyTestId,
  loading,
  loadingTestId,
  row,
}: {
  list: PagedList<Row>;
  /** CSS grid-template-columns shared by the header and the rows. */
  columns: string;
  header: string[];
  height: string;
  testId: string;
  empty: string;
  emptyTestId: string;
  loading: string;
  loadingTestId: string;
  row: (r: Row, index: number) => PagedRow;
}) {
  const { setScrollElement, first, total, totalSize, items, rowAt, rowHeight } = list;
  return (
    <>
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: columns,
          fontWeight: 600,
          fontSize: 13,
          borderBottom: '1px solid var(--mantine-color-gray-3)',
        }}
      >
        {header.map((label, i) => (
          <div key={i} style={{ padding: '6px 8px' }}>
            {label}
          </div>
        ))}
      </div>
      <div ref={setScrollElement} style={{ height, minHeight: 240, overflow: 'auto' }} data-testid={testId}>
        {first.data && total === 0 ? (
          <Text p="md" c="dimmed" data-testid={emptyTestId}>
            {empty}
          </Text>
        ) : null}
        <div style={{ height: totalSize, position: 'relative', width: '100%' }}>
          {items.map((item) => {
            const r = rowAt(item.index);
            const shown = r === undefined ? null : row(r, item.index);
            const style: CSSProperties = {
              position: 'absolute',
              top: 0,
              left: 0,
              width: '100%',
              height: rowHeight,
              transform: `translateY(${item.start}px)`,
              display: 'grid',
              gridTemplateColumns: columns,
              alignItems: 'center',
              fontSize: 13,
              cursor: shown ? 'pointer' : 'default',
              borderBottom: '1px solid var(--mantine-color-gray-2)',
              background: shown?.selected
                ? 'var(--mantine-color-teal-0)'
                : item.index % 2
                  ? 'var(--mantine-color-gray-0)'
                  : undefined,
            };
            return (
              <div
                key={item.key}
                role="row"
                tabIndex={shown ? 0 : -1}
                data-testid={shown ? shown.testId : loadingTestId}
                {...(shown?.attributes ?? {})}
                onClick={() => shown?.onOpen?.()}
                onKeyDown={(ev) => {
                  if (shown && (shown.openKeys ?? ['Enter']).includes(ev.key)) shown.onOpen?.();
                }}
                style={style}
              >
                {shown ? shown.cells : <GridCell>{loading}</GridCell>}
              </div>
            );
          })}
        </div>
      </div>
    </>
  );
}

/** One cell of a paged list: a single line, cut with an ellipsis. */
export function GridCell({
  children,
  title,
  mono,
}: {
  children: ReactNode;
  title?: string | undefined;
  mono?: boolean;
}) {
  return (
    <div
      style={{
        padding: '0 8px',
        overflow: 'hidden',
        textOverflow: 'ellipsis',
        whiteSpace: 'nowrap',
        fontFamily: mono ? 'var(--mantine-font-family-monospace)' : undefined,
      }}
      title={title}
    >
      {children}
    </div>
  );
}
