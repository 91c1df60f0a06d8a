/**
 * Time budgets of the e2e suites. They only stop a hang: every wait is for a condition (an element, a
 * status text, a settled theme), never for a length of time, so a budget can be generous and a slow
 * machine only makes a suite slower. Measured beside two busy loops on the 2-core build machine
 * (issue 21 §6), the preview's "Recompute done." came after more than 60 s and the settings suite's
 * setup took more than 120 s: both were the budgets then, and both failed.
 */

/** One Playwright action or wait (Playwright's own default is 30 s). */
export const WAIT_MS = 180_000;

/** One test or hook (jest.setTimeout in each suite): the sample's ingest and publishing, several waits. */
export const TEST_MS = 600_000;
