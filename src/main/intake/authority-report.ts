import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { intakeDetailSchema } from '../../shared/contract/channels/intake';
import type { SignatureMeaning } from '../../shared/domain/roles';
import type { Locale } from '../../shared/i18n';
import type { DocumentsService, GeneratedDocument } from '../documents';
import type { Actor } from '../ledger/ledger';
import type { IntakeService } from './intake-service';
import { authorityReportFooter, authorityReportHtml, REPORT_MARGINS } from './report';

type IntakeDetail = z.infer<typeof intakeDetailSchema>;

/**
 * The 第二十八条 report to the agriculture authority: printed (or reprinted) and recorded for a
 * tanker rejected on a national item, or accepted and then failed by a retrospective national
 * item (late failure); printed at once when a QA manager rejects such a tanker.
 */
export class AuthorityReports {
  constructor(
    private readonly intake: IntakeService,
    private readonly documents: Pick<DocumentsService, 'generate' | 'canPrint'>,
    /** The zone the plant's documents print in (D-078). */
    private readonly documentZone?: () => string,
  ) {}

  /** Prints the report and records it on the intake. */
  async print(who: Actor, lotCode: string, locale: Locale): Promise<GeneratedDocument> {
    const intake = this.intake.mustReportable(lotCode);
    const detail = this.intake.detail(lotCode);
    const late = intake.status === 'accepted' ? this.intake.lateFailure(lotCode) : null;
    const doc = await this.documents.generate(who, {
      kind: 'authority_report',
      subject: { entity: 'raw_milk_intake', id: intake.id },
      locale,
      html: (stamp) => authorityReportHtml(detail, locale, stamp, late, this.documentZone?.()),
      running: (stamp) => authorityReportFooter(locale, stamp),
      size: { pageWidthMm: 210, pageHeightMm: 297, margins: REPORT_MARGINS },
      fileName: `authority-report-${lotCode}`,
    });
    this.intake.setReport(who, lotCode, doc.id);
    return doc;
  }

  /** The report as the screen downloads it. */
  async download(who: Actor, lotCode: string, locale: Locale) {
    const doc = await this.print(who, lotCode, locale);
    return {
      documentId: doc.id,
      fileName: doc.fileName,
      base64: readFileSync(doc.file).toString('base64'),
      sha256: doc.sha256,
      reprint: doc.reprint,
    };
  }

  /**
   * The signed decision on a tanker. The 第二十八条 report only for milk that failed the
   * national standard: made at once; if printing fails the rejection stands and the report is
   * printed from the intake page (intake.report).
   */
  async decide(
    who: Actor,
    lotCode: string,
    decision: 'accept' | 'reject',
    reason: string,
    signature: { password: string; meaning: SignatureMeaning; comment?: string | undefined },
    locale: Locale,
  ): Promise<IntakeDetail> {
    const d = await this.intake.decide(
      who.id,
      lotCode,
      decision,
      reason,
      signature.password,
      signature.meaning,
      signature.comment,
    );
    if (decision === 'reject' && d.reportRequired && this.documents.canPrint) {
      try {
        await this.print(who, lotCode, locale);
        return this.intake.detail(lotCode);
      } catch {
        return d;
      }
    }
    return d;
  }
}
