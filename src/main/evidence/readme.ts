/**
 * The README of an evidence folder, for an inspector who trusts nothing of ours: what each
 * file is, how to run the standalone verifier, what each finding means, and how to compare
 * fingerprints and the heads printed on certificates. Chinese first, then English.
 */
export interface ReadmeInfo {
  exportedAt: string;
  exportedBy: string;
  workstation: string;
  appVersion: string;
  databaseId: string | null;
  head: { seq: number; hash: string };
  anchor: { seq: number; hash: string } | null;
  hostKeys: Array<{ label: string; fingerprint: string | null }>;
  personalKeys: number;
  report: { ok: boolean; findings: number };
  /** Whether docs/ledger.md was included (verifier/LEDGER-FORMAT.md). */
  formatDoc: boolean;
}

/** Finding kinds with their meaning, zh-CN and en (the same list as `lotseal verify`). */
export const FINDING_TEXT: ReadonlyArray<readonly [kind: string, zh: string, en: string]> = [
  [
    'entry_hash_mismatch',
    '某条审计记录的内容与其哈希不符（记录被改动）',
    'an audit entry no longer matches its hash (it was changed)',
  ],
  ['chain_break', '某条记录未链接到前一条记录（链被截断或插入）', 'an entry does not link to the entry before it'],
  ['sequence_gap', '审计序号缺失或重复（记录被删除或插入）', 'an audit sequence number is missing or repeated'],
  ['checkpoint_signature_invalid', '检查点的签名验证失败', "a checkpoint's signature does not verify"],
  [
    'checkpoint_mismatch',
    '检查点指向的记录或哈希在链中不存在，或末端记录未被任何签名检查点覆盖',
    'a checkpoint names an entry or hash the chain does not have, or the newest entries are not covered by a signed checkpoint',
  ],
  [
    'unknown_key',
    '检查点由未登记或不在有效期内的密钥签署',
    'a checkpoint is signed by a key that is not registered, or not valid at its time',
  ],
  [
    'tail_truncated',
    '已被检查点覆盖的末尾记录缺失（末尾被删除）',
    'entries covered by a checkpoint are missing from the end',
  ],
  [
    'row_modified',
    '数据表中的记录与审计追踪所示内容不符（被直接修改）',
    'a stored record differs from what the audit trail says it is',
  ],
  [
    'row_missing',
    '审计追踪中存在的记录在数据表中缺失（被直接删除）',
    'the audit trail says a record exists, but it is not in its table',
  ],
  [
    'row_unrecorded',
    '数据表中存在没有任何审计记录的记录（被直接插入）',
    'a record exists in a table without any audit entry that created it',
  ],
  [
    'clock_regression',
    '某条记录的时间早于之前记录超过允许偏差（工作站时钟被回拨）',
    "an entry's time is earlier than an earlier entry's by more than the allowed skew",
  ],
  [
    'anchor_behind',
    '数据库在工作站锚点记录的末端之前结束或在该处不同（被旧副本替换）',
    'the database ends before, or differs at, the head the workstation recorded outside it (replaced by an older copy)',
  ],
  [
    'signature_invalid',
    '电子签名无法用签名人当时有效的个人密钥验证',
    "an e-signature does not verify with its signer's personal key valid at its time",
  ],
  [
    'signature_missing',
    '必须签名的决定（放行、审核、批准等）在其事务中没有有效电子签名',
    'a change that must be signed (a release, review, approval…) has no valid e-signature in its transaction',
  ],
  [
    'signer_not_entitled',
    '签名人当时不具备作出该决定的角色',
    'the signer did not hold a role allowed to make the decision at that time',
  ],
  [
    'key_not_enrolled',
    '个人密钥未经管理员授权登记',
    "a personal key was registered without an administrator's enrolment",
  ],
  [
    'witness_mismatch',
    '链在该序号处的哈希与 --witness 给出的（例如检验报告上打印的）不符',
    'the chain does not hold the head given with --witness (e.g. printed on a certificate)',
  ],
  [
    'triggers_missing',
    '审计追踪的只增不改保护（触发器）被移除',
    'the append-only protection of the audit trail was removed',
  ],
  [
    'correction_mismatch',
    '更正记录与其所指的审计条目不符（被更正的条目、原始条目、更正的字段或所在事务）',
    'a correction record does not match the audit entries it names (the corrected entry, the original, the fields, or its transaction)',
  ],
];

