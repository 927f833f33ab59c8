/**
 * Messages of the downloads from a site server and the operations commands through it (issue 23,
 * D-103–D-106), in both languages; merged into en / zh-CN by index.ts. Kept in one file so the
 * catalogues other branches edit stay untouched.
 */
export const transferMessagesEn = {
  errors: {
    transfer_not_found:
      'There is nothing to download for this (it was not made for you, has expired, or the server restarted). Start the export again.',
    transfer_corrupt:
      'The download of {{file}} did not match what the server offered (SHA-256 checked): nothing was kept. Try again; if it happens again, tell the administrator.',
    download_exists:
      '{{file}} already exists: a download never overwrites anything. Choose a new name or an empty folder.',
    remote_init:
      'A site’s database is created on the server itself: run `lotseal --db FILE init …` there, enrol the server’s key (`host enrol --kind server`), then start `lotseal serve`. Nothing was sent.',
    remote_anchor:
      'Through a site server the evidence folder carries the server’s own anchor; --anchor and --no-anchor are only for a database file (--db).',
    request_expired:
      'The server did not answer request {{requestId}} for more than a day; it was not sent again (it could otherwise be saved twice). Check on the server whether it was saved.',
  },
  evidence: {
    onServer: 'The folder was written on the site server {{host}}. Download a checked copy to this workstation:',
    download: 'Download to this workstation',
    downloaded:
      'Downloaded to this workstation ({{files}} files, {{bytes}} bytes; every file’s SHA-256 and the manifest checked):',
  },
};

export const transferMessagesZh: typeof transferMessagesEn = {
  errors: {
    transfer_not_found: '没有可下载的内容（不是为您生成的、已过期，或服务器已重启）。请重新导出。',
    transfer_corrupt:
      '下载的 {{file}} 与服务器提供的内容不一致（已核对 SHA-256），未保留任何文件。请重试；如再次发生，请告知管理员。',
    download_exists: '{{file}} 已存在：下载从不覆盖任何文件。请换一个新名称或选择空文件夹。',
    remote_init:
      '站点的数据库在服务器上创建：请在服务器上执行 `lotseal --db 文件 init …`，登记服务器密钥（`host enrol --kind server`），然后启动 `lotseal serve`。未发送任何内容。',
    remote_anchor:
      '通过站点服务器导出时，证据文件夹包含服务器自身的锚点；--anchor 和 --no-anchor 仅适用于数据库文件（--db）。',
    request_expired:
      '服务器超过一天未答复请求 {{requestId}}，该请求未再次发送（否则可能被保存两次）。请在服务器上核实是否已保存。',
  },
  evidence: {
    onServer: '证据文件夹已写在站点服务器 {{host}} 上。可将经过校验的副本下载到本工作站：',
    download: '下载到本工作站',
    downloaded: '已下载到本工作站（{{files}} 个文件，{{bytes}} 字节；已逐一核对每个文件的 SHA-256 及清单）：',
  },
};
