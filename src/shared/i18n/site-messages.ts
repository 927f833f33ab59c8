/**
 * Messages of the site server (issue 23: `lotseal serve`, workstations as clients), in both
 * languages; merged into en / zh-CN by index.ts. Kept in one file so the catalogues other
 * branches edit stay untouched.
 */
export const siteMessagesEn = {
  errors: {
    site_unreachable:
      'The site server {{host}} cannot be reached: nothing was saved. What you entered stays on screen; try again when the server is back.',
    site_unreachable_read: 'The site server {{host}} cannot be reached: this could not be loaded.',
    site_check_reading:
      'A reading for a daily check is not taken at a workstation of a site server in this version: enter the check’s values by hand, or take the check at a workstation with its own database.',
    site_settings:
      'The site settings {{file}} cannot be used ({{reason}}). Expected {"server": "wss://HOST:PORT", "fingerprint": "<64 hex digits>"}; remove the file to work on this workstation’s own database.',
    already_applied:
      'This action was already saved on the server (request {{requestId}}, entry #{{seq}}). It was not saved a second time; refresh to see it.',
    server_unreachable:
      'The site server {{url}} cannot be reached. Nothing was sent; work that needs the server waits until it is back.',
    request_id_required: 'A change sent to the site server must carry a request id. Nothing was saved.',
    request_id_reused: 'This request id was already used for another action. Nothing was saved.',
    // Review (attack, D-120–D-122).
    site_key_retired:
      'This workstation’s key ({{key}}, {{host}}) is no longer in force on the site server: nothing was saved, and the connection was closed. An administrator enrols the workstation again.',
    site_server_path:
      'On a site server, {{channel}} writes into the server’s own folder: a workstation does not name a folder ({{field}}) on the server’s disk. Leave the folder empty. Nothing was started.',
    frame_clock_backwards:
      'The capture was refused: the workstation says it was taken at {{capturedAt}}, before its earlier capture {{earlierSeq}} on this instrument (taken at {{earlierAt}}). A workstation’s clock does not run backwards; check its time. Nothing was written.',
    site_fingerprint_mismatch:
      'The site server {{url}} presented a certificate with fingerprint {{actual}}, not the pinned {{expected}}. Nothing was sent. If the server’s certificate was replaced on purpose, ask the administrator for the new fingerprint.',
    site_refused: 'The site server refused this workstation: {{reason}}.',
    site_url: 'Not a site-server address: {{url}} (expected wss://HOST:PORT).',
    site_fingerprint:
      'Not a certificate fingerprint: {{value}} (expected 64 hexadecimal digits, as `lotseal serve` prints it).',
    server_key_not_enrolled:
      'This site server’s signing key ({{fingerprint}}) is not enrolled in the database. An administrator enrols it first: lotseal host enrol --db FILE --kind server --user ADMIN --password-file FILE.',
    bench_local_channel:
      '{{channel}} runs at the instrument bench, not on the site server: the workstation handles it itself.',
    remote_not_supported:
      'The command `{{command}}` is not available through a site server in this version; run it on the server with --db FILE.',
  },
  // The workstation's side (branch clients, D-101): which server it is on, and what still works without it.
  siteLink: {
    embedded: 'This workstation',
    server: 'Server',
    serverTitle: 'Site server {{name}} at {{host}}, certificate fingerprint {{fingerprint}}',
    state: {
      connecting: 'connecting…',
      connected: 'connected',
      unreachable: 'cannot be reached',
      refused: 'refused',
    },
    unreachableTitle: 'The site server {{host}} cannot be reached',
    refusedTitle: 'The site server {{host}} refused this workstation',
    unreachableSince: 'Since {{time}}. LotSeal keeps trying and carries on by itself when the server answers again.',
    stillWorks:
      'Still works: reading what is on screen; capturing readings at this bench (each reading is signed and waits here, in order, until the server is back).',
    doesNotWork:
      'Does not work until the server answers: saving, submitting, reviewing, signing, printing and loading other records. Buttons that would save are switched off; what you have typed stays in the form.',
    queued: '{{count}} signed reading(s) waiting at this workstation for the server.',
    backTitle: 'Connected to the site server again',
    back: 'Saving and signing work again; the screens have been refreshed.',
    reason: {
      network: 'No answer from the server’s address.',
      fingerprint:
        'The server’s certificate does not match the fingerprint this workstation was set to: nothing was sent. Ask the administrator.',
    },
  },
  site: {
    close: {
      normal: 'closed',
      server_stopping: 'the server is stopping',
      protocol: 'the workstation spoke a protocol the server does not accept',
      unknown_host: 'this workstation is not enrolled with the server (lotseal host enrol --server …)',
      key_retired: 'this workstation’s key was retired; an administrator must enrol its new key',
      bad_signature: 'this workstation could not prove it holds its key',
      version: 'the workstation and the server run incompatible versions',
      enrol_refused:
        'the enrolment was refused (wrong administrator password, not an administrator, or already enrolled)',
      handshake_timeout: 'the workstation did not authenticate in time',
      not_ready: 'the server’s database is not open',
    },
    state: {
      connecting: 'Connecting to the site server…',
      online: 'On the site server',
      unreachable: 'Cannot reach the site server',
      refused: 'Refused by the site server',
      closed: 'Disconnected',
    },
  },
};