export const EVIDENCE_FILES: ReadonlyArray<readonly [path: string, zh: string, en: string]> = [
  ['README.md', '本说明', 'this description'],
  [
    'lotseal.db',
    '数据库的一致性快照（SQLite 在线备份，单文件，journal_mode=DELETE）',
    'a consistent snapshot of the database (SQLite online backup, one file, journal_mode=DELETE)',
  ],
  [
    'anchor.json',
    '本工作站的锚点：它最后签署的记录链末端（保存在数据库之外）',
    "this workstation's anchor: the last head it signed (kept outside the database)",
  ],
  [
    'keys.json',
    '工作站密钥与个人签名密钥的登记及指纹（从审计追踪重建，机器可读）',
    'host and personal key registrations with fingerprints (rebuilt from the audit trail, machine-readable)',
  ],
  ['keys.txt', '同上，便于阅读', 'the same, readable'],
  [
    'lotseal-verify-report.json',
    '导出时 LotSeal 自身对快照的验证结果（供比对，不必信任）',
    "LotSeal's own verification of the snapshot at export time (to compare with, not to trust)",
  ],
  [
    'manifest.json',
    '清单：每个文件的 SHA-256 及导出信息',
    'the manifest: every file with its SHA-256, and the export details',
  ],
  [
    'SHA256SUMS',
    '同一清单的 sha256sum 格式（sha256sum -c SHA256SUMS）',
    'the same list in sha256sum format (sha256sum -c SHA256SUMS)',
  ],
  [
    'verifier/lotseal_verify.py',
    '独立验证程序（Python 3，仅用标准库）',
    'the standalone verifier (Python 3, standard library only)',
  ],
  [
    'verifier/ed25519.py',
    'Ed25519 签名验证（按 RFC 8032 自行实现）',
    'Ed25519 signature verification (our own, following RFC 8032)',
  ],
  [
    'verifier/lotseal_records.py',
    '记录类型与数据表的对应关系、必须签名的规则',
    'the record type → table mapping and the rules of what must be signed',
  ],
  [
    'verifier/LEDGER-FORMAT.md',
    '记录链格式说明（docs/ledger.md），可据此自行编写验证程序',
    'the format description (docs/ledger.md), enough to write your own verifier',
  ],
];

function table(rows: ReadonlyArray<readonly string[]>, head: readonly string[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

export function evidenceReadme(i: ReadmeInfo): string {
  const files = EVIDENCE_FILES.filter(
    ([p]) => (p !== 'anchor.json' || i.anchor) && (p !== 'verifier/LEDGER-FORMAT.md' || i.formatDoc),
  );
  const keys = i.hostKeys.map((k) => `- ${k.label}: \`${k.fingerprint ?? '—'}\``).join('\n') || '- —';
  const verdictZh = i.report.ok ? '未发现问题' : `发现 ${i.report.findings} 个问题（见 lotseal-verify-report.json）`;
  const verdictEn = i.report.ok ? 'no findings' : `${i.report.findings} finding(s) (see lotseal-verify-report.json)`;
  return `# LotSeal 证据包 / LotSeal evidence folder

数据库 / database: \`${i.databaseId ?? '—'}\`
导出时间 / exported: ${i.exportedAt} — ${i.exportedBy} — ${i.workstation} — LotSeal ${i.appVersion}
记录链末端 / head: #${i.head.seq} \`${i.head.hash}\`
${i.anchor ? `锚点 / anchor: #${i.anchor.seq} \`${i.anchor.hash}\`` : '锚点 / anchor: 无（本工作站没有此数据库的锚点）/ none (this workstation holds no anchor for this database)'}
导出时 LotSeal 的验证 / LotSeal's verification at export: ${verdictZh} / ${verdictEn}

---

## 中文

本文件夹供检查员独立核查 LotSeal 的电子记录是否被改动，无需信任 LotSeal 软件本身。
验证程序由我们用 Python 3 编写，只使用 Python 标准库（sqlite3、hashlib、json 等），Ed25519
签名验证按 RFC 8032 自行实现，源代码全部在 \`verifier/\` 中，可以阅读；\`verifier/LEDGER-FORMAT.md\`
描述了全部格式，也可据此自行编写验证程序。

### 文件

${table(
  files.map(([p, zh]) => [`\`${p}\``, zh]),
  ['文件', '内容'],
)}

