import type { types } from '@slack/bolt';
import type { StateValues } from './payloads.js';

export const DEAL_MODAL = 'crm_deal_add';

function input(blockId: string, label: string, element: types.InputBlock['element'], optional = false): types.InputBlock {
  return { type: 'input', block_id: blockId, label: { type: 'plain_text', text: label }, optional, element };
}

function text(actionId: string, placeholder: string): types.PlainTextInput {
  return { type: 'plain_text_input', action_id: actionId, placeholder: { type: 'plain_text', text: placeholder } };
}

/** The form `/deal add` opens when typed without arguments. */
export function dealModal(stages: string[], channel: string): types.ModalView {
  return {
    type: 'modal',
    callback_id: DEAL_MODAL,
    private_metadata: channel,
    title: { type: 'plain_text', text: 'Add a deal' },
    submit: { type: 'plain_text', text: 'Add' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      input('customer', 'Customer', text('value', 'Acme Corp')),
      input('amount', 'Amount', text('value', '12,000')),
      input('currency', 'Currency', text('value', 'USD'), true),
      input('stage', 'Stage', {
        type: 'static_select',
        action_id: 'value',
        placeholder: { type: 'plain_text', text: 'First stage' },
        options: stages.slice(0, 100).map((s) => ({ text: { type: 'plain_text', text: s }, value: s })),
      }, true),
    ],
  };
}

export type DealSubmission = { ok: true; args: string } | { ok: false; errors: Record<string, string> };

/**
 * Reads the form into the same `/deal add` arguments a person would type; the command itself judges
 * amounts, currencies and stages. Only what the form alone can tell is checked here.
 */
export function dealSubmission(values: StateValues): DealSubmission {
  const field = (block: string) => {
    const v = values[block]?.value;
    return (v?.selected_option?.value ?? v?.value ?? '').trim();
  };
  const customer = field('customer');
  const amount = field('amount');
  const currency = field('currency');
  const stage = field('stage');
  const errors: Record<string, string> = {};
  if (!customer) errors.customer = 'Type the customer name.';
  else if (customer.includes('"')) errors.customer = 'Leave out double quotes.';
  if (!amount) errors.amount = 'Type the amount, e.g. 12,000.';
  if (Object.keys(errors).length) return { ok: false, errors };
  const words = [`"${customer}"`, amount, currency, stage ? `stage:${stage}` : ''].filter(Boolean);
  return { ok: true, args: `add ${words.join(' ')}` };
}
