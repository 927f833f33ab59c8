/**
 * Messages of issue 18 (personal signatures, enrolment, no quiet rollback, witnesses), in both
 * languages; merged into en / zh-CN by index.ts. Kept in one file so the catalogues other
 * capabilities edit stay untouched.
 */
export const trustMessagesEn = {
  meanings: {
    enrolled: 'Identity verified and enrolled',
    acknowledged: 'Rollback acknowledged',
  },
  findings: {
    signature_invalid:
      'An e-signature does not verify with its signer’s personal key valid at its time (or the head it witnesses differs).',
    signature_missing: 'A change that must be signed has no personal signature in its transaction.',
    signer_not_entitled:
      'An e-signature’s signer did not hold a role allowed to make it, or was not active, at that time.',
    key_not_enrolled: 'A personal signing key was registered without an administrator’s enrolment (or was changed).',
    witness_mismatch: 'The chain does not hold the head printed on paper (witness).',
    triggers_missing: 'The append-only protection of the audit trail was removed or altered.',
    correction_mismatch: 'A correction record does not match the audit entries it names.',
  },
  warnings: {
    failed_attempts: '{{count}} failed sign-in attempt(s) on your account since your last sign-in.',
    workstation_not_enrolled:
      'This workstation is not enrolled in this database (key {{fingerprint}}): nothing can be written until an administrator enrols it in Administration → Settings.',
  },
  errors: {
    settings_signature_required:
      'The go-live date, whether reviewers may hold lots and the negative swabs that close an environmental alert change what a release requires: saving a change to them needs your personal signature. Nothing was saved.',
    signature_required:
      'This change must carry a valid personal signature ({{meanings}}) of a person entitled to sign it. Nothing was saved.',
    signature_not_valid: 'The signature for {{entity}} {{id}} is not valid ({{reason}}). Nothing was saved.',
    signer_not_entitled: 'The signer does not hold a role allowed to sign this ({{rule}}). Nothing was saved.',
    anchor_ahead_of_database:
      'This database ends at entry #{{dbSeq}}, but this workstation last wrote entry #{{anchorSeq}} ({{anchorAt}}): the database was replaced by an older copy. Nothing can be written until either the latest backup is restored, or an administrator records a signed acknowledgement of the rollback (Administration → Settings → This workstation, or `lotseal host acknowledge-rollback`).',
    anchor_differs_from_database:
      'Entry #{{anchorSeq}} of this database is not the one this workstation wrote ({{anchorAt}}): the database was replaced by another copy. Nothing can be written until either the right database is restored, or an administrator records a signed acknowledgement (Administration → Settings → This workstation, or `lotseal host acknowledge-rollback`).',
    workstation_not_enrolled:
      'This workstation is not enrolled in this database (key {{fingerprint}}). Only an administrator can sign in here, to enrol it.',
    recovery_needs_enrolled_host:
      'A recovery code can be used only on a workstation enrolled in this database (e.g. the one where it was created); it never registers a key.',
    recovery_throttled: 'Too many wrong recovery codes. Try again after {{until}}.',
    personal_key_unsealable:
      'Your personal signing key could not be opened with this password. Ask an administrator to reset your password; you get a new key when you set your own.',
    no_personal_key:
      'You have no personal signing key yet: change your password first (an administrator created or reset your account).',
    enrolment_not_open:
      'The password an administrator set does not open your enrolment. Ask the administrator to reset your password again.',
    no_enrolment:
      'No administrator’s enrolment is waiting for your account. Ask an administrator to reset your password.',
    cli_must_change_password:
      'The password of {{userId}} was set by an administrator and must be changed before any other command: {{how}}',
    cli_password_expired: 'The password of {{userId}} has expired. Change it first: {{how}}',
    enrol_needs_admin: 'Only an administrator can enrol a workstation or acknowledge a rollback.',
    host_already_enrolled: 'This workstation (key {{fingerprint}}) is already enrolled in this database.',
    no_rollback: 'This workstation’s anchor matches the database: there is no rollback to acknowledge.',
    witness_unreadable:
      'Not a ledger witness. Scan the QR code of a certificate of analysis or an evidence pack, or type SEQ:HASH (a sequence number and a 64-digit hash).',
  },
  admin: {
    workstation: 'This workstation',
  },
  trust: {
    enrolmentSignature:
      'Signed by {{name}} ({{userId}}) with the meaning “{{meaning}}”: enter your own password (21 CFR 11.100(b): you have verified this person’s identity).',
    personalKey: 'Signing key',
    noKeyYet: 'none yet (first own password)',
    thisWorkstation: 'This workstation',
    enrolled: 'Enrolled',
    notEnrolled: 'Not enrolled',
    host: 'Host',
    keyFingerprint: 'Key fingerprint (SHA-256)',
    enrolHelp:
      'This workstation’s signing key is not in this database’s key registry, so nothing can be written from it. Compare the fingerprint with the one shown on this workstation, then enrol it with your signature.',
    hostName: 'Name recorded for this workstation',
    hostNameHelp: 'e.g. QA-PC-01 (default: the computer’s name)',
    enrol: 'Enrol this workstation',
    enrolSummary: 'Enrolment of workstation {{host}}, key {{fingerprint}}, in this database’s key registry',
    enrolDone: 'This workstation is enrolled.',
    rollbackTitle: 'The database was replaced by an older copy',
    rollbackChoice:
      'Either restore the latest backup (Administration → Backup), or, if this older database is to be kept, record a signed acknowledgement: the finding goes into the audit trail and writing resumes.',
    acknowledge: 'Acknowledge the rollback…',
    acknowledgeReason: 'Why this database is kept',
    acknowledgeReasonHelp: 'e.g. the newer copy was lost with the failed disk; restored from the weekly backup on purpose',
    acknowledgeSummary: 'Acknowledgement: this workstation had written up to #{{anchorSeq}}, the database ends at #{{dbSeq}}',
    acknowledgeDone: 'The rollback is recorded; writing resumes.',
    openWorkstation: 'This workstation',
    keysOnRecord: 'Signing keys on record',
    keysHelp: 'Host keys sign checkpoints; personal keys sign e-signatures. Compare fingerprints with those printed by `lotseal verify`.',
    validFrom: 'Valid from',
    enrolledBy: 'Enrolled by',
    atCreation: 'at database creation',
    enrolment: 'Enrolment',
    retired: 'Retired',
    enrolment_init: 'first administrator',
    enrolment_upgrade: 'by the user at the upgrade',
    enrolment_enrolled: 'by an administrator',
    witnessTitle: 'Check a printed ledger head',
    witnessHelp:
      'Scan the QR code of a certificate of analysis or an evidence pack into the field, or type SEQ:HASH: LotSeal says whether the audit trail holds exactly that head at that sequence number.',
    witnessInput: 'QR code or SEQ:HASH',
    witnessCheck: 'Check',
    witnessHolds: 'The audit trail holds this head at #{{seq}}.',
    witnessDiffers: 'The audit trail does NOT hold this head: entry #{{seq}} has another hash.',
    witnessBeyond: 'The audit trail ends at #{{head}}: it does not contain #{{seq}}.',
    witnessSource: 'Printed on: {{source}} {{subject}}',
    witnessHash: 'Printed hash',
    witnessStored: 'Hash in the audit trail',
    witnessVerified: 'A full verification covered this entry and found nothing.',
    witnessNotVerified: 'No full verification without findings covers this entry yet: run one in this tab.',
    signature_verified: 'Personal signature verified',
    signature_legacy: 'Signed before personal keys (legacy record)',
    signature_invalid: 'Personal signature does NOT verify',
    signedWithKey: 'Signer’s key',
    witnessesHead: 'Witnesses the audit trail up to #{{seq}}',
  },
  cli: {
    recovery_code_argv:
      'warning: --recovery-code puts the code on the command line, where other processes can read it; use --recovery-code-file FILE (or - for standard input).',
    server_not_available:
      'Enrolment with a site server is not available in this version. Enrol on the database itself with --db FILE.',
  },
};

