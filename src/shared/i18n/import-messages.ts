/**
 * Messages of the ERP import (src/main/import, docs/import.md), keyed by the stable `code`
 * of each error row. The CLI prints the English text in `message` (the contract of
 * ../shared/formats/README.md); the app translates `code` with `details` as interpolation
 * values. To be merged into en / zh-CN by index.ts.
 */
export const importMessagesEn = {
  import: {
    not_utf8:
      'The file is not valid UTF-8 (first bad byte at offset {{offset}}, line {{line}}); it may be a GBK export from a spreadsheet. Save it as "CSV UTF-8" and import again. Nothing was guessed or converted.',
    file_unreadable: 'The file cannot be read: {{reason}}.',
    empty_file: 'The file is empty: it has no header row.',
    missing_column: 'Required column "{{column}}" is missing from the header.',
    unknown_column: 'Unknown column "{{column}}" in the header (columns of this file: {{allowed}}).',
    duplicate_column: 'Column "{{column}}" appears more than once in the header.',
    bad_csv: 'The file is not valid CSV at this row: {{reason}}.',
    field_count: 'The row has {{found}} fields; the header has {{expected}}.',
    required: 'A value is required.',
    too_long: 'The value is longer than {{max}} characters.',
    not_allowed: '"{{value}}" is not allowed here (allowed: {{allowed}}).',
    bad_date: '"{{value}}" is not an ISO 8601 date: write 2026-03-01 or 2026-03-01T08:30:00+08:00.',
    bad_quantity: '"{{value}}" is not a decimal quantity (digits, "." as the decimal point).',
    negative_quantity: 'The quantity {{value}} is negative; quantities must be zero or more.',
    bad_unit: 'Unknown unit "{{value}}" (allowed: {{allowed}}).',
    supplier_required: 'A {{kind}} lot needs a supplier_code.',
    self_input: 'Lot {{lot}} cannot be an input of itself.',
    duplicate_key: 'Same key ({{key}}) as row {{other}} of {{otherFile}}, but different content.',
    unknown_supplier: 'Supplier {{code}} is neither in this import nor stored.',
    unknown_customer: 'Customer {{code}} is neither in this import nor stored.',
    unknown_lot: 'Lot {{code}} is neither in this import nor stored.',
    output_not_produced: 'Lot {{lot}} is a {{kind}} lot: only intermediate and finished lots are made from other lots.',
    unit_dimension: 'The unit {{unit}} cannot be converted to the unit of lot {{lot}} ({{lotUnit}}).',
    cycle: 'Consumption cycle: {{cycle}}. A lot may not be an input of itself, directly or through other lots.',
    quantity_exceeded:
      'With this row, lot {{lot}} has {{used}} {{lotUnit}} consumed and shipped (stored and imported, up to {{date}}), more than its quantity of {{quantity}} {{lotUnit}}.',
    changed_without_reason:
      'This row differs from the stored record ({{columns}}). To change it, import it as a correction with a reason (--correction-reason).',
    too_many_errors: 'Only the first {{shown}} errors are listed; {{total}} in all.',
    import_running: 'An import is running; other changes wait until it has finished.',
  },
};

export const importMessagesZh: typeof importMessagesEn = {
  import: {
    not_utf8:
      '文件不是有效的 UTF-8 编码（第一个错误字节位于偏移 {{offset}}，第 {{line}} 行），可能是电子表格导出的 GBK 文件。请另存为“CSV UTF-8”后重新导入。系统不会猜测或自动转换编码。',
    file_unreadable: '无法读取文件：{{reason}}。',
    empty_file: '文件为空：没有表头行。',
    missing_column: '表头缺少必需的列“{{column}}”。',
    unknown_column: '表头中有未知列“{{column}}”（此文件的列：{{allowed}}）。',
    duplicate_column: '列“{{column}}”在表头中出现了不止一次。',
    bad_csv: '此行不是有效的 CSV：{{reason}}。',
    field_count: '此行有 {{found}} 个字段，表头有 {{expected}} 个。',
    required: '此项必填。',
    too_long: '值超过 {{max}} 个字符。',
    not_allowed: '此处不允许“{{value}}”（允许：{{allowed}}）。',
    bad_date: '“{{value}}”不是 ISO 8601 日期：应写作 2026-03-01 或 2026-03-01T08:30:00+08:00。',
    bad_quantity: '“{{value}}”不是十进制数量（数字，小数点为“.”）。',
    negative_quantity: '数量 {{value}} 为负数；数量必须大于或等于零。',
    bad_unit: '未知单位“{{value}}”（允许：{{allowed}}）。',
    supplier_required: '{{kind}} 批次必须填写 supplier_code。',
    self_input: '批次 {{lot}} 不能作为自身的投入。',
    duplicate_key: '与 {{otherFile}} 第 {{other}} 行的键（{{key}}）相同，但内容不同。',
    unknown_supplier: '供应商 {{code}} 既不在本次导入中，也未在系统中登记。',
    unknown_customer: '客户 {{code}} 既不在本次导入中，也未在系统中登记。',
    unknown_lot: '批次 {{code}} 既不在本次导入中，也未在系统中登记。',
    output_not_produced: '批次 {{lot}} 是 {{kind}} 批次：只有半成品和成品批次由其他批次制成。',
    unit_dimension: '单位 {{unit}} 无法换算为批次 {{lot}} 的单位（{{lotUnit}}）。',
    cycle: '投料关系形成循环：{{cycle}}。批次不能直接或间接地作为自身的投入。',
    quantity_exceeded:
      '加上此行后，批次 {{lot}} 的投料与发货合计 {{used}} {{lotUnit}}（已登记与本次导入，截至 {{date}}），超过其数量 {{quantity}} {{lotUnit}}。',
    changed_without_reason: '此行与已登记的记录不同（{{columns}}）。如需更改，请作为更正导入并填写原因（--correction-reason）。',
    too_many_errors: '仅列出前 {{shown}} 个错误，共 {{total}} 个。',
    import_running: '正在导入；其他更改需等待导入完成。',
  },
};
