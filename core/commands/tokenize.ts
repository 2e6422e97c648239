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