export const trustMessagesZh: typeof trustMessagesEn = {
  meanings: {
    enrolled: '身份已核实并登记',
    acknowledged: '已确认数据库回退',
  },
  findings: {
    signature_invalid: '电子签名无法用签名人当时有效的个人密钥验证（或其见证的审计追踪末条不一致）。',
    signature_missing: '必须签名的变更在其事务中没有个人签名。',
    signer_not_entitled: '签名人在签名时不具备允许签署该操作的角色，或账户不处于启用状态。',
    key_not_enrolled: '个人签名密钥未经系统管理员登记即被注册（或被改动）。',
    witness_mismatch: '哈希链不包含纸面上印制的审计追踪末条（见证）。',
    triggers_missing: '审计追踪的只追加保护已被删除或篡改。',
    correction_mismatch: '更正记录与其所指的审计条目不符。',
  },
  warnings: {
    failed_attempts: '自上次登录以来，您的账户有 {{count}} 次登录失败。',
    workstation_not_enrolled:
      '此工作站尚未在本数据库中登记（密钥 {{fingerprint}}）：在系统管理员于“系统管理 → 设置”中登记之前，不能写入任何记录。',
  },
  errors: {
    settings_signature_required:
      '上线日期、复核员可否冻结批次、关闭环境警报所需的阴性复检次数会改变放行要求：修改这些设置须由您本人电子签名后方可保存。未保存任何内容。',
    signature_required: '此变更必须带有有权签署者的有效个人签名（{{meanings}}）。未保存任何内容。',
    signature_not_valid: '{{entity}} {{id}} 的签名无效（{{reason}}）。未保存任何内容。',
    signer_not_entitled: '签名人不具备签署此操作的角色（{{rule}}）。未保存任何内容。',
    anchor_ahead_of_database:
      '本数据库只到第 #{{dbSeq}} 条记录，但本工作站最后写入的是第 #{{anchorSeq}} 条（{{anchorAt}}）：数据库已被旧副本替换。在恢复最新备份，或系统管理员对此次回退作出签名确认（系统管理 → 设置 → 本工作站，或 `lotseal host acknowledge-rollback`）之前，不能写入任何记录。',
    anchor_differs_from_database:
      '本数据库第 #{{anchorSeq}} 条记录不是本工作站写入的那一条（{{anchorAt}}）：数据库已被其他副本替换。在恢复正确的数据库，或系统管理员作出签名确认（系统管理 → 设置 → 本工作站，或 `lotseal host acknowledge-rollback`）之前，不能写入任何记录。',
    workstation_not_enrolled:
      '此工作站尚未在本数据库中登记（密钥 {{fingerprint}}）。只有系统管理员可以在此登录并完成登记。',
    recovery_needs_enrolled_host:
      '恢复码只能在已登记到本数据库的工作站上使用（例如创建数据库的那台）；恢复码不会登记任何密钥。',
    recovery_throttled: '恢复码错误次数过多。请于 {{until}} 之后再试。',
    personal_key_unsealable:
      '无法用此密码打开您的个人签名密钥。请系统管理员重置您的密码；设置您自己的密码后将获得新密钥。',
    no_personal_key: '您还没有个人签名密钥：请先修改密码（系统管理员创建或重置了您的账户）。',
    enrolment_not_open: '系统管理员设置的密码无法打开您的登记。请系统管理员再次重置您的密码。',
    no_enrolment: '您的账户没有待用的系统管理员登记。请系统管理员重置您的密码。',
    cli_must_change_password: '{{userId}} 的密码由系统管理员设置，执行其他命令前必须先修改：{{how}}',
    cli_password_expired: '{{userId}} 的密码已过期。请先修改：{{how}}',
    enrol_needs_admin: '只有系统管理员可以登记工作站或确认数据库回退。',
    host_already_enrolled: '此工作站（密钥 {{fingerprint}}）已在本数据库中登记。',
    no_rollback: '此工作站的锚点与数据库一致：没有需要确认的回退。',
    witness_unreadable:
      '这不是审计追踪见证。请扫描检验报告（COA）或证据包上的二维码，或输入 序号:哈希（序号和 64 位哈希值）。',
  },
  admin: {
    workstation: '本工作站',
  },
  trust: {
    enrolmentSignature: '由 {{name}}（{{userId}}）签名，签名含义为“{{meaning}}”：请输入您本人的密码（21 CFR 11.100(b)：您已核实此人的身份）。',
    personalKey: '签名密钥',
    noKeyYet: '尚无（首次设置本人密码时生成）',
    thisWorkstation: '本工作站',
    enrolled: '已登记',
    notEnrolled: '未登记',
    host: '主机',
    keyFingerprint: '密钥指纹（SHA-256）',
    enrolHelp: '本工作站的签名密钥不在本数据库的密钥登记表中，因此不能从此处写入任何记录。请核对本工作站上显示的指纹，然后签名登记。',
    hostName: '为本工作站记录的名称',
    hostNameHelp: '例如 QA-PC-01（默认：计算机名）',
    enrol: '登记本工作站',
    enrolSummary: '将工作站 {{host}}（密钥 {{fingerprint}}）登记到本数据库的密钥登记表',
    enrolDone: '本工作站已登记。',
    rollbackTitle: '数据库已被旧副本替换',
    rollbackChoice: '请恢复最新备份（系统管理 → 备份）；如确需保留这个较旧的数据库，请作出签名确认：该发现项将记入审计追踪，之后恢复写入。',
    acknowledge: '确认此次回退…',
    acknowledgeReason: '保留此数据库的理由',
    acknowledgeReasonHelp: '例如：较新的副本随故障硬盘丢失；有意从每周备份恢复',
    acknowledgeSummary: '确认：本工作站曾写入至第 #{{anchorSeq}} 条，数据库只到第 #{{dbSeq}} 条',
    acknowledgeDone: '已记录此次回退，恢复写入。',
    openWorkstation: '本工作站',
    keysOnRecord: '已登记的签名密钥',
    keysHelp: '主机密钥签署检查点；个人密钥签署电子签名。请与 `lotseal verify` 打印的指纹核对。',
    validFrom: '生效时间',
    enrolledBy: '登记人',
    atCreation: '数据库创建时',
    enrolment: '登记方式',
    retired: '停用',
    enrolment_init: '首位系统管理员',
    enrolment_upgrade: '升级时由用户本人登记',
    enrolment_enrolled: '由系统管理员登记',
    witnessTitle: '核对纸面上的审计追踪末条',
    witnessHelp: '将检验报告（COA）或证据包上的二维码扫入输入框，或输入 序号:哈希：LotSeal 会告诉您审计追踪在该序号上是否正好包含此审计追踪末条。',
    witnessInput: '二维码或 序号:哈希',
    witnessCheck: '核对',
    witnessHolds: '审计追踪在第 #{{seq}} 条包含此末条。',
    witnessDiffers: '审计追踪中没有此末条：第 #{{seq}} 条的哈希值不同。',
    witnessBeyond: '审计追踪只到第 #{{head}} 条，不包含第 #{{seq}} 条。',
    witnessSource: '印制于：{{source}} {{subject}}',
    witnessHash: '纸面哈希',
    witnessStored: '审计追踪中的哈希',
    witnessVerified: '一次完整校验已覆盖此条记录，未发现问题。',
    witnessNotVerified: '尚无覆盖此条记录且无发现项的完整校验：请在本页运行一次。',
    signature_verified: '个人签名已验证',
    signature_legacy: '个人密钥启用前的签名（历史记录）',
    signature_invalid: '个人签名无法验证',
    signedWithKey: '签名人密钥',
    witnessesHead: '见证审计追踪至第 #{{seq}} 条',
  },
  cli: {
    recovery_code_argv:
      '警告：--recovery-code 会把恢复码放在命令行上，其他进程可以读取；请使用 --recovery-code-file 文件（或 - 表示从标准输入读取）。',
    server_not_available: '此版本尚不支持通过站点服务器登记。请使用 --db 文件 直接在数据库上登记。',
  },
};
