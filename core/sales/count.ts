/**
 * "1 deal", "2 deals", "12,000 deals": digits in the tenant's locale (Intl.NumberFormat, en or zh); the
 * noun's form by the plural rules of English (Intl.PluralRules), the language the reply text is written in.
 */
export function countOf(n: number, noun: { one: string; other: string }, locale: 'en' | 'zh' = 'en'): string {
  const digits = new Intl.NumberFormat(locale === 'zh' ? 'zh-CN' : 'en-US').format(n);
  return `${digits} ${new Intl.PluralRules('en-US').select(n) === 'one' ? noun.one : noun.other}`;
}
