/**
 * Messages of the testing controls added by issues 19 and 20 (independent review, verdict
 * changes, reporting rules, the micro workflow, control-chart baselines and QC check
 * samples): service errors and screen text, merged into en / zh-CN by index.ts. Kept beside
 * the main catalogues so the parallel work of the team merges without conflicts.
 */
export const testingMessagesEn = {
  errors: {
    review_not_independent:
      'You entered, changed, captured or submitted a value of {{item}} (sample {{sample}}): you cannot review or return it. Ask someone who took no part in this result.',
    oos_conclude_not_independent:
      'You entered, changed, captured or submitted the result under investigation {{code}} ({{item}}): you cannot conclude its investigation. Ask another QA manager.',
    verdict_change_reason:
      'This change turns a saved failing result into another verdict: {{items}}. Give the reason; the change is kept on record and shown at review.',
    result_under_oos_input:
      '{{item}} is under OOS investigation and would change through this entry ({{input}}): an input of a result under investigation cannot be changed. The investigation settles it.',
    result_changed_meanwhile:
      '{{item}} was changed after your screen was loaded (now revision {{rev}}). Nothing was signed: refresh, look at the current values, then sign again.',
    result_value_not_for_item:
      '“{{value}}” is not a result {{item}} takes: enter a number (counts also as 2.1E6 or 2.1×10⁶), <value, or ND where the method allows it.',
    result_presumptive_not_allowed:
      '“Presumptive” is for pathogen tests whose method confirms a presumptive positive; {{item}} has no confirmation step.',
  },
  contributions: {
    entered: 'entered',
    changed: 'changed',
    captured: 'captured',
    submitted: 'submitted',
  },
  verdictChange: {
    title: 'Reason for changing a failing result',
    help: 'This entry turns a saved failing result into another verdict: {{items}}. The original value stays on record; the change and your reason are shown at review and in the lot’s audit-trail review.',
    confirm: 'Save with this reason',
    flag: 'Failing verdict changed before submission',
    flagShort: 'Verdict changed',
    line: '{{from}} → {{to}} ({{fromReported}} → {{toReported}}), {{by}}, {{at}}: {{reason}}',
    via: {
      entry: 'typed',
      paste: 'pasted',
      capture: 'instrument reading',
      recalculation: 'recalculated from an input',
      correction: 'correction',
      invalidation: 'OOS invalidation',
      confirmation: 'confirmation',
    },
  },
  resultReview: {
    notIndependent: 'You took part in this result ({{how}}): someone else reviews it.',
    tookPart: 'Took part',
  },
  audit: {
    entities: {
      verdict_change: 'Verdict change before submission',
      micro_hold: 'Automatic micro hold',
      micro_confirmation: 'Micro presumptive / confirmation',
      control_baseline: 'Control-chart baseline',
      qc_material: 'QC check material',
      qc_result: 'QC check result',
    },
  },
  disposition: {
    audit: {
      flags: {
        verdict_change: 'Failing verdict changed',
        micro_hold: 'Presumptive positive hold',
      },
    },
  },
  trends: {
    views: { product: 'Product trends', changes: 'Verdict changes before submission' },
    changes: {
      title: 'Verdict changed before submission',
      intro:
        'Saved failing results changed to another verdict before they were submitted, per analyst (who made the change) and method. Each change carries its reason and is flagged on the review screen and in the lot’s audit-trail review. A high figure is a signal to look at, not a verdict on a person.',
      none: 'No saved results in this period.',
      analyst: 'Analyst',
      method: 'Method',
      changes: 'Verdicts changed',
      results: 'Results concerned',
      entered: 'Results saved',
      rate: 'Share',
      calculated: 'calculated items',
      footnote:
        'Results saved: results of the method whose last entry by the analyst falls in the period. Changes counted: typed, pasted, instrument readings and recalculations from another input, before submission (corrections after submission are counted on their own, with their reason).',
    },
  },
  itemEditor: {
    reporting: 'Reporting rule',
    reportingHelp: 'How the reported value is rounded (GB/T 8170; colony counts by GB 4789.2).',
    reportingKinds: {
      decimals: 'Decimal places',
      interval: 'Rounding interval',
      figures: 'Significant figures',
      colony_count: 'Colony count (GB 4789.2)',
    },
    reportingParam: { interval: 'Interval (e.g. 0.5, 0.2, 20)', figures: 'Significant figures' },
    reportingColonyNote:
      'Below 100: whole number; from 100 on: two significant figures (third digit rounded half up), printed a.b × 10ⁿ.',
    reportingShort: {
      interval: 'to {{interval}}',
      figures: '{{count}} significant figures',
      colony_count: 'colony count, 2 significant figures',
    },
  },
  reporting: {
    negative_count: 'A colony count cannot be negative ({{value}}).',
    bad_rule: 'Unknown reporting rule {{rule}}.',
  },
  testing: {
    awaiting_confirmation: 'Presumptive positive in unit(s) {{units}}: waiting for confirmation.',
    bulk: {
      confirmTitle: 'Overwrite typed unit results?',
      confirmText:
        '{{count}} unit(s) already hold a typed result. “All not detected” would replace them. Keep them, fill only the empty units, or overwrite them.',
      keep: 'Keep typed results',
      fillEmpty: 'Fill empty units only',
      overwrite: 'Overwrite {{count}} typed',
    },
  },
};

