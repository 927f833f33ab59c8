/**
 * Issue 22 §4–5 (branch review): the specification tables a QA manager confirms against the
 * official text, and the audit-trail review's summary of exceptions. Merged into the catalogues
 * by index.ts (a separate module, so that parallel branches do not edit the same lines).
 */
export const reviewMessagesEn = {
  errors: {
    spec_table_unknown: 'This specification has no such table.',
    spec_table_stale: 'The table changed since it was shown (a value added, removed or moved): compare it again before confirming.',
    spec_table_without_value: 'These values are still missing; enter them from the official text first: {{items}}.',
    audit_summary_stale: 'The summary of exceptions changed since it was shown: read it again before signing.',
  },
  meanings: {
    values_confirmed: 'Values confirmed against the official text',
  },
  specTables: {
    title: 'Compare with the official text, table by table',
    intro:
      'Each value shows the standard, table and row it comes from. We do not hold the official text: open it (the NHC/CFSA food safety standards platform), compare one table, enter any missing value, then confirm the whole table with one signature.',
    table: 'Standard · table',
    values: 'Values',
    state: 'State',
    lastConfirmation: 'Confirmed',
    count: '{{count}} values',
    confirmed: '{{count}} confirmed',
    unverified: '{{count}} unverified',
    missing: '{{count}} missing',
    confirmedBy: '{{user}}, {{time}}: {{count}} values',
    never: 'not yet compared',
    confirm: 'Confirm the whole table',
    enterFirst: '{{count}} values still missing; enter them from the official text first: {{items}}',
    statement:
      'I compared the {{count}} values of {{standard}} (edition {{edition}}) {{table}} with the official text, value by value: they agree.',
    meaning: 'Your signature confirms every value of this table and names the standard, edition, table and number of values compared.',
    done: 'Confirmed {{standard}} {{table}} ({{count}} values).',
    noTable: 'text (no table)',
    packNote:
      '{{standard}} template. We do not hold the official text: compare the unverified values and enter the missing ones against it, table by table, before approval.',
  },
};

export const reviewMessagesZh: typeof reviewMessagesEn = {
  errors: {
    spec_table_unknown: '该规格中没有这张表。',
    spec_table_stale: '显示后该表已有变动（数值被添加、删除或移动）：请重新核对后再确认。',
    spec_table_without_value: '以下数值仍缺失，请先按官方标准文本录入：{{items}}。',
    audit_summary_stale: '显示后异常汇总已有变化：请重新阅读后再签名。',
  },
  meanings: {
    values_confirmed: '已与官方标准文本核对确认',
  },
  specTables: {
    title: '按表与官方标准文本核对',
    intro:
      '每个数值都注明来自哪项标准、哪张表、哪一行。本系统没有官方标准文本：请打开官方文本（国家卫生健康委/食品安全国家标准数据检索平台），逐表核对，录入缺失的数值，然后以一次电子签名确认整张表。',
    table: '标准 · 表',
    values: '数值',
    state: '状态',
    lastConfirmation: '核对确认',
    count: '共 {{count}} 项',
    confirmed: '已确认 {{count}} 项',
    unverified: '未核实 {{count}} 项',
    missing: '缺失 {{count}} 项',
    confirmedBy: '{{user}}，{{time}}：{{count}} 项',
    never: '尚未核对',
    confirm: '整表核对确认',
    enterFirst: '仍有 {{count}} 项缺失，请先按官方文本录入：{{items}}',
    statement: '我已将 {{standard}}（{{edition}} 版）{{table}} 的 {{count}} 项数值与官方标准文本逐项核对，确认一致。',
    meaning: '您的签名确认本表每一个数值，并记录所核对的标准、版本、表号和数值个数。',
    done: '已确认 {{standard}} {{table}}（{{count}} 项）。',
    noTable: '正文（不在表中）',
    packNote: '{{standard}} 模板。本系统没有官方标准文本：批准前请逐表与官方文本核对「未核实」的数值，并按官方文本录入「缺失」的数值。',
  },
};
