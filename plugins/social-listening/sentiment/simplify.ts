import * as OpenCC from 'opencc-js';
import { hasCjk } from '../text/chars.js';

/** Taiwan Traditional (with its phrasing, e.g. 當機 -> 死机) to Mainland Simplified, so one Chinese lexicon serves both. */
const convert = OpenCC.Converter({ from: 'twp', to: 'cn' });

export function toSimplified(text: string): string {
  return hasCjk(text) ? convert(text) : text;
}
