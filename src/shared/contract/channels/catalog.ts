import { z } from 'zod';
import { channel, type Access, lazySchema } from '../define';
import { emptySchema, reasonSchema, signatureInputSchema, signatureViewSchema } from '../common';
import { decimalString, specDocumentSchema, specItemSchema, verificationStates } from '../../catalog/spec-schema';

export const codeSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, { message: 'code_format' }),
);
const dateSchema = lazySchema(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date_format' }));
const optText = (max: number) => z.string().trim().max(max).nullable();

export const units = ['kg', 'g', 't', 'L', 'mL', 'can', 'bag', 'pcs'] as const;
export const productStages = ['infant', 'older_infant', 'young_children', 'other_dairy'] as const;
export const proteinBases = ['cow', 'goat', 'soy', 'other'] as const;
export const materialKinds = ['raw_milk', 'ingredient', 'packaging'] as const;
export const supplierKinds = ['farm', 'ingredient', 'packaging', 'other'] as const;
export const approvalStatuses = ['approved', 'not_approved', 'suspended'] as const;

/**
 * The catalogue's views (input and output) are camelCase; main maps them to and from the
 * snake_case columns of the signed records once, in src/main/catalog/views.ts.
 */
export const productFields = lazySchema(() =>
  z.object({
    code: codeSchema,
    nameZh: z.string().trim().min(1).max(120),
    nameEn: z.string().trim().min(1).max(120),
    stage: z.enum(productStages),
    proteinBase: z.enum(proteinBases),
    registrationNo: optText(60),
    shelfLifeDays: z.number().int().min(1).max(3650).nullable(),
    packSizes: z.array(z.string().trim().min(1).max(40)).max(20),
  }),
);
export const materialFields = lazySchema(() =>
  z.object({
    code: codeSchema,
    nameZh: z.string().trim().min(1).max(120),
    nameEn: z.string().trim().min(1).max(120),
    kind: z.enum(materialKinds),
    defaultUnit: z.enum(units),
  }),
);
export const supplierFields = lazySchema(() =>
  z.object({
    code: codeSchema,
    name: z.string().trim().min(1).max(200),
    kind: z.enum(supplierKinds),
    approvalStatus: z.enum(approvalStatuses),
    approvedOn: dateSchema.nullable(),
    lastAuditOn: dateSchema.nullable(),
    nextAuditDue: dateSchema.nullable(),
    contact: optText(120),
    phone: optText(40),
  }),
);
export const customerFields = lazySchema(() =>
  z.object({
    code: codeSchema,
    name: z.string().trim().min(1).max(200),
    contact: optText(120),
    phone: optText(40),
    address: optText(400),
  }),
);
export const methodFields = lazySchema(() =>
  z.object({
    code: z.string().trim().min(2).max(60),
    titleZh: z.string().trim().min(1).max(200),
    titleEn: z.string().trim().min(1).max(200),
    analyte: z.string().trim().min(1).max(120),
    unit: z.string().trim().max(40),
    lod: decimalString.nullable(),
    loq: decimalString.nullable(),
    inHouse: z.boolean(),
  }),
);
/** A production line (生产线) of the plant and the site or workshop it stands in (issue 22 §1, migration 0019). */
export const lineFields = lazySchema(() =>
  z.object({
    code: codeSchema,
    nameZh: z.string().trim().min(1).max(120),
    nameEn: z.string().trim().min(1).max(120),
    site: optText(120),
    active: z.boolean(),
  }),
);

const recordMeta = { id: z.string(), rev: z.number().int(), retired: z.boolean() };
export const productView = lazySchema(() => productFields.extend(recordMeta));
export const materialView = lazySchema(() => materialFields.extend(recordMeta));
export const supplierView = lazySchema(() => supplierFields.extend(recordMeta));
export const customerView = lazySchema(() => customerFields.extend(recordMeta));
export const methodView = lazySchema(() => methodFields.extend(recordMeta));
export const lineView = lazySchema(() => lineFields.extend(recordMeta));
export type ProductView = z.infer<typeof productView>;
export type MaterialView = z.infer<typeof materialView>;
export type SupplierView = z.infer<typeof supplierView>;
export type CustomerView = z.infer<typeof customerView>;
export type MethodView = z.infer<typeof methodView>;
export type LineView = z.infer<typeof lineView>;

const listInput = lazySchema(() =>
  z.object({ search: z.string().trim().max(100).optional(), includeRetired: z.boolean().optional() }),
);

function kindChannels<F extends z.ZodObject, V extends z.ZodObject>(fields: F, view: V, manage: Access) {
  return {
    list: channel({ input: listInput, output: lazySchema(() => z.array(view)), access: 'catalog.read', writes: false }),
    /** Create (no id) or update (id + reason: the reason is kept in the audit trail). */
    save: channel({
      input: lazySchema(() => z.object({ id: z.string().max(80).optional(), fields, reason: reasonSchema.optional() })),
      output: view,
      access: manage,
      writes: true,
    }),
  };
}

const products = kindChannels(productFields, productView, 'catalog.manage');
const materials = kindChannels(materialFields, materialView, 'catalog.manage');
const suppliers = kindChannels(supplierFields, supplierView, 'catalog.manage');
const customers = kindChannels(customerFields, customerView, 'customers.manage');
const methods = kindChannels(methodFields, methodView, 'catalog.manage');
/** Lines are plant set-up, kept by the administrator (the setup guide's "site and lines"). */
const lines = kindChannels(lineFields, lineView, 'settings.manage');

export const specStatusSchema = lazySchema(() => z.enum(['draft', 'approved', 'superseded']));

export const specItemView = lazySchema(() =>
  specItemSchema.extend({
    id: z.string(),
    rev: z.number().int(),
    position: z.number().int(),
    /** Who confirmed the item against the official text, and when (ISO). The item's own fields keep the published spec schema's names. */
    confirmedBy: z.string().nullable(),
    confirmedAt: z.string().nullable(),
  }),
);
export type SpecItemView = z.infer<typeof specItemView>;

export const specVersionSummary = lazySchema(() =>
  z.object({
    id: z.string(),
    version: z.number().int(),
    status: specStatusSchema,
    effectiveFrom: z.string().nullable(),
    approvedAt: z.string().nullable(),
    items: z.number().int(),
    flagged: z.number().int(),
  }),
);

export const specificationView = lazySchema(() =>
  z.object({
    id: z.string(),
    code: z.string(),
    subjectKind: z.enum(['product', 'material']),
    subjectId: z.string(),
    subjectCode: z.string(),
    subjectName: z.string(),
    subjectNameZh: z.string(),
    titleZh: z.string(),
    titleEn: z.string(),
    standard: z.string().nullable(),
    versions: z.array(specVersionSummary),
  }),
);
export type SpecificationView = z.infer<typeof specificationView>;

/** A problem that blocks saving or approval, tied to an item and field when it has one. */
export const specProblemSchema = lazySchema(() =>
  z.object({
    itemCode: z.string().nullable(),
    field: z.string().nullable(),
    key: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
);
export type SpecProblem = z.infer<typeof specProblemSchema>;

/** One table of a specification as compared with the official text (issue 22 §4). */
export const specTableView = lazySchema(() =>
  z.object({
    standard: z.string(),
    table: z.string(),
    itemIds: z.array(z.string()),
    count: z.number().int(),
    confirmed: z.number().int(),
    unverified: z.number().int(),
    missing: z.number().int(),
    /** Values still to be entered from the official text (no limit yet): the table cannot be confirmed. */
    withoutValue: z.number().int(),
    lastConfirmation: z
      .object({
        id: z.string(),
        edition: z.string(),
        itemCount: z.number().int(),
        valuesHash: z.string(),
        statement: z.string(),
        confirmedBy: z.string(),
        /** The printed name of the signature. */
        confirmedByName: z.string(),
        confirmedAt: z.string(),
      })
      .nullable(),
  }),
);
export type SpecTableView = z.infer<typeof specTableView>;

export const specVersionView = lazySchema(() =>
  z.object({
    id: z.string(),
    specId: z.string(),
    specCode: z.string(),
    titleZh: z.string(),
    titleEn: z.string(),
    subjectKind: z.enum(['product', 'material']),
    subjectId: z.string(),
    subjectStage: z.string().nullable(),
    version: z.number().int(),
    status: specStatusSchema,
    effectiveFrom: z.string().nullable(),
    basedOn: z.string().nullable(),
    source: z.string(),
    changeNote: z.string().nullable(),
    contentHash: z.string().nullable(),
    items: z.array(specItemView),
    /** Items whose value is unverified or missing: approval waits until each is confirmed. */
    flagged: z.array(z.object({ itemId: z.string(), code: z.string(), verification: z.enum(verificationStates) })),
    problems: z.array(specProblemSchema),
    signatures: z.array(signatureViewSchema),
    /** The tables its values come from (items grouped by standard and table). */
    tables: z.array(specTableView),
  }),
);
export type SpecVersionView = z.infer<typeof specVersionView>;

export const specDiffSchema = lazySchema(() =>
  z.object({
    from: z.object({ id: z.string(), version: z.number().int() }),
    to: z.object({ id: z.string(), version: z.number().int() }),
    added: z.array(z.string()),
    removed: z.array(z.string()),
    changed: z.array(
      z.object({
        code: z.string(),
        fields: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
      }),
    ),
  }),
);

export const specPackSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    titleZh: z.string(),
    titleEn: z.string(),
    standard: z.string().nullable(),
    subjectKind: z.enum(['product', 'material']),
    appliesTo: z.string(),
    items: z.number().int(),
    byVerification: z.record(z.string(), z.number().int()),
  }),
);