### 如何运行验证程序

需要 Python 3.8 或更高版本，无需安装其他任何软件。将整个文件夹复制到检查用的电脑上，在本文件夹中执行：

\`\`\`
python3 verifier/lotseal_verify.py          (Windows: py verifier\\lotseal_verify.py)
\`\`\`

不带参数时，它核查本文件夹中的 \`lotseal.db\`、\`anchor.json\` 和 \`manifest.json\`。常用选项：

- \`--json\`：输出机器可读的结果（与 \`lotseal verify --json\` 格式相同：ok、entries、checkpoints、verified_through、findings）；
- \`--witness 序号:哈希\`：核对检验报告（COA）等纸质文件上打印的记录链末端（可重复使用，见下文）；
- \`--csv 文件\`：核查从审计追踪页面导出的 CSV 文件；
- \`--no-anchor\`：不与锚点比较；\`--db 文件\`：核查其他数据库文件。

退出码：0 = 未发现问题；1 = 发现问题（或清单与文件不符）；2 = 无法运行（文件缺失、不是 LotSeal 数据库等）。

程序依次核查：审计追踪的哈希链（每条记录重新计算 SHA-256、前后链接、序号连续、时钟不回拨）；
每个检查点的 Ed25519 签名及其签名密钥是否已登记且在有效期内；每张数据表的每条记录是否与审计追踪一致；
个人签名密钥、电子签名及"必须签名的决定确有有权人员的有效签名"；锚点、纸质见证和只增不改的触发器。

### 发现项的含义

${table(
  FINDING_TEXT.map(([k, zh]) => [`\`${k}\``, zh]),
  ['类型', '含义'],
)}

每个发现项都给出类型、审计序号（seq）、记录类型（entity）和记录编号（id），与 LotSeal 自身的验证结果一致。

### 如何比对密钥指纹

\`keys.txt\` 列出从审计追踪重建的所有工作站密钥和个人签名密钥及其 SHA-256 指纹；验证程序运行结束时也会打印。
请与以下来源逐一比对（读出前 16 位即可，完整比对更好）：LotSeal 首页"工作站密钥"卡片显示的本工作站密钥指纹；
审计追踪中签名所示的签名人密钥指纹；以及工厂 IT 部门另行保存的登记记录。指纹不一致、或出现您不认识的密钥，都应追问。

本次导出时的工作站密钥：

${keys}

### 如何比对检验报告上打印的记录链末端

LotSeal 生成的检验报告（COA）、放行档案和召回演练报告在页脚打印"记录 #序号 · 哈希前 16 位"，COA 的二维码内容为
\`LOTSEAL|COA|批号|序号|完整哈希\`。文件打印时的记录链末端必须仍在链中：

\`\`\`
python3 verifier/lotseal_verify.py --witness 序号:哈希
python3 verifier/lotseal_verify.py --witness "LOTSEAL|COA|批号|序号|哈希"
\`\`\`

哈希可写完整的 64 位，也可只写页脚上的前 16 位。若出现 \`witness_mismatch\`，说明该序号之前的记录在报告打印之后被改写过。

### 清单

\`manifest.json\` 和 \`SHA256SUMS\` 记录每个文件的 SHA-256；验证程序会自动核对（也可用 \`sha256sum -c SHA256SUMS\`）。
从 LotSeal 界面导出时，\`manifest.json\` 本身的 SHA-256 会记入审计追踪（备份记录，类型 evidence），可在 LotSeal 中查到并比对。

### 注意

- 快照与备份一样包含密码的哈希值和加密保存的个人私钥，请按保密资料保管。
- 验证证明快照自身未被改动；它是否就是工厂当前的数据库，请用锚点、纸质见证和 LotSeal 界面显示的记录链末端比对。

---

## English

This folder lets an inspector check, independently, that LotSeal's electronic records were not
altered, without trusting LotSeal itself. The verifier is written by us in Python 3 with the
standard library only (sqlite3, hashlib, json…); its Ed25519 verification is our own, following
RFC 8032. All of its source is in \`verifier/\` to read, and \`verifier/LEDGER-FORMAT.md\`
describes every format, enough to write your own.

### Files

${table(
  files.map(([p, , en]) => [`\`${p}\``, en]),
  ['file', 'what it is'],
)}

