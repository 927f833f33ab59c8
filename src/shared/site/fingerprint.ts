/**
 * A certificate fingerprint as people compare it on screen and on the phone: the first 8
 * bytes of the SHA-256, upper case, in groups of two bytes (`3F2A:9C11:04BE:77D0`). The full
 * fingerprint stays in the tooltip and in the server's start-up line.
 */
export function shortFingerprint(hex: string): string {
  const h = hex
    .replace(/[^0-9a-f]/gi, '')
    .toUpperCase()
    .slice(0, 16);
  return h.match(/.{1,4}/g)?.join(':') ?? '';
}

/** A fingerprint as given (with colons, spaces, any case) in the form it is pinned: lower-case hex. */
export function normalFingerprint(hex: string): string {
  return hex.replace(/[^0-9a-f]/gi, '').toLowerCase();
}

/**
 * A full fingerprint as an administrator compares it with the one IT gave them (D-107): 64 hex
 * digits, upper case, in 16 groups of four; null when the text is not a fingerprint.
 */
export function fingerprintGroups(text: string): string[] | null {
  const h = text.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(h)) return null;
  return h.match(/.{4}/g)!;
}
