/**
 * A jsonpath-ish selector for public JSON endpoints: `$.items[*].text`, `data.posts[].body`, `[*].title`,
 * `results[0].text`. Each selected string becomes an entry; the array element it came from gives the
 * entry's id, link, author and date when it has the usual field names.
 */

type Step = { name: string } | { each: true } | { index: number };

export function parsePath(path: string): Step[] | null {
  const p = path.trim().replace(/^\$/, '');
  const steps: Step[] = [];
  const re = /\.?([A-Za-z_][\w-]*)|\[(\*|\d{0,6})\]/gy;
  let at = 0;
  while (at < p.length) {
    re.lastIndex = at;
    const m = re.exec(p);
    if (!m) return null;
    if (m[1] !== undefined) steps.push({ name: m[1] });
    else if (m[2] === '*' || m[2] === '') steps.push({ each: true });
    else steps.push({ index: Number(m[2]) });
    at = re.lastIndex;
  }
  return steps.length ? steps : null;
}

export interface JsonEntry {
  text: string;
  item: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function selectTexts(doc: unknown, steps: Step[]): JsonEntry[] {
  let cur: { value: unknown; item: unknown }[] = [{ value: doc, item: doc }];
  for (const s of steps) {
    const next: typeof cur = [];
    for (const c of cur) {
      if ('name' in s) {
        if (isObject(c.value) && Object.hasOwn(c.value, s.name)) next.push({ value: c.value[s.name], item: c.item });
      } else if ('each' in s) {
        if (Array.isArray(c.value)) for (const v of c.value) next.push({ value: v, item: v });
      } else if (Array.isArray(c.value) && s.index < c.value.length) next.push({ value: c.value[s.index], item: c.value[s.index] });
    }
    cur = next;
  }
  return cur
    .filter((c) => typeof c.value === 'string' || typeof c.value === 'number')
    .map((c) => ({ text: String(c.value), item: isObject(c.item) ? c.item : {} }));
}

/** First string-ish value among the usual names of a field. */
export function pick(item: Record<string, unknown>, ...names: string[]): string | null {
  for (const n of names) {
    const v = item[n];
    if (typeof v === 'string' && v.trim()) return v.trim();
    if (typeof v === 'number') return String(v);
    if (isObject(v) && typeof v.name === 'string') return v.name;
  }
  return null;
}
