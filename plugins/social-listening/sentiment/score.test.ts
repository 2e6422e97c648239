import { describe, expect, it } from 'vitest';
import { sentiment } from './score.js';
import { toSimplified } from './simplify.js';

const label = (t: string) => sentiment(t).label;
const words = (t: string) => sentiment(t).drivers.map((d) => d.word);

describe('sentiment rules', () => {
  it.each([
    // plain words, English and Chinese
    ['the checkout is great', 'positive'],
    ['the checkout is awful', 'negative'],
    ['好', 'positive'],
    ['差', 'negative'],
    ['the sky is blue', 'neutral'],
    ['今天星期三', 'neutral'],
  ] as const)('plain: %s -> %s', (text, want) => expect(label(text)).toBe(want));

  it.each([
    ['not good', 'negative'],
    ['not bad', 'positive'],
    ["can't recommend this shop enough", 'positive'],
    ['no issues at all so far', 'positive'],
    ['不好', 'negative'],
    ['没有问题', 'positive'],
    ['别买，太坑了', 'negative'],
    ['从未失望', 'positive'],
    ['一点也不卡', 'positive'],
  ] as const)('negation: %s -> %s', (text, want) => expect(label(text)).toBe(want));

  it.each([
    ['pretty but painfully slow', 'negative'],
    ['slow at first, but the team came through', 'positive'],
    ['although the box was dented, the blender is great', 'positive'],
    ['虽然有点贵，但是质量很好', 'positive'],
    ['虽然包装很漂亮，但是用了一天就坏了', 'negative'],
    ['样子好看，不过电池很差', 'negative'],
    ['有点慢，可是客服很耐心', 'positive'],
  ] as const)('contrast: %s -> %s (the clause after wins)', (text, want) => expect(label(text)).toBe(want));

  it('weighs degree adverbs and boosters', () => {
    expect(sentiment('非常好').score).toBeGreaterThan(sentiment('好').score);
    expect(sentiment('超级慢').score).toBeLessThan(sentiment('慢').score);
    expect(sentiment('很满意').score).toBeGreaterThan(sentiment('满意').score);
    expect(sentiment('太贵').score).toBeLessThan(sentiment('贵').score);
    expect(sentiment('really good').score).toBeGreaterThan(sentiment('good').score);
    expect(sentiment('the update is GOOD, thanks team').score).toBeGreaterThan(sentiment('the update is good, thanks team').score);
  });

  it.each(['👍', '🙌', '🔥', '⭐'])('emoji %s alone is positive', (e) => expect(label(`new release ${e}`)).toBe('positive'));
  it.each(['😡', '🙄', '👎'])('emoji %s alone is negative', (e) => expect(label(`new release ${e}`)).toBe('negative'));

  it.each([
    ['Does anyone know if Acme works with Outlook?', 'neutral'],
    ['Is there a free plan for students?', 'neutral'],
    ['What time does support open on Sundays', 'neutral'],
    ['请问周末可以送货吗？', 'neutral'],
    ['有没有人知道怎么导出数据', 'neutral'],
    ['Why is the app so slow today?', 'negative'],
    ['Is anyone else loving the new editor?', 'positive'],
  ] as const)('questions: %s -> %s', (text, want) => expect(label(text)).toBe(want));

  it.each([
    ['又要退款，第三次了', 'negative'],
    ['我要投诉你们的快递', 'negative'],
    ['软件又崩溃了', 'negative'],
    ['手机充电的时候发热', 'negative'],
    ['客服不理人', 'negative'],
  ] as const)('complaint patterns: %s -> %s', (text, want) => expect(label(text)).toBe(want));

  it.each([
    ['很好用', '很好用'],
    ['這個軟體很好用', '这个软件很好用'],
    ['客服態度很差', '客服态度很差'],
  ])('converts Traditional to Simplified before scoring: %s', (trad, simp) => {
    expect(toSimplified(trad)).toBe(simp);
    expect(sentiment(trad)).toEqual(sentiment(simp));
  });

  it.each([
    ['界面很漂亮，but the sync is terribly slow', 'negative'],
    ['价格有点高 but totally worth it', 'positive'],
    ['登录又不work了', 'negative'],
    ['the courier was friendly, 包装也很用心', 'positive'],
  ] as const)('mixed Chinese and English, scored on both: %s -> %s', (text, want) => expect(label(text)).toBe(want));

  it.each([
    ['Oh great, the export broke again', 'negative'],
    ['Perfect timing for an outage /s', 'negative'],
    ['真是太「快」了，等了十天', 'negative'],
  ] as const)('sarcasm with a marker: %s -> %s', (text, want) => expect(label(text)).toBe(want));

  it('reads politeness around a complaint as a complaint, and thanks alone as thanks', () => {
    expect(label("I'd appreciate a reply, my order has been missing for two weeks")).toBe('negative');
    expect(label('麻烦帮我查一下订单，谢谢')).toBe('negative');
    expect(label('thanks so much for the help')).toBe('positive');
  });

  it('names the words that drove the label, strongest first', () => {
    expect(words('pretty but painfully slow')[0]).toBe('slow');
    expect(words('不好用')).toEqual(['不好用']);
    expect(words('Lumo 👎')).toEqual(['👎']);
    expect(words('the sky is blue')).toEqual([]);
    const d = sentiment('虽然价格有点贵，但是质量很好').drivers;
    expect(d.map((x) => x.word)).toEqual(['好', '贵']);
    expect(d[0]!.weight).toBeGreaterThan(0);
    expect(d[1]!.weight).toBeLessThan(0);
  });

  it('keeps the score within (-1, 1)', () => {
    const s = sentiment('terrible awful horrible worst garbage scam '.repeat(20)).score;
    expect(s).toBeGreaterThan(-1);
    expect(s).toBeLessThan(-0.9);
  });
});
