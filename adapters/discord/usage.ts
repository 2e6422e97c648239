/**
 * The core's usage lines (`<customer> <amount> [currency] [stage:<stage>]`) read as typed Discord
 * options, and typed option values written back as the command text the core parses. Both directions
 * use the same specs, so what Discord shows and what the core receives cannot drift apart.
 */

export type OptionKind = 'string' | 'integer' | 'number' | 'user' | 'customer' | 'deal';

export interface OptionSpec {
  name: string;
  kind: OptionKind;
  required: boolean;
  /** Text written before the value: `stage:` for `[stage:<s>]`, `at ` for `[at <date>]`. */
  prefix: string;
  /** Fixed words the core accepts here (`<nps|csat|ces>`). */
  choices?: string[];
  /** The usage text it came from, shown as the option's description. */
  usage: string;
}

/** A usage line as option specs plus the literal words between them; null when it is not a plain sequence. */
export interface UsageShape {
  parts: ({ literal: string } | { option: OptionSpec })[];
}

// Placeholder wording -> typed kind. Anything else is free text.
const KINDS: [RegExp, OptionKind, string?][] = [
  [/^(customer|name\|id|customer\|identity|customer \(staff only\))$/, 'customer', 'customer'],
  [/^(referrer|referred customer)$/, 'customer'],
  [/^identity$/, 'user'],
  [/^amount$/, 'number'],
  [/^(points|cost|stock|score)$/, 'integer'],
];

const WORD = /^[a-z][a-z0-9-]*$/;

// The first two words of the placeholder: `<case id like K-3>` -> case_id.
function optionName(placeholder: string): string {
  const first = placeholder.replace(/\(.*?\)/g, '').trim().split(/\s+/).slice(0, 2).join(' ');
  return first.toLowerCase().replace(/[^-_\p{L}\p{N}]+/gu, '_').replace(/^_+|_+$/g, '').slice(0, 32) || 'value';
}

function placeholderSpec(inner: string, required: boolean, prefix: string, usage: string, command: string): OptionSpec {
  // A deal command's bare <id> is a deal; every other id is the command's own kind of thing.
  if (command === 'deal' && inner === 'id') return { name: 'deal', kind: 'deal', required, prefix, usage };
  const hit = KINDS.find(([re]) => re.test(inner));
  if (hit) return { name: hit[2] ?? optionName(inner), kind: hit[1], required, prefix, usage };
  const alternatives = inner.split('|');
  if (alternatives.length > 1 && alternatives.every((a) => WORD.test(a))) {
    // Named after what it offers (`today_week_month`), which is what the person picks from.
    const joined = alternatives.join('_');
    return { name: joined.length <= 32 ? joined : 'choice', kind: 'string', required, prefix, choices: alternatives, usage };
  }
  return { name: optionName(inner), kind: 'string', required, prefix, usage };
}

/** Reads `usage` as a sequence of options; null when it has alternatives of whole forms (`add rss <url> | list`). */
export function usageShape(command: string, usage: string): UsageShape | null {
  const tokens = usage.match(/\[[^\]]*\](?:\.\.\.)?|<[^>]*>|\S+/g) ?? [];
  const parts: UsageShape['parts'] = [];
  for (const token of tokens) {
    const optional = token.startsWith('[');
    const body = optional ? token.replace(/^\[|\](\.\.\.)?$/g, '') : token;
    let m: RegExpExecArray | null;
    if ((m = /^<([^<>]+)>$/.exec(body))) parts.push({ option: placeholderSpec(m[1]!, !optional, '', token, command) });
    else if ((m = /^([a-z]+):<([^<>]+)>$/.exec(body))) parts.push({ option: { ...placeholderSpec(m[2]!, !optional, `${m[1]}:`, token, command), name: m[1]! } });
    else if ((m = /^([a-z]+) <([^<>]+)>$/.exec(body)) && optional) parts.push({ option: { ...placeholderSpec(m[2]!, false, `${m[1]} `, token, command), name: m[1]! } });
    else if (optional && !/[<>]/.test(body)) parts.push({ option: placeholderSpec(body, false, '', token, command) });
    else if (WORD.test(token)) parts.push({ literal: token });
    else return null;
  }
  // Discord option names are unique per subcommand, and required options come first.
  const seen = new Map<string, number>();
  let optionalSeen = false;
  for (const p of parts) {
    if (!('option' in p)) continue;
    const n = (seen.get(p.option.name) ?? 0) + 1;
    seen.set(p.option.name, n);
    if (n > 1) p.option.name = `${p.option.name.slice(0, 30)}_${n}`;
    if (!p.option.required) optionalSeen = true;
    else if (optionalSeen) return null;
  }
  return { parts };
}

/** A typed value as a word of command text: users become identities, pasted mentions too. */
export function valueText(spec: OptionSpec, value: string | number | boolean, resolvedUsers: Record<string, unknown>): string {
  const raw = String(value).trim();
  if (spec.kind === 'user') return /^\d{1,25}$/.test(raw) && raw in resolvedUsers ? `discord:${raw}` : raw;
  return raw.replace(/<@!?(\d{1,25})>/g, 'discord:$1');
}

/** Quotes a value with spaces so the core's tokenizer keeps it one word; the last free-text option stays as typed. */
export function quoted(text: string, last: boolean): string {
  if (last || !/\s/.test(text) || /["“”]/.test(text)) return text;
  return `"${text}"`;
}
