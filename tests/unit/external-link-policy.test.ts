import { describe, expect, it } from 'vitest';
import { checkExternalLink } from '../../src/main/electron/external-link-policy';

describe('external links (what may open in the OS browser)', () => {
  it('allows https links to the regulators and standards hosts', () => {
    for (const url of [
      'https://www.samr.gov.cn/',
      'https://std.samr.gov.cn/gb/search?q=GB%2010765',
      'https://www.nhc.gov.cn/sps/',
      'https://www.ecfr.gov/current/title-21/chapter-I/subchapter-A/part-11',
      'https://health.ec.europa.eu/medicinal-products/eudralex/eudralex-volume-4_en',
    ]) {
      expect(checkExternalLink(url), url).toEqual({ allowed: true, url: new URL(url).href });
    }
  });

  it('refuses everything else, saying why', () => {
    const cases: [string, string][] = [
      ['http://www.ecfr.gov/', 'not_https'],
      ['file:///etc/passwd', 'not_https'],
      ['smb://server/share/tool.exe', 'not_https'],
      ['javascript:alert(1)', 'not_https'],
      ['ms-settings:', 'not_https'],
      ['https://evil.example/', 'host'],
      ['https://www.ecfr.gov.evil.example/', 'host'],
      ['https://ecfr.gov/', 'host'],
      ['https://user@www.ecfr.gov/', 'credentials'],
      ['https://www.ecfr.gov:8443/', 'port'],
      ['www.ecfr.gov', 'unparseable'],
    ];
    for (const [url, reason] of cases) {
      expect(checkExternalLink(url), url).toEqual({ allowed: false, reason });
    }
  });

  it('normalises host case, so WWW.ECFR.GOV is the same host', () => {
    expect(checkExternalLink('https://WWW.ECFR.GOV/x').allowed).toBe(true);
  });
});
