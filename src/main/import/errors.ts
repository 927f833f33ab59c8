import { importMessagesEn } from '../../shared/i18n/import-messages';
import { controlsMessagesEn } from '../../shared/i18n/controls-messages';
import type { ImportError } from './formats';

export const MAX_LISTED_ERRORS = 1_000;

/** English text of an import error code (the CLI contract's `message`). */
export function importMessage(code: string, details: Record<string, string | number> = {}): string {
  const template =
    (importMessagesEn.import as Record<string, string>)[code] ??
    (controlsMessagesEn.import as Record<string, string>)[code] ??
    code;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
    const v = details[name];
    return v === undefined ? whole : String(v);
  });
}

/**
 * Every error is counted; the first MAX_LISTED_ERRORS are kept (a file of two million bad
 * rows must not fill the heap), and a final note row says how many there were in all.
 */
export class ErrorSink {
  readonly list: ImportError[] = [];
  total = 0;

  constructor(private readonly max = MAX_LISTED_ERRORS) {}

  add(file: string, row: number, column: string | null, code: string, details?: Record<string, string | number>): void {
    this.total++;
    if (this.list.length >= this.max) return;
    this.list.push({ file, row, column, message: importMessage(code, details), code, ...(details ? { details } : {}) });
  }

  get full(): boolean {
    return this.list.length >= this.max;
  }

  /** The contract's list, with the note row when some were left out. */
  result(): ImportError[] {
    if (this.total <= this.list.length) return this.list;
    const details = { shown: this.list.length, total: this.total };
    return [
      ...this.list,
      {
        file: '',
        row: 0,
        column: null,
        message: importMessage('too_many_errors', details),
        code: 'too_many_errors',
        details,
      },
    ];
  }
}
