/**
 * Messages of the site server (issue 23: `lotseal serve`, workstations as clients), in both
 * languages; merged into en / zh-CN by index.ts. Kept in one file so the catalogues other
 * branches edit stay untouched.
 */
export const siteMessagesEn = {
  errors: {
    already_applied:
      'This action was already saved on the server (request {{requestId}}, entry #{{seq}}). It was not saved a second time; refresh to see it.',
    server_unreachable:
      'The site server {{url}} cannot be reached. Nothing was sent; work that needs the server waits until it is back.',
    request_id_required: 'A change sent to the site server must carry a request id. Nothing was saved.',
    request_id_reused: 'This request id was already used for another action. Nothing was saved.',
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
    already_applied: '此操作已在服务器上保存（请求 {{requestId}}，审计条目 #{{seq}}），未重复保存。请刷新查看。',
    server_unreachable: '无法连接站点服务器 {{url}}。未发送任何内容；需要服务器的工作将等到服务器恢复后进行。',
    request_id_required: '发送到站点服务器的更改必须带有请求编号。未保存任何内容。',
    request_id_reused: '该请求编号已用于另一项操作。未保存任何内容。',
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
