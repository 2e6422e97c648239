import type { BenchOptions, BenchRow } from '../types.js';
import { Matcher, parseQuery, prng } from '../../plugins/social-listening/index.js';

/**
 * Listening throughput: every message matched against N queries by the automaton (normalization,
 * one scan, boundary checks, boolean evaluation included) versus ONE combined case-insensitive RegExp
 * alternation of the same terms, on the same deterministic English + Chinese corpus.
 */

const SYLLABLES = ['zor', 'vex', 'qui', 'nta', 'ra', 'lum', 'bri', 'ko', 'dax', 'mel', 'tor', 'vin', 'sa', 'rix', 'pol', 'ny', 'gle', 'fa', 'tek', 'oso'];
const FILLER = 'the a to and of in is it for on with that this was very really my our support app order price shipping today new great bad service team update help please thanks just got still not working love hate again when why how'.split(' ');
const HAN = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严';

interface Corpus {
  messages: string[];
  bytes: number[];
}

/** `n` distinct made-up words, each `min` to `min + spread - 1` pieces drawn from `pieces`. */
function madeUpWords(rnd: () => number, n: number, pieces: ArrayLike<string>, min: number, spread: number): string[] {
  const out = new Set<string>();
  while (out.size < n) {
    const k = min + Math.floor(rnd() * spread);
    let w = '';
    for (let i = 0; i < k; i++) w += pieces[Math.floor(rnd() * pieces.length)]!;
    out.add(w);
  }
  return [...out];
}

/** Query i: mostly single brand terms, some OR pairs, phrases, prefixes and Chinese terms. */
function queries(rnd: () => number, latin: string[], han: string[], n: number): { queries: string[]; terms: string[] } {
  const qs: string[] = [];
  const terms = new Set<string>();
  let li = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const r = rnd();
    if (r < 0.5) {
      qs.push(latin[li]!);
      terms.add(latin[li++]!);
    } else if (r < 0.65) {
      qs.push(`${latin[li]} OR ${latin[li + 1]}`);
      terms.add(latin[li++]!).add(latin[li++]!);
    } else if (r < 0.75) {
      qs.push(`"${latin[li]} support"`);
      terms.add(`${latin[li++]} support`);
    } else if (r < 0.8) {
      qs.push(`${latin[li]}*`);
      terms.add(latin[li++]!);
    } else {
      qs.push(han[hi]!);
      terms.add(han[hi++]!);
    }
  }
  return { queries: qs, terms: [...terms] };
}

function corpus(rnd: () => number, latin: string[], han: string[], count: number): Corpus {
  const messages: string[] = [];
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  for (let i = 0; i < count; i++) {
    let m: string;
    if (rnd() < 0.6) {
      const words = Array.from({ length: 8 + Math.floor(rnd() * 14) }, () => pick(FILLER));
      if (rnd() < 0.3) {
        const b = pick(latin.slice(0, rnd() < 0.5 ? 100 : latin.length));
        words.splice(Math.floor(rnd() * words.length), 0, rnd() < 0.3 ? b[0]!.toUpperCase() + b.slice(1) : b);
      }
      m = words.join(' ');
    } else {
      let s = Array.from({ length: 12 + Math.floor(rnd() * 30) }, () => pick([...HAN])).join('');
      if (rnd() < 0.3) {
        const at = Math.floor(rnd() * s.length);
        s = s.slice(0, at) + pick(han.slice(0, rnd() < 0.5 ? 50 : han.length)) + s.slice(at);
      }
      m = s;
    }
    messages.push(m);
  }
  return { messages, bytes: messages.map((m) => Buffer.byteLength(m)) };
}

interface Run {
  msgs: number;
  mbs: number;
  matched: number;
  processed: number;
}

/**
 * Runs both sides over the same messages, alternating 500-message slices so background load hits both
 * alike, passing over the corpus again and again (every pass does all the work anew) until the time
 * budget is spent, so short runs are not at the mercy of one GC pause; returns msgs/s, MB/s and matches.
 */
function measurePair(c: Corpus, budgetMs: number, a: (m: string) => number, b: (m: string) => number): [Run, Run] {
  const spent = [0, 0];
  const matched = [0, 0];
  const count = c.messages.length;
  let done = 0;
  let bytes = 0;
  while (spent[0]! + spent[1]! < budgetMs) {
    const from = done % count;
    const end = Math.min(count, from + 500);
    [a, b].forEach((fn, side) => {
      const t = performance.now();
      for (let k = from; k < end; k++) matched[side]! += fn(c.messages[k]!);
      spent[side]! += performance.now() - t;
    });
    for (let k = from; k < end; k++) bytes += c.bytes[k]!;
    done += end - from;
  }
  const run = (side: number): Run => ({ msgs: done / (spent[side]! / 1000), mbs: bytes / 1e6 / (spent[side]! / 1000), matched: matched[side]!, processed: done });
  return [run(0), run(1)];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function bench(opts: BenchOptions): Promise<BenchRow[]> {
  const rnd = prng(20260308);
  const latin = madeUpWords(rnd, 25_000, SYLLABLES, 2, 3);
  const han = madeUpWords(rnd, 5_000, HAN, 3, 2);
  const c = corpus(rnd, latin, han, Math.max(1000, Math.round(100_000 * opts.scale)));
  const budgetMs = Math.max(3000, 15_000 * opts.scale);
  const mb = c.bytes.reduce((a, b) => a + b, 0) / 1e6;
  opts.log(`listening corpus: ${c.messages.length} messages, ${mb.toFixed(1)} MB (UTF-8); time budget per run ${budgetMs / 1000} s`);
  const rows: BenchRow[] = [];
  for (const n of [100, 1000, 10_000]) {
    const q = queries(prng(n), latin, han, n);
    const t0 = performance.now();
    const matcher = new Matcher(q.queries.map((text, i) => ({ name: `q${i}`, query: parseQuery(text) })));
    const buildMs = performance.now() - t0;
    const re = new RegExp(q.terms.map(escape).join('|'), 'gi');
    const automaton = (m: string) => matcher.match(m).length;
    const regexp = (m: string) => {
      let k = 0;
      re.lastIndex = 0;
      while (re.exec(m)) k++;
      return k;
    };
    // Warm both up (JIT, lazily filled character tables) on the same messages before timing.
    measurePair(c, budgetMs / 4, automaton, regexp);
    const [auto, base] = measurePair(c, 2 * budgetMs, automaton, regexp);
    opts.log(`${n} queries (${q.terms.length} terms): automaton built in ${buildMs.toFixed(0)} ms, ${auto.processed} msgs each (both sides the same), automaton ${auto.matched} query matches; RegExp ${base.matched} term hits`);
    const label = `listening match, ${n.toLocaleString('en')} queries`;
    const baselineName = 'one combined RegExp (escaped alternation, /gi)';
    rows.push({ name: label, engine: 'automaton', figure: round(auto.msgs), baseline: round(base.msgs), unit: 'msgs/s', baselineName, ratio: round(auto.msgs / base.msgs) });
    rows.push({ name: label, engine: 'automaton', figure: round(auto.mbs), baseline: round(base.mbs), unit: 'MB/s', baselineName, ratio: round(auto.mbs / base.mbs) });
  }
  return rows;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
