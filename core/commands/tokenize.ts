/**
 * Splits command text into words, keeping "quoted phrases" (straight or curly quotes) together,
 * also after an option key: title:"Big renewal" is one word.
 */
export function tokenize(input: string): string[] {
  const out: string[] = [];
  const re = /([^\s"“”]+:)?(?:"([^"]*)"|“([^”]*)”)|'([^']*)'(?=\s|$)|(\S+)/g;
  for (const m of input.matchAll(re)) out.push((m[1] ?? '') + (m[2] ?? m[3] ?? m[4] ?? m[5] ?? ''));
  return out;
}

const CLOSERS: Record<string, string> = { '"': '"', '“': '”', "'": "'" };

/**
 * Where a quote opens that never closes, told the way a person can fix it; null when every quote
 * closes. A quote inside a word (O'Brien, 12") is punctuation, not an opening.
 */
export function unclosedQuote(input: string): string | null {
  const re = /([^\s"“”]+:)?(?:"([^"]*)"|“([^”]*)”)|'([^']*)'(?=\s|$)|(\S+)/g;
  for (const m of input.matchAll(re)) {
    const word = m[5];
    if (word === undefined) continue;
    const at = /^([^\s"“”]+:)?["“']/.exec(word);
    if (!at) continue;
    const quote = word[at[0].length - 1]!;
    const start = m.index + at[0].length - 1;
    const shown = input.slice(start, start + 24).trimEnd();
    return `The quote opened at character ${[...input.slice(0, start)].length + 1} (${shown}${input.length > start + 24 ? '…' : ''}) is not closed: end the phrase with ${CLOSERS[quote]}.`;
  }
  return null;
}

export interface ParsedArgs {
  words: string[];
  opts: Record<string, string[]>;
  /** The text after the subcommand, untouched (for free text such as notes). */
  rest: string;
}

/** Separates `key:value` options the subcommand declares from plain words; other colons stay in words. */
export function splitOptions(tokens: string[], known: readonly string[]): Pick<ParsedArgs, 'words' | 'opts'> {
  const words: string[] = [];
  const opts: Record<string, string[]> = {};
  for (const t of tokens) {
    const i = t.indexOf(':');
    const key = i > 0 ? t.slice(0, i).toLowerCase() : '';
    if (key && known.includes(key)) (opts[key] ??= []).push(t.slice(i + 1));
    else words.push(t);
  }
  return { words, opts };
}
