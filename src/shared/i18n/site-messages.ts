/**
 * Messages of a workstation that is a client of a site server (issue 23 §3, D-101), in both
 * languages; merged into en / zh-CN by index.ts. Kept in one file so the catalogues other
 * branches edit stay untouched.
 */
export const siteMessagesEn = {
  site: {
    embedded: 'This workstation',
    server: 'Server',
    serverTitle: 'Site server {{name}} at {{host}}, certificate {{fingerprint}}',
    state: {
      connecting: 'connecting…',
      connected: 'connected',
      unreachable: 'cannot be reached',
    },
    unreachableTitle: 'The site server {{host}} cannot be reached',
    unreachableSince: 'Since {{time}}. LotSeal keeps trying and carries on by itself when the server answers again.',
    stillWorks:
      'Still works: reading what is on screen; capturing readings at this bench (each reading is signed and waits here, in order, until the server is back).',
    doesNotWork:
      'Does not work until the server answers: saving, submitting, reviewing, signing, printing and loading other records. Buttons that would save are switched off; what you have typed stays in the form.',
    queued: '{{count}} signed reading(s) waiting at this workstation for the server.',
    backTitle: 'Connected to the site server again',
    back: 'Saving and signing work again; the screens have been refreshed.',
    reason: {
      refused: 'The server refused this workstation (not enrolled, or its key changed).',
      fingerprint: 'The server’s certificate does not match the fingerprint this workstation was set to.',
      network: 'No answer from the server’s address.',
    },
  },
  errors: {
    site_unreachable:
      'The site server {{host}} cannot be reached: nothing was saved. What you entered stays on screen; try again when the server is back.',
    site_unreachable_read: 'The site server {{host}} cannot be reached: this could not be loaded.',
    site_call_lost:
      'The connection to the site server {{host}} broke while this was being saved. It was sent with a request id: when the server is back, repeat it and the server answers with the first result instead of saving it twice.',
  },
} as const;

export const siteMessagesZh = {
  site: {
    embedded: '本机',
    server: '服务器',
    serverTitle: '站点服务器 {{name}}（{{host}}），证书指纹 {{fingerprint}}',
    state: {
      connecting: '正在连接…',
      connected: '已连接',
      unreachable: '无法连接',
    },
    unreachableTitle: '无法连接站点服务器 {{host}}',
    unreachableSince: '自 {{time}} 起。LotSeal 会持续重试，服务器恢复后自动继续。',
    stillWorks:
      '仍可使用：查看当前屏幕上的内容；在本工位采集仪器读数（每个读数都已签名，按顺序暂存在本机，服务器恢复后写回）。',
    doesNotWork:
      '服务器恢复前不可用：保存、提交、复核、电子签名、打印及打开其他记录。保存类按钮已停用；已填写的内容保留在表单中。',
    queued: '本机有 {{count}} 个已签名读数等待写回服务器。',
    backTitle: '已重新连接站点服务器',
    back: '保存和签名已恢复，页面数据已刷新。',
    reason: {
      refused: '服务器拒绝了本工位（未登记，或工位密钥已更换）。',
      fingerprint: '服务器证书与本工位设置的指纹不一致。',
      network: '服务器地址无响应。',
    },
  },
  errors: {
    site_unreachable: '无法连接站点服务器 {{host}}，未保存任何内容。已填写的内容仍在屏幕上，服务器恢复后请重试。',
    site_unreachable_read: '无法连接站点服务器 {{host}}，无法加载此内容。',
    site_call_lost:
      '保存过程中与站点服务器 {{host}} 的连接中断。此操作带有请求编号：服务器恢复后重新提交，服务器会返回第一次的结果，不会重复保存。',
  },
} as const;
