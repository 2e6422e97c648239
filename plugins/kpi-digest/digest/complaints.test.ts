import { describe, expect, it } from 'vitest';
import type { Case } from '../../../core/plugin-api.js';
import { complaintFigures } from './complaints.js';

const at = (h: number) => new Date(Date.UTC(2026, 2, 1) + h * 3_600_000).toISOString();
const kase = (id: number, o: Partial<Case>): Case => ({
  tenant: 't', id, customerId: 1, kind: 'complaint', owner: 'web:rita', status: 'open', summary: 'x', dueAt: null, openedAt: at(0), closedAt: null, firstResponseAt: null, ...o,
});

describe('complaint figures', () => {
  const cases = [
    kase(1, { openedAt: at(0), firstResponseAt: at(2), closedAt: at(10), status: 'closed' }),
    kase(2, { openedAt: at(1), firstResponseAt: at(5), closedAt: at(25), status: 'closed', owner: 'web:sam' }),
    kase(3, { openedAt: at(3), firstResponseAt: at(4) }),
    kase(4, { openedAt: at(4) }),
    kase(5, { openedAt: at(4), kind: 'detractor_followup', closedAt: at(5), firstResponseAt: at(5) }),
  ];

  it.each([
    // Independent arithmetic: responses 2, 4, 1 h -> 7/3 = 2.3; resolutions 10, 24 h -> 17; 2 of 4 resolved.
    ['company, at the end', at(30), null, { count: 4, firstResponseHours: 2.3, resolutionHours: 17, shareResolved: 0.5 }],
    // At hour 12 complaint 2 was not resolved yet and complaint 3 (response at 4) was answered.
    ['company, at hour 12', at(12), null, { count: 4, firstResponseHours: 2.3, resolutionHours: 10, shareResolved: 0.25 }],
    ['company, at hour 3', at(3), null, { count: 4, firstResponseHours: 2, resolutionHours: null, shareResolved: 0 }],
    ["rita's book", at(30), 'web:rita', { count: 3, firstResponseHours: 1.5, resolutionHours: 10, shareResolved: 1 / 3 }],
    ['nobody', at(30), 'web:nobody', { count: 0, firstResponseHours: null, resolutionHours: null, shareResolved: null }],
  ])('%s', (_name, asOf, owner, want) => {
    expect(complaintFigures(cases, asOf, owner)).toEqual(want);
  });
});
