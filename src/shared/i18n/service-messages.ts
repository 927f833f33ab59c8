/**
 * Messages for errors raised by main-process services (specific message keys beyond the
 * generic `errors.<code>`), shared by the renderer and the CLI. Merged into en / zh-CN by
 * index.ts; tests/unit/i18n-service-keys.test.ts checks that every key used in src/main
 * exists in both languages.
 */
export const serviceMessagesEn = {
  errors: {
    anchor_unreadable:
      'The anchor file {{file}} cannot be read. Give the anchor file of the workstation (anchors/<database id>.json).',
    backup_folder_missing: 'No backup folder is set. Choose a folder, or set one in Administration → Settings.',
    backup_verify_failed:
      'The backup copy did not verify, so it was deleted and nothing was reported as backed up. Check the disk and try again.',
    bad_roles: 'Unknown role(s) "{{value}}". Allowed roles: {{allowed}}.',
    cannot_deactivate_self: 'You cannot deactivate your own account. Ask another administrator.',
    cli_admin_required:
      'This command needs an administrator: give --user and --password-file (or --recovery-code for unlock).',
    db_migrate_unregistered:
      'The database {{file}} needs an update, but this workstation is not registered in it. Update it from a registered workstation first.',
    db_migration_mismatch:
      'The database {{file}} was not opened: its record of migration {{migration}} ({{name}}) does not match this version of LotSeal. It may have been altered. Do not use it; call your administrator and verify a backup.',
    db_needs_migration:
      'The database {{file}} needs {{pending}} update(s) and was opened read-only, so it cannot be updated.',
    db_newer_than_app:
      'The database {{file}} was written by a newer version of LotSeal (migration {{migration}} {{name}}). Install that version to open it.',
    db_not_lotseal: 'The file {{file}} is not a LotSeal database.',
    file_unreadable: 'The file {{file}} ({{what}}) cannot be read or is empty.',
    key_exists: 'A signing key already exists at {{file}}; it is never overwritten.',
    key_file_damaged:
      'The signing key file {{file}} is damaged. Restore it from the workstation backup or ask an administrator to register a new key.',
    key_missing:
      'This workstation has no signing key ({{file}}). Run `lotseal init`, or sign in once as an administrator to register one.',
    key_passphrase_missing:
      'The signing key needs its passphrase: set LOTSEAL_KEY_PASSPHRASE or pass --key-passphrase-file FILE.',
    key_passphrase_short: 'The key passphrase must have at least {{min}} characters.',
    key_passphrase_wrong:
      'The key passphrase is not correct, so the signing key could not be opened. Nothing was written.',
    nothing_to_review: 'This verification run has no open findings to review.',
    reason_required: 'A reason is required for this change (it is kept in the audit trail).',
    record_exists: 'A {{entity}} record with the ID {{id}} already exists.',
    record_retired: 'This record is retired and can no longer be changed.',
    recovery_admin_only: 'The recovery code can only unlock an administrator account.',
    seq_beyond_head: 'That audit entry number does not exist yet.',
    stale_record: 'Someone else changed this record meanwhile. Refresh to see the current version, then try again.',
    user_deactivated: 'This account is deactivated; it can no longer be changed.',
    user_exists: 'The user ID {{userId}} is already taken (user IDs are never reused, even after deactivation).',
    user_id_format:
      'User IDs use 2–40 lower-case letters, digits, dot, dash or underscore, starting with a letter or digit.',
    verify_running: 'A verification is already running. Wait for it to finish.',
    attachment_empty: 'The attached file is empty. Attach the supplier’s certificate of analysis again.',
    batch_closed: 'Batch {{id}} is finished; nothing more can be recorded on it.',
    batch_no_inputs: 'Record at least one consumed lot before finishing the batch.',
    compartment_repeated: 'Each tanker compartment can be listed only once.',
    customer_unknown: 'Customer {{id}} is not in the catalogue.',
    date_in_future: 'The date is in the future. Enter the date it actually happened.',
    date_invalid: 'The date or time is not valid.',
    expired_on_receipt: 'The expiry date has already passed: an expired delivery cannot be received.',
    lot_code_taken: 'Lot code {{code}} is already used (lot codes are unique across all kinds).',
    lot_cycle: 'This would make the lot an input of itself through other lots. Check the lot code.',
    lot_decision_not_allowed: 'Lot {{lot}} is {{status}}: the decision "{{decision}}" is not possible from this status.',
    lot_expired: 'Lot {{lot}} expired on {{expiry}} and cannot be used.',
    lot_into_itself: 'A batch cannot consume the lot it produces.',
    lot_not_found: 'Lot {{id}} was not found. Check the code (scan the label again).',
    lot_not_usable_override: 'Lot {{lot}} is not accepted or released ({{status}}). Using it needs a QA manager’s signed override with a reason.',
    lot_rejected: 'Lot {{lot}} is rejected and can never be used or shipped.',
    material_unknown: 'Material {{id}} is not in the catalogue.',
    material_wrong_kind: 'This material is a {{kind}} material; choose a material of the delivery’s kind.',
    over_remaining: 'More than lot {{lot}} has left ({{remaining}} {{unit}}).',
    override_needs_qa: 'Only a QA manager can sign an override ({{signer}} cannot).',
    product_unknown: 'Product or material {{id}} is not in the catalogue.',
    quantity_not_negative: 'Only an adjustment can be negative.',
    quantity_positive: 'The quantity must be greater than zero.',
    shipment_exists: 'Shipment {{shipment}} already has a line for lot {{lot}}.',
    shipment_lot_repeated: 'Each lot may appear only once in a shipment.',
    supplier_not_approved: 'Supplier {{supplier}} ({{name}}) is not approved ({{status}}): deliveries from it cannot be received. A QA manager must approve the supplier first.',
    supplier_unknown: 'Supplier {{id}} is not in the catalogue.',
    supplier_wrong_kind: 'This supplier is registered as {{kind}}; this receipt needs a {{expected}} supplier.',
    temperature_implausible: 'A temperature of {{value}} °C is not plausible here (allowed {{min}} to {{max}} °C). Check the reading.',
    unit_dimension: 'A quantity in {{from}} cannot be converted to the lot’s unit {{to}} (different kinds of unit).',
  },
  password: {
    too_short: 'at least 10 characters',
    equals_user_id: 'must not be the user ID',
    reused: 'must not be one of your last 5 passwords',
  },
  warnings: {
    clock_behind_ledger:
      'This computer’s clock is earlier than the newest audit entry. Check the date and time before you record anything; the entries you make will be flagged.',
  },
};

