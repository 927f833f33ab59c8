/**
 * Messages of the desktop shell and its file handling (issue 24): backup and restore on
 * Windows, documents opened in the system viewer, the data folder, the signing key that
 * cannot be unsealed, diagnostics and a busy database. Merged into en / zh-CN by index.ts.
 */
export const desktopMessagesEn = {
  desktop: {
    documents: {
      print: 'Print',
      openFailed: 'The document could not be shown.',
    },
  },
  errors: {
    bad_frame: 'The message could not be read ({{reason}}) and was ignored; nothing was changed.',
    backup_changed_while_restoring:
      'The backup file changed while it was being copied for the restore. Nothing was replaced; check the backup medium and try again.',
    database_busy:
      'The database is being changed by another program (for example an ERP import from the command line). Nothing was changed; try again in a moment.',
    host_key_locked:
      "This workstation's signing key cannot be opened ({{reason}}). Nothing can be recorded until it is.",
    key_already_open:
      "This workstation's key is open; replacing it is an administrator's enrolment, not a start-up action.",
    key_not_passphrase_sealed: 'This key is not sealed with a passphrase ({{seal}}).',
    key_os_unavailable:
      'The operating system cannot protect a key in this session: {{why}}. Choose a passphrase instead.',
    preview_expired: 'This preview is no longer kept. Make it again to open or print it.',
    viewer_failed: 'The system viewer could not {{action}} the document: {{reason}}. Download it and open it yourself.',
    viewer_unavailable:
      'This workstation has no document viewer. Use Download, or open the document in the browser tab.',
    restore_busy: 'A restore cannot start while {{job}} is running. Wait for it to finish and try again.',
    restore_in_progress: 'A restore is replacing the database. Wait a moment, then sign in again.',
    restore_running: 'A restore is running. Wait for it to finish; then back up or verify the restored database.',
  },
};

export const desktopMessagesZh: typeof desktopMessagesEn = {
  desktop: {
    documents: {
      print: '打印',
      openFailed: '无法显示该文件。',
    },
  },
  errors: {
    bad_frame: '无法读取该消息（{{reason}}），已忽略；未做任何更改。',
    backup_changed_while_restoring: '恢复时复制的备份文件发生了变化。未替换任何内容；请检查备份介质后重试。',
    database_busy: '数据库正被其他程序修改（例如命令行的 ERP 导入）。未做任何更改；请稍后重试。',
    host_key_locked: '无法打开本工作站的签名密钥（{{reason}}）。在打开之前无法记录任何内容。',
    key_already_open: '本工作站的密钥已打开；更换密钥属于管理员的登记操作，而不是启动操作。',
    key_not_passphrase_sealed: '此密钥不是用口令加密的（{{seal}}）。',
    key_os_unavailable: '操作系统在本会话中无法保护密钥：{{why}}。请改用口令。',
    preview_expired: '此预览已不再保留。请重新生成后再打开或打印。',
    viewer_failed: '系统查看器无法处理该文件（{{action}}）：{{reason}}。请下载后自行打开。',
    viewer_unavailable: '此工作站没有文件查看器。请使用“下载”，或在浏览器标签页中打开该文件。',
    restore_busy: '{{job}}正在进行，无法开始恢复。请等待其完成后重试。',
    restore_in_progress: '正在用备份替换数据库。请稍候，然后重新登录。',
    restore_running: '正在进行恢复。请等待其完成，然后再对恢复后的数据库进行备份或校验。',
  },
};
