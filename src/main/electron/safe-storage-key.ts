import { safeStorage } from 'electron';
import { bufferCipherProtector } from '../ledger/keys';
import type { OsProtection } from '../workstation/host-key-access';

/**
 * Protects the ledger signing key at rest with the OS credential store (DPAPI on Windows,
 * Keychain on macOS, libsecret/kwallet on Linux) through Electron's safeStorage. Handed to
 * createAppCore() as its keyProvider; the CLI and harness use a passphrase instead.
 *
 * safeStorage encrypts strings, so bytes travel as base64. The sync API is deprecated in
 * Electron 45 in favour of the async one, but the key provider contract is synchronous
 * (the signing key is opened inside a synchronous ledger transaction); revisit when the
 * sync API is removed.
 */
export interface SafeStorageKeyProvider {
  readonly kind: 'safeStorage';
  encrypt(buf: Buffer): Buffer;
  decrypt(buf: Buffer): Buffer;
}

export class SafeStorageUnavailableError extends Error {
  constructor(reason: string) {
    super(`OS key protection is unavailable: ${reason}`);
    this.name = 'SafeStorageUnavailableError';
  }
}

/**
 * On Linux without a keyring, Chromium falls back to `basic_text`: a hard-coded password,
 * which is obfuscation, not protection. A signing key protected like that could be copied
 * off the disk and used to forge signed records (21 CFR 11.300), so it is refused here and
 * the caller must use a passphrase (docs/decisions.md D-017).
 */
function assertAvailable(): void {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new SafeStorageUnavailableError('safeStorage reports no encryption backend (called before app ready?)');
  }
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    throw new SafeStorageUnavailableError('no Linux keyring (libsecret/kwallet); only the basic_text fallback exists');
  }
}

export function createSafeStorageKeyProvider(): SafeStorageKeyProvider {
  return {
    kind: 'safeStorage',
    encrypt(buf: Buffer): Buffer {
      assertAvailable();
      return safeStorage.encryptString(buf.toString('base64'));
    },
    decrypt(buf: Buffer): Buffer {
      assertAvailable();
      return Buffer.from(safeStorage.decryptString(buf), 'base64');
    },
  };
}

/**
 * The OS protection as the key recovery sees it (src/main/workstation/host-key-access.ts):
 * available only with a real backend (DPAPI, Keychain, libsecret/kwallet), never basic_text.
 */
export function osProtection(): OsProtection {
  if (!safeStorage.isEncryptionAvailable())
    return { available: false, why: 'safeStorage reports no encryption backend' };
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return { available: false, why: 'no Linux keyring (libsecret/kwallet): only the basic_text fallback exists' };
  }
  return { available: true, protector: bufferCipherProtector(createSafeStorageKeyProvider()) };
}
