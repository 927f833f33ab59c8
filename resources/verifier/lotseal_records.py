"""The record types of a LotSeal database and the rules of what must be signed, as the
standalone verifier knows them.

This file is the Python copy of what docs/ledger.md documents and the application defines:
  ENTITIES  the record type -> table mapping (src/main/ledger/entities.ts and the capability
            modules' entities.ts: `allEntities()`), in the application's registry order;
  RULES     the signed-change rule table (src/shared/domain/signed-changes.ts,
            docs/ledger.md section 3.3);
  TRIGGERS  the triggers the migrations create (src/main/db/migrations/), with their exact SQL.
The verifier (lotseal_verify.py) reads nothing else to know what to replay and what must be
signed. tests/unit/verifier-mapping.test.ts compares every line of this file with the
application's own definitions, so the two cannot drift apart: when a record type, a column,
a rule or a trigger is added to the application, that test fails (printing the line to add)
until the same line is added here. Nothing here is ever edited away: a shipped rule or
record type stays, because old databases still hold it.

ENTITIES: one dict per record type
  name     the record type written in audit_entry.entity (stable forever)
  table    the SQLite table holding the records
  columns  the columns after id, rev, retired (a row's canonical JSON has exactly these keys)
  added    columns added by a later migration: absent from the content of records last
           written before it while NULL in the row (docs/ledger.md section 5.1)
  signed   the columns an e-signature's record_hash covers (default: the whole record)
  secret   columns holding secrets (password hashes, sealed keys): checked, never printed

RULES: one dict per rule (semantics in lotseal_verify.py, `match_rules`):
  id, entity, on ("create" | "update"), field, to (list of values | "changed" | "set"),
  from, where [{field, in | notIn}], ref {entity, by, from, field, in | notIn},
  setting [{field, chars, op ("before" | "notBefore"), setting ("goLiveDate")}],
  meanings, roles, systemUnsigned
"""

