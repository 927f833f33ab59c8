/**
 * Messages of intake by the clauses and of release evidence (issue 20 §4–5): spot checks
 * (监督抽查), tanker documents, late failures, label values (标示值), retention evidence. Kept
 * in one module of their own and merged into en / zh-CN by index.ts (the key-parity test
 * covers the merged catalogues). Chinese as a plant's QA office writes it.
 */
export const clausesMessagesEn = {
  errors: {
    intake_document_repeated: 'A document kind is listed twice.',
    intake_documents_complete: 'Tanker {{lot}} has all its documents: there is nothing to override.',
    intake_documents_missing:
      'Tanker {{lot}} cannot be accepted: documents missing or invalid ({{documents}}). Record them, or a QA manager signs an override with the reason.',
    intake_documents_overridden: 'The missing documents of tanker {{lot}} are already covered by a signed override.',
    intake_report_not_national:
      'Tanker {{lot}} was rejected on a plant rule, not for failing the national standard: 第二十八条 calls for no report to the agriculture authority.',
    label_declared_positive: 'The declared value must be greater than zero.',
    label_item_exists: 'The product already has a declared value for {{item}}: change that one.',
    label_not_found: 'This declared value is not on record (it may have been retired).',
    label_rule_confirmed: 'This rule is already confirmed against the standard.',
    label_rule_empty: 'Give the rule: a lowest and/or a highest percentage of the declared value.',
    label_rule_order: 'The highest percentage must not be below the lowest.',
    late_failure_held: 'The late failure of tanker {{lot}} is already held; nothing is open.',
    late_failure_lot_not_affected: 'Lot {{lot}} was not made from tanker {{tanker}}.',
    late_failure_lot_not_holdable: 'Lot {{lot}} cannot be held (it is not accepted or released).',
    late_failure_not_found: 'Tanker {{lot}} has no retrospective result that failed after its acceptance.',
    retention_not_available: 'Retention sample {{code}} is cancelled or disposed of: nothing can be withdrawn.',
    retention_observation_done: 'The observation due on {{dueOn}} is already recorded.',
    retention_observation_not_scheduled: 'No observation of this sample is scheduled on {{dueOn}}.',
    retention_observed_before_lot: 'An observation cannot precede the lot’s production date.',
    retention_overdrawn: 'Only {{remaining}} {{unit}} of retention sample {{code}} remains.',
    retention_unit_mismatch: 'The sample is kept in {{sampleUnit}}; {{unit}} cannot be converted to it.',
    retention_use_spot_check:
      'A withdrawal for a spot-check re-test is made from the spot check, so the two are linked.',
    spot_check_already_applied:
      'A re-test was applied for: close it with the re-test outcome or withdraw the application.',
    spot_check_applied_late:
      'The application came after the deadline ({{deadline}}: working days from receiving the result, on the plant calendar).',
    spot_check_applied_to_required: 'Name the authority the re-test application went to.',
    spot_check_closed: 'This spot check is closed.',
    spot_check_date_order:
      'The dates must follow each other: sampled, result received, applied, re-test sample received, report.',
    spot_check_lot_kind: 'Lot {{lot}} ({{kind}}) does not fit this spot check’s subject.',
    spot_check_no_retest_sample: 'Record the day the re-test lab received the sample before its report.',
    spot_check_not_applied: 'No re-test was applied for.',
    spot_check_not_disputable: 'A conforming result is not disputed.',
    spot_check_not_found: 'Spot check {{id}} is not on record.',
    spot_check_not_lapsed: 'The application period has not passed (deadline {{deadline}}), or an application was made.',
    spot_check_product_supplier: 'A spot check of the plant’s products names no supplier.',
    spot_check_retention_other_lot: 'That retention sample belongs to lot {{lot}}, not to the lot of this spot check.',
    spot_check_retention_product_only: 'Retention samples are kept of the plant’s products, not of raw milk.',
    spot_check_retention_taken: 'A retention sample has already been withdrawn for this re-test.',
  },
};

export const clausesMessagesZh: typeof clausesMessagesEn = {
  errors: {
    intake_document_repeated: '同一种单证重复填写。',
    intake_documents_complete: '罐车 {{lot}} 随车单证齐全，无需例外批准。',
    intake_documents_missing:
      '罐车 {{lot}} 不能接收：随车单证缺失或无效（{{documents}}）。请补录单证，或由质量经理签署例外批准并说明理由。',
    intake_documents_overridden: '罐车 {{lot}} 的缺失单证已有质量经理签署的例外批准。',
    intake_report_not_national:
      '罐车 {{lot}} 系按本厂收奶规定拒收，并非不符合生鲜乳质量安全国家标准，无需按第二十八条向农业农村主管部门报告。',
    label_declared_positive: '标示值必须大于零。',
    label_item_exists: '该产品已有 {{item}} 的标示值，请修改原记录。',
    label_not_found: '该标示值不存在（可能已作废）。',
    label_rule_confirmed: '该判定规则已按标准原文核对确认。',
    label_rule_empty: '请填写判定规则：实际含量占标示值的下限和/或上限百分比。',
    label_rule_order: '上限百分比不得低于下限百分比。',
    late_failure_held: '罐车 {{lot}} 的追溯检验不合格已暂扣处理，没有待处理事项。',
    late_failure_lot_not_affected: '批次 {{lot}} 未使用罐车 {{tanker}} 的生鲜乳。',
    late_failure_lot_not_holdable: '批次 {{lot}} 无法暂扣（状态不是已接收或已放行）。',
    late_failure_not_found: '罐车 {{lot}} 没有接收后追溯检验不合格的结果。',
    retention_not_available: '留样 {{code}} 已取消或已销毁，无法取用。',
    retention_observation_done: '{{dueOn}} 的留样观察已记录。',
    retention_observation_not_scheduled: '该留样在 {{dueOn}} 没有安排留样观察。',
    retention_observed_before_lot: '观察日期不能早于该批次的生产日期。',
    retention_overdrawn: '留样 {{code}} 仅剩 {{remaining}} {{unit}}。',
    retention_unit_mismatch: '该留样以 {{sampleUnit}} 计量，{{unit}} 无法换算。',
    retention_use_spot_check: '监督抽查复检用样请在该抽查记录中取用，以便两者关联。',
    spot_check_already_applied: '已申请复检：请按复检结论结案，或撤回复检申请。',
    spot_check_applied_late: '申请晚于期限（{{deadline}}：自收到检测结果之日起按本厂工作日历计算的工作日）。',
    spot_check_applied_to_required: '请填写受理复检申请的主管部门。',
    spot_check_closed: '该监督抽查记录已结案。',
    spot_check_date_order: '日期先后须依次为：抽样、收到结果、申请复检、复检机构收样、出具复检报告。',
    spot_check_lot_kind: '批次 {{lot}}（{{kind}}）与该抽查对象不符。',
    spot_check_no_retest_sample: '请先记录复检机构收到样品的日期，再记录复检报告。',
    spot_check_not_applied: '尚未申请复检。',
    spot_check_not_disputable: '检测结果合格，无需复检。',
    spot_check_not_found: '监督抽查记录 {{id}} 不存在。',
    spot_check_not_lapsed: '复检申请期限（{{deadline}}）尚未届满，或已申请复检。',
    spot_check_product_supplier: '对本厂产品的监督抽查不填写供应商。',
    spot_check_retention_other_lot: '该留样属于批次 {{lot}}，不是本次抽查的批次。',
    spot_check_retention_product_only: '留样针对本厂产品，生鲜乳不留样。',
    spot_check_retention_taken: '本次复检已取用留样。',
  },
};
