/**
 * Migration 0020 (issue 22 §3, §7; D-088, D-089). SHIPPED MIGRATIONS NEVER CHANGE.
 *
 * - spec_item.loq: the item's limit of quantification (定量限), a decimal string in the item's
 *   unit and basis, or NULL. A column added to a ledgered table (docs/ledger.md §5.1, listed in
 *   the entity's `added`): records written before it have no `loq` key in their audit content.
 *
 * - company_stamp_image: the bytes of the stamp images, by their SHA-256 (base64 text, as the
 *   documents and the admin screen use them). Not a ledgered table: the ledgered record
 *   `company_stamp` holds the image's SHA-256, type and size, and from this migration on its
 *   `data` column is written empty, so the audit trail no longer carries a copy of the image in
 *   every entry's content. Readers take the bytes from here and use them only when their SHA-256
 *   and size match the record's (a swapped image is never printed). The stamps recorded before
 *   keep their bytes in their record (their audit content holds them; it never changes) and are
 *   copied here so every reader has one place to look.
 */
export const sql = `
ALTER TABLE spec_item ADD COLUMN loq TEXT;

CREATE TABLE company_stamp_image (
  sha256 TEXT PRIMARY KEY NOT NULL,
  mime TEXT NOT NULL,
  data TEXT NOT NULL
);
INSERT OR IGNORE INTO company_stamp_image (sha256, mime, data)
  SELECT sha256, mime, data FROM company_stamp WHERE data <> '';
`;