ENTITIES = [
    {"name": "database", "table": "database_info", "columns": ["created_at", "app_version"]},
    {"name": "schema_migration", "table": "schema_migration", "columns": ["name", "sha256", "applied_at"]},
    {"name": "signing_key", "table": "signing_key", "columns": ["public_key", "fingerprint", "host", "host_kind", "valid_from", "valid_to"]},
    {"name": "user", "table": "user_account", "columns": ["printed_name", "roles", "status", "password_hash", "password_history", "password_changed_at", "must_change_password", "failed_attempts", "last_sign_in_at", "created_at", "enrolment_key"], "added": ["enrolment_key"], "secret": ["password_hash", "password_history", "enrolment_key"]},
    {"name": "auth_event", "table": "auth_event", "columns": ["at", "kind", "user_id", "ws", "detail"]},
    {"name": "recovery_code", "table": "recovery_code", "columns": ["code_hash", "created_at", "used_at"], "secret": ["code_hash"]},
    {"name": "signature", "table": "signature", "columns": ["entity", "entity_id", "meaning", "user_id", "printed_name", "signed_at", "tz", "comment", "record_hash", "key_id", "head_seq", "head_hash", "sig"], "added": ["key_id", "head_seq", "head_hash", "sig"]},
    {"name": "personal_key", "table": "personal_key", "columns": ["user_id", "public_key", "fingerprint", "valid_from", "valid_to", "sealed", "enrolment", "enrolment_proof", "retired_reason"], "secret": ["sealed"]},
    {"name": "rollback_acknowledgement", "table": "rollback_acknowledgement", "columns": ["finding", "host", "anchor_seq", "anchor_hash", "anchor_at", "db_seq", "db_hash", "reason"]},
    {"name": "setting", "table": "setting", "columns": ["value"]},
    {"name": "verification_run", "table": "verification_run", "columns": ["started_at", "finished_at", "verified_through", "entries", "checkpoints", "findings", "review_status", "scope"], "added": ["scope"]},
    {"name": "audit_review", "table": "audit_review", "columns": ["through_seq", "filter", "comment"]},
    {"name": "backup_event", "table": "backup_event", "columns": ["kind", "file", "sha256", "head_seq", "reason"]},
    {"name": "correction", "table": "correction", "columns": ["entity", "entity_id", "fields", "original_seq", "correction_seq", "reason", "corrected_by", "corrected_at"]},
    {"name": "product", "table": "product", "columns": ["code", "name_zh", "name_en", "stage", "protein_base", "registration_no", "shelf_life_days", "pack_sizes"]},
    {"name": "material", "table": "material", "columns": ["code", "name_zh", "name_en", "kind", "default_unit"]},
    {"name": "supplier", "table": "supplier", "columns": ["code", "name", "kind", "approval_status", "approved_on", "last_audit_on", "next_audit_due", "contact", "phone"]},
    {"name": "customer", "table": "customer", "columns": ["code", "name", "contact", "phone", "address"]},
    {"name": "test_method", "table": "test_method", "columns": ["code", "title_zh", "title_en", "analyte", "unit", "lod", "loq", "in_house"]},
    {"name": "specification", "table": "specification", "columns": ["code", "subject_kind", "subject_id", "title_zh", "title_en", "standard"]},
    {"name": "spec_version", "table": "spec_version", "columns": ["spec_id", "version", "status", "effective_from", "based_on", "source", "change_note", "content_hash", "approved_at", "superseded_at"], "signed": ["spec_id", "version", "effective_from", "based_on", "content_hash"]},
    {"name": "spec_item", "table": "spec_item", "columns": ["version_id", "position", "code", "name_zh", "name_en", "item_group", "method_code", "unit", "basis", "limit_form", "min", "max", "target", "lod", "n", "c", "m", "big_m", "precision", "comparison", "required_for_release", "in_house_only", "frequency", "frequency_n", "period_days", "formula", "clause", "source", "verification", "note", "confirmed_by", "confirmed_at", "reporting", "origin", "loq"], "added": ["reporting", "origin", "loq"]},
    {"name": "spec_table_confirmation", "table": "spec_table_confirmation", "columns": ["version_id", "standard", "edition", "table_no", "item_count", "items", "values_hash", "statement", "confirmed_by", "confirmed_at"]},
    {"name": "company_profile", "table": "company_profile", "columns": ["name", "name_en", "sc_number", "address", "stamp_id", "updated_by", "updated_at"]},
    {"name": "company_stamp", "table": "company_stamp", "columns": ["mime", "bytes", "sha256", "data", "added_by", "added_at"]},
    {"name": "production_line", "table": "production_line", "columns": ["code", "name_zh", "name_en", "site", "active"]},
    {"name": "lot", "table": "lot", "columns": ["code", "kind", "item_code", "item_name", "quantity", "unit", "lot_date", "supplier_code", "supplier_lot", "expiry_date", "location", "status", "origin", "receipt_id", "batch_id"], "signed": ["code", "kind", "item_code", "quantity", "unit", "lot_date", "supplier_code", "supplier_lot", "expiry_date"]},
    {"name": "receipt", "table": "receipt", "columns": ["kind", "lot_code", "supplier_code", "supplier_lot", "quantity", "unit", "containers", "condition", "temperature", "received_at", "vehicle", "farms", "compartments", "coa_file", "coa_sha256", "note"]},
    {"name": "batch", "table": "batch", "columns": ["code", "line", "started_at", "ended_at", "status", "note"]},
    {"name": "consumption", "table": "consumption", "columns": ["input_lot", "output_lot", "quantity", "unit", "date", "batch_id", "origin"]},
    {"name": "shipment", "table": "shipment", "columns": ["shipment_code", "lot_code", "customer_code", "quantity", "unit", "date", "origin"]},
    {"name": "stock_movement", "table": "stock_movement", "columns": ["lot_code", "movement", "quantity", "unit", "date", "location", "reason", "origin", "customer_code", "shipment_id", "drill_id"], "added": ["customer_code", "shipment_id", "drill_id"]},
    {"name": "import_run", "table": "import_run", "columns": ["files", "inserted", "unchanged", "corrected", "correction_reason", "started_at", "finished_at"]},
    {"name": "code_sequence", "table": "code_sequence", "columns": ["value"]},
    {"name": "sample", "table": "sample", "columns": ["code", "kind", "lot_code", "site_id", "sampling_point", "targets", "taken_by", "taken_at", "received_by", "received_at", "condition_on_receipt", "temperature", "quantity", "unit", "container", "storage_location", "spec_version_id", "status", "cancel_reason", "parent_sample_id", "unit_no", "keep_until", "disposed_at", "note"], "signed": ["code", "kind", "lot_code", "quantity", "unit", "container", "keep_until", "disposed_at"]},
    {"name": "sample_event", "table": "sample_event", "columns": ["sample_id", "event", "at", "by_user", "location", "detail"]},
    {"name": "sampling_site", "table": "sampling_site", "columns": ["code", "name_zh", "name_en", "kind", "zone", "line", "room", "active"]},
    {"name": "site_schedule", "table": "site_schedule", "columns": ["site_id", "frequency_days", "next_due", "targets", "active"]},
    {"name": "document", "table": "document", "columns": ["kind", "subject_entity", "subject_id", "locale", "file_name", "sha256", "bytes", "page_size", "head_seq", "head_hash", "reprint_of", "created_by", "created_at"]},
    {"name": "test_result", "table": "test_result", "columns": ["sample_id", "sample_code", "lot_code", "product_code", "spec_version_id", "spec_item_id", "item_code", "item_group", "position", "item", "method_code", "calculated", "plan_reason", "due_at", "assigned_to", "instrument_id", "status", "replicates", "unit_values", "value", "reported", "verdict", "verdict_reason", "verdict_details", "external_lab", "external_report_no", "analyst_id", "entered_at", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at", "return_reason", "invalidated_reason", "attempt", "retest_of", "oos_id", "note", "converted", "micro_started_at", "micro_expected_at"], "added": ["converted", "micro_started_at", "micro_expected_at"], "signed": ["sample_id", "item_code", "attempt", "item", "replicates", "unit_values", "value", "reported", "verdict", "external_lab", "external_report_no", "instrument_id", "analyst_id", "entered_at"]},
    {"name": "result_attachment", "table": "result_attachment", "columns": ["result_id", "file_name", "media_type", "bytes", "sha256", "added_by", "added_at", "note"]},
    {"name": "oos_investigation", "table": "oos_investigation", "columns": ["code", "result_id", "sample_code", "lot_code", "item_code", "status", "reported", "limit_text", "opened_at", "opened_by", "lot_held", "checklist", "phase1_summary", "phase1_by", "phase1_at", "outcome", "conclusion", "concluded_by", "concluded_at", "retest_result_id"], "signed": ["code", "result_id", "item_code", "reported", "checklist", "phase1_summary"]},
    {"name": "method_rule", "table": "method_rule", "columns": ["method_code", "replicates", "repeatability", "repeatability_limit", "note"]},
    {"name": "verdict_change", "table": "verdict_change", "columns": ["result_id", "sample_code", "lot_code", "product_code", "item_code", "method_code", "analyst_id", "from_verdict", "to_verdict", "from_reported", "to_reported", "reason", "via", "changed_by", "changed_at"]},
    {"name": "micro_confirmation", "table": "micro_confirmation", "columns": ["result_id", "unit_index", "stage", "evidence", "by_user", "at", "due_at"]},
    {"name": "micro_hold", "table": "micro_hold", "columns": ["lot_code", "result_id", "sample_code", "item_code", "units", "rule", "raised_at", "lot_status_before", "status", "outcome", "reviewed_by", "reviewed_at", "review_note"], "signed": ["lot_code", "result_id", "item_code", "units", "rule", "raised_at", "review_note"]},
    {"name": "control_baseline", "table": "control_baseline", "columns": ["chart", "subject", "product_code", "item_code", "material_code", "method_code", "instrument_id", "from_date", "to_date", "n", "mean", "sd", "point_values", "note", "status", "created_by", "created_at", "superseded_at"], "signed": ["chart", "subject", "product_code", "item_code", "material_code", "method_code", "instrument_id", "from_date", "to_date", "n", "mean", "sd", "point_values", "note"]},
    {"name": "qc_material", "table": "qc_material", "columns": ["code", "name_zh", "name_en", "kind", "method_code", "item_code", "unit", "assigned_value", "uncertainty", "certificate_no", "lot_no", "expires_on", "note", "active"]},
    {"name": "qc_result", "table": "qc_result", "columns": ["material_code", "method_code", "instrument_id", "value", "recovery", "analyst_id", "run_at", "note"]},
    {"name": "intake_panel", "table": "intake_panel", "columns": ["code", "name_zh", "name_en", "supplier_code", "items", "active"]},
    {"name": "raw_milk_intake", "table": "raw_milk_intake", "columns": ["lot_code", "supplier_code", "declarations", "sampling_level", "panel_code", "sample_code", "status", "proposal", "reject_causes", "decision_reason", "decided_by", "decided_at", "report_document_id", "opened_by", "opened_at", "item_rules", "reject_basis"], "added": ["item_rules", "reject_basis"], "signed": ["lot_code", "supplier_code", "declarations", "sampling_level", "sample_code", "status", "reject_causes", "decision_reason", "decided_at"]},
    {"name": "intake_appeal", "table": "intake_appeal", "columns": ["intake_id", "lot_code", "supplier_code", "item_codes", "first_lab", "notified_on", "apply_deadline", "applied_on", "retest_lab", "sample_received_on", "report_deadline", "report_received_on", "outcome", "status", "note"]},
    {"name": "intake_documents", "table": "intake_documents", "columns": ["intake_id", "lot_code", "documents", "deficient", "recorded_by", "recorded_at", "override_reason", "override_by", "override_at"], "signed": ["lot_code", "documents", "deficient", "override_reason", "override_by", "override_at"]},
    {"name": "tanker_late_failure", "table": "tanker_late_failure", "columns": ["lot_code", "result_ids", "items", "basis", "affected", "held_lots", "reason", "held_by", "held_at"]},
    {"name": "spot_check", "table": "spot_check", "columns": ["code", "subject", "lot_code", "supplier_code", "sample_desc", "authority", "first_lab", "sampled_on", "report_no", "received_on", "items", "result", "rule", "apply_deadline", "disputed", "applied_on", "applied_to", "retest_lab", "retest_sample_received_on", "report_deadline", "report_received_on", "retention_withdrawal_id", "closure", "status", "legacy_appeal_id", "note"]},
    {"name": "calendar_day", "table": "calendar_day", "columns": ["date", "kind", "name"]},
    {"name": "supplier_sampling", "table": "supplier_sampling", "columns": ["supplier_code", "level", "consecutive_passes", "passes_required", "changed_at", "reason"]},
    {"name": "env_alert", "table": "env_alert", "columns": ["code", "site_id", "sample_code", "result_id", "target", "zone", "line", "raised_at", "since_negative_at", "affected_lots", "follow_ups", "status", "closed_by", "closed_at", "close_reason", "closure_swabs"], "added": ["closure_swabs"]},
    {"name": "instrument", "table": "instrument", "columns": ["code", "name", "kind", "make", "model", "serial_no", "location", "port_path", "usb_serial", "usb_vendor_id", "usb_product_id", "baud_rate", "data_bits", "parity", "stop_bits", "flow_control", "line_ending", "driver", "print_config", "check_interval_hours", "active"]},
    {"name": "instrument_capture", "table": "instrument_capture", "columns": ["instrument_id", "result_id", "replicate_index", "purpose", "raw", "value", "unit", "stable", "settings", "at", "by_user", "status", "typed_over_reason", "flagged", "flag_reason", "field", "read_value", "read_unit", "conversion", "record", "raw_format"], "added": ["field", "read_value", "read_unit", "conversion", "record", "raw_format"]},
    {"name": "instrument_event", "table": "instrument_event", "columns": ["instrument_id", "kind", "performed_at", "due_on", "certificate_no", "provider", "passed", "points", "by_user", "note"]},
    {"name": "instrument_frame", "table": "instrument_frame", "columns": ["instrument_id", "purpose", "result_id", "sample_code", "raw", "error", "detail", "settings", "at", "by_user"]},
    {"name": "signed_frame", "table": "signed_frame", "columns": ["host_key_id", "host", "frame_seq", "instrument_id", "port", "driver", "raw", "captured_at", "clock_source", "tz", "captured_by", "purpose", "result_id", "sample_code", "replicate_index", "signature", "received_at", "received_by", "outcome", "error", "capture_ids", "forwarded", "queued_at", "link_down_since", "gap_ms"]},
    {"name": "method_instrument", "table": "method_instrument", "columns": ["method_code", "instrument_kind", "conversions", "note"]},
    {"name": "instrument_check_plan", "table": "instrument_check_plan", "columns": ["instrument_id", "points", "note"]},
    {"name": "instrument_flag", "table": "instrument_flag", "columns": ["instrument_id", "event_id", "result_id", "capture_id", "sample_code", "lot_code", "item_code", "how", "replicates", "at"]},
    {"name": "lot_audit_review", "table": "lot_audit_review", "columns": ["lot_code", "through_seq", "entries", "comment", "reviewed_by", "reviewed_at", "summary_hash", "summary_counts"], "added": ["summary_hash", "summary_counts"]},
    {"name": "recall_drill", "table": "recall_drill", "columns": ["code", "mode", "root_lot", "direction", "selection", "selection_criteria", "reason", "started_at", "started_by", "target_minutes", "tolerance_min", "tolerance_max", "status", "completed_at", "completed_by", "elapsed_ms", "accounted_pct", "result", "plan_id"], "signed": ["code", "mode", "root_lot", "direction", "started_at", "completed_at", "elapsed_ms", "accounted_pct", "result"]},
    {"name": "drill_step", "table": "drill_step", "columns": ["drill_id", "step", "done_at", "done_by", "summary"]},
    {"name": "drill_finding", "table": "drill_finding", "columns": ["drill_id", "kind", "ref", "detail", "explanation"]},
    {"name": "drill_plan", "table": "drill_plan", "columns": ["year", "product_group", "direction", "due_on", "drill_id"]},
    {"name": "recall_contact", "table": "recall_contact", "columns": ["drill_id", "customer_code", "at", "by_user", "channel", "outcome", "note"]},
    {"name": "label_value", "table": "label_value", "columns": ["product_code", "item_code", "declared", "unit", "basis", "rule", "rule_source", "rule_verification", "confirmed_by", "confirmed_at", "confirm_reference", "note"]},
    {"name": "retention_profile", "table": "retention_profile", "columns": ["product_code", "required_quantity", "unit", "basis_note", "storage_conditions", "observation_days"]},
    {"name": "retention_withdrawal", "table": "retention_withdrawal", "columns": ["sample_id", "sample_code", "lot_code", "quantity", "unit", "purpose", "reason", "spot_check_code", "withdrawn_by", "withdrawn_at"]},
    {"name": "retention_observation", "table": "retention_observation", "columns": ["sample_id", "sample_code", "lot_code", "due_on", "observed_on", "outcome", "findings", "storage_observed", "observed_by", "observed_at"]},
]

RULES = [
    {"id": "lot.accept", "entity": "lot", "on": "update", "field": "status", "to": ["accepted"], "meanings": ["accepted"], "roles": ["qa_manager"]},
    {"id": "lot.accept_raw_milk", "entity": "lot", "on": "update", "field": "status", "to": ["accepted"], "where": [{"field": "kind", "in": ["raw_milk"]}], "meanings": ["accepted"], "roles": ["technician", "qa_manager"]},
    {"id": "lot.release", "entity": "lot", "on": "update", "field": "status", "to": ["released"], "meanings": ["released"], "roles": ["qa_manager"]},
    {"id": "lot.hold", "entity": "lot", "on": "update", "field": "status", "to": ["on_hold"], "meanings": ["held"], "roles": ["qa_manager", "reviewer"], "systemUnsigned": True},
    {"id": "lot.reject", "entity": "lot", "on": "update", "field": "status", "to": ["rejected"], "meanings": ["rejected"], "roles": ["qa_manager"]},
    {"id": "lot.create_accepted", "entity": "lot", "on": "create", "field": "status", "to": ["accepted"], "where": [{"field": "origin", "notIn": ["import"]}], "meanings": ["accepted"], "roles": ["qa_manager"]},
    {"id": "lot.create_released", "entity": "lot", "on": "create", "field": "status", "to": ["released"], "where": [{"field": "origin", "notIn": ["import"]}], "meanings": ["released"], "roles": ["qa_manager"]},
    {"id": "lot.create_rejected", "entity": "lot", "on": "create", "field": "status", "to": ["rejected"], "where": [{"field": "origin", "notIn": ["import"]}], "meanings": ["rejected"], "roles": ["qa_manager"]},
    {"id": "lot.import_live_accepted", "entity": "lot", "on": "create", "field": "status", "to": ["accepted"], "where": [{"field": "origin", "in": ["import"]}], "setting": [{"field": "lot_date", "chars": 10, "op": "notBefore", "setting": "goLiveDate"}], "meanings": ["accepted"], "roles": ["qa_manager"]},
    {"id": "lot.import_live_released", "entity": "lot", "on": "create", "field": "status", "to": ["released"], "where": [{"field": "origin", "in": ["import"]}], "setting": [{"field": "lot_date", "chars": 10, "op": "notBefore", "setting": "goLiveDate"}], "meanings": ["released"], "roles": ["qa_manager"]},
    {"id": "lot.import_live_rejected", "entity": "lot", "on": "create", "field": "status", "to": ["rejected"], "where": [{"field": "origin", "in": ["import"]}], "setting": [{"field": "lot_date", "chars": 10, "op": "notBefore", "setting": "goLiveDate"}], "meanings": ["rejected"], "roles": ["qa_manager"]},
    {"id": "intake.accept", "entity": "raw_milk_intake", "on": "update", "field": "status", "to": ["accepted"], "meanings": ["accepted"], "roles": ["technician", "qa_manager"]},
    {"id": "intake.reject", "entity": "raw_milk_intake", "on": "update", "field": "status", "to": ["rejected"], "meanings": ["rejected"], "roles": ["qa_manager"]},
    {"id": "intake.documents_override", "entity": "intake_documents", "on": "update", "field": "override_by", "to": "set", "meanings": ["override"], "roles": ["qa_manager"]},
    {"id": "intake.late_failure", "entity": "tanker_late_failure", "on": "create", "meanings": ["held"], "roles": ["qa_manager"]},
    {"id": "consumption.override", "entity": "consumption", "on": "create", "where": [{"field": "origin", "in": ["app"]}], "ref": {"entity": "lot", "by": "code", "from": "input_lot", "field": "status", "notIn": ["accepted", "released"]}, "meanings": ["override"], "roles": ["qa_manager"]},
    {"id": "shipment.override", "entity": "shipment", "on": "create", "where": [{"field": "origin", "in": ["app"]}], "ref": {"entity": "lot", "by": "code", "from": "lot_code", "field": "status", "notIn": ["accepted", "released"]}, "meanings": ["override"], "roles": ["qa_manager"]},
    {"id": "spec.approve", "entity": "spec_version", "on": "update", "field": "status", "to": ["approved"], "meanings": ["approved"], "roles": ["qa_manager"]},
    {"id": "spec.table_confirm", "entity": "spec_table_confirmation", "on": "create", "meanings": ["values_confirmed"], "roles": ["qa_manager"]},
    {"id": "result.submit", "entity": "test_result", "on": "update", "field": "status", "to": ["submitted"], "meanings": ["authored"], "roles": ["technician"]},
    {"id": "result.review", "entity": "test_result", "on": "update", "field": "status", "to": ["reviewed"], "meanings": ["reviewed"], "roles": ["reviewer", "qa_manager"]},
    {"id": "result.invalidate", "entity": "test_result", "on": "update", "field": "status", "to": ["invalidated"], "meanings": ["invalidated"], "roles": ["qa_manager"]},
    {"id": "oos.phase1", "entity": "oos_investigation", "on": "update", "field": "status", "to": ["phase1_done"], "meanings": ["authored"], "roles": ["technician", "reviewer", "qa_manager"]},
    {"id": "oos.conclude", "entity": "oos_investigation", "on": "update", "field": "status", "to": ["confirmed", "invalidated"], "meanings": ["oos_concluded"], "roles": ["qa_manager"]},
    {"id": "chart.baseline", "entity": "control_baseline", "on": "create", "meanings": ["approved"], "roles": ["qa_manager"]},
    {"id": "env_alert.close", "entity": "env_alert", "on": "update", "field": "status", "to": ["closed"], "meanings": ["alert_closed"], "roles": ["qa_manager"]},
    {"id": "sample.dispose", "entity": "sample", "on": "update", "field": "disposed_at", "to": "set", "meanings": ["disposed"], "roles": ["qa_manager"]},
    {"id": "drill.complete", "entity": "recall_drill", "on": "update", "field": "status", "to": ["completed"], "meanings": ["drill_completed"], "roles": ["qa_manager"]},
    {"id": "audit.review", "entity": "audit_review", "on": "create", "meanings": ["audit_reviewed"], "roles": ["qa_manager"]},
    {"id": "lot.audit_review", "entity": "lot_audit_review", "on": "create", "meanings": ["audit_reviewed"], "roles": ["qa_manager"]},
    {"id": "ledger.findings_reviewed", "entity": "verification_run", "on": "update", "field": "review_status", "to": ["reviewed"], "meanings": ["finding_reviewed"], "roles": ["qa_manager"]},
    {"id": "user.create", "entity": "user", "on": "create", "meanings": ["enrolled"], "roles": ["administrator"]},
    {"id": "user.reset_password", "entity": "user", "on": "update", "field": "password_hash", "to": "changed", "where": [{"field": "must_change_password", "in": [1]}], "meanings": ["enrolled"], "roles": ["administrator"]},
    {"id": "user.roles", "entity": "user", "on": "update", "field": "roles", "to": "changed", "meanings": ["enrolled"], "roles": ["administrator"]},
    {"id": "user.printed_name", "entity": "user", "on": "update", "field": "printed_name", "to": "changed", "meanings": ["enrolled"], "roles": ["administrator"]},
    {"id": "host.enrol", "entity": "signing_key", "on": "create", "meanings": ["enrolled"], "roles": ["administrator"]},
    {"id": "rollback.acknowledge", "entity": "rollback_acknowledgement", "on": "create", "meanings": ["acknowledged"], "roles": ["administrator"]},
]

TRIGGERS = [
    {"migration": "0001", "name": "audit_entry_no_update", "table": "audit_entry",
     "sql": "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END"},
    {"migration": "0001", "name": "audit_entry_no_delete", "table": "audit_entry",
     "sql": "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END"},
    {"migration": "0001", "name": "checkpoint_no_update", "table": "checkpoint",
     "sql": "CREATE TRIGGER checkpoint_no_update BEFORE UPDATE ON checkpoint BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END"},
    {"migration": "0001", "name": "checkpoint_no_delete", "table": "checkpoint",
     "sql": "CREATE TRIGGER checkpoint_no_delete BEFORE DELETE ON checkpoint BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END"},
    {"migration": "0011", "name": "signature_no_update", "table": "signature",
     "sql": "CREATE TRIGGER signature_no_update BEFORE UPDATE ON signature BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END"},
    {"migration": "0011", "name": "signature_no_delete", "table": "signature",
     "sql": "CREATE TRIGGER signature_no_delete BEFORE DELETE ON signature BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END"},
    {"migration": "0011", "name": "personal_key_no_delete", "table": "personal_key",
     "sql": "CREATE TRIGGER personal_key_no_delete BEFORE DELETE ON personal_key BEGIN SELECT RAISE(ABORT, 'personal keys are never deleted'); END"},
]

