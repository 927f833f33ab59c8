import { readFileSync } from 'node:fs';
import type { SignatureView } from '../../shared/contract/common';
import { fail } from '../../shared/contract/errors';
import { translate, type Locale } from '../../shared/i18n';
import { readinessLines } from '../../shared/rules/readiness';
import type { DocumentsService } from '../documents';
import type { Actor } from '../ledger/ledger';
import type { traceLot } from '../trace';
import type { DispositionService } from './disposition-service';
import type { CompanyFacts } from '../catalog';
import { documentZone, printedLocalTime, printedZoneLabel } from '../../shared/domain/printed-time';
import { COA_PAGE, coaHtml, coaRunning, dossierHtml, dossierRunning, type CoaData, type CoaSigner, type DossierSection } from './documents';

/** A4 with the margins the running header and footer print in (never over the body). */
const A4 = {
  pageWidthMm: COA_PAGE.widthMm,
  pageHeightMm: COA_PAGE.heightMm,
  margins: { topMm: COA_PAGE.topMm, rightMm: COA_PAGE.sideMm, bottomMm: COA_PAGE.bottomMm, leftMm: COA_PAGE.sideMm },
};

/** What the certificate and the dossier need besides disposition: signatures as printed, the plant's name, the PDF pipeline. */
export interface CoaSources {
  /** The signatures of a record as every printout shows them. */
  signatures(entity: string, entityId: string): SignatureView[];
  plantName(): string | null;
  /** The company the documents name (catalog's site.company), null until set. */
  company(): CompanyFacts | null;
  /** The zone of this workstation (documents of a plant without an SC licence print in it). */
  workstationZone: string;
  /** A person's printed name by user id (the id when unknown). */
  personName(userId: string): string;
  /** A test method's limit of quantification (catalogue), by method code. */
  methodLoq(code: string): string | null;
  /** The lot's genealogy with its edges (trace). */
  trace(lotCode: string): ReturnType<typeof traceLot>;
  documents: Pick<DocumentsService, 'generate' | 'preview'>;
}

/** A printed document as the disposition channels return it. */
export interface PrintedDocument {
  documentId: string | null;
  fileName: string;
  base64: string;
  sha256: string;
  reprint: boolean;
}

/** The certificate as issued: the document and its 检验 / 审核 / 批准 lines. */
export interface IssuedCoa extends PrintedDocument {
  signers: { tested: CoaSigner[]; reviewed: CoaSigner[]; approved: CoaSigner[] };
}

/**
 * The certificate of analysis of a released finished lot (issue 11 §4) and the lot dossier
 * (§5), built from the records: the certificate from the same readiness facts the checklist
 * and the decision evaluate (one gathering per lot), its conclusion printed only while the
 * checks it certifies (results complete, within specification) hold.
 */
export class CoaService {
  constructor(
    private readonly disposition: DispositionService,
    private readonly src: CoaSources,
  ) {}

  /** The data a certificate of analysis prints, from the records. */
  coaData(lotCode: string, issuedBy: string): CoaData {
    const lot = this.disposition.lot(lotCode);
    if (lot.kind !== 'finished' || lot.status !== 'released')
      fail('conflict', { lot: lotCode, status: lot.status }, 'errors.coa_needs_release');
    const q = this.disposition.q;
    const facts = this.disposition.facts(lotCode);
    if (facts.scope !== 'produced') fail('conflict', { lot: lotCode, status: lot.status }, 'errors.coa_needs_release');
    const c = facts.completeness;
    const p = q.product(facts.lot.itemCode);
    const standard = c.spec ? q.specStandard(c.spec.versionId) : null;
    const methods = q.methodsOfLot(lotCode);
    const certified = readinessLines(facts).filter((l) => l.key === 'results_complete' || l.key === 'within_spec');
    // The release that stands behind the certificate (批准): the lot's valid `released` signatures.
    const sigs = this.src
      .signatures('lot', lot.id)
      .filter((s) => s.valid)
      .sort((a, b) => a.signedAt.localeCompare(b.signedAt));
    const company = this.src.company();
    return {
      company: company
        ? {
            name: company.name,
            nameEn: company.nameEn,
            scNumber: company.scNumber,
            address: company.address,
            stamp: company.stamp ? { mime: company.stamp.mime, base64: company.stamp.bytes.toString('base64') } : null,
          }
        : null,
      plantName: this.src.plantName(),
      product: {
        code: facts.lot.itemCode,
        nameZh: p?.name_zh ?? facts.lot.itemName,
        nameEn: p?.name_en ?? facts.lot.itemName,
        registrationNo: p?.registration_no ?? null,
      },
      lot: {
        code: lotCode,
        productionDate: lot.lot_date.slice(0, 10),
        expiryDate: lot.expiry_date?.slice(0, 10) ?? null,
        quantity: facts.lot.quantity,
        unit: facts.lot.unit,
      },
      spec: c.spec
        ? { code: c.spec.code, version: c.spec.version, effectiveFrom: c.spec.effectiveFrom, standard }
        : null,
      items: c.items.map((i) => ({
        code: i.code,
        nameZh: i.nameZh,
        nameEn: i.nameEn,
        reported: i.reported,
        limit: i.limitText,
        // The unit with its basis ("g/100 kJ"), the reported value as its rule prints it (issue 20 §2).
        unit: i.reportUnit,
        reporting: i.reporting,
        method: i.resultId ? (methods.get(i.resultId) ?? null) : null,
        loq: i.resultId ? this.loqOf(methods.get(i.resultId) ?? null) : null,
        verdict: i.verdict,
      })),
      // 检验 / 审核 / 批准: names and times only; a signature's comment is internal (never printed).
      signers: {
        tested: this.signersOf(c.items, 'authored'),
        reviewed: this.signersOf(c.items, 'reviewed'),
        approved: sigs.filter((s) => s.meaning === 'released').map((s) => ({ printedName: s.printedName, signedAt: s.signedAt })),
      },
      issuedBy,
      issuedAt: new Date().toISOString(),
      timeZone: documentZone(company, this.src.workstationZone),
      conforms: certified.every((l) => l.ok),
    };
  }

