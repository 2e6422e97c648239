/**
 * The word lists of the lexicon scorer used before issue #20, unchanged, for the bench baseline in baseline.ts.
 * Weights from -3 (very negative) to +3 (very positive), in the normalized (lower-case) form.
 */

export const EN_WORDS: Record<string, number> = {
  // positive
  good: 2, great: 3, excellent: 3, amazing: 3, awesome: 3, love: 3, loved: 3, loves: 3, lovely: 2.5, like: 1.5,
  liked: 1.5, nice: 2, happy: 2.5, glad: 2, pleased: 2, satisfied: 2, fantastic: 3, wonderful: 3, perfect: 3,
  best: 3, better: 1.5, helpful: 2, fast: 1.5, quick: 1.5, easy: 1.5, smooth: 1.5, reliable: 2, recommend: 2.5,
  recommended: 2.5, thanks: 1.5, thank: 1.5, beautiful: 2.5, brilliant: 3, superb: 3, impressive: 2.5,
  impressed: 2.5, enjoy: 2, enjoyed: 2, friendly: 2, fine: 1, cool: 1.5, solid: 1.5, worth: 1.5, affordable: 1.5,
  fixed: 1.5, resolved: 2, solved: 2, responsive: 1.5, outstanding: 3, stellar: 3, delighted: 3, exceptional: 3,
  favorite: 2, favourite: 2, pleasant: 2, convenient: 1.5, efficient: 1.5, intuitive: 1.5, stable: 1.5,
  appreciate: 2, appreciated: 2, kudos: 2.5, yay: 2, incredible: 3, gorgeous: 2.5, flawless: 3, seamless: 2,
  painless: 1.5, works: 1, worked: 1, wow: 1.5, fun: 2, useful: 2, clean: 1, fair: 1, quality: 1, win: 1.5,
  // negative
  bad: -2.5, terrible: -3, awful: -3, horrible: -3, worst: -3, worse: -2, hate: -3, hated: -3, hates: -3,
  poor: -2, broken: -2.5, broke: -2, crash: -2, crashes: -2, crashed: -2, crashing: -2, bug: -1.5, bugs: -1.5,
  buggy: -2, slow: -1.5, expensive: -1.5, overpriced: -2.5, useless: -3, disappointed: -2.5,
  disappointing: -2.5, disappointment: -2.5, angry: -2.5, annoyed: -2, annoying: -2, frustrated: -2.5,
  frustrating: -2.5, problem: -1.5, problems: -1.5, issue: -1, issues: -1, fail: -2, failed: -2, fails: -2,
  failure: -2.5, error: -1.5, errors: -1.5, scam: -3, fraud: -3, rude: -2.5, unhelpful: -2.5, refund: -1,
  complaint: -2, complain: -2, ridiculous: -2.5, unacceptable: -3, wrong: -1.5, sucks: -3, suck: -3,
  garbage: -3, trash: -2.5, junk: -2.5, laggy: -2, unreliable: -2.5, confusing: -1.5, difficult: -1.5,
  painful: -2, nightmare: -3, mess: -2, disaster: -3, delay: -1.5, delayed: -1.5, late: -1, missing: -1.5,
  lost: -1.5, cancelled: -1.5, unhappy: -2.5, sad: -2, waste: -2.5, wasted: -2.5, outage: -2.5, hacked: -2.5,
  spam: -1.5, shame: -2, pathetic: -3, lousy: -2.5, mediocre: -1.5, meh: -1, ugly: -2, dirty: -2, stuck: -1.5,
  freezes: -1.5, frozen: -1.5, overcharged: -2.5, ignored: -2, worried: -1.5, scary: -2, avoid: -2,
  regret: -2.5, down: -1, leaking: -2, cheated: -3, dangerous: -2.5, furious: -3, upset: -2,
};

export const EN_NEGATORS = new Set([
  'not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'cannot', 'without', 'hardly', 'barely',
  "isn't", "wasn't", "don't", "doesn't", "didn't", "can't", "couldn't", "won't", "wouldn't", "shouldn't",
  "aren't", "weren't", "haven't", "hasn't", "ain't", 'isnt', 'wasnt', 'dont', 'doesnt', 'didnt', 'cant', 'wont',
]);

