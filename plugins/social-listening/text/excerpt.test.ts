import { describe, expect, it } from 'vitest';
import { excerpt } from './excerpt.js';

describe('excerpt', () => {
  it('keeps short texts whole, whitespace collapsed', () => {
    expect(excerpt('  acme   is\nfine ', 2)).toBe('acme is fine');
  });

  it('cuts long texts to at most 280 characters around the match', () => {
    const text = `${'a'.repeat(500)} ACME ${'b'.repeat(500)}`;
    const e = excerpt(text, 501);
    expect(e.length).toBeLessThanOrEqual(280);
    expect(e).toContain('ACME');
    expect(e.startsWith('…') && e.endsWith('…')).toBe(true);
  });

  it('does not split surrogate pairs', () => {
    const text = '😀'.repeat(300);
    const e = excerpt(text, 0);
    expect(e.length).toBeLessThanOrEqual(280);
    expect(e.replace(/…/g, '')).toMatch(/^(😀)+$/u);
  });
});
