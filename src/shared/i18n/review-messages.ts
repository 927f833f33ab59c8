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
};
