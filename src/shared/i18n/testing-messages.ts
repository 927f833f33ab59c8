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
    micro_no_method: '{{item}} has no GB 4789 method with a timetable: incubation cannot be started on it.',
    micro_start_in_future: 'The incubation start cannot be in the future.',
    micro_start_before_sampling: 'The incubation of {{item}} cannot start before the sample was taken.',
    presumptive_needs_confirmation:
      'Unit {{unit}} of {{item}} is a presumptive positive: it changes only by its confirmation (confirmed or not confirmed, with the identification used).',
    present_needs_confirmation:
      'Unit {{unit}} of {{item}}: a positive is recorded as presumptive first, then confirmed by the method’s identification. Enter “presumptive”.',
    unit_not_presumptive: 'Unit {{unit}} of {{item}} is not a presumptive positive: there is nothing to confirm.',
    micro_hold_not_found: 'Automatic hold {{id}} was not found.',
    micro_hold_reviewed: 'This automatic hold has already been reviewed.',
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
    tabs: { micro: 'Micro holds' },
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
    line: {
      micro: {
        title: 'Micro results final, no presumptive positive',
        ok: 'Every micro result is final; no presumptive positive waits for confirmation and every automatic hold was reviewed.',
        failPresumptive: 'Presumptive positive waiting for confirmation: {{presumptive}}.',
        failHolds: '{{holds}} automatic micro hold(s) not yet reviewed by QA.',
        failExpected: '{{pending}} micro result(s) not final; expected final by {{expected}}.',
        failNotStarted: '{{pending}} micro result(s) not final (incubation of some not started).',
      },
    },
  },
  completeness: {
    states: {
      not_started: 'incubation not started',
      incubating: 'incubating',
      presumptive: 'presumptive positive',
      final: 'final, not yet submitted',
      micro_hold: 'automatic hold, not reviewed',
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
  micro: {
    title: 'Microbiology: incubation, presumptive positives, confirmation',
    start: 'Start incubation now ({{count}})',
    started: 'Incubation started for {{count}} test(s).',
    stage: {
      not_started: 'Not started',
      incubating: 'Incubating',
      presumptive: 'Presumptive positive',
      final: 'Final',
    },
    expected: 'Expected final {{at}}',
    notStarted: 'Incubation not started',
    heldTitle: 'Lot {{lot}} held automatically',
    heldText:
      'A presumptive positive held this finished infant-formula lot at once (system rule, unsigned). A QA manager reviews the hold; the lot cannot be released while the positive waits for confirmation.',
    openHolds: 'Open the automatic holds',
    col: {
      item: 'Item',
      method: 'Method',
      stage: 'Stage',
      started: 'Incubation started',
      expected: 'Expected final',
      presumptive: 'Presumptive units',
    },
    confirmUnit: 'Confirm unit {{unit}}',
    unit: 'Unit {{unit}}',
    presumptiveHelp:
      'A presumptive unit changes only by its confirmation: confirmed (present) or not confirmed (absent), with the identification used.',
    confirmTitle: 'Confirmation of {{item}}, unit {{unit}}',
    confirmMethod: 'Method step: {{step}} (about {{hours}} h).',
    outcome: { confirmed: 'Confirmed positive', not_confirmed: 'Not confirmed (negative)' },
    evidence: 'Identification used',
    evidenceHelp: 'e.g. API 20E profile, MALDI-TOF score, biochemical tests, serology; the worksheet number.',
    evidenceRequired: 'Say how the unit was identified (at least 3 characters).',
    save: { confirmed: 'Record: confirmed positive', not_confirmed: 'Record: not confirmed' },
    holds: {
      title: 'Automatic micro holds',
      intro:
        'A presumptive positive of a pathogen (Cronobacter, Salmonella…) on a finished infant-formula lot holds the lot at once: raised by the system rule, unsigned, in the same record as the entry. A QA manager reviews each hold with a signature. Release stays blocked until the presumptive is confirmed or not and the hold is reviewed; a confirmed positive fails the result and opens its OOS investigation at submission.',
      open: 'To review',
      reviewed: 'Reviewed',
      lot: 'Lot',
      none: 'No automatic holds here.',
      col: {
        lot: 'Lot',
        sample: 'Sample',
        item: 'Item',
        raised: 'Raised',
        rule: 'By',
        outcome: 'Confirmation',
        review: 'QA review',
      },
      before: 'was {{status}}',
      units: 'unit(s) {{units}}',
      rule: 'System rule: presumptive positive',
      unsigned: 'unsigned (no person decided it)',
      outcome: { pending: 'Waiting for confirmation', confirmed: 'Confirmed positive', not_confirmed: 'Not confirmed' },
      review: 'Review…',
      qaOnly: 'A QA manager reviews it.',
      note: 'Review note (what was done with the lot)',
      reviewSummary: 'Review the automatic hold of lot {{lot}} ({{item}}: {{outcome}}).',
      done: 'Automatic hold of lot {{lot}} reviewed.',
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
    micro_no_method: '{{item}} 没有带时间表的 GB 4789 方法，不能开始培养计时。',
    micro_start_in_future: '培养开始时间不能晚于当前时间。',
    micro_start_before_sampling: '{{item}} 的培养开始时间不能早于采样时间。',
    presumptive_needs_confirmation:
      '{{item}} 第 {{unit}} 单元为疑似阳性：只能通过确证（确证阳性或排除，并注明鉴定方法）改变。',
    present_needs_confirmation:
      '{{item}} 第 {{unit}} 单元：阳性须先记为“疑似阳性”，再按方法鉴定确证。请输入“疑似阳性”。',
    unit_not_presumptive: '{{item}} 第 {{unit}} 单元不是疑似阳性，无需确证。',
    micro_hold_not_found: '未找到自动暂扣记录 {{id}}。',
    micro_hold_reviewed: '该自动暂扣已审核。',
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
    tabs: { micro: '微生物暂扣' },
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
    line: {
      micro: {
        title: '微生物结果已出，无疑似阳性',
        ok: '微生物结果均已出具；无待确证的疑似阳性，自动暂扣均已审核。',
        failPresumptive: '疑似阳性待确证：{{presumptive}}。',
        failHolds: '{{holds}} 个微生物自动暂扣尚未经质量经理审核。',
        failExpected: '{{pending}} 个微生物结果未出；预计 {{expected}} 前出具。',
        failNotStarted: '{{pending}} 个微生物结果未出（部分尚未开始培养）。',
      },
    },
  },
  completeness: {
    states: {
      not_started: '未开始培养',
      incubating: '培养中',
      presumptive: '疑似阳性',
      final: '已出结果，未提交',
      micro_hold: '自动暂扣，未审核',
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
    reportingColonyNote:
      '小于 100 按整数报告；大于或等于 100 时第 3 位数字四舍五入，取两位有效数字，以 a.b × 10ⁿ 表示。',
    reportingShort: {
      interval: '修约间隔 {{interval}}',
      figures: '{{count}} 位有效数字',
      colony_count: '菌落计数，两位有效数字',
    },
  },
  micro: {
    title: '微生物：培养、疑似阳性与确证',
    start: '现在开始培养（{{count}}）',
    started: '已为 {{count}} 个检验开始培养计时。',
    stage: {
      not_started: '未开始',
      incubating: '培养中',
      presumptive: '疑似阳性',
      final: '已出结果',
    },
    expected: '预计 {{at}} 出结果',
    notStarted: '尚未开始培养',
    heldTitle: '批次 {{lot}} 已自动暂扣',
    heldText:
      '疑似阳性已按系统规则立即暂扣该婴幼儿配方成品批次（系统规则，无签名）。须由质量经理审核该暂扣；疑似阳性确证前，该批次不能放行。',
    openHolds: '查看自动暂扣',
    col: {
      item: '项目',
      method: '方法',
      stage: '阶段',
      started: '开始培养',
      expected: '预计出结果',
      presumptive: '疑似阳性单元',
    },
    confirmUnit: '确证第 {{unit}} 单元',
    unit: '第 {{unit}} 单元',
    presumptiveHelp: '疑似阳性单元只能通过确证改变：确证阳性（检出）或排除（未检出），并注明鉴定方法。',
    confirmTitle: '{{item}} 第 {{unit}} 单元确证',
    confirmMethod: '方法步骤：{{step}}（约 {{hours}} 小时）。',
    outcome: { confirmed: '确证阳性', not_confirmed: '排除（阴性）' },
    evidence: '鉴定方法',
    evidenceHelp: '如 API 20E 编码、MALDI-TOF 分值、生化试验、血清学；记录表编号。',
    evidenceRequired: '请注明该单元的鉴定方法（至少 3 个字）。',
    save: { confirmed: '记录：确证阳性', not_confirmed: '记录：排除' },
    holds: {
      title: '微生物自动暂扣',
      intro:
        '婴幼儿配方成品批次出现致病菌（克罗诺杆菌属、沙门氏菌等）疑似阳性时，系统规则立即暂扣该批次：与录入同一记录生成，无签名。质量经理须签名审核每一项暂扣。疑似阳性确证或排除、暂扣经审核前，不能放行；确证阳性在提交时判为不合格并启动 OOS 调查。',
      open: '待审核',
      reviewed: '已审核',
      lot: '批次',
      none: '没有自动暂扣。',
      col: {
        lot: '批次',
        sample: '样品',
        item: '项目',
        raised: '暂扣时间',
        rule: '依据',
        outcome: '确证结果',
        review: '质量审核',
      },
      before: '原状态：{{status}}',
      units: '第 {{units}} 单元',
      rule: '系统规则：疑似阳性',
      unsigned: '无签名（非人工决定）',
      outcome: { pending: '待确证', confirmed: '确证阳性', not_confirmed: '已排除' },
      review: '审核…',
      qaOnly: '由质量经理审核。',
      note: '审核意见（对该批次采取的措施）',
      reviewSummary: '审核批次 {{lot}} 的自动暂扣（{{item}}：{{outcome}}）。',
      done: '批次 {{lot}} 的自动暂扣已审核。',
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
