/**
 * Word lists of the listening scorer, weights from -3 (very negative) to +3 (very positive). English words
 * come from the chosen package's lexicon; the lists here only add what brand mentions need on top of it
 * (product complaints, praise idioms) and silence words that are neutral in this setting. Chinese is
 * written in Simplified: Traditional text is converted before scoring.
 */
import { ZH_WORDS as BASELINE_ZH_WORDS } from './baseline-lexicon.js';

/** English phrases matched before the package sees the text; each counts as one word of this weight. */
export const EN_PHRASES: [RegExp, number][] = [
  [/\bcan'?t recommend (?:\w+ ){0,3}enough\b/, 3],
  [/\b(?:can'?t|couldn'?t) (?:fault|say enough good)\b/, 2.5],
  [/\bno (?:issues|problems)(?: at all)?\b/, 2],
  [/\bnot (?:bad|too bad|half bad)\b/, 1.5],
  [/\bnever going back\b/, 2],
  [/\bgame ?changer\b/, 3],
  [/\blife ?saver\b/, 2.5],
  [/\brock solid\b/, 2.5],
  [/\babove and beyond\b/, 3],
  [/\bworth it\b/, 2.5],
  [/\bdrains? the battery\b/, -2],
  [/\bmiles ahead\b/, 2.5],
  [/\bkeep it up\b/, 2],
  [/\bwell done\b/, 2.5],
  [/\bcame through\b/, 2],
  [/\bthanks for nothing\b/, -3],
  [/\bgoing in circles\b/, -2],
  [/\bdeal ?breaker\b/, -2.5],
  [/\bduplicate charge\b/, -2.5],
  [/\blogs? (?:\w+ )?out\b|\blogged (?:\w+ )?out\b/, -1.5],
  [/\b(?:been|it'?s been|for) (?:\w+ )?(?:days|weeks|months)\b/, -1],
  [/\b(?:third|fourth|fifth|second) time\b/, -1.5],
  [/\bstill (?:not|no|doesn'?t|can'?t|won'?t)\b/, -1],
  [/\bused to (?:be|love|like)\b/, -1.5],
  [/\b(?:looking (?:at|for)|switching to) (?:an? |other )?alternatives?\b/, -2],
  [/\b(?:doubled|raised|hiked) (?:our |the |their |my )?prices?\b/, -1.5],
  [/\bwon'?t let me\b/, -1.5],
  [/\b(?:doesn'?t|does not|don'?t|do not|didn'?t|won'?t|not|never|stopped|no longer) (?:even )?work(?:s|ing|ed)?\b/, -2],
  [/\b(?:doesn'?t|don'?t|didn'?t|never) (?:even )?(?:answer|reply|respond)\b|\bno (?:reply|response|answer)\b/, -2],
];

/** English words the package does not know or weighs wrongly for brand talk. 0 silences a word. */
export const EN_WORDS: Record<string, number> = {
  slow: -1.5, slower: -1.5, buggy: -2, bugs: -1.5, bug: -1.2, crash: -2, crashes: -2, crashed: -2, crashing: -2.2,
  laggy: -2, glitch: -1.5, glitchy: -2, outage: -1.5, down: -1, flickering: -2, freezing: -2,
  missing: -1.5, lost: -1.5, wrong: -1.5, stuck: -1.5, overpriced: -2.5, expensive: -1, pricey: -1,
  useless: -2.5, maze: -1.5, mess: -2, ridiculous: -2, refund: -1,
  cancelled: -1, waiting: -1, waited: -1, again: -0.5, intuitive: 2,
  reliable: 2, responsive: 1.5, shoutout: 2, impressed: 2.5, faster: 1.5, quick: 1.5,
  fast: 1.5, early: 1, loses: -1.5, lose: -1.5, pricier: -1, finally: 0.5, friendliest: 2.5, delivered: 0,
  // neutral in brand talk, though the general lexicons score them
  support: 0, fair: 0, stop: 0, limited: 0, pick: 0, like: 0, please: 0, kindly: 0, sure: 0, hi: 0, dear: 0,
  launch: 0, free: 0, trust: 0, credit: 0, due: 0, yes: 0, no: 0, god: 0, share: 0, matter: 0, top: 0, want: 0,
  work: 0, works: 0, fan: 0, quality: 0,
};

/** Emoji and their weights (the list plus the common ones of brand talk). */
export const EMOJI: Record<string, number> = {
  '👍': 2, '🙌': 2.5, '🔥': 2, '⭐': 2, '🌟': 2, '❤': 2.5, '❤️': 2.5, '😍': 3, '🥰': 3, '😊': 2, '😀': 2, '😄': 2,
  '😁': 2, '😂': 1.5, '🤩': 3, '👏': 2, '🙏': 1.5, '💯': 2, '🎉': 2, '✅': 1, '💪': 1.5, '😎': 1.5, '🥳': 2.5,
  '😡': -3, '🤬': -3, '😠': -2.5, '🙄': -2, '👎': -2.5, '😤': -2, '💀': -1.5, '😭': -2, '😢': -2, '😞': -2,
  '😒': -2, '🤮': -3, '💩': -2.5, '😩': -2, '😫': -2, '🤦': -2, '😑': -1, '😕': -1.5, '😖': -2,
};

/** Politeness that wraps a complaint ("I'd appreciate an update", 谢谢): it counts only when nothing in the post is negative. */
export const POLITE = new Set(['appreciate', 'appreciated', 'thanks', 'thank', 'grateful', '谢谢', '感谢']);

/** Marks of sarcasm: with one of these, praise words in the post are read backwards. */
export const SARCASM = /(?:^|\s)\/s\b|🙄|\byeah,? right\b|\boh (?:great|wonderful|fantastic|perfect|nice)\b|\bthanks for nothing\b|呵呵|真是太?[「“"][^」”"]{1,8}[」”"]|真[「“"][^」”"]{1,8}[」”"]|[「“"][^」”"]{1,8}[」”"]啊/u;

// The previous scorer's word list (kept frozen as the bench baseline), plus what real posts needed.
export const ZH_WORDS: Record<string, number> = {
  ...BASELINE_ZH_WORDS,
  // complaint patterns of products and service
  发热: -2, 当机: -2.5, 卡: -1.5, 扣费: -1.5, 扣款: -1.5, 扣了: -1, 重复扣: -2.5,
  不理人: -2.5, 没电: -2, 自动续费: -1.5, 涨价: -2, 涨: -1, 乱: -2, 吵: -1.5, 占线: -1.5,
  实用: 2, 提升: 1.5, 用心: 2, 顺: 1.5, 打不开: -2, 登录不了: -2, 坏了: -2.5,
  // neutral compounds that would otherwise be misread as 好 (good) or 卡 (lag)
  好像: 0, 好多: 0, 只好: 0, 好几: 0, 快递: 0, 快就: 0, 信用卡: 0, 卡片: 0, 会员卡: 0,
};

export const ZH_NEGATORS = new Set(['不', '没', '没有', '无', '别', '未', '并不', '不是', '从不', '从没', '从来没', '毫不', '毫无', '绝不', '不太', '不怎么', '一点也不', '一点都不']);

export const ZH_INTENSIFIERS: Record<string, number> = {
  很: 1.5, 非常: 1.8, 太: 1.6, 超: 1.6, 超级: 1.8, 特别: 1.6, 十分: 1.6, 极其: 1.8, 极: 1.8, 真: 1.4, 真的: 1.4,
  挺: 1.3, 相当: 1.5, 最: 1.6, 巨: 1.6, 实在: 1.5, 格外: 1.5, 更: 1.3, 有点: 0.6, 有些: 0.6, 稍微: 0.5, 略: 0.5,
};

/** Words that turn a clause around (the clause after wins) and words that concede (the clause they open loses). */
export const ZH_CONTRAST = ['但是', '可是', '不过', '然而', '但'];
export const ZH_CONCESSION = ['虽然', '虽说', '尽管'];
export const EN_CONTRAST = ['but', 'however', 'yet'];
export const EN_CONCESSION = ['although', 'though', 'even though'];

/** Longest Chinese entry, for the longest-match scan. */
export const ZH_MAX = Math.max(...[...Object.keys(ZH_WORDS), ...ZH_NEGATORS, ...Object.keys(ZH_INTENSIFIERS)].map((w) => w.length));