export const serviceMessagesZh: typeof serviceMessagesEn = {
  errors: {
    anchor_unreadable: '无法读取锚点文件 {{file}}。请提供该工作站的锚点文件（anchors/<数据库ID>.json）。',
    backup_folder_missing: '未设置备份文件夹。请选择文件夹，或在“系统管理 → 设置”中设置。',
    backup_verify_failed: '备份副本未通过校验，已被删除，本次备份未成功。请检查磁盘后重试。',
    bad_roles: '未知角色“{{value}}”。可用角色：{{allowed}}。',
    cannot_deactivate_self: '不能停用自己的账户。请联系另一位管理员。',
    cli_admin_required: '此命令需要管理员身份：请提供 --user 和 --password-file（解锁时也可使用 --recovery-code）。',
    db_migrate_unregistered: '数据库 {{file}} 需要升级，但本工作站尚未在其中登记。请先在已登记的工作站上升级。',
    db_migration_mismatch:
      '未打开数据库 {{file}}：其迁移记录 {{migration}}（{{name}}）与当前 LotSeal 版本不一致，可能已被篡改。请勿使用，并联系管理员校验备份。',
    db_needs_migration: '数据库 {{file}} 需要 {{pending}} 项升级，但以只读方式打开，无法升级。',
    db_newer_than_app:
      '数据库 {{file}} 由更新版本的 LotSeal 写入（迁移 {{migration}} {{name}}）。请安装该版本后再打开。',
    db_not_lotseal: '文件 {{file}} 不是 LotSeal 数据库。',
    file_unreadable: '无法读取文件 {{file}}（{{what}}），或文件为空。',
    key_exists: '签名密钥已存在于 {{file}}，不会被覆盖。',
    key_file_damaged: '签名密钥文件 {{file}} 已损坏。请从工作站备份恢复，或请管理员登记新密钥。',
    key_missing: '本工作站没有签名密钥（{{file}}）。请运行 `lotseal init`，或由管理员在此登录一次以登记密钥。',
    key_passphrase_missing: '签名密钥需要口令：请设置 LOTSEAL_KEY_PASSPHRASE 或使用 --key-passphrase-file FILE。',
    key_passphrase_short: '密钥口令至少需要 {{min}} 个字符。',
    key_passphrase_wrong: '密钥口令不正确，无法打开签名密钥。未写入任何内容。',
    nothing_to_review: '本次校验没有待审核的发现项。',
    reason_required: '此项修改必须填写原因（原因将保存在审计追踪中）。',
    record_exists: 'ID 为 {{id}} 的 {{entity}} 记录已存在。',
    record_retired: '此记录已停用，不能再修改。',
    recovery_admin_only: '恢复码只能用于解锁管理员账户。',
    seq_beyond_head: '该审计条目编号尚不存在。',
    stale_record: '此记录已被他人修改。请刷新查看最新版本后重试。',
    user_deactivated: '此账户已停用，不能再修改。',
    user_exists: '用户 ID {{userId}} 已被使用（用户 ID 即使停用后也不会重复使用）。',
    user_id_format: '用户 ID 为 2–40 个小写字母、数字、点、短横线或下划线，并以字母或数字开头。',
    verify_running: '校验正在进行中，请等待完成。',
    attachment_empty: '附件为空。请重新上传供应商的检验报告（COA）。',
    batch_closed: '批次 {{id}} 已结束，不能再记录。',
    batch_no_inputs: '结束批次前，请至少记录一个投料批次。',
    compartment_repeated: '每个罐车隔仓只能填写一次。',
    customer_unknown: '客户 {{id}} 不在目录中。',
    date_in_future: '日期在未来。请填写实际发生的日期。',
    date_invalid: '日期或时间无效。',
    expired_on_receipt: '已过保质期：过期的到货不能收货。',
    lot_code_taken: '批号 {{code}} 已被使用（所有类别的批号均唯一）。',
    lot_cycle: '这会使该批次通过其他批次成为自身的原料。请核对批号。',
    lot_decision_not_allowed: '批次 {{lot}} 当前为 {{status}}，不能做出“{{decision}}”决定。',
    lot_expired: '批次 {{lot}} 已于 {{expiry}} 过期，不能使用。',
    lot_into_itself: '批次不能投用其自身产出的批次。',
    lot_not_found: '未找到批次 {{id}}。请核对批号（重新扫描标签）。',
    lot_not_usable_override: '批次 {{lot}} 未放行或未接收（{{status}}）。使用它需要质量经理签名的例外批准并说明原因。',
    lot_rejected: '批次 {{lot}} 已拒收，永远不能使用或发货。',
    material_unknown: '物料 {{id}} 不在目录中。',
    material_wrong_kind: '该物料属于 {{kind}} 类，请选择与到货类别一致的物料。',
    over_remaining: '超过批次 {{lot}} 的剩余量（{{remaining}} {{unit}}）。',
    override_needs_qa: '只有质量经理可以签署例外批准（{{signer}} 不可以）。',
    product_unknown: '产品或物料 {{id}} 不在目录中。',
    quantity_not_negative: '只有库存调整可以为负数。',
    quantity_positive: '数量必须大于零。',
    shipment_exists: '发货单 {{shipment}} 已包含批次 {{lot}}。',
    shipment_lot_repeated: '同一发货单中每个批次只能出现一次。',
    supplier_not_approved: '供应商 {{supplier}}（{{name}}）未获批准（{{status}}），不能接收其到货。请先由质量经理批准该供应商。',
    supplier_unknown: '供应商 {{id}} 不在目录中。',
    supplier_wrong_kind: '该供应商登记为 {{kind}}，此收货需要 {{expected}} 类供应商。',
    temperature_implausible: '温度 {{value}} °C 不合理（允许 {{min}} 至 {{max}} °C）。请核对读数。',
    unit_dimension: '以 {{from}} 计的数量无法换算为该批次的单位 {{to}}（单位类别不同）。',
  },
  password: {
    too_short: '至少 10 个字符',
    equals_user_id: '不能与用户 ID 相同',
    reused: '不能与最近 5 次使用过的密码相同',
  },
  warnings: {
    clock_behind_ledger: '本机时钟早于最新的审计条目。请先核对日期和时间再进行记录；您产生的条目将被标记。',
  },
};
