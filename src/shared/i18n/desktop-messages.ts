/**
 * Messages of the desktop shell and its file handling (issue 24): backup and restore on
 * Windows, documents opened in the system viewer, the data folder, the signing key that
 * cannot be unsealed, diagnostics and a busy database. Merged into en / zh-CN by index.ts.
 */
export const desktopMessagesEn = {
  errors: {
    bad_frame: 'The message could not be read ({{reason}}) and was ignored; nothing was changed.',
    backup_changed_while_restoring:
      'The backup file changed while it was being copied for the restore. Nothing was replaced; check the backup medium and try again.',
    restore_busy: 'A restore cannot start while {{job}} is running. Wait for it to finish and try again.',
    restore_in_progress: 'A restore is replacing the database. Wait a moment, then sign in again.',
    restore_running: 'A restore is running. Wait for it to finish; then back up or verify the restored database.',
  },
};

export const desktopMessagesZh: typeof desktopMessagesEn = {
  errors: {
    bad_frame: '无法读取该消息（{{reason}}），已忽略；未做任何更改。',
    backup_changed_while_restoring: '恢复时复制的备份文件发生了变化。未替换任何内容；请检查备份介质后重试。',
    restore_busy: '{{job}}正在进行，无法开始恢复。请等待其完成后重试。',
    restore_in_progress: '正在用备份替换数据库。请稍候，然后重新登录。',
    restore_running: '正在进行恢复。请等待其完成，然后再对恢复后的数据库进行备份或校验。',
  },
};