/**
 * The company the plant's documents name (issue 22 §3, migration 0017): 企业名称, the 食品生产许可证
 * number (SC + 14 digits), the address and an optional stamp image (PNG or JPEG, at most
 * 256 KiB) printed on certificates. Set by an administrator with a reason.
 */
export const scNumberSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^SC\d{14}$/, { message: 'sc_number' }),
);
export const companyStampMimes = ['image/png', 'image/jpeg'] as const;
/** The largest stamp image accepted, in bytes (before base64). */
export const COMPANY_STAMP_MAX_BYTES = 256 * 1024;
export const companyStampSchema = lazySchema(() =>
  z.object({
    mime: z.enum(companyStampMimes),
    bytesBase64: z
      .string()
      .max(Math.ceil(COMPANY_STAMP_MAX_BYTES / 3) * 4, { message: 'stamp_too_large' })
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'stamp_base64' }),
  }),
);
export const companyView = lazySchema(() =>
  z.object({
    name: z.string(),
    nameEn: z.string().nullable(),
    scNumber: z.string(),
    address: z.string(),
    stampImage: z
      .object({ mime: z.enum(companyStampMimes), bytesBase64: z.string(), sha256: z.string(), bytes: z.number().int() })
      .nullable(),
    updatedAt: z.string(),
    /** Who changed it last: user id and printed name. */
    updatedBy: z.string(),
    updatedByName: z.string(),
  }),
);
export type CompanyView = z.infer<typeof companyView>;
export const companyInput = lazySchema(() =>
  z.object({
    name: z.string().trim().min(1).max(200),
    nameEn: z.string().trim().max(200).nullable().optional(),
    scNumber: scNumberSchema,
    address: z.string().trim().min(1).max(400),
    /** A new image; null removes the stamp; absent keeps the current one. */
    stampImage: companyStampSchema.nullable().optional(),
    reason: reasonSchema,
  }),
);