export const siteMessagesZh: typeof siteMessagesEn = {
  errors: {
    site_unreachable: '无法连接站点服务器 {{host}}，未保存任何内容。已填写的内容仍在屏幕上，服务器恢复后请重试。',
    site_unreachable_read: '无法连接站点服务器 {{host}}，无法加载此内容。',
    site_check_reading:
      '此版本中，站点服务器的工作站不能为日常核查采集读数：请手工录入核查数值，或在使用本机数据库的工作站上进行核查。',
    site_settings:
      '站点设置文件 {{file}} 无法使用（{{reason}}）。应为 {"server": "wss://主机:端口", "fingerprint": "<64 位十六进制>"}；删除该文件即使用本机自己的数据库。',
    already_applied: '此操作已在服务器上保存（请求 {{requestId}}，审计条目 #{{seq}}），未重复保存。请刷新查看。',
    server_unreachable: '无法连接站点服务器 {{url}}。未发送任何内容；需要服务器的工作将等到服务器恢复后进行。',
    request_id_required: '发送到站点服务器的更改必须带有请求编号。未保存任何内容。',
    request_id_reused: '该请求编号已用于另一项操作。未保存任何内容。',
    // 审查（attack，D-120–D-122）。
    site_key_retired:
      '本工作站的密钥（{{key}}，{{host}}）在站点服务器上已停用：未保存任何内容，连接已断开。请由系统管理员重新登记该工作站。',
    site_server_path:
      '在站点服务器上，{{channel}} 写入服务器自己的文件夹：工作站不能指定服务器磁盘上的文件夹（{{field}}）。请将文件夹留空。未启动任何操作。',
    frame_clock_backwards:
      '采集数据被拒收：工作站显示采集时间为 {{capturedAt}}，早于它在该仪器上较早的一次采集（序号 {{earlierSeq}}，{{earlierAt}}）。工作站时钟不会倒走，请检查其时间。未写入任何内容。',
    site_fingerprint_mismatch:
      '站点服务器 {{url}} 出示的证书指纹为 {{actual}}，与已固定的 {{expected}} 不符。未发送任何内容。如服务器证书确为有意更换，请向管理员索取新指纹。',
    site_refused: '站点服务器拒绝了本工作站：{{reason}}。',
    site_url: '不是站点服务器地址：{{url}}（应为 wss://主机:端口）。',
    site_fingerprint: '不是证书指纹：{{value}}（应为 64 位十六进制数字，即 `lotseal serve` 打印的指纹）。',
    server_key_not_enrolled:
      '本站点服务器的签名密钥（{{fingerprint}}）尚未在数据库中登记。请管理员先登记：lotseal host enrol --db 文件 --kind server --user 管理员 --password-file 文件。',
    bench_local_channel: '{{channel}} 在仪器工位本地执行，不在站点服务器上执行：由工作站自行处理。',
    remote_not_supported: '此版本不支持通过站点服务器执行 `{{command}}`；请在服务器上用 --db 文件 执行。',
  },
  siteLink: {
    embedded: '本机',
    server: '服务器',
    serverTitle: '站点服务器 {{name}}（{{host}}），证书指纹 {{fingerprint}}',
    state: {
      connecting: '正在连接…',
      connected: '已连接',
      unreachable: '无法连接',
      refused: '被拒绝',
    },
    unreachableTitle: '无法连接站点服务器 {{host}}',
    refusedTitle: '站点服务器 {{host}} 拒绝了本工作站',
    unreachableSince: '自 {{time}} 起。LotSeal 会持续重试，服务器恢复后自动继续。',
    stillWorks:
      '仍可使用：查看当前屏幕上的内容；在本工位采集仪器读数（每个读数都已签名，按顺序暂存在本机，服务器恢复后写回）。',
    doesNotWork:
      '服务器恢复前不可用：保存、提交、复核、电子签名、打印及打开其他记录。保存类按钮已停用；已填写的内容保留在表单中。',
    queued: '本机有 {{count}} 个已签名读数等待写回服务器。',
    backTitle: '已重新连接站点服务器',
    back: '保存和签名已恢复，页面数据已刷新。',
    reason: {
      network: '服务器地址无响应。',
      fingerprint: '服务器证书与本工作站设置的指纹不一致，未发送任何内容。请联系管理员。',
    },
  },
  site: {
    close: {
      normal: '已关闭',
      server_stopping: '服务器正在停止',
      protocol: '工作站使用了服务器不接受的协议',
      unknown_host: '本工作站尚未在服务器登记（lotseal host enrol --server …）',
      key_retired: '本工作站的密钥已停用；需由管理员登记其新密钥',
      bad_signature: '本工作站无法证明持有其密钥',
      version: '工作站与服务器的版本不兼容',
      enrol_refused: '登记被拒绝（管理员密码错误、非管理员或已登记）',
      handshake_timeout: '工作站未能及时完成认证',
      not_ready: '服务器的数据库未打开',
    },
    state: {
      connecting: '正在连接站点服务器…',
      online: '已连接站点服务器',
      unreachable: '无法连接站点服务器',
      refused: '站点服务器拒绝连接',
      closed: '已断开',
    },
  },
};
