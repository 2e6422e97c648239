/**
 * Whether the crash-after-commit fault switch is on: `1` only under NODE_ENV=test, so a stray variable in
 * production does nothing; `always` is the explicit way to arm it anywhere (a staging drill).
 */
export function crashAfterCommitArmed(env: { NODE_ENV?: string; CRM_FAULT_CRASH_AFTER_COMMIT?: string }): boolean {
  const v = env.CRM_FAULT_CRASH_AFTER_COMMIT;
  return v === 'always' || (v === '1' && env.NODE_ENV === 'test');
}
