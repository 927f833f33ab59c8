import type { LotsealBridge } from '../../../../shared/contract/bridge';
import { currentLocale } from '../i18n';
import { HarnessTransport, takeHarnessToken } from './harness-transport';

let bridge: LotsealBridge | null = null;

/** true when neither the Electron preload nor a harness token is available. */
export function bridgeUnavailable(): boolean {
  return getBridgeOrNull() === null;
}

function getBridgeOrNull(): LotsealBridge | null {
  if (bridge) return bridge;
  const preload = (window as unknown as { lotseal?: LotsealBridge }).lotseal;
  if (preload) {
    bridge = preload;
    return bridge;
  }
  const token = takeHarnessToken();
  if (!token) return null;
  const url = `ws://${window.location.host}/ws?token=${encodeURIComponent(token)}`;
  bridge = new HarnessTransport(url, currentLocale).toBridge();
  return bridge;
}

/**
 * The one way the renderer reaches services: `window.lotseal` in Electron (the preload),
 * otherwise the browser harness's WebSocket transport with exactly the same shape.
 */
export function getBridge(): LotsealBridge {
  const b = getBridgeOrNull();
  if (!b) throw new Error('LotSeal bridge unavailable: open the link printed by the harness');
  return b;
}

/**
 * Which host serves this page: the desktop app (the Electron preload put window.lotseal
 * there) or the browser harness. Hosts differ in how documents open (D-041): the desktop's
 * system viewer through documents.open, the harness's browser tab.
 */
export function hostKind(): 'desktop' | 'harness' {
  return (window as unknown as { lotseal?: LotsealBridge }).lotseal ? 'desktop' : 'harness';
}