### Running the verifier

Python 3.8 or later, nothing else to install. Copy the whole folder to the inspection computer and run, in this folder:

\`\`\`
python3 verifier/lotseal_verify.py          (Windows: py verifier\\lotseal_verify.py)
\`\`\`

Without arguments it checks this folder's \`lotseal.db\`, \`anchor.json\` and \`manifest.json\`. Options:

- \`--json\`: a machine-readable report (the shape of \`lotseal verify --json\`: ok, entries, checkpoints, verified_through, findings);
- \`--witness SEQ:HASH\`: check a head printed on paper, e.g. a certificate of analysis (repeatable; see below);
- \`--csv FILE\`: check an audit-trail CSV exported from the audit screen;
- \`--no-anchor\`: do not compare with the anchor; \`--db FILE\`: check another database file.

Exit status: 0 nothing found; 1 findings (or the manifest does not match the files); 2 the check could not run (a missing file, not a LotSeal database…).

It checks, in order: the audit trail's hash chain (every entry's SHA-256 recomputed, the links,
gapless sequence numbers, the clock never going back); every checkpoint's Ed25519 signature and
that its key was registered and valid at the time; every record of every table against the audit
trail; personal keys, e-signatures and that every decision that must be signed carries a valid
signature of someone entitled to make it; the anchor, paper witnesses and the append-only triggers.

### What the findings mean

${table(
  FINDING_TEXT.map(([k, , en]) => [`\`${k}\``, en]),
  ['kind', 'meaning'],
)}

Every finding names its kind, audit sequence number (seq), record type (entity) and record id,
as LotSeal's own verification does.

### Comparing key fingerprints

\`keys.txt\` lists every host key and personal signing key rebuilt from the audit trail with its
SHA-256 fingerprint; the verifier prints them at the end too. Compare them with: the
workstation key fingerprint on LotSeal's home screen (the workstation key card); the signer's key fingerprint shown
with each signature in the audit trail; and any registration record the plant's IT keeps
separately (reading the first 16 digits aloud is enough, all 64 is better). A fingerprint that
differs, or a key nobody recognises, is a question to ask.

Host keys at this export:

${keys}

### Comparing the head printed on a certificate

Certificates of analysis (COA), release dossiers and recall-drill packs print "Ledger #SEQ · first
16 hex digits of the hash" in their footer; a COA's QR code holds \`LOTSEAL|COA|LOT|SEQ|HASH\`.
The head a document printed must still be in the chain:

\`\`\`
python3 verifier/lotseal_verify.py --witness SEQ:HASH
python3 verifier/lotseal_verify.py --witness "LOTSEAL|COA|LOT|SEQ|HASH"
\`\`\`

The hash may be the full 64 digits or the 16 printed in the footer. \`witness_mismatch\` means
the records up to that sequence number were rewritten after the document was printed.

### The manifest

\`manifest.json\` and \`SHA256SUMS\` hold every file's SHA-256; the verifier checks them (or
\`sha256sum -c SHA256SUMS\`). When the folder is exported from LotSeal's screens, the SHA-256
of \`manifest.json\` itself is recorded in the audit trail (a backup record of kind evidence),
where it can be looked up and compared.

### Notes

- Like a backup, the snapshot holds password hashes and the sealed personal private keys: keep it confidential.
- Verification proves the snapshot was not altered; whether it is the plant's current database,
  compare the anchor, paper witnesses and the head LotSeal's screens show.
`;
}
