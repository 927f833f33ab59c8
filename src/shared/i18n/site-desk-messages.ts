/**
 * Messages of a workstation joining and leaving a site server (Administration → Site server,
 * D-107), the bench queue's own retries (D-108) and signed check readings (D-109), in both
 * languages; merged into en / zh-CN by index.ts.
 */
export const siteDeskMessagesEn = {
  admin: { site: 'Site server' },
  errors: {
    site_already_joined:
      'This workstation is already set to the site server {{url}} (from its next start, if it has not restarted yet). Leave that server first to join another.',
    site_not_joined: 'This workstation is not set to a site server: it already works on its own database.',
    site_from_environment:
      'This workstation is set to its site server by the environment variable {{variable}}, not by this screen: IT changes it where LotSeal is started.',
    site_leave_queue_waiting:
      '{{count}} signed reading(s) still wait at this workstation for the server. Leave the server only once they are written back (when the server answers again), or they would never reach the record.',
    site_join_queue_waiting:
      '{{count}} signed reading(s) still wait at this workstation for its own database. Sign in as someone who may enter results so they are written back, then join the server.',
    site_join_unknown_host:
      'The site server {{url}} does not accept this workstation: its key is not enrolled there. Check that the account is an administrator on that server and try again.',
    site_join_key_retired:
      'The site server {{url}} refused this workstation: its key was retired there. An administrator on the server must enrol this workstation’s key again.',
    site_join_not_ready: 'The site server {{url}} answered, but its database is not open yet. Try again in a moment.',
    site_join_version:
      'The site server {{url}} runs a LotSeal version that cannot talk to this workstation. Update the workstation or the server.',
    frame_purpose:
      'This signed frame is a {{purpose}} reading; it was sent as a {{expected}} reading and is refused. Nothing was written.',
    readiness_changed:
      'Lot {{lot}} changed after this page was shown: its checklist is not what you saw (status now: {{status}}; lines not met now: {{failing}}). Nothing was signed. The page now shows the lot as it stands: check it and decide again.',
  },
  siteLink: {
    retryAt: 'Next attempt to write them back: {{time}}.',
    queuedConnected:
      'They are written back as soon as someone who may enter results is signed in at this workstation; LotSeal keeps trying by itself.',
  },
  instruments: {
    check: {
      queued:
        'The site server does not answer: this reading is signed and waits at this workstation, and is stored when the server is back. Read this standard again then to use it in the check.',
    },
  },
  siteJoin: {
    embeddedTitle: 'This workstation works on its own database',
    embeddedHelp:
      'Every record is kept in the data folder of this computer. A lab with several workstations keeps one record on a site server (lotseal serve); this workstation can join it here.',
    joinTitle: 'Join a site server',
    joinHelp:
      'You need the server’s address and its certificate fingerprint, both from IT on paper or in the IT ticket (never only from a message on this network), and your own administrator account on the server.',
    url: 'Server address',
    urlHelp: 'As IT gave it, e.g. wss://lab-server:8443',
    fingerprint: 'Certificate fingerprint (SHA-256)',
    fingerprintHelp: '64 hexadecimal digits; colons and spaces are ignored.',
    fingerprintCount: '{{count}} of 64 hexadecimal digits so far.',
    fingerprintBad: 'Only the digits 0–9 and the letters A–F belong in a fingerprint.',
    compare: 'Compare group by group with the fingerprint IT gave you. If a single group differs, stop and call IT.',
    name: 'Name of this workstation on the server (optional)',
    nameHelp: 'e.g. BENCH-3 or QA-OFFICE; without it, the computer’s name.',
    user: 'Your administrator account on the server',
    userHelp: 'The server checks it; it may differ from your account here.',
    password: 'Its password',
    passwordHelp: 'Sent to the server for this one check, never kept here.',
    join: 'Join the site server',
    joinedTitle: 'This workstation has joined the site server {{name}}',
    enrolled: 'The server enrolled this workstation as {{host}} (key {{fingerprint}}), with your signature.',
    enrolledBefore: 'This workstation’s key was already enrolled on the server; it was accepted.',
    written: 'Saved in {{file}}.',
    nextTitle: 'What happens next',
    nextRestart:
      'Close LotSeal on this workstation and start it again: from the next start it works on the server’s record. Until then it still works on its own database.',
    nextSignIn: 'After the restart, everyone signs in with their account on the server.',
    nextLocal:
      'The records of this workstation’s own database stay untouched in its data folder; they are not copied to the server and are not shown while the workstation is on the server.',
    nextBench:
      'Instruments stay connected at this bench. If the server cannot be reached, readings taken here are signed and wait here until it is back.',
    undo: 'Undo: stay on this workstation’s own database',
    onServer: 'This workstation works on the site server {{name}}',
    address: 'Address',
    pinned: 'Pinned certificate fingerprint:',
    queuedNow: 'Signed readings waiting at this workstation: {{count}}.',
    leave: 'Leave the site server…',
    leaveTitle: 'Leave the site server?',
    leaveMeans:
      'From its next start, this workstation works on its own database again, as before it joined; nobody here can reach the server’s records any more.',
    leaveRecords:
      'Nothing on the server is changed or deleted, and nothing is copied back: results, reviews and decisions made on the server stay there only.',
    leaveKey: 'The server keeps this workstation’s enrolment; an administrator on the server may retire its key.',
    leaveQueued:
      '{{count}} signed reading(s) still wait here for the server: leaving is refused until they are written back.',
    leaveConfirm: 'Leave the site server',
    leftTitle: 'This workstation will leave the site server',
    leftRestart: 'Close LotSeal and start it again: it then works on its own database.',
    leftLocal: 'Until the restart it stays on the server.',
    undoneTitle: 'This workstation stays on its own database',
    undone:
      'The site server setting was removed before any restart: nothing else changed. The server keeps the enrolment of this workstation’s key.',
  },
};

