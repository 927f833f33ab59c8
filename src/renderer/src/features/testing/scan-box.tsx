import { useState } from 'react';
import { TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { call } from '../../core/api/client';
import { errorMessage } from '../../core/api/errors';
import { navigate } from '../../core/router';

/**
 * Scan a sample label (or type its code) and press Enter: opens that sample's entry grid. A
 * lot code opens the worklist filtered to the lot's tests.
 */
export function ScanBox({ autoFocus = false, w = 300 }: { autoFocus?: boolean; w?: number }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const go = async () => {
    const code = value.trim();
    if (!code) return;
    setBusy(true);
    setError(null);
    try {
      const r = await call('scan.lookup', { code });
      setValue('');
      if (r.type === 'sample') navigate(`/testing/sample/${encodeURIComponent(r.code)}`);
      else navigate('/testing', { sample: r.code });
    } catch (e) {
      setError(errorMessage(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <TextInput
      w={w}
      size="sm"
      aria-label={t('testing.scan.label')}
      placeholder={t('testing.scan.placeholder')}
      value={value}
      autoFocus={autoFocus}
      disabled={busy}
      onChange={(e) => {
        setValue(e.currentTarget.value);
        setError(null);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          void go();
        }
      }}
      error={error}
      leftSection={<ScanIcon />}
      data-testid="testing-scan"
    />
  );
}

function ScanIcon() {
  return (
    <svg width={16} height={16} viewBox="0 0 16 16" aria-hidden fill="none" stroke="currentColor" strokeWidth={1.4}>
      <path d="M1.5 4.5v-3h3M11.5 1.5h3v3M14.5 11.5v3h-3M4.5 14.5h-3v-3" />
      <path d="M4.5 5v6M6.5 5v6M8.5 5v6M11 5v6" />
    </svg>
  );
}