const subjectRef = lazySchema(() =>
  z.object({ subjectKind: z.enum(['product', 'material']), subjectId: z.string().min(1).max(80) }),
);

export const catalogChannels = {
  'catalog.products.list': products.list,
  'catalog.products.save': products.save,
  'catalog.materials.list': materials.list,
  'catalog.materials.save': materials.save,
  'catalog.suppliers.list': suppliers.list,
  'catalog.suppliers.save': suppliers.save,
  'catalog.customers.list': customers.list,
  'catalog.customers.save': customers.save,
  'catalog.methods.list': methods.list,
  'catalog.methods.save': methods.save,
  'catalog.lines.list': lines.list,
  'catalog.lines.save': lines.save,

  'specs.list': channel({
    input: lazySchema(() => subjectRef.partial()),
    output: lazySchema(() => z.array(specificationView)),
    access: 'specs.read',
    writes: false,
  }),
  'specs.get': channel({
    input: lazySchema(() => z.object({ versionId: z.string().min(1).max(80) })),
    output: specVersionView,
    access: 'specs.read',
    writes: false,
  }),
  'specs.packs': channel({
    input: emptySchema,
    output: lazySchema(() => z.array(specPackSchema)),
    access: 'specs.read',
    writes: false,
  }),
  /** A new specification for a product or material, starting as a draft from a pack, a document, or empty. */
  'specs.create': channel({
    input: lazySchema(() =>
      subjectRef.extend({
        code: codeSchema,
        titleZh: z.string().trim().min(1).max(200),
        titleEn: z.string().trim().min(1).max(200),
        from: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('pack'), packId: z.string().min(1).max(80) }),
          z.object({ kind: z.literal('document'), json: z.string().min(2).max(5_000_000) }),
          z.object({ kind: z.literal('empty') }),
        ]),
      }),
    ),
    output: specVersionView,
    access: 'specs.edit',
    writes: true,
  }),
  /** The next version: a draft copy of the newest version. */
  'specs.newVersion': channel({
    input: lazySchema(() => z.object({ specId: z.string().min(1).max(80), changeNote: reasonSchema })),
    output: specVersionView,
    access: 'specs.edit',
    writes: true,
  }),
  /** Add or change an item of a draft. Setting verification to `confirmed` records who confirmed it against the official text. */
  'specs.saveItem': channel({
    input: lazySchema(() =>
      z.object({
        versionId: z.string().min(1).max(80),
        itemId: z.string().max(80).optional(),
        item: specItemSchema,
        reason: reasonSchema.optional(),
        /** The item's revision the editor showed: an item changed since is refused (errors.record_changed, D-110). */
        expectedRev: z.number().int().optional(),
      }),
    ),
    output: specVersionView,
    access: 'specs.edit',
    writes: true,
  }),
  'specs.removeItem': channel({
    input: lazySchema(() =>
      z.object({
        versionId: z.string().min(1).max(80),
        itemId: z.string().min(1).max(80),
        reason: reasonSchema,
        /** The item's revision the editor showed (errors.record_changed, D-110). */
        expectedRev: z.number().int().optional(),
      }),
    ),
    output: specVersionView,
    access: 'specs.edit',
    writes: true,
  }),
  'specs.setEffective': channel({
    input: lazySchema(() =>
      z.object({ versionId: z.string().min(1).max(80), effectiveFrom: dateSchema, reason: reasonSchema.optional() }),
    ),
    output: specVersionView,
    access: 'specs.edit',
    writes: true,
  }),
  /** Approval by a QA manager with an e-signature (meaning `approved`). */
  'specs.approve': channel({
    input: lazySchema(() =>
      z.object({
        versionId: z.string().min(1).max(80),
        signature: signatureInputSchema,
        /** The items (id, revision) the approver saw: any change, addition or removal since is refused (errors.record_changed, D-110). */
        expectedItems: z
          .array(z.object({ id: z.string().min(1).max(80), rev: z.number().int() }))
          .max(2000)
          .optional(),
      }),
    ),
    output: specVersionView,
    access: 'specs.approve',
    writes: true,
  }),
  /**
   * Confirms every value of one table of a draft at once, after the QA manager compared it with
   * the official text: one personal signature (`values_confirmed`) naming the standard, edition,
   * table and number of values. `itemIds`: the values compared (a changed table is refused).
   */
  'specs.confirmTable': channel({
    input: lazySchema(() =>
      z.object({
        versionId: z.string().min(1).max(80),
        standard: z.string().trim().min(1).max(60),
        table: z.string().trim().min(1).max(20),
        itemIds: z.array(z.string().min(1).max(80)).min(1).max(400),
        signature: signatureInputSchema,
      }),
    ),
    output: specVersionView,
    access: 'specs.approve',
    writes: true,
  }),
  'specs.diff': channel({
    input: lazySchema(() =>
      z.object({ fromVersionId: z.string().min(1).max(80), toVersionId: z.string().min(1).max(80) }),
    ),
    output: specDiffSchema,
    access: 'specs.read',
    writes: false,
  }),
  'specs.export': channel({
    input: lazySchema(() => z.object({ versionId: z.string().min(1).max(80) })),
    output: lazySchema(() => z.object({ fileName: z.string(), json: z.string(), document: specDocumentSchema })),
    access: 'specs.read',
    writes: false,
  }),
  /** The version in force for a product or material on a date (approved, effective, newest). */
  'specs.effective': channel({
    input: lazySchema(() => subjectRef.extend({ date: dateSchema })),
    output: lazySchema(() => specVersionView.nullable()),
    access: 'specs.read',
    writes: false,
  }),
  /** The company the documents name (any signed-in role); null until an administrator sets it. */
  'site.company.get': channel({
    input: emptySchema,
    output: lazySchema(() => companyView.nullable()),
    access: 'session',
    writes: false,
  }),
  /** Set or change the company (administrator, with a reason kept in the audit trail). */
  'site.company.set': channel({ input: companyInput, output: companyView, access: 'settings.manage', writes: true }),
} as const;
