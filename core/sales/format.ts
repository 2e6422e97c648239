import { shortId } from '../domain/ids.js';
import type { Deal, Interaction } from '../domain/types.js';
import { commandButton, type Button } from '../chat/reply.js';
import { formatMoney } from './amount.js';

export function dealLine(d: Deal, customerName: string): string {
  const close = d.expectedClose ? `, closes ${d.expectedClose}` : '';
  return `${shortId('deal', d.id)} ${customerName}: ${formatMoney(d.amountMinor, d.currency)}, ${d.stage} (${Math.round(d.probability * 100)}%)${close}`;
}

/** The obvious next steps for a deal: advance, win, lose, open the customer. */
export function dealButtons(d: Deal, stages: { id: string }[]): Button[] {
  if (d.closedAt) return [commandButton('Open customer', 'customer', 'show', shortId('customer', d.customerId))];
  const open = stages.map((s) => s.id).filter((s) => s !== 'won' && s !== 'lost');
  const next = open[open.indexOf(d.stage) + 1];
  const id = shortId('deal', d.id);
  return [
    ...(next ? [commandButton(`Move to ${next}`, 'deal', 'stage', `${id} ${next}`)] : []),
    commandButton('Mark won', 'deal', 'won', id),
    commandButton('Mark lost', 'deal', 'lost', id),
    commandButton('Open customer', 'customer', 'show', shortId('customer', d.customerId)),
  ];
}

export function interactionLine(i: Interaction): string {
  const amount = i.amountMinor !== null && i.currency ? ` ${formatMoney(i.amountMinor, i.currency)}` : '';
  const text = i.text.length > 80 ? `${i.text.slice(0, 79)}…` : i.text;
  return `${i.occurredAt.slice(0, 10)} ${i.type}${amount}${text ? `: ${text}` : ''}`;
}

export function percent(x: number | null): string {
  return x === null ? 'n/a' : `${Math.round(x * 1000) / 10}%`;
}
