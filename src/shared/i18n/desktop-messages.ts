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
    dialogs: {
      reload: 'Reload',
      quit: 'Quit',
      wait: 'Wait',
      ok: 'OK',
      openLogFolder: 'Open the log folder',
      logHint: 'Details are in the log file {{file}}. Give it to your administrator.',
      fatalTitle: 'LotSeal has to close',
      fatalMessage: 'LotSeal met an error it cannot recover from: {{message}}',
      startFailed: 'LotSeal could not start: {{message}}',
      rendererGoneTitle: 'The LotSeal window stopped',
      rendererGone:
        'The window stopped ({{reason}}). Records are written only when a change is confirmed, so nothing confirmed is lost. Reload the window?',
      crashLoop:
        'The window stopped {{count}} times within a minute; LotSeal will not reload it again. Quit and tell your administrator.',
      loadFailedTitle: 'The LotSeal window could not load',
      loadFailed: 'The page of the LotSeal window could not be loaded ({{description}}, code {{code}}).',
      preloadErrorTitle: 'The LotSeal window cannot reach the application',
      preloadError: 'The bridge between the window and LotSeal could not be set up: {{message}}',
      notReadyTitle: 'The LotSeal window did not open',
      notReady: 'The window did not become ready within {{seconds}} seconds. Wait longer, reload it, or quit.',
      unresponsiveTitle: 'The LotSeal window is not responding',
      unresponsive:
        'The window has stopped responding. Wait for it, or reload it (changes not yet confirmed are lost).',
      networkShareTitle: 'LotSeal cannot use this data folder',
      networkShare:
        'The data folder {{dir}} is on a network share ({{reason}}). LotSeal keeps its records in a local SQLite database whose file locking a network share cannot guarantee: the records could be damaged. Use a local folder (the default is {{machineDir}}) or set LOTSEAL_DATA_DIR to a local folder. Backups may go to a network share.',
      dataDirTitle: 'LotSeal cannot use its data folder',
      dataDir:
        'The data folder {{dir}} cannot be used: {{reason}}. On Windows the installer creates it for all users; on Linux the package creates /var/lib/lotseal for the group "lotseal": ask your administrator to add this account to that group.',
      legacyTitle: "LotSeal uses this account's own data folder",
      legacy:
        'LotSeal found its database in this account\'s own folder ({{dir}}) and keeps using it there. LotSeal now keeps one database per computer in {{machineDir}}; your administrator can move it there (README, "Where data is stored").',
    },
    key: {
      title: "This workstation's signing key cannot be opened",
      reasons: {
        os_unavailable:
          'The key is protected by the operating system, but this session has no key store: on Linux no keyring (GNOME Keyring or KWallet) is running, and LotSeal does not accept the fixed-password fallback.',
        os_decrypt_failed:
          "The operating system could not open the key. This happens when the key was made under another Windows account, after an administrator reset this account's password, or when the data folder was copied from another computer.",
        passphrase_required: "This workstation's key is sealed with a passphrase. Enter it to start LotSeal.",
        no_protection:
          "This is the first start and this session has no operating-system key store (no keyring). Choose a passphrase to seal this workstation's key; it is asked at every start.",
        damaged: 'The key file is damaged and cannot be read.',
      },
      nothingRecorded:
        'Nothing can be recorded on this workstation until its key is open. Records already made are not affected.',
      passphrase: 'Key passphrase',
      unlock: 'Open the key',
      replaceTitle: 'Give this workstation a new key',
      replaceIntro:
        'A new key is made; the file that could not be opened is kept beside it, never deleted. The workstation then records nothing until an administrator registers the new key on it.',
      forgot: 'Passphrase forgotten, or the key is lost?',
      protectionOs: "Protected by the operating system (this account's key store)",
      protectionPassphrase:
        'Sealed with a passphrase (any account on this computer that knows it; asked at every start)',
      osUnavailable: 'Not available in this session.',
      newPassphrase: 'New key passphrase',
      repeatPassphrase: 'Repeat the passphrase',
      minLength: 'At least {{min}} characters.',
      mismatch: 'The two passphrases differ.',
      confirm:
        'I understand that an administrator must register the new key before this workstation can record anything.',
      replace: 'Make a new key',
      replaced: 'New key made (fingerprint {{fingerprint}}). The key that could not be opened was kept as {{file}}.',
      adminNext: 'Next: an administrator signs in on this workstation to register the new key.',
      continue: 'Continue',
      details: 'Details',
      dataDir: 'Data folder',
      logFile: 'Log file',
    },
    startup: {
      title: 'LotSeal could not open its database',
      retry: 'Try again',
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
    dialogs: {
      reload: '重新加载',
      quit: '退出',
      wait: '等待',
      ok: '确定',
      openLogFolder: '打开日志文件夹',
      logHint: '详细信息见日志文件 {{file}}。请将其交给系统管理员。',
      fatalTitle: 'LotSeal 需要关闭',
      fatalMessage: 'LotSeal 遇到无法恢复的错误：{{message}}',
      startFailed: 'LotSeal 无法启动：{{message}}',
      rendererGoneTitle: 'LotSeal 窗口已停止',
      rendererGone: '窗口已停止（{{reason}}）。只有确认后的更改才会写入记录，已确认的内容不会丢失。是否重新加载窗口？',
      crashLoop: '窗口在一分钟内停止了 {{count}} 次；LotSeal 不再自动重新加载。请退出并告知系统管理员。',
      loadFailedTitle: 'LotSeal 窗口无法加载',
      loadFailed: '无法加载 LotSeal 窗口的页面（{{description}}，代码 {{code}}）。',
      preloadErrorTitle: 'LotSeal 窗口无法连接到应用程序',
      preloadError: '无法建立窗口与 LotSeal 之间的连接：{{message}}',
      notReadyTitle: 'LotSeal 窗口未能打开',
      notReady: '窗口在 {{seconds}} 秒内未就绪。可以继续等待、重新加载或退出。',
      unresponsiveTitle: 'LotSeal 窗口无响应',
      unresponsive: '窗口已停止响应。可以等待，或重新加载（尚未确认的更改将丢失）。',
      networkShareTitle: 'LotSeal 无法使用此数据文件夹',
      networkShare:
        '数据文件夹 {{dir}} 位于网络共享上（{{reason}}）。LotSeal 将记录保存在本地 SQLite 数据库中，网络共享无法保证其文件锁定，记录可能损坏。请使用本地文件夹（默认为 {{machineDir}}），或将 LOTSEAL_DATA_DIR 设置为本地文件夹。备份可以保存到网络共享。',
      dataDirTitle: 'LotSeal 无法使用其数据文件夹',
      dataDir:
        '无法使用数据文件夹 {{dir}}：{{reason}}。在 Windows 上，安装程序会为所有用户创建该文件夹；在 Linux 上，安装包会为 "lotseal" 组创建 /var/lib/lotseal：请系统管理员将此账户加入该组。',
      legacyTitle: 'LotSeal 使用此账户自己的数据文件夹',
      legacy:
        'LotSeal 在此账户自己的文件夹（{{dir}}）中找到了数据库，并继续在该处使用。LotSeal 现在每台计算机只保存一个数据库，位于 {{machineDir}}；系统管理员可以将其迁移过去（见 README“数据存储位置”）。',
    },
    key: {
      title: '无法打开本工作站的签名密钥',
      reasons: {
        os_unavailable:
          '该密钥由操作系统保护，但当前会话没有密钥存储：在 Linux 上没有运行密钥环（GNOME Keyring 或 KWallet），LotSeal 不接受固定口令的替代方式。',
        os_decrypt_failed:
          '操作系统无法打开该密钥。这通常发生在：密钥由另一个 Windows 账户创建、管理员重置了此账户的密码，或数据文件夹是从另一台计算机复制过来的。',
        passphrase_required: '本工作站的密钥用口令加密。请输入口令以启动 LotSeal。',
        no_protection:
          '这是首次启动，且当前会话没有操作系统密钥存储（没有密钥环）。请选择一个口令来加密本工作站的密钥；每次启动时都需要输入。',
        damaged: '密钥文件已损坏，无法读取。',
      },
      nothingRecorded: '在密钥打开之前，本工作站无法记录任何内容。已有的记录不受影响。',
      passphrase: '密钥口令',
      unlock: '打开密钥',
      replaceTitle: '为本工作站生成新密钥',
      replaceIntro:
        '将生成一个新密钥；无法打开的密钥文件保留在旁边，绝不删除。在管理员于本工作站登记新密钥之前，本工作站不会记录任何内容。',
      forgot: '忘记口令或密钥丢失？',
      protectionOs: '由操作系统保护（此账户的密钥存储）',
      protectionPassphrase: '用口令加密（本计算机上知道口令的任何账户均可使用；每次启动时输入）',
      osUnavailable: '当前会话中不可用。',
      newPassphrase: '新密钥口令',
      repeatPassphrase: '再次输入口令',
      minLength: '至少 {{min}} 个字符。',
      mismatch: '两次输入的口令不一致。',
      confirm: '我了解：在本工作站能够记录任何内容之前，必须由管理员登记新密钥。',
      replace: '生成新密钥',
      replaced: '已生成新密钥（指纹 {{fingerprint}}）。无法打开的密钥已保留为 {{file}}。',
      adminNext: '下一步：由管理员在本工作站登录，以登记新密钥。',
      continue: '继续',
      details: '详细信息',
      dataDir: '数据文件夹',
      logFile: '日志文件',
    },
    startup: {
      title: 'LotSeal 无法打开其数据库',
      retry: '重试',
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