export const EN_INTENSIFIERS: Record<string, number> = {
  very: 1.5, really: 1.5, so: 1.4, extremely: 1.8, super: 1.5, totally: 1.5, absolutely: 1.6, too: 1.4,
  incredibly: 1.8, truly: 1.5, completely: 1.6, utterly: 1.8, highly: 1.5, most: 1.3, such: 1.3,
  slightly: 0.5, somewhat: 0.6, kinda: 0.6, little: 0.6, bit: 0.6,
};

/** Words that turn the clause around: what follows weighs more than what came before. */
export const EN_CONTRAST = new Set(['but', 'however', 'though', 'yet']);

export const ZH_WORDS: Record<string, number> = {
  // positive
  好: 2, 不错: 2, 棒: 2.5, 优秀: 3, 满意: 2.5, 喜欢: 2.5, 爱: 2.5, 推荐: 2.5, 赞: 2.5, 点赞: 2.5, 完美: 3,
  出色: 3, 快: 1.5, 方便: 2, 好用: 2.5, 靠谱: 2, 专业: 2, 热情: 2, 耐心: 2, 贴心: 2, 实惠: 2, 划算: 2, 便宜: 1,
  稳定: 1.5, 流畅: 2, 漂亮: 2, 开心: 2.5, 高兴: 2.5, 感谢: 2, 谢谢: 1.5, 惊喜: 2.5, 给力: 2.5, 厉害: 2, 优质: 2.5,
  舒服: 2, 值得: 2, 及时: 1.5, 高效: 2, 好评: 2.5, 信赖: 2, 放心: 2, 精彩: 2.5, 成功: 1.5, 解决: 1.5, 优惠: 1.5,
  周到: 2, 友好: 2, 干净: 1.5, 好吃: 2.5, 喜爱: 2.5, 强大: 2, 可靠: 2, 顺利: 2, 愉快: 2.5,
  // negative
  差: -2.5, 糟糕: -3, 垃圾: -3, 烂: -2.5, 坏: -2, 慢: -1.5, 贵: -1.5, 失望: -2.5, 生气: -2.5, 愤怒: -3,
  讨厌: -3, 恶心: -3, 问题: -1.5, 故障: -2, 崩溃: -2.5, 卡顿: -2, 骗: -3, 骗子: -3, 欺骗: -3, 投诉: -2.5,
  退款: -1, 难用: -2.5, 麻烦: -1.5, 不满: -2.5, 差劲: -3, 后悔: -2.5, 无语: -2, 坑: -2.5, 坑人: -3, 错误: -1.5,
  失败: -2, 延迟: -1.5, 丢失: -2, 敷衍: -2.5, 冷漠: -2, 粗鲁: -2.5, 忽悠: -2.5, 缺陷: -2, 漏洞: -2, 担心: -1.5,
  痛苦: -2.5, 郁闷: -2, 烦: -2, 烦人: -2.5, 脏: -2, 假货: -3, 难吃: -2.5, 差评: -3, 黑心: -3, 无法: -1.5,
  不能用: -2, 用不了: -2, 毛病: -1.5, 死机: -2.5, 闪退: -2.5, 骚扰: -2.5, 可惜: -1.5, 遗憾: -1.5, 不行: -2,
  没用: -2, 浪费: -2.5, 拖延: -1.5, 退货: -1.5, 危险: -2, 太坑: -3,
  // neutral compounds that would otherwise be misread as 好 (good)
  好像: 0, 好多: 0, 只好: 0, 好几: 0,
};

export const ZH_NEGATORS = new Set(['不', '没', '没有', '无', '别', '未', '并不', '不是', '从不', '从没', '毫不', '毫无', '绝不', '不太', '不怎么']);

export const ZH_INTENSIFIERS: Record<string, number> = {
  很: 1.5, 非常: 1.8, 太: 1.6, 超: 1.6, 超级: 1.8, 特别: 1.6, 十分: 1.6, 极其: 1.8, 极: 1.8, 真: 1.4, 真的: 1.4,
  挺: 1.3, 相当: 1.5, 最: 1.6, 巨: 1.6, 实在: 1.5, 格外: 1.5, 更: 1.3, 有点: 0.6, 有些: 0.6, 稍微: 0.5, 略: 0.5,
};

export const ZH_CONTRAST = new Set(['但是', '但', '可是', '不过', '然而']);

/** Longest Chinese entry, for the longest-match scan. */
export const ZH_MAX = Math.max(...[...Object.keys(ZH_WORDS), ...ZH_NEGATORS, ...Object.keys(ZH_INTENSIFIERS), ...ZH_CONTRAST].map((w) => w.length));
