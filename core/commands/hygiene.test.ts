import { describe, expect, it } from 'vitest';
import { hiddenCharacter } from './hygiene.js';

describe('hiddenCharacter', () => {
  it.each([
    ['Acme Corp', null],
    ['Zoë Müller 张伟', null],
    ['line one\nline two\ttabbed', null],
    ['dev 👩‍💻 team', null],
    ['Acme\u202Egnp.exe', 'U+202E RIGHT-TO-LEFT OVERRIDE at character 5'],
    ['\u2066Acme', 'U+2066 LEFT-TO-RIGHT ISOLATE at character 1'],
    ['Ac\u200Bme', 'U+200B ZERO WIDTH SPACE at character 3'],
    ['Ac\u200Dme', 'U+200D ZERO WIDTH JOINER at character 3'],
    ['\uFEFFAcme', 'U+FEFF ZERO WIDTH NO-BREAK SPACE at character 1'],
    ['Acme\u0007', 'U+0007 a control character at character 5'],
    ['Acme\u0085', 'U+0085 a control character at character 5'],
    ['😀\u202Ex', 'U+202E RIGHT-TO-LEFT OVERRIDE at character 2'],
  ])('%j', (input, expected) => {
    expect(hiddenCharacter(input)).toBe(expected);
  });
});
