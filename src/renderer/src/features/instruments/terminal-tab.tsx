import { Fragment, useEffect, useRef, useState } from 'react';
import { Alert, Badge, Button, Group, Paper, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import type { InstrumentView } from '../../../../shared/contract/channels/instruments';
import { call } from '../../core/api/client';
import { errorMessage } from '../../core/api/errors';
import { useEvent } from '../../core/api/hooks';
import { hasPermission, useSession } from '../../core/session';
import { visibleRaw } from './instrument-format';

interface Line {
  key: number;
  dir: 'rx' | 'tx';
  at: string;
  /** Received/sent text with control bytes as <0d>, <0a>, <1b>… */
  text: string;
  hex: string;
  open: boolean;
  last: number;
}

/** Chunks of one direction closer together than this, without a line feed between, are one line. */
const JOIN_MS = 400;
const MAX_LINES = 1000;

function clock(iso: string): string {
  const d = new Date(iso);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** Text with its <xx> control-byte tokens set apart, so CR LF and ESC are visible at a glance. */
function Shown({ text }: { text: string }) {
  const parts = text.split(/(<[0-9a-f]{2}>)/);
  return (
    <>
      {parts.map((s, i) =>
        /^<[0-9a-f]{2}>$/.test(s) ? (
          <span key={i} style={{ color: 'var(--mantine-color-orange-7)', fontWeight: 600 }}>
            {s}
          </span>
        ) : (
          <Fragment key={i}>{s}</Fragment>
        ),
      )}
    </>
  );
}

/**
 * The raw terminal (diagnosis): every byte to and from the instrument as it passes the port
 * (instruments.traffic events), control characters visible; a line to send (\e is ESC, the
 * configured line ending is added) and the protocol's zero, tare and serial-number commands.
 */
export function TerminalTab({ instrument }: { instrument: InstrumentView }) {
  const { t } = useTranslation();
  const session = useSession();
  const canUse = hasPermission(session, 'instruments.use') && !session.readOnly;
  const [lines, setLines] = useState<Line[]>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [answer, setAnswer] = useState<{ ok: boolean; text: string } | null>(null);
  const seq = useRef(0);
  const viewport = useRef<HTMLDivElement>(null);
  const connected = instrument.state === 'connected';

  useEvent('instruments.traffic', (p) => {
    if (p.id !== instrument.id) return;
    const now = Date.now();
    setLines((ls) => {
      const last = ls.at(-1);
      const joined =
        last && last.dir === p.dir && last.open && now - last.last < JOIN_MS
          ? { ...last, text: last.text + p.text, hex: last.hex + p.hex, last: now }
          : null;
      const line: Line = joined ?? {
        key: ++seq.current,
        dir: p.dir,
        at: p.at,
        text: p.text,
        hex: p.hex,
        open: true,
        last: now,
      };
      line.open = !line.text.endsWith('<0a>');
      const next = joined ? [...ls.slice(0, -1), line] : [...ls, line];
      return next.length > MAX_LINES ? next.slice(next.length - MAX_LINES) : next;
    });
  });

  useEffect(() => {
    const v = viewport.current;
    if (v) v.scrollTo({ top: v.scrollHeight });
  }, [lines]);

  const send = () => {
    if (!text) return;
    setBusy('send');
    setAnswer(null);
    call('instruments.terminal.send', { id: instrument.id, text })
      .then(() => setText(''))
      .catch((e: unknown) => setAnswer({ ok: false, text: errorMessage(t, e) }))
      .finally(() => setBusy(null));
  };

  const command = (which: 'zero' | 'tare' | 'serial') => {
    setBusy(which);
    setAnswer(null);
    call('instruments.command', { id: instrument.id, command: which })
      .then((r: ChannelOutput<'instruments.command'>) =>
        setAnswer({
          ok: r.ok,
          text: t(r.ok ? 'instruments.terminal.answer' : 'instruments.terminal.refused', {
            command: t(`instruments.terminal.${which}`),
            answer: r.answer ?? '—',
            raw: visibleRaw(r.raw),
          }),
        }),
      )
      .catch((e: unknown) => setAnswer({ ok: false, text: errorMessage(t, e) }))
      .finally(() => setBusy(null));
  };

  return (
    <Stack data-testid="instrument-terminal">
      <Text size="sm" c="dimmed" maw={900}>
        {t('instruments.terminal.intro')}
      </Text>
      {!connected ? (
        <Alert color="yellow" variant="light" data-testid="terminal-not-connected">
          {t('instruments.terminal.notConnected')}
        </Alert>
      ) : null}
      <Group justify="space-between">
        <Group gap="xs">
          {(['zero', 'tare', 'serial'] as const).map((c) => (
            <Button
              key={c}
              variant="default"
              size="xs"
              disabled={!canUse || !connected || instrument.driver === 'print'}
              loading={busy === c}
              onClick={() => command(c)}
              data-testid={`terminal-${c}`}
            >
              {t(`instruments.terminal.${c}`)}
            </Button>
          ))}
        </Group>
        <Button variant="subtle" size="xs" onClick={() => setLines([])} data-testid="terminal-clear">
          {t('instruments.terminal.clear')}
        </Button>
      </Group>
      {answer ? (
        <Alert
          color={answer.ok ? 'green' : 'red'}
          variant="light"
          withCloseButton
          onClose={() => setAnswer(null)}
          data-testid="terminal-answer"
        >
          <Text size="sm" ff="monospace">
            {answer.text}
          </Text>
        </Alert>
      ) : null}
      <Paper withBorder bg="var(--mantine-color-dark-8)" p={0}>
        <ScrollArea h={380} viewportRef={viewport} type="auto">
          <div
            data-testid="terminal-lines"
            style={{
              padding: '8px 12px',
              fontFamily: 'var(--mantine-font-family-monospace)',
              fontSize: 13,
              lineHeight: 1.6,
              color: 'var(--mantine-color-gray-2)',
            }}
          >
            {lines.length === 0 ? (
              <Text size="sm" c="gray.5" ff="monospace" data-testid="terminal-empty">
                {t('instruments.terminal.empty')}
              </Text>
            ) : null}
            {lines.map((l) => (
              <div
                key={l.key}
                data-testid={`terminal-line-${l.dir}`}
                title={l.hex.replace(/(..)/g, '$1 ').trim()}
                style={{ display: 'flex', gap: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
              >
                <span style={{ color: 'var(--mantine-color-gray-5)', flexShrink: 0 }}>{clock(l.at)}</span>
                <Badge
                  size="sm"
                  variant="filled"
                  color={l.dir === 'rx' ? 'teal' : 'blue'}
                  radius="sm"
                  style={{ flexShrink: 0, marginTop: 2 }}
                >
                  {l.dir === 'rx' ? 'RX ←' : 'TX →'}
                </Badge>
                <span>
                  <Shown text={l.text} />
                </span>
              </div>
            ))}
          </div>
        </ScrollArea>
      </Paper>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <Group align="flex-end" gap="xs">
          <TextInput
            style={{ flex: 1 }}
            label={t('instruments.terminal.sendLabel')}
            description={t('instruments.terminal.sendHelp', { ending: instrument.lineEnding.toUpperCase() })}
            value={text}
            maxLength={200}
            disabled={!canUse || !connected}
            onChange={(e) => setText(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            data-testid="terminal-input"
          />
          <Button
            type="submit"
            disabled={!canUse || !connected || !text}
            loading={busy === 'send'}
            data-testid="terminal-send"
          >
            {t('instruments.terminal.send')}
          </Button>
        </Group>
      </form>
    </Stack>
  );
}