  private loqOf(method: string | null): string | null {
    return method ? this.src.methodLoq(method) : null;
  }

  /** The people who signed the lot's deciding results with a meaning, once each (their latest signing), in order of signing. */
  private signersOf(items: Array<{ resultId: string | null }>, meaning: 'authored' | 'reviewed'): CoaSigner[] {
    const latest = new Map<string, CoaSigner>();
    for (const i of items) {
      if (!i.resultId) continue;
      for (const s of this.src.signatures('test_result', i.resultId)) {
        if (!s.valid || s.meaning !== meaning) continue;
        const seen = latest.get(s.printedName);
        if (!seen || seen.signedAt < s.signedAt) latest.set(s.printedName, { printedName: s.printedName, signedAt: s.signedAt });
      }
    }
    return [...latest.values()].sort((a, b) => a.signedAt.localeCompare(b.signedAt));
  }

  /** Prints the certificate (recorded: a second print is a reprint). */
  async issueCoa(who: Actor, lotCode: string, locale: Locale): Promise<IssuedCoa> {
    const data = this.coaData(lotCode, who.name);
    const lot = this.disposition.lot(lotCode);
    const doc = await this.src.documents.generate(who, {
      kind: 'coa',
      subject: { entity: 'lot', id: lot.id },
      locale,
      html: (stamp) => coaHtml(data, locale, stamp),
      running: (stamp) => coaRunning(data, locale, stamp),
      size: A4,
      fileName: `coa-${lotCode}`,
    });
    return {
      documentId: doc.id,
      fileName: doc.fileName,
      base64: readFileSync(doc.file).toString('base64'),
      sha256: doc.sha256,
      reprint: doc.reprint,
      signers: data.signers!,
    };
  }

  /** The dossier as a preview (not a recorded document). */
  async dossier(lotCode: string, locale: Locale): Promise<PrintedDocument> {
    const sections = this.dossierSections(lotCode, locale);
    const { pdf, sha256 } = await this.src.documents.preview(
      (stamp) => dossierHtml(lotCode, sections, locale, stamp),
      A4,
      (stamp) => dossierRunning(lotCode, locale, stamp),
    );
    return { documentId: null, fileName: `dossier-${lotCode}.pdf`, base64: pdf.toString('base64'), sha256, reprint: false };
  }

