import { describe, expect, it } from 'vitest';
import { escapeHtml, html, page, trusted } from '../../src/main/documents/templates/html';

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters and the backtick', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
  });
  it('leaves ordinary text, Chinese and numbers alone', () => {
    expect(escapeHtml('婴儿配方奶粉 1段 · S261121-0001 / 4.5 °C')).toBe('婴儿配方奶粉 1段 · S261121-0001 / 4.5 °C');
  });
  it('escapes an ampersand once (no double escaping of what looks like an entity)', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });
});

describe('html template tag', () => {
  it('escapes interpolated text and attribute values', () => {
    const evil = '"><script>alert(1)</script>';
    const out = html`<div title="${evil}">${evil}</div>`.value;
    expect(out).not.toContain('<script>');
    expect(out).toBe('<div title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</div>');
  });
  it('passes nested templates and trusted markup through, drops null/false, joins arrays', () => {
    const inner = html`<b>${'a<b'}</b>`;
    expect(html`<p>${inner}${trusted('<svg></svg>')}${null}${false}${undefined}${[html`<i>1</i>`, '<2>']}</p>`.value).toBe(
      '<p><b>a&lt;b</b><svg></svg><i>1</i>&lt;2&gt;</p>',
    );
  });
  it('a page carries its size, a CSP that loads nothing, and the CJK font stack', () => {
    const p = page({ title: 'T<', lang: 'zh-CN', widthMm: 50, heightMm: 30, css: '.x{}', body: html`<p>中文</p>` });
    expect(p).toContain('@page { size: 50mm 30mm; margin: 0; }');
    expect(p).toContain(`default-src 'none'`);
    expect(p).toContain("'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif");
    expect(p).toContain('<title>T&lt;</title>');
    expect(p).toContain('<html lang="zh-CN">');
  });
});
