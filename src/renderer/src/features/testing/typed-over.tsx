import { refusalReasonPrompt } from './refusal-reason';

/**
 * Typing over a value captured from an instrument needs a reason (issue 10 §5; the server
 * refuses with errors.capture_typed_over_reason, and review sees the reason). Result entry
 * awaits `typedOverReason(error)`: for that refusal it asks the person (the dialog rendered
 * by <TypedOverReasonHost/>) and resolves with the reason, or null when they cancel or the
 * error is another one.
 */
const typedOver = refusalReasonPrompt({
  messageKey: 'errors.capture_typed_over_reason',
  detailsOf: (d) => {
    const item = String(d['item'] ?? '');
    const replicate = String(d['replicate'] ?? '');
    return { key: `${item}-${replicate}`, item, replicate, captured: String(d['captured'] ?? '') };
  },
  testId: 'typed-over',
  title: 'instruments.typedOver.title',
  confirm: 'instruments.typedOver.confirm',
  help: (t, a) => t('instruments.typedOver.help', { item: a.item, replicate: a.replicate, captured: a.captured }),
});

export const typedOverReason = typedOver.ask;
export const TypedOverReasonHost = typedOver.Host;