export const siteDeskMessagesZh: typeof siteDeskMessagesEn = {
  admin: { site: '站点服务器' },
  errors: {
    site_already_joined:
      '本工作站已设置为连接站点服务器 {{url}}（如尚未重启，则从下次启动起生效）。如要加入其他服务器，请先退出该服务器。',
    site_not_joined: '本工作站未设置站点服务器，当前已在使用本机数据库。',
    site_from_environment:
      '本工作站的站点服务器由环境变量 {{variable}} 指定，不能在此页面修改：请 IT 在 LotSeal 的启动配置中更改。',
    site_leave_queue_waiting:
      '本工作站还有 {{count}} 个已签名读数等待写回服务器。请待服务器恢复、读数写回后再退出，否则这些读数将无法进入记录。',
    site_join_queue_waiting:
      '本工作站还有 {{count}} 个已签名读数等待写入本机数据库。请由有结果录入权限的人员登录以写回这些读数，然后再加入服务器。',
    site_join_unknown_host:
      '站点服务器 {{url}} 不接受本工作站：本机密钥未在该服务器登记。请确认所用账号是该服务器上的系统管理员后重试。',
    site_join_key_retired:
      '站点服务器 {{url}} 拒绝了本工作站：本机密钥已在服务器上停用。需由服务器上的管理员重新登记本工作站的密钥。',
    site_join_not_ready: '站点服务器 {{url}} 已响应，但其数据库尚未打开。请稍后重试。',
    site_join_version: '站点服务器 {{url}} 的 LotSeal 版本与本工作站不兼容。请升级工作站或服务器。',
    frame_purpose: '该签名读数的用途为 {{purpose}}，却按 {{expected}} 读数提交，已拒绝。未写入任何内容。',
    readiness_changed:
      '本页面打开后，批次 {{lot}} 已有变化：放行核查清单与您看到的不一致（当前状态：{{status}}；当前未满足的项目：{{failing}}）。未签署任何内容。页面已刷新为批次的最新情况，请重新核对后再作决定。',
  },
  siteLink: {
    retryAt: '下次自动写回：{{time}}。',
    queuedConnected: '本工作站有具备结果录入权限的人员登录后即写回；LotSeal 会自动重试。',
  },
  instruments: {
    check: {
      queued:
        '站点服务器无响应：此读数已签名并暂存在本机，服务器恢复后写入记录。届时请重新读取该标准物质，以用于本次核查。',
    },
  },
  siteJoin: {
    embeddedTitle: '本工作站使用本机数据库',
    embeddedHelp:
      '所有记录保存在本机的数据目录中。多台工作站的实验室可将记录统一保存在站点服务器（lotseal serve）上，本工作站可在此加入。',
    joinTitle: '加入站点服务器',
    joinHelp:
      '需要服务器地址和证书指纹（由 IT 以纸面或 IT 工单提供，不能只凭本网络上收到的消息），以及您在服务器上的系统管理员账号。',
    url: '服务器地址',
    urlHelp: '按 IT 提供的填写，例如 wss://lab-server:8443',
    fingerprint: '证书指纹（SHA-256）',
    fingerprintHelp: '64 位十六进制数字；冒号和空格会被忽略。',
    fingerprintCount: '已输入 {{count}} / 64 位十六进制数字。',
    fingerprintBad: '指纹只能包含数字 0–9 和字母 A–F。',
    compare: '请与 IT 提供的指纹逐组核对。只要有一组不同，请停止操作并联系 IT。',
    name: '本工作站在服务器上的名称（可选）',
    nameHelp: '例如 BENCH-3 或 QA-OFFICE；不填则使用计算机名。',
    user: '您在服务器上的管理员账号',
    userHelp: '由服务器核验；可与本机账号不同。',
    password: '该账号的密码',
    passwordHelp: '仅为本次核验发送给服务器，本机不保存。',
    join: '加入站点服务器',
    joinedTitle: '本工作站已加入站点服务器 {{name}}',
    enrolled: '服务器已以您的签名将本工作站登记为 {{host}}（密钥 {{fingerprint}}）。',
    enrolledBefore: '本工作站的密钥此前已在服务器登记，已被接受。',
    written: '已保存到 {{file}}。',
    nextTitle: '接下来',
    nextRestart: '请关闭本工作站上的 LotSeal 并重新启动：下次启动起使用服务器上的记录。重启前仍使用本机数据库。',
    nextSignIn: '重启后，所有人使用其在服务器上的账号登录。',
    nextLocal: '本机数据库中的记录原样保留在数据目录中，不会复制到服务器；使用服务器期间不显示。',
    nextBench: '仪器仍连接在本工位。服务器无法连接时，在此采集的读数会签名并暂存本机，服务器恢复后写回。',
    undo: '撤销：继续使用本机数据库',
    onServer: '本工作站正在使用站点服务器 {{name}}',
    address: '地址',
    pinned: '已固定的证书指纹：',
    queuedNow: '本机等待写回的已签名读数：{{count}} 个。',
    leave: '退出站点服务器…',
    leaveTitle: '确定退出站点服务器？',
    leaveMeans: '下次启动起，本工作站重新使用本机数据库（恢复到加入前的状态）；在本机将无法再访问服务器上的记录。',
    leaveRecords:
      '服务器上的任何内容都不会被修改或删除，也不会复制回本机：在服务器上完成的结果、复核和放行决定只保存在服务器上。',
    leaveKey: '服务器保留本工作站的登记记录；服务器上的管理员可停用其密钥。',
    leaveQueued: '本机还有 {{count}} 个已签名读数等待写回服务器：写回之前不能退出。',
    leaveConfirm: '退出站点服务器',
    leftTitle: '本工作站将退出站点服务器',
    leftRestart: '请关闭 LotSeal 并重新启动：之后使用本机数据库。',
    leftLocal: '重启前仍连接服务器。',
    undoneTitle: '本工作站继续使用本机数据库',
    undone: '已在重启前删除站点服务器设置，其他均未改变。服务器仍保留本工作站密钥的登记记录。',
  },
};