export const testingMessagesZh: typeof testingMessagesEn = {
  errors: {
    review_not_independent:
      '您录入、修改、采集或提交过 {{item}}（样品 {{sample}}）的数值，不能复核或退回该结果。请由未参与该结果的人员复核。',
    oos_conclude_not_independent:
      '您录入、修改、采集或提交过调查 {{code}} 所涉的结果（{{item}}），不能对该调查作出结论。请由其他质量经理处理。',
    verdict_change_reason:
      '此次修改会使已保存的不合格结果改变判定：{{items}}。请填写原因；修改将留存记录，并在复核时标示。',
    result_under_oos_input:
      '{{item}} 正在进行 OOS 调查，此次录入（{{input}}）会改变其结果：调查中结果的输入项不能修改，只能由调查结论处理。',
    result_changed_meanwhile:
      '{{item}} 在您打开页面后已被修改（当前版本 {{rev}}）。未签名：请刷新，查看当前数值后重新签名。',
    result_value_not_for_item:
      '“{{value}}”不是 {{item}} 可接受的结果：请输入数值（菌落数也可写作 2.1E6 或 2.1×10⁶）、<数值，或方法允许时输入 ND/未检出。',
    result_presumptive_not_allowed: '“疑似阳性”仅用于有确证步骤的致病菌检验；{{item}} 的方法没有确证步骤。',
  },
  contributions: {
    entered: '录入',
    changed: '修改',
    captured: '采集',
    submitted: '提交',
  },
  verdictChange: {
    title: '修改不合格结果的原因',
    help: '此次录入会使已保存的不合格结果改变判定：{{items}}。原始数值保留在记录中；修改及原因将在复核和批次审计追踪审核中标示。',
    confirm: '填写原因并保存',
    flag: '提交前不合格判定被修改',
    flagShort: '判定已改',
    line: '{{from}} → {{to}}（{{fromReported}} → {{toReported}}），{{by}}，{{at}}：{{reason}}',
    via: {
      entry: '手工录入',
      paste: '粘贴',
      capture: '仪器读数',
      recalculation: '输入项变更后重算',
      correction: '更正',
      invalidation: 'OOS 判定无效',
      confirmation: '确证',
    },
  },
  resultReview: {
    notIndependent: '您参与过该结果（{{how}}），须由他人复核。',
    tookPart: '参与人员',
  },
  audit: {
    entities: {
      verdict_change: '提交前判定修改',
      micro_hold: '微生物自动暂扣',
      micro_confirmation: '微生物疑似阳性/确证',
      control_baseline: '控制图基线',
      qc_material: '质控样品',
      qc_result: '质控结果',
    },
  },
  disposition: {
    audit: {
      flags: {
        verdict_change: '不合格判定被修改',
        micro_hold: '疑似阳性暂扣',
      },
    },
  },
  trends: {
    views: { product: '产品趋势', changes: '提交前判定变更' },
    changes: {
      title: '提交前判定被修改',
      intro:
        '已保存的不合格结果在提交前被改为其他判定的次数，按修改人和检验方法统计。每次修改均附原因，并在复核页面和批次审计追踪审核中标示。数值偏高提示需要关注，不是对个人的结论。',
      none: '该期间没有保存的结果。',
      analyst: '检验员',
      method: '检验方法',
      changes: '判定修改次数',
      results: '涉及结果数',
      entered: '已保存结果数',
      rate: '占比',
      calculated: '计算项目',
      footnote:
        '已保存结果数：该检验员在期间内最后录入的该方法结果数。统计的修改：提交前的手工录入、粘贴、仪器读数及因其他输入项重算（提交后的更正另行统计，均附原因）。',
    },
  },
  itemEditor: {
    reporting: '报告规则',
    reportingHelp: '报告值的修约方式（GB/T 8170；菌落计数按 GB 4789.2）。',
    reportingKinds: {
      decimals: '小数位数',
      interval: '修约间隔',
      figures: '有效数字',
      colony_count: '菌落计数（GB 4789.2）',
    },
    reportingParam: { interval: '修约间隔（如 0.5、0.2、20）', figures: '有效数字位数' },
    reportingColonyNote: '小于 100 按整数报告；大于或等于 100 时第 3 位数字四舍五入，取两位有效数字，以 a.b × 10ⁿ 表示。',
    reportingShort: {
      interval: '修约间隔 {{interval}}',
      figures: '{{count}} 位有效数字',
      colony_count: '菌落计数，两位有效数字',
    },
  },
  reporting: {
    negative_count: '菌落数不能为负数（{{value}}）。',
    bad_rule: '未知的报告规则 {{rule}}。',
  },
  testing: {
    awaiting_confirmation: '第 {{units}} 单元疑似阳性：等待确证。',
    bulk: {
      confirmTitle: '覆盖已录入的单元结果？',
      confirmText: '已有 {{count}} 个单元录入了结果。“全部未检出”会将其替换。请选择保留、仅填空白单元或覆盖。',
      keep: '保留已录入结果',
      fillEmpty: '仅填空白单元',
      overwrite: '覆盖 {{count}} 个已录入结果',
    },
  },
};