  /** Everything about a lot (issue 11 §5), as dossier sections. */
  dossierSections(lotCode: string, locale: Locale): DossierSection[] {
    const L = (key: string) => translate(locale, `disposition.coa.dossier.${key}`);
    const word = (key: string, value: string | null | undefined) => (value ? translate(locale, `${key}.${value}`, { defaultValue: value }) : '');
    const zh = locale === 'zh-CN';
    const zone = documentZone(this.src.company(), this.src.workstationZone);
    const when = (t: string | number | null | undefined) => printedLocalTime(t ?? null, zone);
    const who = (id: string | null | undefined) => (id ? this.src.personName(id) : '');
    const q = this.disposition.q;
    const lot = this.disposition.lot(lotCode);
    const product = q.product(lot.item_code);
    // Items by their names in the document's language (the specification's), codes only where there is no name.
    const facts = this.disposition.facts(lotCode);
    const names = new Map(('completeness' in facts ? facts.completeness.items : []).map((i) => [i.code, zh ? i.nameZh : i.nameEn]));
    const itemName = (code: string) => names.get(code) ?? code;
    const sections: DossierSection[] = [];
    sections.push({
      title: L('lot'),
      rows: [
        [L('lotCode'), lotCode],
        [L('kind'), word('lots.kinds', lot.kind)],
        [L('item'), `${(zh ? product?.name_zh : product?.name_en) ?? lot.item_name} (${lot.item_code})`],
        [L('quantity'), `${lot.quantity} ${lot.unit}`],
        [L('date'), lot.lot_date.slice(0, 10)],
        [L('expiry'), lot.expiry_date ?? '—'],
        [L('status'), word('lots.status', lot.status)],
        // Every time in this dossier is the plant's local time (D-078).
        [L('times'), printedZoneLabel(zone, locale)],
      ],
    });
    const t = this.src.trace(lotCode);
    if (t) {
      sections.push({
        title: L('inputs'),
        table: {
          head: [L('lotCode'), L('kind'), L('item'), L('supplier'), L('used'), L('date'), L('status')],
          // Quantities with their units, codes and dates stay on one line (issue 22 §3).
          wrap: [1, 2, 3, 6],
          rows: q.dossierInputs(lotCode).map((i) => [
            i.input_lot ?? '',
            word('lots.kinds', i.kind),
            i.item_code ?? '',
            i.supplier_code ?? '',
            `${i.quantity} ${i.unit}`,
            i.date ?? '',
            word('lots.status', i.status),
          ]),
        },
      });
      sections.push({
        title: L('genealogy'),
        table: {
          head: [L('direction'), L('lotCode'), L('item'), L('depth'), L('status')],
          rows: [
            ...t.backward.map((b) => [L('backward'), b.lot, b.item_code ?? '', String(b.depth), word('lots.status', b.status)]),
            ...t.forward.map((f) => [L('forward'), f.lot, f.item_code ?? '', String(f.depth), word('lots.status', f.status)]),
          ],
        },
      });
      sections.push({
        title: L('shipments'),
        table: {
          head: [L('shipment'), L('lotCode'), L('customer'), L('quantity'), L('date')],
          wrap: [2],
          rows: t.shipments.map((s) => [s.shipment, s.lot, s.customer, `${s.quantity} ${s.unit}`, s.date]),
        },
      });
      sections.push({
        title: L('massBalance'),
        rows: Object.entries(t.mass_balance).map(([k, v]) => [translate(locale, `trace.massBalance.${k}`, { defaultValue: k }), String(v ?? '—')]),
      });
    }
    sections.push({
      title: L('samples'),
      table: {
        head: [L('code'), L('kind'), L('taken'), L('status'), L('storage')],
        rows: q
          .dossierSamples(lotCode)
          .map((s) => [s.code, word('samples.kinds', s.kind), when(s.taken_at), word('samples.status', s.status), s.storage_location ?? '']),
      },
    });
    sections.push({
      title: L('results'),
      table: {
        head: [
          L('sample'),
          L('testItem'),
          L('attempt'),
          L('raw'),
          L('reported'),
          L('verdict'),
          L('status'),
          L('analyst'),
          L('reviewer'),
          L('instrument'),
          'OOS',
        ],
        wrap: [1, 3, 9],
        rows: q.dossierResults(lotCode).map((r) => [
          r.sample_code,
          itemName(r.item_code),
          String(r.attempt),
          [r.replicates, r.unit_values]
            .filter(Boolean)
            .map((x) => (JSON.parse(x!) as string[]).join(' / '))
            .join(' '),
          r.reported ?? '',
          word('testing.verdicts', r.verdict),
          `${word('testing.status', r.status)}${r.invalidated_reason ? `: ${r.invalidated_reason}` : ''}`,
          who(r.submitted_by ?? r.analyst_id),
          who(r.reviewed_by),
          r.instrument_id ?? (r.external_lab ? `${r.external_lab} ${r.external_report_no}` : ''),
          r.oos_code ?? '',
        ]),
      },
    });
    sections.push({
      title: L('oos'),
      table: {
        head: [L('code'), L('testItem'), L('reported'), L('status'), L('outcome'), L('conclusion')],
        rows: q
          .dossierOos(lotCode)
          .map((o) => [o.code, itemName(o.item_code), o.reported ?? '', o.status, o.outcome ?? '', o.conclusion ?? '']),
      },
    });
    sections.push({
      title: L('instruments'),
      table: {
        head: [L('code'), L('name'), L('serialNo')],
        rows: q.dossierInstruments(lotCode).map((i) => [i.code, i.name ?? '', i.serial_no ?? '']),
      },
    });
    sections.push({
      title: L('decisions'),
      table: {
        head: [L('signedBy'), L('meaning'), L('when'), L('comment'), L('valid')],
        rows: this.src
          .signatures('lot', lot.id)
          .map((s) => [
            s.printedName,
            translate(locale, `meanings.${s.meaning}`, { defaultValue: s.meaning }),
            when(s.signedAt),
            s.comment ?? '',
            s.valid ? '✓' : '✗',
          ]),
      },
    });
    const audit = this.disposition.auditEntries(lotCode, false);
    sections.push({
      title: L('audit'),
      table: {
        head: ['#', L('when'), L('who'), L('action'), L('record'), L('reason'), L('changes')],
        wrap: [4, 5, 6],
        rows: audit.entries.map((e) => [
          String(e.seq),
          when(e.at),
          e.actorName,
          word('audit.actions', e.action),
          `${e.entity} ${e.entityId.slice(0, 8)}`,
          e.reason ?? '',
          e.changes
            .slice(0, 6)
            .map((c) => `${c.field}: ${c.from ?? '∅'} → ${c.to ?? '∅'}`)
            .join('; '),
        ]),
      },
    });
    return sections;
  }
}
