/**
 * Messages of the controls that hold on every path (issue 19: QA decisions the ERP cannot
 * change, go-live date, holds and recalls by quantity, live environmental alerts, broken
 * signatures, the lot's audit scope). Kept in their own file so parallel work on the main
 * catalogues merges cleanly; merged into en / zh-CN by index.ts (after the others).
 */
export const controlsMessagesEn = {
  errors: {
    go_live_later:
      'The go-live date cannot move later ({{current}} → {{requested}}): lot {{lot}} is dated {{date}}, on or after the current go-live date, and is already decided in LotSeal. A later date would turn it into ERP history.',
    lot_under_recall:
      'Lot {{lot}} is under an open recall ({{recalls}}): nothing of it may be shipped, used or released until the recall is completed.',
    lot_held:
      'Lot {{lot}} is on hold: nothing of it may be shipped or used, not even with an override, until a QA manager releases it from hold.',
    lot_signature_broken:
      'The signed decision behind lot {{lot}} ({{meaning}}, {{by}}) no longer matches the lot: its record changed after signing. The lot is stopped until a QA manager makes a new signed decision.',
    lot_status_unsigned:
      'Lot {{lot}} shows “{{status}}” but no signed decision stands behind it. The lot is stopped until a QA manager makes a signed decision.',
    return_over_shipped:
      'A return of lot {{lot}} cannot exceed what was shipped of it less what came back already: at most {{returnable}} {{unit}}.',
    recall_return_which_shipment:
      'Customer {{customer}} received lot {{lot}} in several shipments ({{shipments}}): choose the shipment the goods came back from.',
    recall_return_over:
      'Shipment {{shipment}} delivered {{shipped}} {{unit}} of lot {{lot}} to {{customer}}; {{returned}} {{unit}} came back already. At most {{outstanding}} {{unit}} can still be returned.',
    env_close_pending:
      'Follow-up swab {{swab}} of alert {{code}} has no result yet. Close the alert once its result is submitted.',
    env_close_swabs:
      'Alert {{code}} can be closed after {{needed}} consecutive negative follow-up swabs of its site; there are {{negatives}} so far.',
    env_close_needs_qa:
      'Closing an environmental alert needs a QA manager’s signature; {{signer}} is not a QA manager.',
    lot_not_produced:
      'Lot {{lot}} is not made yet: its production batch {{batch}} is {{batchStatus}} and its quantity is {{quantity}} {{unit}}. A lot is released only once its batch is completed with a quantity above zero.',
  },
  import: {
    status_decided_by_qa:
      'Decided in LotSeal by QA: no import changes a lot’s status, with or without a correction reason. Lot {{lot}} is “{{stored}}” in LotSeal; the file says “{{value}}”.',
    approval_decided_by_qa:
      'Decided in LotSeal by QA: no import changes a supplier’s approval, with or without a correction reason. Supplier {{code}} is “{{stored}}” in LotSeal; the file says approved = {{value}}.',
    new_supplier_approval:
      'Supplier {{code}} is new: from the go-live date ({{goLive}}) a new supplier enters not approved and QA approves it in LotSeal. Leave “approved” empty or write “no”.',
    status_after_go_live:
      'Lot {{lot}} is dated on or after the go-live date ({{goLive}}): it enters “{{expected}}” and LotSeal’s QA decides it. The status “{{value}}” is decided in LotSeal by QA.',
    supplier_not_approved:
      'Lot {{lot}} is received (on or after the go-live date) from supplier {{supplier}}, which is not approved ({{status}}).',
    unknown_item: 'Item code {{code}} (lot {{lot}}, {{kind}}) is not in the catalogue. Add it to the catalogue first.',
    item_not_product: 'Lot {{lot}} is a finished lot, but {{code}} is a material, not a product of the catalogue.',
    ship_under_recall: 'Lot {{lot}} is under an open recall ({{recalls}}): its shipment is refused.',
    ship_not_released:
      'Lot {{lot}} is “{{status}}”, not released or accepted: its shipment is refused (decided in LotSeal by QA).',
    ship_expired: 'Lot {{lot}} expired on {{expiry}}: its shipment is refused.',
    ship_held: 'Lot {{lot}} is on hold: its shipment is refused while the hold is open.',
    ship_signature_broken:
      'The signed decision behind lot {{lot}} no longer stands (its record changed after signing, or no one signed it): its shipment is refused.',
    return_over_shipped:
      'With this row, {{returned}} {{lotUnit}} of lot {{lot}} came back, more than the {{shipped}} {{lotUnit}} shipped of it.',
  },
  environment: {
    alert: {
      remaining: 'Left',
      noStock: 'No stock left',
      negativesOf: '{{count}} of {{needed}} consecutive negative follow-up swabs',
      noFollowUpSwabs: 'No follow-up swab of this site has been taken since the positive one.',
      takenAt: 'Taken',
      swabResult: 'Result',
      swabResults: { negative: 'Negative', positive: 'Positive', pending: 'Waiting for result' },
      closedOnSwabs: 'Closed on the negative follow-up swabs {{swabs}}.',
      closeSummary: 'Close alert {{code}}: {{count}} consecutive negative follow-up swabs ({{needed}} needed).',
    },
  },
  lotControls: {
    held: 'On hold',
    recalled: 'Under recall',
    standing: {
      broken: 'Signature no longer valid',
      unsigned: 'No signed decision',
      history: 'ERP history',
    },
    recallText: 'An open recall covers this lot: nothing of it may be shipped, used or released until it is completed.',
    heldText:
      'This lot is on hold: nothing of it may be shipped or used, not even with an override, until a QA manager releases it from hold.',
    brokenText:
      'The signed decision “{{meaning}}” by {{by}} no longer matches this lot: its record changed after signing. Shipments and use are refused until a QA manager makes a new signed decision.',
    unsignedText:
      'No signed decision stands behind this lot’s status. Shipments and use are refused until a QA manager decides with a signature.',
  },
  importRules: {
    title: 'What QA decides, no import changes',
    goLive:
      'Go-live date: {{date}}. Lots dated before it are the ERP’s history and keep the ERP’s status. Lots dated on or after it enter quarantine (bought in) or on hold (produced) and are decided in LotSeal; their receipts need an approved supplier and their shipments a released or accepted lot that is not on hold or under a recall.',
    goLiveUnknown: 'The go-live date separates the ERP’s history from the records LotSeal decides.',
    qaOwned:
      'No import changes a lot’s status, a supplier’s approval, a decision or a signature, with or without a correction reason; a row that would is an error naming its file, row and column. Item codes must be in the catalogue; returns may not exceed what was shipped.',
  },
  controlSettings: {
    goLiveDate: 'Go-live date',
    goLiveDateHelp:
      'Lots dated before it are the ERP’s history; from it on LotSeal’s QA decides. Empty: the date the database was created. It cannot move later once lots are dated on or after it.',
    envAlertNegativeSwabs: 'Negative follow-up swabs to close an alert',
    envAlertNegativeSwabsHelp:
      'Consecutive negative follow-up swabs of the site before a QA manager may close an environmental alert (default 3).',
    goLiveDefault: 'the database’s creation date',
    signIntro:
      'These settings change what a release requires. Your personal signature records the change (meaning: approved):',
    signed: {
      goLiveDate: 'Go-live date',
      reviewersMayHold: 'Reviewers may hold lots',
      envAlertNegativeSwabs: 'Negative follow-up swabs to close an alert',
    },
  },
  meanings: {
    alert_closed: 'Alert closed',
  },
  drills: {
    findingKinds: {
      over_return: 'Returned more than shipped',
      over_accounted: 'Accounted above 100 %',
    },
    recall: {
      partlyShipped: 'partly shipped',
      shipment: 'Shipment',
      lot: 'Lot',
      shipped: 'Shipped',
      returned: 'Returned',
      outstanding: 'Still out',
      returnShipment: 'Shipment the goods came back from',
      outstandingShort: '{{qty}} still out',
      atMost: 'At most {{qty}} (shipped less returned)',
      nothingOut: 'Everything shipped to this customer has come back: nothing left to return.',
    },
  },
  disposition: {
    line: {
      production: {
        title: 'Production completed',
        ok: 'Batch {{batch}} is completed: {{quantity}} {{unit}} produced.',
        okErp: 'Produced in the ERP: {{quantity}} {{unit}}.',
        failOpen: 'Batch {{batch}} is still open: the lot is not made yet.',
        failQuantity: 'The lot has no produced quantity ({{quantity}} {{unit}}).',
        failNone: 'No production batch is recorded for this lot.',
      },
      inputs: {
        failNone: 'No input lot is recorded for this lot: it has no genealogy.',
      },
      recall: {
        title: 'No open recall',
        ok: 'No open recall covers this lot.',
        fail: 'Open recalls cover this lot: {{recalls}}.',
      },
      signature: {
        title: 'Signed decision stands',
        ok: 'The lot’s signed decisions still match its record.',
        failBroken:
          'The signed decision “{{meaning}}” by {{by}} no longer matches the lot: its record changed after signing. A new signed decision is needed.',
        failUnsigned: 'The lot’s status has no signed decision behind it. A signed decision is needed.',
      },
    },
  },
};

