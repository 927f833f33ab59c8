import { useEffect, useRef, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { navigate, useRoute } from '../../core/router';
import { KindLabel, StatusBadge, lotHref, qty } from '../../ui/lot';
import { StartDrillFromLot } from '../../core/slots';
import { buildGenealogy, graphSize, GRAPH_MAX_NODES } from '../../ui/trace/genealogy';
import { GenealogyGraph } from '../../ui/trace/genealogy-graph';
import { GenealogyTree } from '../../ui/trace/genealogy-tree';
import { MassBalance } from '../../ui/trace/mass-balance';
import { CustomersTable, ShipmentsTable, TraceCounts } from '../../ui/trace/trace-parts';
import type { TraceView } from '../../../../shared/contract/channels/trace';

/** Trace & recall: scan or type any lot code (Enter) and see the whole picture at once. */
export function TracePage() {
  const { t } = useTranslation();
  const route = useRoute();
  const code = (route.params.get('lot') ?? '').trim();
  const [text, setText] = useState(code);
  const [shownCode, setShownCode] = useState(code);
  if (shownCode !== code) {
    // A new lot in the address (link, back button): the input shows it.
    setShownCode(code);
    setText(code);
  }
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // Ready for the next scan: the scanner's text replaces the selected code.
    input.current?.select();
  }, [code]);
  const trace = useCall('trace.run', { code }, { enabled: code !== '', staleTime: 0, gcTime: 0, retry: false });
  const notFound = trace.error instanceof ApiError && trace.error.code === 'not_found';

  const submit = () => {
    const v = text.trim();
    if (!v) return;
    if (v === code) void trace.refetch();
    else navigate('/trace', { lot: v });
  };

  return (
    <Stack data-testid="trace-page">
      <div>
        <Title order={2}>{t('trace.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('trace.intro')}
        </Text>
      </div>
      <Paper withBorder p="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Group align="flex-end" wrap="nowrap">
            <TextInput
              ref={input}
              flex={1}
              size="xl"
              label={t('trace.inputLabel')}
              description={t('trace.inputHelp')}
              placeholder={t('trace.inputPlaceholder')}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              autoFocus
              autoComplete="off"
              spellCheck={false}
              styles={{ input: { fontFamily: 'monospace' } }}
              data-testid="trace-input"
            />
            <Button type="submit" size="xl" loading={trace.isFetching} data-testid="trace-submit">
              {t('trace.run')}
            </Button>
          </Group>
        </form>
      </Paper>
      {code === '' ? (
        <Text c="dimmed" data-testid="trace-empty">
          {t('trace.nothingYet')}
        </Text>
      ) : null}
      {trace.isLoading ? <Loader /> : null}
      {notFound ? (
        <Alert color="red" variant="light" title={t('trace.notFoundTitle')} data-testid="trace-not-found">
          {t('trace.notFound', { code })}
        </Alert>
      ) : (
        <ErrorAlert error={trace.error} />
      )}
      {trace.data && !trace.isFetching ? <TraceResult trace={trace.data} /> : null}
    </Stack>
  );
}

function TraceResult({ trace }: { trace: TraceView }) {
  const { t } = useTranslation();
  const g = buildGenealogy(trace);
  const small = graphSize(g) <= GRAPH_MAX_NODES;
  const [view, setView] = useState<'tree' | 'graph'>(small ? 'graph' : 'tree');
  return (
    <Stack data-testid="trace-result">
      <Paper withBorder p="md">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={4}>
            <Group gap="sm">
              <KindLabel kind={trace.root.kind} />
              <Text fz={26} fw={700} ff="monospace" data-testid="trace-root">
                {trace.root.lot}
              </Text>
              <StatusBadge status={trace.statuses[trace.root.lot]} size="lg" />
            </Group>
            <Text size="sm" c="dimmed">
              {trace.root.item_code} · {qty(trace.root.quantity, trace.root.unit)}
            </Text>
            <Group gap="xs">
              <Button
                component="a"
                href={lotHref(trace.root.lot)}
                size="xs"
                variant="light"
                data-testid="trace-open-lot"
              >
                {t('trace.openLot')}
              </Button>
              <StartDrillFromLot lot={trace.root.lot} />
            </Group>
          </Stack>
          <Stack gap={0} align="flex-end">
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {t('trace.elapsed')}
            </Text>
            <Badge size="xl" variant="filled" color="teal" tt="none" h={44} fz={24} data-testid="trace-elapsed">
              {t('trace.ms', { ms: formatMs(trace.elapsed_ms) })}
            </Badge>
          </Stack>
        </Group>
      </Paper>
      <TraceCounts trace={trace} />
      <CustomersTable trace={trace} />
      <Group justify="space-between">
        <Title order={4}>{t('trace.genealogy.title')}</Title>
        <SegmentedControl
          value={view}
          onChange={(v) => setView(v as 'tree' | 'graph')}
          data={[
            { value: 'tree', label: t('trace.genealogy.treeView') },
            { value: 'graph', label: t('trace.genealogy.graphView'), disabled: !small },
          ]}
          data-testid="genealogy-view"
        />
      </Group>
      {view === 'graph' && small ? <GenealogyGraph g={g} /> : null}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <GenealogyTree g={g} direction="backward" />
        <GenealogyTree g={g} direction="forward" />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <ShipmentsTable shipments={trace.shipments} />
        <MassBalance mb={trace.mass_balance} lot={trace.root.lot} />
      </SimpleGrid>
    </Stack>
  );
}

function formatMs(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}
