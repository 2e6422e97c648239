/** "1 deal", "2 deals", "1,200 deals" in the tenant's locale: plural category and digits from Intl. */
export function countOf(n: number, noun: { one: string; other: string }, locale: 'en' | 'zh' = 'en'): string {
  const tag = locale === 'zh' ? 'zh-CN' : 'en-US';
  const form = new Intl.PluralRules(tag).select(n) === 'one' ? noun.one : noun.other;
  return `${new Intl.NumberFormat(tag).format(n)} ${form}`;
}