export const controlsMessagesZh: typeof controlsMessagesEn = {
  errors: {
    go_live_later:
      '上线日期不能推后（{{current}} → {{requested}}）：批次 {{lot}} 的日期为 {{date}}，在当前上线日期当天或之后，已在 LotSeal 中由质量部决定。推后会把它变成 ERP 历史记录。',
    lot_under_recall: '批次 {{lot}} 处于未结束的召回（{{recalls}}）中：召回完成前不得发货、使用或放行。',
    lot_held: '批次 {{lot}} 已暂扣：质量经理解除暂扣前，不得发货或使用，例外批准也不行。',
    lot_signature_broken:
      '批次 {{lot}} 背后的签名决定（{{meaning}}，{{by}}）与批次记录不再一致：签名后记录被修改。质量经理重新签名决定前，该批次停止使用。',
    lot_status_unsigned:
      '批次 {{lot}} 显示“{{status}}”，但没有签名决定支持该状态。质量经理签名决定前，该批次停止使用。',
    return_over_shipped: '批次 {{lot}} 的退回量不得超过已发货量减去已退回量：最多 {{returnable}} {{unit}}。',
    recall_return_which_shipment:
      '客户 {{customer}} 分多次收到批次 {{lot}}（{{shipments}}）：请选择货物退回所对应的发货单。',
    recall_return_over:
      '发货单 {{shipment}} 向 {{customer}} 发出批次 {{lot}} 共 {{shipped}} {{unit}}，已退回 {{returned}} {{unit}}，最多还可退回 {{outstanding}} {{unit}}。',
    env_close_pending: '警报 {{code}} 的跟踪拭子 {{swab}} 尚无结果。请在结果提交后再关闭警报。',
    env_close_swabs: '警报 {{code}} 需要该点位连续 {{needed}} 次跟踪拭子阴性才能关闭；目前为 {{negatives}} 次。',
    env_close_needs_qa: '关闭环境监测警报需要质量经理签名；{{signer}} 不是质量经理。',
    lot_not_produced:
      '批次 {{lot}} 尚未生产完毕：生产批 {{batch}} 状态为 {{batchStatus}}，数量为 {{quantity}} {{unit}}。生产批完成且数量大于零后方可放行。',
  },
  import: {
    status_decided_by_qa:
      '由质量部在 LotSeal 中决定：任何导入都不能更改批次状态，无论是否填写更正原因。批次 {{lot}} 在 LotSeal 中为“{{stored}}”，文件为“{{value}}”。',
    approval_decided_by_qa:
      '由质量部在 LotSeal 中决定：任何导入都不能更改供应商批准，无论是否填写更正原因。供应商 {{code}} 在 LotSeal 中为“{{stored}}”，文件为 approved = {{value}}。',
    new_supplier_approval:
      '供应商 {{code}} 为新供应商：自上线日期（{{goLive}}）起，新供应商以“未批准”登记，由质量部在 LotSeal 中批准。请将 approved 留空或填写 no。',
    status_after_go_live:
      '批次 {{lot}} 的日期在上线日期（{{goLive}}）当天或之后：以“{{expected}}”登记，由 LotSeal 质量部决定。状态“{{value}}”由质量部在 LotSeal 中决定。',
    supplier_not_approved: '批次 {{lot}}（上线日期当天或之后收货）的供应商 {{supplier}} 未获批准（{{status}}）。',
    unknown_item: '物料/产品代码 {{code}}（批次 {{lot}}，{{kind}}）不在目录中。请先将其加入目录。',
    item_not_product: '批次 {{lot}} 为成品批次，但 {{code}} 是目录中的物料，不是产品。',
    ship_under_recall: '批次 {{lot}} 处于未结束的召回（{{recalls}}）中：拒绝其发货。',
    ship_not_released: '批次 {{lot}} 为“{{status}}”，未放行或接收：拒绝其发货（由质量部在 LotSeal 中决定）。',
    ship_expired: '批次 {{lot}} 已于 {{expiry}} 过期：拒绝其发货。',
    ship_held: '批次 {{lot}} 已暂扣：暂扣期间拒绝其发货。',
    ship_signature_broken: '批次 {{lot}} 背后的签名决定已不成立（签名后记录被修改，或无人签名）：拒绝其发货。',
    return_over_shipped:
      '加上此行后，批次 {{lot}} 退回 {{returned}} {{lotUnit}}，超过其已发货的 {{shipped}} {{lotUnit}}。',
  },
  environment: {
    alert: {
      remaining: '剩余',
      noStock: '无剩余库存',
      negativesOf: '连续阴性跟踪涂抹 {{count}} / {{needed}} 次',
      noFollowUpSwabs: '阳性之后该采样点尚未进行跟踪涂抹。',
      takenAt: '采样时间',
      swabResult: '结果',
      swabResults: { negative: '阴性', positive: '阳性', pending: '等待结果' },
      closedOnSwabs: '依据阴性跟踪涂抹 {{swabs}} 关闭。',
      closeSummary: '关闭警报 {{code}}：连续 {{count}} 次跟踪涂抹阴性（需要 {{needed}} 次）。',
    },
  },
  lotControls: {
    held: '已暂扣',
    recalled: '召回中',
    standing: {
      broken: '签名已失效',
      unsigned: '无签名决定',
      history: 'ERP 历史记录',
    },
    recallText: '该批次处于未结束的召回中：召回完成前不得发货、使用或放行。',
    heldText: '该批次已暂扣：质量经理解除暂扣前，不得发货或使用，例外批准也不行。',
    brokenText:
      '{{by}} 签署的“{{meaning}}”决定与该批次不再一致：签名后记录被修改。质量经理重新签名决定前，拒绝发货和使用。',
    unsignedText: '该批次的状态没有签名决定支持。质量经理签名决定前，拒绝发货和使用。',
  },
  importRules: {
    title: '质量部的决定，任何导入都不能更改',
    goLive:
      '上线日期：{{date}}。此前日期的批次为 ERP 历史记录，保留 ERP 的状态。当天及之后日期的批次以“待检”（外购）或“暂扣”（自产）登记，由 LotSeal 决定；其收货需要已批准的供应商，其发货需要已放行或已接收、未暂扣且不在召回中的批次。',
    goLiveUnknown: '上线日期区分 ERP 历史记录与由 LotSeal 决定的记录。',
    qaOwned:
      '任何导入都不能更改批次状态、供应商批准、决定或签名，无论是否填写更正原因；否则该行报错，并注明文件、行和列。物料/产品代码必须在目录中；退货量不得超过发货量。',
  },
  controlSettings: {
    goLiveDate: '上线日期',
    goLiveDateHelp:
      '此前日期的批次为 ERP 历史记录；自该日起由 LotSeal 质量部决定。留空：数据库创建日期。一旦有批次日期在该日当天或之后，便不能再推后。',
    envAlertNegativeSwabs: '关闭警报所需的阴性跟踪涂抹次数',
    envAlertNegativeSwabsHelp: '质量经理关闭环境监测警报前，该采样点需连续阴性的跟踪涂抹次数（默认 3 次）。',
    goLiveDefault: '数据库创建日期',
    signIntro: '以下设置会改变放行要求，须经您本人电子签名（含义：批准）后生效：',
    signed: {
      goLiveDate: '上线日期',
      reviewersMayHold: '复核员可冻结批次',
      envAlertNegativeSwabs: '关闭警报所需的阴性跟踪涂抹次数',
    },
  },
  meanings: {
    alert_closed: '关闭警报',
  },
  drills: {
    findingKinds: {
      over_return: '退回量超过发货量',
      over_accounted: '核算超过 100%',
    },
    recall: {
      partlyShipped: '已部分发货',
      shipment: '发货单',
      lot: '批次',
      shipped: '已发货',
      returned: '已退回',
      outstanding: '尚在客户处',
      returnShipment: '货物退回所对应的发货单',
      outstandingShort: '尚有 {{qty}} 在外',
      atMost: '最多 {{qty}}（已发货减已退回）',
      nothingOut: '发往该客户的货物已全部退回：无可再退回。',
    },
  },
  disposition: {
    line: {
      production: {
        title: '生产已完成',
        ok: '批次生产记录 {{batch}} 已完成：产量 {{quantity}} {{unit}}。',
        okErp: '由 ERP 记录生产：产量 {{quantity}} {{unit}}。',
        failOpen: '批次生产记录 {{batch}} 尚未完成：该批次尚未生产完毕。',
        failQuantity: '该批次没有产量（{{quantity}} {{unit}}）。',
        failNone: '该批次没有生产批记录。',
      },
      inputs: {
        failNone: '该批次没有记录任何投入批次：无可追溯的投料关系。',
      },
      recall: {
        title: '无未结束的召回',
        ok: '没有未结束的召回涉及该批次。',
        fail: '以下未结束的召回涉及该批次：{{recalls}}。',
      },
      signature: {
        title: '签名决定有效',
        ok: '该批次的签名决定与其记录一致。',
        failBroken: '{{by}} 签署的“{{meaning}}”决定与批次记录不再一致：签名后记录被修改。需要重新签名决定。',
        failUnsigned: '该批次的状态没有签名决定支持。需要签名决定。',
      },
    },
  },
};
